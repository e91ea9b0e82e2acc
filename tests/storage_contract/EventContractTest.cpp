// The audit trail's storage contract (domain/AuditTrail.h, SPEC 4.8) on SQLite and on MariaDB: events
// round-trip exactly, appends are serialised across sessions, latestBefore answers as-of reads, and an
// event commits or rolls back with the change it records.
#include <atomic>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "govtrack/domain/AuditCodec.h"
#include "govtrack/domain/AuditTrail.h"
#include "govtrack/domain/Error.h"
#include "govtrack/platform/Sha256Hasher.h"

#include "Backends.h"

namespace d = govtrack::domain;
using govtrack::test::StoreContract;

namespace {

d::Date ymd(int y, unsigned m, unsigned day) {
    return d::Date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{day}};
}

d::FixedClock clockAt(int y, unsigned m, unsigned day, int hour) {
    return d::FixedClock(ymd(y, m, day), std::chrono::sys_days{ymd(y, m, day)} + std::chrono::hours{hour});
}

class EventContract : public StoreContract {
protected:
    d::AuditEvent record(const d::Clock& clock, const std::string& type, const std::string& id,
                         const std::string& after) {
        d::AuditEvent out;
        s->transaction([&] {
            d::AuditTrail trail(s->events(), clock, hasher);
            out = trail.record(d::Actor::system("test"), type, id, "update", "", after, "");
        });
        return out;
    }
    govtrack::platform::Sha256Hasher hasher;
};

}  // namespace

TEST_P(EventContract, EmptyTrail) {
    s->transaction([&] { EXPECT_EQ(s->events().lockHead(), std::nullopt); });
    EXPECT_EQ(s->events().count(), 0);
    EXPECT_TRUE(s->events().list(1, 10).empty());
    EXPECT_TRUE(s->events().latestBefore("2100-01-01T00:00:00Z", {"action"}).empty());
    EXPECT_EQ(d::verifyChain(s->events(), hasher).events, 0);
}

TEST_P(EventContract, EventsRoundTripExactly) {
    const auto clock = clockAt(2025, 6, 30, 8);
    d::Action a;
    a.id = "a-1";
    a.description = "Agree objectives\nfor every role \xF0\x9F\x8E\xAF \\ done";
    a.leadOwnerId = "p-1";
    d::AuditEvent first, second;
    s->transaction([&] {
        d::AuditTrail trail(s->events(), clock, hasher);
        first = trail.recordAction(d::Actor::system("import plan.csv"), "create", std::nullopt, a);
        d::Action b = a;
        b.status = d::ActionStatus::kInProgress;
        second = trail.recordAction(d::Actor{std::string("p-1"), "Head of People & Place \xE2\x80\x94 HR", {}},
                                    "transition", a, b, "work has started\non two sites");
    });
    const auto stored = s->events().list(1, 10);
    ASSERT_EQ(stored.size(), 2u);
    EXPECT_EQ(stored[0], first);
    EXPECT_EQ(stored[1], second);
    EXPECT_EQ(stored[0].actorId, std::nullopt);
    EXPECT_EQ(d::decodeAction(stored[1].before), a);
    EXPECT_EQ(stored[1].prevHash, stored[0].hash);
    EXPECT_EQ(stored[0].hash.size(), 64u);
    EXPECT_EQ(s->events().count(), 2);
    s->transaction([&] { EXPECT_EQ(s->events().lockHead(), std::optional<d::AuditEvent>(second)); });
    EXPECT_EQ(s->events().list(2, 10), std::vector<d::AuditEvent>{second});
    EXPECT_EQ(s->events().list(1, 1), std::vector<d::AuditEvent>{first});
    EXPECT_FALSE(d::verifyChain(s->events(), hasher).firstBroken);
}

TEST_P(EventContract, DuplicateSeqIsAConflict) {
    const auto e = record(clockAt(2025, 1, 1, 9), "unit", "u-1", "id=u-1\n");
    try {
        s->transaction([&] { s->events().append(e); });
        FAIL() << "a second event with seq 1 was accepted";
    } catch (const d::ConflictError& err) {
        EXPECT_NE(std::string(err.what()).find("already exists"), std::string::npos) << err.what();
    }
    EXPECT_EQ(s->events().count(), 1);
}

TEST_P(EventContract, EventRollsBackWithItsTransaction) {
    record(clockAt(2025, 1, 1, 9), "unit", "u-1", "id=u-1\n");
    const auto clock = clockAt(2025, 1, 2, 9);
    EXPECT_THROW(s->transaction([&] {
        d::AuditTrail trail(s->events(), clock, hasher);
        trail.record(d::Actor::system("test"), "unit", "u-2", "create", "", "id=u-2\n", "");
        throw d::ValidationError("refused");
    }),
                 d::ValidationError);
    EXPECT_EQ(s->events().count(), 1);
    const auto next = record(clockAt(2025, 1, 3, 9), "unit", "u-3", "id=u-3\n");
    EXPECT_EQ(next.seq, 2);
}

TEST_P(EventContract, LatestBeforeTakesEachEntitysLastEventBeforeTheCutoff) {
    record(clockAt(2024, 3, 1, 9), "action", "a-1", "id=a-1\nv=1\n");   // 1
    record(clockAt(2024, 3, 1, 10), "action", "a-2", "id=a-2\nv=1\n");  // 2
    record(clockAt(2024, 3, 2, 9), "action", "a-1", "id=a-1\nv=2\n");   // 3
    record(clockAt(2024, 3, 2, 9), "unit", "u-1", "id=u-1\n");          // 4
    record(clockAt(2024, 3, 3, 9), "action", "a-1", "id=a-1\nv=3\n");   // 5
    record(clockAt(2024, 3, 4, 9), "action", "a-3", "id=a-3\nv=1\n");   // 6

    auto at = [&](const std::string& cutoff, std::vector<std::string> types) {
        std::vector<std::int64_t> seqs;
        for (const auto& e : s->events().latestBefore(cutoff, types)) seqs.push_back(e.seq);
        return seqs;
    };
    EXPECT_EQ(at("2024-03-01T09:00:00Z", {"action"}), std::vector<std::int64_t>{});  // strictly before
    EXPECT_EQ(at("2024-03-01T09:00:01Z", {"action"}), std::vector<std::int64_t>{1});
    EXPECT_EQ(at("2024-03-03T00:00:00Z", {"action"}), (std::vector<std::int64_t>{2, 3}));
    EXPECT_EQ(at("2024-03-03T00:00:00Z", {"action", "unit"}), (std::vector<std::int64_t>{2, 3, 4}));
    EXPECT_EQ(at("2030-01-01T00:00:00Z", {"action"}), (std::vector<std::int64_t>{2, 5, 6}));
    EXPECT_EQ(at("2030-01-01T00:00:00Z", {"group"}), std::vector<std::int64_t>{});
    EXPECT_EQ(s->events().latestBefore("2024-03-03T00:00:00Z", {"action"})[1].after, "id=a-1\nv=2\n");
}

TEST_P(EventContract, ScanStatesPassesEveryEventOfTheTypesBeforeTheCutoffInSeqOrder) {
    record(clockAt(2024, 3, 1, 9), "action", "a-1", "id=a-1\nv=1\n");  // 1
    record(clockAt(2024, 3, 1, 10), "unit", "u-1", "id=u-1\n");        // 2
    record(clockAt(2024, 3, 5, 9), "action", "a-2", "id=a-2\nv=1\n");  // 3
    record(clockAt(2024, 3, 2, 9), "action", "a-1", "id=a-1\nv=2\n");  // 4: a clock behind the one before
    record(clockAt(2024, 3, 3, 9), "engagement", "e-1", "id=e-1\n");   // 5
    record(clockAt(2024, 3, 3, 10), "action", "a-1", "");              // 6: a recorded deletion

    auto scan = [&](const std::string& cutoff, std::vector<std::string> types) {
        std::vector<d::EventState> out;
        s->events().scanStates(cutoff, types, [&](const d::EventStateView& e) {
            out.push_back(
                {e.seq, std::string(e.at), std::string(e.entityType), std::string(e.entityId), std::string(e.after)});
        });
        return out;
    };
    auto seqs = [](const std::vector<d::EventState>& states) {
        std::vector<std::int64_t> out;
        for (const auto& e : states) out.push_back(e.seq);
        return out;
    };
    EXPECT_TRUE(scan("2024-03-01T09:00:00Z", {"action"}).empty());  // strictly before
    EXPECT_EQ(seqs(scan("2024-03-03T00:00:00Z", {"action"})), (std::vector<std::int64_t>{1, 4}));
    EXPECT_EQ(seqs(scan("2024-03-04T00:00:00Z", {"action", "engagement"})), (std::vector<std::int64_t>{1, 4, 5, 6}));
    EXPECT_EQ(seqs(scan("2030-01-01T00:00:00Z", {"action", "unit", "engagement"})),
              (std::vector<std::int64_t>{1, 2, 3, 4, 5, 6}));
    EXPECT_TRUE(scan("2030-01-01T00:00:00Z", {"group"}).empty());
    EXPECT_TRUE(scan("2030-01-01T00:00:00Z", {}).empty());
    const auto all = scan("2030-01-01T00:00:00Z", {"action"});
    ASSERT_EQ(all.size(), 4u);
    EXPECT_EQ(all[2], (d::EventState{4, "2024-03-02T09:00:00Z", "action", "a-1", "id=a-1\nv=2\n"}));
    EXPECT_EQ(all[3], (d::EventState{6, "2024-03-03T10:00:00Z", "action", "a-1", ""}));
}

TEST_P(EventContract, ScanStatesReadsLongTrailsInOrder) {
    // More rows than one page of a paging store; every other one of a type that is not asked for.
    constexpr int kEvents = 10002;
    const auto clock = clockAt(2025, 6, 30, 8);
    s->transaction([&] {
        d::AuditTrail trail(s->events(), clock, hasher);
        for (int i = 1; i <= kEvents; ++i) {
            trail.record(d::Actor::system("test"), i % 2 ? "action" : "progress_update", "x-" + std::to_string(i),
                         "create", "", "id=x-" + std::to_string(i) + "\n", "");
        }
    });
    std::int64_t expected = 1;
    int seen = 0;
    s->events().scanStates("2030-01-01T00:00:00Z", {"action"}, [&](const d::EventStateView& e) {
        EXPECT_EQ(e.seq, expected);
        EXPECT_EQ(e.entityId, "x-" + std::to_string(expected));
        expected += 2;
        ++seen;
    });
    EXPECT_EQ(seen, kEvents / 2);
}

TEST_P(EventContract, ConcurrentAppendersKeepOneValidChain) {
    constexpr int kPerWriter = 40;
    std::atomic<int> failures{0};
    auto writer = [&](const std::string& name) {
        try {
            auto session = store->openSession();
            const auto clock = clockAt(2025, 6, 30, 8);
            for (int i = 0; i < kPerWriter; ++i) {
                session->transaction([&] {
                    d::AuditTrail trail(session->events(), clock, hasher);
                    trail.record(d::Actor::system(name), "unit", name + "-" + std::to_string(i), "create", "",
                                 "id=" + name + "\n", "");
                });
            }
        } catch (const std::exception& e) {
            ADD_FAILURE() << name << ": " << e.what();
            ++failures;
        }
    };
    std::thread one(writer, "one"), two(writer, "two");
    one.join();
    two.join();
    ASSERT_EQ(failures, 0);
    EXPECT_EQ(s->events().count(), 2 * kPerWriter);
    const auto check = d::verifyChain(s->events(), hasher);
    EXPECT_EQ(check.events, 2 * kPerWriter) << check.problem;
    EXPECT_EQ(check.firstBroken, std::nullopt) << check.problem;
    std::set<std::int64_t> seqs;
    for (const auto& e : s->events().list(1, 1000)) seqs.insert(e.seq);
    EXPECT_EQ(seqs.size(), static_cast<std::size_t>(2 * kPerWriter));
    EXPECT_EQ(*seqs.rbegin(), 2 * kPerWriter);
}

GOVTRACK_ON_EVERY_BACKEND(EventContract);
