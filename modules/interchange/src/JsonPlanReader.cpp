#include "govtrack/interchange/JsonPlanReader.h"
#include "govtrack/interchange/StrictJson.h"

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "govtrack/domain/Dates.h"
#include "govtrack/domain/Error.h"
#include "govtrack/domain/Model.h"

#include "ReaderSupport.h"

namespace govtrack::interchange {

namespace {

using detail::inQuotes;
using detail::Problems;
using Json = nlohmann::json;

/// RFC 6901 reference token: "~" -> "~0", "/" -> "~1".
std::string pointerToken(std::string_view key) {
    std::string out;
    for (char c : key) {
        if (c == '~') {
            out += "~0";
        } else if (c == '/') {
            out += "~1";
        } else {
            out += c;
        }
    }
    return out;
}

template <typename E>
std::string allowedNames(std::initializer_list<E> values) {
    std::string out;
    for (E v : values) {
        if (!out.empty()) out += ", ";
        out += domain::toString(v);
    }
    return out;
}

std::string allowedUnitKinds() {
    using K = domain::UnitKind;
    return allowedNames({K::kDirectorate, K::kDivision, K::kTeam});
}
std::string allowedGroupKinds() {
    using K = domain::GroupKind;
    return allowedNames({K::kBoard, K::kCommittee, K::kGroup, K::kForum, K::kWorkingGroup});
}
std::string allowedFindingKinds() {
    using K = domain::FindingKind;
    return allowedNames({K::kGoodPractice, K::kImprovementOpportunity});
}
std::string allowedPillars() {
    using P = domain::Pillar;
    return allowedNames(
        {P::kPrevent, P::kIdentify, P::kLearning, P::kLeadershipAccountability, P::kResolution, P::kStandards});
}
std::string allowedLines() {
    using L = domain::LineOfDefence;
    return allowedNames({L::kFirst, L::kSecond, L::kThird});
}

constexpr std::string_view kDateForms = "use YYYY-MM-DD, YYYY-MM for a month, or 'December 2025'";

/// Reads one JSON object's keys, reporting each problem at its JSON pointer, and at the end every
/// key that was not read (unknown keys are errors: they are usually typos).
class ObjectReader {
public:
    ObjectReader(const Json& value, std::string pointer, Problems& problems, std::string_view what)
        : value_(value), pointer_(std::move(pointer)), problems_(problems) {
        ok_ = value.is_object();
        if (!ok_) {
            problems_.add(location(pointer_), "expected " + std::string(what) + " as a JSON object, found " +
                                                  std::string(value.type_name()));
        }
    }

    bool ok() const { return ok_; }
    const std::string& pointer() const { return pointer_; }
    std::string path(std::string_view key) const { return pointer_ + "/" + pointerToken(key); }

    /// The value of `key`, or nullptr when absent or null. Marks the key as known.
    const Json* get(std::string_view key) {
        known_.emplace(key);
        if (!ok_) return nullptr;
        const auto it = value_.find(key);
        if (it == value_.end() || it->is_null()) return nullptr;
        return &*it;
    }

    std::optional<std::string> string(std::string_view key, bool required = false) {
        const Json* v = get(key);
        if (v == nullptr) {
            if (required) missing(key);
            return std::nullopt;
        }
        if (!v->is_string()) {
            wrongType(key, "a string", *v);
            return std::nullopt;
        }
        std::string s = v->get<std::string>();
        if (required && detail::trim(s).empty()) {
            problems_.add(path(key), std::string(key) + " must not be empty");
            return std::nullopt;
        }
        return s;
    }

    std::string text(std::string_view key) { return string(key).value_or(std::string()); }

    std::optional<int> integer(std::string_view key, bool required, int min, int max) {
        const Json* v = get(key);
        if (v == nullptr) {
            if (required) missing(key);
            return std::nullopt;
        }
        if (!v->is_number_integer()) {
            wrongType(key, "a whole number", *v);
            return std::nullopt;
        }
        const auto n = v->get<long long>();
        if (n < min || n > max) {
            problems_.add(path(key), std::string(key) + " " + std::to_string(n) + " is out of range " +
                                         std::to_string(min) + "-" + std::to_string(max));
            return std::nullopt;
        }
        return static_cast<int>(n);
    }

    std::optional<bool> boolean(std::string_view key) {
        const Json* v = get(key);
        if (v == nullptr) return std::nullopt;
        if (!v->is_boolean()) {
            wrongType(key, "true or false", *v);
            return std::nullopt;
        }
        return v->get<bool>();
    }

    std::vector<std::string> stringList(std::string_view key) {
        std::vector<std::string> out;
        const Json* v = array(key);
        if (v == nullptr) return out;
        for (std::size_t i = 0; i < v->size(); ++i) {
            const Json& item = (*v)[i];
            if (!item.is_string()) {
                problems_.add(path(key) + "/" + std::to_string(i),
                              "expected a string, found " + std::string(item.type_name()));
                continue;
            }
            out.push_back(item.get<std::string>());
        }
        return out;
    }

    /// The array at `key`, or nullptr when absent (or not an array, which is reported).
    const Json* array(std::string_view key) {
        const Json* v = get(key);
        if (v == nullptr) return nullptr;
        if (!v->is_array()) {
            wrongType(key, "an array", *v);
            return nullptr;
        }
        return v;
    }

    /// The object at `key`, or nullptr when absent (or not an object, which is reported).
    const Json* object(std::string_view key) {
        const Json* v = get(key);
        if (v == nullptr) return nullptr;
        if (!v->is_object()) {
            wrongType(key, "an object", *v);
            return nullptr;
        }
        return v;
    }

    template <typename E>
    std::optional<E> enumeration(std::string_view key, bool required, std::optional<E> (*parse)(std::string_view),
                                 const std::string& allowed) {
        const auto s = string(key, required);
        if (!s) return std::nullopt;
        auto value = parse(*s);
        if (!value) problems_.add(path(key), std::string(key) + " " + inQuotes(*s) + " is not one of: " + allowed);
        return value;
    }

    std::optional<domain::TargetDate> targetDate(std::string_view key, bool required = false) {
        const auto s = string(key, required);
        if (!s) return std::nullopt;
        auto value = domain::parseTargetDate(*s);
        if (!value) {
            problems_.add(path(key),
                          std::string(key) + " " + inQuotes(*s) + " is not a valid date; " + std::string(kDateForms));
        }
        return value;
    }

    std::optional<domain::Date> day(std::string_view key, bool required = false) {
        const auto s = string(key, required);
        if (!s) return std::nullopt;
        const auto value = domain::parseTargetDate(*s);
        if (!value || value->precision != domain::DatePrecision::kDay) {
            problems_.add(path(key), std::string(key) + " " + inQuotes(*s) + " is not a valid day; use YYYY-MM-DD");
            return std::nullopt;
        }
        return value->date;
    }

    /// Reports every key of the object that no reader asked for.
    void finish() {
        if (!ok_) return;
        for (const auto& [key, v] : value_.items()) {
            if (known_.contains(key)) continue;
            std::string list;
            for (const auto& k : known_) list += (list.empty() ? "" : ", ") + k;
            problems_.add(path(key), "unknown key " + inQuotes(key) + "; allowed here: " + list);
        }
    }

private:
    static std::string location(const std::string& pointer) { return pointer.empty() ? "/" : pointer; }

    void missing(std::string_view key) { problems_.add(path(key), "required key " + inQuotes(key) + " is missing"); }

    void wrongType(std::string_view key, std::string_view expected, const Json& v) {
        problems_.add(path(key),
                      std::string(key) + " must be " + std::string(expected) + ", found " + std::string(v.type_name()));
    }

    const Json& value_;
    std::string pointer_;
    Problems& problems_;
    bool ok_ = false;
    std::set<std::string, std::less<>> known_;
};

/// Reports a natural key seen twice in one list.
class DuplicateCheck {
public:
    DuplicateCheck(Problems& problems, std::string what) : problems_(problems), what_(std::move(what)) {}

    void check(const std::string& key, const std::string& keyPath, const std::string& itemPointer) {
        const auto [it, inserted] = seen_.emplace(key, itemPointer);
        if (!inserted)
            problems_.add(keyPath, "duplicate " + what_ + " " + inQuotes(key) + "; already at " + it->second);
    }

private:
    Problems& problems_;
    std::string what_;
    std::map<std::string, std::string> seen_;
};

class PlanReader {
public:
    PlanReader(const std::string& fileName, Problems& problems) : fileName_(fileName), problems_(problems) {}

    domain::ActionPlanDocument read(const Json& root) {
        domain::ActionPlanDocument document;
        ObjectReader r(root, "", problems_, "the plan");
        if (!r.ok()) return document;
        if (const auto format = r.string("format"); format && *format != kJsonPlanFormat) {
            problems_.add("/format", "format " + inQuotes(*format) + " is not " + inQuotes(kJsonPlanFormat));
        }
        if (const auto version = r.integer("version", false, 0, 1000000); version && *version != kJsonPlanVersion) {
            problems_.add("/version", "version " + std::to_string(*version) + " is not supported; this reader reads " +
                                          std::to_string(kJsonPlanVersion));
        }
        forEach(r, "units", "a unit", [&](ObjectReader& o) { document.units.push_back(unit(o)); });
        DuplicateCheck units(problems_, "unit name");
        for (std::size_t i = 0; i < document.units.size(); ++i) {
            units.check(document.units[i].name, "/units/" + std::to_string(i) + "/name", "/units/" + std::to_string(i));
        }
        forEach(r, "people", "a person", [&](ObjectReader& o) { document.people.push_back(person(o)); });
        DuplicateCheck people(problems_, "role title");
        for (std::size_t i = 0; i < document.people.size(); ++i) {
            people.check(document.people[i].roleTitle, "/people/" + std::to_string(i) + "/role_title",
                         "/people/" + std::to_string(i));
        }
        forEach(r, "groups", "a governance group", [&](ObjectReader& o) { document.groups.push_back(group(o)); });
        DuplicateCheck groups(problems_, "group name");
        for (std::size_t i = 0; i < document.groups.size(); ++i) {
            groups.check(document.groups[i].name, "/groups/" + std::to_string(i) + "/name",
                         "/groups/" + std::to_string(i));
        }
        forEach(r, "risks", "a risk", [&](ObjectReader& o) { document.risks.push_back(risk(o)); });
        DuplicateCheck risks(problems_, "risk reference");
        for (std::size_t i = 0; i < document.risks.size(); ++i) {
            risks.check(document.risks[i].risk.reference, "/risks/" + std::to_string(i) + "/reference",
                        "/risks/" + std::to_string(i));
        }
        forEach(r, "engagements", "an engagement",
                [&](ObjectReader& o) { document.engagements.push_back(engagement(o)); });
        DuplicateCheck engagements(problems_, "engagement reference");
        for (std::size_t i = 0; i < document.engagements.size(); ++i) {
            engagements.check(document.engagements[i].engagement.reference,
                              "/engagements/" + std::to_string(i) + "/reference", "/engagements/" + std::to_string(i));
        }
        r.finish();
        return document;
    }

private:
    /// Calls `readItem` for each object of the array at `key` (absent = empty).
    void forEach(ObjectReader& parent, std::string_view key, std::string_view what,
                 const std::function<void(ObjectReader&)>& readItem) {
        const Json* items = parent.array(key);
        if (items == nullptr) return;
        for (std::size_t i = 0; i < items->size(); ++i) {
            ObjectReader item((*items)[i], parent.path(key) + "/" + std::to_string(i), problems_, what);
            if (!item.ok()) continue;
            readItem(item);
            item.finish();
        }
    }

    std::string origin(const ObjectReader& o) const { return fileName_ + ":" + o.pointer(); }

    domain::UnitRecord unit(ObjectReader& o) {
        domain::UnitRecord u;
        u.origin = origin(o);
        u.name = o.string("name", true).value_or("");
        u.kind = o.enumeration("kind", false, &domain::parseUnitKind, allowedUnitKinds()).value_or(u.kind);
        u.parentName = o.string("parent");
        return u;
    }

    domain::PersonRecord person(ObjectReader& o) {
        domain::PersonRecord p;
        p.origin = origin(o);
        p.roleTitle = o.string("role_title", true).value_or("");
        p.email = o.text("email");
        p.unitName = o.string("unit");
        p.lineManagerRoleTitle = o.string("line_manager");
        p.active = o.boolean("active").value_or(true);
        for (const auto& name : o.stringList("roles")) {
            if (auto role = domain::parseRole(name)) {
                p.roles.push_back(*role);
            } else {
                problems_.add(o.pointer() + "/roles", "role '" + name + "' is not one of: " + domain::allowedRoles());
            }
        }
        std::sort(p.roles.begin(), p.roles.end());
        p.roles.erase(std::unique(p.roles.begin(), p.roles.end()), p.roles.end());
        return p;
    }

    domain::GroupRecord group(ObjectReader& o) {
        domain::GroupRecord g;
        g.origin = origin(o);
        g.name = o.string("name", true).value_or("");
        g.kind = o.enumeration("kind", false, &domain::parseGroupKind, allowedGroupKinds()).value_or(g.kind);
        g.parentName = o.string("parent");
        g.purpose = o.text("purpose");
        g.remit = o.text("remit");
        g.meetingFrequency = o.text("meeting_frequency");
        g.quorum = o.text("quorum");
        g.effectiveFrom = o.targetDate("effective_from");
        g.effectiveTo = o.targetDate("effective_to");
        g.supersededByName = o.string("superseded_by");
        forEach(o, "members", "a group member", [&](ObjectReader& m) {
            domain::MemberRecord member;
            member.roleTitle = m.string("role_title", true).value_or("");
            member.role = m.enumeration("role", false, &domain::parseMemberRole, domain::allowedMemberRoles())
                              .value_or(domain::MemberRole::kMember);
            g.members.push_back(std::move(member));
        });
        forEach(o, "powers", "a delegated power", [&](ObjectReader& pw) {
            domain::DelegatedPower power;
            power.kind = pw.enumeration("kind", true, &domain::parsePowerKind, domain::allowedPowerKinds())
                             .value_or(domain::PowerKind::kApproveRevisedDate);
            power.maxPriority =
                pw.enumeration("max_priority", false, &domain::parsePriority, domain::allowedPriorities());
            power.maxTotalSlipDays = pw.integer("max_total_slip_days", false, 0, 100000);
            g.powers.push_back(power);
        });
        return g;
    }

    domain::RiskRecord risk(ObjectReader& o) {
        domain::RiskRecord r;
        r.origin = origin(o);
        r.risk.reference = o.string("reference", true).value_or("");
        r.risk.title = o.text("title");
        r.risk.description = o.text("description");
        if (const auto level = o.string("level")) {
            const std::string key = detail::toLower(detail::trim(*level));
            if (key == "strategic" || key == "divisional" || key == "programme") {
                r.risk.level = key;
            } else {
                problems_.add(o.path("level"),
                              "level " + inQuotes(*level) + " is not one of: strategic, divisional, programme");
            }
        }
        return r;
    }

    domain::EngagementRecord engagement(ObjectReader& o) {
        domain::EngagementRecord e;
        e.origin = origin(o);
        domain::Engagement& g = e.engagement;
        g.reference = o.string("reference", true).value_or("");
        g.title = o.text("title");
        g.auditYear = o.text("audit_year");
        g.scope = o.text("scope");
        g.remitItems = o.stringList("remit_items");
        g.keyRisks = o.stringList("key_risks");
        g.fieldworkStart = o.targetDate("fieldwork_start");
        g.fieldworkEnd = o.targetDate("fieldwork_end");
        g.draftReportDate = o.targetDate("draft_report_date");
        g.finalReportDate = o.targetDate("final_report_date");
        g.resourceDays = o.integer("resource_days", false, 0, 100000);
        g.issueDate = o.targetDate("issue_date");
        g.assuranceLevel =
            o.enumeration("assurance_level", false, &domain::parseAssuranceLevel, domain::allowedAssuranceLevels());
        e.status = o.enumeration("status", false, &domain::parseEngagementStatus, domain::allowedEngagementStatuses());
        e.followsUpReference = o.string("follows_up");

        std::vector<std::string> findingPointers;
        forEach(o, "findings", "a finding", [&](ObjectReader& f) {
            e.findings.push_back(finding(f));
            findingPointers.push_back(f.pointer());
        });
        forEach(o, "recommendations", "a recommendation",
                [&](ObjectReader& r) { e.recommendations.push_back(recommendation(r)); });

        DuplicateCheck findingNumbers(problems_, "finding number");
        for (std::size_t i = 0; i < e.findings.size(); ++i) {
            findingNumbers.check(e.findings[i].number, findingPointers[i] + "/number", findingPointers[i]);
        }
        DuplicateCheck recNumbers(problems_, "recommendation number");
        std::set<int> numbers;
        for (std::size_t i = 0; i < e.recommendations.size(); ++i) {
            const std::string p = o.path("recommendations") + "/" + std::to_string(i);
            if (e.recommendations[i].number > 0) {
                recNumbers.check(std::to_string(e.recommendations[i].number), p + "/number", p);
                numbers.insert(e.recommendations[i].number);
            }
        }
        for (std::size_t i = 0; i < e.findings.size(); ++i) {
            const auto& linked = e.findings[i].recommendationNumber;
            if (linked && !numbers.contains(*linked)) {
                problems_.add(findingPointers[i] + "/recommendation",
                              "finding " + e.findings[i].number + " links recommendation " + std::to_string(*linked) +
                                  ", which this engagement does not have");
            }
        }
        return e;
    }

    domain::FindingRecord finding(ObjectReader& o) {
        domain::FindingRecord f;
        f.origin = origin(o);
        f.number = o.string("number", true).value_or("");
        f.kind = o.enumeration("kind", true, &domain::parseFindingKind, allowedFindingKinds()).value_or(f.kind);
        f.text = o.text("text");
        f.recommendationNumber = o.integer("recommendation", false, 1, 100000);
        return f;
    }

    domain::RecommendationRecord recommendation(ObjectReader& o) {
        domain::RecommendationRecord r;
        r.origin = origin(o);
        r.number = o.integer("number", true, 1, 100000).value_or(0);
        r.title = o.text("title");
        r.issue = o.text("issue");
        r.risk = o.text("risk");
        r.text = o.text("text");
        r.priority =
            o.enumeration("priority", true, &domain::parsePriority, domain::allowedPriorities()).value_or(r.priority);
        r.managementResponse = o.enumeration("management_response", false, &domain::parseManagementResponse,
                                             domain::allowedManagementResponses());
        r.responseText = o.text("response_text");
        r.linkedRiskReferences = o.stringList("linked_risks");
        std::vector<std::string> pointers;
        forEach(o, "actions", "an action", [&](ObjectReader& a) {
            r.actions.push_back(action(a, static_cast<int>(r.actions.size()) + 1));
            pointers.push_back(a.pointer());
        });
        DuplicateCheck actionNumbers(problems_, "action number");
        for (std::size_t i = 0; i < r.actions.size(); ++i) {
            actionNumbers.check(std::to_string(r.actions[i].number), pointers[i] + "/number", pointers[i]);
        }
        return r;
    }

    domain::ActionRecord action(ObjectReader& o, int defaultNumber) {
        domain::ActionRecord a;
        a.origin = origin(o);
        a.number = o.integer("number", false, 1, 100000).value_or(defaultNumber);
        a.description = o.string("description", true).value_or("");
        a.leadOwnerRoleTitle = o.string("lead_owner");
        a.coOwnerRoleTitles = o.stringList("co_owners");
        a.originalTargetDate = o.targetDate("target_date");
        forEach(o, "revisions", "a revised target date", [&](ObjectReader& r) {
            domain::RevisionRecord v;
            v.origin = origin(r);
            v.newDate = r.targetDate("new_date", true).value_or(domain::TargetDate{});
            v.reason = r.string("reason", true).value_or("");
            v.requestedByRoleTitle = r.string("requested_by");
            v.approvedBy = r.string("approved_by", true).value_or("");
            v.decisionDate = r.day("decision_date");
            a.revisions.push_back(std::move(v));
        });
        a.status = o.enumeration("status", false, &domain::parseActionStatus, domain::allowedActionStatuses());
        a.pillar = o.enumeration("pillar", false, &domain::parsePillar, allowedPillars());
        a.lineOfDefence = o.enumeration("line_of_defence", false, &domain::parseLineOfDefence, allowedLines());
        a.auditorAssessment = o.text("auditor_assessment");
        a.responsibleGroupName = o.string("responsible_group");
        if (const Json* closure = o.object("closure")) {
            ObjectReader c(*closure, o.path("closure"), problems_, "a group decision");
            if (c.ok()) {
                domain::DecisionRecord d;
                d.groupName = c.string("group", true).value_or("");
                d.decidedByRoleTitle = c.string("decided_by");
                d.date = c.day("date", true).value_or(domain::Date{});
                d.power = c.enumeration("power", true, &domain::parsePowerKind, domain::allowedPowerKinds())
                              .value_or(domain::PowerKind::kAcceptRisk);
                d.reference = c.text("reference");
                a.closure = d;
                c.finish();
            }
        }
        forEach(o, "progress_updates", "a progress update", [&](ObjectReader& u) {
            domain::ProgressUpdateRecord p;
            p.origin = origin(u);
            p.date = u.day("date", true).value_or(domain::Date{});
            p.authorRoleTitle = u.string("author");
            p.text = u.text("text");
            p.percent = u.integer("percent", false, 0, 100);
            a.progressUpdates.push_back(std::move(p));
        });
        return a;
    }

    const std::string& fileName_;
    Problems& problems_;
};

/// 1-based line and column (in bytes) of the character at 0-based `offset`.
std::pair<std::size_t, std::size_t> lineAndColumn(std::string_view content, std::size_t offset) {
    offset = std::min(offset, content.size());
    const std::string_view before = content.substr(0, offset);
    const std::size_t line = 1 + static_cast<std::size_t>(std::count(before.begin(), before.end(), '\n'));
    const std::size_t lastBreak = before.rfind('\n');
    const std::size_t column = lastBreak == std::string_view::npos ? offset + 1 : offset - lastBreak;
    return {line, column};
}

/// nlohmann's message without its "[json.exception...] parse error at line L, column C: " prefix.
std::string syntaxReason(const std::string& what) {
    const std::size_t columnAt = what.find(", column ");
    if (columnAt != std::string::npos) {
        const std::size_t colon = what.find(": ", columnAt);
        if (colon != std::string::npos) return what.substr(colon + 2);
    }
    const std::size_t bracket = what.find("] ");
    return bracket == std::string::npos ? what : what.substr(bracket + 2);
}

}  // namespace

domain::ActionPlanDocument readJsonPlan(std::string_view content, const std::string& fileName) {
    Problems problems(fileName);
    if (content.starts_with("\xEF\xBB\xBF")) content.remove_prefix(3);  // so columns on line 1 are right
    Json root;
    std::set<std::string> duplicates;  // refused below: {"reference":"A","reference":"B"} is ambiguous
    try {
        root = parseStrictJson(content, duplicates);
    } catch (const Json::parse_error& e) {
        // e.byte is the 1-based index of the last character read, i.e. where the parser gave up.
        const auto [line, column] = lineAndColumn(content, e.byte > 0 ? e.byte - 1 : 0);
        problems.add(std::to_string(line) + ":" + std::to_string(column), "invalid JSON: " + syntaxReason(e.what()));
        problems.throwIfAny();
    } catch (const domain::ValidationError& e) {  // nesting too deep
        problems.add("", std::string("invalid JSON: ") + e.what());
        problems.throwIfAny();
    } catch (const Json::out_of_range&) {
        // Number overflow (1e999): nlohmann gives no position for it.
        problems.add("", "invalid JSON: a number is too large to read");
        problems.throwIfAny();
    } catch (const Json::exception&) {
        problems.add("", "invalid JSON: the file cannot be read as UTF-8 JSON");
        problems.throwIfAny();
    }
    for (const auto& key : duplicates) {
        problems.add("", "invalid JSON: the key '" + key + "' appears twice in one object; each key may appear once");
    }
    problems.throwIfAny();
    PlanReader reader(fileName, problems);
    domain::ActionPlanDocument document = reader.read(root);
    problems.throwIfAny();
    return document;
}

}  // namespace govtrack::interchange
