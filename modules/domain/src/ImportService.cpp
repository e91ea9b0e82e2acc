#include "govtrack/domain/ImportService.h"

#include <set>
#include <unordered_map>

#include "govtrack/domain/Error.h"

namespace govtrack::domain {

namespace {

/// Collects every validation problem before anything is written.
class Problems {
public:
    void add(const Origin& where, std::string message) { errors_.push_back({where, std::move(message)}); }
    void throwIfAny() const {
        if (errors_.empty()) return;
        throw ValidationError("import refused: " + std::to_string(errors_.size()) +
                                  (errors_.size() == 1 ? " problem" : " problems") + "; nothing was imported",
                              errors_);
    }

private:
    std::vector<FieldError> errors_;
};

/// Merge rules of an import (ActionPlanDocument.h): a value the file states replaces the stored one;
/// an absent one (empty text, empty list, empty optional) leaves it as it is.
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

}  // namespace

ImportSummary ImportService::apply(const ActionPlanDocument& doc) {
    // ---- 1. validate everything, write nothing ----
    Problems problems;
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
            if (!recNumbers.insert(r.number).second)
                problems.add(r.origin, "recommendation " + std::to_string(r.number) + " is listed twice in engagement " +
                                           e.engagement.reference);
            std::set<int> actionNumbers;
            for (const auto& a : r.actions) {
                if (a.number <= 0) problems.add(a.origin, "action number must be a positive whole number");
                if (!actionNumbers.insert(a.number).second)
                    problems.add(a.origin, "action " + std::to_string(r.number) + "." + std::to_string(a.number) +
                                               " is listed twice");
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
    session_.transaction([&] {
        summary = ImportSummary{};  // the store may run this again after a deadlock (Repositories.h)
        // Units: ensure each exists, then set parents (a parent may be listed after its child).
        std::unordered_map<std::string, Id> unitIds;
        auto unitId = [&](const std::string& name) -> Id {
            if (auto it = unitIds.find(name); it != unitIds.end()) return it->second;
            auto found = session_.units().findByName(name);
            return unitIds[name] = found->id;  // validated above
        };
        // Each natural key counts once in the summary, whether created, changed or both.
        std::set<std::string> touchedUnits;
        std::set<std::string> touchedPeople;
        std::set<std::string> touchedGroups;
        for (const auto& u : doc.units) {
            auto existing = session_.units().findByName(u.name);
            if (!existing) {
                session_.units().save(OrganisationUnit{ids_.next(), u.name, u.kind, std::nullopt});
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
                touchedUnits.insert(u.name);
            }
        }

        // People: named in the document or only as owners (created by role title).
        std::unordered_map<std::string, Id> personIds;
        auto ensurePerson = [&](const std::string& roleTitle) -> Id {
            if (auto it = personIds.find(roleTitle); it != personIds.end()) return it->second;
            if (auto found = session_.people().findByRoleTitle(roleTitle)) return personIds[roleTitle] = found->id;
            Person created;
            created.id = ids_.next();
            created.roleTitle = roleTitle;
            session_.people().save(created);
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
            if (saveIfChanged(existing, wanted)) {
                session_.people().save(wanted);
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
            if (saveIfChanged(existing, wanted)) {
                session_.groups().save(wanted);
                touchedGroups.insert(g.name);
            }
        }
        summary.groups = static_cast<int>(touchedGroups.size());

        for (const auto& r : doc.risks) {
            auto existing = session_.risks().findByReference(r.risk.reference);
            Risk wanted = r.risk;
            wanted.id = existing ? existing->id : ids_.next();
            if (saveIfChanged(existing, wanted)) {
                session_.risks().save(wanted);
                ++summary.risks;
            }
        }

        // Engagements: ensure each exists first so follows_up can point at one listed later.
        std::set<std::string> createdEngagements;
        for (const auto& e : doc.engagements) {
            if (!session_.engagements().findByReference(e.engagement.reference)) {
                createdEngagements.insert(e.engagement.reference);
                Engagement created;
                created.id = ids_.next();
                created.reference = e.engagement.reference;
                created.title = e.engagement.title.empty() ? e.engagement.reference : e.engagement.title;
                session_.engagements().save(created);
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
                if (!createdEngagements.count(wanted.reference)) ++summary.engagements;
            }

            const auto storedFindings = session_.findings().listByEngagement(wanted.id);
            for (const auto& f : e.findings) {
                std::optional<Finding> current;
                for (const auto& stored : storedFindings) {
                    if (stored.number == f.number) current = stored;
                }
                Finding finding = current.value_or(Finding{ids_.next(), wanted.id, f.number, f.kind, "", std::nullopt});
                finding.kind = f.kind;
                mergeText(finding.text, f.text);
                mergeOptional(finding.recommendationNumber, f.recommendationNumber);
                if (saveIfChanged(current, finding)) session_.findings().save(finding);
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
                    ++summary.recommendations;
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
                    if (!a.coOwnerRoleTitles.empty()) {
                        action.coOwnerIds.clear();
                        for (const auto& co : a.coOwnerRoleTitles) action.coOwnerIds.push_back(ensurePerson(co));
                    }
                    mergeOptional(action.originalTargetDate, a.originalTargetDate);
                    if (!a.revisions.empty()) {
                        action.revisions.clear();
                        for (const auto& rev : a.revisions) {
                            action.revisions.push_back(RevisedTargetDate{
                                rev.newDate, rev.reason,
                                rev.requestedByRoleTitle ? std::optional<Id>(ensurePerson(*rev.requestedByRoleTitle))
                                                         : std::nullopt,
                                rev.approvedBy, rev.decisionDate});
                        }
                    }
                    if (a.status) action.status = *a.status;
                    mergeOptional(action.pillar, a.pillar);
                    mergeOptional(action.lineOfDefence, a.lineOfDefence);
                    mergeText(action.auditorAssessment, a.auditorAssessment);
                    if (saveIfChanged(currentAction, action)) {
                        session_.actions().save(action);
                        ++summary.actions;
                    }

                    const auto held = session_.progressUpdates().listByAction(action.id);
                    for (const auto& u : a.progressUpdates) {
                        bool already = false;
                        for (const auto& h : held) {
                            if (h.date == u.date && h.text == u.text) already = true;
                        }
                        if (already) continue;
                        session_.progressUpdates().add(ProgressUpdate{
                            ids_.next(), action.id, u.date,
                            u.authorRoleTitle ? std::optional<Id>(ensurePerson(*u.authorRoleTitle)) : std::nullopt,
                            u.text, u.percent});
                        ++summary.progressUpdates;
                    }
                }
            }
        }
        summary.people = static_cast<int>(touchedPeople.size());
    });
    return summary;
}

}  // namespace govtrack::domain
