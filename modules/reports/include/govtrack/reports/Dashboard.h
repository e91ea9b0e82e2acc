#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "govtrack/domain/Repositories.h"

/// The dashboard's figures (SPEC 4.7 "Dashboards: counts and trends as charts"; issue 8 item 8):
/// implementation trend over time rebuilt from the audit trail, overdue ageing by priority, and
/// revised-date counts. Computed from existing data only.
namespace govtrack::reports {

/// The plan as it stood at the end of one day (a month end, or today for the last point).
struct TrendPoint {
    domain::Date date;
    bool recorded = false;  ///< false: the audit trail starts after this day, so nothing is known
    int recommendations = 0;
    int actions = 0;
    int openActions = 0;              ///< not_started or in_progress or implemented (claimed, not verified)
    int implementedClaims = 0;        ///< actions in `implemented`, waiting for the auditor
    int closedActions = 0;            ///< verified, risk_accepted, superseded, withdrawn
    int overdueActions = 0;           ///< open and past their effective due date on that day
    double implementedPercent = 0.0;  ///< recommendations implemented (all actions verified) x 100 / all

    friend bool operator==(const TrendPoint&, const TrendPoint&) = default;
};

/// Open overdue actions by days overdue: 0-30, 31-90, 91-180, >180 (the first bucket starts at 1 day).
struct AgeingBucket {
    std::string label;  ///< "0-30", "31-90", "91-180", ">180"
    int minDays = 0;
    std::optional<int> maxDays;
    std::map<domain::Priority, int> byPriority;  ///< every priority, zero if none
    int total = 0;
};

struct RevisionCounts {
    std::map<std::string, std::map<domain::Priority, int>> actionsByRevisions;  ///< "0","1","2","3+" -> priority
    int revisedActions = 0;     ///< open or closed actions with at least one approved revised date
    int approvedRevisions = 0;  ///< approved revised target dates over all actions
    int twoOrMore = 0;          ///< actions revised two or more times (Amber by SPEC 4.2 while open)
    int pendingRequests = 0;    ///< revised-date requests waiting for a decision
    int totalSlipDays = 0;      ///< sum of total slip over all actions
};

struct Dashboard {
    domain::Date asOf;
    std::vector<TrendPoint> trend;  ///< oldest first; month ends, then `asOf`
    std::vector<AgeingBucket> ageing;
    RevisionCounts revisions;
};

/// Builds the dashboard as of `today` through one read-only session. The trend has one point per month
/// end for the `months` months before today's month, then today; each past point is the plan rebuilt
/// from the audit trail at the end of that day (`endOfDayUtc(date)`: the next day's local midnight as
/// UTC ISO text, platform::endOfDayUtc), as buildTrend computes it. `engagement` restricts everything to
/// one engagement (NotFoundError if unknown). Cost: one current-state plan plus one pass over the trail.
Dashboard buildDashboard(domain::StoreSession& session, domain::Date today, int months,
                         const std::function<std::string(domain::Date)>& endOfDayUtc,
                         const std::optional<std::string>& engagement = std::nullopt);

/// The trend's past points: one per month end for the `months` months before today's month, oldest first,
/// each the figures of the plan as it stood at the end of that day (loadActionPlanAsOf at `endOfDayUtc(date)`,
/// then buildFollowUpReport on that date); recorded=false for a month end before the trail's first event;
/// recorded with zero figures if `engagement` named no engagement then (matched as findEngagement).
/// One ascending pass over the engagement, recommendation and action events (EventRepository::scanStates)
/// that advances the states month end by month end, decoding each changed state once per point; a point an
/// out-of-order event reaches after it was taken (an earlier `at` than an event before it: clocks of two
/// instances, or one set back) is rebuilt as buildTrendByRebuild does. Memory: one plan's states.
std::vector<TrendPoint> buildTrend(domain::StoreSession& session, domain::Date today, int months,
                                   const std::function<std::string(domain::Date)>& endOfDayUtc,
                                   const std::optional<std::string>& engagement = std::nullopt);

/// The same points by definition: one latestBefore + rebuildActionPlan + buildFollowUpReport per month end.
/// The reference buildTrend is tested against; cost grows with `months` x the trail (seconds per point on a
/// million events).
std::vector<TrendPoint> buildTrendByRebuild(domain::StoreSession& session, domain::Date today, int months,
                                            const std::function<std::string(domain::Date)>& endOfDayUtc,
                                            const std::optional<std::string>& engagement = std::nullopt);

/// {"as_of", "trend":[{date, recorded, recommendations, actions, open_actions, implemented_claims,
/// closed_actions, overdue_actions, implemented_percent}], "ageing":[{label, min_days, max_days,
/// by_priority:{high,medium,low}, total}], "revisions":{actions_by_revisions:{"0":{high,medium,low},...},
/// revised_actions, approved_revisions, two_or_more, pending_requests, total_slip_days}}.
std::string renderDashboardJson(const Dashboard& dashboard);

/// A readable fixed-width rendering for a terminal (`govtrack report dashboard`): the trend table (one row
/// per point, "not recorded" before the trail starts), the ageing table by priority, then the revision counts.
std::string renderDashboardTable(const Dashboard& dashboard);

}  // namespace govtrack::reports
