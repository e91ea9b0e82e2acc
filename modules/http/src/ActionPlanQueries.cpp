#include "ActionPlanQueries.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <limits>
#include <map>
#include <set>
#include <tuple>

#include "govtrack/domain/Error.h"
#include "govtrack/domain/Rules.h"
#include "govtrack/reports/FollowUpReport.h"

namespace govtrack::http {
namespace {

bool equalsIgnoringCase(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
               return lower(x) == lower(y);
           });
}

/// "3.2.10" after "3.2.9": compares dot-separated numbers numerically, other text as text.
bool findingNumberLess(const std::string& a, const std::string& b) {
    auto parts = [](const std::string& s) {
        std::vector<std::pair<long, std::string>> out;
        std::size_t start = 0;
        while (start <= s.size()) {
            const auto dot = std::min(s.find('.', start), s.size());
            const std::string part = s.substr(start, dot - start);
            const bool numeric = !part.empty() && part.size() < 10 &&
                                 std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; });
            out.emplace_back(numeric ? std::stol(part) : -1, numeric ? std::string() : part);
            start = dot + 1;
        }
        return out;
    };
    return parts(a) < parts(b);
}

ActionView actionView(const reports::RecommendationRow& recommendation, const reports::ActionRow& action,
                      bool withHistory) {
    ActionView view;
    view.id = action.id;
    view.engagement = recommendation.engagement;
    view.recommendation = recommendation.number;
    view.number = action.number;
    view.priority = recommendation.priority;
    view.description = action.description;
    if (!action.leadOwner.empty()) view.leadOwner = action.leadOwner;
    view.coOwners = action.coOwners;
    view.targetDate = action.targetDate;
    view.currentTargetDate = action.currentTargetDate;
    view.revisions = action.revisions;
    view.totalSlipDays = action.totalSlipDays;
    view.status = action.status;
    view.rag = action.rag;
    view.overdue = action.overdue;
    view.daysOverdue = action.daysOverdue;
    view.pillar = action.pillar;
    view.lineOfDefence = action.lineOfDefence;
    if (action.lastUpdate) {
        view.lastUpdate = LastUpdateView{action.lastUpdate->date, action.lastUpdate->text, action.lastUpdate->percent};
    }
    view.auditorAssessment = action.auditorAssessment;
    if (withHistory) {
        std::vector<RevisionView> history;
        for (const auto& revision : action.revisionHistory) {
            history.push_back(
                RevisionView{revision.newDate, revision.reason, revision.approvedBy, revision.decisionDate});
        }
        view.revisionHistory = std::move(history);
    }
    return view;
}

RecommendationView recommendationView(const reports::RecommendationRow& row, bool withDetail) {
    RecommendationView view;
    view.id = row.id;
    view.engagement = row.engagement;
    view.number = row.number;
    view.title = row.title;
    view.priority = row.priority;
    view.managementResponse = row.managementResponse;
    view.status = row.status;
    view.linkedRisks = row.linkedRisks;
    view.owners = row.owners;
    view.actionsTotal = static_cast<int>(row.actions.size());
    view.actionsOpen = row.openActions;
    view.actionsOverdue = row.overdueActions;
    view.daysOverdue = row.daysOverdue;
    view.currentTargetDate = row.currentTargetDate;
    if (withDetail) {
        RecommendationView::Detail detail;
        detail.issue = row.issue;
        detail.risk = row.risk;
        detail.text = row.text;
        detail.responseText = row.responseText;
        for (const auto& action : row.actions) detail.actions.push_back(actionView(row, action, true));
        view.detail = std::move(detail);
    }
    return view;
}

bool ownedBy(const reports::ActionRow& action, const std::string& owner) {
    if (equalsIgnoringCase(action.leadOwner, owner)) return true;
    return std::any_of(action.coOwners.begin(), action.coOwners.end(),
                       [&](const std::string& co) { return equalsIgnoringCase(co, owner); });
}

EngagementSummaryView summaryOf(const domain::Engagement& engagement,
                                const std::vector<domain::Recommendation>& recommendations) {
    EngagementSummaryView view;
    view.reference = engagement.reference;
    view.title = engagement.title;
    view.auditYear = engagement.auditYear;
    view.assuranceLevel = engagement.assuranceLevel;
    view.status = engagement.status;
    view.issueDate = engagement.issueDate;
    for (const auto& recommendation : recommendations) {
        if (recommendation.engagementId != engagement.id) continue;
        ++view.recommendations.total;
        switch (recommendation.priority) {
            case domain::Priority::kHigh:
                ++view.recommendations.high;
                break;
            case domain::Priority::kMedium:
                ++view.recommendations.medium;
                break;
            case domain::Priority::kLow:
                ++view.recommendations.low;
                break;
        }
    }
    return view;
}

}  // namespace

ActionPlanQueries::ActionPlanQueries(domain::StoreSession& session, domain::Date today, const domain::Principal* viewer)
    : session_(session), today_(today), viewer_(viewer) {}

domain::ActionPlanSnapshot ActionPlanQueries::load(const domain::ActionPlanFilter& filter) {
    auto snapshot = session_.loadActionPlan(filter);
    if (!viewer_ || domain::seesEverything(*viewer_)) return snapshot;
    std::erase_if(snapshot.actions, [&](const domain::Action& a) { return !domain::canSeeAction(*viewer_, a); });
    std::set<domain::Id> recommendations, engagements;
    for (const auto& a : snapshot.actions) recommendations.insert(a.recommendationId);
    std::erase_if(snapshot.recommendations,
                  [&](const domain::Recommendation& r) { return !recommendations.count(r.id); });
    for (const auto& r : snapshot.recommendations) engagements.insert(r.engagementId);
    std::erase_if(snapshot.engagements, [&](const domain::Engagement& e) { return !engagements.count(e.id); });
    if (filter.engagementReference && snapshot.engagements.empty()) {
        throw domain::NotFoundError("No engagement has the reference '" + *filter.engagementReference + "'.");
    }
    return snapshot;
}

std::vector<EngagementSummaryView> ActionPlanQueries::engagements() {
    const auto snapshot = load({});
    std::vector<EngagementSummaryView> views;
    for (const auto& engagement : snapshot.engagements)
        views.push_back(summaryOf(engagement, snapshot.recommendations));
    std::stable_sort(views.begin(), views.end(),
                     [](const auto& a, const auto& b) { return a.reference < b.reference; });
    return views;
}

EngagementDetailView ActionPlanQueries::engagement(const std::string& reference) {
    const auto engagement = domain::findEngagement(session_.engagements(), reference);
    if (!engagement) throw domain::NotFoundError("No engagement has the reference '" + reference + "'.");
    const auto snapshot = load({engagement->reference});
    const auto report = reports::buildFollowUpReport(snapshot, today_, engagement->reference);

    EngagementDetailView view;
    view.summary = summaryOf(*engagement, snapshot.recommendations);
    if (engagement->followsUpId) {
        for (const auto& earlier : session_.engagements().list()) {
            if (earlier.id == *engagement->followsUpId) view.followsUp = earlier.reference;
        }
    }
    view.scope = engagement->scope;
    view.remitItems = engagement->remitItems;
    view.keyRisks = engagement->keyRisks;
    view.fieldworkStart = engagement->fieldworkStart;
    view.fieldworkEnd = engagement->fieldworkEnd;
    view.draftReportDate = engagement->draftReportDate;
    view.finalReportDate = engagement->finalReportDate;
    view.resourceDays = engagement->resourceDays;
    view.version = engagement->version;

    auto findings = session_.findings().listByEngagement(engagement->id);
    std::stable_sort(findings.begin(), findings.end(),
                     [](const auto& a, const auto& b) { return findingNumberLess(a.number, b.number); });
    for (const auto& finding : findings) {
        view.findings.push_back(FindingView{finding.number, finding.kind, finding.text, finding.recommendationNumber});
    }
    for (const auto& row : report.recommendations) view.recommendations.push_back(recommendationView(row, true));
    return view;
}

std::vector<RecommendationView> ActionPlanQueries::recommendations(const RecommendationFilter& filter) {
    const auto report = reports::buildFollowUpReport(load({filter.engagement}), today_);
    std::vector<RecommendationView> views;
    for (const auto& row : report.recommendations) {
        if (filter.priority && row.priority != *filter.priority) continue;
        if (filter.status && row.status != *filter.status) continue;
        views.push_back(recommendationView(row, false));
    }
    return views;
}

ActionPage ActionPlanQueries::actions(const ActionFilter& filter, int page, int perPage, const ActionSort& sort) {
    auto matching = allActions(filter, sort);
    ActionPage result;
    result.page = page;
    result.perPage = perPage;
    result.total = static_cast<int>(matching.size());
    const auto first = static_cast<std::size_t>(page - 1) * static_cast<std::size_t>(perPage);
    for (std::size_t i = first; i < matching.size() && i < first + static_cast<std::size_t>(perPage); ++i) {
        result.items.push_back(std::move(matching[i]));
    }
    return result;
}

std::vector<ActionView> ActionPlanQueries::allActions(const ActionFilter& filter, const ActionSort& sort) {
    const auto report = reports::buildFollowUpReport(load({filter.engagement}), today_);
    std::map<domain::Id, std::string> groupNames;
    for (const auto& group : session_.groups().list()) groupNames[group.id] = group.name;
    std::vector<ActionView> views;
    for (const auto& row : report.recommendations) {
        if (filter.priority && row.priority != *filter.priority) continue;
        if (!filter.priorities.empty() && !filter.priorities.count(row.priority)) continue;
        for (const auto& action : row.actions) {
            if (filter.status && action.status != *filter.status) continue;
            if (filter.overdue && action.overdue != *filter.overdue) continue;
            if (filter.rag && action.rag != *filter.rag) continue;
            if (filter.owner && !ownedBy(action, *filter.owner)) continue;
            if (filter.unit && !equalsIgnoringCase(action.unit, *filter.unit)) continue;
            std::optional<std::string> group;
            if (action.responsibleGroupId) {
                const auto it = groupNames.find(*action.responsibleGroupId);
                if (it != groupNames.end()) group = it->second;
            }
            if (filter.group && !(group && equalsIgnoringCase(*group, *filter.group))) continue;
            auto view = actionView(row, action, false);
            view.unit = action.unit;
            view.group = std::move(group);
            views.push_back(std::move(view));
        }
    }
    // The report's order is the reference order; stable_sort keeps it for equal keys.
    if (sort.key != ActionSort::Key::kReference || sort.descending) {
        auto rank = [](const ActionView& a, ActionSort::Key key) -> std::tuple<long, std::string> {
            switch (key) {
                case ActionSort::Key::kDue:  // no date sorts last
                    return {a.currentTargetDate
                                ? static_cast<long>(
                                      std::chrono::sys_days{a.currentTargetDate->date}.time_since_epoch().count())
                                : std::numeric_limits<long>::max(),
                            ""};
                case ActionSort::Key::kPriority:
                    return {static_cast<long>(a.priority), ""};
                case ActionSort::Key::kStatus:
                    return {static_cast<long>(a.status), ""};
                case ActionSort::Key::kRag:
                    return {static_cast<long>(a.rag), ""};
                case ActionSort::Key::kDaysOverdue:
                    return {a.daysOverdue, ""};
                case ActionSort::Key::kOwner:
                    return {0, a.leadOwner.value_or("")};
                case ActionSort::Key::kRevisions:
                    return {a.revisions, ""};
                case ActionSort::Key::kReference:
                    break;
            }
            return {0, ""};
        };
        auto reference = [](const ActionView& a) { return std::tie(a.engagement, a.recommendation, a.number); };
        std::stable_sort(views.begin(), views.end(), [&](const ActionView& a, const ActionView& b) {
            const auto ka = rank(a, sort.key), kb = rank(b, sort.key);
            if (ka != kb) return sort.descending ? kb < ka : ka < kb;
            if (sort.key == ActionSort::Key::kReference && sort.descending) return reference(b) < reference(a);
            return reference(a) < reference(b);
        });
    }
    return views;
}

}  // namespace govtrack::http
