#include "govtrack/storage_sqlite/SqliteStore.h"

#include <gtest/gtest.h>

#include "CountingIds.h"
#include "TempDir.h"
#include "govtrack/domain/Error.h"

namespace d = govtrack::domain;
using govtrack::storage_sqlite::SqliteStore;
using namespace std::chrono;

namespace {

d::Date ymd(int y, unsigned m, unsigned day) { return d::Date{year{y}, month{m}, std::chrono::day{day}}; }

class SqliteStoreTest : public ::testing::Test {
protected:
    void SetUp() override {
        store = std::make_unique<SqliteStore>(dir.file("t.db"));
        store->migrate();
        s = store->openSession();
    }

    /// An engagement with one recommendation and one action, saved; returns the action.
    d::Action seedAction() {
        d::Engagement e;
        e.id = "e1";
        e.reference = "IA-1";
        e.title = "Performance Management";
        e.issueDate = d::TargetDate::day(ymd(2025, 5, 2));
        e.fieldworkStart = d::TargetDate::monthOnly(2024, 10);
        e.assuranceLevel = d::AssuranceLevel::kReasonable;
        e.remitItems = {"Performance management", "Governance"};
        s->engagements().save(e);
        d::Recommendation r;
        r.id = "r1";
        r.engagementId = "e1";
        r.number = 1;
        r.title = "Objectives";
        r.linkedRiskReferences = {"CR-005", "CR-012"};
        s->recommendations().save(r);
        s->people().save(d::Person{"p1", "Head of People & Place", "", std::nullopt, std::nullopt, true});
        s->people().save(d::Person{"p2", "Product Owner", "", std::nullopt, std::nullopt, true});
        d::Action a;
        a.id = "a1";
        a.recommendationId = "r1";
        a.number = 1;
        a.description = "Define objectives";
        a.leadOwnerId = "p1";
        a.coOwnerIds = {"p2"};
        a.originalTargetDate = d::TargetDate::monthOnly(2025, 12);
        a.revisions.push_back({d::TargetDate::day(ymd(2026, 3, 31)), "workshops late", "p1", "Executive Team",
                               ymd(2025, 11, 20)});
        a.status = d::ActionStatus::kInProgress;
        a.pillar = d::Pillar::kLeadershipAccountability;
        s->actions().save(a);
        return a;
    }

    govtrack::test::TempDir dir;
    std::unique_ptr<SqliteStore> store;
    std::unique_ptr<d::StoreSession> s;
};

}  // namespace

TEST_F(SqliteStoreTest, MigrateRecordsVersionAndIsIdempotent) {
    EXPECT_EQ(store->schemaVersion(), SqliteStore::latestSchemaVersion());
    EXPECT_GE(SqliteStore::latestSchemaVersion(), 1);
    EXPECT_EQ(store->migrate(), SqliteStore::latestSchemaVersion());
    SqliteStore reopened(dir.file("t.db"));
    EXPECT_EQ(reopened.schemaVersion(), SqliteStore::latestSchemaVersion());
}

TEST_F(SqliteStoreTest, EngagementRoundTripKeepsDatePrecision) {
    seedAction();
    auto e = s->engagements().findByReference("IA-1");
    ASSERT_TRUE(e);
    EXPECT_EQ(e->issueDate, d::TargetDate::day(ymd(2025, 5, 2)));
    EXPECT_EQ(e->fieldworkStart, d::TargetDate::monthOnly(2024, 10));
    EXPECT_EQ(e->assuranceLevel, d::AssuranceLevel::kReasonable);
    EXPECT_EQ(e->remitItems, (std::vector<std::string>{"Performance management", "Governance"}));
    EXPECT_EQ(e->version, 1);
    EXPECT_FALSE(s->engagements().findByReference("nope"));
}

TEST_F(SqliteStoreTest, ActionRoundTripWithOwnersAndRevisions) {
    const auto saved = seedAction();
    auto loaded = s->actions().findByNumber("r1", 1);
    ASSERT_TRUE(loaded);
    EXPECT_EQ(*loaded, saved);
    auto rec = s->recommendations().findByNumber("e1", 1);
    ASSERT_TRUE(rec);
    EXPECT_EQ(rec->linkedRiskReferences, (std::vector<std::string>{"CR-005", "CR-012"}));
}

TEST_F(SqliteStoreTest, StaleVersionIsAConflict) {
    auto a = seedAction();
    a.description = "first edit";
    s->actions().save(a);  // version 1 -> 2
    EXPECT_EQ(s->actions().findById("a1")->version, 2);
    a.description = "edit from a stale copy";
    try {
        s->actions().save(a);  // still says version 1
        FAIL() << "expected a conflict";
    } catch (const d::ConflictError& e) {
        EXPECT_TRUE(e.stale());
    }
    EXPECT_EQ(s->actions().findById("a1")->description, "first edit");
}

TEST_F(SqliteStoreTest, DuplicateNaturalKeyIsAConflictNotADriverError) {
    seedAction();
    d::Engagement dup;
    dup.id = "e2";
    dup.reference = "IA-1";
    dup.title = "Another";
    try {
        s->engagements().save(dup);
        FAIL() << "expected a conflict";
    } catch (const d::ConflictError& e) {
        EXPECT_FALSE(e.stale());
        EXPECT_NE(std::string(e.what()).find("already exists"), std::string::npos);
    }
}

TEST_F(SqliteStoreTest, ForeignKeysAreEnforced) {
    d::Action orphan;
    orphan.id = "a9";
    orphan.recommendationId = "no-such-recommendation";
    EXPECT_THROW(s->actions().save(orphan), d::ConflictError);
}

TEST_F(SqliteStoreTest, TransactionRollsBackOnThrow) {
    EXPECT_THROW(s->transaction([&] {
        seedAction();
        throw d::ValidationError("stop");
    }),
                 d::ValidationError);
    EXPECT_TRUE(s->engagements().list().empty());
    EXPECT_TRUE(s->people().list().empty());
}

TEST_F(SqliteStoreTest, LoadActionPlanGivesLatestUpdatePerAction) {
    seedAction();
    s->progressUpdates().add({"u1", "a1", ymd(2025, 9, 1), "p1", "workshops planned", 20});
    s->progressUpdates().add({"u2", "a1", ymd(2025, 11, 1), "p1", "half the divisions done", 50});
    s->progressUpdates().add({"u3", "a1", ymd(2025, 10, 1), std::nullopt, "older", std::nullopt});
    auto snap = s->loadActionPlan({});
    ASSERT_EQ(snap.actions.size(), 1u);
    ASSERT_EQ(snap.lastUpdates.count("a1"), 1u);
    EXPECT_EQ(snap.lastUpdates.at("a1").text, "half the divisions done");
    EXPECT_EQ(snap.lastUpdates.at("a1").percent, 50);
    EXPECT_EQ(snap.people.size(), 2u);
    auto filtered = s->loadActionPlan({std::string("IA-1")});
    EXPECT_EQ(filtered.recommendations.size(), 1u);
    EXPECT_THROW(s->loadActionPlan({std::string("IA-404")}), d::NotFoundError);
}

TEST_F(SqliteStoreTest, FourByteUtf8RoundTrips) {
    d::Risk r{"k1", "CR-012", "Management information \xF0\x9F\x94\x91 Überprüfung", "", "strategic"};
    s->risks().save(r);
    EXPECT_EQ(s->risks().findByReference("CR-012")->title, r.title);
}
