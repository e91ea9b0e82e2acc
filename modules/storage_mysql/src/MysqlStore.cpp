#include "govtrack/storage_mysql/MysqlStore.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <istream>
#include <mutex>
#include <random>
#include <sstream>
#include <thread>
#include <tuple>
#include <unordered_map>

#include <cppconn/connection.h>
#include <cppconn/datatype.h>
#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>
#include <mysql_driver.h>

#include "govtrack/domain/Accounts.h"
#include "govtrack/domain/Error.h"
#include "govtrack/domain/Outbox.h"
#include "govtrack/domain/StoreTransfer.h"

namespace govtrack::storage_mysql {

struct Migration {
    int version;
    const char* name;
    const char* sql;
};
/// Generated at build time from schema/mysql/*.sql (cmake/EmbedMigrations.cmake).
const std::vector<Migration>& embeddedMigrations();

namespace {

namespace d = govtrack::domain;
using Rows = sql::ResultSet;

// ---- errors ----

/// Deadlock or lock-wait timeout: transaction() rolls back and runs the work again.
class RetryableError final : public d::UnavailableError {
public:
    using d::UnavailableError::UnavailableError;
};

/// The server closed the connection (killed, restarted, timed out).
class ConnectionLostError final : public d::UnavailableError {
public:
    using d::UnavailableError::UnavailableError;
};

bool isLostConnection(int code) {
    // CR_SERVER_GONE_ERROR, CR_SERVER_LOST, ER_CONNECTION_KILLED (MariaDB), CR_SERVER_LOST_EXTENDED,
    // ER_SERVER_SHUTDOWN, ER_QUERY_INTERRUPTED
    return code == 2006 || code == 2013 || code == 1927 || code == 2055 || code == 1053 || code == 1317;
}

std::string driverText(const sql::SQLException& e) {
    return std::string(e.what()) + " (error " + std::to_string(e.getErrorCode()) + ", SQLSTATE " + e.getSQLState() +
           ")";
}

/// Translates a driver error raised while doing `what` into the domain error SqliteStore raises for the
/// same situation (storage contract suite).
[[noreturn]] void throwTranslated(const std::string& what, const sql::SQLException& e) {
    const int code = e.getErrorCode();
    const std::string internal = driverText(e);
    switch (code) {
        case 1062:  // ER_DUP_ENTRY
        case 1586:  // ER_DUP_ENTRY_WITH_KEY_NAME
        case 1022:  // ER_DUP_KEY
            throw d::ConflictError(what + ": a record with the same key already exists", false, internal);
        case 1452:  // ER_NO_REFERENCED_ROW_2
        case 1216:  // ER_NO_REFERENCED_ROW
        case 1451:  // ER_ROW_IS_REFERENCED_2
        case 1217:  // ER_ROW_IS_REFERENCED
            throw d::ConflictError(what + ": it refers to a record that does not exist", false, internal);
        case 4025:  // ER_CONSTRAINT_FAILED (MariaDB CHECK)
        case 3819:  // ER_CHECK_CONSTRAINT_VIOLATED (MySQL CHECK)
        case 1048:  // ER_BAD_NULL_ERROR
        case 1364:  // ER_NO_DEFAULT_FOR_FIELD
            throw d::ConflictError(what + ": a value breaks a rule of the database", false, internal);
        case 1406:  // ER_DATA_TOO_LONG: SQLite TEXT has no limit; here a key column does
            throw d::ValidationError(what + ": a value is longer than the database column allows");
        case 1213:  // ER_LOCK_DEADLOCK
        case 1205:  // ER_LOCK_WAIT_TIMEOUT
            throw RetryableError("the database is busy; try again", internal);
        default:
            break;
    }
    if (isLostConnection(code)) {
        throw ConnectionLostError("the connection to the database was lost; nothing was saved, try again", internal);
    }
    if (code >= 2000 && code < 3000) {  // client-side errors (CR_*): the server is unreachable
        throw d::UnavailableError("the database is not reachable; try again", internal);
    }
    throw d::Error(d::ErrorCode::kInternal, what + " failed", {}, internal);
}

/// The one-line reason a connection attempt failed (never the password).
[[noreturn]] void throwConnectFailure(const MysqlOptions& o, const sql::SQLException& e) {
    const std::string where = o.host + ":" + std::to_string(o.port);
    const std::string internal = driverText(e);
    switch (e.getErrorCode()) {
        case 1045:
            throw d::UnavailableError("cannot log in to the database at " + where + " as '" + o.user +
                                          "': access denied (check the password in GOVTRACK_DB_PASSWORD or the "
                                          "password file)",
                                      internal);
        case 1044:
        case 1049:
            throw d::UnavailableError("cannot use database '" + o.database + "' at " + where + " as '" + o.user +
                                          "': it does not exist or the user may not use it",
                                      internal);
        case 1040:
            throw d::UnavailableError("the database at " + where + " has too many connections; try again", internal);
        case 2002:
        case 2003:
        case 2005:
            throw d::UnavailableError("cannot reach the database at " + where + " (is the server running?)", internal);
        default:
            throw d::UnavailableError(
                "cannot connect to the database at " + where + " (error " + std::to_string(e.getErrorCode()) + ")",
                internal);
    }
}

// ---- value mapping (the same text forms as storage_sqlite) ----

std::string precisionName(d::DatePrecision p) {
    return p == d::DatePrecision::kMonth ? "month" : "day";
}
d::TargetDate targetDate(const std::string& iso, const std::string& precision) {
    const auto day = d::parseIsoDate(iso);
    if (!day) throw d::Error(d::ErrorCode::kInternal, "stored date is malformed", {}, "bad date '" + iso + "'");
    return d::TargetDate{*day, precision == "month" ? d::DatePrecision::kMonth : d::DatePrecision::kDay};
}
d::Date isoDay(const std::string& iso) {
    return targetDate(iso, "day").date;
}
std::optional<std::string> isoOf(const std::optional<d::TargetDate>& v) {
    return v ? std::optional<std::string>(v->iso()) : std::nullopt;
}
std::optional<d::TargetDate> optDate(const std::optional<std::string>& v) {
    return v ? d::parseTargetDate(*v) : std::nullopt;
}
template <typename E>
std::optional<std::string> nameOf(const std::optional<E>& v) {
    return v ? std::optional<std::string>(std::string(d::toString(*v))) : std::nullopt;
}

/// Person::roles as every store returns them: enum order, no repeats.
void normaliseRoles(std::vector<d::Role>& roles) {
    std::sort(roles.begin(), roles.end());
    roles.erase(std::unique(roles.begin(), roles.end()), roles.end());
}

/// GovernanceGroup::members as every store returns them: chair, secretary, member, then by person id.
void sortMembers(std::vector<d::GroupMember>& members) {
    std::stable_sort(members.begin(), members.end(), [](const d::GroupMember& a, const d::GroupMember& b) {
        return std::tie(a.role, a.personId) < std::tie(b.role, b.personId);
    });
}

std::string joinLines(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items) {
        if (!out.empty()) out += '\n';
        out += i;
    }
    return out;
}
std::vector<std::string> splitLines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (!line.empty()) out.push_back(line);
    }
    return out;
}

template <typename E>
E storedEnum(std::optional<E> parsed, const std::string& raw) {
    if (!parsed) throw d::Error(d::ErrorCode::kInternal, "stored value is not recognised", {}, "value '" + raw + "'");
    return *parsed;
}

/// Binds parameters left to right.
class Params {
public:
    explicit Params(sql::PreparedStatement& ps) : ps_(ps) {}
    Params& str(const std::string& v) {
        ps_.setString(i_++, v);
        return *this;
    }
    Params& optStr(const std::optional<std::string>& v) {
        if (v)
            ps_.setString(i_++, *v);
        else
            ps_.setNull(i_++, sql::DataType::VARCHAR);
        return *this;
    }
    Params& i64(std::int64_t v) {
        ps_.setInt64(i_++, v);
        return *this;
    }
    Params& optInt(const std::optional<int>& v) {
        if (v)
            ps_.setInt(i_++, *v);
        else
            ps_.setNull(i_++, sql::DataType::INTEGER);
        return *this;
    }
    /// Bytes as they are (no character set); `in` must outlive the statement's execution.
    Params& blob(std::istream& in) {
        ps_.setBlob(i_++, &in);
        return *this;
    }

private:
    sql::PreparedStatement& ps_;
    unsigned int i_ = 1;
};

std::string str(Rows& rs, unsigned int col) {
    return rs.getString(col).asStdString();
}
std::optional<std::string> optStr(Rows& rs, unsigned int col) {
    std::string v = rs.getString(col).asStdString();
    if (rs.wasNull()) return std::nullopt;
    return v;
}
std::optional<int> optInt(Rows& rs, unsigned int col) {
    const int v = rs.getInt(col);
    if (rs.wasNull()) return std::nullopt;
    return v;
}

/// Binds a GroupDecision as five nullable columns (*_group_id, *_decided_by_id, *_date, *_power, *_reference).
void bindDecision(Params& p, const std::optional<d::GroupDecision>& v) {
    if (!v) {
        p.optStr(std::nullopt).optStr(std::nullopt).optStr(std::nullopt).optStr(std::nullopt).optStr(std::nullopt);
        return;
    }
    p.str(v->groupId)
        .optStr(v->decidedById)
        .str(d::formatIso(v->date))
        .str(std::string(d::toString(v->power)))
        .str(v->reference);
}
/// Reads the five decision columns starting at `col`.
std::optional<d::GroupDecision> decisionAt(Rows& rs, unsigned int col) {
    auto group = optStr(rs, col);
    if (!group) return std::nullopt;
    d::GroupDecision x;
    x.groupId = *group;
    x.decidedById = optStr(rs, col + 1);
    x.date = isoDay(optStr(rs, col + 2).value_or(""));
    const std::string power = optStr(rs, col + 3).value_or("");
    x.power = storedEnum(d::parsePowerKind(power), power);
    x.reference = optStr(rs, col + 4).value_or("");
    return x;
}

using Bind = std::function<void(Params&)>;
const Bind kNoParams = [](Params&) {};

/// Splits a migration file into statements: drops `--` comments, splits on `;` outside quotes.
std::vector<std::string> splitStatements(const std::string& script) {
    std::vector<std::string> out;
    std::string current;
    bool quoted = false;
    for (std::size_t i = 0; i < script.size(); ++i) {
        const char c = script[i];
        if (!quoted && c == '-' && i + 1 < script.size() && script[i + 1] == '-') {
            while (i < script.size() && script[i] != '\n') ++i;
            current += '\n';
            continue;
        }
        if (c == '\'') quoted = !quoted;
        if (!quoted && c == ';') {
            if (current.find_first_not_of(" \t\r\n") != std::string::npos) out.push_back(current);
            current.clear();
            continue;
        }
        current += c;
    }
    if (current.find_first_not_of(" \t\r\n") != std::string::npos) out.push_back(current);
    return out;
}

}  // namespace

// ---- the pool ----

struct MysqlStore::Pool {
    explicit Pool(MysqlOptions o) : options(std::move(o)) {}

    /// A new physical connection, configured for govtrack.
    std::unique_ptr<sql::Connection> connect() {
        static std::once_flag driverOnce;
        static sql::mysql::MySQL_Driver* driver = nullptr;
        std::call_once(driverOnce, [] { driver = sql::mysql::get_mysql_driver_instance(); });
        sql::ConnectOptionsMap p;
        p["hostName"] = sql::SQLString("tcp://" + options.host + ":" + std::to_string(options.port));
        p["userName"] = sql::SQLString(options.user);
        p["password"] = sql::SQLString(options.password);
        p["schema"] = sql::SQLString(options.database);
        p["OPT_CHARSET_NAME"] = sql::SQLString("utf8mb4");
        p["OPT_CONNECT_TIMEOUT"] = options.connectTimeoutSeconds;
        p["OPT_RECONNECT"] = false;  // the store reconnects itself, knowing whether a transaction was open
        std::unique_ptr<sql::Connection> con;
        try {
            con.reset(driver->connect(p));
        } catch (const sql::SQLException& e) {
            throwConnectFailure(options, e);
        }
        try {
            std::unique_ptr<sql::Statement> st(con->createStatement());
            // Fixed session settings, no values: strict mode rejects rather than truncates.
            st->execute(
                "SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,"
                "ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION'");
            st->execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");
            st->execute("SET NAMES utf8mb4");
        } catch (const sql::SQLException& e) {
            throwTranslated("configuring the database connection", e);
        }
        return con;
    }

    /// Takes a slot and a connection (an idle one if it still answers a ping, else a new one).
    std::unique_ptr<sql::Connection> acquire() {
        std::unique_ptr<sql::Connection> con;
        {
            std::unique_lock lock(mutex);
            if (!available.wait_for(lock, std::chrono::seconds(options.poolWaitSeconds),
                                    [&] { return leased < options.poolSize; })) {
                throw d::UnavailableError("all " + std::to_string(options.poolSize) +
                                          " database connections are in use; try again");
            }
            ++leased;
            if (!idle.empty()) {
                con = std::move(idle.back());
                idle.pop_back();
            }
        }
        try {
            if (con) {
                bool alive = false;
                try {
                    alive = con->isValid();
                } catch (const sql::SQLException&) {
                }
                if (!alive) con.reset();  // the server dropped it while idle: reconnect
            }
            if (!con) con = connect();
        } catch (...) {
            release(nullptr);
            throw;
        }
        return con;
    }

    /// Returns a slot, and the connection to the idle list if it is still usable.
    void release(std::unique_ptr<sql::Connection> con) {
        std::lock_guard lock(mutex);
        --leased;
        if (con) idle.push_back(std::move(con));
        available.notify_one();
    }

    MysqlOptions options;
    std::mutex mutex;
    std::condition_variable available;
    std::vector<std::unique_ptr<sql::Connection>> idle;
    int leased = 0;
};

namespace {

// ---- the session: one pooled connection ----

class MysqlSession;

/// What repositories need from their session.
class Connection {
public:
    virtual ~Connection() = default;
    /// Runs a read; outside a transaction a lost connection is re-established and the read runs again.
    virtual void read(const std::string& what, const std::function<void()>& work) = 0;
    /// Runs several writes as one unit: inside the caller's transaction, else in a transaction of its own.
    virtual void write(const std::string& what, const std::function<void()>& work) = 0;
    /// Executes a SELECT, calling `row` for each row.
    virtual void select(const std::string& sql, const Bind& bind, const std::function<void(Rows&)>& row) = 0;
    /// Executes an INSERT/UPDATE/DELETE; returns the affected row count.
    virtual int update(const std::string& sql, const Bind& bind) = 0;
};

bool rowExists(Connection& c, const char* table, const std::string& id) {
    bool found = false;
    c.select(
        std::string("SELECT 1 FROM ") + table + " WHERE id = ?", [&](Params& p) { p.str(id); },
        [&](Rows&) { found = true; });
    return found;
}

void checkVersion(int updated, const char* entity, const std::string& key) {
    if (updated == 0) {
        throw d::ConflictError(std::string(entity) + " " + key + " was changed by someone else; reload and try again",
                               true);
    }
}

// ---- repositories ----

class MysqlUnits final : public d::OrganisationUnitRepository {
public:
    explicit MysqlUnits(Connection& c) : c_(c) {}
    std::optional<d::OrganisationUnit> findByName(const std::string& name) override {
        auto all = query("WHERE name = ?", [&](Params& p) { p.str(name); });
        return all.empty() ? std::nullopt : std::optional(all.front());
    }
    std::vector<d::OrganisationUnit> list() override { return query("ORDER BY name", kNoParams); }
    void save(const d::OrganisationUnit& u) override {
        c_.write("saving unit", [&] {
            auto bind = [&](Params& p) {
                p.str(u.name).str(std::string(d::toString(u.kind))).optStr(u.parentId).str(u.id);
            };
            if (rowExists(c_, "org_unit", u.id)) {
                c_.update("UPDATE org_unit SET name = ?, kind = ?, parent_id = ? WHERE id = ?", bind);
            } else {
                c_.update("INSERT INTO org_unit (name, kind, parent_id, id) VALUES (?, ?, ?, ?)", bind);
            }
        });
    }

private:
    std::vector<d::OrganisationUnit> query(const std::string& tail, const Bind& bind) {
        std::vector<d::OrganisationUnit> out;
        c_.read("reading units", [&] {
            out.clear();
            c_.select("SELECT id, name, kind, parent_id FROM org_unit " + tail, bind, [&](Rows& rs) {
                const std::string kind = str(rs, 3);
                out.push_back({str(rs, 1), str(rs, 2), storedEnum(d::parseUnitKind(kind), kind), optStr(rs, 4)});
            });
        });
        return out;
    }
    Connection& c_;
};

class MysqlPeople final : public d::PersonRepository {
public:
    explicit MysqlPeople(Connection& c) : c_(c) {}
    std::optional<d::Person> findById(const d::Id& id) override {
        auto all = query("WHERE id = ?", "", [&](Params& p) { p.str(id); });
        return all.empty() ? std::nullopt : std::optional(all.front());
    }
    std::optional<d::Person> findByRoleTitle(const std::string& roleTitle) override {
        auto all = query("WHERE role_title = ?", "", [&](Params& p) { p.str(roleTitle); });
        return all.empty() ? std::nullopt : std::optional(all.front());
    }
    std::vector<d::Person> list() override { return query("", "ORDER BY role_title", kNoParams); }
    std::vector<d::Id> listDirectReports(const d::Id& managerId) override {
        // Ids only, in one query: sign-in asks on every request.
        std::vector<d::Id> out;
        c_.read("reading people", [&] {
            out.clear();
            c_.select(
                "SELECT id FROM person WHERE line_manager_id = ? ORDER BY role_title",
                [&](Params& p) { p.str(managerId); }, [&](Rows& rs) { out.push_back(str(rs, 1)); });
        });
        return out;
    }
    void save(const d::Person& x) override {
        c_.write("saving person", [&] {
            auto bind = [&](Params& p) {
                p.str(x.roleTitle)
                    .str(x.email)
                    .optStr(x.unitId)
                    .optStr(x.lineManagerId)
                    .i64(x.active ? 1 : 0)
                    .str(x.id);
            };
            if (rowExists(c_, "person", x.id)) {
                c_.update(
                    "UPDATE person SET role_title = ?, email = ?, unit_id = ?, line_manager_id = ?, active = ? "
                    "WHERE id = ?",
                    bind);
            } else {
                c_.update(
                    "INSERT INTO person (role_title, email, unit_id, line_manager_id, active, id) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    bind);
            }
            c_.update("DELETE FROM person_role WHERE person_id = ?", [&](Params& p) { p.str(x.id); });
            std::vector<d::Role> roles = x.roles;
            normaliseRoles(roles);
            for (const auto role : roles) {
                c_.update("INSERT INTO person_role (person_id, role) VALUES (?, ?)",
                          [&](Params& p) { p.str(x.id).str(std::string(d::toString(role))); });
            }
        });
    }

private:
    /// People matching `where` in `order`, with their roles (two queries in all).
    std::vector<d::Person> query(const std::string& where, const std::string& order, const Bind& bind) {
        std::vector<d::Person> out;
        c_.read("reading people", [&] {
            out.clear();
            std::unordered_map<std::string, std::size_t> index;
            c_.select(
                "SELECT id, role_title, email, unit_id, line_manager_id, active FROM person " + where + " " + order,
                bind, [&](Rows& rs) {
                    index.emplace(str(rs, 1), out.size());
                    out.push_back(
                        {str(rs, 1), str(rs, 2), str(rs, 3), optStr(rs, 4), optStr(rs, 5), rs.getInt(6) != 0, {}});
                });
            if (out.empty()) return;
            c_.select("SELECT x.person_id, x.role FROM person_role x WHERE x.person_id IN (SELECT id FROM person " +
                          where + ")",
                      bind, [&](Rows& rs) {
                          if (auto it = index.find(str(rs, 1)); it != index.end()) {
                              const std::string role = str(rs, 2);
                              out[it->second].roles.push_back(storedEnum(d::parseRole(role), role));
                          }
                      });
            for (auto& p : out) normaliseRoles(p.roles);
        });
        return out;
    }
    Connection& c_;
};

class MysqlGroups final : public d::GovernanceGroupRepository {
public:
    explicit MysqlGroups(Connection& c) : c_(c) {}
    std::optional<d::GovernanceGroup> findById(const d::Id& id) override {
        auto all = query("WHERE id = ?", "", [&](Params& p) { p.str(id); });
        return all.empty() ? std::nullopt : std::optional(all.front());
    }
    std::optional<d::GovernanceGroup> findByName(const std::string& name) override {
        auto all = query("WHERE name = ?", "", [&](Params& p) { p.str(name); });
        return all.empty() ? std::nullopt : std::optional(all.front());
    }
    std::vector<d::GovernanceGroup> list() override { return query("", "ORDER BY name", kNoParams); }
    void save(const d::GovernanceGroup& g) override {
        c_.write("saving governance group", [&] {
            auto bind = [&](Params& p) {
                p.str(g.name)
                    .str(std::string(d::toString(g.kind)))
                    .optStr(g.parentId)
                    .str(g.purpose)
                    .str(g.remit)
                    .str(g.meetingFrequency)
                    .str(g.quorum)
                    .optStr(isoOf(g.effectiveFrom))
                    .optStr(isoOf(g.effectiveTo))
                    .optStr(g.supersededById)
                    .str(g.id);
            };
            if (rowExists(c_, "governance_group", g.id)) {
                c_.update(
                    "UPDATE governance_group SET name = ?, kind = ?, parent_id = ?, purpose = ?, remit = ?, "
                    "meeting_frequency = ?, quorum = ?, effective_from = ?, effective_to = ?, "
                    "superseded_by_id = ? WHERE id = ?",
                    bind);
            } else {
                c_.update(
                    "INSERT INTO governance_group (name, kind, parent_id, purpose, remit, meeting_frequency, "
                    "quorum, effective_from, effective_to, superseded_by_id, id) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    bind);
            }
            c_.update("DELETE FROM group_member WHERE group_id = ?", [&](Params& p) { p.str(g.id); });
            for (const auto& m : g.members) {
                c_.update("INSERT INTO group_member (group_id, person_id, role) VALUES (?, ?, ?)",
                          [&](Params& p) { p.str(g.id).str(m.personId).str(std::string(d::toString(m.role))); });
            }
            c_.update("DELETE FROM group_power WHERE group_id = ?", [&](Params& p) { p.str(g.id); });
            for (std::size_t i = 0; i < g.powers.size(); ++i) {
                const auto& power = g.powers[i];
                c_.update(
                    "INSERT INTO group_power (group_id, position, kind, max_priority, max_total_slip_days) "
                    "VALUES (?, ?, ?, ?, ?)",
                    [&](Params& p) {
                        p.str(g.id)
                            .i64(static_cast<std::int64_t>(i) + 1)
                            .str(std::string(d::toString(power.kind)))
                            .optStr(nameOf(power.maxPriority))
                            .optInt(power.maxTotalSlipDays);
                    });
            }
        });
    }

private:
    /// Groups matching `where` in `order`, with members and powers (three queries in all).
    std::vector<d::GovernanceGroup> query(const std::string& where, const std::string& order, const Bind& bind) {
        std::vector<d::GovernanceGroup> out;
        c_.read("reading governance groups", [&] {
            out.clear();
            std::unordered_map<std::string, std::size_t> index;
            c_.select(
                "SELECT id, name, kind, parent_id, purpose, remit, meeting_frequency, quorum, effective_from, "
                "effective_to, superseded_by_id FROM governance_group " +
                    where + " " + order,
                bind, [&](Rows& rs) {
                    d::GovernanceGroup g;
                    g.id = str(rs, 1);
                    g.name = str(rs, 2);
                    const std::string kind = str(rs, 3);
                    g.kind = storedEnum(d::parseGroupKind(kind), kind);
                    g.parentId = optStr(rs, 4);
                    g.purpose = str(rs, 5);
                    g.remit = str(rs, 6);
                    g.meetingFrequency = str(rs, 7);
                    g.quorum = str(rs, 8);
                    g.effectiveFrom = optDate(optStr(rs, 9));
                    g.effectiveTo = optDate(optStr(rs, 10));
                    g.supersededById = optStr(rs, 11);
                    index.emplace(g.id, out.size());
                    out.push_back(std::move(g));
                });
            if (out.empty()) return;
            const std::string scope = "WHERE x.group_id IN (SELECT id FROM governance_group " + where + ")";
            c_.select("SELECT x.group_id, x.person_id, x.role FROM group_member x " + scope, bind, [&](Rows& rs) {
                if (auto it = index.find(str(rs, 1)); it != index.end()) {
                    const std::string role = str(rs, 3);
                    out[it->second].members.push_back({str(rs, 2), storedEnum(d::parseMemberRole(role), role)});
                }
            });
            c_.select("SELECT x.group_id, x.kind, x.max_priority, x.max_total_slip_days FROM group_power x " + scope +
                          " ORDER BY x.group_id, x.position",
                      bind, [&](Rows& rs) {
                          auto it = index.find(str(rs, 1));
                          if (it == index.end()) return;
                          d::DelegatedPower p;
                          const std::string kind = str(rs, 2);
                          p.kind = storedEnum(d::parsePowerKind(kind), kind);
                          if (auto max = optStr(rs, 3)) p.maxPriority = storedEnum(d::parsePriority(*max), *max);
                          p.maxTotalSlipDays = optInt(rs, 4);
                          out[it->second].powers.push_back(p);
                      });
            for (auto& g : out) sortMembers(g.members);
        });
        return out;
    }
    Connection& c_;
};

void bindRating(Params& p, const std::optional<d::RiskRating>& r) {
    p.optInt(r ? std::optional<int>(r->likelihood) : std::nullopt);
    p.optInt(r ? std::optional<int>(r->impact) : std::nullopt);
}
std::optional<d::RiskRating> ratingAt(Rows& rs, unsigned int col) {
    auto l = optInt(rs, col);
    auto i = optInt(rs, col + 1);
    if (!l || !i) return std::nullopt;
    return d::RiskRating{*l, *i};
}
std::optional<d::Date> optDay(Rows& rs, unsigned int col) {
    auto v = optStr(rs, col);
    if (!v) return std::nullopt;
    return isoDay(*v);
}

class MysqlRiskRegisters final : public d::RiskRegisterRepository {
public:
    explicit MysqlRiskRegisters(Connection& c) : c_(c) {}
    std::optional<d::RiskRegister> findById(const d::Id& id) override {
        auto all = query("WHERE id = ?", [&](Params& p) { p.str(id); });
        return all.empty() ? std::nullopt : std::optional(all.front());
    }
    std::optional<d::RiskRegister> findByName(const std::string& name) override {
        auto all = query("WHERE name = ?", [&](Params& p) { p.str(name); });
        return all.empty() ? std::nullopt : std::optional(all.front());
    }
    std::vector<d::RiskRegister> list() override { return query("ORDER BY name", kNoParams); }
    void save(const d::RiskRegister& r) override {
        c_.write("saving risk register", [&] {
            auto bind = [&](Params& p) {
                p.str(r.name)
                    .str(std::string(d::toString(r.level)))
                    .optStr(r.ownerUnitId)
                    .optStr(r.ownerGroupId)
                    .optInt(r.escalationThreshold)
                    .optInt(r.reviewFrequencyDays)
                    .str(r.id);
            };
            if (rowExists(c_, "risk_register", r.id)) {
                c_.update(
                    "UPDATE risk_register SET name = ?, level = ?, owner_unit_id = ?, owner_group_id = ?, "
                    "escalation_threshold = ?, review_frequency_days = ? WHERE id = ?",
                    bind);
            } else {
                c_.update(
                    "INSERT INTO risk_register (name, level, owner_unit_id, owner_group_id, escalation_threshold, "
                    "review_frequency_days, id) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    bind);
            }
            c_.update("DELETE FROM risk_tolerance WHERE register_id = ?", [&](Params& p) { p.str(r.id); });
            for (const auto& t : r.tolerances) {
                c_.update("INSERT INTO risk_tolerance (register_id, category, appetite) VALUES (?, ?, ?)",
                          [&](Params& p) { p.str(r.id).str(t.category).str(std::string(d::toString(t.appetite))); });
            }
        });
    }

private:
    std::vector<d::RiskRegister> query(const std::string& tail, const Bind& bind) {
        std::vector<d::RiskRegister> out;
        c_.read("reading risk registers", [&] {
            out.clear();
            c_.select(
                "SELECT id, name, level, owner_unit_id, owner_group_id, escalation_threshold, "
                "review_frequency_days FROM risk_register " +
                    tail,
                bind, [&](Rows& rs) {
                    d::RiskRegister r;
                    r.id = str(rs, 1);
                    r.name = str(rs, 2);
                    const std::string level = str(rs, 3);
                    r.level = storedEnum(d::parseRiskLevel(level), level);
                    r.ownerUnitId = optStr(rs, 4);
                    r.ownerGroupId = optStr(rs, 5);
                    r.escalationThreshold = rs.getInt(6);
                    r.reviewFrequencyDays = rs.getInt(7);
                    out.push_back(std::move(r));
                });
            for (auto& r : out) {
                c_.select(
                    "SELECT category, appetite FROM risk_tolerance WHERE register_id = ? ORDER BY category",
                    [&](Params& p) { p.str(r.id); },
                    [&](Rows& rs) {
                        const std::string appetite = str(rs, 2);
                        r.tolerances.push_back({str(rs, 1), storedEnum(d::parseAppetite(appetite), appetite)});
                    });
            }
        });
        return out;
    }
    Connection& c_;
};

class MysqlRisks final : public d::RiskRepository {
public:
    explicit MysqlRisks(Connection& c) : c_(c) {}
    std::optional<d::Risk> findById(const d::Id& id) override {
        auto all = query("WHERE id = ?", [&](Params& p) { p.str(id); });
        return all.empty() ? std::nullopt : std::optional(all.front());
    }
    std::optional<d::Risk> findByReference(const std::string& reference) override {
        auto all = query("WHERE reference = ?", [&](Params& p) { p.str(reference); });
        return all.empty() ? std::nullopt : std::optional(all.front());
    }
    std::vector<d::Risk> list() override { return query("ORDER BY reference", kNoParams); }
    void save(const d::Risk& r) override {
        c_.write("saving risk", [&] {
            auto bind = [&](Params& p) {
                p.str(r.reference).str(r.title).str(r.description).str(r.level).optStr(r.registerId);
                p.str(r.cause).str(r.event).str(r.effect).str(r.category);
                bindRating(p, r.inherent);
                bindRating(p, r.current);
                bindRating(p, r.target);
                p.str(r.targetReason)
                    .str(joinLines(r.controls))
                    .str(joinLines(r.linkedRecommendations))
                    .str(joinLines(r.linkedActions))
                    .optStr(r.lastReview ? std::optional(d::formatIso(*r.lastReview)) : std::nullopt)
                    .optStr(r.nextReview ? std::optional(d::formatIso(*r.nextReview)) : std::nullopt)
                    .str(std::string(d::toString(r.status)))
                    .optStr(r.parentId)
                    .str(r.id);
            };
            if (rowExists(c_, "risk", r.id)) {
                c_.update(
                    "UPDATE risk SET reference = ?, title = ?, description = ?, level = ?, register_id = ?, "
                    "cause = ?, risk_event = ?, effect = ?, category = ?, inherent_likelihood = ?, "
                    "inherent_impact = ?, current_likelihood = ?, current_impact = ?, target_likelihood = ?, "
                    "target_impact = ?, target_reason = ?, controls = ?, linked_recommendations = ?, "
                    "linked_actions = ?, last_review = ?, next_review = ?, status = ?, parent_id = ? WHERE id = ?",
                    bind);
            } else {
                c_.update(
                    "INSERT INTO risk (reference, title, description, level, register_id, cause, risk_event, "
                    "effect, category, inherent_likelihood, inherent_impact, current_likelihood, current_impact, "
                    "target_likelihood, target_impact, target_reason, controls, linked_recommendations, "
                    "linked_actions, last_review, next_review, status, parent_id, id) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    bind);
            }
            c_.update("DELETE FROM risk_owner WHERE risk_id = ?", [&](Params& p) { p.str(r.id); });
            int position = 0;
            for (const auto& owner : r.ownerIds) {
                ++position;
                c_.update("INSERT INTO risk_owner (risk_id, position, person_id) VALUES (?, ?, ?)",
                          [&](Params& p) { p.str(r.id).optInt(position).str(owner); });
            }
        });
    }
    void addScoreChange(const d::RiskScoreChange& c) override {
        c_.write("recording a risk score change", [&] {
            c_.update(
                "INSERT INTO risk_score_change (risk_id, number, changed_at, change_date, actor_id, actor_name, "
                "inherent_likelihood, inherent_impact, current_likelihood, current_impact, target_likelihood, "
                "target_impact, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [&](Params& p) {
                    p.str(c.riskId)
                        .optInt(c.number)
                        .str(c.at)
                        .str(d::formatIso(c.date))
                        .optStr(c.actorId)
                        .str(c.actorName);
                    bindRating(p, c.inherent);
                    bindRating(p, c.current);
                    bindRating(p, c.target);
                    p.str(c.reason);
                });
        });
    }
    std::vector<d::RiskScoreChange> scoreChanges(const std::optional<d::Id>& riskId) override {
        std::vector<d::RiskScoreChange> out;
        c_.read("reading risk score changes", [&] {
            out.clear();
            c_.select(
                std::string("SELECT risk_id, number, changed_at, change_date, actor_id, actor_name, "
                            "inherent_likelihood, inherent_impact, current_likelihood, current_impact, "
                            "target_likelihood, target_impact, reason FROM risk_score_change ") +
                    (riskId ? "WHERE risk_id = ? " : "") + "ORDER BY risk_id, number",
                [&](Params& p) {
                    if (riskId) p.str(*riskId);
                },
                [&](Rows& rs) {
                    d::RiskScoreChange c;
                    c.riskId = str(rs, 1);
                    c.number = rs.getInt(2);
                    c.at = str(rs, 3);
                    c.date = isoDay(str(rs, 4));
                    c.actorId = optStr(rs, 5);
                    c.actorName = str(rs, 6);
                    c.inherent = ratingAt(rs, 7);
                    c.current = ratingAt(rs, 9);
                    c.target = ratingAt(rs, 11);
                    c.reason = str(rs, 13);
                    out.push_back(std::move(c));
                });
        });
        return out;
    }
    void addDecision(const d::EscalationDecision& e) override {
        c_.write("recording an escalation decision", [&] {
            c_.update(
                "INSERT INTO risk_escalation (risk_id, number, kind, strategic_risk_id, group_id, decided_by_id, "
                "decided_by_name, decision_date, decided_at, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [&](Params& p) {
                    p.str(e.riskId)
                        .optInt(e.number)
                        .str(std::string(d::toString(e.kind)))
                        .optStr(e.strategicRiskId)
                        .str(e.groupId)
                        .optStr(e.decidedById)
                        .str(e.decidedByName)
                        .str(d::formatIso(e.date))
                        .str(e.at)
                        .str(e.reason);
                });
        });
    }
    std::vector<d::EscalationDecision> decisions(const std::optional<d::Id>& riskId) override {
        std::vector<d::EscalationDecision> out;
        c_.read("reading escalation decisions", [&] {
            out.clear();
            c_.select(
                std::string("SELECT risk_id, number, kind, strategic_risk_id, group_id, decided_by_id, "
                            "decided_by_name, decision_date, decided_at, reason FROM risk_escalation ") +
                    (riskId ? "WHERE risk_id = ? " : "") + "ORDER BY risk_id, number",
                [&](Params& p) {
                    if (riskId) p.str(*riskId);
                },
                [&](Rows& rs) {
                    d::EscalationDecision e;
                    e.riskId = str(rs, 1);
                    e.number = rs.getInt(2);
                    const std::string kind = str(rs, 3);
                    e.kind = storedEnum(d::parseEscalationKind(kind), kind);
                    e.strategicRiskId = optStr(rs, 4);
                    e.groupId = str(rs, 5);
                    e.decidedById = optStr(rs, 6);
                    e.decidedByName = str(rs, 7);
                    e.date = isoDay(str(rs, 8));
                    e.at = str(rs, 9);
                    e.reason = str(rs, 10);
                    out.push_back(std::move(e));
                });
        });
        return out;
    }

private:
    std::vector<d::Risk> query(const std::string& tail, const Bind& bind) {
        std::vector<d::Risk> out;
        c_.read("reading risks", [&] {
            out.clear();
            c_.select(
                "SELECT id, reference, title, description, level, register_id, cause, risk_event, effect, "
                "category, inherent_likelihood, inherent_impact, current_likelihood, current_impact, "
                "target_likelihood, target_impact, target_reason, controls, linked_recommendations, "
                "linked_actions, last_review, next_review, status, parent_id FROM risk " +
                    tail,
                bind, [&](Rows& rs) {
                    d::Risk r = d::Risk::basic(str(rs, 1), str(rs, 2), str(rs, 3), str(rs, 4), str(rs, 5));
                    r.registerId = optStr(rs, 6);
                    r.cause = str(rs, 7);
                    r.event = str(rs, 8);
                    r.effect = str(rs, 9);
                    r.category = str(rs, 10);
                    r.inherent = ratingAt(rs, 11);
                    r.current = ratingAt(rs, 13);
                    r.target = ratingAt(rs, 15);
                    r.targetReason = str(rs, 17);
                    r.controls = splitLines(str(rs, 18));
                    r.linkedRecommendations = splitLines(str(rs, 19));
                    r.linkedActions = splitLines(str(rs, 20));
                    r.lastReview = optDay(rs, 21);
                    r.nextReview = optDay(rs, 22);
                    const std::string status = str(rs, 23);
                    r.status = storedEnum(d::parseRiskStatus(status), status);
                    r.parentId = optStr(rs, 24);
                    out.push_back(std::move(r));
                });
            for (auto& r : out) {
                c_.select(
                    "SELECT person_id FROM risk_owner WHERE risk_id = ? ORDER BY position",
                    [&](Params& p) { p.str(r.id); }, [&](Rows& rs) { r.ownerIds.push_back(str(rs, 1)); });
            }
        });
        return out;
    }
    Connection& c_;
};

class MysqlEngagements final : public d::EngagementRepository {
public:
    explicit MysqlEngagements(Connection& c) : c_(c) {}
    std::optional<d::Engagement> findByReference(const std::string& reference) override {
        auto all = query("WHERE reference = ?", [&](Params& p) { p.str(reference); });
        return all.empty() ? std::nullopt : std::optional(all.front());
    }
    std::vector<d::Engagement> list() override { return query("ORDER BY reference", kNoParams); }
    void save(const d::Engagement& e) override { write(e, false); }
    /// Inserts `e` as a new row with its own version (StoreTransfer::importAll).
    void insertKeepingVersion(const d::Engagement& e) { write(e, true); }

private:
    void write(const d::Engagement& e, bool keepVersion) {
        c_.write("saving engagement", [&] {
            auto bind = [&](Params& p) {
                p.str(e.reference)
                    .str(e.title)
                    .str(e.auditYear)
                    .str(e.scope)
                    .str(joinLines(e.remitItems))
                    .str(joinLines(e.keyRisks))
                    .optStr(isoOf(e.fieldworkStart))
                    .optStr(isoOf(e.fieldworkEnd))
                    .optStr(isoOf(e.draftReportDate))
                    .optStr(isoOf(e.finalReportDate))
                    .optInt(e.resourceDays)
                    .optStr(isoOf(e.issueDate))
                    .optStr(nameOf(e.assuranceLevel))
                    .str(std::string(d::toString(e.status)))
                    .optStr(e.followsUpId);
            };
            if (keepVersion || !rowExists(c_, "engagement", e.id)) {
                c_.update(
                    "INSERT INTO engagement (reference, title, audit_year, scope, remit_items, key_risks, "
                    "fieldwork_start, fieldwork_end, draft_report_date, final_report_date, resource_days, "
                    "issue_date, assurance_level, status, follows_up_id, id, version) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [&](Params& p) {
                        bind(p);
                        p.str(e.id).i64(keepVersion ? e.version : 1);
                    });
                return;
            }
            checkVersion(c_.update("UPDATE engagement SET reference = ?, title = ?, audit_year = ?, scope = ?, "
                                   "remit_items = ?, key_risks = ?, fieldwork_start = ?, fieldwork_end = ?, "
                                   "draft_report_date = ?, final_report_date = ?, resource_days = ?, issue_date = ?, "
                                   "assurance_level = ?, status = ?, follows_up_id = ?, version = version + 1 "
                                   "WHERE id = ? AND version = ?",
                                   [&](Params& p) {
                                       bind(p);
                                       p.str(e.id).i64(e.version);
                                   }),
                         "engagement", e.reference);
        });
    }

    std::vector<d::Engagement> query(const std::string& tail, const Bind& bind) {
        std::vector<d::Engagement> out;
        c_.read("reading engagements", [&] {
            out.clear();
            c_.select(
                "SELECT id, reference, title, audit_year, scope, remit_items, key_risks, fieldwork_start, "
                "fieldwork_end, draft_report_date, final_report_date, resource_days, issue_date, "
                "assurance_level, status, follows_up_id, version FROM engagement " +
                    tail,
                bind, [&](Rows& rs) {
                    d::Engagement e;
                    e.id = str(rs, 1);
                    e.reference = str(rs, 2);
                    e.title = str(rs, 3);
                    e.auditYear = str(rs, 4);
                    e.scope = str(rs, 5);
                    e.remitItems = splitLines(str(rs, 6));
                    e.keyRisks = splitLines(str(rs, 7));
                    e.fieldworkStart = optDate(optStr(rs, 8));
                    e.fieldworkEnd = optDate(optStr(rs, 9));
                    e.draftReportDate = optDate(optStr(rs, 10));
                    e.finalReportDate = optDate(optStr(rs, 11));
                    e.resourceDays = optInt(rs, 12);
                    e.issueDate = optDate(optStr(rs, 13));
                    if (auto a = optStr(rs, 14)) e.assuranceLevel = storedEnum(d::parseAssuranceLevel(*a), *a);
                    const std::string status = str(rs, 15);
                    e.status = storedEnum(d::parseEngagementStatus(status), status);
                    e.followsUpId = optStr(rs, 16);
                    e.version = rs.getInt64(17);
                    out.push_back(std::move(e));
                });
        });
        return out;
    }
    Connection& c_;
};

class MysqlFindings final : public d::FindingRepository {
public:
    explicit MysqlFindings(Connection& c) : c_(c) {}
    std::vector<d::Finding> listByEngagement(const d::Id& engagementId) override {
        return query("WHERE engagement_id = ? ORDER BY number", [&](Params& p) { p.str(engagementId); });
    }
    void save(const d::Finding& f) override {
        c_.write("saving finding", [&] {
            if (rowExists(c_, "finding", f.id)) {
                c_.update("UPDATE finding SET number = ?, kind = ?, text = ?, recommendation_number = ? WHERE id = ?",
                          [&](Params& p) {
                              p.str(f.number)
                                  .str(std::string(d::toString(f.kind)))
                                  .str(f.text)
                                  .optInt(f.recommendationNumber)
                                  .str(f.id);
                          });
            } else {
                c_.update(
                    "INSERT INTO finding (id, engagement_id, number, kind, text, recommendation_number) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    [&](Params& p) {
                        p.str(f.id)
                            .str(f.engagementId)
                            .str(f.number)
                            .str(std::string(d::toString(f.kind)))
                            .str(f.text)
                            .optInt(f.recommendationNumber);
                    });
            }
        });
    }

private:
    std::vector<d::Finding> query(const std::string& tail, const Bind& bind) {
        std::vector<d::Finding> out;
        c_.read("reading findings", [&] {
            out.clear();
            c_.select("SELECT id, engagement_id, number, kind, text, recommendation_number FROM finding " + tail, bind,
                      [&](Rows& rs) {
                          const std::string kind = str(rs, 4);
                          out.push_back({str(rs, 1), str(rs, 2), str(rs, 3),
                                         storedEnum(d::parseFindingKind(kind), kind), str(rs, 5), optInt(rs, 6)});
                      });
        });
        return out;
    }
    Connection& c_;
};

/// Recommendations matching `from` (joins and WHERE, alias r) in `order`, with their linked risks.
std::vector<d::Recommendation> queryRecommendations(Connection& c, const std::string& from, const std::string& order,
                                                    const Bind& bind) {
    std::vector<d::Recommendation> out;
    c.read("reading recommendations", [&] {
        out.clear();
        std::unordered_map<std::string, std::size_t> index;
        c.select(
            "SELECT r.id, r.engagement_id, r.number, r.title, r.issue, r.risk, r.recommendation_text, "
            "r.priority, r.management_response, r.response_text, r.version FROM recommendation r " +
                from + " " + order,
            bind, [&](Rows& rs) {
                d::Recommendation r;
                r.id = str(rs, 1);
                r.engagementId = str(rs, 2);
                r.number = rs.getInt(3);
                r.title = str(rs, 4);
                r.issue = str(rs, 5);
                r.risk = str(rs, 6);
                r.text = str(rs, 7);
                const std::string priority = str(rs, 8), response = str(rs, 9);
                r.priority = storedEnum(d::parsePriority(priority), priority);
                r.managementResponse = storedEnum(d::parseManagementResponse(response), response);
                r.responseText = str(rs, 10);
                r.version = rs.getInt64(11);
                index.emplace(r.id, out.size());
                out.push_back(std::move(r));
            });
        if (out.empty()) return;
        // Sorted like SQLite's primary-key index (recommendation_id, risk_reference) returns them.
        c.select(
            "SELECT x.recommendation_id, x.risk_reference FROM recommendation_risk x WHERE x.recommendation_id "
            "IN (SELECT r.id FROM recommendation r " +
                from + ") ORDER BY x.recommendation_id, x.risk_reference",
            bind, [&](Rows& rs) {
                if (auto it = index.find(str(rs, 1)); it != index.end()) {
                    out[it->second].linkedRiskReferences.push_back(str(rs, 2));
                }
            });
    });
    return out;
}

class MysqlRecommendations final : public d::RecommendationRepository {
public:
    explicit MysqlRecommendations(Connection& c) : c_(c) {}
    std::optional<d::Recommendation> findById(const d::Id& id) override {
        auto all = queryRecommendations(c_, "WHERE r.id = ?", "", [&](Params& p) { p.str(id); });
        return all.empty() ? std::nullopt : std::optional(all.front());
    }
    std::optional<d::Recommendation> findByNumber(const d::Id& engagementId, int number) override {
        auto all = queryRecommendations(c_, "WHERE r.engagement_id = ? AND r.number = ?", "",
                                        [&](Params& p) { p.str(engagementId).i64(number); });
        return all.empty() ? std::nullopt : std::optional(all.front());
    }
    std::vector<d::Recommendation> listByEngagement(const d::Id& engagementId) override {
        return queryRecommendations(c_, "WHERE r.engagement_id = ?", "ORDER BY r.number",
                                    [&](Params& p) { p.str(engagementId); });
    }
    void save(const d::Recommendation& r) override { write(r, false); }
    /// Inserts `r` as a new row with its own version (StoreTransfer::importAll).
    void insertKeepingVersion(const d::Recommendation& r) { write(r, true); }

private:
    void write(const d::Recommendation& r, bool keepVersion) {
        c_.write("saving recommendation", [&] {
            auto bind = [&](Params& p) {
                p.i64(r.number)
                    .str(r.title)
                    .str(r.issue)
                    .str(r.risk)
                    .str(r.text)
                    .str(std::string(d::toString(r.priority)))
                    .str(std::string(d::toString(r.managementResponse)))
                    .str(r.responseText);
            };
            if (keepVersion || !rowExists(c_, "recommendation", r.id)) {
                c_.update(
                    "INSERT INTO recommendation (number, title, issue, risk, recommendation_text, priority, "
                    "management_response, response_text, id, engagement_id, version) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [&](Params& p) {
                        bind(p);
                        p.str(r.id).str(r.engagementId).i64(keepVersion ? r.version : 1);
                    });
            } else {
                checkVersion(c_.update("UPDATE recommendation SET number = ?, title = ?, issue = ?, risk = ?, "
                                       "recommendation_text = ?, priority = ?, management_response = ?, "
                                       "response_text = ?, version = version + 1 WHERE id = ? AND version = ?",
                                       [&](Params& p) {
                                           bind(p);
                                           p.str(r.id).i64(r.version);
                                       }),
                             "recommendation", std::to_string(r.number));
            }
            c_.update("DELETE FROM recommendation_risk WHERE recommendation_id = ?", [&](Params& p) { p.str(r.id); });
            for (const auto& ref : r.linkedRiskReferences) {
                c_.update("INSERT IGNORE INTO recommendation_risk (recommendation_id, risk_reference) VALUES (?, ?)",
                          [&](Params& p) { p.str(r.id).str(ref); });
            }
        });
    }
    Connection& c_;
};

/// Actions matching `from` (joins and WHERE, alias a) in `order`, with co-owners and revisions.
std::vector<d::Action> queryActions(Connection& c, const std::string& from, const std::string& order,
                                    const Bind& bind) {
    std::vector<d::Action> out;
    c.read("reading actions", [&] {
        out.clear();
        std::unordered_map<std::string, std::size_t> index;
        c.select(
            "SELECT a.id, a.recommendation_id, a.number, a.description, a.lead_owner_id, a.original_target_date, "
            "a.original_target_precision, a.status, a.pillar, a.line_of_defence, a.auditor_assessment, a.version, "
            "a.responsible_group_id, a.superseded_by_action_id, a.closure_group_id, a.closure_decided_by_id, "
            "a.closure_date, a.closure_power, a.closure_reference FROM action a " +
                from + " " + order,
            bind, [&](Rows& rs) {
                d::Action x;
                x.id = str(rs, 1);
                x.recommendationId = str(rs, 2);
                x.number = rs.getInt(3);
                x.description = str(rs, 4);
                x.leadOwnerId = optStr(rs, 5);
                if (auto target = optStr(rs, 6))
                    x.originalTargetDate = targetDate(*target, optStr(rs, 7).value_or("day"));
                const std::string status = str(rs, 8);
                x.status = storedEnum(d::parseActionStatus(status), status);
                if (auto pillar = optStr(rs, 9)) x.pillar = d::parsePillar(*pillar);
                if (auto line = optStr(rs, 10)) x.lineOfDefence = d::parseLineOfDefence(*line);
                x.auditorAssessment = str(rs, 11);
                x.version = rs.getInt64(12);
                x.responsibleGroupId = optStr(rs, 13);
                x.supersededByActionId = optStr(rs, 14);
                x.closure = decisionAt(rs, 15);
                index.emplace(x.id, out.size());
                out.push_back(std::move(x));
            });
        if (out.empty()) return;
        const std::string scope = "WHERE x.action_id IN (SELECT a.id FROM action a " + from + ")";
        c.select(
            "SELECT x.action_id, x.person_id FROM action_co_owner x " + scope + " ORDER BY x.action_id, x.position",
            bind, [&](Rows& rs) {
                if (auto it = index.find(str(rs, 1)); it != index.end()) {
                    out[it->second].coOwnerIds.push_back(str(rs, 2));
                }
            });
        c.select(
            "SELECT x.action_id, x.new_date, x.new_precision, x.reason, x.requested_by_id, x.approved_by, "
            "x.decision_date FROM revised_target_date x " +
                scope + " ORDER BY x.action_id, x.seq",
            bind, [&](Rows& rs) {
                auto it = index.find(str(rs, 1));
                if (it == index.end()) return;
                auto decision = optStr(rs, 7);
                out[it->second].revisions.push_back(
                    {targetDate(str(rs, 2), str(rs, 3)), str(rs, 4), optStr(rs, 5), str(rs, 6),
                     decision ? std::optional<d::Date>(isoDay(*decision)) : std::nullopt});
            });
    });
    return out;
}

class MysqlActions final : public d::ActionRepository {
public:
    explicit MysqlActions(Connection& c) : c_(c) {}
    std::optional<d::Action> findById(const d::Id& id) override {
        auto all = queryActions(c_, "WHERE a.id = ?", "", [&](Params& p) { p.str(id); });
        return all.empty() ? std::nullopt : std::optional(all.front());
    }
    std::optional<d::Action> findByNumber(const d::Id& recommendationId, int number) override {
        auto all = queryActions(c_, "WHERE a.recommendation_id = ? AND a.number = ?", "",
                                [&](Params& p) { p.str(recommendationId).i64(number); });
        return all.empty() ? std::nullopt : std::optional(all.front());
    }
    std::vector<d::Action> listByRecommendation(const d::Id& recommendationId) override {
        return queryActions(c_, "WHERE a.recommendation_id = ?", "ORDER BY a.number",
                            [&](Params& p) { p.str(recommendationId); });
    }
    std::vector<d::Action> listByResponsibleGroup(const d::Id& groupId) override {
        return queryActions(c_, "WHERE a.responsible_group_id = ?", "ORDER BY a.id",
                            [&](Params& p) { p.str(groupId); });
    }
    void save(const d::Action& x) override { write(x, false); }
    /// Inserts `x` as a new row with its own version (StoreTransfer::importAll).
    void insertKeepingVersion(const d::Action& x) { write(x, true); }
    /// Sets the superseding action without touching the version (StoreTransfer::importAll links actions
    /// after all of them exist).
    void linkSuccessor(const d::Id& actionId, const d::Id& successorId) {
        c_.write("linking actions", [&] {
            c_.update("UPDATE action SET superseded_by_action_id = ? WHERE id = ?",
                      [&](Params& p) { p.str(successorId).str(actionId); });
        });
    }

private:
    void write(const d::Action& x, bool keepVersion) {
        c_.write("saving action", [&] {
            auto bind = [&](Params& p) {
                p.i64(x.number)
                    .str(x.description)
                    .optStr(x.leadOwnerId)
                    .optStr(x.originalTargetDate ? std::optional<std::string>(d::formatIso(x.originalTargetDate->date))
                                                 : std::nullopt)
                    .optStr(x.originalTargetDate
                                ? std::optional<std::string>(precisionName(x.originalTargetDate->precision))
                                : std::nullopt)
                    .str(std::string(d::toString(x.status)))
                    .optStr(nameOf(x.pillar))
                    .optStr(nameOf(x.lineOfDefence))
                    .str(x.auditorAssessment)
                    .optStr(x.responsibleGroupId)
                    .optStr(x.supersededByActionId);
                bindDecision(p, x.closure);
            };
            if (keepVersion || !rowExists(c_, "action", x.id)) {
                c_.update(
                    "INSERT INTO action (number, description, lead_owner_id, original_target_date, "
                    "original_target_precision, status, pillar, line_of_defence, auditor_assessment, "
                    "responsible_group_id, superseded_by_action_id, closure_group_id, closure_decided_by_id, "
                    "closure_date, closure_power, closure_reference, id, recommendation_id, version) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [&](Params& p) {
                        bind(p);
                        p.str(x.id).str(x.recommendationId).i64(keepVersion ? x.version : 1);
                    });
            } else {
                checkVersion(c_.update("UPDATE action SET number = ?, description = ?, lead_owner_id = ?, "
                                       "original_target_date = ?, original_target_precision = ?, status = ?, "
                                       "pillar = ?, line_of_defence = ?, auditor_assessment = ?, "
                                       "responsible_group_id = ?, superseded_by_action_id = ?, closure_group_id = ?, "
                                       "closure_decided_by_id = ?, closure_date = ?, closure_power = ?, "
                                       "closure_reference = ?, version = version + 1 WHERE id = ? AND version = ?",
                                       [&](Params& p) {
                                           bind(p);
                                           p.str(x.id).i64(x.version);
                                       }),
                             "action", std::to_string(x.number));
            }
            c_.update("DELETE FROM action_co_owner WHERE action_id = ?", [&](Params& p) { p.str(x.id); });
            for (std::size_t i = 0; i < x.coOwnerIds.size(); ++i) {
                c_.update("INSERT INTO action_co_owner (action_id, position, person_id) VALUES (?, ?, ?)",
                          [&](Params& p) { p.str(x.id).i64(static_cast<std::int64_t>(i) + 1).str(x.coOwnerIds[i]); });
            }
            c_.update("DELETE FROM revised_target_date WHERE action_id = ?", [&](Params& p) { p.str(x.id); });
            for (std::size_t i = 0; i < x.revisions.size(); ++i) {
                const auto& r = x.revisions[i];
                c_.update(
                    "INSERT INTO revised_target_date (action_id, seq, new_date, new_precision, reason, "
                    "requested_by_id, approved_by, decision_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [&](Params& p) {
                        p.str(x.id)
                            .i64(static_cast<std::int64_t>(i) + 1)
                            .str(d::formatIso(r.newDate.date))
                            .str(precisionName(r.newDate.precision))
                            .str(r.reason)
                            .optStr(r.requestedById)
                            .str(r.approvedBy)
                            .optStr(r.decisionDate ? std::optional<std::string>(d::formatIso(*r.decisionDate))
                                                   : std::nullopt);
                    });
            }
        });
    }
    Connection& c_;
};

d::ProgressUpdate progressUpdateRow(Rows& rs) {
    // columns: id, action_id, update_date, author_id, text, percent
    return {str(rs, 1), str(rs, 2), isoDay(str(rs, 3)), optStr(rs, 4), str(rs, 5), optInt(rs, 6)};
}

class MysqlProgressUpdates final : public d::ProgressUpdateRepository {
public:
    explicit MysqlProgressUpdates(Connection& c) : c_(c) {}
    std::vector<d::ProgressUpdate> listByAction(const d::Id& actionId) override {
        std::vector<d::ProgressUpdate> out;
        c_.read("reading progress updates", [&] {
            out.clear();
            // seq plays the part of SQLite's rowid: the order updates were added.
            c_.select(
                "SELECT id, action_id, update_date, author_id, text, percent FROM progress_update "
                "WHERE action_id = ? ORDER BY update_date, seq",
                [&](Params& p) { p.str(actionId); }, [&](Rows& rs) { out.push_back(progressUpdateRow(rs)); });
        });
        return out;
    }
    void add(const d::ProgressUpdate& u) override {
        c_.write("saving progress update", [&] {
            c_.update(
                "INSERT INTO progress_update (id, action_id, update_date, author_id, text, percent) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [&](Params& p) {
                    p.str(u.id)
                        .str(u.actionId)
                        .str(d::formatIso(u.date))
                        .optStr(u.authorId)
                        .str(u.text)
                        .optInt(u.percent);
                });
        });
    }

private:
    Connection& c_;
};

const char* kRevisionRequestColumns =
    "id, action_id, requested_date, requested_precision, reason, requested_by_id, requested_on, routed_to_group_id, "
    "status, decision_group_id, decision_decided_by_id, decision_date, decision_power, decision_reference, "
    "decision_note, version ";

class MysqlRevisionRequests final : public d::RevisionRequestRepository {
public:
    explicit MysqlRevisionRequests(Connection& c) : c_(c) {}
    std::optional<d::RevisionRequest> findById(const d::Id& id) override {
        auto all = query("WHERE id = ?", [&](Params& p) { p.str(id); });
        return all.empty() ? std::nullopt : std::optional(all.front());
    }
    std::vector<d::RevisionRequest> listByAction(const d::Id& actionId) override {
        return query("WHERE action_id = ? ORDER BY requested_on, id", [&](Params& p) { p.str(actionId); });
    }
    std::vector<d::RevisionRequest> listPending(const std::optional<d::Id>& groupId) override {
        if (groupId) {
            return query("WHERE status = 'pending' AND routed_to_group_id = ? ORDER BY requested_on, id",
                         [&](Params& p) { p.str(*groupId); });
        }
        return query("WHERE status = 'pending' ORDER BY requested_on, id", kNoParams);
    }
    void save(const d::RevisionRequest& r) override { write(r, false); }
    /// Inserts `r` as a new row with its own version (StoreTransfer::importAll).
    void insertKeepingVersion(const d::RevisionRequest& r) { write(r, true); }
    /// Every request, for export: by action, oldest first.
    std::vector<d::RevisionRequest> all() { return query("ORDER BY action_id, requested_on, id", kNoParams); }

private:
    void write(const d::RevisionRequest& r, bool keepVersion) {
        c_.write("saving revision request", [&] {
            auto bind = [&](Params& p) {
                p.str(r.actionId)
                    .str(d::formatIso(r.requestedDate.date))
                    .str(precisionName(r.requestedDate.precision))
                    .str(r.reason)
                    .optStr(r.requestedById)
                    .str(d::formatIso(r.requestedOn))
                    .optStr(r.routedToGroupId)
                    .str(std::string(d::toString(r.status)));
                bindDecision(p, r.decision);
                p.str(r.decisionNote);
            };
            if (keepVersion || !rowExists(c_, "revision_request", r.id)) {
                c_.update(
                    "INSERT INTO revision_request (action_id, requested_date, requested_precision, reason, "
                    "requested_by_id, requested_on, routed_to_group_id, status, decision_group_id, "
                    "decision_decided_by_id, decision_date, decision_power, decision_reference, decision_note, "
                    "id, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [&](Params& p) {
                        bind(p);
                        p.str(r.id).i64(keepVersion ? r.version : 1);
                    });
                return;
            }
            checkVersion(c_.update("UPDATE revision_request SET action_id = ?, requested_date = ?, "
                                   "requested_precision = ?, reason = ?, requested_by_id = ?, requested_on = ?, "
                                   "routed_to_group_id = ?, status = ?, decision_group_id = ?, "
                                   "decision_decided_by_id = ?, decision_date = ?, decision_power = ?, "
                                   "decision_reference = ?, decision_note = ?, version = version + 1 "
                                   "WHERE id = ? AND version = ?",
                                   [&](Params& p) {
                                       bind(p);
                                       p.str(r.id).i64(r.version);
                                   }),
                         "revision request", r.id);
        });
    }

    std::vector<d::RevisionRequest> query(const std::string& tail, const Bind& bind) {
        std::vector<d::RevisionRequest> out;
        c_.read("reading revision requests", [&] {
            out.clear();
            c_.select(std::string("SELECT ") + kRevisionRequestColumns + "FROM revision_request " + tail, bind,
                      [&](Rows& rs) {
                          d::RevisionRequest r;
                          r.id = str(rs, 1);
                          r.actionId = str(rs, 2);
                          r.requestedDate = targetDate(str(rs, 3), str(rs, 4));
                          r.reason = str(rs, 5);
                          r.requestedById = optStr(rs, 6);
                          r.requestedOn = isoDay(str(rs, 7));
                          r.routedToGroupId = optStr(rs, 8);
                          const std::string status = str(rs, 9);
                          r.status = storedEnum(d::parseRequestStatus(status), status);
                          r.decision = decisionAt(rs, 10);
                          r.decisionNote = str(rs, 15);
                          r.version = rs.getInt64(16);
                          out.push_back(std::move(r));
                      });
        });
        return out;
    }
    Connection& c_;
};

class MysqlEvidence final : public d::EvidenceRepository {
public:
    explicit MysqlEvidence(Connection& c) : c_(c) {}
    void add(const d::Evidence& e, const std::string& content) override {
        c_.write("saving evidence", [&] {
            std::istringstream bytes(content);  // sent as long data, in chunks, with no character set
            c_.update(
                "INSERT INTO evidence (id, action_id, progress_update_id, file_name, media_type, size_bytes, "
                "sha256, added_on, added_by_id, note, content) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [&](Params& p) {
                    p.str(e.id)
                        .str(e.actionId)
                        .optStr(e.progressUpdateId)
                        .str(e.fileName)
                        .str(e.mediaType)
                        .i64(e.sizeBytes)
                        .str(e.sha256)
                        .str(d::formatIso(e.addedOn))
                        .optStr(e.addedById)
                        .str(e.note);
                    if (content.empty())
                        p.str(std::string());
                    else
                        p.blob(bytes);
                });
        });
    }
    std::vector<d::Evidence> listByAction(const d::Id& actionId) override {
        std::vector<d::Evidence> out;
        query(
            "WHERE action_id = ? ORDER BY added_on, id", [&](Params& p) { p.str(actionId); }, false,
            [&](d::Evidence&& e, std::string&&) { out.push_back(std::move(e)); });
        return out;
    }
    std::optional<std::string> content(const d::Id& evidenceId) override {
        std::optional<std::string> out;
        c_.read("reading evidence", [&] {
            out.reset();
            c_.select(
                "SELECT content FROM evidence WHERE id = ?", [&](Params& p) { p.str(evidenceId); },
                [&](Rows& rs) { out = str(rs, 1); });
        });
        return out;
    }
    /// Every record with its content, for export: by action, oldest first.
    std::vector<d::StoredEvidence> all() {
        std::vector<d::StoredEvidence> out;
        query("ORDER BY action_id, added_on, id", kNoParams, true, [&](d::Evidence&& e, std::string&& bytes) {
            out.push_back({std::move(e), std::move(bytes)});
        });
        return out;
    }

private:
    void query(const std::string& tail, const Bind& bind, bool withContent,
               const std::function<void(d::Evidence&&, std::string&&)>& row) {
        c_.read("reading evidence", [&] {
            c_.select(std::string("SELECT id, action_id, progress_update_id, file_name, media_type, size_bytes, "
                                  "sha256, added_on, added_by_id, note") +
                          (withContent ? ", content" : "") + " FROM evidence " + tail,
                      bind, [&](Rows& rs) {
                          d::Evidence e;
                          e.id = str(rs, 1);
                          e.actionId = str(rs, 2);
                          e.progressUpdateId = optStr(rs, 3);
                          e.fileName = str(rs, 4);
                          e.mediaType = str(rs, 5);
                          e.sizeBytes = rs.getInt64(6);
                          e.sha256 = str(rs, 7);
                          e.addedOn = isoDay(str(rs, 8));
                          e.addedById = optStr(rs, 9);
                          e.note = str(rs, 10);
                          row(std::move(e), withContent ? str(rs, 11) : std::string());
                      });
        });
    }
    Connection& c_;
};

d::AuditEvent eventRow(Rows& rs) {
    // columns: seq, at, actor_id, actor_name, entity_type, entity_id, change_kind, before_state, after_state,
    // reason, prev_hash, hash
    d::AuditEvent e;
    e.seq = rs.getInt64(1);
    e.at = str(rs, 2);
    e.actorId = optStr(rs, 3);
    e.actorName = str(rs, 4);
    e.entityType = str(rs, 5);
    e.entityId = str(rs, 6);
    e.change = str(rs, 7);
    e.before = str(rs, 8);
    e.after = str(rs, 9);
    e.reason = str(rs, 10);
    e.prevHash = str(rs, 11);
    e.hash = str(rs, 12);
    return e;
}

constexpr const char* kEventColumns =
    "SELECT seq, at, actor_id, actor_name, entity_type, entity_id, change_kind, before_state, after_state, reason, "
    "prev_hash, hash FROM audit_event ";

/// The audit trail (domain/AuditTrail.h). Append-only: there is no UPDATE or DELETE here. Appends from every
/// session and instance are serialised by locking the one row of audit_chain_lock until the transaction ends;
/// the head is then read with a locking read, which sees the latest committed row whatever the snapshot.
class MysqlEvents final : public d::EventRepository {
public:
    explicit MysqlEvents(Connection& c) : c_(c) {}

    std::optional<d::AuditEvent> lockHead() override {
        std::optional<d::AuditEvent> head;
        c_.read("locking the audit trail", [&] {
            head.reset();
            bool locked = false;
            c_.select("SELECT id FROM audit_chain_lock WHERE id = 1 FOR UPDATE", kNoParams,
                      [&](Rows&) { locked = true; });
            if (!locked) {
                throw d::Error(d::ErrorCode::kInternal, "the audit trail's lock row is missing", {},
                               "audit_chain_lock has no row 1; run migrate");
            }
            c_.select(std::string(kEventColumns) + "ORDER BY seq DESC LIMIT 1 FOR UPDATE", kNoParams,
                      [&](Rows& rs) { head = eventRow(rs); });
        });
        return head;
    }
    void append(const d::AuditEvent& e) override {
        c_.write("recording an audit event", [&] {
            c_.update(
                "INSERT INTO audit_event (seq, at, actor_id, actor_name, entity_type, entity_id, change_kind, "
                "before_state, after_state, reason, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [&](Params& p) {
                    p.i64(e.seq).str(e.at).optStr(e.actorId).str(e.actorName).str(e.entityType).str(e.entityId);
                    p.str(e.change).str(e.before).str(e.after).str(e.reason).str(e.prevHash).str(e.hash);
                });
        });
    }
    std::vector<d::AuditEvent> list(std::int64_t fromSeq, std::size_t limit) override {
        std::vector<d::AuditEvent> out;
        c_.read("reading audit events", [&] {
            out.clear();
            c_.select(
                std::string(kEventColumns) + "WHERE seq >= ? ORDER BY seq LIMIT ?",
                [&](Params& p) { p.i64(fromSeq).i64(static_cast<std::int64_t>(limit)); },
                [&](Rows& rs) { out.push_back(eventRow(rs)); });
        });
        return out;
    }
    std::int64_t count() override {
        std::int64_t n = 0;
        c_.read("counting audit events", [&] {
            c_.select("SELECT COUNT(*) FROM audit_event", kNoParams, [&](Rows& rs) { n = rs.getInt64(1); });
        });
        return n;
    }
    std::vector<d::AuditEvent> latestBefore(const std::string& cutoffUtc,
                                            const std::vector<std::string>& entityTypes) override {
        std::vector<d::AuditEvent> out;
        if (entityTypes.empty()) return out;
        std::string marks;
        for (std::size_t i = 0; i < entityTypes.size(); ++i) marks += i ? ", ?" : "?";
        c_.read("reading audit events", [&] {
            out.clear();
            c_.select(
                "SELECT e.seq, e.at, e.actor_id, e.actor_name, e.entity_type, e.entity_id, e.change_kind, "
                "e.before_state, e.after_state, e.reason, e.prev_hash, e.hash FROM audit_event e JOIN ("
                "SELECT MAX(seq) AS seq FROM audit_event WHERE entity_type IN (" +
                    marks + ") AND at < ? GROUP BY entity_type, entity_id) m ON m.seq = e.seq ORDER BY e.seq",
                [&](Params& p) {
                    for (const auto& t : entityTypes) p.str(t);
                    p.str(cutoffUtc);
                },
                [&](Rows& rs) { out.push_back(eventRow(rs)); });
        });
        return out;
    }
    void scanStates(const std::string& cutoffUtc, const std::vector<std::string>& entityTypes,
                    const std::function<void(const d::EventStateView&)>& visit) override {
        if (entityTypes.empty()) return;
        std::string marks;
        for (std::size_t i = 0; i < entityTypes.size(); ++i) marks += i ? ", ?" : "?";
        // Pages of kPage rows by primary key: the connector would otherwise hold the whole result in memory.
        // Each page is a read of its own (safe to retry), visited after it is read.
        constexpr int kPage = 5000;
        const std::string sql =
            "SELECT seq, at, entity_type, entity_id, after_state FROM audit_event WHERE seq > ? "
            "AND at < ? AND entity_type IN (" +
            marks + ") ORDER BY seq LIMIT " + std::to_string(kPage);
        std::int64_t last = 0;
        std::vector<d::EventState> page;
        do {
            c_.read("reading audit events", [&] {
                page.clear();
                c_.select(
                    sql,
                    [&](Params& p) {
                        p.i64(last);
                        p.str(cutoffUtc);
                        for (const auto& t : entityTypes) p.str(t);
                    },
                    [&](Rows& rs) {
                        page.push_back({static_cast<std::int64_t>(rs.getInt64(1)), str(rs, 2), str(rs, 3), str(rs, 4),
                                        str(rs, 5)});
                    });
            });
            for (const auto& e : page) visit(e.view());
            if (!page.empty()) last = page.back().seq;
        } while (page.size() == static_cast<std::size_t>(kPage));
    }

private:
    Connection& c_;
};

/// Sign-in records (domain/Accounts.h): users with their roles (user_roles), API tokens and web sessions.
class MysqlAccounts final : public d::AccountRepository {
public:
    explicit MysqlAccounts(Connection& c) : c_(c) {}

    std::optional<d::UserAccount> findUserById(const d::Id& id) override {
        auto all = queryUsers("WHERE id = ?", "", [&](Params& p) { p.str(id); });
        return all.empty() ? std::nullopt : std::optional(all.front());
    }
    std::optional<d::UserAccount> findUserByUsername(const std::string& username) override {
        auto all = queryUsers("WHERE username = ?", "", [&](Params& p) { p.str(username); });
        return all.empty() ? std::nullopt : std::optional(all.front());
    }
    std::vector<d::UserAccount> listUsers() override { return queryUsers("", "ORDER BY username", kNoParams); }
    void saveUser(const d::UserAccount& user) override { writeUser(user, false); }
    /// Inserts `user` as a new row with its own version (StoreTransfer::importAll).
    void insertUserKeepingVersion(const d::UserAccount& user) { writeUser(user, true); }

    void addToken(const d::ApiToken& t) override {
        c_.write("saving API token", [&] {
            c_.update(
                "INSERT INTO api_tokens (id, user_id, name, secret_hash, scope, created_at, revoked_at, last_used_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [&](Params& p) {
                    p.str(t.id)
                        .str(t.userId)
                        .str(t.name)
                        .str(t.secretHash)
                        .str(std::string(d::toString(t.scope)))
                        .str(t.createdAt)
                        .optStr(t.revokedAt)
                        .optStr(t.lastUsedAt);
                });
        });
    }
    std::optional<d::ApiToken> findTokenByHash(const std::string& secretHash) override {
        auto all = queryTokens("WHERE secret_hash = ?", [&](Params& p) { p.str(secretHash); });
        return all.empty() ? std::nullopt : std::optional(all.front());
    }
    std::optional<d::ApiToken> findTokenById(const d::Id& id) override {
        auto all = queryTokens("WHERE id = ?", [&](Params& p) { p.str(id); });
        return all.empty() ? std::nullopt : std::optional(all.front());
    }
    std::vector<d::ApiToken> listTokens(const d::Id& userId) override {
        return queryTokens("WHERE user_id = ? ORDER BY created_at, seq", [&](Params& p) { p.str(userId); });
    }
    /// Every token, for export: oldest first, then the order added.
    std::vector<d::ApiToken> allTokens() { return queryTokens("ORDER BY created_at, seq", kNoParams); }
    void updateToken(const d::ApiToken& t) override {
        c_.write("saving API token", [&] {
            c_.update("UPDATE api_tokens SET revoked_at = ?, last_used_at = ? WHERE id = ?",
                      [&](Params& p) { p.optStr(t.revokedAt).optStr(t.lastUsedAt).str(t.id); });
        });
    }

    void addSession(const d::WebSession& w) override {
        c_.write("saving web session", [&] {
            c_.update(
                "INSERT INTO web_sessions (id_hash, user_id, csrf_token, created_at, last_seen_at, ended_at, "
                "source_address) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [&](Params& p) {
                    p.str(w.idHash)
                        .str(w.userId)
                        .str(w.csrfToken)
                        .str(w.createdAt)
                        .str(w.lastSeenAt)
                        .optStr(w.endedAt)
                        .str(w.sourceAddress);
                });
        });
    }
    std::optional<d::WebSession> findSession(const std::string& idHash) override {
        std::optional<d::WebSession> out;
        c_.read("reading web sessions", [&] {
            out.reset();
            c_.select(
                "SELECT id_hash, user_id, csrf_token, created_at, last_seen_at, ended_at, source_address "
                "FROM web_sessions WHERE id_hash = ?",
                [&](Params& p) { p.str(idHash); },
                [&](Rows& rs) {
                    out = d::WebSession{str(rs, 1), str(rs, 2),    str(rs, 3), str(rs, 4),
                                        str(rs, 5), optStr(rs, 6), str(rs, 7)};
                });
        });
        return out;
    }
    void touchSession(const std::string& idHash, const std::string& lastSeenAt) override {
        c_.write("saving web session", [&] {
            c_.update("UPDATE web_sessions SET last_seen_at = ? WHERE id_hash = ?",
                      [&](Params& p) { p.str(lastSeenAt).str(idHash); });
        });
    }
    void endSession(const std::string& idHash, const std::string& endedAt) override {
        c_.write("ending web session", [&] {
            c_.update("UPDATE web_sessions SET ended_at = ? WHERE id_hash = ? AND ended_at IS NULL",
                      [&](Params& p) { p.str(endedAt).str(idHash); });
        });
    }
    int endSessionsOfUser(const d::Id& userId, const std::string& endedAt) override {
        int ended = 0;
        c_.write("ending web sessions", [&] {
            ended = c_.update("UPDATE web_sessions SET ended_at = ? WHERE user_id = ? AND ended_at IS NULL",
                              [&](Params& p) { p.str(endedAt).str(userId); });
        });
        return ended;
    }

private:
    void writeUser(const d::UserAccount& u, bool keepVersion) {
        c_.write("saving user account", [&] {
            auto bind = [&](Params& p) {
                p.str(u.username)
                    .str(u.displayName)
                    .optStr(u.personId)
                    .i64(u.disabled ? 1 : 0)
                    .str(u.passwordHash)
                    .str(u.createdAt);
            };
            if (keepVersion || !rowExists(c_, "users", u.id)) {
                c_.update(
                    "INSERT INTO users (username, display_name, person_id, disabled, password_hash, created_at, id, "
                    "version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [&](Params& p) {
                        bind(p);
                        p.str(u.id).i64(keepVersion ? u.version : 1);
                    });
            } else {
                // Version 0 means "new": an existing id is someone else's account (as InMemoryStore).
                int updated = 0;
                if (u.version != 0) {
                    updated = c_.update(
                        "UPDATE users SET username = ?, display_name = ?, person_id = ?, disabled = ?, "
                        "password_hash = ?, created_at = ?, version = version + 1 WHERE id = ? AND version = ?",
                        [&](Params& p) {
                            bind(p);
                            p.str(u.id).i64(u.version);
                        });
                }
                checkVersion(updated, "user", "'" + u.username + "'");
                c_.update("DELETE FROM user_roles WHERE user_id = ?", [&](Params& p) { p.str(u.id); });
            }
            std::vector<d::Role> roles = u.roles;
            normaliseRoles(roles);
            for (const auto role : roles) {
                c_.update("INSERT INTO user_roles (user_id, role) VALUES (?, ?)",
                          [&](Params& p) { p.str(u.id).str(std::string(d::toString(role))); });
            }
        });
    }

    /// Users matching `where` in `order`, with their roles (two queries in all).
    std::vector<d::UserAccount> queryUsers(const std::string& where, const std::string& order, const Bind& bind) {
        std::vector<d::UserAccount> out;
        c_.read("reading user accounts", [&] {
            out.clear();
            std::unordered_map<std::string, std::size_t> index;
            c_.select(
                "SELECT id, username, display_name, person_id, disabled, password_hash, created_at, version "
                "FROM users " +
                    where + " " + order,
                bind, [&](Rows& rs) {
                    d::UserAccount u;
                    u.id = str(rs, 1);
                    u.username = str(rs, 2);
                    u.displayName = str(rs, 3);
                    u.personId = optStr(rs, 4);
                    u.disabled = rs.getInt(5) != 0;
                    u.passwordHash = str(rs, 6);
                    u.createdAt = str(rs, 7);
                    u.version = static_cast<int>(rs.getInt64(8));
                    index.emplace(u.id, out.size());
                    out.push_back(std::move(u));
                });
            if (out.empty()) return;
            c_.select(
                "SELECT x.user_id, x.role FROM user_roles x WHERE x.user_id IN (SELECT id FROM users " + where + ")",
                bind, [&](Rows& rs) {
                    if (auto it = index.find(str(rs, 1)); it != index.end()) {
                        const std::string role = str(rs, 2);
                        out[it->second].roles.push_back(storedEnum(d::parseRole(role), role));
                    }
                });
            for (auto& u : out) normaliseRoles(u.roles);
        });
        return out;
    }

    std::vector<d::ApiToken> queryTokens(const std::string& tail, const Bind& bind) {
        std::vector<d::ApiToken> out;
        c_.read("reading API tokens", [&] {
            out.clear();
            c_.select(
                "SELECT id, user_id, name, secret_hash, scope, created_at, revoked_at, last_used_at FROM api_tokens " +
                    tail,
                bind, [&](Rows& rs) {
                    const std::string scope = str(rs, 5);
                    out.push_back({str(rs, 1), str(rs, 2), str(rs, 3), str(rs, 4),
                                   storedEnum(d::parseTokenScope(scope), scope), str(rs, 6), optStr(rs, 7),
                                   optStr(rs, 8)});
                });
        });
        return out;
    }

    Connection& c_;
};

/// The tables in dependency order; StoreContents::counts() uses the same names and order.
const char* const kTables[] = {"org_unit",
                               "person",
                               "person_role",
                               "governance_group",
                               "group_member",
                               "group_power",
                               "risk_register",
                               "risk_tolerance",
                               "risk",
                               "risk_owner",
                               "risk_score_change",
                               "risk_escalation",
                               "engagement",
                               "finding",
                               "recommendation",
                               "recommendation_risk",
                               "action",
                               "action_co_owner",
                               "revised_target_date",
                               "progress_update",
                               "revision_request",
                               "evidence",
                               "audit_event",
                               "users",
                               "user_roles",
                               "api_tokens"};

/// Reminders recorded, the outbox and feed tokens (Outbox.h). The identity's UNIQUE key is shared by every
/// instance: INSERT IGNORE of an identity another transaction holds waits for it, then inserts nothing.
class MysqlReminders final : public d::ReminderRepository {
public:
    explicit MysqlReminders(Connection& c) : c_(c) {}

    void scanReminderCandidates(const std::function<void(const d::ReminderCandidateView&)>& row) override {
        c_.read("reading open actions", [&] {
            c_.select(
                "SELECT a.id, a.status, r.priority, "
                "COALESCE((SELECT v.new_date FROM revised_target_date v WHERE v.action_id = a.id "
                "ORDER BY v.seq DESC LIMIT 1), a.original_target_date), "
                "COALESCE(a.lead_owner_id, ''), "
                "COALESCE((SELECT GROUP_CONCAT(c.person_id ORDER BY c.position SEPARATOR ',') FROM action_co_owner c "
                "WHERE c.action_id = a.id), ''), "
                "COALESCE(a.responsible_group_id, ''), e.reference, r.title, a.description, r.number, a.number "
                "FROM action a JOIN recommendation r ON r.id = a.recommendation_id "
                "JOIN engagement e ON e.id = r.engagement_id "
                "WHERE a.status IN ('not_started', 'in_progress') AND a.original_target_date IS NOT NULL",
                kNoParams, [&](Rows& rs) {
                    std::string cols[10];
                    for (unsigned int i = 0; i < 10; ++i) cols[i] = str(rs, i + 1);
                    d::ReminderCandidateView v;
                    v.actionId = cols[0];
                    v.status = cols[1];
                    v.priority = cols[2];
                    v.dueDate = cols[3];
                    v.leadOwnerId = cols[4];
                    v.coOwnerIds = cols[5];
                    v.responsibleGroupId = cols[6];
                    v.engagementReference = cols[7];
                    v.recommendationTitle = cols[8];
                    v.actionDescription = cols[9];
                    v.recommendationNumber = rs.getInt(11);
                    v.actionNumber = rs.getInt(12);
                    row(v);
                });
        });
    }

    std::vector<d::ReminderIdentity> recordedSince(d::Date sendDay) override {
        std::vector<d::ReminderIdentity> out;
        c_.read("reading reminders", [&] {
            out.clear();
            c_.select(
                "SELECT recipient_id, item_id, rule, occurrence FROM reminder WHERE send_day >= ?",
                [&](Params& p) { p.str(d::formatIso(sendDay)); },
                [&](Rows& rs) {
                    out.push_back({str(rs, 1), str(rs, 2), str(rs, 3), isoDay(str(rs, 4))});
                });
        });
        return out;
    }

    bool isRecorded(const d::ReminderIdentity& identity) override {
        bool found = false;
        c_.read("reading reminders", [&] {
            found = false;
            c_.select(
                "SELECT 1 FROM reminder WHERE recipient_id = ? AND item_id = ? AND rule = ? AND occurrence = ?",
                [&](Params& p) {
                    p.str(identity.recipientId);
                    p.str(identity.itemId);
                    p.str(identity.rule);
                    p.str(d::formatIso(identity.occurrence));
                },
                [&](Rows&) { found = true; });
        });
        return found;
    }

    bool record(const d::StoredReminder& r) override {
        int inserted = 0;
        c_.write("recording a reminder", [&] {
            // A primary-key clash must stay an error: look for it first (ids are fresh UUIDs in practice).
            if (rowExists(c_, "reminder", r.id))
                throw d::ConflictError("recording a reminder: a record with the same key already exists");
            inserted = c_.update(
                "INSERT IGNORE INTO reminder (id, recipient_id, item_kind, item_id, rule, occurrence, message_id, "
                "send_day, reference, title, due_date, days_overdue, owner_inactive, recipient_as, created_at, "
                "read_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [&](Params& p) {
                    p.str(r.id)
                        .str(r.recipientId)
                        .str(r.itemKind)
                        .str(r.itemId)
                        .str(r.rule)
                        .str(d::formatIso(r.occurrence))
                        .str(r.messageId)
                        .str(d::formatIso(r.sendDay))
                        .str(r.reference)
                        .str(r.title)
                        .str(d::formatIso(r.dueDate))
                        .i64(r.daysOverdue)
                        .i64(r.ownerInactive ? 1 : 0)
                        .str(r.as)
                        .str(r.createdAt)
                        .optStr(r.readAt);
                });
        });
        return inserted == 1;
    }

    void addMessage(const d::OutboxMessage& m) override {
        c_.write("adding an outbox message", [&] {
            c_.update(
                "INSERT INTO outbox_message (id, recipient_id, recipient_email, digest_day, subject, text_body, "
                "html_body, status, attempts, next_attempt_at, last_error, created_at, sent_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [&](Params& p) {
                    p.str(m.id)
                        .str(m.recipientId)
                        .str(m.recipientEmail)
                        .str(d::formatIso(m.digestDay))
                        .str(m.subject)
                        .str(m.textBody)
                        .str(m.htmlBody)
                        .str(std::string(d::toString(m.status)))
                        .i64(m.attempts)
                        .str(m.nextAttemptAt)
                        .str(m.lastError)
                        .str(m.createdAt)
                        .optStr(m.sentAt);
                });
        });
    }

    std::vector<d::OutboxMessage> claimDue(const std::string& nowUtc, const std::string& leaseUntilUtc,
                                           std::size_t limit) override {
        std::vector<d::OutboxMessage> out;
        c_.write("claiming outbox messages", [&] {
            out.clear();
            std::vector<std::pair<std::string, std::string>> candidates;
            c_.select(
                "SELECT id, next_attempt_at FROM outbox_message WHERE status IN ('pending', 'sending') "
                "AND next_attempt_at <= ? ORDER BY created_at, id LIMIT ?",
                [&](Params& p) { p.str(nowUtc).i64(static_cast<std::int64_t>(limit)); },
                [&](Rows& rs) { candidates.emplace_back(str(rs, 1), str(rs, 2)); });
            for (const auto& [id, next] : candidates) {
                // Another instance's claim changes next_attempt_at: this update then matches no row.
                const int claimed = c_.update(
                    "UPDATE outbox_message SET status = 'sending', next_attempt_at = ? WHERE id = ? "
                    "AND status IN ('pending', 'sending') AND next_attempt_at = ?",
                    [&](Params& p) { p.str(leaseUntilUtc).str(id).str(next); });
                if (claimed == 1) {
                    auto m = messages("WHERE id = ?", id, 1);
                    if (!m.empty()) out.push_back(std::move(m.front()));
                }
            }
        });
        return out;
    }

    void saveDelivery(const d::OutboxMessage& m) override {
        c_.write("saving a delivery", [&] {
            c_.update(
                "UPDATE outbox_message SET status = ?, attempts = ?, next_attempt_at = ?, last_error = ?, sent_at = ? "
                "WHERE id = ?",
                [&](Params& p) {
                    p.str(std::string(d::toString(m.status)))
                        .i64(m.attempts)
                        .str(m.nextAttemptAt)
                        .str(m.lastError)
                        .optStr(m.sentAt)
                        .str(m.id);
                });
        });
    }

    std::optional<d::OutboxMessage> findMessage(const d::Id& id) override {
        auto m = messages("WHERE id = ?", id, 1);
        return m.empty() ? std::nullopt : std::optional(std::move(m.front()));
    }

    std::vector<d::OutboxMessage> listMessages(std::optional<d::OutboxStatus> status, std::size_t limit) override {
        if (status)
            return messages("WHERE status = ? ORDER BY created_at DESC, id DESC", std::string(d::toString(*status)),
                            limit);
        return messages("ORDER BY created_at DESC, id DESC", std::nullopt, limit);
    }

    std::map<std::string, int> countMessages() override {
        std::map<std::string, int> out;
        c_.read("counting outbox messages", [&] {
            out.clear();
            c_.select("SELECT status, COUNT(*) FROM outbox_message GROUP BY status", kNoParams,
                      [&](Rows& rs) { out[str(rs, 1)] = rs.getInt(2); });
        });
        return out;
    }

    std::vector<d::StoredReminder> listForRecipient(const d::Id& personId, bool unreadOnly,
                                                    std::size_t limit) override {
        return reminders(std::string("WHERE recipient_id = ? ") + (unreadOnly ? "AND read_at IS NULL " : "") +
                             "ORDER BY created_at DESC, send_day DESC, id DESC",
                         personId, limit);
    }

    InboxCount countForRecipient(const d::Id& personId) override {
        InboxCount out;
        c_.read("counting notifications", [&] {
            out = InboxCount{};
            c_.select(
                "SELECT COUNT(*), COALESCE(SUM(CASE WHEN read_at IS NULL THEN 1 ELSE 0 END), 0) FROM reminder "
                "WHERE recipient_id = ?",
                [&](Params& p) { p.str(personId); },
                [&](Rows& rs) {
                    out.total = rs.getInt(1);
                    out.unread = rs.getInt(2);
                });
        });
        return out;
    }

    std::vector<d::StoredReminder> listForMessage(const d::Id& messageId) override {
        return reminders("WHERE message_id = ? ORDER BY created_at, recipient_id, id", messageId, 1000000);
    }

    bool markRead(const d::Id& personId, const d::Id& reminderId, const std::string& atUtc) override {
        int changed = 0;
        c_.write("marking a notification read", [&] {
            changed = c_.update("UPDATE reminder SET read_at = ? WHERE id = ? AND recipient_id = ? AND read_at IS NULL",
                                [&](Params& p) { p.str(atUtc).str(reminderId).str(personId); });
        });
        return changed == 1;
    }

    void addFeedToken(const d::FeedToken& t) override {
        c_.write("adding a feed token", [&] {
            c_.update("INSERT INTO feed_token (token_hash, person_id, created_at, revoked_at) VALUES (?, ?, ?, ?)",
                      [&](Params& p) { p.str(t.tokenHash).str(t.personId).str(t.createdAt).optStr(t.revokedAt); });
        });
    }

    int revokeFeedTokens(const d::Id& personId, const std::string& atUtc) override {
        int changed = 0;
        c_.write("revoking feed tokens", [&] {
            changed = c_.update("UPDATE feed_token SET revoked_at = ? WHERE person_id = ? AND revoked_at IS NULL",
                                [&](Params& p) { p.str(atUtc).str(personId); });
        });
        return changed;
    }

    std::optional<d::Id> feedTokenOwner(const std::string& tokenHash) override {
        std::optional<d::Id> out;
        c_.read("reading feed tokens", [&] {
            out.reset();
            c_.select(
                "SELECT person_id FROM feed_token WHERE token_hash = ? AND revoked_at IS NULL",
                [&](Params& p) { p.str(tokenHash); }, [&](Rows& rs) { out = str(rs, 1); });
        });
        return out;
    }

private:
    std::vector<d::OutboxMessage> messages(const std::string& where, const std::optional<std::string>& arg,
                                           std::size_t limit) {
        std::vector<d::OutboxMessage> out;
        c_.read("reading outbox messages", [&] {
            out.clear();
            c_.select(
                "SELECT id, recipient_id, recipient_email, digest_day, subject, text_body, html_body, status, "
                "attempts, next_attempt_at, last_error, created_at, sent_at FROM outbox_message " +
                    where + " LIMIT ?",
                [&](Params& p) {
                    if (arg) p.str(*arg);
                    p.i64(static_cast<std::int64_t>(limit));
                },
                [&](Rows& rs) {
                    d::OutboxMessage m;
                    m.id = str(rs, 1);
                    m.recipientId = str(rs, 2);
                    m.recipientEmail = str(rs, 3);
                    m.digestDay = isoDay(str(rs, 4));
                    m.subject = str(rs, 5);
                    m.textBody = str(rs, 6);
                    m.htmlBody = str(rs, 7);
                    const std::string status = str(rs, 8);
                    m.status = storedEnum(d::parseOutboxStatus(status), status);
                    m.attempts = rs.getInt(9);
                    m.nextAttemptAt = str(rs, 10);
                    m.lastError = str(rs, 11);
                    m.createdAt = str(rs, 12);
                    m.sentAt = optStr(rs, 13);
                    out.push_back(std::move(m));
                });
        });
        return out;
    }

    std::vector<d::StoredReminder> reminders(const std::string& where, const std::string& arg, std::size_t limit) {
        std::vector<d::StoredReminder> out;
        c_.read("reading reminders", [&] {
            out.clear();
            c_.select(
                "SELECT id, recipient_id, item_kind, item_id, rule, occurrence, message_id, send_day, reference, "
                "title, due_date, days_overdue, owner_inactive, recipient_as, created_at, read_at FROM reminder " +
                    where + " LIMIT ?",
                [&](Params& p) { p.str(arg).i64(static_cast<std::int64_t>(limit)); },
                [&](Rows& rs) {
                    d::StoredReminder r;
                    r.id = str(rs, 1);
                    r.recipientId = str(rs, 2);
                    r.itemKind = str(rs, 3);
                    r.itemId = str(rs, 4);
                    r.rule = str(rs, 5);
                    r.occurrence = isoDay(str(rs, 6));
                    r.messageId = str(rs, 7);
                    r.sendDay = isoDay(str(rs, 8));
                    r.reference = str(rs, 9);
                    r.title = str(rs, 10);
                    r.dueDate = isoDay(str(rs, 11));
                    r.daysOverdue = rs.getInt(12);
                    r.ownerInactive = rs.getInt(13) != 0;
                    r.as = str(rs, 14);
                    r.createdAt = str(rs, 15);
                    r.readAt = optStr(rs, 16);
                    out.push_back(std::move(r));
                });
        });
        return out;
    }

    Connection& c_;
};

class MysqlSession final : public d::StoreSession, public Connection, public d::StoreTransfer {
public:
    MysqlSession(std::shared_ptr<MysqlStore::Pool> pool)
        : pool_(std::move(pool)),
          con_(pool_->acquire()),
          units_(*this),
          people_(*this),
          groups_(*this),
          risks_(*this),
          registers_(*this),
          engagements_(*this),
          findings_(*this),
          recommendations_(*this),
          actions_(*this),
          progress_(*this),
          requests_(*this),
          evidence_(*this),
          events_(*this),
          accounts_(*this),
          reminders_(*this) {}

    ~MysqlSession() override {
        if (depth_ > 0 || broken_) con_.reset();  // never hand on a connection in an unknown state
        pool_->release(std::move(con_));
    }

    d::OrganisationUnitRepository& units() override { return units_; }
    d::PersonRepository& people() override { return people_; }
    d::GovernanceGroupRepository& groups() override { return groups_; }
    d::RiskRepository& risks() override { return risks_; }
    d::RiskRegisterRepository& riskRegisters() override { return registers_; }
    d::EngagementRepository& engagements() override { return engagements_; }
    d::FindingRepository& findings() override { return findings_; }
    d::RecommendationRepository& recommendations() override { return recommendations_; }
    d::ActionRepository& actions() override { return actions_; }
    d::ProgressUpdateRepository& progressUpdates() override { return progress_; }
    d::RevisionRequestRepository& revisionRequests() override { return requests_; }
    d::EvidenceRepository& evidence() override { return evidence_; }
    d::EventRepository& events() override { return events_; }
    d::AccountRepository& accounts() override { return accounts_; }
    d::ReminderRepository& reminders() override { return reminders_; }
    d::StoreTransfer* transfer() override { return this; }

    d::ActionPlanSnapshot loadActionPlan(const d::ActionPlanFilter& filter) override {
        d::ActionPlanSnapshot snap;
        snapshotRead("reading the action plan", [&] {
            snap = {};
            std::string scope;
            std::string engagementId;
            if (filter.engagementReference) {
                auto engagement = d::findEngagement(engagements_, *filter.engagementReference);
                if (!engagement) {
                    throw d::NotFoundError("No engagement has the reference '" + *filter.engagementReference + "'.");
                }
                snap.engagements.push_back(*engagement);
                engagementId = engagement->id;
                scope = "WHERE r.engagement_id = ?";
            } else {
                snap.engagements = engagements_.list();
            }
            const Bind bind = [&](Params& p) {
                if (filter.engagementReference) p.str(engagementId);
            };
            snap.recommendations = queryRecommendations(*this, "JOIN engagement e ON e.id = r.engagement_id " + scope,
                                                        "ORDER BY e.reference, r.number", bind);
            snap.actions = queryActions(*this, "JOIN recommendation r ON r.id = a.recommendation_id " + scope,
                                        "ORDER BY a.recommendation_id, a.number", bind);
            snap.people = people_.list();
            snap.units = units_.list();
            // The latest update per action: the greatest update_date, and of several on that date the one added
            // last (seq here, rowid in SQLite): the same query storage_sqlite runs.
            select(
                "SELECT id, action_id, update_date, author_id, text, percent FROM ("
                "SELECT p.id, p.action_id, p.update_date, p.author_id, p.text, p.percent, ROW_NUMBER() OVER ("
                "PARTITION BY p.action_id ORDER BY p.update_date DESC, p.seq DESC) AS latest "
                "FROM progress_update p " +
                    (filter.engagementReference
                         ? std::string("JOIN action a ON a.id = p.action_id JOIN recommendation r ON "
                                       "r.id = a.recommendation_id WHERE r.engagement_id = ? ")
                         : std::string()) +
                    ") x WHERE latest = 1",
                bind, [&](Rows& rs) {
                    auto u = progressUpdateRow(rs);
                    snap.lastUpdates.emplace(u.actionId, std::move(u));
                });
        });
        return snap;
    }

    void transaction(const std::function<void()>& work) override {
        if (depth_ > 0) {  // nested: part of the outer transaction
            ++depth_;
            try {
                work();
            } catch (...) {
                --depth_;
                throw;
            }
            --depth_;
            return;
        }
        const MysqlOptions& o = pool_->options;
        std::mt19937 jitter(std::random_device{}());
        for (int attempt = 1;; ++attempt) {
            try {
                runRaw("starting a transaction", [&] { execute("START TRANSACTION"); });
                depth_ = 1;
                work();
                runRaw("committing", [&] { execute("COMMIT"); });
                depth_ = 0;
                return;
            } catch (const RetryableError&) {
                rollbackQuietly();
                if (attempt >= o.maxTransactionAttempts) throw;
                // Exponential back-off with jitter: 10, 20, 40, 80 ms (+ up to as much again).
                const int base = 10 << (attempt - 1);
                std::this_thread::sleep_for(
                    std::chrono::milliseconds(base + std::uniform_int_distribution<int>(0, base)(jitter)));
            } catch (...) {
                rollbackQuietly();
                throw;
            }
        }
    }

    // ---- Connection ----

    void read(const std::string& what, const std::function<void()>& work) override {
        if (depth_ > 0) {
            runRaw(what, work);
            return;
        }
        try {
            runRaw(what, work);
        } catch (const ConnectionLostError&) {
            runRaw(what, work);  // runRaw reconnects first: a read is safe to run twice
        }
    }

    void write(const std::string& what, const std::function<void()>& work) override {
        if (depth_ > 0)
            runRaw(what, work);
        else
            transaction([&] { runRaw(what, work); });
    }

    void select(const std::string& sqlText, const Bind& bind, const std::function<void(Rows&)>& row) override {
        std::unique_ptr<sql::PreparedStatement> ps(connection().prepareStatement(sqlText));
        Params params(*ps);
        bind(params);
        std::unique_ptr<Rows> rs(ps->executeQuery());
        while (rs->next()) row(*rs);
    }

    int update(const std::string& sqlText, const Bind& bind) override {
        std::unique_ptr<sql::PreparedStatement> ps(connection().prepareStatement(sqlText));
        Params params(*ps);
        bind(params);
        return ps->executeUpdate();
    }

    // ---- StoreTransfer ----

    d::StoreContents exportAll() override {
        d::StoreContents c;
        snapshotRead("exporting", [&] {
            c = {};
            c.units = units_.list();
            c.people = people_.list();
            c.groups = groups_.list();
            c.riskRegisters = registers_.list();
            c.risks = risks_.list();
            c.riskScoreChanges = risks_.scoreChanges(std::nullopt);
            c.riskDecisions = risks_.decisions(std::nullopt);
            c.engagements = engagements_.list();
            for (const auto& e : c.engagements) {
                for (auto& f : findings_.listByEngagement(e.id)) c.findings.push_back(std::move(f));
            }
            c.recommendations = queryRecommendations(*this, "", "ORDER BY r.engagement_id, r.number", kNoParams);
            c.actions = queryActions(*this, "", "ORDER BY a.recommendation_id, a.number", kNoParams);
            select("SELECT id, action_id, update_date, author_id, text, percent FROM progress_update ORDER BY seq",
                   kNoParams, [&](Rows& rs) { c.progressUpdates.push_back(progressUpdateRow(rs)); });
            c.revisionRequests = requests_.all();
            c.evidence = evidence_.all();
            select(std::string(kEventColumns) + "ORDER BY seq", kNoParams,
                   [&](Rows& rs) { c.events.push_back(eventRow(rs)); });
            c.users = accounts_.listUsers();
            c.apiTokens = accounts_.allTokens();  // web sessions are not carried (StoreTransfer.h)
        });
        return c;
    }

    void importAll(const d::StoreContents& c) override {
        // Rows that point at rows of their own table are written without that link first, then linked.
        for (auto u : c.units) {
            u.parentId.reset();
            units_.save(u);
        }
        for (const auto& u : c.units) units_.save(u);
        for (auto p : c.people) {
            p.lineManagerId.reset();
            people_.save(p);
        }
        for (const auto& p : c.people) people_.save(p);
        for (auto g : c.groups) {
            g.parentId.reset();
            g.supersededById.reset();
            groups_.save(g);
        }
        for (const auto& g : c.groups) groups_.save(g);
        for (const auto& r : c.riskRegisters) registers_.save(r);
        for (auto r : c.risks) {
            r.parentId.reset();
            risks_.save(r);
        }
        for (const auto& r : c.risks) {
            if (r.parentId) risks_.save(r);
        }
        for (const auto& sc : c.riskScoreChanges) risks_.addScoreChange(sc);
        for (const auto& dc : c.riskDecisions) risks_.addDecision(dc);
        for (auto e : c.engagements) {
            e.followsUpId.reset();
            engagements_.insertKeepingVersion(e);
        }
        write("linking engagements", [&] {
            for (const auto& e : c.engagements) {
                if (!e.followsUpId) continue;
                update("UPDATE engagement SET follows_up_id = ? WHERE id = ?",
                       [&](Params& p) { p.str(*e.followsUpId).str(e.id); });
            }
        });
        for (const auto& f : c.findings) findings_.save(f);
        for (const auto& r : c.recommendations) recommendations_.insertKeepingVersion(r);
        for (auto a : c.actions) {
            a.supersededByActionId.reset();
            actions_.insertKeepingVersion(a);
        }
        for (const auto& a : c.actions) {
            if (a.supersededByActionId) actions_.linkSuccessor(a.id, *a.supersededByActionId);
        }
        for (const auto& u : c.progressUpdates) progress_.add(u);
        for (const auto& r : c.revisionRequests) requests_.insertKeepingVersion(r);
        for (const auto& e : c.evidence) evidence_.add(e.evidence, e.content);
        for (const auto& e : c.events) events_.append(e);  // as recorded: seq and hashes kept
        for (const auto& u : c.users) accounts_.insertUserKeepingVersion(u);
        for (const auto& t : c.apiTokens) accounts_.addToken(t);
    }

    void clearAll() override {
        write("emptying the database", [&] {
            update("DELETE FROM web_sessions", kNoParams);  // not carried, but they refer to users
            update("UPDATE org_unit SET parent_id = NULL", kNoParams);
            update("UPDATE person SET line_manager_id = NULL", kNoParams);
            update("UPDATE governance_group SET parent_id = NULL, superseded_by_id = NULL", kNoParams);
            update("UPDATE engagement SET follows_up_id = NULL", kNoParams);
            update("UPDATE action SET superseded_by_action_id = NULL", kNoParams);
            update("UPDATE risk SET parent_id = NULL", kNoParams);
            for (auto it = std::rbegin(kTables); it != std::rend(kTables); ++it) {
                update(std::string("DELETE FROM ") + *it, kNoParams);
            }
        });
    }

    std::vector<d::TableCount> countRows() override {
        std::vector<d::TableCount> out;
        read("counting rows", [&] {
            out.clear();
            for (const char* table : kTables) {
                select(std::string("SELECT COUNT(*) FROM ") + table, kNoParams, [&](Rows& rs) {
                    out.push_back({table, rs.getInt64(1)});
                });
            }
        });
        return out;
    }

    std::int64_t serverConnectionId() {
        std::int64_t id = -1;
        read("reading the connection id",
             [&] { select("SELECT CONNECTION_ID()", kNoParams, [&](Rows& rs) { id = rs.getInt64(1); }); });
        return id;
    }

    /// Runs `work` on this session's connection, translating driver errors (the store's boundary).
    void runRaw(const std::string& what, const std::function<void()>& work) {
        try {
            work();
        } catch (const sql::SQLException& e) {
            if (isLostConnection(e.getErrorCode())) broken_ = true;
            throwTranslated(what, e);
        }
    }

    void execute(const std::string& fixedSql) {
        std::unique_ptr<sql::Statement> st(connection().createStatement());
        st->execute(fixedSql);
    }

private:
    /// One consistent, lock-free read (SPEC 6 "a read never writes").
    void snapshotRead(const std::string& what, const std::function<void()>& work) {
        if (depth_ > 0) {
            work();
            return;
        }
        auto once = [&] {
            runRaw(what, [&] { execute("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY"); });
            depth_ = 1;
            try {
                work();
                depth_ = 0;
                runRaw(what, [&] { execute("COMMIT"); });
            } catch (...) {
                depth_ = 0;
                rollbackQuietly();
                throw;
            }
        };
        try {
            once();
        } catch (const ConnectionLostError&) {
            once();  // a read is safe to run twice; connection() reconnects
        }
    }

    sql::Connection& connection() {
        if (broken_ || !con_) {
            if (depth_ > 0) {
                throw ConnectionLostError("the connection to the database was lost; nothing was saved, try again");
            }
            con_.reset();
            con_ = pool_->connect();
            broken_ = false;
        }
        return *con_;
    }

    void rollbackQuietly() {
        depth_ = 0;
        if (broken_ || !con_) return;
        try {
            execute("ROLLBACK");
        } catch (const sql::SQLException& e) {
            if (isLostConnection(e.getErrorCode())) broken_ = true;
        } catch (...) {  // the original error matters more than a failed rollback
        }
    }

    std::shared_ptr<MysqlStore::Pool> pool_;
    std::unique_ptr<sql::Connection> con_;
    bool broken_ = false;
    int depth_ = 0;
    MysqlUnits units_;
    MysqlPeople people_;
    MysqlGroups groups_;
    MysqlRisks risks_;
    MysqlRiskRegisters registers_;
    MysqlEngagements engagements_;
    MysqlFindings findings_;
    MysqlRecommendations recommendations_;
    MysqlActions actions_;
    MysqlProgressUpdates progress_;
    MysqlRevisionRequests requests_;
    MysqlEvidence evidence_;
    MysqlEvents events_;
    MysqlAccounts accounts_;
    MysqlReminders reminders_;
};

}  // namespace

// ---- options ----

MysqlOptions MysqlOptions::fromUri(const std::string& uri) {
    const std::string scheme = "mysql://";
    const std::string expected = "expected mysql://USER@HOST:PORT/DB";
    if (uri.rfind(scheme, 0) != 0) throw d::ValidationError("--db: '" + uri + "' is not a MySQL URI; " + expected);
    const std::string rest = uri.substr(scheme.size());
    const auto at = rest.rfind('@');
    if (at == std::string::npos || at == 0) throw d::ValidationError("--db: the MySQL URI names no user; " + expected);
    MysqlOptions o;
    o.user = rest.substr(0, at);
    if (o.user.find(':') != std::string::npos) {
        // Never echo the URI: it holds a password.
        throw d::ValidationError(
            "--db: a password in the URI is refused; set GOVTRACK_DB_PASSWORD or govtrack.storage.mysql.password_file");
    }
    const std::string hostPart = rest.substr(at + 1);
    const auto slash = hostPart.find('/');
    if (slash == std::string::npos || slash + 1 >= hostPart.size()) {
        throw d::ValidationError("--db: the MySQL URI names no database; " + expected);
    }
    o.database = hostPart.substr(slash + 1);
    if (o.database.find_first_of("/?#") != std::string::npos) {
        throw d::ValidationError("--db: '" + o.database + "' is not a database name; " + expected);
    }
    const std::string hostPort = hostPart.substr(0, slash);
    const auto colon = hostPort.rfind(':');
    o.host = hostPort.substr(0, colon);
    if (colon != std::string::npos) {
        const std::string port = hostPort.substr(colon + 1);
        const bool digits = !port.empty() && port.size() <= 5 &&
                            std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (!digits || std::stoi(port) < 1 || std::stoi(port) > 65535) {
            throw d::ValidationError("--db: '" + port + "' is not a port (1-65535); " + expected);
        }
        o.port = std::stoi(port);
    }
    if (o.host.empty()) throw d::ValidationError("--db: the MySQL URI names no host; " + expected);
    return o;
}

std::string MysqlOptions::describe() const {
    return "mysql://" + user + "@" + host + ":" + std::to_string(port) + "/" + database;
}

// ---- the store ----

MysqlStore::MysqlStore(MysqlOptions options) : pool_(std::make_shared<Pool>(std::move(options))) {
    if (pool_->options.poolSize < 1) throw d::ValidationError("govtrack.storage.mysql.pool_size must be at least 1");
    pool_->release(pool_->acquire());  // fail fast: reachable, login accepted, database usable
}

MysqlStore::~MysqlStore() = default;

const MysqlOptions& MysqlStore::options() const noexcept {
    return pool_->options;
}

std::unique_ptr<domain::StoreSession> MysqlStore::openSession() {
    return std::make_unique<MysqlSession>(pool_);
}

std::int64_t MysqlStore::connectionId(domain::StoreSession& session) {
    auto* s = dynamic_cast<MysqlSession*>(&session);
    return s ? s->serverConnectionId() : -1;
}

int MysqlStore::latestSchemaVersion() {
    int latest = 0;
    for (const auto& m : embeddedMigrations()) latest = std::max(latest, m.version);
    return latest;
}

int MysqlStore::schemaVersion() {
    MysqlSession s(pool_);
    int version = 0;
    s.read("reading schema_version", [&] {
        bool exists = false;
        s.select(
            "SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?",
            [](Params& p) { p.str("schema_version"); }, [&](Rows&) { exists = true; });
        if (!exists) return;
        s.select("SELECT COALESCE(MAX(version), 0) FROM schema_version", kNoParams,
                 [&](Rows& rs) { version = rs.getInt(1); });
    });
    return version;
}

int MysqlStore::migrate() {
    MysqlSession s(pool_);
    // DDL commits implicitly in MySQL, so migrations cannot share a transaction; a named server lock keeps
    // two instances that start together from migrating at once.
    const std::string lockName = "govtrack.migrate." + pool_->options.database;
    int locked = 0;
    s.runRaw("waiting for the migration lock", [&] {
        try {
            s.select(
                "SELECT GET_LOCK(?, 60)", [&](Params& p) { p.str(lockName); },
                [&](Rows& rs) { locked = rs.getInt(1); });
        } catch (const sql::SQLException& e) {
            // Galera may refuse GET_LOCK (1235 ER_NOT_SUPPORTED_YET): migrate unlocked; every statement is
            // idempotent (IF NOT EXISTS, INSERT IGNORE), so two instances migrating together still converge.
            if (e.getErrorCode() != 1235) throw;
            locked = -1;
        }
    });
    if (locked == 0) throw d::UnavailableError("another govtrack is migrating this database; try again");
    struct Unlock {
        MysqlSession& s;
        const std::string& name;
        ~Unlock() {
            try {
                s.select(
                    "SELECT RELEASE_LOCK(?)", [&](Params& p) { p.str(name); }, [](Rows&) {});
            } catch (...) {  // the lock ends with the connection anyway
            }
        }
    } unlock{s, lockName};

    s.runRaw("creating schema_version", [&] {
        s.execute(
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY, "
            "name VARCHAR(255) NOT NULL, applied_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP) "
            "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin");
    });
    int current = 0;
    s.runRaw("reading schema_version", [&] {
        s.select("SELECT COALESCE(MAX(version), 0) FROM schema_version", kNoParams,
                 [&](Rows& rs) { current = rs.getInt(1); });
    });
    if (current > latestSchemaVersion()) {
        throw d::ValidationError("the database schema is version " + std::to_string(current) +
                                 ", newer than this govtrack build knows (" + std::to_string(latestSchemaVersion()) +
                                 "); upgrade govtrack");
    }
    for (const auto& m : embeddedMigrations()) {
        if (m.version <= current) continue;
        s.runRaw(m.name, [&] {
            for (const auto& statement : splitStatements(m.sql)) {
                try {
                    s.execute(statement);  // fixed DDL, no values
                } catch (const sql::SQLException& e) {
                    // An ALTER TABLE that adds columns is one statement, all or nothing; "duplicate column"
                    // (1060 ER_DUP_FIELDNAME) means an interrupted run already applied it.
                    const bool alter =
                        statement.find_first_not_of(" \t\r\n") != std::string::npos &&
                        statement.compare(statement.find_first_not_of(" \t\r\n"), 11, "ALTER TABLE") == 0;
                    if (!(alter && e.getErrorCode() == 1060)) throw;
                }
            }
            s.update("INSERT IGNORE INTO schema_version (version, name) VALUES (?, ?)",
                     [&](Params& p) { p.i64(m.version).str(m.name); });
        });
        current = m.version;
    }
    return current;
}

}  // namespace govtrack::storage_mysql
