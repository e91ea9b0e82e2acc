#include "govtrack/storage_sqlite/SqliteStore.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <sstream>
#include <tuple>
#include <unordered_map>

#include <Poco/Data/LOB.h>
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/SQLite/SQLiteException.h>
#include <Poco/Data/SQLite/Utility.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Nullable.h>
#include <sqlite3.h>

#include "govtrack/domain/Accounts.h"
#include "govtrack/domain/AuditTrail.h"
#include "govtrack/domain/Error.h"
#include "govtrack/domain/Outbox.h"
#include "govtrack/domain/StoreTransfer.h"

namespace govtrack::storage_sqlite {

struct Migration {
    int version;
    const char* name;
    const char* sql;
};
/// Generated at build time from schema/sqlite/*.sql (cmake/EmbedMigrations.cmake).
const std::vector<Migration>& embeddedMigrations();

namespace {

using Poco::Data::Session;
using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;
using Poco::Data::Keywords::use;
using NText = Poco::Nullable<std::string>;
using NInt = Poco::Nullable<int>;

namespace d = govtrack::domain;

void registerConnectorOnce() {
    static std::once_flag flag;
    std::call_once(flag, [] { Poco::Data::SQLite::Connector::registerConnector(); });
}

/// Runs `work`, translating driver errors into domain errors (the store's boundary; STYLE.md).
template <typename F>
auto translate(const char* what, F&& work) -> decltype(work()) {
    try {
        return work();
    } catch (const d::Error&) {
        throw;
    } catch (const Poco::Data::SQLite::ConstraintViolationException& e) {
        // The same wording as storage_mysql: a contract test holds both to it.
        const std::string text = e.displayText();
        if (text.find("FOREIGN KEY") != std::string::npos) {
            throw d::ConflictError(std::string(what) + ": it refers to a record that does not exist", false, text);
        }
        if (text.find("UNIQUE") != std::string::npos || text.find("PRIMARY KEY") != std::string::npos) {
            throw d::ConflictError(std::string(what) + ": a record with the same key already exists", false, text);
        }
        throw d::ConflictError(std::string(what) + ": a value breaks a rule of the database", false, text);
    } catch (const Poco::Data::SQLite::DBLockedException& e) {
        throw d::UnavailableError("the database is busy; try again", e.displayText());
    } catch (const Poco::Data::SQLite::TableLockedException& e) {
        throw d::UnavailableError("the database is busy; try again", e.displayText());
    } catch (const Poco::Data::SQLite::CantOpenDBFileException& e) {
        throw d::UnavailableError("the database file cannot be opened", e.displayText());
    } catch (const Poco::Exception& e) {
        throw d::Error(d::ErrorCode::kInternal, std::string(what) + " failed", {}, e.displayText());
    }
}

// ---- value mapping ----

NText nt(const std::optional<std::string>& v) {
    return v ? NText(*v) : NText();
}
std::optional<std::string> opt(const NText& v) {
    return v.isNull() ? std::nullopt : std::optional<std::string>(v.value());
}
NText ntDate(const std::optional<d::TargetDate>& v) {
    return v ? NText(v->iso()) : NText();
}
std::optional<d::TargetDate> optDate(const NText& v) {
    return v.isNull() ? std::nullopt : d::parseTargetDate(v.value());
}
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

/// Parses a stored enum name; a name the code does not know means the file was edited by hand.
template <typename E>
E storedEnum(std::optional<E> parsed, const std::string& raw) {
    if (!parsed) throw d::Error(d::ErrorCode::kInternal, "stored value is not recognised", {}, "value '" + raw + "'");
    return *parsed;
}

// ---- repositories ----

class SqliteUnits final : public d::OrganisationUnitRepository {
public:
    explicit SqliteUnits(Session& s) : s_(s) {}
    std::optional<d::OrganisationUnit> findByName(const std::string& name) override {
        auto all = query("WHERE name = ?", name);
        return all.empty() ? std::nullopt : std::optional(all.front());
    }
    std::vector<d::OrganisationUnit> list() override { return query("ORDER BY name", std::nullopt); }
    void save(const d::OrganisationUnit& u) override {
        translate("saving unit", [&] {
            std::string id = u.id, name = u.name, kind{d::toString(u.kind)};
            NText parent = nt(u.parentId);
            s_ << "INSERT INTO org_unit (id, name, kind, parent_id) VALUES (?, ?, ?, ?) "
                  "ON CONFLICT(id) DO UPDATE SET name = excluded.name, kind = excluded.kind, parent_id = "
                  "excluded.parent_id",
                use(id), use(name), use(kind), use(parent), now;
        });
    }

private:
    std::vector<d::OrganisationUnit> query(const std::string& where, std::optional<std::string> arg) {
        return translate("reading units", [&] {
            std::vector<std::string> ids, names, kinds;
            std::vector<NText> parents;
            Poco::Data::Statement st(s_);
            st << "SELECT id, name, kind, parent_id FROM org_unit " + where, into(ids), into(names), into(kinds),
                into(parents);
            std::string a = arg.value_or("");
            if (arg) st, use(a);
            st.execute();
            std::vector<d::OrganisationUnit> out;
            for (std::size_t i = 0; i < ids.size(); ++i) {
                out.push_back({ids[i], names[i], storedEnum(d::parseUnitKind(kinds[i]), kinds[i]), opt(parents[i])});
            }
            return out;
        });
    }
    Session& s_;
};

/// Runs `sql` (with `args` bound in order) and gives every row's first two text columns to `row`.
void selectPairs(Session& s, const std::string& sql, const std::vector<std::string>& args,
                 const std::function<void(const std::string&, const std::string&)>& row) {
    std::vector<std::string> firsts, seconds;
    std::vector<std::string> a = args;
    Poco::Data::Statement st(s);
    st << sql, into(firsts), into(seconds);
    for (auto& v : a) st, use(v);
    st.execute();
    for (std::size_t i = 0; i < firsts.size(); ++i) row(firsts[i], seconds[i]);
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

class SqlitePeople final : public d::PersonRepository {
public:
    explicit SqlitePeople(Session& s) : s_(s) {}
    std::optional<d::Person> findById(const d::Id& id) override {
        auto all = query("WHERE id = ?", "", id);
        return all.empty() ? std::nullopt : std::optional(all.front());
    }
    std::optional<d::Person> findByRoleTitle(const std::string& roleTitle) override {
        auto all = query("WHERE role_title = ?", "", roleTitle);
        return all.empty() ? std::nullopt : std::optional(all.front());
    }
    std::vector<d::Person> list() override { return query("", "ORDER BY role_title", std::nullopt); }
    std::vector<d::Id> listDirectReports(const d::Id& managerId) override {
        // Ids only, in one query: sign-in asks on every request.
        return translate("reading people", [&] {
            std::string manager = managerId;
            std::vector<std::string> ids;
            s_ << "SELECT id FROM person WHERE line_manager_id = ? ORDER BY role_title", use(manager), into(ids), now;
            return ids;
        });
    }
    void save(const d::Person& p) override {
        translate("saving person", [&] {
            std::string id = p.id, title = p.roleTitle, email = p.email;
            NText unit = nt(p.unitId), manager = nt(p.lineManagerId);
            int active = p.active ? 1 : 0;
            s_ << "INSERT INTO person (id, role_title, email, unit_id, line_manager_id, active) VALUES (?, ?, ?, ?, ?, "
                  "?) "
                  "ON CONFLICT(id) DO UPDATE SET role_title = excluded.role_title, email = excluded.email, "
                  "unit_id = excluded.unit_id, line_manager_id = excluded.line_manager_id, active = excluded.active",
                use(id), use(title), use(email), use(unit), use(manager), use(active), now;
            s_ << "DELETE FROM person_role WHERE person_id = ?", use(id), now;
            std::vector<d::Role> roles = p.roles;
            normaliseRoles(roles);
            for (const auto role : roles) {
                std::string name{d::toString(role)};
                s_ << "INSERT INTO person_role (person_id, role) VALUES (?, ?)", use(id), use(name), now;
            }
        });
    }

private:
    /// People matching `where` in `order`, with their roles (two queries in all).
    std::vector<d::Person> query(const std::string& where, const std::string& order, std::optional<std::string> arg) {
        return translate("reading people", [&] {
            std::vector<std::string> ids, titles, emails;
            std::vector<NText> units, managers;
            std::vector<int> actives;
            Poco::Data::Statement st(s_);
            st << "SELECT id, role_title, email, unit_id, line_manager_id, active FROM person " + where + " " + order,
                into(ids), into(titles), into(emails), into(units), into(managers), into(actives);
            std::string a = arg.value_or("");
            if (arg) st, use(a);
            st.execute();
            std::vector<d::Person> out;
            std::unordered_map<std::string, std::size_t> index;
            for (std::size_t i = 0; i < ids.size(); ++i) {
                out.push_back({ids[i], titles[i], emails[i], opt(units[i]), opt(managers[i]), actives[i] != 0, {}});
                index.emplace(ids[i], i);
            }
            if (out.empty()) return out;
            std::vector<std::string> args;
            if (arg) args.push_back(*arg);
            selectPairs(s_,
                        "SELECT x.person_id, x.role FROM person_role x WHERE x.person_id IN (SELECT id FROM person " +
                            where + ")",
                        args, [&](const std::string& person, const std::string& role) {
                            if (auto it = index.find(person); it != index.end())
                                out[it->second].roles.push_back(storedEnum(d::parseRole(role), role));
                        });
            for (auto& p : out) normaliseRoles(p.roles);
            return out;
        });
    }
    Session& s_;
};

class SqliteGroups final : public d::GovernanceGroupRepository {
public:
    explicit SqliteGroups(Session& s) : s_(s) {}
    std::optional<d::GovernanceGroup> findById(const d::Id& id) override {
        auto all = query("WHERE id = ?", "", id);
        return all.empty() ? std::nullopt : std::optional(all.front());
    }
    std::optional<d::GovernanceGroup> findByName(const std::string& name) override {
        auto all = query("WHERE name = ?", "", name);
        return all.empty() ? std::nullopt : std::optional(all.front());
    }
    std::vector<d::GovernanceGroup> list() override { return query("", "ORDER BY name", std::nullopt); }
    void save(const d::GovernanceGroup& g) override {
        translate("saving governance group", [&] {
            std::string id = g.id, name = g.name, kind{d::toString(g.kind)}, purpose = g.purpose, remit = g.remit,
                        freq = g.meetingFrequency, quorum = g.quorum;
            NText parent = nt(g.parentId), from = ntDate(g.effectiveFrom), to = ntDate(g.effectiveTo),
                  successor = nt(g.supersededById);
            s_ << "INSERT INTO governance_group (id, name, kind, parent_id, purpose, remit, meeting_frequency, quorum, "
                  "effective_from, effective_to, superseded_by_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                  "ON CONFLICT(id) DO UPDATE SET name = excluded.name, kind = excluded.kind, "
                  "parent_id = excluded.parent_id, purpose = excluded.purpose, remit = excluded.remit, "
                  "meeting_frequency = excluded.meeting_frequency, quorum = excluded.quorum, "
                  "effective_from = excluded.effective_from, effective_to = excluded.effective_to, "
                  "superseded_by_id = excluded.superseded_by_id",
                use(id), use(name), use(kind), use(parent), use(purpose), use(remit), use(freq), use(quorum), use(from),
                use(to), use(successor), now;
            s_ << "DELETE FROM group_member WHERE group_id = ?", use(id), now;
            for (const auto& m : g.members) {
                std::string person = m.personId, role{d::toString(m.role)};
                s_ << "INSERT INTO group_member (group_id, person_id, role) VALUES (?, ?, ?)", use(id), use(person),
                    use(role), now;
            }
            s_ << "DELETE FROM group_power WHERE group_id = ?", use(id), now;
            for (std::size_t i = 0; i < g.powers.size(); ++i) {
                const auto& p = g.powers[i];
                int position = static_cast<int>(i) + 1;
                std::string kind{d::toString(p.kind)};
                NText maxPriority = p.maxPriority ? NText(std::string(d::toString(*p.maxPriority))) : NText();
                NInt maxSlip = p.maxTotalSlipDays ? NInt(*p.maxTotalSlipDays) : NInt();
                s_ << "INSERT INTO group_power (group_id, position, kind, max_priority, max_total_slip_days) "
                      "VALUES (?, ?, ?, ?, ?)",
                    use(id), use(position), use(kind), use(maxPriority), use(maxSlip), now;
            }
        });
    }

private:
    /// Groups matching `where` in `order`, with members and powers (three queries in all).
    std::vector<d::GovernanceGroup> query(const std::string& where, const std::string& order,
                                          std::optional<std::string> arg) {
        return translate("reading governance groups", [&] {
            std::vector<std::string> ids, names, kinds, purposes, remits, freqs, quorums;
            std::vector<NText> parents, froms, tos, successors;
            Poco::Data::Statement st(s_);
            st << "SELECT id, name, kind, parent_id, purpose, remit, meeting_frequency, quorum, effective_from, "
                  "effective_to, superseded_by_id FROM governance_group " +
                      where + " " + order,
                into(ids), into(names), into(kinds), into(parents), into(purposes), into(remits), into(freqs),
                into(quorums), into(froms), into(tos), into(successors);
            std::string a = arg.value_or("");
            if (arg) st, use(a);
            st.execute();
            std::vector<d::GovernanceGroup> out;
            std::unordered_map<std::string, std::size_t> index;
            for (std::size_t i = 0; i < ids.size(); ++i) {
                d::GovernanceGroup g;
                g.id = ids[i];
                g.name = names[i];
                g.kind = storedEnum(d::parseGroupKind(kinds[i]), kinds[i]);
                g.parentId = opt(parents[i]);
                g.purpose = purposes[i];
                g.remit = remits[i];
                g.meetingFrequency = freqs[i];
                g.quorum = quorums[i];
                g.effectiveFrom = optDate(froms[i]);
                g.effectiveTo = optDate(tos[i]);
                g.supersededById = opt(successors[i]);
                index.emplace(g.id, out.size());
                out.push_back(std::move(g));
            }
            if (out.empty()) return out;
            const std::string scope = "WHERE x.group_id IN (SELECT id FROM governance_group " + where + ")";
            std::vector<std::string> args;
            if (arg) args.push_back(*arg);
            {
                std::vector<std::string> groupIds, personIds, roles;
                Poco::Data::Statement members(s_);
                members << "SELECT x.group_id, x.person_id, x.role FROM group_member x " + scope, into(groupIds),
                    into(personIds), into(roles);
                for (auto& v : args) members, use(v);
                members.execute();
                for (std::size_t i = 0; i < groupIds.size(); ++i) {
                    if (auto it = index.find(groupIds[i]); it != index.end())
                        out[it->second].members.push_back(
                            {personIds[i], storedEnum(d::parseMemberRole(roles[i]), roles[i])});
                }
            }
            {
                std::vector<std::string> groupIds, kinds;
                std::vector<NText> maxPriorities;
                std::vector<NInt> maxSlips;
                Poco::Data::Statement powers(s_);
                powers << "SELECT x.group_id, x.kind, x.max_priority, x.max_total_slip_days FROM group_power x " +
                              scope + " ORDER BY x.group_id, x.position",
                    into(groupIds), into(kinds), into(maxPriorities), into(maxSlips);
                for (auto& v : args) powers, use(v);
                powers.execute();
                for (std::size_t i = 0; i < groupIds.size(); ++i) {
                    auto it = index.find(groupIds[i]);
                    if (it == index.end()) continue;
                    d::DelegatedPower p;
                    p.kind = storedEnum(d::parsePowerKind(kinds[i]), kinds[i]);
                    if (!maxPriorities[i].isNull())
                        p.maxPriority =
                            storedEnum(d::parsePriority(maxPriorities[i].value()), maxPriorities[i].value());
                    if (!maxSlips[i].isNull()) p.maxTotalSlipDays = maxSlips[i].value();
                    out[it->second].powers.push_back(p);
                }
            }
            for (auto& g : out) sortMembers(g.members);
            return out;
        });
    }
    Session& s_;
};

std::optional<d::RiskRating> rating(const NInt& l, const NInt& i) {
    if (l.isNull() || i.isNull()) return std::nullopt;
    return d::RiskRating{l.value(), i.value()};
}
NInt ratingPart(const std::optional<d::RiskRating>& r, bool likelihood) {
    return r ? NInt(likelihood ? r->likelihood : r->impact) : NInt();
}
NText ntDay(const std::optional<d::Date>& v) {
    return v ? NText(d::formatIso(*v)) : NText();
}
std::optional<d::Date> optDay(const NText& v) {
    return v.isNull() ? std::nullopt : std::optional<d::Date>(isoDay(v.value()));
}

class SqliteRiskRegisters final : public d::RiskRegisterRepository {
public:
    explicit SqliteRiskRegisters(Session& s) : s_(s) {}
    std::optional<d::RiskRegister> findById(const d::Id& id) override {
        auto all = query("WHERE id = ?", id);
        return all.empty() ? std::nullopt : std::optional(all.front());
    }
    std::optional<d::RiskRegister> findByName(const std::string& name) override {
        auto all = query("WHERE name = ?", name);
        return all.empty() ? std::nullopt : std::optional(all.front());
    }
    std::vector<d::RiskRegister> list() override { return query("ORDER BY name", std::nullopt); }
    void save(const d::RiskRegister& r) override {
        translate("saving risk register", [&] {
            std::string id = r.id, name = r.name, level{d::toString(r.level)};
            NText unit = nt(r.ownerUnitId), group = nt(r.ownerGroupId);
            int threshold = r.escalationThreshold, frequency = r.reviewFrequencyDays;
            s_ << "INSERT INTO risk_register (id, name, level, owner_unit_id, owner_group_id, escalation_threshold, "
                  "review_frequency_days) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET name = "
                  "excluded.name, level = excluded.level, owner_unit_id = excluded.owner_unit_id, owner_group_id = "
                  "excluded.owner_group_id, escalation_threshold = excluded.escalation_threshold, "
                  "review_frequency_days = excluded.review_frequency_days",
                use(id), use(name), use(level), use(unit), use(group), use(threshold), use(frequency), now;
            s_ << "DELETE FROM risk_tolerance WHERE register_id = ?", use(id), now;
            for (const auto& t : r.tolerances) {
                std::string category = t.category, appetite{d::toString(t.appetite)};
                s_ << "INSERT INTO risk_tolerance (register_id, category, appetite) VALUES (?, ?, ?)", use(id),
                    use(category), use(appetite), now;
            }
        });
    }

private:
    std::vector<d::RiskRegister> query(const std::string& where, std::optional<std::string> arg) {
        return translate("reading risk registers", [&] {
            std::vector<std::string> ids, names, levels;
            std::vector<NText> units, groups;
            std::vector<int> thresholds, frequencies;
            Poco::Data::Statement st(s_);
            st << "SELECT id, name, level, owner_unit_id, owner_group_id, escalation_threshold, review_frequency_days "
                  "FROM risk_register " +
                      where,
                into(ids), into(names), into(levels), into(units), into(groups), into(thresholds), into(frequencies);
            std::string a = arg.value_or("");
            if (arg) st, use(a);
            st.execute();
            std::vector<d::RiskRegister> out;
            for (std::size_t i = 0; i < ids.size(); ++i) {
                d::RiskRegister r;
                r.id = ids[i];
                r.name = names[i];
                r.level = storedEnum(d::parseRiskLevel(levels[i]), levels[i]);
                r.ownerUnitId = opt(units[i]);
                r.ownerGroupId = opt(groups[i]);
                r.escalationThreshold = thresholds[i];
                r.reviewFrequencyDays = frequencies[i];
                out.push_back(std::move(r));
            }
            for (auto& r : out) {
                std::vector<std::string> categories, appetites;
                std::string id = r.id;
                s_ << "SELECT category, appetite FROM risk_tolerance WHERE register_id = ? ORDER BY category",
                    into(categories), into(appetites), use(id), now;
                for (std::size_t i = 0; i < categories.size(); ++i)
                    r.tolerances.push_back({categories[i], storedEnum(d::parseAppetite(appetites[i]), appetites[i])});
            }
            return out;
        });
    }
    Session& s_;
};

class SqliteRisks final : public d::RiskRepository {
public:
    explicit SqliteRisks(Session& s) : s_(s) {}
    std::optional<d::Risk> findById(const d::Id& id) override {
        auto all = query("WHERE id = ?", id);
        return all.empty() ? std::nullopt : std::optional(all.front());
    }
    std::optional<d::Risk> findByReference(const std::string& reference) override {
        auto all = query("WHERE reference = ?", reference);
        return all.empty() ? std::nullopt : std::optional(all.front());
    }
    std::vector<d::Risk> list() override { return query("ORDER BY reference", std::nullopt); }
    void save(const d::Risk& r) override {
        translate("saving risk", [&] {
            std::string id = r.id, ref = r.reference, title = r.title, desc = r.description, level = r.level;
            NText reg = nt(r.registerId), parent = nt(r.parentId);
            std::string cause = r.cause, event = r.event, effect = r.effect, category = r.category;
            NInt il = ratingPart(r.inherent, true), ii = ratingPart(r.inherent, false);
            NInt cl = ratingPart(r.current, true), ci = ratingPart(r.current, false);
            NInt tl = ratingPart(r.target, true), ti = ratingPart(r.target, false);
            std::string reason = r.targetReason, controls = joinLines(r.controls);
            std::string recs = joinLines(r.linkedRecommendations), actions = joinLines(r.linkedActions);
            NText last = ntDay(r.lastReview), next = ntDay(r.nextReview);
            std::string status{d::toString(r.status)};
            s_ << "INSERT INTO risk (id, reference, title, description, level, register_id, cause, risk_event, effect, "
                  "category, inherent_likelihood, inherent_impact, current_likelihood, current_impact, "
                  "target_likelihood, target_impact, target_reason, controls, linked_recommendations, linked_actions, "
                  "last_review, next_review, status, parent_id) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                  "ON CONFLICT(id) DO UPDATE SET reference = excluded.reference, title = excluded.title, "
                  "description = excluded.description, level = excluded.level, register_id = excluded.register_id, "
                  "cause = excluded.cause, risk_event = excluded.risk_event, effect = excluded.effect, "
                  "category = excluded.category, inherent_likelihood = excluded.inherent_likelihood, "
                  "inherent_impact = excluded.inherent_impact, current_likelihood = excluded.current_likelihood, "
                  "current_impact = excluded.current_impact, target_likelihood = excluded.target_likelihood, "
                  "target_impact = excluded.target_impact, target_reason = excluded.target_reason, "
                  "controls = excluded.controls, linked_recommendations = excluded.linked_recommendations, "
                  "linked_actions = excluded.linked_actions, last_review = excluded.last_review, "
                  "next_review = excluded.next_review, status = excluded.status, parent_id = excluded.parent_id",
                use(id), use(ref), use(title), use(desc), use(level), use(reg), use(cause), use(event), use(effect),
                use(category), use(il), use(ii), use(cl), use(ci), use(tl), use(ti), use(reason), use(controls),
                use(recs), use(actions), use(last), use(next), use(status), use(parent), now;
            s_ << "DELETE FROM risk_owner WHERE risk_id = ?", use(id), now;
            int position = 0;
            for (const auto& owner : r.ownerIds) {
                ++position;
                std::string person = owner;
                s_ << "INSERT INTO risk_owner (risk_id, position, person_id) VALUES (?, ?, ?)", use(id), use(position),
                    use(person), now;
            }
        });
    }
    void addScoreChange(const d::RiskScoreChange& c) override {
        translate("recording a risk score change", [&] {
            std::string risk = c.riskId, at = c.at, date = d::formatIso(c.date), name = c.actorName, reason = c.reason;
            int number = c.number;
            NText actor = nt(c.actorId);
            NInt il = ratingPart(c.inherent, true), ii = ratingPart(c.inherent, false);
            NInt cl = ratingPart(c.current, true), ci = ratingPart(c.current, false);
            NInt tl = ratingPart(c.target, true), ti = ratingPart(c.target, false);
            s_ << "INSERT INTO risk_score_change (risk_id, number, changed_at, change_date, actor_id, actor_name, "
                  "inherent_likelihood, inherent_impact, current_likelihood, current_impact, target_likelihood, "
                  "target_impact, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                use(risk), use(number), use(at), use(date), use(actor), use(name), use(il), use(ii), use(cl), use(ci),
                use(tl), use(ti), use(reason), now;
        });
    }
    std::vector<d::RiskScoreChange> scoreChanges(const std::optional<d::Id>& riskId) override {
        return translate("reading risk score changes", [&] {
            std::vector<std::string> risks, ats, dates, names, reasons;
            std::vector<int> numbers;
            std::vector<NText> actors;
            std::vector<NInt> il, ii, cl, ci, tl, ti;
            Poco::Data::Statement st(s_);
            st << std::string(
                      "SELECT risk_id, number, changed_at, change_date, actor_id, actor_name, "
                      "inherent_likelihood, inherent_impact, current_likelihood, current_impact, "
                      "target_likelihood, target_impact, reason FROM risk_score_change ") +
                      (riskId ? "WHERE risk_id = ? " : "") + "ORDER BY risk_id, number",
                into(risks), into(numbers), into(ats), into(dates), into(actors), into(names), into(il), into(ii),
                into(cl), into(ci), into(tl), into(ti), into(reasons);
            std::string a = riskId.value_or("");
            if (riskId) st, use(a);
            st.execute();
            std::vector<d::RiskScoreChange> out;
            for (std::size_t i = 0; i < risks.size(); ++i) {
                d::RiskScoreChange c;
                c.riskId = risks[i];
                c.number = numbers[i];
                c.at = ats[i];
                c.date = isoDay(dates[i]);
                c.actorId = opt(actors[i]);
                c.actorName = names[i];
                c.inherent = rating(il[i], ii[i]);
                c.current = rating(cl[i], ci[i]);
                c.target = rating(tl[i], ti[i]);
                c.reason = reasons[i];
                out.push_back(std::move(c));
            }
            return out;
        });
    }
    void addDecision(const d::EscalationDecision& e) override {
        translate("recording an escalation decision", [&] {
            std::string risk = e.riskId, kind{d::toString(e.kind)}, group = e.groupId, name = e.decidedByName,
                        date = d::formatIso(e.date), at = e.at, reason = e.reason;
            int number = e.number;
            NText strategic = nt(e.strategicRiskId), by = nt(e.decidedById);
            s_ << "INSERT INTO risk_escalation (risk_id, number, kind, strategic_risk_id, group_id, decided_by_id, "
                  "decided_by_name, decision_date, decided_at, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                use(risk), use(number), use(kind), use(strategic), use(group), use(by), use(name), use(date), use(at),
                use(reason), now;
        });
    }
    std::vector<d::EscalationDecision> decisions(const std::optional<d::Id>& riskId) override {
        return translate("reading escalation decisions", [&] {
            std::vector<std::string> risks, kinds, groups, names, dates, ats, reasons;
            std::vector<int> numbers;
            std::vector<NText> strategics, bys;
            Poco::Data::Statement st(s_);
            st << std::string(
                      "SELECT risk_id, number, kind, strategic_risk_id, group_id, decided_by_id, "
                      "decided_by_name, decision_date, decided_at, reason FROM risk_escalation ") +
                      (riskId ? "WHERE risk_id = ? " : "") + "ORDER BY risk_id, number",
                into(risks), into(numbers), into(kinds), into(strategics), into(groups), into(bys), into(names),
                into(dates), into(ats), into(reasons);
            std::string a = riskId.value_or("");
            if (riskId) st, use(a);
            st.execute();
            std::vector<d::EscalationDecision> out;
            for (std::size_t i = 0; i < risks.size(); ++i) {
                d::EscalationDecision e;
                e.riskId = risks[i];
                e.number = numbers[i];
                e.kind = storedEnum(d::parseEscalationKind(kinds[i]), kinds[i]);
                e.strategicRiskId = opt(strategics[i]);
                e.groupId = groups[i];
                e.decidedById = opt(bys[i]);
                e.decidedByName = names[i];
                e.date = isoDay(dates[i]);
                e.at = ats[i];
                e.reason = reasons[i];
                out.push_back(std::move(e));
            }
            return out;
        });
    }

private:
    std::vector<d::Risk> query(const std::string& where, std::optional<std::string> arg) {
        return translate("reading risks", [&] {
            std::vector<std::string> ids, refs, titles, descs, levels, causes, events, effects, categories, reasons,
                controls, recs, actions, statuses;
            std::vector<NText> regs, lasts, nexts, parents;
            std::vector<NInt> il, ii, cl, ci, tl, ti;
            Poco::Data::Statement st(s_);
            st << "SELECT id, reference, title, description, level, register_id, cause, risk_event, effect, category, "
                  "inherent_likelihood, inherent_impact, current_likelihood, current_impact, target_likelihood, "
                  "target_impact, target_reason, controls, linked_recommendations, linked_actions, last_review, "
                  "next_review, status, parent_id FROM risk " +
                      where,
                into(ids), into(refs), into(titles), into(descs), into(levels), into(regs), into(causes), into(events),
                into(effects), into(categories), into(il), into(ii), into(cl), into(ci), into(tl), into(ti),
                into(reasons), into(controls), into(recs), into(actions), into(lasts), into(nexts), into(statuses),
                into(parents);
            std::string a = arg.value_or("");
            if (arg) st, use(a);
            st.execute();
            std::vector<d::Risk> out;
            for (std::size_t i = 0; i < ids.size(); ++i) {
                d::Risk r = d::Risk::basic(ids[i], refs[i], titles[i], descs[i], levels[i]);
                r.registerId = opt(regs[i]);
                r.cause = causes[i];
                r.event = events[i];
                r.effect = effects[i];
                r.category = categories[i];
                r.inherent = rating(il[i], ii[i]);
                r.current = rating(cl[i], ci[i]);
                r.target = rating(tl[i], ti[i]);
                r.targetReason = reasons[i];
                r.controls = splitLines(controls[i]);
                r.linkedRecommendations = splitLines(recs[i]);
                r.linkedActions = splitLines(actions[i]);
                r.lastReview = optDay(lasts[i]);
                r.nextReview = optDay(nexts[i]);
                r.status = storedEnum(d::parseRiskStatus(statuses[i]), statuses[i]);
                r.parentId = opt(parents[i]);
                out.push_back(std::move(r));
            }
            for (auto& r : out) {
                std::vector<std::string> people;
                std::string id = r.id;
                s_ << "SELECT person_id FROM risk_owner WHERE risk_id = ? ORDER BY position", into(people), use(id),
                    now;
                r.ownerIds = std::move(people);
            }
            return out;
        });
    }
    Session& s_;
};

/// Optimistic concurrency: insert when new; otherwise update where the version matches (STYLE.md).
/// `exists` tells insert from update; `updated` is the number of rows the versioned UPDATE changed.
void checkVersion(std::size_t updated, const char* entity, const std::string& key) {
    if (updated == 0) {
        throw d::ConflictError(std::string(entity) + " " + key + " was changed by someone else; reload and try again",
                               true);
    }
}

bool rowExists(Session& s, const char* table, const std::string& id) {
    int count = 0;
    std::string key = id;
    s << std::string("SELECT COUNT(*) FROM ") + table + " WHERE id = ?", into(count), use(key), now;
    return count > 0;
}

class SqliteEngagements final : public d::EngagementRepository {
public:
    explicit SqliteEngagements(Session& s) : s_(s) {}
    std::optional<d::Engagement> findByReference(const std::string& reference) override {
        auto all = query("WHERE reference = ?", reference);
        return all.empty() ? std::nullopt : std::optional(all.front());
    }
    std::vector<d::Engagement> list() override { return query("ORDER BY reference", std::nullopt); }
    void save(const d::Engagement& e) override { write(e, false); }
    /// Inserts `e` as a new row with its own version (StoreTransfer::importAll).
    void insertKeepingVersion(const d::Engagement& e) { write(e, true); }

private:
    void write(const d::Engagement& e, bool keepVersion) {
        translate("saving engagement", [&] {
            std::string id = e.id, ref = e.reference, title = e.title, year = e.auditYear, scope = e.scope,
                        remit = joinLines(e.remitItems), risks = joinLines(e.keyRisks), status{d::toString(e.status)};
            NText fs = ntDate(e.fieldworkStart), fe = ntDate(e.fieldworkEnd), dr = ntDate(e.draftReportDate),
                  fr = ntDate(e.finalReportDate), issue = ntDate(e.issueDate), follows = nt(e.followsUpId);
            NText assurance = e.assuranceLevel ? NText(std::string(d::toString(*e.assuranceLevel))) : NText();
            NInt days = e.resourceDays ? NInt(*e.resourceDays) : NInt();
            Poco::Int64 version = e.version;
            if (!rowExists(s_, "engagement", id) || keepVersion) {
                Poco::Int64 inserted = keepVersion ? version : 1;
                s_ << "INSERT INTO engagement (id, reference, title, audit_year, scope, remit_items, key_risks, "
                      "fieldwork_start, fieldwork_end, draft_report_date, final_report_date, resource_days, "
                      "issue_date, "
                      "assurance_level, status, follows_up_id, version) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    use(id), use(ref), use(title), use(year), use(scope), use(remit), use(risks), use(fs), use(fe),
                    use(dr), use(fr), use(days), use(issue), use(assurance), use(status), use(follows), use(inserted),
                    now;
                return;
            }
            Poco::Data::Statement st(s_);
            st << "UPDATE engagement SET reference = ?, title = ?, audit_year = ?, scope = ?, remit_items = ?, "
                  "key_risks = ?, fieldwork_start = ?, fieldwork_end = ?, draft_report_date = ?, final_report_date = "
                  "?, "
                  "resource_days = ?, issue_date = ?, assurance_level = ?, status = ?, follows_up_id = ?, "
                  "version = version + 1 WHERE id = ? AND version = ?",
                use(ref), use(title), use(year), use(scope), use(remit), use(risks), use(fs), use(fe), use(dr), use(fr),
                use(days), use(issue), use(assurance), use(status), use(follows), use(id), use(version);
            checkVersion(st.execute(), "engagement", ref);
        });
    }

    std::vector<d::Engagement> query(const std::string& where, std::optional<std::string> arg) {
        return translate("reading engagements", [&] {
            std::vector<std::string> ids, refs, titles, years, scopes, remits, risks, statuses;
            std::vector<NText> fs, fe, dr, fr, issues, assurances, follows;
            std::vector<NInt> days;
            std::vector<Poco::Int64> versions;
            Poco::Data::Statement st(s_);
            st << "SELECT id, reference, title, audit_year, scope, remit_items, key_risks, fieldwork_start, "
                  "fieldwork_end, draft_report_date, final_report_date, resource_days, issue_date, assurance_level, "
                  "status, follows_up_id, version FROM engagement " +
                      where,
                into(ids), into(refs), into(titles), into(years), into(scopes), into(remits), into(risks), into(fs),
                into(fe), into(dr), into(fr), into(days), into(issues), into(assurances), into(statuses), into(follows),
                into(versions);
            std::string a = arg.value_or("");
            if (arg) st, use(a);
            st.execute();
            std::vector<d::Engagement> out;
            for (std::size_t i = 0; i < ids.size(); ++i) {
                d::Engagement e;
                e.id = ids[i];
                e.reference = refs[i];
                e.title = titles[i];
                e.auditYear = years[i];
                e.scope = scopes[i];
                e.remitItems = splitLines(remits[i]);
                e.keyRisks = splitLines(risks[i]);
                e.fieldworkStart = optDate(fs[i]);
                e.fieldworkEnd = optDate(fe[i]);
                e.draftReportDate = optDate(dr[i]);
                e.finalReportDate = optDate(fr[i]);
                if (!days[i].isNull()) e.resourceDays = days[i].value();
                e.issueDate = optDate(issues[i]);
                if (!assurances[i].isNull())
                    e.assuranceLevel = storedEnum(d::parseAssuranceLevel(assurances[i].value()), assurances[i].value());
                e.status = storedEnum(d::parseEngagementStatus(statuses[i]), statuses[i]);
                e.followsUpId = opt(follows[i]);
                e.version = versions[i];
                out.push_back(std::move(e));
            }
            return out;
        });
    }
    Session& s_;
};

class SqliteFindings final : public d::FindingRepository {
public:
    explicit SqliteFindings(Session& s) : s_(s) {}
    std::vector<d::Finding> listByEngagement(const d::Id& engagementId) override {
        return translate("reading findings", [&] {
            std::vector<std::string> ids, numbers, kinds, texts;
            std::vector<NInt> recs;
            std::string eid = engagementId;
            s_ << "SELECT id, number, kind, text, recommendation_number FROM finding WHERE engagement_id = ? "
                  "ORDER BY number",
                into(ids), into(numbers), into(kinds), into(texts), into(recs), use(eid), now;
            std::vector<d::Finding> out;
            for (std::size_t i = 0; i < ids.size(); ++i) {
                out.push_back({ids[i], engagementId, numbers[i], storedEnum(d::parseFindingKind(kinds[i]), kinds[i]),
                               texts[i], recs[i].isNull() ? std::nullopt : std::optional<int>(recs[i].value())});
            }
            return out;
        });
    }
    void save(const d::Finding& f) override {
        translate("saving finding", [&] {
            std::string id = f.id, eid = f.engagementId, number = f.number, kind{d::toString(f.kind)}, text = f.text;
            NInt rec = f.recommendationNumber ? NInt(*f.recommendationNumber) : NInt();
            s_ << "INSERT INTO finding (id, engagement_id, number, kind, text, recommendation_number) "
                  "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET number = excluded.number, "
                  "kind = excluded.kind, text = excluded.text, recommendation_number = excluded.recommendation_number",
                use(id), use(eid), use(number), use(kind), use(text), use(rec), now;
        });
    }

private:
    Session& s_;
};

const char* kRecommendationColumns =
    "r.id, r.engagement_id, r.number, r.title, r.issue, r.risk, r.recommendation_text, r.priority, "
    "r.management_response, r.response_text, r.version, "
    "(SELECT group_concat(risk_reference, char(10)) FROM recommendation_risk rr WHERE rr.recommendation_id = r.id) ";
/// The same columns without the long texts a report does not print (ActionPlanFilter::includeTexts).
const char* kRecommendationColumnsNoTexts =
    "r.id, r.engagement_id, r.number, r.title, '', '', '', r.priority, r.management_response, '', r.version, "
    "(SELECT group_concat(risk_reference, char(10)) FROM recommendation_risk rr WHERE rr.recommendation_id = r.id) ";

std::vector<d::Recommendation> queryRecommendations(Session& s, const std::string& sqlTail,
                                                    const std::vector<std::string>& args, bool includeTexts = true) {
    return translate("reading recommendations", [&] {
        std::vector<std::string> ids, eids, titles, issues, risks, texts, priorities, responses, responseTexts;
        std::vector<int> numbers;
        std::vector<Poco::Int64> versions;
        std::vector<NText> linked;
        std::vector<std::string> a = args;
        Poco::Data::Statement st(s);
        st << std::string("SELECT ") + (includeTexts ? kRecommendationColumns : kRecommendationColumnsNoTexts) +
                  "FROM recommendation r " + sqlTail,
            into(ids), into(eids), into(numbers), into(titles), into(issues), into(risks), into(texts),
            into(priorities), into(responses), into(responseTexts), into(versions), into(linked);
        for (auto& v : a) st, use(v);
        st.execute();
        std::vector<d::Recommendation> out;
        out.reserve(ids.size());
        for (std::size_t i = 0; i < ids.size(); ++i) {
            d::Recommendation r;
            // Move out of the column vectors: at benchmark size the copies were a tenth of the report.
            r.id = std::move(ids[i]);
            r.engagementId = std::move(eids[i]);
            r.number = numbers[i];
            r.title = std::move(titles[i]);
            r.issue = std::move(issues[i]);
            r.risk = std::move(risks[i]);
            r.text = std::move(texts[i]);
            r.priority = storedEnum(d::parsePriority(priorities[i]), priorities[i]);
            r.managementResponse = storedEnum(d::parseManagementResponse(responses[i]), responses[i]);
            r.responseText = std::move(responseTexts[i]);
            r.version = versions[i];
            if (!linked[i].isNull()) r.linkedRiskReferences = splitLines(linked[i].value());
            out.push_back(std::move(r));
        }
        return out;
    });
}

class SqliteRecommendations final : public d::RecommendationRepository {
public:
    explicit SqliteRecommendations(Session& s) : s_(s) {}
    std::optional<d::Recommendation> findById(const d::Id& id) override {
        auto all = queryRecommendations(s_, "WHERE r.id = ?", {id});
        return all.empty() ? std::nullopt : std::optional(all.front());
    }
    std::optional<d::Recommendation> findByNumber(const d::Id& engagementId, int number) override {
        auto all = queryRecommendations(s_, "WHERE r.engagement_id = ? AND r.number = ?",
                                        {engagementId, std::to_string(number)});
        return all.empty() ? std::nullopt : std::optional(all.front());
    }
    std::vector<d::Recommendation> listByEngagement(const d::Id& engagementId) override {
        return queryRecommendations(s_, "WHERE r.engagement_id = ? ORDER BY r.number", {engagementId});
    }
    void save(const d::Recommendation& r) override { write(r, false); }
    /// Inserts `r` as a new row with its own version (StoreTransfer::importAll).
    void insertKeepingVersion(const d::Recommendation& r) { write(r, true); }

private:
    void write(const d::Recommendation& r, bool keepVersion) {
        translate("saving recommendation", [&] {
            std::string id = r.id, eid = r.engagementId, title = r.title, issue = r.issue, risk = r.risk, text = r.text,
                        priority{d::toString(r.priority)}, response{d::toString(r.managementResponse)},
                        responseText = r.responseText;
            int number = r.number;
            Poco::Int64 version = r.version;
            if (!rowExists(s_, "recommendation", id) || keepVersion) {
                Poco::Int64 inserted = keepVersion ? version : 1;
                s_ << "INSERT INTO recommendation (id, engagement_id, number, title, issue, risk, recommendation_text, "
                      "priority, management_response, response_text, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    use(id), use(eid), use(number), use(title), use(issue), use(risk), use(text), use(priority),
                    use(response), use(responseText), use(inserted), now;
            } else {
                Poco::Data::Statement st(s_);
                st << "UPDATE recommendation SET number = ?, title = ?, issue = ?, risk = ?, recommendation_text = ?, "
                      "priority = ?, management_response = ?, response_text = ?, version = version + 1 "
                      "WHERE id = ? AND version = ?",
                    use(number), use(title), use(issue), use(risk), use(text), use(priority), use(response),
                    use(responseText), use(id), use(version);
                checkVersion(st.execute(), "recommendation", std::to_string(number));
            }
            s_ << "DELETE FROM recommendation_risk WHERE recommendation_id = ?", use(id), now;
            for (const auto& ref : r.linkedRiskReferences) {
                std::string rr = ref;
                s_ << "INSERT OR IGNORE INTO recommendation_risk (recommendation_id, risk_reference) VALUES (?, ?)",
                    use(id), use(rr), now;
            }
        });
    }

    Session& s_;
};

/// A GroupDecision as five nullable columns (*_group_id, *_decided_by_id, *_date, *_power, *_reference).
struct DecisionColumns {
    NText group, decidedBy, date, power, reference;
};
DecisionColumns decisionColumns(const std::optional<d::GroupDecision>& v) {
    if (!v) return {};
    return {NText(v->groupId), nt(v->decidedById), NText(d::formatIso(v->date)),
            NText(std::string(d::toString(v->power))), NText(v->reference)};
}
std::optional<d::GroupDecision> decisionOf(const NText& group, const NText& decidedBy, const NText& date,
                                           const NText& power, const NText& reference) {
    if (group.isNull()) return std::nullopt;
    d::GroupDecision x;
    x.groupId = group.value();
    x.decidedById = opt(decidedBy);
    x.date = isoDay(date.isNull() ? std::string() : date.value());
    const std::string p = power.isNull() ? std::string() : power.value();
    x.power = storedEnum(d::parsePowerKind(p), p);
    x.reference = reference.isNull() ? std::string() : reference.value();
    return x;
}

const char* kActionColumns =
    "a.id, a.recommendation_id, a.number, a.description, a.lead_owner_id, a.original_target_date, "
    "a.original_target_precision, a.status, a.pillar, a.line_of_defence, a.auditor_assessment, a.version, "
    "a.responsible_group_id, a.superseded_by_action_id, a.closure_group_id, a.closure_decided_by_id, a.closure_date, "
    "a.closure_power, a.closure_reference ";

/// Loads actions matching `sqlTail` with their co-owners and revisions (three queries in all).
std::vector<d::Action> queryActions(Session& s, const std::string& sqlTail, const std::vector<std::string>& args) {
    return translate("reading actions", [&] {
        std::vector<std::string> ids, recIds, descs, statuses, assessments;
        std::vector<int> numbers;
        std::vector<NText> leads, targets, precisions, pillars, lines;
        std::vector<Poco::Int64> versions;
        std::vector<NText> groups, successors, closureGroups, closureDeciders, closureDates, closurePowers,
            closureReferences;
        std::vector<std::string> a = args;
        {
            Poco::Data::Statement st(s);
            st << std::string("SELECT ") + kActionColumns + "FROM action a " + sqlTail, into(ids), into(recIds),
                into(numbers), into(descs), into(leads), into(targets), into(precisions), into(statuses), into(pillars),
                into(lines), into(assessments), into(versions), into(groups), into(successors), into(closureGroups),
                into(closureDeciders), into(closureDates), into(closurePowers), into(closureReferences);
            for (auto& v : a) st, use(v);
            st.execute();
        }
        std::vector<d::Action> out(ids.size());
        std::unordered_map<std::string, std::size_t> index;
        index.reserve(ids.size());
        for (std::size_t i = 0; i < ids.size(); ++i) {
            d::Action& x = out[i];
            x.id = ids[i];
            x.recommendationId = recIds[i];
            x.number = numbers[i];
            x.description = std::move(descs[i]);
            x.leadOwnerId = opt(leads[i]);
            if (!targets[i].isNull())
                x.originalTargetDate =
                    targetDate(targets[i].value(), precisions[i].isNull() ? "day" : precisions[i].value());
            x.status = storedEnum(d::parseActionStatus(statuses[i]), statuses[i]);
            if (!pillars[i].isNull()) x.pillar = d::parsePillar(pillars[i].value());
            if (!lines[i].isNull()) x.lineOfDefence = d::parseLineOfDefence(lines[i].value());
            x.auditorAssessment = std::move(assessments[i]);
            x.version = versions[i];
            x.responsibleGroupId = opt(groups[i]);
            x.supersededByActionId = opt(successors[i]);
            x.closure = decisionOf(closureGroups[i], closureDeciders[i], closureDates[i], closurePowers[i],
                                   closureReferences[i]);
            index.emplace(ids[i], i);
        }
        if (out.empty()) return out;
        // The child rows of exactly these actions. The IN subquery needs no ORDER BY; with no WHERE at all
        // (the whole plan) it needs no subquery: scanning the child tables is cheaper than probing them.
        const auto orderBy = sqlTail.find("ORDER BY");
        const std::string filterPart = sqlTail.substr(0, orderBy);
        const bool everyAction = filterPart.find("WHERE") == std::string::npos;
        const std::string scope =
            everyAction ? std::string() : "WHERE x.action_id IN (SELECT a.id FROM action a " + filterPart + ")";
        if (everyAction) a.clear();  // no placeholders left to bind
        {
            std::vector<std::string> actionIds, personIds;
            Poco::Data::Statement st(s);
            st << "SELECT x.action_id, x.person_id FROM action_co_owner x " + scope +
                      " ORDER BY x.action_id, x.position",
                into(actionIds), into(personIds);
            for (auto& v : a) st, use(v);
            st.execute();
            for (std::size_t i = 0; i < actionIds.size(); ++i) {
                if (auto it = index.find(actionIds[i]); it != index.end())
                    out[it->second].coOwnerIds.push_back(personIds[i]);
            }
        }
        {
            std::vector<std::string> actionIds, dates, precs, reasons, approvers;
            std::vector<NText> requesters, decisions;
            Poco::Data::Statement st(s);
            st << "SELECT x.action_id, x.new_date, x.new_precision, x.reason, x.requested_by_id, x.approved_by, "
                  "x.decision_date FROM revised_target_date x " +
                      scope + " ORDER BY x.action_id, x.seq",
                into(actionIds), into(dates), into(precs), into(reasons), into(requesters), into(approvers),
                into(decisions);
            for (auto& v : a) st, use(v);
            st.execute();
            for (std::size_t i = 0; i < actionIds.size(); ++i) {
                auto it = index.find(actionIds[i]);
                if (it == index.end()) continue;
                out[it->second].revisions.push_back(
                    {targetDate(dates[i], precs[i]), reasons[i], opt(requesters[i]), approvers[i],
                     decisions[i].isNull() ? std::nullopt : std::optional<d::Date>(isoDay(decisions[i].value()))});
            }
        }
        return out;
    });
}

class SqliteActions final : public d::ActionRepository {
public:
    explicit SqliteActions(Session& s) : s_(s) {}
    std::optional<d::Action> findById(const d::Id& id) override {
        auto all = queryActions(s_, "WHERE a.id = ?", {id});
        return all.empty() ? std::nullopt : std::optional(all.front());
    }
    std::optional<d::Action> findByNumber(const d::Id& recommendationId, int number) override {
        auto all = queryActions(s_, "WHERE a.recommendation_id = ? AND a.number = ?",
                                {recommendationId, std::to_string(number)});
        return all.empty() ? std::nullopt : std::optional(all.front());
    }
    std::vector<d::Action> listByRecommendation(const d::Id& recommendationId) override {
        return queryActions(s_, "WHERE a.recommendation_id = ? ORDER BY a.number", {recommendationId});
    }
    std::vector<d::Action> listByResponsibleGroup(const d::Id& groupId) override {
        return queryActions(s_, "WHERE a.responsible_group_id = ? ORDER BY a.id", {groupId});
    }
    void save(const d::Action& x) override { write(x, false); }
    /// Inserts `x` as a new row with its own version (StoreTransfer::importAll).
    void insertKeepingVersion(const d::Action& x) { write(x, true); }
    /// Sets the superseding action without touching the version (StoreTransfer::importAll links actions
    /// after all of them exist).
    void linkSuccessor(const d::Id& actionId, const d::Id& successorId) {
        translate("linking actions", [&] {
            std::string id = actionId, successor = successorId;
            s_ << "UPDATE action SET superseded_by_action_id = ? WHERE id = ?", use(successor), use(id), now;
        });
    }

private:
    void write(const d::Action& x, bool keepVersion) {
        translate("saving action", [&] {
            std::string id = x.id, recId = x.recommendationId, desc = x.description, status{d::toString(x.status)},
                        assessment = x.auditorAssessment;
            int number = x.number;
            NText lead = nt(x.leadOwnerId);
            NText target = x.originalTargetDate ? NText(d::formatIso(x.originalTargetDate->date)) : NText();
            NText precision = x.originalTargetDate ? NText(precisionName(x.originalTargetDate->precision)) : NText();
            NText pillar = x.pillar ? NText(std::string(d::toString(*x.pillar))) : NText();
            NText line = x.lineOfDefence ? NText(std::string(d::toString(*x.lineOfDefence))) : NText();
            NText group = nt(x.responsibleGroupId), successor = nt(x.supersededByActionId);
            DecisionColumns closure = decisionColumns(x.closure);
            Poco::Int64 version = x.version;
            if (!rowExists(s_, "action", id) || keepVersion) {
                Poco::Int64 inserted = keepVersion ? version : 1;
                s_ << "INSERT INTO action (id, recommendation_id, number, description, lead_owner_id, "
                      "original_target_date, original_target_precision, status, pillar, line_of_defence, "
                      "auditor_assessment, responsible_group_id, superseded_by_action_id, closure_group_id, "
                      "closure_decided_by_id, closure_date, closure_power, closure_reference, version) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    use(id), use(recId), use(number), use(desc), use(lead), use(target), use(precision), use(status),
                    use(pillar), use(line), use(assessment), use(group), use(successor), use(closure.group),
                    use(closure.decidedBy), use(closure.date), use(closure.power), use(closure.reference),
                    use(inserted), now;
            } else {
                Poco::Data::Statement st(s_);
                st << "UPDATE action SET number = ?, description = ?, lead_owner_id = ?, original_target_date = ?, "
                      "original_target_precision = ?, status = ?, pillar = ?, line_of_defence = ?, "
                      "auditor_assessment = ?, responsible_group_id = ?, superseded_by_action_id = ?, "
                      "closure_group_id = ?, closure_decided_by_id = ?, closure_date = ?, closure_power = ?, "
                      "closure_reference = ?, version = version + 1 WHERE id = ? AND version = ?",
                    use(number), use(desc), use(lead), use(target), use(precision), use(status), use(pillar), use(line),
                    use(assessment), use(group), use(successor), use(closure.group), use(closure.decidedBy),
                    use(closure.date), use(closure.power), use(closure.reference), use(id), use(version);
                checkVersion(st.execute(), "action", std::to_string(number));
            }
            s_ << "DELETE FROM action_co_owner WHERE action_id = ?", use(id), now;
            for (std::size_t i = 0; i < x.coOwnerIds.size(); ++i) {
                int position = static_cast<int>(i) + 1;
                std::string person = x.coOwnerIds[i];
                s_ << "INSERT INTO action_co_owner (action_id, position, person_id) VALUES (?, ?, ?)", use(id),
                    use(position), use(person), now;
            }
            s_ << "DELETE FROM revised_target_date WHERE action_id = ?", use(id), now;
            for (std::size_t i = 0; i < x.revisions.size(); ++i) {
                const auto& r = x.revisions[i];
                int seq = static_cast<int>(i) + 1;
                std::string date = d::formatIso(r.newDate.date), prec = precisionName(r.newDate.precision),
                            reason = r.reason, approver = r.approvedBy;
                NText requester = nt(r.requestedById);
                NText decision = r.decisionDate ? NText(d::formatIso(*r.decisionDate)) : NText();
                s_ << "INSERT INTO revised_target_date (action_id, seq, new_date, new_precision, reason, "
                      "requested_by_id, approved_by, decision_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    use(id), use(seq), use(date), use(prec), use(reason), use(requester), use(approver), use(decision),
                    now;
            }
        });
    }

    Session& s_;
};

class SqliteProgressUpdates final : public d::ProgressUpdateRepository {
public:
    explicit SqliteProgressUpdates(Session& s) : s_(s) {}
    std::vector<d::ProgressUpdate> listByAction(const d::Id& actionId) override {
        return translate("reading progress updates", [&] {
            std::vector<std::string> ids, dates, texts;
            std::vector<NText> authors;
            std::vector<NInt> percents;
            std::string aid = actionId;
            s_ << "SELECT id, update_date, author_id, text, percent FROM progress_update WHERE action_id = ? "
                  "ORDER BY update_date, rowid",
                into(ids), into(dates), into(authors), into(texts), into(percents), use(aid), now;
            std::vector<d::ProgressUpdate> out;
            for (std::size_t i = 0; i < ids.size(); ++i) {
                out.push_back({ids[i], actionId, isoDay(dates[i]), opt(authors[i]), texts[i],
                               percents[i].isNull() ? std::nullopt : std::optional<int>(percents[i].value())});
            }
            return out;
        });
    }
    void add(const d::ProgressUpdate& u) override {
        translate("saving progress update", [&] {
            std::string id = u.id, aid = u.actionId, date = d::formatIso(u.date), text = u.text;
            NText author = nt(u.authorId);
            NInt percent = u.percent ? NInt(*u.percent) : NInt();
            s_ << "INSERT INTO progress_update (id, action_id, update_date, author_id, text, percent) "
                  "VALUES (?, ?, ?, ?, ?, ?)",
                use(id), use(aid), use(date), use(author), use(text), use(percent), now;
        });
    }

private:
    Session& s_;
};

const char* kRevisionRequestColumns =
    "id, action_id, requested_date, requested_precision, reason, requested_by_id, requested_on, routed_to_group_id, "
    "status, decision_group_id, decision_decided_by_id, decision_date, decision_power, decision_reference, "
    "decision_note, version ";

class SqliteRevisionRequests final : public d::RevisionRequestRepository {
public:
    explicit SqliteRevisionRequests(Session& s) : s_(s) {}
    std::optional<d::RevisionRequest> findById(const d::Id& id) override {
        auto all = query("WHERE id = ?", {id});
        return all.empty() ? std::nullopt : std::optional(all.front());
    }
    std::vector<d::RevisionRequest> listByAction(const d::Id& actionId) override {
        return query("WHERE action_id = ? ORDER BY requested_on, id", {actionId});
    }
    std::vector<d::RevisionRequest> listPending(const std::optional<d::Id>& groupId) override {
        if (groupId) {
            return query("WHERE status = 'pending' AND routed_to_group_id = ? ORDER BY requested_on, id", {*groupId});
        }
        return query("WHERE status = 'pending' ORDER BY requested_on, id", {});
    }
    void save(const d::RevisionRequest& r) override { write(r, false); }
    /// Inserts `r` as a new row with its own version (StoreTransfer::importAll).
    void insertKeepingVersion(const d::RevisionRequest& r) { write(r, true); }
    /// Every request, for export: by action, oldest first.
    std::vector<d::RevisionRequest> all() { return query("ORDER BY action_id, requested_on, id", {}); }

private:
    void write(const d::RevisionRequest& r, bool keepVersion) {
        translate("saving revision request", [&] {
            std::string id = r.id, actionId = r.actionId, date = d::formatIso(r.requestedDate.date),
                        precision = precisionName(r.requestedDate.precision), reason = r.reason,
                        requestedOn = d::formatIso(r.requestedOn), status{d::toString(r.status)}, note = r.decisionNote;
            NText requester = nt(r.requestedById), routed = nt(r.routedToGroupId);
            DecisionColumns decision = decisionColumns(r.decision);
            Poco::Int64 version = r.version;
            if (!rowExists(s_, "revision_request", id) || keepVersion) {
                Poco::Int64 inserted = keepVersion ? version : 1;
                s_ << "INSERT INTO revision_request (id, action_id, requested_date, requested_precision, reason, "
                      "requested_by_id, requested_on, routed_to_group_id, status, decision_group_id, "
                      "decision_decided_by_id, decision_date, decision_power, decision_reference, decision_note, "
                      "version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    use(id), use(actionId), use(date), use(precision), use(reason), use(requester), use(requestedOn),
                    use(routed), use(status), use(decision.group), use(decision.decidedBy), use(decision.date),
                    use(decision.power), use(decision.reference), use(note), use(inserted), now;
                return;
            }
            Poco::Data::Statement st(s_);
            st << "UPDATE revision_request SET action_id = ?, requested_date = ?, requested_precision = ?, reason = ?, "
                  "requested_by_id = ?, requested_on = ?, routed_to_group_id = ?, status = ?, decision_group_id = ?, "
                  "decision_decided_by_id = ?, decision_date = ?, decision_power = ?, decision_reference = ?, "
                  "decision_note = ?, version = version + 1 WHERE id = ? AND version = ?",
                use(actionId), use(date), use(precision), use(reason), use(requester), use(requestedOn), use(routed),
                use(status), use(decision.group), use(decision.decidedBy), use(decision.date), use(decision.power),
                use(decision.reference), use(note), use(id), use(version);
            checkVersion(st.execute(), "revision request", id);
        });
    }

    std::vector<d::RevisionRequest> query(const std::string& tail, const std::vector<std::string>& args) {
        return translate("reading revision requests", [&] {
            std::vector<std::string> ids, actionIds, dates, precisions, reasons, requestedOns, statuses, notes;
            std::vector<NText> requesters, routeds, groups, deciders, decisionDates, powers, references;
            std::vector<Poco::Int64> versions;
            std::vector<std::string> a = args;
            Poco::Data::Statement st(s_);
            st << std::string("SELECT ") + kRevisionRequestColumns + "FROM revision_request " + tail, into(ids),
                into(actionIds), into(dates), into(precisions), into(reasons), into(requesters), into(requestedOns),
                into(routeds), into(statuses), into(groups), into(deciders), into(decisionDates), into(powers),
                into(references), into(notes), into(versions);
            for (auto& v : a) st, use(v);
            st.execute();
            std::vector<d::RevisionRequest> out;
            out.reserve(ids.size());
            for (std::size_t i = 0; i < ids.size(); ++i) {
                d::RevisionRequest r;
                r.id = ids[i];
                r.actionId = actionIds[i];
                r.requestedDate = targetDate(dates[i], precisions[i]);
                r.reason = reasons[i];
                r.requestedById = opt(requesters[i]);
                r.requestedOn = isoDay(requestedOns[i]);
                r.routedToGroupId = opt(routeds[i]);
                r.status = storedEnum(d::parseRequestStatus(statuses[i]), statuses[i]);
                r.decision = decisionOf(groups[i], deciders[i], decisionDates[i], powers[i], references[i]);
                r.decisionNote = notes[i];
                r.version = versions[i];
                out.push_back(std::move(r));
            }
            return out;
        });
    }

    Session& s_;
};

class SqliteEvidence final : public d::EvidenceRepository {
public:
    explicit SqliteEvidence(Session& s) : s_(s) {}
    void add(const d::Evidence& e, const std::string& content) override {
        translate("saving evidence", [&] {
            std::string id = e.id, actionId = e.actionId, fileName = e.fileName, mediaType = e.mediaType,
                        sha = e.sha256, addedOn = d::formatIso(e.addedOn), note = e.note;
            NText update = nt(e.progressUpdateId), addedBy = nt(e.addedById);
            Poco::Int64 size = e.sizeBytes;
            // Poco binds an empty BLOB as NULL: COALESCE keeps "no file" an empty value, as MySQL stores it.
            Poco::Data::BLOB bytes(reinterpret_cast<const unsigned char*>(content.data()), content.size());
            s_ << "INSERT INTO evidence (id, action_id, progress_update_id, file_name, media_type, size_bytes, sha256, "
                  "added_on, added_by_id, note, content) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, COALESCE(?, X''))",
                use(id), use(actionId), use(update), use(fileName), use(mediaType), use(size), use(sha), use(addedOn),
                use(addedBy), use(note), use(bytes), now;
        });
    }
    std::vector<d::Evidence> listByAction(const d::Id& actionId) override {
        std::vector<d::Evidence> out;
        query("WHERE action_id = ? ORDER BY added_on, id", {actionId}, false,
              [&](d::Evidence&& e, std::string&&) { out.push_back(std::move(e)); });
        return out;
    }
    std::optional<std::string> content(const d::Id& evidenceId) override {
        return translate("reading evidence", [&]() -> std::optional<std::string> {
            std::vector<Poco::Data::BLOB> bytes;
            std::string id = evidenceId;
            s_ << "SELECT content FROM evidence WHERE id = ?", into(bytes), use(id), now;
            if (bytes.empty()) return std::nullopt;
            return toString(bytes.front());
        });
    }
    /// Every record with its content, for export: by action, oldest first.
    std::vector<d::StoredEvidence> all() {
        std::vector<d::StoredEvidence> out;
        query("ORDER BY action_id, added_on, id", {}, true, [&](d::Evidence&& e, std::string&& bytes) {
            out.push_back({std::move(e), std::move(bytes)});
        });
        return out;
    }

private:
    static std::string toString(const Poco::Data::BLOB& b) {
        return b.size() == 0 ? std::string() : std::string(reinterpret_cast<const char*>(b.rawContent()), b.size());
    }

    void query(const std::string& tail, const std::vector<std::string>& args, bool withContent,
               const std::function<void(d::Evidence&&, std::string&&)>& row) {
        translate("reading evidence", [&] {
            std::vector<std::string> ids, actionIds, fileNames, mediaTypes, shas, addedOns, notes;
            std::vector<NText> updates, addedBys;
            std::vector<Poco::Int64> sizes;
            std::vector<Poco::Data::BLOB> contents;
            std::vector<std::string> a = args;
            Poco::Data::Statement st(s_);
            st << std::string(
                      "SELECT id, action_id, progress_update_id, file_name, media_type, size_bytes, sha256, "
                      "added_on, added_by_id, note") +
                      (withContent ? ", content" : "") + " FROM evidence " + tail,
                into(ids), into(actionIds), into(updates), into(fileNames), into(mediaTypes), into(sizes), into(shas),
                into(addedOns), into(addedBys), into(notes);
            if (withContent) st, into(contents);
            for (auto& v : a) st, use(v);
            st.execute();
            for (std::size_t i = 0; i < ids.size(); ++i) {
                d::Evidence e;
                e.id = ids[i];
                e.actionId = actionIds[i];
                e.progressUpdateId = opt(updates[i]);
                e.fileName = fileNames[i];
                e.mediaType = mediaTypes[i];
                e.sizeBytes = sizes[i];
                e.sha256 = shas[i];
                e.addedOn = isoDay(addedOns[i]);
                e.addedById = opt(addedBys[i]);
                e.note = notes[i];
                row(std::move(e), withContent ? toString(contents[i]) : std::string());
            }
        });
    }

    Session& s_;
};

/// The text of column `i` of the current row ("" for NULL), valid until the next step.
std::string_view col(sqlite3_stmt* st, int i) {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(st, i));
    return p ? std::string_view(p, static_cast<std::size_t>(sqlite3_column_bytes(st, i))) : std::string_view();
}

/// Runs `sql` through the raw sqlite3 API (for passes over big tables without copies): `bind` sets its
/// parameters, then `row` is called for each row as it is stepped. `what` names the read in errors
/// ("reading open actions failed"); a busy database is UnavailableError.
void forEachRow(sqlite3* db, const std::string& sql, const std::function<void(sqlite3_stmt*)>& bind,
                const std::function<void(sqlite3_stmt*)>& row, const char* what) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
        throw d::Error(d::ErrorCode::kInternal, std::string(what) + " failed", {}, sqlite3_errmsg(db));
    }
    int rc = SQLITE_ROW;
    try {
        if (bind) bind(st);
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) row(st);
    } catch (...) {
        sqlite3_finalize(st);
        throw;
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) throw d::UnavailableError("the database is busy; try again");
    if (rc != SQLITE_DONE) throw d::Error(d::ErrorCode::kInternal, std::string(what) + " failed", {}, sqlite3_errstr(rc));
}

/// forEachRow for a statement without parameters, reading open actions (the reminder sweep).
void forEachRow(sqlite3* db, const char* sql, const std::function<void(sqlite3_stmt*)>& row) {
    forEachRow(db, sql, {}, row, "reading open actions");
}

/// The audit trail (domain/AuditTrail.h). Append-only: there is no UPDATE or DELETE here. Appends are
/// serialised by the write lock every write transaction takes (BEGIN IMMEDIATE).
class SqliteEvents final : public d::EventRepository {
public:
    explicit SqliteEvents(Session& s) : s_(s) {}

    std::optional<d::AuditEvent> lockHead() override {
        auto rows = query("ORDER BY seq DESC LIMIT 1", {}, std::nullopt);
        if (rows.empty()) return std::nullopt;
        return rows.front();
    }
    void append(const d::AuditEvent& e) override {
        translate("recording an audit event", [&] {
            Poco::Int64 seq = e.seq;
            std::string at = e.at, name = e.actorName, type = e.entityType, id = e.entityId, change = e.change,
                        before = e.before, after = e.after, reason = e.reason, prev = e.prevHash, hash = e.hash;
            NText actor = nt(e.actorId);
            s_ << "INSERT INTO audit_event (seq, at, actor_id, actor_name, entity_type, entity_id, change_kind, "
                  "before_state, after_state, reason, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                use(seq), use(at), use(actor), use(name), use(type), use(id), use(change), use(before), use(after),
                use(reason), use(prev), use(hash), now;
        });
    }
    std::vector<d::AuditEvent> list(std::int64_t fromSeq, std::size_t limit) override {
        return query("WHERE seq >= ? ORDER BY seq LIMIT ?", {}, std::make_pair(fromSeq, limit));
    }
    std::int64_t count() override {
        return translate("counting audit events", [&] {
            Poco::Int64 n = 0;
            s_ << "SELECT COUNT(*) FROM audit_event", into(n), now;
            return static_cast<std::int64_t>(n);
        });
    }
    std::vector<d::AuditEvent> latestBefore(const std::string& cutoffUtc,
                                            const std::vector<std::string>& entityTypes) override {
        if (entityTypes.empty()) return {};
        std::string marks;
        for (std::size_t i = 0; i < entityTypes.size(); ++i) marks += i ? ", ?" : "?";
        std::vector<std::string> args = entityTypes;
        args.push_back(cutoffUtc);
        return query("WHERE seq IN (SELECT MAX(seq) FROM audit_event WHERE entity_type IN (" + marks +
                         ") AND at < ? GROUP BY entity_type, entity_id) ORDER BY seq",
                     args, std::nullopt);
    }
    void scanStates(const std::string& cutoffUtc, const std::vector<std::string>& entityTypes,
                    const std::function<void(const d::EventStateView&)>& visit) override {
        if (entityTypes.empty()) return;
        translate("reading audit events", [&] {
            // One pass over the table in rowid (= seq) order through the raw sqlite3 API, one row at a time.
            // "+entity_type" keeps SQLite off the (entity_type, ...) index, which would need a sort of the
            // whole trail by seq afterwards.
            std::string sql =
                "SELECT seq, at, entity_type, entity_id, after_state FROM audit_event WHERE at < ?1 AND "
                "+entity_type IN (";
            for (std::size_t i = 0; i < entityTypes.size(); ++i) sql += (i ? ", ?" : "?") + std::to_string(i + 2);
            sql += ") ORDER BY seq";
            d::EventStateView e;
            forEachRow(
                Poco::Data::SQLite::Utility::dbHandle(s_), sql,
                [&](sqlite3_stmt* st) {
                    sqlite3_bind_text(st, 1, cutoffUtc.data(), static_cast<int>(cutoffUtc.size()), SQLITE_STATIC);
                    for (std::size_t i = 0; i < entityTypes.size(); ++i) {
                        sqlite3_bind_text(st, static_cast<int>(i + 2), entityTypes[i].data(),
                                          static_cast<int>(entityTypes[i].size()), SQLITE_STATIC);
                    }
                },
                [&](sqlite3_stmt* st) {
                    e.seq = sqlite3_column_int64(st, 0);
                    e.at = col(st, 1);
                    e.entityType = col(st, 2);
                    e.entityId = col(st, 3);
                    e.after = col(st, 4);
                    visit(e);
                },
                "reading audit events");
        });
    }

private:
    std::vector<d::AuditEvent> query(const std::string& tail, std::vector<std::string> args,
                                     std::optional<std::pair<std::int64_t, std::size_t>> page) {
        return translate("reading audit events", [&] {
            std::vector<Poco::Int64> seqs;
            std::vector<std::string> ats, names, types, ids, changes, befores, afters, reasons, prevs, hashes;
            std::vector<NText> actors;
            Poco::Int64 from = page ? page->first : 0;
            Poco::Int64 limit = page ? static_cast<Poco::Int64>(page->second) : 0;
            Poco::Data::Statement st(s_);
            st << "SELECT seq, at, actor_id, actor_name, entity_type, entity_id, change_kind, before_state, "
                  "after_state, reason, prev_hash, hash FROM audit_event " +
                      tail,
                into(seqs), into(ats), into(actors), into(names), into(types), into(ids), into(changes), into(befores),
                into(afters), into(reasons), into(prevs), into(hashes);
            for (auto& v : args) st, use(v);
            if (page) st, use(from), use(limit);
            st.execute();
            std::vector<d::AuditEvent> out(seqs.size());
            for (std::size_t i = 0; i < seqs.size(); ++i) {
                d::AuditEvent& e = out[i];
                e.seq = seqs[i];
                e.at = std::move(ats[i]);
                e.actorId = opt(actors[i]);
                e.actorName = std::move(names[i]);
                e.entityType = std::move(types[i]);
                e.entityId = std::move(ids[i]);
                e.change = std::move(changes[i]);
                e.before = std::move(befores[i]);
                e.after = std::move(afters[i]);
                e.reason = std::move(reasons[i]);
                e.prevHash = std::move(prevs[i]);
                e.hash = std::move(hashes[i]);
            }
            return out;
        });
    }

    Session& s_;
};

/// Sign-in records (domain/Accounts.h): users with their roles (user_roles), API tokens and web sessions.
class SqliteAccounts final : public d::AccountRepository {
public:
    explicit SqliteAccounts(Session& s) : s_(s) {}

    std::optional<d::UserAccount> findUserById(const d::Id& id) override {
        auto all = queryUsers("WHERE id = ?", "", id);
        return all.empty() ? std::nullopt : std::optional(all.front());
    }
    std::optional<d::UserAccount> findUserByUsername(const std::string& username) override {
        auto all = queryUsers("WHERE username = ?", "", username);
        return all.empty() ? std::nullopt : std::optional(all.front());
    }
    std::vector<d::UserAccount> listUsers() override { return queryUsers("", "ORDER BY username", std::nullopt); }
    void saveUser(const d::UserAccount& user) override { writeUser(user, false); }
    /// Inserts `user` as a new row with its own version (StoreTransfer::importAll).
    void insertUserKeepingVersion(const d::UserAccount& user) { writeUser(user, true); }

    void addToken(const d::ApiToken& t) override {
        translate("saving API token", [&] {
            std::string id = t.id, user = t.userId, name = t.name, hash = t.secretHash, scope{d::toString(t.scope)},
                        created = t.createdAt;
            NText revoked = nt(t.revokedAt), used = nt(t.lastUsedAt);
            s_ << "INSERT INTO api_tokens (id, user_id, name, secret_hash, scope, created_at, revoked_at, "
                  "last_used_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                use(id), use(user), use(name), use(hash), use(scope), use(created), use(revoked), use(used), now;
        });
    }
    std::optional<d::ApiToken> findTokenByHash(const std::string& secretHash) override {
        auto all = queryTokens("WHERE secret_hash = ?", secretHash);
        return all.empty() ? std::nullopt : std::optional(all.front());
    }
    std::optional<d::ApiToken> findTokenById(const d::Id& id) override {
        auto all = queryTokens("WHERE id = ?", id);
        return all.empty() ? std::nullopt : std::optional(all.front());
    }
    std::vector<d::ApiToken> listTokens(const d::Id& userId) override {
        return queryTokens("WHERE user_id = ? ORDER BY created_at, rowid", userId);
    }
    /// Every token, for export: oldest first, then the order added.
    std::vector<d::ApiToken> allTokens() { return queryTokens("ORDER BY created_at, rowid", std::nullopt); }
    void updateToken(const d::ApiToken& t) override {
        translate("saving API token", [&] {
            std::string id = t.id;
            NText revoked = nt(t.revokedAt), used = nt(t.lastUsedAt);
            s_ << "UPDATE api_tokens SET revoked_at = ?, last_used_at = ? WHERE id = ?", use(revoked), use(used),
                use(id), now;
        });
    }

    void addSession(const d::WebSession& w) override {
        translate("saving web session", [&] {
            std::string hash = w.idHash, user = w.userId, csrf = w.csrfToken, created = w.createdAt,
                        seen = w.lastSeenAt, address = w.sourceAddress;
            NText ended = nt(w.endedAt);
            s_ << "INSERT INTO web_sessions (id_hash, user_id, csrf_token, created_at, last_seen_at, ended_at, "
                  "source_address) VALUES (?, ?, ?, ?, ?, ?, ?)",
                use(hash), use(user), use(csrf), use(created), use(seen), use(ended), use(address), now;
        });
    }
    std::optional<d::WebSession> findSession(const std::string& idHash) override {
        return translate("reading web sessions", [&]() -> std::optional<d::WebSession> {
            std::vector<std::string> hashes, users, csrfs, createds, seens, addresses;
            std::vector<NText> endeds;
            std::string key = idHash;
            s_ << "SELECT id_hash, user_id, csrf_token, created_at, last_seen_at, ended_at, source_address "
                  "FROM web_sessions WHERE id_hash = ?",
                into(hashes), into(users), into(csrfs), into(createds), into(seens), into(endeds), into(addresses),
                use(key), now;
            if (hashes.empty()) return std::nullopt;
            return d::WebSession{hashes[0], users[0], csrfs[0], createds[0], seens[0], opt(endeds[0]), addresses[0]};
        });
    }
    void touchSession(const std::string& idHash, const std::string& lastSeenAt) override {
        translate("saving web session", [&] {
            std::string key = idHash, seen = lastSeenAt;
            s_ << "UPDATE web_sessions SET last_seen_at = ? WHERE id_hash = ?", use(seen), use(key), now;
        });
    }
    void endSession(const std::string& idHash, const std::string& endedAt) override {
        translate("ending web session", [&] {
            std::string key = idHash, ended = endedAt;
            s_ << "UPDATE web_sessions SET ended_at = ? WHERE id_hash = ? AND ended_at IS NULL", use(ended), use(key),
                now;
        });
    }
    int endSessionsOfUser(const d::Id& userId, const std::string& endedAt) override {
        return translate("ending web sessions", [&] {
            std::string user = userId, ended = endedAt;
            Poco::Data::Statement st(s_);
            st << "UPDATE web_sessions SET ended_at = ? WHERE user_id = ? AND ended_at IS NULL", use(ended), use(user);
            return static_cast<int>(st.execute());
        });
    }

private:
    void writeUser(const d::UserAccount& u, bool keepVersion) {
        translate("saving user account", [&] {
            std::string id = u.id, username = u.username, display = u.displayName, hash = u.passwordHash,
                        created = u.createdAt;
            NText person = nt(u.personId);
            int disabled = u.disabled ? 1 : 0;
            Poco::Int64 version = u.version;
            const bool exists = rowExists(s_, "users", id);
            if (!exists || keepVersion) {
                Poco::Int64 inserted = keepVersion ? version : 1;
                s_ << "INSERT INTO users (id, username, display_name, person_id, disabled, password_hash, created_at, "
                      "version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    use(id), use(username), use(display), use(person), use(disabled), use(hash), use(created),
                    use(inserted), now;
            } else {
                // Version 0 means "new": an existing id is someone else's account (as InMemoryStore).
                Poco::Data::Statement st(s_);
                st << "UPDATE users SET username = ?, display_name = ?, person_id = ?, disabled = ?, "
                      "password_hash = ?, created_at = ?, version = version + 1 WHERE id = ? AND version = ?",
                    use(username), use(display), use(person), use(disabled), use(hash), use(created), use(id),
                    use(version);
                checkVersion(version == 0 ? 0 : st.execute(), "user", "'" + username + "'");
                s_ << "DELETE FROM user_roles WHERE user_id = ?", use(id), now;
            }
            std::vector<d::Role> roles = u.roles;
            normaliseRoles(roles);
            for (const auto role : roles) {
                std::string name{d::toString(role)};
                s_ << "INSERT INTO user_roles (user_id, role) VALUES (?, ?)", use(id), use(name), now;
            }
        });
    }

    /// Users matching `where` in `order`, with their roles (two queries in all).
    std::vector<d::UserAccount> queryUsers(const std::string& where, const std::string& order,
                                           std::optional<std::string> arg) {
        return translate("reading user accounts", [&] {
            std::vector<std::string> ids, usernames, displays, hashes, createds;
            std::vector<NText> persons;
            std::vector<int> disableds;
            std::vector<Poco::Int64> versions;
            Poco::Data::Statement st(s_);
            st << "SELECT id, username, display_name, person_id, disabled, password_hash, created_at, version "
                  "FROM users " +
                      where + " " + order,
                into(ids), into(usernames), into(displays), into(persons), into(disableds), into(hashes),
                into(createds), into(versions);
            std::string a = arg.value_or("");
            if (arg) st, use(a);
            st.execute();
            std::vector<d::UserAccount> out;
            std::unordered_map<std::string, std::size_t> index;
            for (std::size_t i = 0; i < ids.size(); ++i) {
                d::UserAccount u;
                u.id = ids[i];
                u.username = usernames[i];
                u.displayName = displays[i];
                u.personId = opt(persons[i]);
                u.disabled = disableds[i] != 0;
                u.passwordHash = hashes[i];
                u.createdAt = createds[i];
                u.version = static_cast<int>(versions[i]);
                index.emplace(ids[i], out.size());
                out.push_back(std::move(u));
            }
            if (out.empty()) return out;
            std::vector<std::string> args;
            if (arg) args.push_back(*arg);
            selectPairs(
                s_,
                "SELECT x.user_id, x.role FROM user_roles x WHERE x.user_id IN (SELECT id FROM users " + where + ")",
                args, [&](const std::string& user, const std::string& role) {
                    if (auto it = index.find(user); it != index.end())
                        out[it->second].roles.push_back(storedEnum(d::parseRole(role), role));
                });
            for (auto& u : out) normaliseRoles(u.roles);
            return out;
        });
    }

    std::vector<d::ApiToken> queryTokens(const std::string& tail, std::optional<std::string> arg) {
        return translate("reading API tokens", [&] {
            std::vector<std::string> ids, users, names, hashes, scopes, createds;
            std::vector<NText> revokeds, useds;
            Poco::Data::Statement st(s_);
            st << "SELECT id, user_id, name, secret_hash, scope, created_at, revoked_at, last_used_at FROM "
                  "api_tokens " +
                      tail,
                into(ids), into(users), into(names), into(hashes), into(scopes), into(createds), into(revokeds),
                into(useds);
            std::string a = arg.value_or("");
            if (arg) st, use(a);
            st.execute();
            std::vector<d::ApiToken> out;
            for (std::size_t i = 0; i < ids.size(); ++i) {
                out.push_back({ids[i], users[i], names[i], hashes[i],
                               storedEnum(d::parseTokenScope(scopes[i]), scopes[i]), createds[i], opt(revokeds[i]),
                               opt(useds[i])});
            }
            return out;
        });
    }

    Session& s_;
};

/// The tables in dependency order (parents first): StoreContents::counts() uses the same names and order.
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

/// Whole-store export and import for `govtrack copy` (domain/StoreTransfer.h).
class SqliteTransfer final : public d::StoreTransfer {
public:
    SqliteTransfer(Session& s, SqliteUnits& units, SqlitePeople& people, SqliteGroups& groups, SqliteRisks& risks,
                   SqliteRiskRegisters& registers, SqliteEngagements& engagements, SqliteFindings& findings,
                   SqliteRecommendations& recommendations, SqliteActions& actions, SqliteProgressUpdates& progress,
                   SqliteRevisionRequests& requests, SqliteEvidence& evidence, SqliteEvents& events,
                   SqliteAccounts& accounts, std::function<void(const std::function<void()>&)> readTransaction)
        : s_(s),
          units_(units),
          people_(people),
          groups_(groups),
          risks_(risks),
          registers_(registers),
          engagements_(engagements),
          findings_(findings),
          recommendations_(recommendations),
          actions_(actions),
          progress_(progress),
          requests_(requests),
          evidence_(evidence),
          events_(events),
          accounts_(accounts),
          read_(std::move(readTransaction)) {}

    d::StoreContents exportAll() override {
        d::StoreContents c;
        read_([&] {
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
            c.recommendations = queryRecommendations(s_, "ORDER BY r.engagement_id, r.number", {});
            c.actions = queryActions(s_, "ORDER BY a.recommendation_id, a.number", {});
            translate("reading progress updates", [&] {
                std::vector<std::string> ids, actionIds, dates, texts;
                std::vector<NText> authors;
                std::vector<NInt> percents;
                s_ << "SELECT id, action_id, update_date, author_id, text, percent FROM progress_update ORDER BY rowid",
                    into(ids), into(actionIds), into(dates), into(authors), into(texts), into(percents), now;
                for (std::size_t i = 0; i < ids.size(); ++i) {
                    c.progressUpdates.push_back(
                        {ids[i], actionIds[i], isoDay(dates[i]), opt(authors[i]), texts[i],
                         percents[i].isNull() ? std::nullopt : std::optional<int>(percents[i].value())});
                }
            });
            c.revisionRequests = requests_.all();
            c.evidence = evidence_.all();
            for (std::int64_t from = 1;;) {
                auto page = events_.list(from, 10000);
                if (page.empty()) break;
                from = page.back().seq + 1;
                for (auto& e : page) c.events.push_back(std::move(e));
            }
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
        translate("linking engagements", [&] {
            for (const auto& e : c.engagements) {
                if (!e.followsUpId) continue;
                std::string id = e.id, follows = *e.followsUpId;
                s_ << "UPDATE engagement SET follows_up_id = ? WHERE id = ?", use(follows), use(id), now;
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
        translate("emptying the database", [&] {
            s_ << "DELETE FROM web_sessions", now;  // not carried, but they refer to users
            s_ << "UPDATE org_unit SET parent_id = NULL", now;
            s_ << "UPDATE person SET line_manager_id = NULL", now;
            s_ << "UPDATE governance_group SET parent_id = NULL, superseded_by_id = NULL", now;
            s_ << "UPDATE engagement SET follows_up_id = NULL", now;
            s_ << "UPDATE action SET superseded_by_action_id = NULL", now;
            s_ << "UPDATE risk SET parent_id = NULL", now;
            for (auto it = std::rbegin(kTables); it != std::rend(kTables); ++it) {
                s_ << std::string("DELETE FROM ") + *it, now;
            }
        });
    }

    std::vector<d::TableCount> countRows() override {
        return translate("counting rows", [&] {
            std::vector<d::TableCount> out;
            for (const char* table : kTables) {
                Poco::Int64 rows = 0;
                s_ << std::string("SELECT COUNT(*) FROM ") + table, into(rows), now;
                out.push_back({table, rows});
            }
            return out;
        });
    }

private:
    Session& s_;
    SqliteUnits& units_;
    SqlitePeople& people_;
    SqliteGroups& groups_;
    SqliteRisks& risks_;
    SqliteRiskRegisters& registers_;
    SqliteEngagements& engagements_;
    SqliteFindings& findings_;
    SqliteRecommendations& recommendations_;
    SqliteActions& actions_;
    SqliteProgressUpdates& progress_;
    SqliteRevisionRequests& requests_;
    SqliteEvidence& evidence_;
    SqliteEvents& events_;
    SqliteAccounts& accounts_;
    std::function<void(const std::function<void()>&)> read_;
};

/// Reminders recorded, the outbox and feed tokens (Outbox.h). Rows are read through a RecordSet (many columns).
class SqliteReminders final : public d::ReminderRepository {
public:
    explicit SqliteReminders(Session& s) : s_(s) {}

    void scanReminderCandidates(const std::function<void(const d::ReminderCandidateView&)>& row) override {
        translate("reading open actions", [&] {
            // One sequential pass over the action table through the raw sqlite3 API (no copies), with the
            // recommendations, revised dates and co-owners looked up in memory: a million actions in well under
            // a second, where a join probing three indexes per row took several.
            sqlite3* db = Poco::Data::SQLite::Utility::dbHandle(s_);
            struct Rec {
                std::string priority, title, reference;
                int number = 0;
            };
            std::unordered_map<std::string, Rec> recs;
            std::unordered_map<std::string, std::string> revised, coOwners;
            forEachRow(db,
                       "SELECT r.id, r.priority, r.title, e.reference, r.number FROM recommendation r "
                       "JOIN engagement e ON e.id = r.engagement_id",
                       [&](sqlite3_stmt* st) {
                           recs.emplace(col(st, 0), Rec{std::string(col(st, 1)), std::string(col(st, 2)),
                                                        std::string(col(st, 3)), sqlite3_column_int(st, 4)});
                       });
            forEachRow(db, "SELECT action_id, new_date FROM revised_target_date ORDER BY action_id, seq",
                       [&](sqlite3_stmt* st) { revised[std::string(col(st, 0))] = col(st, 1); });
            forEachRow(db, "SELECT action_id, person_id FROM action_co_owner ORDER BY action_id, position",
                       [&](sqlite3_stmt* st) {
                           std::string& list = coOwners[std::string(col(st, 0))];
                           if (!list.empty()) list += ',';
                           list += col(st, 1);
                       });
            std::string key;
            forEachRow(db,
                       "SELECT id, status, original_target_date, lead_owner_id, responsible_group_id, "
                       "recommendation_id, description, number FROM action "
                       "WHERE status IN ('not_started', 'in_progress') AND original_target_date IS NOT NULL",
                       [&](sqlite3_stmt* st) {
                           key.assign(col(st, 5));
                           const auto rec = recs.find(key);
                           if (rec == recs.end()) return;
                           d::ReminderCandidateView v;
                           v.actionId = col(st, 0);
                           v.status = col(st, 1);
                           v.dueDate = col(st, 2);
                           key.assign(v.actionId);
                           if (!revised.empty()) {
                               if (const auto it = revised.find(key); it != revised.end()) v.dueDate = it->second;
                           }
                           if (!coOwners.empty()) {
                               if (const auto it = coOwners.find(key); it != coOwners.end()) v.coOwnerIds = it->second;
                           }
                           v.leadOwnerId = col(st, 3);
                           v.responsibleGroupId = col(st, 4);
                           v.priority = rec->second.priority;
                           v.engagementReference = rec->second.reference;
                           v.recommendationTitle = rec->second.title;
                           v.recommendationNumber = rec->second.number;
                           v.actionDescription = col(st, 6);
                           v.actionNumber = sqlite3_column_int(st, 7);
                           row(v);
                       });
        });
    }

    std::vector<d::ReminderIdentity> recordedSince(d::Date sendDay) override {
        return translate("reading reminders", [&] {
            std::string since = d::formatIso(sendDay);
            std::vector<std::string> recipients, items, rules, occurrences;
            s_ << "SELECT recipient_id, item_id, rule, occurrence FROM reminder WHERE send_day >= ?", use(since),
                into(recipients), into(items), into(rules), into(occurrences), now;
            std::vector<d::ReminderIdentity> out;
            out.reserve(recipients.size());
            for (std::size_t i = 0; i < recipients.size(); ++i)
                out.push_back({recipients[i], items[i], rules[i], isoDay(occurrences[i])});
            return out;
        });
    }

    bool isRecorded(const d::ReminderIdentity& identity) override {
        return translate("reading reminders", [&] {
            std::string recipient = identity.recipientId, item = identity.itemId, rule = identity.rule,
                        occurrence = d::formatIso(identity.occurrence);
            int found = 0;
            s_ << "SELECT COUNT(*) FROM reminder WHERE recipient_id = ? AND item_id = ? AND rule = ? AND occurrence = ?",
                use(recipient), use(item), use(rule), use(occurrence), into(found), now;
            return found > 0;
        });
    }

    bool record(const d::StoredReminder& r) override {
        return translate("recording a reminder", [&] {
            std::string id = r.id, recipient = r.recipientId, kind = r.itemKind, item = r.itemId, rule = r.rule,
                        occurrence = d::formatIso(r.occurrence), message = r.messageId,
                        sendDay = d::formatIso(r.sendDay), reference = r.reference, title = r.title,
                        due = d::formatIso(r.dueDate), as = r.as, created = r.createdAt;
            int overdue = r.daysOverdue, inactive = r.ownerInactive ? 1 : 0;
            NText read = nt(r.readAt);
            Poco::Data::Statement st(s_);
            // ON CONFLICT on the identity only: a clash of the primary key is still an error.
            st << "INSERT INTO reminder (id, recipient_id, item_kind, item_id, rule, occurrence, message_id, send_day, "
                  "reference, title, due_date, days_overdue, owner_inactive, recipient_as, created_at, read_at) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                  "ON CONFLICT (recipient_id, item_id, rule, occurrence) DO NOTHING",
                use(id), use(recipient), use(kind), use(item), use(rule), use(occurrence), use(message), use(sendDay),
                use(reference), use(title), use(due), use(overdue), use(inactive), use(as), use(created), use(read);
            return st.execute() == 1;
        });
    }

    void addMessage(const d::OutboxMessage& m) override {
        translate("adding an outbox message", [&] {
            std::string id = m.id, recipient = m.recipientId, email = m.recipientEmail, day = d::formatIso(m.digestDay),
                        subject = m.subject, text = m.textBody, html = m.htmlBody, status{d::toString(m.status)},
                        next = m.nextAttemptAt, error = m.lastError, created = m.createdAt;
            int attempts = m.attempts;
            NText sent = nt(m.sentAt);
            s_ << "INSERT INTO outbox_message (id, recipient_id, recipient_email, digest_day, subject, text_body, "
                  "html_body, status, attempts, next_attempt_at, last_error, created_at, sent_at) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                use(id), use(recipient), use(email), use(day), use(subject), use(text), use(html), use(status),
                use(attempts), use(next), use(error), use(created), use(sent), now;
        });
    }

    std::vector<d::OutboxMessage> claimDue(const std::string& nowUtc, const std::string& leaseUntilUtc,
                                           std::size_t limit) override {
        return translate("claiming outbox messages", [&] {
            std::string nowText = nowUtc, lease = leaseUntilUtc;
            int max = static_cast<int>(limit);
            std::vector<std::string> ids, nexts;
            s_ << "SELECT id, next_attempt_at FROM outbox_message WHERE status IN ('pending', 'sending') "
                  "AND next_attempt_at <= ? ORDER BY created_at, id LIMIT ?",
                use(nowText), use(max), into(ids), into(nexts), now;
            std::vector<d::OutboxMessage> out;
            for (std::size_t i = 0; i < ids.size(); ++i) {
                Poco::Data::Statement st(s_);
                st << "UPDATE outbox_message SET status = 'sending', next_attempt_at = ? WHERE id = ? "
                      "AND status IN ('pending', 'sending') AND next_attempt_at = ?",
                    use(lease), use(ids[i]), use(nexts[i]);
                if (st.execute() == 1) {
                    auto m = messages("WHERE id = ?", ids[i], 1);
                    if (!m.empty()) out.push_back(std::move(m.front()));
                }
            }
            return out;
        });
    }

    void saveDelivery(const d::OutboxMessage& m) override {
        translate("saving a delivery", [&] {
            std::string id = m.id, status{d::toString(m.status)}, next = m.nextAttemptAt, error = m.lastError;
            int attempts = m.attempts;
            NText sent = nt(m.sentAt);
            s_ << "UPDATE outbox_message SET status = ?, attempts = ?, next_attempt_at = ?, last_error = ?, "
                  "sent_at = ? WHERE id = ?",
                use(status), use(attempts), use(next), use(error), use(sent), use(id), now;
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
        return translate("counting outbox messages", [&] {
            std::vector<std::string> statuses;
            std::vector<int> counts;
            s_ << "SELECT status, COUNT(*) FROM outbox_message GROUP BY status", into(statuses), into(counts), now;
            std::map<std::string, int> out;
            for (std::size_t i = 0; i < statuses.size(); ++i) out[statuses[i]] = counts[i];
            return out;
        });
    }

    std::vector<d::StoredReminder> listForRecipient(const d::Id& personId, bool unreadOnly,
                                                    std::size_t limit) override {
        return reminders(std::string("WHERE recipient_id = ? ") + (unreadOnly ? "AND read_at IS NULL " : "") +
                             "ORDER BY created_at DESC, send_day DESC, id DESC",
                         personId, limit);
    }

    InboxCount countForRecipient(const d::Id& personId) override {
        return translate("counting notifications", [&] {
            std::string person = personId;
            int total = 0, unread = 0;
            s_ << "SELECT COUNT(*), COALESCE(SUM(CASE WHEN read_at IS NULL THEN 1 ELSE 0 END), 0) FROM reminder "
                  "WHERE recipient_id = ?",
                use(person), into(total), into(unread), now;
            return InboxCount{total, unread};
        });
    }

    std::vector<d::StoredReminder> listForMessage(const d::Id& messageId) override {
        return reminders("WHERE message_id = ? ORDER BY rowid", messageId, 1000000);
    }

    bool markRead(const d::Id& personId, const d::Id& reminderId, const std::string& atUtc) override {
        return translate("marking a notification read", [&] {
            std::string person = personId, id = reminderId, at = atUtc;
            Poco::Data::Statement st(s_);
            st << "UPDATE reminder SET read_at = ? WHERE id = ? AND recipient_id = ? AND read_at IS NULL", use(at),
                use(id), use(person);
            return st.execute() == 1;
        });
    }

    void addFeedToken(const d::FeedToken& t) override {
        translate("adding a feed token", [&] {
            std::string hash = t.tokenHash, person = t.personId, created = t.createdAt;
            NText revoked = nt(t.revokedAt);
            s_ << "INSERT INTO feed_token (token_hash, person_id, created_at, revoked_at) VALUES (?, ?, ?, ?)",
                use(hash), use(person), use(created), use(revoked), now;
        });
    }

    int revokeFeedTokens(const d::Id& personId, const std::string& atUtc) override {
        return translate("revoking feed tokens", [&] {
            std::string person = personId, at = atUtc;
            Poco::Data::Statement st(s_);
            st << "UPDATE feed_token SET revoked_at = ? WHERE person_id = ? AND revoked_at IS NULL", use(at),
                use(person);
            return static_cast<int>(st.execute());
        });
    }

    std::optional<d::Id> feedTokenOwner(const std::string& tokenHash) override {
        return translate("reading feed tokens", [&] {
            std::string hash = tokenHash;
            std::vector<std::string> people;
            s_ << "SELECT person_id FROM feed_token WHERE token_hash = ? AND revoked_at IS NULL", use(hash),
                into(people), now;
            return people.empty() ? std::nullopt : std::optional<d::Id>(people.front());
        });
    }

private:
    static std::string text(Poco::Data::RecordSet& rs, std::size_t col) {
        const auto& v = rs.value(col);
        return v.isEmpty() ? std::string() : v.convert<std::string>();
    }
    static std::optional<std::string> optText(Poco::Data::RecordSet& rs, std::size_t col) {
        const auto& v = rs.value(col);
        return v.isEmpty() ? std::nullopt : std::optional<std::string>(v.convert<std::string>());
    }
    static int integer(Poco::Data::RecordSet& rs, std::size_t col) {
        const auto& v = rs.value(col);
        return v.isEmpty() ? 0 : v.convert<int>();
    }

    template <typename Row>
    void select(const std::string& sql, const std::optional<std::string>& arg, std::size_t limit, Row row) {
        std::string a = arg.value_or("");
        int max = static_cast<int>(std::min<std::size_t>(limit, 100000000));
        Poco::Data::Statement st(s_);
        st << sql + " LIMIT ?";
        if (arg) st, use(a);
        st, use(max);
        st.execute();
        Poco::Data::RecordSet rs(st);
        for (bool more = rs.moveFirst(); more; more = rs.moveNext()) row(rs);
    }

    std::vector<d::OutboxMessage> messages(const std::string& where, const std::optional<std::string>& arg,
                                           std::size_t limit) {
        return translate("reading outbox messages", [&] {
            std::vector<d::OutboxMessage> out;
            select(
                "SELECT id, recipient_id, recipient_email, digest_day, subject, text_body, html_body, status, "
                "attempts, next_attempt_at, last_error, created_at, sent_at FROM outbox_message " +
                    where,
                arg, limit, [&](Poco::Data::RecordSet& rs) {
                    d::OutboxMessage m;
                    m.id = text(rs, 0);
                    m.recipientId = text(rs, 1);
                    m.recipientEmail = text(rs, 2);
                    m.digestDay = isoDay(text(rs, 3));
                    m.subject = text(rs, 4);
                    m.textBody = text(rs, 5);
                    m.htmlBody = text(rs, 6);
                    const std::string status = text(rs, 7);
                    m.status = storedEnum(d::parseOutboxStatus(status), status);
                    m.attempts = integer(rs, 8);
                    m.nextAttemptAt = text(rs, 9);
                    m.lastError = text(rs, 10);
                    m.createdAt = text(rs, 11);
                    m.sentAt = optText(rs, 12);
                    out.push_back(std::move(m));
                });
            return out;
        });
    }

    std::vector<d::StoredReminder> reminders(const std::string& where, const std::string& arg, std::size_t limit) {
        return translate("reading reminders", [&] {
            std::vector<d::StoredReminder> out;
            select(
                "SELECT id, recipient_id, item_kind, item_id, rule, occurrence, message_id, send_day, reference, "
                "title, due_date, days_overdue, owner_inactive, recipient_as, created_at, read_at FROM reminder " +
                    where,
                arg, limit, [&](Poco::Data::RecordSet& rs) {
                    d::StoredReminder r;
                    r.id = text(rs, 0);
                    r.recipientId = text(rs, 1);
                    r.itemKind = text(rs, 2);
                    r.itemId = text(rs, 3);
                    r.rule = text(rs, 4);
                    r.occurrence = isoDay(text(rs, 5));
                    r.messageId = text(rs, 6);
                    r.sendDay = isoDay(text(rs, 7));
                    r.reference = text(rs, 8);
                    r.title = text(rs, 9);
                    r.dueDate = isoDay(text(rs, 10));
                    r.daysOverdue = integer(rs, 11);
                    r.ownerInactive = integer(rs, 12) != 0;
                    r.as = text(rs, 13);
                    r.createdAt = text(rs, 14);
                    r.readAt = optText(rs, 15);
                    out.push_back(std::move(r));
                });
            return out;
        });
    }

    Session& s_;
};

class SqliteSession final : public d::StoreSession {
public:
    explicit SqliteSession(const std::string& path)
        // Poco retries a failed open for its login timeout (60 s by default): one second is plenty for a
        // local file, and a wrong path then fails at once.
        : session_(open(path)),
          units_(session_),
          people_(session_),
          groups_(session_),
          risks_(session_),
          registers_(session_),
          engagements_(session_),
          findings_(session_),
          recommendations_(session_),
          actions_(session_),
          progress_(session_),
          requests_(session_),
          evidence_(session_),
          events_(session_),
          accounts_(session_),
          reminders_(session_),
          transfer_(session_, units_, people_, groups_, risks_, registers_, engagements_, findings_, recommendations_,
                    actions_, progress_, requests_, evidence_, events_, accounts_,
                    [this](const std::function<void()>& work) { readTransaction(work); }) {
        translate("configuring the database connection", [&] {
            session_ << "PRAGMA foreign_keys = ON", now;
            session_ << "PRAGMA busy_timeout = 5000", now;
        });
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
    d::StoreTransfer* transfer() override { return &transfer_; }

    d::ActionPlanSnapshot loadActionPlan(const d::ActionPlanFilter& filter) override {
        // A deferred transaction gives one consistent read and takes no write lock (SPEC 6).
        d::ActionPlanSnapshot snap;
        readTransaction([&] {
            std::vector<std::string> args;
            std::string engagementScope;
            if (filter.engagementReference) {
                auto engagement = d::findEngagement(engagements_, *filter.engagementReference);
                if (!engagement)
                    throw d::NotFoundError("No engagement has the reference '" + *filter.engagementReference + "'.");
                snap.engagements.push_back(*engagement);
                args.push_back(engagement->id);
                engagementScope = "WHERE r.engagement_id = ? ";
            } else {
                snap.engagements = engagements_.list();
            }
            snap.recommendations = queryRecommendations(
                session_,
                "JOIN engagement e ON e.id = r.engagement_id " + engagementScope + "ORDER BY e.reference, r.number",
                args, filter.includeTexts);
            snap.actions = queryActions(session_,
                                        "JOIN recommendation r ON r.id = a.recommendation_id " + engagementScope +
                                            "ORDER BY a.recommendation_id, a.number",
                                        args);
            snap.people = people_.list();
            snap.units = units_.list();
            translate("reading progress updates", [&] {
                // The latest update per action: the greatest update_date, and of several on that date the
                // one added last (rowid). storage_mysql runs the same query with its seq column.
                std::vector<std::string> ids, actionIds, dates, texts;
                std::vector<NInt> percents;
                std::vector<NText> authors;
                Poco::Data::Statement st(session_);
                // One probe of progress_update_action_date per action (latest date, then the row added
                // last): 40,000 actions in ~0.06 s. A window function over the whole table reads every
                // update and took ~1 s at benchmark size (docs/performance.md).
                st << "SELECT p.id, p.action_id, p.update_date, p.text, p.percent, p.author_id "
                      "FROM action a " +
                          (filter.engagementReference
                               ? std::string(
                                     "JOIN recommendation r ON r.id = a.recommendation_id AND r.engagement_id = ? ")
                               : std::string()) +
                          "JOIN progress_update p ON p.rowid = (SELECT q.rowid FROM progress_update q "
                          "WHERE q.action_id = a.id ORDER BY q.update_date DESC, q.rowid DESC LIMIT 1)",
                    into(ids), into(actionIds), into(dates), into(texts), into(percents), into(authors);
                std::vector<std::string> a = args;
                for (auto& v : a) st, use(v);
                st.execute();
                for (std::size_t i = 0; i < actionIds.size(); ++i) {
                    snap.lastUpdates.emplace(
                        actionIds[i],
                        d::ProgressUpdate{
                            std::move(ids[i]), actionIds[i], isoDay(dates[i]), opt(authors[i]), std::move(texts[i]),
                            percents[i].isNull() ? std::nullopt : std::optional<int>(percents[i].value())});
                }
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
        translate("starting a transaction", [&] { session_ << "BEGIN IMMEDIATE", now; });
        depth_ = 1;
        try {
            work();
            translate("committing", [&] { session_ << "COMMIT", now; });
            depth_ = 0;
        } catch (...) {
            depth_ = 0;
            try {
                session_ << "ROLLBACK", now;
            } catch (...) {  // the original error matters more than a failed rollback
            }
            throw;
        }
    }

    Session& raw() { return session_; }

    /// The driver's reason for a failed open ("unable to open database file") names no secret: keep it.
    static Session open(const std::string& path) {
        try {
            return Session("SQLite", path, 1);
        } catch (const Poco::Exception& e) {
            throw d::UnavailableError("cannot open the database " + path + ": " + e.message(), e.displayText());
        }
    }

private:
    void readTransaction(const std::function<void()>& work) {
        if (depth_ > 0) {
            work();
            return;
        }
        translate("starting a read", [&] { session_ << "BEGIN DEFERRED", now; });
        depth_ = 1;
        try {
            work();
            depth_ = 0;
            translate("ending a read", [&] { session_ << "COMMIT", now; });
        } catch (...) {
            depth_ = 0;
            try {
                session_ << "ROLLBACK", now;
            } catch (...) {
            }
            throw;
        }
    }

    Session session_;
    SqliteUnits units_;
    SqlitePeople people_;
    SqliteGroups groups_;
    SqliteRisks risks_;
    SqliteRiskRegisters registers_;
    SqliteEngagements engagements_;
    SqliteFindings findings_;
    SqliteRecommendations recommendations_;
    SqliteActions actions_;
    SqliteProgressUpdates progress_;
    SqliteRevisionRequests requests_;
    SqliteEvidence evidence_;
    SqliteEvents events_;
    SqliteAccounts accounts_;
    SqliteReminders reminders_;
    SqliteTransfer transfer_;
    int depth_ = 0;
};

/// Refuses, with a reason a person can act on, a path that is a directory or a file that is not a
/// SQLite database (instead of a driver error after a long retry).
void checkFile(const std::string& path) {
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (ec || status.type() == std::filesystem::file_type::not_found) return;  // created on open
    if (status.type() == std::filesystem::file_type::directory)
        throw d::ValidationError("--db: " + path + " is a directory, not a database file");
    if (status.type() != std::filesystem::file_type::regular)
        throw d::ValidationError("--db: " + path + " is not a regular file");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw d::UnavailableError("--db: cannot read " + path + " (permission denied?)");
    char header[16] = {};
    in.read(header, sizeof header);
    if (in.gcount() > 0 &&
        std::string_view(header, static_cast<std::size_t>(in.gcount())) !=
            std::string_view("SQLite format 3\0", 16).substr(0, static_cast<std::size_t>(in.gcount()))) {
        throw d::ValidationError("--db: " + path + " is not a SQLite database");
    }
}

}  // namespace

SqliteStore::SqliteStore(std::string path) : path_(std::move(path)) {
    registerConnectorOnce();
    checkFile(path_);
    // WAL is a property of the file: set once, it holds for every later connection. Only switch when
    // needed, so a read-only copy that is already in WAL mode can still be read.
    SqliteSession probe(path_);
    translate("enabling WAL", [&] {
        std::string mode;
        probe.raw() << "PRAGMA journal_mode", into(mode), now;
        if (mode != "wal") probe.raw() << "PRAGMA journal_mode = WAL", into(mode), now;
    });
}

SqliteStore::~SqliteStore() = default;

std::unique_ptr<domain::StoreSession> SqliteStore::openSession() {
    return std::make_unique<SqliteSession>(path_);
}

int SqliteStore::schemaVersion() {
    SqliteSession s(path_);
    return translate("reading schema_version", [&] {
        int tables = 0;
        s.raw() << "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'", into(tables),
            now;
        if (tables == 0) return 0;
        int version = 0;
        s.raw() << "SELECT COALESCE(MAX(version), 0) FROM schema_version", into(version), now;
        return version;
    });
}

void SqliteStore::backupTo(const std::string& file) {
    // sqlite3 online backup API: copies the database page by page while other connections keep working.
    sqlite3* source = nullptr;
    sqlite3* target = nullptr;
    auto closeBoth = [&] {
        if (target) sqlite3_close(target);
        if (source) sqlite3_close(source);
    };
    if (sqlite3_open_v2(path_.c_str(), &source, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
        const std::string why = source ? sqlite3_errmsg(source) : "out of memory";
        closeBoth();
        throw d::UnavailableError("the database file cannot be opened for backup", why);
    }
    if (sqlite3_open_v2(file.c_str(), &target, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
        const std::string why = target ? sqlite3_errmsg(target) : "out of memory";
        closeBoth();
        throw d::ValidationError("backup: cannot write '" + file + "' (" + why + ")");
    }
    sqlite3_busy_timeout(source, 5000);
    sqlite3_backup* backup = sqlite3_backup_init(target, "main", source, "main");
    if (!backup) {
        const std::string why = sqlite3_errmsg(target);
        closeBoth();
        throw d::Error(d::ErrorCode::kInternal, "backup failed", {}, why);
    }
    int rc = SQLITE_OK;
    do {
        rc = sqlite3_backup_step(backup, 256);
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(50);
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    sqlite3_backup_finish(backup);
    const int finalRc = sqlite3_errcode(target);
    const std::string why = sqlite3_errmsg(target);
    closeBoth();
    if (rc != SQLITE_DONE || (finalRc != SQLITE_OK && finalRc != SQLITE_DONE)) {
        throw d::Error(d::ErrorCode::kInternal, "backup failed", {}, why);
    }
}

int SqliteStore::latestSchemaVersion() {
    int latest = 0;
    for (const auto& m : embeddedMigrations()) latest = std::max(latest, m.version);
    return latest;
}

int SqliteStore::migrate() {
    SqliteSession s(path_);
    translate("creating schema_version", [&] {
        s.raw() << "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                   "applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))",
            now;
    });
    int current = schemaVersion();
    if (current > latestSchemaVersion()) {
        throw d::ValidationError("the database schema is version " + std::to_string(current) +
                                 ", newer than this govtrack build knows (" + std::to_string(latestSchemaVersion()) +
                                 "); upgrade govtrack");
    }
    for (const auto& m : embeddedMigrations()) {
        if (m.version <= current) continue;
        s.transaction([&] {
            translate(m.name, [&] {
                s.raw() << std::string(m.sql), now;
                int version = m.version;
                std::string name = m.name;
                s.raw() << "INSERT INTO schema_version (version, name) VALUES (?, ?)", use(version), use(name), now;
            });
        });
        current = m.version;
    }
    return current;
}

}  // namespace govtrack::storage_sqlite
