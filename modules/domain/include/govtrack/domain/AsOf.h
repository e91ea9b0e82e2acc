#pragma once

#include <string>
#include <vector>

#include "govtrack/domain/AuditTrail.h"
#include "govtrack/domain/Repositories.h"

/// Reports as they stood on a past date (SPEC 4.7 "As-of"), rebuilt from the audit trail: every event
/// carries the entity's full state after the change, so the state at a moment is each entity's latest
/// event before it.
namespace govtrack::domain {

/// The entity types an action plan snapshot is rebuilt from.
std::vector<std::string> actionPlanEntityTypes();

/// The engagement `reference` names among `byReference` (sorted by reference): exactly, else by
/// foldNaturalKey, as rebuildActionPlan applies ActionPlanFilter::engagementReference. nullptr if none.
const Engagement* findEngagementIn(const std::vector<Engagement>& byReference, const std::string& reference);

/// Rebuilds the plan from `latest` (each entity's latest event before the cutoff, as
/// EventRepository::latestBefore returns them). An entity whose latest event has no after-state was
/// deleted and is left out; entities first recorded after the cutoff are absent from `latest` and so from
/// the plan. Progress updates dated after `asOf` are left out. Orders and filters like
/// StoreSession::loadActionPlan, and throws NotFoundError as it does when the filter names an engagement
/// that did not exist then. Pure: no I/O.
ActionPlanSnapshot rebuildActionPlan(const std::vector<AuditEvent>& latest, Date asOf, const ActionPlanFilter& filter);

/// Reads events.latestBefore(cutoffUtc, actionPlanEntityTypes()) and rebuilds the plan as it stood at the
/// end of `asOf`. `cutoffUtc` is the start of the day after `asOf` in the organisation's zone, as UTC
/// ("2024-07-01T23:00:00Z" for 2024-07-01 in London in summer; platform::endOfDayUtc computes it).
ActionPlanSnapshot loadActionPlanAsOf(EventRepository& events, const std::string& cutoffUtc, Date asOf,
                                      const ActionPlanFilter& filter);

/// The governance groups and the revised-date requests still pending, as they stood before `cutoffUtc`
/// (each one's latest event), for meeting packs of a past date.
struct GovernanceAsOf {
    std::vector<GovernanceGroup> groups;
    std::vector<RevisionRequest> pending;  ///< oldest first
};
GovernanceAsOf loadGovernanceAsOf(EventRepository& events, const std::string& cutoffUtc);

}  // namespace govtrack::domain
