#pragma once

#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "govtrack/domain/Repositories.h"
#include "govtrack/storage_mysql/MysqlStore.h"
#include "govtrack/storage_sqlite/SqliteStore.h"

#include "MysqlTestDatabase.h"
#include "TempDir.h"

namespace govtrack::test {

/// One fresh, empty database of one backend (STYLE.md "Storage contract suite").
class Backend {
public:
    virtual ~Backend() = default;
    /// A new store on this backend's database (the same database every call), not yet migrated.
    virtual std::unique_ptr<domain::Store> open() = 0;
};

class SqliteBackend final : public Backend {
public:
    std::unique_ptr<domain::Store> open() override {
        return std::make_unique<storage_sqlite::SqliteStore>(dir_.file("contract.db"));
    }

private:
    TempDir dir_;
};

class MariadbBackend final : public Backend {
public:
    explicit MariadbBackend(storage_mysql::MysqlOptions server) : db_(std::move(server)) {}
    std::unique_ptr<domain::Store> open() override {
        return std::make_unique<storage_mysql::MysqlStore>(db_.options());
    }
    MysqlTestDatabase& database() { return db_; }

private:
    MysqlTestDatabase db_;
};

/// "sqlite" or "mariadb"; nullptr for mariadb when no test server is configured.
inline std::unique_ptr<Backend> makeBackend(const std::string& name) {
    if (name == "sqlite") return std::make_unique<SqliteBackend>();
    auto server = mysqlTestServer();
    if (!server) return nullptr;
    return std::make_unique<MariadbBackend>(*server);
}

/// A fixture over every backend: a fresh migrated store and one session per test.
class StoreContract : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        backend = makeBackend(GetParam());
        if (!backend) GTEST_SKIP() << kMysqlSkipReason;
        store = backend->open();
        store->migrate();
        s = store->openSession();
    }
    std::unique_ptr<Backend> backend;
    std::unique_ptr<domain::Store> store;
    std::unique_ptr<domain::StoreSession> s;
};

inline std::string backendName(const ::testing::TestParamInfo<std::string>& info) {
    return info.param;
}

}  // namespace govtrack::test

#define GOVTRACK_ON_EVERY_BACKEND(Suite) \
    INSTANTIATE_TEST_SUITE_P(Backends, Suite, ::testing::Values("sqlite", "mariadb"), govtrack::test::backendName)
