// SQLite-only behaviour: the file, WAL, schema version refusal, online backup. Repository behaviour
// shared with MariaDB lives in tests/storage_contract.
#include <filesystem>

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <gtest/gtest.h>

#include "govtrack/domain/Error.h"
#include "govtrack/domain/StoreTransfer.h"
#include "govtrack/storage_sqlite/SqliteStore.h"

#include "TempDir.h"

namespace d = govtrack::domain;
using govtrack::storage_sqlite::SqliteStore;
using namespace std::chrono;
using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;

namespace {

d::Date ymd(int y, unsigned m, unsigned day) {
    return d::Date{year{y}, month{m}, std::chrono::day{day}};
}

void seed(d::StoreSession& s) {
    d::Engagement e;
    e.id = "e1";
    e.reference = "IA-1";
    e.title = "Performance Management";
    s.engagements().save(e);
    d::Recommendation r;
    r.id = "r1";
    r.engagementId = "e1";
    r.number = 1;
    r.title = "Objectives";
    s.recommendations().save(r);
    d::Action a;
    a.id = "a1";
    a.recommendationId = "r1";
    a.originalTargetDate = d::TargetDate::monthOnly(2025, 12);
    s.actions().save(a);
    s.progressUpdates().add({"u1", "a1", ymd(2025, 9, 1), std::nullopt, "started \xF0\x9F\x9A\x80", 10});
}

}  // namespace

TEST(SqliteStore, CreatesTheFileMigratesAndUsesWal) {
    govtrack::test::TempDir dir;
    SqliteStore store(dir.file("t.db"));
    EXPECT_TRUE(std::filesystem::exists(dir.file("t.db")));
    EXPECT_EQ(store.schemaVersion(), 0);
    EXPECT_EQ(store.migrate(), SqliteStore::latestSchemaVersion());
    EXPECT_EQ(store.schemaVersion(), SqliteStore::latestSchemaVersion());
    SqliteStore reopened(dir.file("t.db"));
    EXPECT_EQ(reopened.schemaVersion(), SqliteStore::latestSchemaVersion());
    Poco::Data::SQLite::Connector::registerConnector();
    Poco::Data::Session raw("SQLite", dir.file("t.db"));
    std::string mode;
    raw << "PRAGMA journal_mode", into(mode), now;
    EXPECT_EQ(mode, "wal");
}

TEST(SqliteStore, RefusesADatabaseWithANewerSchema) {
    govtrack::test::TempDir dir;
    {
        SqliteStore store(dir.file("t.db"));
        store.migrate();
    }
    Poco::Data::SQLite::Connector::registerConnector();
    {
        Poco::Data::Session raw("SQLite", dir.file("t.db"));
        raw << "INSERT INTO schema_version (version, name) VALUES (999, '999_from_the_future')", now;
    }
    SqliteStore store(dir.file("t.db"));
    try {
        store.migrate();
        FAIL() << "expected a refusal";
    } catch (const d::ValidationError& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("version 999"), std::string::npos) << what;
        EXPECT_NE(what.find("upgrade govtrack"), std::string::npos) << what;
        EXPECT_EQ(what.find('\n'), std::string::npos);
    }
}

TEST(SqliteStore, OnlineBackupRestoresEveryRow) {
    govtrack::test::TempDir dir;
    SqliteStore store(dir.file("t.db"));
    store.migrate();
    auto s = store.openSession();
    seed(*s);
    auto writer = store.openSession();  // another session stays open during the backup
    store.backupTo(dir.file("backup.db"));

    SqliteStore restored(dir.file("backup.db"));
    EXPECT_EQ(restored.schemaVersion(), SqliteStore::latestSchemaVersion());
    auto r = restored.openSession();
    EXPECT_EQ(r->transfer()->countRows(), s->transfer()->countRows());
    const auto before = s->loadActionPlan({});
    const auto after = r->loadActionPlan({});
    EXPECT_EQ(after.actions, before.actions);
    EXPECT_EQ(after.lastUpdates, before.lastUpdates);
    EXPECT_EQ(after.engagements, before.engagements);
}

TEST(SqliteStore, BackupToAnUnwritablePathIsAValidationError) {
    govtrack::test::TempDir dir;
    SqliteStore store(dir.file("t.db"));
    store.migrate();
    EXPECT_THROW(store.backupTo(dir.file("missing-folder/backup.db")), d::ValidationError);
}
