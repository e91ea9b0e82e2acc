// MariaDB-only behaviour: connection faults, the pool, reconnects, deadlock retry, schema details.
// Repository behaviour shared with SQLite lives in tests/storage_contract.
#include <atomic>
#include <barrier>
#include <thread>

#include <gtest/gtest.h>

#include "govtrack/domain/AuditTrail.h"
#include "govtrack/domain/Error.h"
#include "govtrack/domain/ImportService.h"
#include "govtrack/domain/StoreTransfer.h"
#include "govtrack/storage_mysql/MysqlStore.h"

#include "CountingIds.h"
#include "MysqlTestDatabase.h"
#include "SessionWithActions.h"

namespace d = govtrack::domain;
using govtrack::storage_mysql::MysqlOptions;
using govtrack::storage_mysql::MysqlStore;
using govtrack::test::MysqlTestDatabase;

namespace {

void expectOneLineWithout(const std::string& text, const std::string& secret) {
    EXPECT_EQ(text.find('\n'), std::string::npos) << text;
    EXPECT_EQ(text.find(secret), std::string::npos) << text;
}

class MysqlStoreTest : public ::testing::Test {
protected:
    void SetUp() override {
        auto server = govtrack::test::mysqlTestServer();
        if (!server) GTEST_SKIP() << govtrack::test::kMysqlSkipReason;
        db = std::make_unique<MysqlTestDatabase>(*server);
        store = std::make_unique<MysqlStore>(db->options());
        store->migrate();
    }
    std::size_t count(const char* table) {
        auto s = store->openSession();
        for (const auto& c : s->transfer()->countRows()) {
            if (c.table == table) return static_cast<std::size_t>(c.rows);
        }
        return 0;
    }
    std::unique_ptr<MysqlTestDatabase> db;
    std::unique_ptr<MysqlStore> store;
};

d::ActionPlanDocument planWithManyRows() {
    d::ActionPlanDocument doc;
    d::EngagementRecord e;
    e.origin = "plan.json:/engagements/0";
    e.engagement.reference = "IA-KILL";
    e.engagement.title = "Killed half-way";
    for (int r = 1; r <= 5; ++r) {
        d::RecommendationRecord rec;
        rec.origin = "plan.json:/r" + std::to_string(r);
        rec.number = r;
        rec.title = "Recommendation " + std::to_string(r);
        for (int a = 1; a <= 3; ++a) {
            d::ActionRecord act;
            act.origin = rec.origin + "/a" + std::to_string(a);
            act.number = a;
            act.description = "Action " + std::to_string(a);
            act.leadOwnerRoleTitle = "Owner " + std::to_string(a);
            rec.actions.push_back(act);
        }
        e.recommendations.push_back(rec);
    }
    doc.engagements.push_back(e);
    return doc;
}

/// The real session, except that the Nth action save first has the server KILL this session's
/// connection (from a second connection), as if the database dropped it in the middle of the import.
class KillingActions final : public d::ActionRepository {
public:
    KillingActions(d::ActionRepository& real, std::function<void()> kill, int atSave)
        : real_(real), kill_(std::move(kill)), atSave_(atSave) {}
    std::optional<d::Action> findById(const d::Id& id) override { return real_.findById(id); }
    std::optional<d::Action> findByNumber(const d::Id& r, int n) override { return real_.findByNumber(r, n); }
    std::vector<d::Action> listByRecommendation(const d::Id& r) override { return real_.listByRecommendation(r); }
    std::vector<d::Action> listByResponsibleGroup(const d::Id& g) override { return real_.listByResponsibleGroup(g); }
    void save(const d::Action& a) override {
        if (++saves_ == atSave_) kill_();
        real_.save(a);
    }
    int saves() const { return saves_; }

private:
    d::ActionRepository& real_;
    std::function<void()> kill_;
    int atSave_;
    int saves_ = 0;
};

}  // namespace

TEST(MysqlOptions, ParsesTheUriAndRefusesAPassword) {
    const auto o = MysqlOptions::fromUri("mysql://govtrack@db.example.org:3307/tracker");
    EXPECT_EQ(o.user, "govtrack");
    EXPECT_EQ(o.host, "db.example.org");
    EXPECT_EQ(o.port, 3307);
    EXPECT_EQ(o.database, "tracker");
    EXPECT_EQ(o.poolSize, 8);
    EXPECT_EQ(MysqlOptions::fromUri("mysql://u@h/db").port, 3306);
    EXPECT_EQ(o.describe(), "mysql://govtrack@db.example.org:3307/tracker");
    try {
        MysqlOptions::fromUri("mysql://govtrack:s3cret-pw@127.0.0.1:3306/tracker");
        FAIL() << "expected a refusal";
    } catch (const d::ValidationError& e) {
        expectOneLineWithout(e.what(), "s3cret-pw");
        EXPECT_NE(std::string(e.what()).find("GOVTRACK_DB_PASSWORD"), std::string::npos);
    }
    for (const char* bad : {"mysql://127.0.0.1/db", "mysql://u@h:99999/db", "mysql://u@h:3306/", "mysql://u@h:x/db",
                            "postgres://u@h/db", "mysql://u@:3306/db"}) {
        EXPECT_THROW(MysqlOptions::fromUri(bad), d::ValidationError) << bad;
    }
}

TEST_F(MysqlStoreTest, WrongPasswordIsOneLineUnavailableWithoutThePassword) {
    MysqlOptions wrong = db->options();
    wrong.password = "not-the-password-4711";
    try {
        MysqlStore bad(wrong);
        FAIL() << "expected UnavailableError";
    } catch (const d::UnavailableError& e) {
        expectOneLineWithout(e.what(), "not-the-password-4711");
        EXPECT_NE(std::string(e.what()).find("access denied"), std::string::npos) << e.what();
        EXPECT_EQ(e.internalMessage().find("not-the-password-4711"), std::string::npos);
    }
}

TEST(MysqlStoreFaults, UnreachableServerIsOneLineUnavailable) {
    MysqlOptions o = MysqlOptions::fromUri("mysql://govtrack@127.0.0.1:1/govtrack_test");
    o.password = "secret-never-shown";
    o.connectTimeoutSeconds = 2;
    try {
        MysqlStore bad(o);
        FAIL() << "expected UnavailableError";
    } catch (const d::UnavailableError& e) {
        expectOneLineWithout(e.what(), "secret-never-shown");
        EXPECT_NE(std::string(e.what()).find("cannot reach the database at 127.0.0.1:1"), std::string::npos)
            << e.what();
    }
}

TEST_F(MysqlStoreTest, AMigrationInterruptedBeforeItWasRecordedRunsAgain) {
    // DDL commits at once: a crash after schema 002's statements but before its schema_version row leaves
    // the tables and the new action columns in place. Migrating again must complete, not fail on them.
    db->execute("DELETE FROM schema_version WHERE version >= 2");
    EXPECT_EQ(store->migrate(), MysqlStore::latestSchemaVersion());
    EXPECT_EQ(store->schemaVersion(), MysqlStore::latestSchemaVersion());
    EXPECT_EQ(db->queryInt("SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = DATABASE() "
                           "AND table_name = 'action' AND column_name = 'closure_reference'"),
              1);
}

TEST_F(MysqlStoreTest, SchemaIsInnodbUtf8mb4BinEverywhere) {
    EXPECT_EQ(store->schemaVersion(), MysqlStore::latestSchemaVersion());
    // 17 data tables (schemas 001 and 002), schema_version, audit_event and audit_chain_lock (003),
    // users, user_roles, api_tokens and web_sessions (006).
    EXPECT_EQ(db->queryInt("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE()"), 24);
    EXPECT_EQ(db->queryInt("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() "
                           "AND (engine <> 'InnoDB' OR table_collation <> 'utf8mb4_bin')"),
              0);
    EXPECT_EQ(db->queryInt("SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = DATABASE() "
                           "AND collation_name IS NOT NULL AND collation_name <> 'utf8mb4_bin'"),
              0);
}

TEST_F(MysqlStoreTest, RefusesADatabaseWithANewerSchema) {
    db->execute("INSERT INTO schema_version (version, name) VALUES (999, '999_from_the_future')");
    try {
        store->migrate();
        FAIL() << "expected a refusal";
    } catch (const d::ValidationError& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("version 999"), std::string::npos) << what;
        EXPECT_NE(what.find("upgrade govtrack"), std::string::npos) << what;
        EXPECT_EQ(what.find('\n'), std::string::npos);
    }
}

TEST_F(MysqlStoreTest, KillingTheConnectionMidImportLeavesNothingHalfWritten) {
    auto s = store->openSession();
    const std::int64_t victim = MysqlStore::connectionId(*s);
    ASSERT_GT(victim, 0);
    // The 7th action save: units, people, the engagement, recommendations and six actions are already
    // written inside the open import transaction when the server drops the connection.
    KillingActions killer(
        s->actions(), [&] { db->execute("KILL CONNECTION " + std::to_string(victim)); }, 7);
    govtrack::test::SessionWithActions killing(*s, killer);
    govtrack::test::CountingIds ids;
    try {
        d::ImportService(killing, ids).apply(planWithManyRows());
        FAIL() << "expected UnavailableError";
    } catch (const d::UnavailableError& e) {
        EXPECT_NE(std::string(e.what()).find("connection to the database was lost"), std::string::npos) << e.what();
    }
    EXPECT_EQ(killer.saves(), 7);
    for (const char* table : {"person", "engagement", "recommendation", "action"}) {
        EXPECT_EQ(count(table), 0u) << table << " was half-written";
    }
    // The same session reconnects for its next use, and the import then goes through whole.
    EXPECT_NE(MysqlStore::connectionId(*s), victim);
    d::ImportService(*s, ids).apply(planWithManyRows());
    EXPECT_EQ(count("action"), 15u);
}

TEST_F(MysqlStoreTest, AnIdleConnectionDroppedByTheServerIsReplaced) {
    std::int64_t first = 0;
    {
        auto s = store->openSession();
        first = MysqlStore::connectionId(*s);
    }  // back to the pool
    db->execute("KILL CONNECTION " + std::to_string(first));
    auto s = store->openSession();  // the ping fails; a new connection is made
    EXPECT_NO_THROW(s->risks().list());
    EXPECT_NE(MysqlStore::connectionId(*s), first);
}

TEST_F(MysqlStoreTest, AReadOutsideATransactionReconnectsAfterTheConnectionIsKilled) {
    auto s = store->openSession();
    s->risks().save({"k1", "CR-1", "", "", "strategic"});
    db->execute("KILL CONNECTION " + std::to_string(MysqlStore::connectionId(*s)));
    EXPECT_EQ(s->risks().list().size(), 1u);
}

TEST_F(MysqlStoreTest, DeadlockedTransactionIsRetriedAndBothCommit) {
    auto setup = store->openSession();
    setup->risks().save({"k1", "CR-1", "", "", "strategic"});
    setup->risks().save({"k2", "CR-2", "", "", "strategic"});
    auto s1 = store->openSession();
    auto s2 = store->openSession();
    std::barrier bothLocked(2);
    std::atomic<int> runs{0};
    auto crossWise = [&](d::StoreSession& s, const char* firstId, const char* firstRef, const char* secondId,
                         const char* secondRef, const std::string& title) {
        bool firstAttempt = true;
        s.transaction([&] {
            ++runs;
            s.risks().save({firstId, firstRef, title, "", "strategic"});
            if (firstAttempt) {
                firstAttempt = false;
                bothLocked.arrive_and_wait();  // each holds one row lock and now wants the other's
            }
            s.risks().save({secondId, secondRef, title, "", "strategic"});
        });
    };
    std::exception_ptr e1, e2;
    std::thread t1([&] {
        try {
            crossWise(*s1, "k1", "CR-1", "k2", "CR-2", "one");
        } catch (...) {
            e1 = std::current_exception();
        }
    });
    std::thread t2([&] {
        try {
            crossWise(*s2, "k2", "CR-2", "k1", "CR-1", "two");
        } catch (...) {
            e2 = std::current_exception();
        }
    });
    t1.join();
    t2.join();
    EXPECT_FALSE(e1);
    EXPECT_FALSE(e2);
    EXPECT_EQ(runs, 3) << "one of the two transactions was chosen as the deadlock victim and run again";
    const auto all = setup->risks().list();
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0].title, all[1].title) << "the retried transaction committed last, whole";
}

TEST_F(MysqlStoreTest, ThePoolHandsOutAtMostPoolSizeConnections) {
    MysqlOptions small = db->options();
    small.poolSize = 2;
    small.poolWaitSeconds = 1;
    MysqlStore limited(small);
    auto a = limited.openSession();
    auto b = limited.openSession();
    EXPECT_THROW(limited.openSession(), d::UnavailableError);
    b.reset();
    EXPECT_NO_THROW(limited.openSession());
}

TEST_F(MysqlStoreTest, AValueLongerThanAKeyColumnIsAValidationError) {
    auto s = store->openSession();
    EXPECT_THROW(s->risks().save({"k1", std::string(300, 'x'), "", "", "strategic"}), d::ValidationError);
}
