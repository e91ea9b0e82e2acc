// Store selection and the verbs that move whole stores: openStore (sqlite:PATH, mysql://USER@HOST:PORT/DB),
// `copy --from URI --to URI [--force]` and `backup --to FILE`. Only app knows the concrete backends.
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include <Poco/File.h>
#include <Poco/Path.h>
#include <Poco/Util/Option.h>

#include "govtrack/domain/Error.h"
#include "govtrack/domain/StoreTransfer.h"
#include "govtrack/platform/Sha256Hasher.h"
#include "govtrack/storage_mysql/MysqlStore.h"
#include "govtrack/storage_sqlite/SqliteStore.h"

#include "Cli.h"

namespace govtrack::app {

namespace d = govtrack::domain;

namespace {

const char* kSqlitePrefix = "sqlite:";
const char* kMysqlPrefix = "mysql://";

bool startsWith(const std::string& s, const std::string& prefix) {
    return s.rfind(prefix, 0) == 0;
}

/// A URI safe to print: a mysql URI with a password is never echoed.
std::string printable(const std::string& uri) {
    return uri.find('@') == std::string::npos ? "'" + uri + "'" : "(a URI with credentials)";
}

}  // namespace

void GovtrackApp::defineStoreOptions(Poco::Util::OptionSet& options) {
    using Poco::Util::Option;
    using Poco::Util::OptionCallback;
    options.addOption(Option("from", "", "copy: the source store URI")
                          .argument("URI")
                          .callback(OptionCallback<GovtrackApp>(this, &GovtrackApp::handleValue)));
    options.addOption(Option("to", "", "copy: the target store URI; backup: the backup FILE")
                          .argument("URI|FILE")
                          .callback(OptionCallback<GovtrackApp>(this, &GovtrackApp::handleValue)));
    options.addOption(Option("force", "", "copy: empty a target that already holds data, then copy")
                          .callback(OptionCallback<GovtrackApp>(this, &GovtrackApp::handleFlag)));
}

std::string GovtrackApp::databasePassword() {
    // SPEC/issue 6: the password comes from the environment or a file, never the command line or logs.
    if (const char* env = std::getenv("GOVTRACK_DB_PASSWORD")) return env;
    const std::string file = config().getString("govtrack.storage.mysql.password_file", "");
    if (file.empty()) return "";
    std::ifstream in(file, std::ios::binary);
    if (!in) throw d::ValidationError("govtrack.storage.mysql.password_file: cannot read '" + file + "'");
    std::string password;
    std::getline(in, password);
    while (!password.empty() && (password.back() == '\r' || password.back() == '\n')) password.pop_back();
    return password;
}

std::unique_ptr<d::Store> GovtrackApp::openStore(const Settings& settings, bool mustExist) {
    return openStoreAt(settings.storeUri, mustExist);
}

std::unique_ptr<d::Store> GovtrackApp::openStoreAt(const std::string& uri, bool mustExist) {
    if (startsWith(uri, kSqlitePrefix) && uri.size() > std::string(kSqlitePrefix).size()) {
        const std::string path = uri.substr(std::string(kSqlitePrefix).size());
        // A report on a database that does not exist would be an empty "all clear": refuse it.
        if (mustExist && !Poco::File(path).exists()) {
            throw d::ValidationError("--db: the database " + path +
                                     " does not exist (import a plan first, or point --db at the right file)");
        }
        const Poco::Path parent = Poco::Path(path).parent();
        if (!parent.toString().empty()) Poco::File(parent).createDirectories();
        auto store = std::make_unique<storage_sqlite::SqliteStore>(path);
        store->migrate();  // SPEC 6: migrations are applied by `migrate` and at start
        return store;
    }
    if (startsWith(uri, kMysqlPrefix)) {
        storage_mysql::MysqlOptions options = storage_mysql::MysqlOptions::fromUri(uri);
        options.password = databasePassword();
        const int pool = config().getInt("govtrack.storage.mysql.pool_size", options.poolSize);
        if (pool < 1 || pool > 1000) {
            throw d::ValidationError("govtrack.storage.mysql.pool_size must be 1..1000, got " + std::to_string(pool));
        }
        options.poolSize = pool;
        auto store = std::make_unique<storage_mysql::MysqlStore>(std::move(options));
        store->migrate();
        return store;
    }
    throw d::ValidationError("--db: unsupported store " + printable(uri) +
                             "; expected sqlite:PATH or mysql://USER@HOST:PORT/DB");
}

int GovtrackApp::verbCopy(const std::vector<std::string>& args) {
    if (!args.empty()) throw d::ValidationError("copy takes no arguments; use --from URI --to URI [--force]");
    if (!values_.count("from") || !values_.count("to")) throw d::ValidationError("copy needs --from URI and --to URI");
    const std::string from = values_["from"], to = values_["to"];
    if (from == to) throw d::ValidationError("copy: --from and --to name the same store");
    auto source = openStoreAt(from, /*mustExist=*/true);
    auto target = openStoreAt(to);
    auto sourceSession = source->openSession();
    auto targetSession = target->openSession();
    platform::Sha256Hasher hasher;  // the copy is verified: counts, then the audit chain on the target
    const auto counts = d::copyStore(*sourceSession, *targetSession, flags_.count("force") > 0, hasher);
    std::int64_t total = 0;
    for (const auto& c : counts) total += c.rows;
    std::cout << "copied " << from << " to " << to << "\n";
    for (const auto& c : counts) std::cout << "  " << c.table << " " << c.rows << "\n";
    std::cout << "verified: " << counts.size() << " tables, " << total
              << " rows, counts match the source; audit chain verified on the target\n";
    return kExitOk;
}

int GovtrackApp::verbBackup(const std::vector<std::string>& args) {
    if (!args.empty()) throw d::ValidationError("backup takes no arguments; use --to FILE");
    if (!values_.count("to")) throw d::ValidationError("backup needs --to FILE");
    const std::string file = values_["to"];
    const Settings settings = readSettings();
    if (startsWith(settings.storeUri, kMysqlPrefix)) {
        throw d::ValidationError(
            "backup: for MariaDB/MySQL use mariadb-dump --single-transaction (see docs/deployment.md)");
    }
    if (Poco::File(file).exists()) throw d::ValidationError("backup: '" + file + "' already exists; choose a new file");
    auto store = openStore(settings);  // migrated, so the backup carries the current schema
    auto* sqlite = dynamic_cast<storage_sqlite::SqliteStore*>(store.get());
    if (!sqlite) throw d::ValidationError("backup: only sqlite: stores can be backed up by govtrack");
    sqlite->backupTo(file);
    std::cout << "backed up " << settings.storeUri << " to " << file << " (" << Poco::File(file).getSize()
              << " bytes); restore by using --db sqlite:" << file << "\n";
    return kExitOk;
}

}  // namespace govtrack::app
