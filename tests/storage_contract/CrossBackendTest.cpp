// SQLite and MariaDB side by side: the same import gives the same snapshot, and copy moves everything
// across in either direction.
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "govtrack/domain/AuditTrail.h"
#include "govtrack/domain/Error.h"
#include "govtrack/domain/ImportService.h"
#include "govtrack/domain/StoreTransfer.h"
#include "govtrack/interchange/JsonPlanReader.h"
#include "govtrack/platform/Sha256Hasher.h"

#include "Backends.h"
#include "CountingIds.h"

namespace d = govtrack::domain;
using namespace std::chrono;

namespace {

d::Date ymd(int y, unsigned m, unsigned day) {
    return d::Date{year{y}, month{m}, std::chrono::day{day}};
}

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
    s.progressUpdates().add(
        {"tie-2", actionId, ymd(2026, 1, 2), std::nullopt, "tie added second \xF0\x9F\x91\x8D", 70});
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

namespace {

/// The worked example plus a row in every workflow table (schema 002), evidence with every byte value.
void seedWorkflow(d::StoreSession& s) {
    seed(s);
    auto people = s.people().list();
    ASSERT_GE(people.size(), 2u);
    people[0].roles = {d::Role::kAdmin, d::Role::kViewer};
    s.people().save(people[0]);
    auto groups = s.groups().list();
    ASSERT_FALSE(groups.empty());
    groups[0].members = {{people[1].id, d::MemberRole::kMember}, {people[0].id, d::MemberRole::kChair}};
    groups[0].powers = {{d::PowerKind::kApproveRevisedDate, d::Priority::kMedium, 60},
                        {d::PowerKind::kWithdrawAction, std::nullopt, std::nullopt}};
    s.groups().save(groups[0]);
    auto actions = s.loadActionPlan({}).actions;
    ASSERT_GE(actions.size(), 2u);
    actions[0].status = d::ActionStatus::kSuperseded;
    actions[0].supersededByActionId = actions[1].id;
    actions[0].responsibleGroupId = groups[0].id;
    actions[0].closure =
        d::GroupDecision{groups[0].id, people[0].id, ymd(2026, 1, 5), d::PowerKind::kWithdrawAction, "minute 3"};
    s.actions().save(actions[0]);
    d::RevisionRequest r;
    r.id = "rr1";
    r.actionId = actions[1].id;
    r.requestedDate = d::TargetDate::monthOnly(2026, 9);
    r.reason = "restructure \xF0\x9F\x93\x85";
    r.requestedOn = ymd(2026, 1, 3);
    r.routedToGroupId = groups[0].id;
    r.status = d::RequestStatus::kApproved;
    r.decision = d::GroupDecision{groups[0].id, std::nullopt, ymd(2026, 1, 10), d::PowerKind::kApproveRevisedDate, "x"};
    s.revisionRequests().save(r);
    r.id = "rr2";
    r.status = d::RequestStatus::kPending;
    r.decision.reset();
    s.revisionRequests().save(r);
    std::string bytes;
    for (int b = 255; b >= 0; --b) bytes.push_back(static_cast<char>(b));
    d::Evidence e;
    e.id = "ev1";
    e.actionId = actions[1].id;
    e.fileName = "scan.bin";
    e.mediaType = "application/octet-stream";
    e.sizeBytes = static_cast<std::int64_t>(bytes.size());
    e.addedOn = ymd(2026, 1, 4);
    s.evidence().add(e, bytes);
}

void expectSameWorkflowRows(d::StoreSession& a, d::StoreSession& b) {
    const auto x = a.transfer()->exportAll();
    const auto y = b.transfer()->exportAll();
    EXPECT_EQ(x.people, y.people);
    EXPECT_EQ(x.groups, y.groups);
    EXPECT_EQ(x.actions, y.actions);
    EXPECT_EQ(x.revisionRequests, y.revisionRequests);
    EXPECT_EQ(x.evidence, y.evidence);
    EXPECT_EQ(a.transfer()->countRows(), b.transfer()->countRows());
}

}  // namespace

TEST_F(CrossBackend, CopySqliteToMariadbAndBackKeepsTheWorkflowTables) {
    auto source = sqliteStore->openSession();
    seedWorkflow(*source);
    auto target = mariadbStore->openSession();
    const auto counts = d::copyStore(*source, *target, false);
    EXPECT_EQ(counts, source->transfer()->countRows());
    expectSameSnapshot(source->loadActionPlan({}), target->loadActionPlan({}));
    expectSameWorkflowRows(*source, *target);
    EXPECT_EQ(target->revisionRequests().listPending(std::nullopt).size(), 1u);

    govtrack::test::SqliteBackend back;
    auto backStore = back.open();
    backStore->migrate();
    auto backSession = backStore->openSession();
    EXPECT_EQ(d::copyStore(*target, *backSession, false), counts);
    expectSameSnapshot(source->loadActionPlan({}), backSession->loadActionPlan({}));
    expectSameWorkflowRows(*source, *backSession);
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
