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
/// UTC ISO text, platform::endOfDayUtc). `engagement` restricts everything to one engagement
/// (NotFoundError if unknown). Cost: one audit-trail rebuild per past point.
Dashboard buildDashboard(domain::StoreSession& session, domain::Date today, int months,
                         const std::function<std::string(domain::Date)>& endOfDayUtc,
                         const std::optional<std::string>& engagement = std::nullopt);

/// {"as_of", "trend":[{date, recorded, recommendations, actions, open_actions, implemented_claims,
/// closed_actions, overdue_actions, implemented_percent}], "ageing":[{label, min_days, max_days,
/// by_priority:{high,medium,low}, total}], "revisions":{actions_by_revisions:{"0":{high,medium,low},...},
/// revised_actions, approved_revisions, two_or_more, pending_requests, total_slip_days}}.
std::string renderDashboardJson(const Dashboard& dashboard);

}  // namespace govtrack::reports
