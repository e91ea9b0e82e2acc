#include "govtrack/reports/Dashboard.h"

#include <chrono>
#include <set>

#include <nlohmann/json.hpp>

#include "govtrack/domain/AsOf.h"
#include "govtrack/domain/AuditTrail.h"
#include "govtrack/domain/Error.h"
#include "govtrack/domain/Rules.h"
#include "govtrack/reports/FollowUpReport.h"

namespace govtrack::reports {
namespace {

namespace d = govtrack::domain;

const d::Priority kPriorities[] = {d::Priority::kHigh, d::Priority::kMedium, d::Priority::kLow};

std::map<d::Priority, int> zeroByPriority() {
    return {{d::Priority::kHigh, 0}, {d::Priority::kMedium, 0}, {d::Priority::kLow, 0}};
}

TrendPoint pointOf(const FollowUpReport& report, d::Date date) {
    TrendPoint point;
    point.date = date;
    point.recorded = true;
    point.recommendations = report.totals.recommendations;
    point.implementedPercent = report.totals.implementedPercent;
    for (const auto& recommendation : report.recommendations) {
        for (const auto& action : recommendation.actions) {
            ++point.actions;
            if (d::isOpen(action.status)) {
                ++point.openActions;
                if (action.status == d::ActionStatus::kImplemented) ++point.implementedClaims;
                if (action.overdue) ++point.overdueActions;
            } else {
                ++point.closedActions;
            }
        }
    }
    return point;
}

/// The last day of the month `offset` months before `date`'s month.
d::Date monthEndBefore(d::Date date, int offset) {
    using namespace std::chrono;
    const year_month month = year_month{date.year(), date.month()} - months{offset};
    return year_month_day{year_month_day_last{month.year(), month_day_last{month.month()}}};
}

nlohmann::json priorities(const std::map<d::Priority, int>& counts) {
    nlohmann::json out = nlohmann::json::object();
    for (auto p : kPriorities) {
        const auto it = counts.find(p);
        out[std::string(d::toString(p))] = it == counts.end() ? 0 : it->second;
    }
    return out;
}

}  // namespace

Dashboard buildDashboard(d::StoreSession& session, d::Date today, int months,
                         const std::function<std::string(d::Date)>& endOfDayUtc,
                         const std::optional<std::string>& engagement) {
    Dashboard dashboard;
    dashboard.asOf = today;
    const auto current = buildFollowUpReport(session.loadActionPlan({engagement, false}), today, engagement);

    // Trend: month ends before this month, oldest first, then today; each rebuilt from the audit trail.
    const auto first = session.events().list(1, 1);
    for (int offset = months; offset >= 1; --offset) {
        const d::Date date = monthEndBefore(today, offset);
        const std::string cutoff =
            endOfDayUtc ? endOfDayUtc(date) : d::formatUtc(std::chrono::sys_days{date} + std::chrono::days{1});
        if (first.empty() || first.front().at >= cutoff) {
            TrendPoint point;
            point.date = date;
            dashboard.trend.push_back(point);  // before the trail starts: nothing is known
            continue;
        }
        try {
            const auto snapshot = d::loadActionPlanAsOf(session.events(), cutoff, date, {engagement, false});
            dashboard.trend.push_back(pointOf(buildFollowUpReport(snapshot, date, engagement), date));
        } catch (const d::NotFoundError&) {
            TrendPoint point;  // the engagement did not exist yet on that day
            point.date = date;
            point.recorded = true;
            dashboard.trend.push_back(point);
        }
    }
    dashboard.trend.push_back(pointOf(current, today));

    // Overdue ageing by priority (SPEC 4.2 days overdue).
    dashboard.ageing = {{"0-30", 1, 30, zeroByPriority(), 0},
                        {"31-90", 31, 90, zeroByPriority(), 0},
                        {"91-180", 91, 180, zeroByPriority(), 0},
                        {">180", 181, std::nullopt, zeroByPriority(), 0}};
    auto& revisions = dashboard.revisions;
    for (const char* label : {"0", "1", "2", "3+"}) revisions.actionsByRevisions[label] = zeroByPriority();
    std::set<d::Id> actionIds;
    for (const auto& recommendation : current.recommendations) {
        for (const auto& action : recommendation.actions) {
            actionIds.insert(action.id);
            if (action.overdue) {
                for (auto& bucket : dashboard.ageing) {
                    if (action.daysOverdue >= bucket.minDays &&
                        (!bucket.maxDays || action.daysOverdue <= *bucket.maxDays)) {
                        ++bucket.byPriority[recommendation.priority];
                        ++bucket.total;
                        break;
                    }
                }
            }
            const std::string label = action.revisions >= 3 ? "3+" : std::to_string(action.revisions);
            ++revisions.actionsByRevisions[label][recommendation.priority];
            if (action.revisions > 0) ++revisions.revisedActions;
            if (action.revisions >= 2) ++revisions.twoOrMore;
            revisions.approvedRevisions += action.revisions;
            revisions.totalSlipDays += action.totalSlipDays;
        }
    }
    for (const auto& request : session.revisionRequests().listPending(std::nullopt)) {
        if (actionIds.count(request.actionId)) ++revisions.pendingRequests;
    }
    return dashboard;
}

std::string renderDashboardJson(const Dashboard& dashboard) {
    nlohmann::json trend = nlohmann::json::array();
    for (const auto& p : dashboard.trend) {
        nlohmann::json point = {{"date", d::formatIso(p.date)}, {"recorded", p.recorded}};
        if (p.recorded) {
            point.update({{"recommendations", p.recommendations},
                          {"actions", p.actions},
                          {"open_actions", p.openActions},
                          {"implemented_claims", p.implementedClaims},
                          {"closed_actions", p.closedActions},
                          {"overdue_actions", p.overdueActions},
                          {"implemented_percent", p.implementedPercent}});
        } else {
            for (const char* key : {"recommendations", "actions", "open_actions", "implemented_claims",
                                    "closed_actions", "overdue_actions", "implemented_percent"}) {
                point[key] = nullptr;
            }
        }
        trend.push_back(std::move(point));
    }
    nlohmann::json ageing = nlohmann::json::array();
    for (const auto& b : dashboard.ageing) {
        ageing.push_back({{"label", b.label},
                          {"min_days", b.minDays},
                          {"max_days", b.maxDays ? nlohmann::json(*b.maxDays) : nlohmann::json(nullptr)},
                          {"by_priority", priorities(b.byPriority)},
                          {"total", b.total}});
    }
    const auto& r = dashboard.revisions;
    nlohmann::json byRevisions = nlohmann::json::object();
    for (const auto& [label, counts] : r.actionsByRevisions) byRevisions[label] = priorities(counts);
    const nlohmann::json body = {{"report", "dashboard"},
                                 {"as_of", d::formatIso(dashboard.asOf)},
                                 {"trend", trend},
                                 {"ageing", ageing},
                                 {"revisions",
                                  {{"actions_by_revisions", byRevisions},
                                   {"revised_actions", r.revisedActions},
                                   {"approved_revisions", r.approvedRevisions},
                                   {"two_or_more", r.twoOrMore},
                                   {"pending_requests", r.pendingRequests},
                                   {"total_slip_days", r.totalSlipDays}}}};
    return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace govtrack::reports
