// The reminder ledger, outbox and feed tokens (domain/Outbox.h, SPEC 4.6) on every backend: an identity is
// recorded once even when two stores (two connections, as two instances would have) race, and a message is
// claimed by one worker only.
#include <atomic>
#include <set>
#include <thread>

#include "govtrack/domain/Error.h"
#include "govtrack/domain/Outbox.h"

#include "Backends.h"

namespace govtrack::test {
namespace {

namespace d = govtrack::domain;

d::Date day(int y, unsigned m, unsigned dd) {
    return d::Date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{dd}};
}

d::StoredReminder reminder(const std::string& id, const std::string& recipient, const std::string& item,
                           const std::string& rule = "on_due") {
    d::StoredReminder r;
    r.id = id;
    r.recipientId = recipient;
    r.itemId = item;
    r.rule = rule;
    r.occurrence = day(2026, 3, 30);
    r.messageId = "m-" + recipient;
    r.sendDay = day(2026, 3, 30);
    r.reference = "IA-1/1.1";
    r.title = "Title: action";
    r.dueDate = day(2026, 3, 30);
    r.as = "owner";
    r.createdAt = "2026-03-30T07:00:00Z";
    return r;
}

d::OutboxMessage message(const std::string& id, const std::string& created = "2026-03-30T07:00:00Z") {
    d::OutboxMessage m;
    m.id = id;
    m.recipientId = "p1";
    m.recipientEmail = "owner@example.org";
    m.digestDay = day(2026, 3, 30);
    m.subject = "govtrack: 1 due soon";
    m.textBody = "text \xE2\x80\x94 body";
    m.htmlBody = "<p>html</p>";
    m.nextAttemptAt = created;
    m.createdAt = created;
    return m;
}

class ReminderContract : public StoreContract {};

TEST_P(ReminderContract, RecordsEachIdentityOnce) {
    s->transaction([&] {
        EXPECT_TRUE(s->reminders().record(reminder("r1", "p1", "a1")));
        EXPECT_FALSE(s->reminders().record(reminder("r2", "p1", "a1")));  // same identity, other id
        EXPECT_TRUE(s->reminders().record(reminder("r3", "p1", "a1", "before_due_1")));
        EXPECT_TRUE(s->reminders().record(reminder("r4", "p2", "a1")));
    });
    EXPECT_TRUE(s->reminders().isRecorded({"p1", "a1", "on_due", day(2026, 3, 30)}));
    EXPECT_TRUE(s->reminders().isRecorded({"p2", "a1", "on_due", day(2026, 3, 30)}));
    EXPECT_FALSE(s->reminders().isRecorded({"p2", "a1", "before_due_1", day(2026, 3, 30)}));  // other rule
    EXPECT_FALSE(s->reminders().isRecorded({"p1", "a1", "on_due", day(2026, 3, 31)}));        // other day
    EXPECT_FALSE(s->reminders().isRecorded({"p3", "a1", "on_due", day(2026, 3, 30)}));        // other person
    EXPECT_FALSE(s->reminders().isRecorded({"p1", "a2", "on_due", day(2026, 3, 30)}));        // other item
    const auto inbox = s->reminders().listForRecipient("p1", false, 100);
    ASSERT_EQ(inbox.size(), 2u);
    std::set<std::string> ids{inbox[0].id, inbox[1].id};
    EXPECT_EQ(ids, (std::set<std::string>{"r1", "r3"}));
    const auto stored = s->reminders().listForMessage("m-p1");
    ASSERT_EQ(stored.size(), 2u);
    auto expected = reminder("r1", "p1", "a1");
    EXPECT_EQ(stored[0].id == "r1" ? stored[0] : stored[1], expected);
}

TEST_P(ReminderContract, ReadAndUnreadInbox) {
    s->transaction([&] {
        s->reminders().record(reminder("r1", "p1", "a1"));
        s->reminders().record(reminder("r2", "p1", "a2"));
    });
    EXPECT_TRUE(s->reminders().markRead("p1", "r1", "2026-03-30T09:00:00Z"));
    EXPECT_FALSE(s->reminders().markRead("p1", "r1", "2026-03-30T09:05:00Z"));  // already read
    EXPECT_FALSE(s->reminders().markRead("p2", "r2", "2026-03-30T09:05:00Z"));  // not theirs
    const auto unread = s->reminders().listForRecipient("p1", true, 100);
    ASSERT_EQ(unread.size(), 1u);
    EXPECT_EQ(unread[0].id, "r2");
    const auto counts = s->reminders().countForRecipient("p1");
    EXPECT_EQ(counts.total, 2);
    EXPECT_EQ(counts.unread, 1);
    EXPECT_EQ(s->reminders().countForRecipient("p2").total, 0);
    EXPECT_EQ(s->reminders().listForRecipient("p1", false, 1).size(), 1u);  // the limit holds
    const auto all = s->reminders().listForRecipient("p1", false, 100);
    ASSERT_EQ(all.size(), 2u);
    for (const auto& r : all) {
        if (r.id == "r1") {
            EXPECT_EQ(r.readAt, std::optional<std::string>("2026-03-30T09:00:00Z"));
        }
    }
}

TEST_P(ReminderContract, TwoStoresRacingTheSameSweepRecordEachIdentityOnce) {
    auto other = backend->open();
    std::atomic<int> recorded{0};
    auto sweep = [&](d::Store& store, const std::string& tag) {
        auto session = store.openSession();
        for (int attempt = 0; attempt < 20; ++attempt) {
            try {
                int mine = 0;
                session->transaction([&] {
                    mine = 0;
                    for (int i = 0; i < 40; ++i) {
                        const std::string n = std::to_string(i);
                        if (session->reminders().record(reminder(tag + n, "p" + std::to_string(i % 5), "a" + n)))
                            ++mine;
                    }
                });
                recorded += mine;
                return;
            } catch (const d::UnavailableError&) {  // busy beyond the timeout: a real sweep runs again later
            }
        }
    };
    std::thread a([&] { sweep(*store, "x"); });
    std::thread b([&] { sweep(*other, "y"); });
    a.join();
    b.join();
    EXPECT_EQ(recorded.load(), 40);
    int stored = 0;
    for (int p = 0; p < 5; ++p)
        stored += static_cast<int>(s->reminders().listForRecipient("p" + std::to_string(p), false, 1000).size());
    EXPECT_EQ(stored, 40);
}

TEST_P(ReminderContract, OutboxClaimIsExclusiveAndDeliveryIsStored) {
    s->transaction([&] {
        for (int i = 0; i < 12; ++i) s->reminders().addMessage(message("m" + std::to_string(10 + i)));
    });
    EXPECT_EQ(s->reminders().findMessage("m10"), message("m10"));
    auto other = backend->open();
    std::vector<d::OutboxMessage> first, second;
    auto claim = [](d::Store& store, std::vector<d::OutboxMessage>& out) {
        auto session = store.openSession();
        for (int attempt = 0; attempt < 20 && out.empty(); ++attempt) {
            try {
                session->transaction(
                    [&] { out = session->reminders().claimDue("2026-03-30T07:00:00Z", "2026-03-30T07:10:00Z", 100); });
                return;
            } catch (const d::UnavailableError&) {
            }
        }
    };
    std::thread a([&] { claim(*store, first); });
    std::thread b([&] { claim(*other, second); });
    a.join();
    b.join();
    std::set<std::string> ids;
    for (const auto& m : first) ids.insert(m.id);
    for (const auto& m : second) EXPECT_TRUE(ids.insert(m.id).second) << m.id << " claimed twice";
    EXPECT_EQ(ids.size(), 12u);
    for (const auto& m : first) EXPECT_EQ(m.status, d::OutboxStatus::kSending);

    // Nothing is due while the lease runs; after it ends an unfinished claim is due again.
    s->transaction([&] { EXPECT_TRUE(s->reminders().claimDue("2026-03-30T07:05:00Z", "x", 100).empty()); });
    auto m = *s->reminders().findMessage("m10");
    m.status = d::OutboxStatus::kSent;
    m.attempts = 1;
    m.sentAt = "2026-03-30T07:01:00Z";
    s->transaction([&] { s->reminders().saveDelivery(m); });
    EXPECT_EQ(s->reminders().findMessage("m10"), m);
    auto f = *s->reminders().findMessage("m11");
    f.status = d::OutboxStatus::kFailed;
    f.attempts = 6;
    f.lastError = "SMTP 127.0.0.1:1: Connection refused";
    s->transaction([&] { s->reminders().saveDelivery(f); });
    const auto counts = s->reminders().countMessages();
    EXPECT_EQ(counts.at("sent"), 1);
    EXPECT_EQ(counts.at("failed"), 1);
    EXPECT_EQ(counts.at("sending"), 10);
    const auto failed = s->reminders().listMessages(d::OutboxStatus::kFailed, 10);
    ASSERT_EQ(failed.size(), 1u);
    EXPECT_EQ(failed[0].lastError, "SMTP 127.0.0.1:1: Connection refused");
    std::vector<d::OutboxMessage> reclaimed;
    s->transaction([&] { reclaimed = s->reminders().claimDue("2026-03-30T07:10:00Z", "2026-03-30T07:20:00Z", 100); });
    EXPECT_EQ(reclaimed.size(), 10u);
}

TEST_P(ReminderContract, FeedTokensResolveUntilRevoked) {
    d::Person p;
    p.id = "p1";
    p.roleTitle = "Head of People";
    s->people().save(p);
    s->transaction([&] {
        s->reminders().addFeedToken({"hash-a", "p1", "2026-03-30T07:00:00Z", std::nullopt});
        s->reminders().addFeedToken({"hash-b", "p1", "2026-03-30T07:00:00Z", std::nullopt});
    });
    EXPECT_EQ(s->reminders().feedTokenOwner("hash-a"), std::optional<d::Id>("p1"));
    EXPECT_EQ(s->reminders().feedTokenOwner("nope"), std::nullopt);
    EXPECT_THROW(s->reminders().addFeedToken({"hash-c", "nobody", "2026-03-30T07:00:00Z", std::nullopt}),
                 d::ConflictError);
    int revoked = 0;
    s->transaction([&] { revoked = s->reminders().revokeFeedTokens("p1", "2026-03-31T07:00:00Z"); });
    EXPECT_EQ(revoked, 2);
    EXPECT_EQ(s->reminders().feedTokenOwner("hash-a"), std::nullopt);
}

GOVTRACK_ON_EVERY_BACKEND(ReminderContract);

}  // namespace
}  // namespace govtrack::test
