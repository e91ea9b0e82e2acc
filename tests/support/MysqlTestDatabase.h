#pragma once

#include <atomic>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>

#include <cppconn/connection.h>
#include <cppconn/exception.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>
#include <mysql_driver.h>
#include <unistd.h>

#include "govtrack/storage_mysql/MysqlStore.h"

namespace govtrack::test {

/// The MariaDB the test script started: GOVTRACK_TEST_MYSQL_URI (mysql://USER@HOST:PORT/DB) with the
/// password in GOVTRACK_DB_PASSWORD. nullopt when unset (tests then GTEST_SKIP with kMysqlSkipReason).
inline std::optional<storage_mysql::MysqlOptions> mysqlTestServer() {
    const char* uri = std::getenv("GOVTRACK_TEST_MYSQL_URI");
    if (!uri || !*uri) return std::nullopt;
    auto options = storage_mysql::MysqlOptions::fromUri(uri);
    if (const char* pw = std::getenv("GOVTRACK_DB_PASSWORD")) options.password = pw;
    return options;
}

inline constexpr const char* kMysqlSkipReason =
    "GOVTRACK_TEST_MYSQL_URI is not set (scripts/test.sh starts a throwaway MariaDB and sets it)";

/// Raw Connector/C++ connection for test set-up only (creating databases, killing connections).
inline std::unique_ptr<sql::Connection> rawMysqlConnection(const storage_mysql::MysqlOptions& o,
                                                           const std::string& schema) {
    sql::ConnectOptionsMap p;
    p["hostName"] = sql::SQLString("tcp://" + o.host + ":" + std::to_string(o.port));
    p["userName"] = sql::SQLString(o.user);
    p["password"] = sql::SQLString(o.password);
    if (!schema.empty()) p["schema"] = sql::SQLString(schema);
    p["OPT_CHARSET_NAME"] = sql::SQLString("utf8mb4");
    return std::unique_ptr<sql::Connection>(sql::mysql::get_mysql_driver_instance()->connect(p));
}

/// A fresh, empty database `<DB>_<pid>_<n>` on the test server for one test; dropped on destruction.
class MysqlTestDatabase {
public:
    explicit MysqlTestDatabase(storage_mysql::MysqlOptions server) : options_(std::move(server)) {
        static std::atomic<int> counter{0};
        options_.database = options_.database + "_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
        admin_ = rawMysqlConnection(options_, "");
        // The name is generated here from digits and the configured base name: no untrusted input.
        execute("DROP DATABASE IF EXISTS `" + options_.database + "`");
        execute("CREATE DATABASE `" + options_.database + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        execute("USE `" + options_.database + "`");
    }
    ~MysqlTestDatabase() {
        try {
            execute("DROP DATABASE IF EXISTS `" + options_.database + "`");
        } catch (...) {
        }
    }
    MysqlTestDatabase(const MysqlTestDatabase&) = delete;
    MysqlTestDatabase& operator=(const MysqlTestDatabase&) = delete;

    const storage_mysql::MysqlOptions& options() const { return options_; }
    std::string uri() const { return options_.describe(); }
    /// Runs fixed SQL as the test user (set-up and fault injection only).
    void execute(const std::string& fixedSql) {
        std::unique_ptr<sql::Statement> st(admin_->createStatement());
        st->execute(fixedSql);
    }

    /// Runs a fixed SELECT in this test database and returns the first column of the first row.
    std::int64_t queryInt(const std::string& fixedSql) {
        std::unique_ptr<sql::Statement> st(admin_->createStatement());
        std::unique_ptr<sql::ResultSet> rs(st->executeQuery(fixedSql));
        return rs->next() ? rs->getInt64(1) : -1;
    }

private:
    storage_mysql::MysqlOptions options_;
    std::unique_ptr<sql::Connection> admin_;
};

}  // namespace govtrack::test
