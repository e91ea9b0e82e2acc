#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "govtrack/domain/Repositories.h"

namespace govtrack::storage_mysql {

/// Where and how to connect. The password never comes from the URI (see fromUri) and is never printed.
struct MysqlOptions {
    std::string host = "127.0.0.1";
    int port = 3306;
    std::string user;
    std::string password;  ///< from GOVTRACK_DB_PASSWORD or a password file; never logged
    std::string database;
    int poolSize = 8;                ///< connections the store keeps at most (govtrack.storage.mysql.pool_size)
    int connectTimeoutSeconds = 5;   ///< per connection attempt
    int poolWaitSeconds = 30;        ///< how long openSession() waits for a free connection
    int maxTransactionAttempts = 5;  ///< tries of one transaction on deadlock (1213) or lock-wait timeout (1205)

    /// Parses `mysql://USER@HOST[:PORT]/DB` (port 3306 by default). Throws ValidationError, one line, on a
    /// malformed URI or one that carries a password (`USER:PASSWORD@...`): passwords come from the
    /// environment or a file, never the command line.
    static MysqlOptions fromUri(const std::string& uri);

    /// `mysql://USER@HOST:PORT/DB`: safe to print (no password).
    std::string describe() const;
};

/// The production store (SPEC 6): MariaDB/MySQL through MySQL Connector/C++ 1.1, InnoDB, utf8mb4.
/// - Prepared statements for every value; table and column names are fixed strings.
/// - A pool of at most options.poolSize connections; each session holds one for its lifetime. An idle
///   connection is pinged before reuse and replaced if the server dropped it; a read outside a
///   transaction that loses its connection reconnects and runs once more.
/// - transaction() runs `work` in one InnoDB transaction and runs it again (bounded, with back-off) on
///   deadlock 1213 or lock-wait timeout 1205. A connection lost inside a transaction is not retried:
///   the server rolled it back, and the caller gets UnavailableError.
/// - Reads (loadActionPlan, transfer export) run in a READ ONLY transaction WITH CONSISTENT SNAPSHOT
///   and take no locks.
/// - Driver errors become the same domain errors SqliteStore raises: duplicate key 1062 and foreign key
///   1452 -> ConflictError, stale version -> ConflictError(stale), unreachable server, refused login,
///   lost connection -> UnavailableError (one line, never the password), anything else -> Error(kInternal)
///   with the driver text as the internal message.
class MysqlStore final : public domain::Store {
public:
    /// Connects once to check the server is reachable and the login works (UnavailableError if not).
    /// Does not migrate; call migrate().
    explicit MysqlStore(MysqlOptions options);
    ~MysqlStore() override;

    /// Borrows a pooled connection; waits up to options.poolWaitSeconds for one (then UnavailableError).
    std::unique_ptr<domain::StoreSession> openSession() override;

    /// Applies schema/mysql migrations newer than schema_version under a server-side lock
    /// (GET_LOCK), so several instances starting together migrate once. Throws ValidationError if the
    /// database's schema is newer than this build knows.
    int migrate() override;

    /// The schema version in force (0 for an empty database).
    int schemaVersion();

    /// The newest migration this build carries.
    static int latestSchemaVersion();

    /// The server's CONNECTION_ID() of a session opened by a MysqlStore (for fault tests that KILL it);
    /// -1 for any other session.
    static std::int64_t connectionId(domain::StoreSession& session);

    const MysqlOptions& options() const noexcept;

    struct Pool;  ///< the connection pool; defined and used only in MysqlStore.cpp

private:
    std::shared_ptr<Pool> pool_;
};

}  // namespace govtrack::storage_mysql
