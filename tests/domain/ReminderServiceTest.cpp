// Sweeps, delivery and the in-app inbox (domain/ReminderService.h, SPEC 4.6) on the in-memory store with a
// fixed instant, a UTC zone and a scripted mail transport.
#include <stdexcept>

#include <gtest/gtest.h>

#include "govtrack/domain/AuditTrail.h"
#include "govtrack/domain/Error.h"
#include "govtrack/domain/ICalendar.h"
#include "govtrack/domain/ReminderService.h"

#include "CountingIds.h"
#include "FakeHasher.h"
#include "InMemoryStore.h"

namespace d = govtrack::domain;
using namespace std::chrono_literals;

namespace {

d::Date day(int y, unsigned m, unsigned dd) {
    return d::Date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{dd}};
}

/// UTC as the organisation's zone: local midnight is UTC midnight.
class UtcZone final : public d::TimeZoneRules {
public:
    d::Date localDate(std::chrono::sys_seconds t) const override {
        return d::Date{std::chrono::floor<std::chrono::days>(t)};
    }
    std::chrono::sys_seconds instantOf(d::Date dd, std::chrono::minutes m) const override {
        return std::chrono::sys_seconds{std::chrono::sys_days{dd}} + m;
    }
};

/// Fails the first `failures` sends, then records what it sends.
class ScriptedTransport final : public d::MailTransport {
public:
    explicit ScriptedTransport(int failures) : failures_(failures) {}
    void send(const d::OutboxMessage& m) override {
        if (failures_-- > 0) throw std::runtime_error("421 try later");
        sent.push_back(m);
    }
    std::vector<d::OutboxMessage> sent;

private:
    int failures_;
};

class ReminderService : public ::testing::Test {
protected:
    ReminderService() {
        auto s = store.openSession();
        d::Person owner;
        owner.id = "owner";
        owner.roleTitle = "Head of Finance";
        owner.email = "finance@example.org";
        s->people().save(owner);
        d::Person quiet;
        quiet.id = "quiet";
        quiet.roleTitle = "Records Officer";  // no e-mail address
        s->people().save(quiet);
        d::Engagement e;
        e.id = "e1";
        e.reference = "IA-1";
        e.title = "Review";
        s->engagements().save(e);
        d::Recommendation r;
        r.id = "r1";
        r.engagementId = "e1";
        r.number = 1;
        r.title = "Budgets";
        s->recommendations().save(r);
        for (auto [id, owner2, due] :
             {std::tuple{"a1", "owner", day(2026, 3, 30)}, std::tuple{"a2", "owner", day(2026, 3, 30)},
              std::tuple{"a3", "quiet", day(2026, 3, 30)}}) {
            d::Action a;
            a.id = id;
            a.recommendationId = "r1";
            a.number = static_cast<int>(id[1] - '0');
            a.description = std::string("Action ") + id;
            a.leadOwnerId = owner2;
            a.originalTargetDate = d::TargetDate::day(due);
            s->actions().save(a);
        }
        settings.policy.catchUpDays = 0;
        settings.webBaseUrl = "https://govtrack.example.org";
    }

    govtrack::testing::InMemoryStore store;
    govtrack::test::CountingIds ids;
    d::ReminderSettings settings;
    UtcZone zone;
    const std::chrono::sys_seconds monday8 = std::chrono::sys_days{day(2026, 3, 30)} + 8h;
};

}  // namespace

TEST_F(ReminderService, SweepRecordsOnceAndDryRunShowsOnlyWhatIsNew) {
    auto s = store.openSession();
    int seen = 0;
    const auto dry =
        d::sweepReminders(*s, ids, settings, zone, monday8, false, [&](const d::ReminderDigest&) { ++seen; });
    EXPECT_EQ(dry.remindersRecorded, 3u);
    EXPECT_EQ(dry.digests, 2u);
    EXPECT_EQ(seen, 2);
    EXPECT_TRUE(store.state().reminders.empty());

    const auto first = d::sweepReminders(*s, ids, settings, zone, monday8, true);
    EXPECT_EQ(first.remindersRecorded, 3u);
    EXPECT_EQ(first.digests, 2u);
    EXPECT_EQ(store.state().outbox.size(), 2u);
    const auto again = d::sweepReminders(*s, ids, settings, zone, monday8 + 5min, true);
    EXPECT_EQ(again.remindersDue, 3u);
    EXPECT_EQ(again.remindersRecorded, 0u);
    EXPECT_EQ(store.state().outbox.size(), 2u);
    EXPECT_EQ(d::sweepReminders(*s, ids, settings, zone, monday8, false).remindersRecorded, 0u);
}

TEST_F(ReminderService, DeliveryRetriesWithBackOffThenSendsOnceAndParksNoAddress) {
    auto s = store.openSession();
    d::sweepReminders(*s, ids, settings, zone, monday8, true);
    ScriptedTransport transport(2);
    d::DeliveryPolicy policy;
    auto r = d::deliverOutbox(*s, transport, policy, monday8);
    EXPECT_EQ(r.retrying, 1);
    EXPECT_EQ(r.failed, 1);  // the Records Officer has no address: parked at once
    r = d::deliverOutbox(*s, transport, policy, monday8 + 30s);
    EXPECT_EQ(r.sent + r.retrying + r.failed, 0);  // back-off: not yet
    r = d::deliverOutbox(*s, transport, policy, monday8 + 60s);
    EXPECT_EQ(r.retrying, 1);
    r = d::deliverOutbox(*s, transport, policy, monday8 + 60s + 119s);
    EXPECT_EQ(r.sent + r.retrying, 0);
    r = d::deliverOutbox(*s, transport, policy, monday8 + 60s + 120s);
    EXPECT_EQ(r.sent, 1);
    ASSERT_EQ(transport.sent.size(), 1u);
    EXPECT_EQ(transport.sent[0].recipientEmail, "finance@example.org");
    EXPECT_EQ(transport.sent[0].attempts, 2);  // the claimed copy, before this attempt was counted
    EXPECT_EQ(d::deliverOutbox(*s, transport, policy, monday8 + 1h).sent, 0);
    const auto failed = s->reminders().listMessages(d::OutboxStatus::kFailed, 10);
    ASSERT_EQ(failed.size(), 1u);
    EXPECT_EQ(failed[0].lastError, "the recipient has no e-mail address");
    EXPECT_EQ(d::retryDelay(policy, 1), 60s);
    EXPECT_EQ(d::retryDelay(policy, 3), 240s);
    EXPECT_EQ(d::retryDelay(policy, 30), std::chrono::seconds{std::chrono::hours{6}});
}

TEST_F(ReminderService, InboxListsAndMarksRead) {
    auto s = store.openSession();
    d::sweepReminders(*s, ids, settings, zone, monday8, true);
    auto inbox = d::listNotifications(*s, "owner", true);
    ASSERT_EQ(inbox.size(), 2u);
    EXPECT_EQ(inbox[0].rule, "on_due");
    EXPECT_EQ(inbox[0].title.rfind("Budgets: Action a", 0), 0u) << inbox[0].title;
    EXPECT_TRUE(d::markNotificationRead(*s, "owner", inbox[0].id, monday8 + 1h));
    EXPECT_FALSE(d::markNotificationRead(*s, "owner", inbox[0].id, monday8 + 2h));
    EXPECT_EQ(d::listNotifications(*s, "owner", true).size(), 1u);
    EXPECT_EQ(d::listNotifications(*s, "owner", false).size(), 2u);
    EXPECT_THROW(d::markNotificationRead(*s, "quiet", inbox[1].id, monday8), d::NotFoundError);
    EXPECT_THROW(d::listNotifications(*s, "nobody", false), d::NotFoundError);
}

TEST_F(ReminderService, CalendarFeedEscapesFoldsAndKeepsUids) {
    auto s = store.openSession();
    class Hex final : public d::Hasher {
    public:
        std::string sha256Hex(std::string_view v) override { return "h:" + std::string(v); }
    } hasher;
    const std::string token = d::issueFeedToken(*s, hasher, "owner", std::string(32, '\x2a'), monday8, false);
    std::string expected;
    for (int i = 0; i < 32; ++i) expected += "2a";
    EXPECT_EQ(token, expected);
    const auto feed = d::calendarForToken(*s, hasher, token, monday8, "https://govtrack.example.org/");
    ASSERT_TRUE(feed);
    EXPECT_NE(feed->find("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"), std::string::npos);
    EXPECT_NE(feed->find("UID:a1@govtrack\r\n"), std::string::npos);
    EXPECT_NE(feed->find("DTSTART;VALUE=DATE:20260330\r\nDTEND;VALUE=DATE:20260331\r\n"), std::string::npos);
    EXPECT_NE(feed->find("SUMMARY:IA-1/1.1 Budgets: Action a1\r\n"), std::string::npos) << *feed;
    EXPECT_EQ(feed->find("a3@govtrack"), std::string::npos);  // not theirs
    for (std::size_t pos = 0, next; (next = feed->find("\r\n", pos)) != std::string::npos; pos = next + 2) {
        EXPECT_LE(next - pos, 75u);
    }
    EXPECT_FALSE(d::calendarForToken(*s, hasher, std::string(64, '0'), monday8, "x"));
    s->reminders().revokeFeedTokens("owner", "2026-03-30T09:00:00Z");
    EXPECT_FALSE(d::calendarForToken(*s, hasher, token, monday8, "x"));

    const auto folded = d::renderPersonalCalendar(s->loadActionPlan({}), "nobody", monday8, "x");
    EXPECT_EQ(folded.find("BEGIN:VEVENT"), std::string::npos);
}

// ---- chase: "send reminder now" (issue 8 item 3) ----

namespace {

class Chase : public ReminderService {
protected:
    Chase() {
        auto s = store.openSession();
        d::Person manager;
        manager.id = "manager";
        manager.roleTitle = "Director of Finance";
        manager.email = "director@example.org";
        s->people().save(manager);
        d::Person gone;
        gone.id = "gone";
        gone.roleTitle = "Former Budget Lead";
        gone.active = false;
        gone.lineManagerId = "manager";
        s->people().save(gone);
        d::Person co;
        co.id = "co";
        co.roleTitle = "Budget Analyst";
        co.email = "analyst@example.org";
        s->people().save(co);
        auto a1 = *s->actions().findById("a1");
        a1.coOwnerIds = {"co", "gone"};  // two co-owners: one active, one inactive (line manager instead)
        a1.status = d::ActionStatus::kInProgress;
        s->actions().save(a1);
        auto a2 = *s->actions().findById("a2");
        a2.status = d::ActionStatus::kImplemented;  // awaiting verification: not chased
        s->actions().save(a2);
    }

    d::ChaseResult chase(std::vector<d::Id> ids_, bool record, std::chrono::sys_seconds at, std::string note = {}) {
        auto s = store.openSession();
        d::FixedClock clock(d::Date{std::chrono::floor<std::chrono::days>(at)}, at);
        d::AuditTrail audit(s->events(), clock, hasher);
        d::ChaseRequest request{std::move(ids_), std::move(note), record, ""};
        return d::chaseActions(*s, audit, ids, officer, request, clock.today(), at, "https://govtrack.example.org/");
    }

    govtrack::testing::FakeHasher hasher;
    const d::Actor officer{std::optional<d::Id>("officer"), "Governance Officer", {d::Role::kSecretariat}};
    // Friday 27 March 2026, 15:00: a1 is due on Monday, so not overdue.
    const std::chrono::sys_seconds friday = std::chrono::sys_days{day(2026, 3, 27)} + 15h;
};

}  // namespace

TEST_F(Chase, RecordsOneReminderPerOwnerAndOneMessagePerPersonWithTheNoteAndAnAuditEvent) {
    const auto result = chase({"a1", "a2", "a3"}, true, friday, "Committee on Thursday.\nPlease update.");
    EXPECT_TRUE(result.recorded);
    EXPECT_EQ(result.day, day(2026, 3, 27));
    ASSERT_EQ(result.actions.size(), 3u);
    EXPECT_EQ(result.actions[0].reference, "IA-1/1.1");
    EXPECT_EQ(result.actions[0].outcome, d::ChaseOutcome::kChased);
    ASSERT_EQ(result.actions[0].recipients.size(), 3u);
    EXPECT_EQ(result.actions[0].recipients[0].roleTitle, "Head of Finance");
    EXPECT_EQ(result.actions[0].recipients[0].as, "owner");
    EXPECT_EQ(result.actions[0].recipients[1].roleTitle, "Budget Analyst");
    EXPECT_EQ(result.actions[0].recipients[2].roleTitle, "Director of Finance");  // for the inactive co-owner
    EXPECT_EQ(result.actions[0].recipients[2].as, "line_manager");
    EXPECT_EQ(result.actions[1].outcome, d::ChaseOutcome::kSkipped);
    EXPECT_EQ(result.actions[1].reason, "implemented: only not started and in progress actions are chased");
    EXPECT_TRUE(result.actions[1].recipients.empty());
    EXPECT_EQ(result.actions[2].outcome, d::ChaseOutcome::kChased);  // the Records Officer, no e-mail
    EXPECT_EQ(result.count(d::ChaseOutcome::kChased), 2);
    EXPECT_EQ(result.count(d::ChaseOutcome::kSkipped), 1);
    EXPECT_EQ(result.reminders, 4u);
    EXPECT_EQ(result.digests, 4u);
    ASSERT_EQ(result.recipients.size(), 4u);  // by role title
    EXPECT_EQ(result.recipients[0].roleTitle, "Budget Analyst");
    EXPECT_EQ(result.recipients[3].roleTitle, "Records Officer");
    EXPECT_FALSE(result.recipients[3].hasEmail);
    EXPECT_EQ(result.recipients[3].actions, 1);

    const auto& st = store.state();
    ASSERT_EQ(st.reminders.size(), 4u);
    for (const auto& r : st.reminders) {
        EXPECT_EQ(r.rule, "chase");
        EXPECT_EQ(r.occurrence, day(2026, 3, 27));
        EXPECT_EQ(r.sendDay, day(2026, 3, 27));
        EXPECT_EQ(r.dueDate, day(2026, 3, 30));
        EXPECT_EQ(r.createdAt, "2026-03-27T15:00:00Z");
    }
    const auto manager = std::find_if(st.reminders.begin(), st.reminders.end(),
                                      [](const d::StoredReminder& r) { return r.recipientId == "manager"; });
    ASSERT_NE(manager, st.reminders.end());
    EXPECT_TRUE(manager->ownerInactive);
    ASSERT_EQ(st.outbox.size(), 4u);
    const auto head = std::find_if(st.outbox.begin(), st.outbox.end(),
                                   [](const d::OutboxMessage& m) { return m.recipientId == "owner"; });
    ASSERT_NE(head, st.outbox.end());
    EXPECT_EQ(head->recipientEmail, "finance@example.org");
    EXPECT_EQ(head->subject, "govtrack: Governance Officer asks for an update on 1 action (27/03/2026)");
    EXPECT_EQ(head->status, d::OutboxStatus::kPending);
    EXPECT_EQ(head->nextAttemptAt, "2026-03-27T15:00:00Z");  // due for delivery at once
    EXPECT_NE(head->textBody.find("Governance Officer asks you to update these actions now."), std::string::npos);
    EXPECT_NE(head->textBody.find("Note from Governance Officer:\nCommittee on Thursday.\nPlease update.\n"),
              std::string::npos)
        << head->textBody;
    EXPECT_NE(head->textBody.find("\nOpen\n- IA-1/1.1 Budgets: Action a1\n  due Mon 30/03/2026, due in 3 days"),
              std::string::npos)
        << head->textBody;
    EXPECT_NE(head->textBody.find("https://govtrack.example.org/#/actions/a1"), std::string::npos);
    EXPECT_NE(head->htmlBody.find("Committee on Thursday."), std::string::npos);

    // One audit event per chased action (not for the skipped one), naming the recipients and the note.
    std::vector<d::AuditEvent> chases;
    for (const auto& e : st.events)
        if (e.change == "chase") chases.push_back(e);
    ASSERT_EQ(chases.size(), 2u);
    EXPECT_EQ(chases[0].entityType, "reminder");
    EXPECT_EQ(chases[0].entityId, "a1");
    EXPECT_EQ(chases[0].actorName, "Governance Officer");
    EXPECT_EQ(chases[0].reason,
              "reminder sent now to Head of Finance, Budget Analyst, Director of Finance (line_manager); note: "
              "Committee on Thursday.\nPlease update.");

    // Each person's in-app inbox shows it.
    const auto inbox = d::listNotifications(*store.openSession(), "co", true);
    ASSERT_EQ(inbox.size(), 1u);
    EXPECT_EQ(inbox[0].rule, "chase");
    EXPECT_EQ(inbox[0].itemId, "a1");
}

TEST_F(Chase, TheSameDayAgainSendsNothingTwiceAndTheNextDayChasesAgain) {
    chase({"a1"}, true, friday);
    const auto outbox = store.state().outbox.size();
    const auto events = store.state().events.size();

    const auto dry = chase({"a1", "a3"}, false, friday + 1h);
    EXPECT_EQ(dry.actions[0].outcome, d::ChaseOutcome::kAlreadyChased);
    EXPECT_EQ(dry.actions[0].recipients.size(), 3u);  // who had it today
    EXPECT_EQ(dry.actions[1].outcome, d::ChaseOutcome::kChased);
    EXPECT_EQ(dry.reminders, 1u);

    const auto again = chase({"a1", "a3"}, true, friday + 1h);
    EXPECT_EQ(again.actions[0].outcome, d::ChaseOutcome::kAlreadyChased);
    EXPECT_EQ(again.count(d::ChaseOutcome::kChased), 1);
    EXPECT_EQ(again.reminders, 1u);
    EXPECT_EQ(again.digests, 1u);
    EXPECT_EQ(store.state().outbox.size(), outbox + 1);
    EXPECT_EQ(store.state().events.size(), events + 1);  // only a3's chase

    const auto monday = chase({"a1"}, true, friday + 72h);
    EXPECT_EQ(monday.actions[0].outcome, d::ChaseOutcome::kChased);
    EXPECT_EQ(monday.reminders, 3u);
}

TEST_F(Chase, ADryRunWritesNothingAndForetellsTheRealRun) {
    const auto before = store.state().events.size();
    const auto dry = chase({"a1", "a2", "a3"}, false, friday, "note");
    EXPECT_FALSE(dry.recorded);
    EXPECT_TRUE(store.state().reminders.empty());
    EXPECT_TRUE(store.state().outbox.empty());
    EXPECT_EQ(store.state().events.size(), before);
    const auto real = chase({"a1", "a2", "a3"}, true, friday, "note");
    EXPECT_EQ(dry.reminders, real.reminders);
    EXPECT_EQ(dry.digests, real.digests);
    ASSERT_EQ(dry.actions.size(), real.actions.size());
    for (std::size_t i = 0; i < dry.actions.size(); ++i) {
        EXPECT_EQ(dry.actions[i].outcome, real.actions[i].outcome);
        EXPECT_EQ(dry.actions[i].recipients.size(), real.actions[i].recipients.size());
    }
}

TEST_F(Chase, OverdueActionsAreListedAsOverdueAndNobodyToSendToIsASkip) {
    {
        auto s = store.openSession();
        auto a3 = *s->actions().findById("a3");
        a3.leadOwnerId = "gone";  // inactive
        s->actions().save(a3);
        auto manager = *s->people().findById("manager");
        manager.active = false;  // and their line manager too
        s->people().save(manager);
    }
    const auto later = std::chrono::sys_days{day(2026, 4, 9)} + 9h;  // a1 10 days overdue
    const auto result = chase({"a1", "a3"}, true, later);
    EXPECT_EQ(result.actions[1].outcome, d::ChaseOutcome::kSkipped);
    EXPECT_EQ(result.actions[1].reason, "no active owner or line manager to send it to");
    ASSERT_EQ(result.actions[0].recipients.size(), 2u);  // the inactive co-owner's manager is inactive too
    const auto m = store.state().outbox.front();
    EXPECT_EQ(m.subject, "govtrack: Governance Officer asks for an update on 1 action (1 overdue) (09/04/2026)");
    EXPECT_NE(m.textBody.find("\nOverdue\n- IA-1/1.1 Budgets: Action a1\n  due Mon 30/03/2026, 10 days overdue"),
              std::string::npos)
        << m.textBody;
}

TEST_F(Chase, BadRequestsAreRefusedAndWriteNothing) {
    auto refused = [&](std::vector<d::Id> list, std::string note) {
        const auto events = store.state().events.size();
        try {
            chase(std::move(list), true, friday, std::move(note));
            ADD_FAILURE() << "not refused";
        } catch (const d::Error& e) {
            EXPECT_TRUE(store.state().reminders.empty());
            EXPECT_TRUE(store.state().outbox.empty());
            EXPECT_EQ(store.state().events.size(), events);
            return std::string(e.what());
        }
        return std::string();
    };
    EXPECT_EQ(refused({"a1", "a1"}, ""), "action id 'a1' is given twice");
    EXPECT_EQ(refused({"a1", "nope"}, ""), "No action has the id 'nope'.");  // a1 first: rolled back
    EXPECT_EQ(refused({"a1"}, std::string(1001, 'x')), "note is longer than 1000 bytes");
    EXPECT_EQ(refused({"a1"}, std::string("bell\x07")), "note contains the control character U+0007");
    EXPECT_EQ(refused({"a1"}, std::string("\xff")).rfind("note is not valid UTF-8", 0), 0u);
    std::vector<d::Id> many(1001);
    for (std::size_t i = 0; i < many.size(); ++i) many[i] = "x" + std::to_string(i);
    EXPECT_EQ(refused(many, ""), "a chase covers at most 1000 actions, got 1001; narrow the filters");
}

TEST(ActionPageUrl, PointsAtTheWebUisRouteWhateverTheTrailingSlashes) {
    EXPECT_EQ(d::actionPageUrl("https://govtrack.example.org", "a1"), "https://govtrack.example.org/#/actions/a1");
    EXPECT_EQ(d::actionPageUrl("https://govtrack.example.org//", "a1"), "https://govtrack.example.org/#/actions/a1");
    EXPECT_EQ(d::actionPageUrl("http://127.0.0.1:8080/govtrack/", "b2"), "http://127.0.0.1:8080/govtrack/#/actions/b2");
}
