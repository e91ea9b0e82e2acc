#include "govtrack/domain/ImportService.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "govtrack/domain/Authority.h"
#include "govtrack/domain/Error.h"
#include "govtrack/domain/Rules.h"
#include "govtrack/domain/Text.h"

namespace govtrack::domain {

namespace {

/// Collects every validation problem before anything is written.
class Problems {
public:
    void add(const Origin& where, std::string message) { errors_.push_back({where, std::move(message)}); }
    void throwIfAny() const {
        if (errors_.empty()) return;
        throw ValidationError("import refused: " + std::to_string(errors_.size()) +
                                  (errors_.size() == 1 ? " problem" : " problems") + " found; nothing was imported",
                              errors_);
    }

private:
    std::vector<FieldError> errors_;
};

/// Merge rules of an import (ActionPlanDocument.h): a value the file states
/// replaces the stored one; an absent one (empty text, empty list, empty
/// optional) leaves it as it is.
void mergeText(std::string& stored, const std::string& given) {
    if (!given.empty()) stored = given;
}
template <typename T>
void mergeOptional(std::optional<T>& stored, const std::optional<T>& given) {
    if (given) stored = given;
}
template <typename T>
void mergeList(std::vector<T>& stored, const std::vector<T>& given) {
    if (!given.empty()) stored = given;
}

template <typename T>
bool saveIfChanged(const std::optional<T>& existing, const T& wanted) {
    return !existing || !(*existing == wanted);
}

/// The state a versioned save leaves stored (Repositories.h): version 1 when new, else one more.
template <typename T>
T savedVersion(const std::optional<T>& existing, T wanted) {
    wanted.version = existing ? existing->version + 1 : 1;
    return wanted;
}

/// not_started 0 < in_progress 1 < implemented 2; closed states rank above every open one.
int statusRank(ActionStatus status) {
    switch (status) {
        case ActionStatus::kNotStarted:
            return 0;
        case ActionStatus::kInProgress:
            return 1;
        case ActionStatus::kImplemented:
            return 2;
        default:
            return 3;
    }
}

/// Thrown inside the transaction of a dry run so that the store rolls
/// everything back.
struct DryRunRollback {};

std::string dateText(const std::optional<TargetDate>& d) {
    return d ? d->iso() : std::string("none");
}

/// "status in_progress -> verified, target date" for the fields that differ.
std::string describeChanges(const Action& before, const Action& after) {
    std::vector<std::string> parts;
    if (before.description != after.description) parts.push_back("description");
    if (before.leadOwnerId != after.leadOwnerId) parts.push_back("lead owner");
    if (before.coOwnerIds != after.coOwnerIds) parts.push_back("co-owners");
    if (before.originalTargetDate != after.originalTargetDate)
        parts.push_back("target date " + dateText(before.originalTargetDate) + " -> " +
                        dateText(after.originalTargetDate));
    if (before.revisions != after.revisions) parts.push_back("revised target dates");
    if (before.status != after.status)
        parts.push_back("status " + std::string(toString(before.status)) + " -> " +
                        std::string(toString(after.status)));
    if (before.pillar != after.pillar) parts.push_back("pillar");
    if (before.lineOfDefence != after.lineOfDefence) parts.push_back("line of defence");
    if (before.auditorAssessment != after.auditorAssessment) parts.push_back("auditor assessment");
    if (before.responsibleGroupId != after.responsibleGroupId) parts.push_back("responsible group");
    if (before.closure != after.closure) parts.push_back("group decision");
    if (before.supersededByActionId != after.supersededByActionId) parts.push_back("superseded by");
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : ", ") + p;
    return out;
}

std::string describeChanges(const Recommendation& before, const Recommendation& after) {
    std::vector<std::string> parts;
    if (before.title != after.title) parts.push_back("title");
    if (before.issue != after.issue || before.risk != after.risk || before.text != after.text) parts.push_back("text");
    if (before.priority != after.priority)
        parts.push_back("priority " + std::string(toString(before.priority)) + " -> " +
                        std::string(toString(after.priority)));
    if (before.managementResponse != after.managementResponse)
        parts.push_back("management response " + std::string(toString(before.managementResponse)) + " -> " +
                        std::string(toString(after.managementResponse)));
    if (before.responseText != after.responseText) parts.push_back("response text");
    if (before.linkedRiskReferences != after.linkedRiskReferences) parts.push_back("linked risks");
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : ", ") + p;
    return out;
}

/// Every text of the document: valid UTF-8, no control characters, within length limits (Text.h).
void checkText(const ActionPlanDocument& doc, Problems& problems) {
    auto check = [&](const Origin& origin, const char* field, const std::string& value, TextKind kind) {
        if (auto why = textProblem(value, kind)) problems.add(origin, std::string(field) + " " + *why);
    };
    auto checkOptional = [&](const Origin& origin, const char* field, const std::optional<std::string>& value) {
        if (value) check(origin, field, *value, TextKind::kKey);
    };
    for (const auto& u : doc.units) {
        check(u.origin, "unit name", u.name, TextKind::kKey);
        checkOptional(u.origin, "parent unit", u.parentName);
    }
    for (const auto& p : doc.people) {
        check(p.origin, "role title", p.roleTitle, TextKind::kKey);
        check(p.origin, "email", p.email, TextKind::kKey);
        checkOptional(p.origin, "unit", p.unitName);
        checkOptional(p.origin, "line manager", p.lineManagerRoleTitle);
    }
    for (const auto& g : doc.groups) {
        check(g.origin, "group name", g.name, TextKind::kKey);
        checkOptional(g.origin, "parent group", g.parentName);
        checkOptional(g.origin, "superseded_by", g.supersededByName);
        for (const auto& m : g.members) check(g.origin, "member role title", m.roleTitle, TextKind::kKey);
        for (const auto* text : {&g.purpose, &g.remit, &g.meetingFrequency, &g.quorum})
            check(g.origin, "group text", *text, TextKind::kMultiLine);
    }
    for (const auto& r : doc.risks) {
        check(r.origin, "risk reference", r.risk.reference, TextKind::kKey);
        check(r.origin, "risk title", r.risk.title, TextKind::kLine);
        check(r.origin, "risk description", r.risk.description, TextKind::kMultiLine);
    }
    for (const auto& e : doc.engagements) {
        const Engagement& g = e.engagement;
        check(e.origin, "engagement reference", g.reference, TextKind::kKey);
        checkOptional(e.origin, "follows_up", e.followsUpReference);
        check(e.origin, "engagement title", g.title, TextKind::kLine);
        check(e.origin, "audit year", g.auditYear, TextKind::kKey);
        check(e.origin, "scope", g.scope, TextKind::kMultiLine);
        for (const auto& item : g.remitItems) check(e.origin, "remit item", item, TextKind::kMultiLine);
        for (const auto& risk : g.keyRisks) check(e.origin, "key risk", risk, TextKind::kMultiLine);
        for (const auto& f : e.findings) {
            check(f.origin, "finding number", f.number, TextKind::kKey);
            check(f.origin, "finding text", f.text, TextKind::kMultiLine);
        }
        for (const auto& r : e.recommendations) {
            check(r.origin, "recommendation title", r.title, TextKind::kLine);
            for (const auto* text : {&r.issue, &r.risk, &r.text, &r.responseText})
                check(r.origin, "recommendation text", *text, TextKind::kMultiLine);
            for (const auto& ref : r.linkedRiskReferences) check(r.origin, "linked risk", ref, TextKind::kKey);
            for (const auto& a : r.actions) {
                check(a.origin, "action description", a.description, TextKind::kMultiLine);
                checkOptional(a.origin, "lead owner", a.leadOwnerRoleTitle);
                for (const auto& co : a.coOwnerRoleTitles) check(a.origin, "co-owner", co, TextKind::kKey);
                check(a.origin, "auditor assessment", a.auditorAssessment, TextKind::kMultiLine);
                for (const auto& rev : a.revisions) {
                    check(a.origin, "revision reason", rev.reason, TextKind::kMultiLine);
                    check(a.origin, "revision approved_by", rev.approvedBy, TextKind::kLine);
                    checkOptional(a.origin, "revision requested_by", rev.requestedByRoleTitle);
                }
                checkOptional(a.origin, "responsible group", a.responsibleGroupName);
                if (a.closure) {
                    check(a.origin, "decision group", a.closure->groupName, TextKind::kKey);
                    check(a.origin, "decision reference", a.closure->reference, TextKind::kLine);
                    checkOptional(a.origin, "decided by", a.closure->decidedByRoleTitle);
                }
                for (const auto& u : a.progressUpdates) {
                    check(u.origin, "progress update", u.text, TextKind::kMultiLine);
                    checkOptional(u.origin, "progress update author", u.authorRoleTitle);
                }
            }
        }
    }
}

/// Parent-style links must not loop (a unit inside itself, groups reporting in a circle, a review
/// following itself up): reports walk these chains. Checks the links as they will stand after the
/// import: the stored ones, overridden by the document's.
void checkNoCycles(const ActionPlanDocument& doc, Problems& problems, StoreSession& session) {
    using Links = std::map<std::string, std::string>;  // name -> what it points to
    auto findLoop = [](const Links& links, const std::string& start) -> std::optional<std::string> {
        std::string path = start;
        std::set<std::string> seen{start};
        for (auto it = links.find(start); it != links.end(); it = links.find(it->second)) {
            path += " > " + it->second;
            if (it->second == start) return path;
            if (!seen.insert(it->second).second) return std::nullopt;  // a loop elsewhere; reported there
        }
        return std::nullopt;
    };
    auto report = [&](const Links& links, const std::string& name, const Origin& origin, const char* what) {
        if (auto loop = findLoop(links, name)) problems.add(origin, std::string(what) + " would loop: " + *loop);
    };

    Links unitParents, groupParents, successors, managers, followsUp;
    std::map<Id, std::string> unitNames, groupNames, personTitles, engagementRefs;
    const auto units = session.units().list();
    const auto groups = session.groups().list();
    const auto people = session.people().list();
    const auto engagements = session.engagements().list();
    for (const auto& u : units) unitNames[u.id] = u.name;
    for (const auto& g : groups) groupNames[g.id] = g.name;
    for (const auto& p : people) personTitles[p.id] = p.roleTitle;
    for (const auto& e : engagements) engagementRefs[e.id] = e.reference;
    for (const auto& u : units)
        if (u.parentId) unitParents[u.name] = unitNames[*u.parentId];
    for (const auto& g : groups) {
        if (g.parentId) groupParents[g.name] = groupNames[*g.parentId];
        if (g.supersededById) successors[g.name] = groupNames[*g.supersededById];
    }
    for (const auto& p : people)
        if (p.lineManagerId) managers[p.roleTitle] = personTitles[*p.lineManagerId];
    for (const auto& e : engagements)
        if (e.followsUpId) followsUp[e.reference] = engagementRefs[*e.followsUpId];

    for (const auto& u : doc.units)
        if (u.parentName) unitParents[u.name] = *u.parentName;
    for (const auto& g : doc.groups) {
        if (g.parentName) groupParents[g.name] = *g.parentName;
        if (g.supersededByName) successors[g.name] = *g.supersededByName;
    }
    for (const auto& p : doc.people)
        if (p.lineManagerRoleTitle) managers[p.roleTitle] = *p.lineManagerRoleTitle;
    for (const auto& e : doc.engagements)
        if (e.followsUpReference) followsUp[e.engagement.reference] = *e.followsUpReference;

    for (const auto& u : doc.units) report(unitParents, u.name, u.origin, "unit parent chain");
    for (const auto& g : doc.groups) {
        report(groupParents, g.name, g.origin, "group reporting chain");
        report(successors, g.name, g.origin, "superseded_by chain");
    }
    for (const auto& p : doc.people) report(managers, p.roleTitle, p.origin, "line manager chain");
    for (const auto& e : doc.engagements) report(followsUp, e.engagement.reference, e.origin, "follows_up chain");
}

}  // namespace

ImportSummary ImportService::apply(const ActionPlanDocument& document, ImportMode mode) {
    return applyCanonical(canonicalise(document), mode);
}

ActionPlanDocument ImportService::canonicalise(const ActionPlanDocument& in) {
    ActionPlanDocument doc = in;
    // folded key -> spelling: the stored one if the record exists, else the first
    // one the file uses.
    using Spellings = std::unordered_map<std::string, std::string>;
    Spellings units, people, groups, engagements, risks;
    for (const auto& u : session_.units().list()) units.emplace(foldNaturalKey(u.name), u.name);
    for (const auto& p : session_.people().list()) people.emplace(foldNaturalKey(p.roleTitle), p.roleTitle);
    for (const auto& g : session_.groups().list()) groups.emplace(foldNaturalKey(g.name), g.name);
    for (const auto& e : session_.engagements().list()) engagements.emplace(foldNaturalKey(e.reference), e.reference);
    for (const auto& r : session_.risks().list()) risks.emplace(foldNaturalKey(r.reference), r.reference);
    auto canon = [](Spellings& table, std::string& name) {
        if (name.empty()) return;
        name = table.emplace(foldNaturalKey(name), tidyNaturalKey(name)).first->second;
    };
    auto canonOptional = [&](Spellings& table, std::optional<std::string>& name) {
        if (name) canon(table, *name);
    };
    for (auto& u : doc.units) canon(units, u.name);
    for (auto& u : doc.units) canonOptional(units, u.parentName);
    for (auto& p : doc.people) canon(people, p.roleTitle);
    for (auto& p : doc.people) {
        canonOptional(units, p.unitName);
        canonOptional(people, p.lineManagerRoleTitle);
    }
    for (auto& g : doc.groups) canon(groups, g.name);
    for (auto& g : doc.groups) {
        canonOptional(groups, g.parentName);
        canonOptional(groups, g.supersededByName);
        for (auto& m : g.members) canon(people, m.roleTitle);
    }
    for (auto& r : doc.risks) canon(risks, r.risk.reference);
    for (auto& e : doc.engagements) canon(engagements, e.engagement.reference);
    for (auto& e : doc.engagements) {
        canonOptional(engagements, e.followsUpReference);
        for (auto& r : e.recommendations) {
            for (auto& ref : r.linkedRiskReferences) canon(risks, ref);
            for (auto& a : r.actions) {
                canonOptional(people, a.leadOwnerRoleTitle);
                for (auto& co : a.coOwnerRoleTitles) canon(people, co);
                for (auto& rev : a.revisions) canonOptional(people, rev.requestedByRoleTitle);
                for (auto& u : a.progressUpdates) canonOptional(people, u.authorRoleTitle);
                canonOptional(groups, a.responsibleGroupName);
                if (a.closure) {
                    canon(groups, a.closure->groupName);
                    canonOptional(people, a.closure->decidedByRoleTitle);
                }
            }
        }
    }
    return doc;
}

ImportSummary ImportService::applyCanonical(const ActionPlanDocument& doc, ImportMode mode) {
    // ---- 1. validate everything, write nothing ----
    Problems problems;
    checkText(doc, problems);
    checkNoCycles(doc, problems, session_);
    std::set<std::string> unitNames;
    std::set<std::string> roleTitles;
    std::set<std::string> groupNames;
    std::set<std::string> engagementRefs;
    std::set<std::string> riskRefs;

    for (const auto& u : doc.units) {
        if (u.name.empty()) problems.add(u.origin, "unit name is empty");
        if (!unitNames.insert(u.name).second) problems.add(u.origin, "unit '" + u.name + "' is listed twice");
    }
    for (const auto& p : doc.people) {
        if (p.roleTitle.empty()) problems.add(p.origin, "person role_title is empty");
        if (!roleTitles.insert(p.roleTitle).second)
            problems.add(p.origin, "person '" + p.roleTitle + "' is listed twice");
    }
    for (const auto& g : doc.groups) {
        if (g.name.empty()) problems.add(g.origin, "group name is empty");
        if (!groupNames.insert(g.name).second) problems.add(g.origin, "group '" + g.name + "' is listed twice");
    }
    for (const auto& r : doc.risks) {
        if (r.risk.reference.empty()) problems.add(r.origin, "risk reference is empty");
        if (!riskRefs.insert(r.risk.reference).second)
            problems.add(r.origin, "risk '" + r.risk.reference + "' is listed twice");
    }
    for (const auto& e : doc.engagements) {
        if (e.engagement.reference.empty()) problems.add(e.origin, "engagement reference is empty");
        if (!engagementRefs.insert(e.engagement.reference).second)
            problems.add(e.origin, "engagement '" + e.engagement.reference + "' is listed twice");
    }

    auto unitKnown = [&](const std::string& n) { return unitNames.count(n) || session_.units().findByName(n); };
    auto groupKnown = [&](const std::string& n) { return groupNames.count(n) || session_.groups().findByName(n); };
    auto engagementKnown = [&](const std::string& r) {
        return engagementRefs.count(r) || session_.engagements().findByReference(r);
    };

    for (const auto& u : doc.units) {
        if (u.parentName && !unitKnown(*u.parentName))
            problems.add(u.origin, "parent unit '" + *u.parentName + "' is not defined");
    }
    for (const auto& p : doc.people) {
        if (p.unitName && !unitKnown(*p.unitName)) problems.add(p.origin, "unit '" + *p.unitName + "' is not defined");
    }
    for (const auto& g : doc.groups) {
        if (g.parentName && !groupKnown(*g.parentName))
            problems.add(g.origin, "parent group '" + *g.parentName + "' is not defined");
        if (g.supersededByName && !groupKnown(*g.supersededByName))
            problems.add(g.origin, "superseded_by group '" + *g.supersededByName + "' is not defined");
    }
    for (const auto& e : doc.engagements) {
        if (e.followsUpReference && !engagementKnown(*e.followsUpReference))
            problems.add(e.origin, "follows_up engagement '" + *e.followsUpReference + "' is not defined");
        std::set<std::string> findingNumbers;
        for (const auto& f : e.findings) {
            if (f.number.empty()) problems.add(f.origin, "finding number is empty");
            if (!findingNumbers.insert(f.number).second)
                problems.add(f.origin, "finding " + f.number + " is listed twice");
        }
        std::set<int> recNumbers;
        for (const auto& r : e.recommendations) {
            if (r.number <= 0) problems.add(r.origin, "recommendation number must be a positive whole number");
            for (const auto& ref : r.linkedRiskReferences) {
                if (!riskRefs.count(ref) && !session_.risks().findByReference(ref)) {
                    problems.add(r.origin, "linked risk '" + ref + "' is not defined (list it under risks first)");
                }
            }
            if (!recNumbers.insert(r.number).second)
                problems.add(r.origin, "recommendation " + std::to_string(r.number) +
                                           " is listed twice in engagement " + e.engagement.reference);
            std::set<int> actionNumbers;
            for (const auto& a : r.actions) {
                if (a.number <= 0) problems.add(a.origin, "action number must be a positive whole number");
                if (!actionNumbers.insert(a.number).second)
                    problems.add(a.origin, "action " + std::to_string(r.number) + "." + std::to_string(a.number) +
                                               " is listed twice");
                if (a.responsibleGroupName && !groupKnown(*a.responsibleGroupName)) {
                    problems.add(a.origin, "responsible group '" + *a.responsibleGroupName + "' is not defined");
                }
                for (std::size_t i = 1; i < a.revisions.size(); ++i) {
                    if (!(a.revisions[i - 1].newDate.date < a.revisions[i].newDate.date)) {
                        problems.add(a.origin,
                                     "revised target dates must be in order, each later than the one before (" +
                                         a.revisions[i - 1].newDate.iso() + " then " + a.revisions[i].newDate.iso() +
                                         ")");
                    }
                }
                for (const auto& rev : a.revisions) {
                    if (a.originalTargetDate && rev.newDate.date < a.originalTargetDate->date) {
                        problems.add(rev.origin.empty() ? a.origin : rev.origin,
                                     "revised target date " + rev.newDate.iso() +
                                         " is before the original target date " + a.originalTargetDate->iso() +
                                         "; a revision extends a date");
                    }
                }
                for (const auto& u : a.progressUpdates) {
                    if (u.percent && (*u.percent < 0 || *u.percent > 100))
                        problems.add(u.origin, "percent must be between 0 and 100, got " + std::to_string(*u.percent));
                }
            }
        }
    }
    problems.throwIfAny();

    // ---- 2. apply in one transaction ----
    ImportSummary summary;
    Problems conflicts;  // problems only the stored state reveals; reported
                         // together, then rolled back
    try {
        session_.transaction([&] {
            // The store may run this again after a deadlock (Repositories.h): start each attempt clean.
            summary = ImportSummary{};
            conflicts = Problems{};
            AuditTrail* audit = audit_;
            const Actor& actor = actor_;
            // Units: ensure each exists, then set parents (a parent may be listed
            // after its child).
            std::unordered_map<std::string, Id> unitIds;
            auto unitId = [&](const std::string& name) -> Id {
                if (auto it = unitIds.find(name); it != unitIds.end()) return it->second;
                auto found = session_.units().findByName(name);
                return unitIds[name] = found->id;  // validated above
            };
            // Each natural key counts once in the summary, whether created, changed
            // or both.
            std::set<std::string> touchedUnits;
            std::set<std::string> touchedPeople;
            std::set<std::string> touchedGroups;
            for (const auto& u : doc.units) {
                auto existing = session_.units().findByName(u.name);
                if (!existing) {
                    const OrganisationUnit created{ids_.next(), u.name, u.kind, std::nullopt};
                    session_.units().save(created);
                    if (audit) audit->recordUnit(actor, "create", std::nullopt, created);
                    touchedUnits.insert(u.name);
                }
                unitIds[u.name] = existing ? existing->id : session_.units().findByName(u.name)->id;
            }
            for (const auto& u : doc.units) {
                const auto existing = session_.units().findByName(u.name);
                OrganisationUnit wanted = *existing;
                wanted.kind = u.kind;
                if (u.parentName) wanted.parentId = unitId(*u.parentName);
                if (saveIfChanged(existing, wanted)) {
                    session_.units().save(wanted);
                    if (audit) audit->recordUnit(actor, "update", existing, wanted);
                    touchedUnits.insert(u.name);
                }
            }

            // People: named in the document or only as owners (created by role
            // title).
            std::unordered_map<std::string, Id> personIds;
            auto ensurePerson = [&](const std::string& roleTitle) -> Id {
                if (auto it = personIds.find(roleTitle); it != personIds.end()) return it->second;
                if (auto found = session_.people().findByRoleTitle(roleTitle)) return personIds[roleTitle] = found->id;
                Person created;
                created.id = ids_.next();
                created.roleTitle = roleTitle;
                session_.people().save(created);
                if (audit) audit->recordPerson(actor, "create", std::nullopt, created);
                touchedPeople.insert(roleTitle);
                return personIds[roleTitle] = created.id;
            };
            for (const auto& p : doc.people) ensurePerson(p.roleTitle);
            for (const auto& p : doc.people) {
                const auto existing = session_.people().findByRoleTitle(p.roleTitle);
                Person wanted = *existing;
                mergeText(wanted.email, p.email);
                if (p.unitName) wanted.unitId = unitId(*p.unitName);
                if (p.lineManagerRoleTitle) wanted.lineManagerId = ensurePerson(*p.lineManagerRoleTitle);
                wanted.active = p.active;
                if (!p.roles.empty()) wanted.roles = p.roles;
                if (saveIfChanged(existing, wanted)) {
                    session_.people().save(wanted);
                    if (audit) audit->recordPerson(actor, "update", existing, wanted);
                    touchedPeople.insert(wanted.roleTitle);
                }
            }

            summary.units = static_cast<int>(touchedUnits.size());

            // Groups: ensure, then link parent and successor.
            std::unordered_map<std::string, Id> groupIds;
            auto groupId = [&](const std::string& name) -> Id {
                if (auto it = groupIds.find(name); it != groupIds.end()) return it->second;
                return groupIds[name] = session_.groups().findByName(name)->id;
            };
            for (const auto& g : doc.groups) {
                if (!session_.groups().findByName(g.name)) {
                    GovernanceGroup created;
                    created.id = ids_.next();
                    created.name = g.name;
                    created.kind = g.kind;
                    session_.groups().save(created);
                    if (audit) audit->recordGroup(actor, "create", std::nullopt, created);
                    touchedGroups.insert(g.name);
                }
            }
            for (const auto& g : doc.groups) {
                const auto existing = session_.groups().findByName(g.name);
                GovernanceGroup wanted = *existing;
                wanted.kind = g.kind;
                if (g.parentName) wanted.parentId = groupId(*g.parentName);
                mergeText(wanted.purpose, g.purpose);
                mergeText(wanted.remit, g.remit);
                mergeText(wanted.meetingFrequency, g.meetingFrequency);
                mergeText(wanted.quorum, g.quorum);
                mergeOptional(wanted.effectiveFrom, g.effectiveFrom);
                mergeOptional(wanted.effectiveTo, g.effectiveTo);
                if (g.supersededByName) wanted.supersededById = groupId(*g.supersededByName);
                if (!g.members.empty()) {
                    wanted.members.clear();
                    for (const auto& m : g.members)
                        wanted.members.push_back(GroupMember{ensurePerson(m.roleTitle), m.role});
                    // The stores return members chair, secretary, member, then by person id: compare in that
                    // order, or every re-import would look like a change.
                    std::sort(wanted.members.begin(), wanted.members.end(),
                              [](const GroupMember& a, const GroupMember& b) {
                                  return std::pair(static_cast<int>(a.role), a.personId) <
                                         std::pair(static_cast<int>(b.role), b.personId);
                              });
                }
                if (!g.powers.empty()) wanted.powers = g.powers;
                if (saveIfChanged(existing, wanted)) {
                    session_.groups().save(wanted);
                    if (audit) audit->recordGroup(actor, "update", existing, wanted);
                    touchedGroups.insert(g.name);
                }
            }
            summary.groups = static_cast<int>(touchedGroups.size());

            // Closing an action by a group decision (risk accepted, withdrawn) stands only with the decision
            // of a group holding the power for the recommendation's priority (SPEC 4.4; issue 3 item 5).
            const GroupChart chart(session_.groups().list());
            auto checkClosure = [&](const ActionRecord& a, const RecommendationRecord& r, const Recommendation& rec,
                                    const std::optional<Action>& current, Action& action) {
                const std::string name = "action " + std::to_string(r.number) + "." + std::to_string(a.number);
                if (a.closure) {
                    const GovernanceGroup* group = chart.findByName(a.closure->groupName);
                    if (!group) {
                        conflicts.add(a.origin, "decision group '" + a.closure->groupName + "' is not defined");
                        return;
                    }
                    if (!GroupChart::coveringPower(*group, a.closure->power, rec.priority, 0)) {
                        std::string holders;
                        for (const auto* h : chart.holders(a.closure->power, rec.priority, 0))
                            holders += (holders.empty() ? "" : ", ") + h->name;
                        conflicts.add(a.origin,
                                      group->name + " does not hold " + std::string(toString(a.closure->power)) +
                                          " for " + std::string(toString(rec.priority)) + " priority; " +
                                          (holders.empty() ? "no group holds it" : "it is held by " + holders));
                        return;
                    }
                    if (action.closure) return;  // a recorded decision is history: the file cannot rewrite it
                    action.closure = GroupDecision{group->id,
                                                   a.closure->decidedByRoleTitle
                                                       ? std::optional<Id>(ensurePerson(*a.closure->decidedByRoleTitle))
                                                       : std::nullopt,
                                                   a.closure->date, a.closure->power, a.closure->reference};
                }
                const bool closedByGroup =
                    action.status == ActionStatus::kRiskAccepted || action.status == ActionStatus::kWithdrawn;
                const bool statusChanged = !current || current->status != action.status;
                if (closedByGroup && statusChanged && !action.closure) {
                    conflicts.add(a.origin, name + " is " + std::string(toString(action.status)) +
                                                ": give the group decision behind it (decision group and date)");
                }
            };

            for (const auto& r : doc.risks) {
                auto existing = session_.risks().findByReference(r.risk.reference);
                // A plan names a risk by reference, title, description and level; what the risk register
                // holds (scores, owners, parent, ...) stays as it is.
                Risk wanted = existing ? *existing : r.risk;
                if (existing) {
                    wanted.title = r.risk.title;
                    wanted.description = r.risk.description;
                    if (!existing->registerId) wanted.level = r.risk.level;
                }
                wanted.id = existing ? existing->id : ids_.next();
                if (saveIfChanged(existing, wanted)) {
                    session_.risks().save(wanted);
                    if (audit) audit->recordRisk(actor, existing ? "update" : "create", existing, wanted);
                    ++summary.risks;
                }
            }

            // Engagements: ensure each exists first so follows_up can point at one
            // listed later.
            std::set<std::string> createdEngagements;
            for (const auto& e : doc.engagements) {
                if (!session_.engagements().findByReference(e.engagement.reference)) {
                    createdEngagements.insert(e.engagement.reference);
                    summary.changes.push_back("created engagement " + e.engagement.reference);
                    Engagement created;
                    created.id = ids_.next();
                    created.reference = e.engagement.reference;
                    created.title = e.engagement.title.empty() ? e.engagement.reference : e.engagement.title;
                    session_.engagements().save(created);
                    if (audit) audit->recordEngagement(actor, "create", std::nullopt, savedVersion({}, created));
                    ++summary.engagements;
                }
            }
            for (const auto& e : doc.engagements) {
                const auto existing = session_.engagements().findByReference(e.engagement.reference);
                Engagement wanted = *existing;
                const Engagement& given = e.engagement;
                mergeText(wanted.title, given.title);
                mergeText(wanted.auditYear, given.auditYear);
                mergeText(wanted.scope, given.scope);
                mergeList(wanted.remitItems, given.remitItems);
                mergeList(wanted.keyRisks, given.keyRisks);
                mergeOptional(wanted.fieldworkStart, given.fieldworkStart);
                mergeOptional(wanted.fieldworkEnd, given.fieldworkEnd);
                mergeOptional(wanted.draftReportDate, given.draftReportDate);
                mergeOptional(wanted.finalReportDate, given.finalReportDate);
                mergeOptional(wanted.resourceDays, given.resourceDays);
                mergeOptional(wanted.issueDate, given.issueDate);
                mergeOptional(wanted.assuranceLevel, given.assuranceLevel);
                if (e.status) wanted.status = *e.status;
                if (e.followsUpReference)
                    wanted.followsUpId = session_.engagements().findByReference(*e.followsUpReference)->id;
                if (saveIfChanged(existing, wanted)) {
                    session_.engagements().save(wanted);
                    if (audit) audit->recordEngagement(actor, "update", existing, savedVersion(existing, wanted));
                    if (!createdEngagements.count(wanted.reference)) {
                        ++summary.engagements;
                        summary.changes.push_back("updated engagement " + wanted.reference);
                    }
                }

                const auto storedFindings = session_.findings().listByEngagement(wanted.id);
                for (const auto& f : e.findings) {
                    std::optional<Finding> current;
                    for (const auto& stored : storedFindings) {
                        if (stored.number == f.number) current = stored;
                    }
                    Finding finding =
                        current.value_or(Finding{ids_.next(), wanted.id, f.number, f.kind, "", std::nullopt});
                    finding.kind = f.kind;
                    mergeText(finding.text, f.text);
                    mergeOptional(finding.recommendationNumber, f.recommendationNumber);
                    if (saveIfChanged(current, finding)) {
                        session_.findings().save(finding);
                        if (audit) audit->recordFinding(actor, current ? "update" : "create", current, finding);
                    }
                }

                for (const auto& r : e.recommendations) {
                    const auto currentRec = session_.recommendations().findByNumber(wanted.id, r.number);
                    Recommendation rec;
                    if (currentRec) {
                        rec = *currentRec;
                    } else {
                        rec.id = ids_.next();
                        rec.engagementId = wanted.id;
                        rec.number = r.number;
                        rec.title = "Recommendation " + std::to_string(r.number);  // until a file names it
                    }
                    mergeText(rec.title, r.title);
                    mergeText(rec.issue, r.issue);
                    mergeText(rec.risk, r.risk);
                    mergeText(rec.text, r.text);
                    rec.priority = r.priority;
                    if (r.managementResponse) rec.managementResponse = *r.managementResponse;
                    mergeText(rec.responseText, r.responseText);
                    mergeList(rec.linkedRiskReferences, r.linkedRiskReferences);
                    if (saveIfChanged(currentRec, rec)) {
                        session_.recommendations().save(rec);
                        if (audit)
                            audit->recordRecommendation(actor, currentRec ? "update" : "create", currentRec,
                                                        savedVersion(currentRec, rec));
                        ++summary.recommendations;
                        const std::string name =
                            "recommendation " + wanted.reference + " " + std::to_string(rec.number);
                        summary.changes.push_back(currentRec
                                                      ? "updated " + name + ": " + describeChanges(*currentRec, rec)
                                                      : "created " + name);
                    }

                    for (const auto& a : r.actions) {
                        const auto currentAction = session_.actions().findByNumber(rec.id, a.number);
                        Action action;
                        if (currentAction) {
                            action = *currentAction;
                        } else {
                            action.id = ids_.next();
                            action.recommendationId = rec.id;
                            action.number = a.number;
                        }
                        mergeText(action.description, a.description);
                        if (a.leadOwnerRoleTitle) action.leadOwnerId = ensurePerson(*a.leadOwnerRoleTitle);
                        if (!action.leadOwnerId) {
                            conflicts.add(a.origin, "action " + std::to_string(r.number) + "." +
                                                        std::to_string(a.number) +
                                                        " has no lead owner; every action needs one (SPEC 3)");
                        }
                        if (!a.coOwnerRoleTitles.empty()) {
                            action.coOwnerIds.clear();
                            for (const auto& co : a.coOwnerRoleTitles) action.coOwnerIds.push_back(ensurePerson(co));
                        }
                        mergeOptional(action.originalTargetDate, a.originalTargetDate);
                        if (!a.revisions.empty()) {
                            action.revisions.clear();
                            for (const auto& rev : a.revisions) {
                                action.revisions.push_back(
                                    RevisedTargetDate{rev.newDate, rev.reason,
                                                      rev.requestedByRoleTitle
                                                          ? std::optional<Id>(ensurePerson(*rev.requestedByRoleTitle))
                                                          : std::nullopt,
                                                      rev.approvedBy, rev.decisionDate});
                            }
                        }
                        if (a.status && currentAction && !isOpen(currentAction->status) &&
                            *a.status != currentAction->status) {
                            conflicts.add(a.origin,
                                          "action " + std::to_string(r.number) + "." + std::to_string(a.number) +
                                              " is " + std::string(toString(currentAction->status)) +
                                              " in govtrack; an import cannot move a closed "
                                              "action to " +
                                              std::string(toString(*a.status)) + " (use the action workflow)");
                        } else if (a.status && currentAction && *a.status != currentAction->status &&
                                   !(isOpen(*a.status) && statusRank(*a.status) > statusRank(currentAction->status))) {
                            // Only forward moves between open states (not started -> in progress -> implemented)
                            // come from a tracker; anything else is a workflow decision with its own rules.
                            conflicts.add(a.origin,
                                          "action " + std::to_string(r.number) + "." + std::to_string(a.number) +
                                              " is " + std::string(toString(currentAction->status)) +
                                              " in govtrack; an import cannot move it to " +
                                              std::string(toString(*a.status)) + " (use the action workflow)");
                        } else if (a.status) {
                            action.status = *a.status;
                        }
                        if (!a.revisions.empty() && !a.originalTargetDate && action.originalTargetDate &&
                            a.revisions.front().newDate.date < action.originalTargetDate->date) {
                            conflicts.add(a.origin, "revised target date " + a.revisions.front().newDate.iso() +
                                                        " is before the original target date " +
                                                        action.originalTargetDate->iso());
                        }
                        mergeOptional(action.pillar, a.pillar);
                        mergeOptional(action.lineOfDefence, a.lineOfDefence);
                        mergeText(action.auditorAssessment, a.auditorAssessment);
                        if (a.responsibleGroupName) action.responsibleGroupId = groupId(*a.responsibleGroupName);
                        checkClosure(a, r, rec, currentAction, action);
                        if (saveIfChanged(currentAction, action)) {
                            session_.actions().save(action);
                            if (audit)
                                audit->recordAction(actor, currentAction ? "update" : "create", currentAction,
                                                    savedVersion(currentAction, action));
                            ++summary.actions;
                            const std::string name = "action " + wanted.reference + " " + std::to_string(r.number) +
                                                     "." + std::to_string(a.number);
                            summary.changes.push_back(currentAction ? "updated " + name + ": " +
                                                                          describeChanges(*currentAction, action)
                                                                    : "created " + name);
                        }

                        const auto held = session_.progressUpdates().listByAction(action.id);
                        for (const auto& u : a.progressUpdates) {
                            bool already = false;
                            for (const auto& h : held) {
                                if (h.date == u.date && h.text == u.text) already = true;
                            }
                            if (already) continue;
                            const ProgressUpdate added{
                                ids_.next(),
                                action.id,
                                u.date,
                                u.authorRoleTitle ? std::optional<Id>(ensurePerson(*u.authorRoleTitle)) : std::nullopt,
                                u.text,
                                u.percent};
                            session_.progressUpdates().add(added);
                            if (audit) audit->recordProgressUpdate(actor, added);
                            ++summary.progressUpdates;
                            summary.changes.push_back("added progress update to action " + wanted.reference + " " +
                                                      std::to_string(r.number) + "." + std::to_string(a.number) + " (" +
                                                      formatIso(u.date) + ")");
                        }
                    }
                }
            }
            summary.people = static_cast<int>(touchedPeople.size());
            conflicts.throwIfAny();
            if (mode == ImportMode::kDryRun) throw DryRunRollback{};
        });
    } catch (const DryRunRollback&) {
        // the transaction rolled back; the summary says what would have changed
    }
    return summary;
}

}  // namespace govtrack::domain
