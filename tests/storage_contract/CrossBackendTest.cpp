// SQLite and MariaDB side by side: the same import gives the same snapshot, and copy moves everything
// across in either direction.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "Backends.h"
#include "CountingIds.h"
#include "govtrack/domain/AuditTrail.h"
#include "govtrack/domain/Error.h"
#include "govtrack/domain/ImportService.h"
#include "govtrack/domain/StoreTransfer.h"
#include "govtrack/interchange/JsonPlanReader.h"
#include "govtrack/platform/Sha256Hasher.h"

namespace d = govtrack::domain;
using namespace std::chrono;

namespace {

d::Date ymd(int y, unsigned m, unsigned day) { return d::Date{year{y}, month{m}, std::chrono::day{day}}; }

std::string readExample() {
    std::ifstream in(std::string(GOVTRACK_SOURCE_DIR) + "/docs/examples/performance-management-2024-25.json");
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

/// The worked example with deterministic ids, plus updates that tie on a date.
void seed(d::StoreSession& s) {
    govtrack::test::CountingIds ids;
    d::ImportService(s, ids).apply(govtrack::interchange::readJsonPlan(readExample(), "example.json"));
    auto snap = s.loadActionPlan({});
    ASSERT_FALSE(snap.actions.empty());
    const auto& actionId = snap.actions.front().id;
    s.progressUpdates().add({"tie-1", actionId, ymd(2026, 1, 2), std::nullopt, "tie added first", 60});
    s.progressUpdates().add({"tie-2", actionId, ymd(2026, 1, 2), std::nullopt, "tie added second \xF0\x9F\x91\x8D", 70});
}

void expectSameSnapshot(const d::ActionPlanSnapshot& a, const d::ActionPlanSnapshot& b) {
    EXPECT_EQ(a.engagements, b.engagements);
    EXPECT_EQ(a.recommendations, b.recommendations);
    EXPECT_EQ(a.actions, b.actions);
    EXPECT_EQ(a.people, b.people);
    EXPECT_EQ(a.units, b.units);
    EXPECT_EQ(a.lastUpdates, b.lastUpdates);
}

class CrossBackend : public ::testing::Test {
protected:
    void SetUp() override {
        auto server = govtrack::test::mysqlTestServer();
        if (!server) GTEST_SKIP() << govtrack::test::kMysqlSkipReason;
        mariadb = std::make_unique<govtrack::test::MariadbBackend>(*server);
        sqliteStore = sqlite.open();
        sqliteStore->migrate();
        mariadbStore = mariadb->open();
        mariadbStore->migrate();
    }
    govtrack::test::SqliteBackend sqlite;
    std::unique_ptr<govtrack::test::MariadbBackend> mariadb;
    std::unique_ptr<d::Store> sqliteStore, mariadbStore;
};

}  // namespace

TEST_F(CrossBackend, TheSameImportLoadsAnIdenticalActionPlan) {
    auto a = sqliteStore->openSession();
    auto b = mariadbStore->openSession();
    seed(*a);
    seed(*b);
    const auto all = a->loadActionPlan({});
    ASSERT_FALSE(all.lastUpdates.empty());
    expectSameSnapshot(all, b->loadActionPlan({}));
    expectSameSnapshot(a->loadActionPlan({std::string("IA-2024-25-PM")}),
                       b->loadActionPlan({std::string("IA-2024-25-PM")}));
    EXPECT_EQ(a->transfer()->countRows(), b->transfer()->countRows());
}

TEST_F(CrossBackend, CopySqliteToMariadbAndBackKeepsEveryRow) {
    auto source = sqliteStore->openSession();
    seed(*source);
    auto target = mariadbStore->openSession();
    const auto counts = d::copyStore(*source, *target, false);
    EXPECT_EQ(counts, source->transfer()->countRows());
    expectSameSnapshot(source->loadActionPlan({}), target->loadActionPlan({}));

    govtrack::test::SqliteBackend back;
    auto backStore = back.open();
    backStore->migrate();
    auto backSession = backStore->openSession();
    EXPECT_EQ(d::copyStore(*target, *backSession, false), counts);
    expectSameSnapshot(source->loadActionPlan({}), backSession->loadActionPlan({}));
    EXPECT_EQ(source->transfer()->exportAll().progressUpdates, backSession->transfer()->exportAll().progressUpdates);
}

TEST_F(CrossBackend, CopyCarriesTheAuditTrailWithEveryHash) {
    govtrack::platform::Sha256Hasher hasher;
    auto source = sqliteStore->openSession();
    {
        govtrack::test::CountingIds ids;
        const d::FixedClock clock(ymd(2025, 7, 1));
        d::AuditTrail audit(source->events(), clock, hasher);
        d::ImportService(*source, ids, audit, d::Actor::system("import example.json"))
            .apply(govtrack::interchange::readJsonPlan(readExample(), "example.json"));
    }
    const auto events = source->transfer()->exportAll().events;
    ASSERT_GT(events.size(), 10u);

    auto target = mariadbStore->openSession();
    d::copyStore(*source, *target, false, hasher);
    EXPECT_EQ(target->transfer()->exportAll().events, events);

    govtrack::test::SqliteBackend back;
    auto backStore = back.open();
    backStore->migrate();
    auto backSession = backStore->openSession();
    d::copyStore(*target, *backSession, false, hasher);
    EXPECT_EQ(backSession->transfer()->exportAll().events, events);
    EXPECT_EQ(d::verifyChain(backSession->events(), hasher).events, static_cast<std::int64_t>(events.size()));

    // A chain that does not verify is not reported as a good copy.
    auto forged = source->transfer()->exportAll();
    forged.events[3].reason = "forged";
    govtrack::test::SqliteBackend forgedBackend;
    auto forgedStore = forgedBackend.open();
    forgedStore->migrate();
    auto forgedSession = forgedStore->openSession();
    forgedSession->transaction([&] { forgedSession->transfer()->importAll(forged); });
    try {
        d::copyStore(*forgedSession, *target, true, hasher);
        FAIL() << "a copy with a broken chain was reported as verified";
    } catch (const d::Error& e) {
        EXPECT_NE(std::string(e.what()).find("event 4"), std::string::npos) << e.what();
    }
}
