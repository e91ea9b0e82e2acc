#pragma once

#include <memory>
#include <string>

#include "govtrack/domain/Repositories.h"

namespace govtrack::storage_sqlite {

/// The embedded default store (SPEC 6): one SQLite file through Poco::Data, WAL journal, foreign keys
/// on, a 5 s busy timeout, parameterised SQL only. Each session is its own connection; reads run in
/// deferred transactions and take no write lock, writes use BEGIN IMMEDIATE.
/// Driver errors become domain errors here: a constraint violation -> ConflictError, a busy or
/// unopenable file -> UnavailableError, anything else -> Error(kInternal) with the driver text kept
/// as the internal message.
class SqliteStore final : public domain::Store {
public:
    /// Opens (creating if missing) the database at `path`. Does not migrate; call migrate().
    /// Throws UnavailableError if the file cannot be opened.
    explicit SqliteStore(std::string path);
    ~SqliteStore() override;

    std::unique_ptr<domain::StoreSession> openSession() override;

    /// Applies schema/sqlite migrations newer than schema_version, each in its own transaction.
    int migrate() override;

    /// The schema version in force (0 for an empty database).
    int schemaVersion();

    /// Writes a consistent copy of the whole database to `file` with SQLite's online backup API
    /// (sqlite3_backup_*), while other sessions keep reading and writing. The copy is an ordinary
    /// database file: open it with SqliteStore (or `--db sqlite:FILE`) to restore.
    /// Throws ValidationError if `file` cannot be written, UnavailableError if the database cannot be read.
    void backupTo(const std::string& file);

    /// The newest migration this build carries.
    static int latestSchemaVersion();

    const std::string& path() const noexcept { return path_; }

private:
    std::string path_;
};

}  // namespace govtrack::storage_sqlite
