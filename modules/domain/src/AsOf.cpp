#include "govtrack/domain/AsOf.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "govtrack/domain/AuditCodec.h"
#include "govtrack/domain/Error.h"

namespace govtrack::domain {

std::vector<std::string> actionPlanEntityTypes() {
    return {std::string(audit_entity::kEngagement), std::string(audit_entity::kRecommendation),
            std::string(audit_entity::kAction),     std::string(audit_entity::kProgressUpdate),
            std::string(audit_entity::kPerson),     std::string(audit_entity::kUnit)};
}

const Engagement* findEngagementIn(const std::vector<Engagement>& byReference, const std::string& reference) {
    const Engagement* found = nullptr;
    for (const auto& g : byReference) {
        if (g.reference == reference) found = &g;
    }
    for (const auto& g : byReference) {
        if (!found && foldNaturalKey(g.reference) == foldNaturalKey(reference)) found = &g;
    }
    return found;
}

ActionPlanSnapshot rebuildActionPlan(const std::vector<AuditEvent>& latest, Date asOf, const ActionPlanFilter& filter) {
    std::vector<Engagement> engagements;
    std::vector<Recommendation> recommendations;
    std::vector<Action> actions;
    std::vector<ProgressUpdate> updates;  // ascending seq: the order they were added
    ActionPlanSnapshot snap;
    for (const AuditEvent& e : latest) {
        if (e.after.empty()) continue;  // a recorded deletion
        if (e.entityType == audit_entity::kEngagement)
            engagements.push_back(decodeEngagement(e.after));
        else if (e.entityType == audit_entity::kRecommendation)
            recommendations.push_back(decodeRecommendation(e.after));
        else if (e.entityType == audit_entity::kAction)
            actions.push_back(decodeAction(e.after));
        else if (e.entityType == audit_entity::kProgressUpdate)
            updates.push_back(decodeProgressUpdate(e.after));
        else if (e.entityType == audit_entity::kPerson)
            snap.people.push_back(decodePerson(e.after));
        else if (e.entityType == audit_entity::kUnit)
            snap.units.push_back(decodeUnit(e.after));
    }

    std::sort(engagements.begin(), engagements.end(),
              [](const Engagement& a, const Engagement& b) { return a.reference < b.reference; });
    if (filter.engagementReference) {
        const Engagement* found = findEngagementIn(engagements, *filter.engagementReference);
        if (!found) {
            throw NotFoundError("No engagement had the reference '" + *filter.engagementReference + "' on " +
                                formatIso(asOf) + ".");
        }
        snap.engagements.push_back(*found);
    } else {
        snap.engagements = std::move(engagements);
    }

    std::map<Id, const Engagement*> engagementById;
    for (const auto& g : snap.engagements) engagementById[g.id] = &g;
    for (auto& r : recommendations) {
        if (engagementById.count(r.engagementId)) snap.recommendations.push_back(std::move(r));
    }
    std::sort(snap.recommendations.begin(), snap.recommendations.end(),
              [&](const Recommendation& a, const Recommendation& b) {
                  return std::tie(engagementById[a.engagementId]->reference, a.number) <
                         std::tie(engagementById[b.engagementId]->reference, b.number);
              });
    std::map<Id, bool> recommendationKept;
    for (const auto& r : snap.recommendations) recommendationKept[r.id] = true;
    for (auto& a : actions) {
        if (recommendationKept.count(a.recommendationId)) snap.actions.push_back(std::move(a));
    }
    // As the stores order them: by recommendation id, then number.
    std::sort(snap.actions.begin(), snap.actions.end(), [](const Action& a, const Action& b) {
        return std::tie(a.recommendationId, a.number) < std::tie(b.recommendationId, b.number);
    });
    std::map<Id, bool> actionKept;
    for (const auto& a : snap.actions) actionKept[a.id] = true;
    for (auto& u : updates) {
        if (!actionKept.count(u.actionId) || asOf < u.date) continue;
        auto it = snap.lastUpdates.find(u.actionId);
        // The latest date wins; of several on one date, the one added last (stores: rowid / seq).
        if (it == snap.lastUpdates.end() || !(u.date < it->second.date)) snap.lastUpdates[u.actionId] = std::move(u);
    }
    std::sort(snap.people.begin(), snap.people.end(),
              [](const Person& a, const Person& b) { return a.roleTitle < b.roleTitle; });
    std::sort(snap.units.begin(), snap.units.end(),
              [](const OrganisationUnit& a, const OrganisationUnit& b) { return a.name < b.name; });
    return snap;
}

ActionPlanSnapshot loadActionPlanAsOf(EventRepository& events, const std::string& cutoffUtc, Date asOf,
                                      const ActionPlanFilter& filter) {
    return rebuildActionPlan(events.latestBefore(cutoffUtc, actionPlanEntityTypes()), asOf, filter);
}

GovernanceAsOf loadGovernanceAsOf(EventRepository& events, const std::string& cutoffUtc) {
    GovernanceAsOf out;
    for (const auto& e : events.latestBefore(cutoffUtc, {"group", "revision_request"})) {
        if (e.after.empty()) continue;  // deleted
        if (e.entityType == "group") {
            out.groups.push_back(decodeGroup(e.after));
        } else {
            auto request = decodeRevisionRequest(e.after);
            if (request.status == RequestStatus::kPending) out.pending.push_back(std::move(request));
        }
    }
    std::stable_sort(out.pending.begin(), out.pending.end(), [](const RevisionRequest& a, const RevisionRequest& b) {
        return std::pair(std::chrono::sys_days{a.requestedOn}, a.id) <
               std::pair(std::chrono::sys_days{b.requestedOn}, b.id);
    });
    return out;
}

}  // namespace govtrack::domain
