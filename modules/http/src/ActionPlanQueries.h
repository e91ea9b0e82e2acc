#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "govtrack/domain/Access.h"
#include "govtrack/domain/Repositories.h"

#include "ApiViews.h"

namespace govtrack::http {

struct RecommendationFilter {
    std::optional<std::string> engagement;  ///< reference
    std::optional<domain::Priority> priority;
    std::optional<domain::RecommendationStatus> status;  ///< derived status
};

struct ActionFilter {
    std::optional<std::string> engagement;  ///< reference
    std::optional<std::string> owner;       ///< lead or co-owner role title, case-insensitive
    std::optional<domain::ActionStatus> status;
    std::optional<bool> overdue;
    std::optional<domain::Priority> priority;  ///< the recommendation's priority
    std::set<domain::Priority> priorities;     ///< any of these (empty: any); the tracker's "High or Medium"
    std::optional<domain::Rag> rag;
    std::optional<std::string> unit;   ///< lead owner's unit name, case-insensitive
    std::optional<std::string> group;  ///< responsible governance group's name, case-insensitive
};

/// The order of an action list: one key, ascending or descending; ties (and `kReference` itself) always
/// fall back to the reference order (engagement reference, recommendation number, action number)
/// ascending, so a sort is stable whatever the key.
struct ActionSort {
    enum class Key { kReference, kDue, kPriority, kStatus, kRag, kDaysOverdue, kOwner, kRevisions };
    Key key = Key::kReference;
    bool descending = false;
};

/// The read side of the API: assembles response views from one session's action plan, with the derived
/// values of SPEC 4.1-4.2 (domain/Rules.h) as of `today`. Reads only (SPEC 6: a read never writes).
/// Every list is in a stable order: engagement reference, recommendation number, action number.
class ActionPlanQueries {
public:
    /// `viewer`: the signed-in principal whose row rules apply (domain::canSeeAction): actions it may not
    /// see are left out, and so are recommendations and engagements with no action it may see (an
    /// engagement it may not see is "not found"). nullptr: every row (command line, reports).
    ActionPlanQueries(domain::StoreSession& session, domain::Date today, const domain::Principal* viewer = nullptr);

    /// Every engagement, by reference, with recommendation counts by priority.
    std::vector<EngagementSummaryView> engagements();

    /// One engagement with its terms of reference, findings, recommendations and actions.
    /// Throws domain::NotFoundError if no engagement has this reference.
    EngagementDetailView engagement(const std::string& reference);

    /// Recommendations matching every given filter. Throws domain::NotFoundError for an unknown engagement.
    std::vector<RecommendationView> recommendations(const RecommendationFilter& filter);

    /// One page (1-based `page`, `perPage` items) of the actions matching every given filter, with the
    /// total number matching. A page past the end is empty. Throws domain::NotFoundError for an unknown
    /// engagement.
    ActionPage actions(const ActionFilter& filter, int page, int perPage, const ActionSort& sort = {});

    /// Every action matching the filter, in `sort` order (the rows an export holds).
    std::vector<ActionView> allActions(const ActionFilter& filter, const ActionSort& sort = {});

private:
    /// loadActionPlan narrowed to what the viewer may see.
    domain::ActionPlanSnapshot load(const domain::ActionPlanFilter& filter);

    domain::StoreSession& session_;
    domain::Date today_;
    const domain::Principal* viewer_;
};

}  // namespace govtrack::http
