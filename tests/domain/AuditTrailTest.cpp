#include <cstdio>
#include <functional>

#include <gtest/gtest.h>

#include "govtrack/domain/AuditCodec.h"
#include "govtrack/domain/AuditTrail.h"

#include "FakeHasher.h"
#include "MemoryEvents.h"

namespace d = govtrack::domain;
using govtrack::testing::MemoryEventRepository;

namespace {

using FakeHasher = govtrack::testing::FakeHasher;

d::Date day(int y, unsigned m, unsigned dd) {
    return d::Date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{dd}};
}

class AuditTrailTest : public ::testing::Test {
protected:
    /// Seven events: an action created and changed, a progress update, a group.
    void appendSeven() {
        d::AuditTrail trail(events_, clock_, hasher_);
        const auto actor = d::Actor::system("import plan.csv");
        d::Action a;
        a.id = "a-1";
        a.leadOwnerId = "p-1";
        trail.recordAction(actor, "create", std::nullopt, a);
        for (int i = 0; i < 4; ++i) {
            d::Action before = a;
            a.description = "step " + std::to_string(i);
            trail.recordAction(actor, "update", before, a, "reason " + std::to_string(i));
        }
        trail.recordProgressUpdate(actor, d::ProgressUpdate{"u-1", "a-1", day(2025, 6, 1), std::nullopt, "ok", 10});
        d::GovernanceGroup g;
        g.id = "g-1";
        g.name = "Executive Team";
        trail.recordGroup(d::Actor{std::string("p-1"), "Head of Performance", {}}, "create", std::nullopt, g);
    }

    MemoryEventRepository events_;
    d::FixedClock clock_{day(2025, 6, 30),
                         std::chrono::sys_days{day(2025, 6, 30)} + std::chrono::hours{8} + std::chrono::minutes{15}};
    FakeHasher hasher_;
};

}  // namespace

TEST(AuditTrailFormat, FormatsUtcInstants) {
    EXPECT_EQ(d::formatUtc(std::chrono::sys_days{day(2025, 6, 30)} + std::chrono::hours{8} + std::chrono::minutes{15} +
                           std::chrono::seconds{7}),
              "2025-06-30T08:15:07Z");
    EXPECT_EQ(d::formatUtc(std::chrono::sys_days{day(1999, 12, 31)} + std::chrono::hours{23} +
                           std::chrono::minutes{59} + std::chrono::seconds{59}),
              "1999-12-31T23:59:59Z");
}

TEST_F(AuditTrailTest, RecordChainsEventsFromTheHead) {
    appendSeven();
    ASSERT_EQ(events_.rows.size(), 7u);
    const auto& first = events_.rows[0];
    EXPECT_EQ(first.seq, 1);
    EXPECT_EQ(first.prevHash, "");
    EXPECT_EQ(first.at, "2025-06-30T08:15:00Z");
    EXPECT_EQ(first.actorId, std::nullopt);
    EXPECT_EQ(first.actorName, "import plan.csv");
    EXPECT_EQ(first.entityType, "action");
    EXPECT_EQ(first.entityId, "a-1");
    EXPECT_EQ(first.before, "");
    EXPECT_EQ(d::decodeAction(first.after).leadOwnerId, std::optional<std::string>("p-1"));
    for (std::size_t i = 1; i < events_.rows.size(); ++i) {
        EXPECT_EQ(events_.rows[i].seq, static_cast<std::int64_t>(i + 1));
        EXPECT_EQ(events_.rows[i].prevHash, events_.rows[i - 1].hash);
        EXPECT_EQ(
            events_.rows[i].hash,
            hasher_.sha256Hex(events_.rows[i].prevHash + "\n" +
                              d::canonicalEventText(events_.rows[i]).substr(events_.rows[i].prevHash.size() + 1)));
    }
    EXPECT_EQ(d::decodeAction(events_.rows[2].before).description, "step 0");
    EXPECT_EQ(events_.rows[2].reason, "reason 1");
    EXPECT_EQ(events_.rows[6].actorId, std::optional<std::string>("p-1"));
    EXPECT_EQ(events_.rows[6].entityType, "group");
}

TEST_F(AuditTrailTest, IntactChainVerifies) {
    appendSeven();
    const auto check = d::verifyChain(events_, hasher_);
    EXPECT_EQ(check.events, 7);
    EXPECT_EQ(check.firstBroken, std::nullopt);
    EXPECT_EQ(check.problem, "");
    MemoryEventRepository empty;
    EXPECT_EQ(d::verifyChain(empty, hasher_).events, 0);
    EXPECT_EQ(d::verifyChain(empty, hasher_).firstBroken, std::nullopt);
}

TEST_F(AuditTrailTest, AlteredEventIsNamed) {
    appendSeven();
    d::Action forged;
    forged.id = "a-1";
    forged.description = "forged";
    events_.rows[3].after = d::encode(forged);
    const auto check = d::verifyChain(events_, hasher_);
    EXPECT_EQ(check.firstBroken, std::optional<std::int64_t>(4));
    EXPECT_NE(check.problem.find("hash does not match"), std::string::npos) << check.problem;
    EXPECT_EQ(check.events, 3);
}

TEST_F(AuditTrailTest, EveryFieldIsCovered) {
    appendSeven();
    const std::vector<std::function<void(d::AuditEvent&)>> edits = {
        [](d::AuditEvent& e) { e.at = "2025-06-30T08:15:01Z"; },
        [](d::AuditEvent& e) { e.actorId = "p-2"; },
        [](d::AuditEvent& e) { e.actorName = "Chief Data Officer"; },
        [](d::AuditEvent& e) { e.entityType = "recommendation"; },
        [](d::AuditEvent& e) { e.entityId = "a-2"; },
        [](d::AuditEvent& e) { e.change = "transition"; },
        [](d::AuditEvent& e) { e.before += "x"; },
        [](d::AuditEvent& e) { e.reason = ""; },
        [](d::AuditEvent& e) { e.prevHash = ""; },
        [](d::AuditEvent& e) { e.hash = std::string(16, '0'); },
    };
    for (std::size_t i = 0; i < edits.size(); ++i) {
        MemoryEventRepository copy = events_;
        edits[i](copy.rows[2]);
        EXPECT_EQ(d::verifyChain(copy, hasher_).firstBroken, std::optional<std::int64_t>(3)) << "edit " << i;
    }
}

TEST_F(AuditTrailTest, AlteredAndRehashedEventBreaksTheNextLink) {
    appendSeven();
    events_.rows[3].reason = "rewritten";
    events_.rows[3].hash = d::computeEventHash(events_.rows[3], hasher_);
    const auto check = d::verifyChain(events_, hasher_);
    EXPECT_EQ(check.firstBroken, std::optional<std::int64_t>(5));
    EXPECT_NE(check.problem.find("prev_hash"), std::string::npos) << check.problem;
}

TEST_F(AuditTrailTest, DeletedEventIsNamed) {
    appendSeven();
    events_.rows.erase(events_.rows.begin() + 4);  // seq 5
    const auto check = d::verifyChain(events_, hasher_);
    EXPECT_EQ(check.firstBroken, std::optional<std::int64_t>(5));
    EXPECT_NE(check.problem.find("event 5 is missing"), std::string::npos) << check.problem;
}

TEST_F(AuditTrailTest, DeletedAndRenumberedEventBreaksTheLink) {
    appendSeven();
    events_.rows.erase(events_.rows.begin() + 4);
    for (std::size_t i = 4; i < events_.rows.size(); ++i) {
        events_.rows[i].seq -= 1;
        events_.rows[i].hash = d::computeEventHash(events_.rows[i], hasher_);
    }
    const auto check = d::verifyChain(events_, hasher_);
    EXPECT_EQ(check.firstBroken, std::optional<std::int64_t>(5));
    EXPECT_NE(check.problem.find("prev_hash"), std::string::npos) << check.problem;
}

TEST_F(AuditTrailTest, ReorderedEventsAreNamed) {
    appendSeven();
    // Swap the contents of seq 3 and 6, keeping each row's seq (as an UPDATE of the table would).
    std::swap(events_.rows[2], events_.rows[5]);
    std::swap(events_.rows[2].seq, events_.rows[5].seq);
    const auto check = d::verifyChain(events_, hasher_);
    EXPECT_EQ(check.firstBroken, std::optional<std::int64_t>(3));
}

TEST_F(AuditTrailTest, FirstEventAlteredOrDeletedIsNamed) {
    appendSeven();
    MemoryEventRepository altered = events_;
    altered.rows[0].actorName = "someone else";
    EXPECT_EQ(d::verifyChain(altered, hasher_).firstBroken, std::optional<std::int64_t>(1));
    MemoryEventRepository deleted = events_;
    deleted.rows.erase(deleted.rows.begin());
    const auto check = d::verifyChain(deleted, hasher_);
    EXPECT_EQ(check.firstBroken, std::optional<std::int64_t>(1));
    EXPECT_NE(check.problem.find("event 1 is missing"), std::string::npos) << check.problem;
}

TEST_F(AuditTrailTest, VerifiesAcrossPages) {
    d::AuditTrail trail(events_, clock_, hasher_);
    for (int i = 0; i < 12001; ++i) {
        trail.record(d::Actor::system("bulk"), "unit", "u-" + std::to_string(i), "create", {}, "id=x\n", {});
    }
    EXPECT_EQ(d::verifyChain(events_, hasher_).events, 12001);
    events_.rows.erase(events_.rows.begin() + 10000);  // seq 10001: the first of the third page
    EXPECT_EQ(d::verifyChain(events_, hasher_).firstBroken, std::optional<std::int64_t>(10001));
}
