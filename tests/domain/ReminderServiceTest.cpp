// Sweeps, delivery and the in-app inbox (domain/ReminderService.h, SPEC 4.6) on the in-memory store with a
// fixed instant, a UTC zone and a scripted mail transport.
#include <stdexcept>

#include <gtest/gtest.h>

#include "govtrack/domain/AuditTrail.h"
#include "govtrack/domain/Error.h"
#include "govtrack/domain/ICalendar.h"
#include "govtrack/domain/ReminderService.h"

#include "CountingIds.h"
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
