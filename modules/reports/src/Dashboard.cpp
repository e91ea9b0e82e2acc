#include "govtrack/reports/Dashboard.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iomanip>
#include <set>
#include <sstream>
#include <string_view>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "govtrack/domain/AsOf.h"
#include "govtrack/domain/AuditCodec.h"
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

/// The month ends of the trend, oldest first, and their cut-offs (the start of the next day, UTC ISO).
struct MonthEnds {
    std::vector<d::Date> dates;
    std::vector<std::string> cutoffs;
};

MonthEnds monthEnds(d::Date today, int months, const std::function<std::string(d::Date)>& endOfDayUtc) {
    MonthEnds out;
    for (int offset = months; offset >= 1; --offset) {
        const d::Date date = monthEndBefore(today, offset);
        out.dates.push_back(date);
        out.cutoffs.push_back(endOfDayUtc ? endOfDayUtc(date)
                                          : d::formatUtc(std::chrono::sys_days{date} + std::chrono::days{1}));
    }
    return out;
}

/// Whether the trail holds anything before `cutoff` (its first event, by seq, is earlier).
bool recordedBefore(const std::vector<d::AuditEvent>& first, const std::string& cutoff) {
    return !first.empty() && first.front().at < cutoff;
}

TrendPoint unrecorded(d::Date date) {
    TrendPoint point;
    point.date = date;
    return point;
}

/// One past point the slow way: the plan rebuilt from each entity's latest event before `cutoff`.
TrendPoint pointByRebuild(d::StoreSession& session, d::Date date, const std::string& cutoff,
                          const std::optional<std::string>& engagement) {
    try {
        const auto snapshot = d::loadActionPlanAsOf(session.events(), cutoff, date, {engagement, false});
        return pointOf(buildFollowUpReport(snapshot, date, engagement), date);
    } catch (const d::NotFoundError&) {
        TrendPoint point = unrecorded(date);  // the engagement did not exist yet on that day
        point.recorded = true;
        return point;
    }
}

/// Entities of one type as replayed from the trail so far: each one's latest after-state, decoded only
/// when a point needs it and only if it changed since (an action moved three times in a month is decoded once).
/// Entities are numbered in the order first seen (an id a parent link names may be seen before its entity).
template <typename T>
class Replayed {
public:
    using Decode = T (*)(const std::string&);

    explicit Replayed(Decode decode) : decode_(decode) { index_.reserve(1024); }

    /// The number of `id`, numbering it (absent so far) if it is new.
    std::size_t indexOf(std::string_view id) {
        if (const auto it = index_.find(id); it != index_.end()) return it->second;
        index_.emplace(std::string(id), latest_.size());
        latest_.emplace_back();
        values_.emplace_back();
        return latest_.size() - 1;
    }

    void apply(const d::EventStateView& e) {
        const std::size_t i = indexOf(e.entityId);
        Latest& latest = latest_[i];
        if (e.after.empty()) {  // a recorded deletion: absent from every later point, unless created again
            latest.present = false;
            latest.stale = false;
            return;
        }
        latest.present = true;
        latest.text.assign(e.after);  // into the capacity the entity's earlier states left
        if (!latest.stale) {
            latest.stale = true;
            changed_.push_back(i);
        }
    }

    /// Decodes every state that changed since the last call, calling `decoded(index)` after each.
    template <typename F>
    void refresh(F decoded) {
        for (const std::size_t i : changed_) {
            Latest& latest = latest_[i];
            if (!latest.stale) continue;  // deleted since, or listed twice
            values_[i] = decode_(latest.text);
            latest.stale = false;
            decoded(i);
        }
        changed_.clear();
    }

    std::size_t size() const { return latest_.size(); }
    bool present(std::size_t i) const { return latest_[i].present; }
    const T& value(std::size_t i) const { return values_[i]; }  ///< after refresh, for a present one

private:
    /// What the pass writes per event, kept apart from the decoded values (smaller, so fewer cache misses).
    struct Latest {
        std::string text;  ///< the latest after-state (decoded into values_ when a point needs it)
        bool present = false;
        bool stale = false;
    };
    /// Hashes std::string and std::string_view alike, so a row's id is looked up without a copy.
    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
    };

    Decode decode_;
    std::unordered_map<std::string, std::size_t, Hash, std::equal_to<>> index_;
    std::vector<Latest> latest_;
    std::vector<T> values_;
    std::vector<std::size_t> changed_;
};

/// The plan replayed from the trail: engagements, recommendations and actions, with each one's parent (by
/// number) as its latest state names it.
class ReplayedPlan {
public:
    void apply(const d::EventStateView& e) {
        if (e.entityType == d::audit_entity::kAction)
            actions_.apply(e);
        else if (e.entityType == d::audit_entity::kRecommendation)
            recommendations_.apply(e);
        else if (e.entityType == d::audit_entity::kEngagement)
            engagements_.apply(e);
    }

    /// The trend figures of the plan now, at the end of `date`: the same as pointOf(buildFollowUpReport(
    /// rebuildActionPlan(...))) on the same states (DashboardTrendTest holds the two to each other), without
    /// building the snapshot or the report rows.
    TrendPoint point(d::Date date, const std::optional<std::string>& engagement) {
        engagements_.refresh([](std::size_t) {});
        recommendations_.refresh([&](std::size_t i) {
            const d::Id& parent = recommendations_.value(i).engagementId;
            grow(engagementOf_, i + 1);
            engagementOf_[i] = engagements_.indexOf(parent);
        });
        actions_.refresh([&](std::size_t i) {
            const d::Id& parent = actions_.value(i).recommendationId;
            grow(recommendationOf_, i + 1);
            recommendationOf_[i] = recommendations_.indexOf(parent);
        });

        TrendPoint point = unrecorded(date);
        point.recorded = true;
        std::vector<char> engagementKept(engagements_.size(), 0);
        if (engagement) {  // the one engagement the filter names, found as rebuildActionPlan finds it
            std::vector<d::Engagement> byReference;
            for (std::size_t i = 0; i < engagements_.size(); ++i) {
                if (engagements_.present(i)) byReference.push_back(engagements_.value(i));
            }
            std::sort(byReference.begin(), byReference.end(),
                      [](const d::Engagement& a, const d::Engagement& b) { return a.reference < b.reference; });
            const d::Engagement* found = d::findEngagementIn(byReference, *engagement);
            if (!found) return point;  // the engagement did not exist yet on that day
            engagementKept[engagements_.indexOf(found->id)] = 1;
        } else {
            for (std::size_t i = 0; i < engagements_.size(); ++i) engagementKept[i] = engagements_.present(i);
        }
        std::vector<char> recommendationKept(recommendations_.size(), 0);
        for (std::size_t i = 0; i < recommendations_.size(); ++i) {
            recommendationKept[i] = recommendations_.present(i) && engagementKept[engagementOf_[i]];
        }
        actionsOf_.resize(recommendations_.size());
        for (auto& list : actionsOf_) list.clear();
        for (std::size_t i = 0; i < actions_.size(); ++i) {
            if (!actions_.present(i) || !recommendationKept[recommendationOf_[i]]) continue;
            const d::Action& a = actions_.value(i);
            actionsOf_[recommendationOf_[i]].push_back(&a);
            ++point.actions;
            if (d::isOpen(a.status)) {
                ++point.openActions;
                if (a.status == d::ActionStatus::kImplemented) ++point.implementedClaims;
                if (d::isOverdue(a, date)) ++point.overdueActions;
            } else {
                ++point.closedActions;
            }
        }
        int implemented = 0;
        for (std::size_t i = 0; i < recommendations_.size(); ++i) {
            if (!recommendationKept[i]) continue;
            ++point.recommendations;
            if (d::recommendationStatus(recommendations_.value(i), actionsOf_[i]) ==
                d::RecommendationStatus::kImplemented) {
                ++implemented;
            }
        }
        if (point.recommendations > 0) {  // as buildFollowUpReport's implementedPercent
            const double pct = 100.0 * implemented / point.recommendations;
            point.implementedPercent = std::round(pct * 10.0) / 10.0;
        }
        return point;
    }

private:
    static void grow(std::vector<std::size_t>& v, std::size_t n) {
        if (v.size() < n) v.resize(n, 0);
    }

    Replayed<d::Engagement> engagements_{&d::decodeEngagement};
    Replayed<d::Recommendation> recommendations_{&d::decodeRecommendation};
    Replayed<d::Action> actions_{&d::decodeAction};
    std::vector<std::size_t> engagementOf_;                 ///< recommendation number -> engagement number
    std::vector<std::size_t> recommendationOf_;             ///< action number -> recommendation number
    std::vector<std::vector<const d::Action*>> actionsOf_;  ///< by recommendation number, for one point
};

}  // namespace

std::vector<TrendPoint> buildTrendByRebuild(d::StoreSession& session, d::Date today, int months,
                                            const std::function<std::string(d::Date)>& endOfDayUtc,
                                            const std::optional<std::string>& engagement) {
    const auto ends = monthEnds(today, months, endOfDayUtc);
    const auto first = session.events().list(1, 1);
    std::vector<TrendPoint> trend;
    for (std::size_t i = 0; i < ends.dates.size(); ++i) {
        trend.push_back(recordedBefore(first, ends.cutoffs[i])
                            ? pointByRebuild(session, ends.dates[i], ends.cutoffs[i], engagement)
                            : unrecorded(ends.dates[i]));  // before the trail starts: nothing is known
    }
    return trend;
}

std::vector<TrendPoint> buildTrend(d::StoreSession& session, d::Date today, int months,
                                   const std::function<std::string(d::Date)>& endOfDayUtc,
                                   const std::optional<std::string>& engagement) {
    const auto ends = monthEnds(today, months, endOfDayUtc);
    const std::size_t n = ends.dates.size();
    std::vector<TrendPoint> trend;
    for (const auto& date : ends.dates) trend.push_back(unrecorded(date));
    const auto first = session.events().list(1, 1);
    if (n == 0 || !recordedBefore(first, ends.cutoffs.back())) return trend;  // nothing recorded by the last one

    // One pass in seq order. Point i is taken when the first event at or after its cut-off arrives (the
    // events so far are then each entity's latest before it), or at the end. An event that arrives after
    // points it belongs to were taken (its `at` is earlier than an event before it: clocks of two instances,
    // or a clock set back) makes those points stale; they are rebuilt the slow way afterwards.
    ReplayedPlan plan;
    std::vector<bool> stale(n, false);
    std::size_t next = 0;
    auto take = [&](std::size_t i) {
        if (recordedBefore(first, ends.cutoffs[i])) trend[i] = plan.point(ends.dates[i], engagement);
    };
    // People, units and progress updates change none of the trend's figures.
    const std::vector<std::string> types = {std::string(d::audit_entity::kEngagement),
                                            std::string(d::audit_entity::kRecommendation),
                                            std::string(d::audit_entity::kAction)};
    session.events().scanStates(ends.cutoffs.back(), types, [&](const d::EventStateView& e) {
        // The first point whose cut-off is after this event: it belongs to that point and every later one.
        const auto belongs = static_cast<std::size_t>(std::upper_bound(ends.cutoffs.begin(), ends.cutoffs.end(), e.at) -
                                                      ends.cutoffs.begin());
        for (; next < belongs && next < n; ++next) take(next);
        for (std::size_t i = belongs; i < next; ++i) stale[i] = true;
        plan.apply(e);
    });
    for (; next < n; ++next) take(next);
    for (std::size_t i = 0; i < n; ++i) {
        if (stale[i] && trend[i].recorded)
            trend[i] = pointByRebuild(session, ends.dates[i], ends.cutoffs[i], engagement);
    }
    return trend;
}

Dashboard buildDashboard(d::StoreSession& session, d::Date today, int months,
                         const std::function<std::string(d::Date)>& endOfDayUtc,
                         const std::optional<std::string>& engagement) {
    Dashboard dashboard;
    dashboard.asOf = today;
    const auto current = buildFollowUpReport(session.loadActionPlan({engagement, false}), today, engagement);

    // Trend: month ends before this month, oldest first (one pass over the audit trail), then today.
    dashboard.trend = buildTrend(session, today, months, endOfDayUtc, engagement);
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

std::string renderDashboardTable(const Dashboard& dashboard) {
    std::ostringstream o;
    o << "Dashboard as of " << d::formatUk(dashboard.asOf) << "\n\nImplementation trend (end of each day)\n"
      << std::left << std::setw(12) << "Date" << std::right << std::setw(8) << "Recs" << std::setw(9) << "Actions"
      << std::setw(8) << "Open" << std::setw(9) << "Claimed" << std::setw(8) << "Closed" << std::setw(9) << "Overdue"
      << std::setw(13) << "Implemented"
      << "\n";
    for (const auto& p : dashboard.trend) {
        o << std::left << std::setw(12) << d::formatUk(p.date) << std::right;
        if (!p.recorded) {
            o << "  not recorded (the audit trail starts later)\n";
            continue;
        }
        std::ostringstream percent;
        percent << std::fixed << std::setprecision(1) << p.implementedPercent << "%";
        o << std::setw(8) << p.recommendations << std::setw(9) << p.actions << std::setw(8) << p.openActions
          << std::setw(9) << p.implementedClaims << std::setw(8) << p.closedActions << std::setw(9) << p.overdueActions
          << std::setw(13) << percent.str() << "\n";
    }
    o << "\nOverdue ageing (open overdue actions by days overdue and priority)\n"
      << std::left << std::setw(10) << "Days" << std::right << std::setw(8) << "High" << std::setw(8) << "Medium"
      << std::setw(8) << "Low" << std::setw(8) << "Total"
      << "\n";
    for (const auto& b : dashboard.ageing) {
        o << std::left << std::setw(10) << b.label << std::right;
        for (auto p : kPriorities) {
            const auto it = b.byPriority.find(p);
            o << std::setw(8) << (it == b.byPriority.end() ? 0 : it->second);
        }
        o << std::setw(8) << b.total << "\n";
    }
    const auto& r = dashboard.revisions;
    o << "\nActions by approved revised target dates and priority\n"
      << std::left << std::setw(10) << "Revisions" << std::right << std::setw(8) << "High" << std::setw(8) << "Medium"
      << std::setw(8) << "Low"
      << "\n";
    for (const auto& [label, counts] : r.actionsByRevisions) {
        o << std::left << std::setw(10) << label << std::right;
        for (auto p : kPriorities) {
            const auto it = counts.find(p);
            o << std::setw(8) << (it == counts.end() ? 0 : it->second);
        }
        o << "\n";
    }
    o << "Revised actions: " << r.revisedActions << "; approved revisions: " << r.approvedRevisions
      << "; revised two or more times: " << r.twoOrMore << "; requests pending: " << r.pendingRequests
      << "; total slip: " << r.totalSlipDays << " days\n";
    return o.str();
}

}  // namespace govtrack::reports
