#include "ActionPlanQueries.h"

#include <algorithm>
#include <array>
#include <map>
#include <tuple>

#include "govtrack/domain/Error.h"
#include "govtrack/domain/Rules.h"

namespace govtrack::http {
namespace {

constexpr std::array kRecommendationStatuses{
    domain::RecommendationStatus::kImplemented, domain::RecommendationStatus::kPartiallyImplemented,
    domain::RecommendationStatus::kNotImplemented, domain::RecommendationStatus::kRiskAccepted,
    domain::RecommendationStatus::kNotAccepted};

std::string normalised(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        if (c == ' ' || c == '-')
            out.push_back('_');
        else if (c >= 'A' && c <= 'Z')
            out.push_back(static_cast<char>(c - 'A' + 'a'));
        else
            out.push_back(c);
    }
    return out;
}

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

/// Lookups over one snapshot, and the derivations every view shares.
class PlanIndex {
public:
    PlanIndex(const domain::ActionPlanSnapshot& snapshot, domain::Date today) : snapshot_(snapshot), today_(today) {
        for (const auto& engagement : snapshot.engagements) engagements_[engagement.id] = &engagement;
        for (const auto& person : snapshot.people) roleTitles_[person.id] = person.roleTitle;
        for (const auto& action : snapshot.actions)
            actionsByRecommendation_[action.recommendationId].push_back(&action);
        for (auto& [id, actions] : actionsByRecommendation_) {
            std::stable_sort(actions.begin(), actions.end(),
                             [](const domain::Action* a, const domain::Action* b) { return a->number < b->number; });
        }
        for (const auto& recommendation : snapshot.recommendations) recommendations_.push_back(&recommendation);
        std::stable_sort(recommendations_.begin(), recommendations_.end(),
                         [this](const domain::Recommendation* a, const domain::Recommendation* b) {
                             return std::forward_as_tuple(engagementReference(a->engagementId), a->number) <
                                    std::forward_as_tuple(engagementReference(b->engagementId), b->number);
                         });
    }

    /// Recommendations by engagement reference, then number.
    const std::vector<const domain::Recommendation*>& recommendations() const { return recommendations_; }

    const std::vector<const domain::Action*>& actionsOf(const domain::Recommendation& recommendation) const {
        static const std::vector<const domain::Action*> kNone;
        const auto it = actionsByRecommendation_.find(recommendation.id);
        return it == actionsByRecommendation_.end() ? kNone : it->second;
    }

    const std::string& engagementReference(const domain::Id& engagementId) const {
        static const std::string kUnknown;
        const auto it = engagements_.find(engagementId);
        return it == engagements_.end() ? kUnknown : it->second->reference;
    }

    std::optional<std::string> roleTitle(const std::optional<domain::Id>& personId) const {
        if (!personId) return std::nullopt;
        const auto it = roleTitles_.find(*personId);
        if (it == roleTitles_.end()) return std::nullopt;
        return it->second;
    }

    ActionView actionView(const domain::Recommendation& recommendation, const domain::Action& action,
                          bool withHistory) const {
        ActionView view;
        view.id = action.id;
        view.engagement = engagementReference(recommendation.engagementId);
        view.recommendation = recommendation.number;
        view.number = action.number;
        view.priority = recommendation.priority;
        view.description = action.description;
        view.leadOwner = roleTitle(action.leadOwnerId);
        for (const auto& coOwner : action.coOwnerIds) {
            if (auto title = roleTitle(coOwner)) view.coOwners.push_back(*title);
        }
        view.targetDate = action.originalTargetDate;
        view.currentTargetDate = domain::effectiveDueDate(action);
        view.revisions = static_cast<int>(action.revisions.size());
        view.totalSlipDays = domain::totalSlipDays(action);
        view.status = action.status;
        view.rag = domain::rag(action, today_);
        view.overdue = domain::isOverdue(action, today_);
        view.daysOverdue = domain::daysOverdue(action, today_);
        view.pillar = action.pillar;
        view.lineOfDefence = action.lineOfDefence;
        if (const auto it = snapshot_.lastUpdates.find(action.id); it != snapshot_.lastUpdates.end()) {
            view.lastUpdate = LastUpdateView{it->second.date, it->second.text, it->second.percent};
        }
        view.auditorAssessment = action.auditorAssessment;
        if (withHistory) {
            std::vector<RevisionView> history;
            for (const auto& revision : action.revisions) {
                history.push_back(
                    RevisionView{revision.newDate, revision.reason, revision.approvedBy, revision.decisionDate});
            }
            view.revisionHistory = std::move(history);
        }
        return view;
    }

    RecommendationView recommendationView(const domain::Recommendation& recommendation, bool withDetail) const {
        const auto& actions = actionsOf(recommendation);
        RecommendationView view;
        view.id = recommendation.id;
        view.engagement = engagementReference(recommendation.engagementId);
        view.number = recommendation.number;
        view.title = recommendation.title;
        view.priority = recommendation.priority;
        view.managementResponse = recommendation.managementResponse;
        view.status = domain::recommendationStatus(recommendation, actions);
        view.linkedRisks = recommendation.linkedRiskReferences;
        auto addOwner = [&view](const std::optional<std::string>& title) {
            if (title && std::find(view.owners.begin(), view.owners.end(), *title) == view.owners.end()) {
                view.owners.push_back(*title);
            }
        };
        for (const auto* action : actions) addOwner(roleTitle(action->leadOwnerId));
        for (const auto* action : actions) {
            for (const auto& coOwner : action->coOwnerIds) addOwner(roleTitle(coOwner));
        }
        for (const auto* action : actions) {
            ++view.actionsTotal;
            if (!domain::isOpen(action->status)) continue;
            ++view.actionsOpen;
            if (domain::isOverdue(*action, today_)) ++view.actionsOverdue;
            view.daysOverdue = std::max(view.daysOverdue, domain::daysOverdue(*action, today_));
            const auto due = domain::effectiveDueDate(*action);
            if (due && (!view.currentTargetDate || view.currentTargetDate->date < due->date))
                view.currentTargetDate = due;
        }
        if (withDetail) {
            RecommendationView::Detail detail;
            detail.issue = recommendation.issue;
            detail.risk = recommendation.risk;
            detail.text = recommendation.text;
            detail.responseText = recommendation.responseText;
            for (const auto* action : actions) detail.actions.push_back(actionView(recommendation, *action, true));
            view.detail = std::move(detail);
        }
        return view;
    }

private:
    const domain::ActionPlanSnapshot& snapshot_;
    domain::Date today_;
    std::map<domain::Id, const domain::Engagement*> engagements_;
    std::map<domain::Id, std::string> roleTitles_;
    std::map<domain::Id, std::vector<const domain::Action*>> actionsByRecommendation_;
    std::vector<const domain::Recommendation*> recommendations_;
};

EngagementSummaryView summaryOf(const domain::Engagement& engagement,
                                const std::vector<const domain::Recommendation*>& recommendations) {
    EngagementSummaryView view;
    view.reference = engagement.reference;
    view.title = engagement.title;
    view.auditYear = engagement.auditYear;
    view.assuranceLevel = engagement.assuranceLevel;
    view.status = engagement.status;
    view.issueDate = engagement.issueDate;
    for (const auto* recommendation : recommendations) {
        if (recommendation->engagementId != engagement.id) continue;
        ++view.recommendations.total;
        switch (recommendation->priority) {
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

std::optional<domain::RecommendationStatus> parseRecommendationStatus(std::string_view text) {
    const std::string wanted = normalised(text);
    for (auto status : kRecommendationStatuses) {
        if (domain::toString(status) == wanted) return status;
    }
    return std::nullopt;
}

std::string allowedRecommendationStatuses() {
    std::string out;
    for (auto status : kRecommendationStatuses) {
        if (!out.empty()) out += ", ";
        out += domain::toString(status);
    }
    return out;
}

ActionPlanQueries::ActionPlanQueries(domain::StoreSession& session, domain::Date today)
    : session_(session), today_(today) {}

std::vector<EngagementSummaryView> ActionPlanQueries::engagements() {
    const auto snapshot = session_.loadActionPlan({});
    const PlanIndex index(snapshot, today_);
    std::vector<EngagementSummaryView> views;
    for (const auto& engagement : snapshot.engagements) views.push_back(summaryOf(engagement, index.recommendations()));
    std::stable_sort(views.begin(), views.end(),
                     [](const auto& a, const auto& b) { return a.reference < b.reference; });
    return views;
}

EngagementDetailView ActionPlanQueries::engagement(const std::string& reference) {
    const auto engagement = session_.engagements().findByReference(reference);
    if (!engagement) throw domain::NotFoundError("No engagement has the reference '" + reference + "'.");
    const auto snapshot = session_.loadActionPlan({reference});
    const PlanIndex index(snapshot, today_);

    EngagementDetailView view;
    view.summary = summaryOf(*engagement, index.recommendations());
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
    for (const auto* recommendation : index.recommendations()) {
        if (recommendation->engagementId == engagement->id) {
            view.recommendations.push_back(index.recommendationView(*recommendation, true));
        }
    }
    return view;
}

std::vector<RecommendationView> ActionPlanQueries::recommendations(const RecommendationFilter& filter) {
    const auto snapshot = session_.loadActionPlan({filter.engagement});
    const PlanIndex index(snapshot, today_);
    std::vector<RecommendationView> views;
    for (const auto* recommendation : index.recommendations()) {
        if (filter.engagement && index.engagementReference(recommendation->engagementId) != *filter.engagement)
            continue;
        if (filter.priority && recommendation->priority != *filter.priority) continue;
        auto view = index.recommendationView(*recommendation, false);
        if (filter.status && view.status != *filter.status) continue;
        views.push_back(std::move(view));
    }
    return views;
}

ActionPage ActionPlanQueries::actions(const ActionFilter& filter, int page, int perPage) {
    const auto snapshot = session_.loadActionPlan({filter.engagement});
    const PlanIndex index(snapshot, today_);
    ActionPage result;
    result.page = page;
    result.perPage = perPage;
    const long first = static_cast<long>(page - 1) * perPage;
    long matched = 0;
    for (const auto* recommendation : index.recommendations()) {
        if (filter.engagement && index.engagementReference(recommendation->engagementId) != *filter.engagement)
            continue;
        if (filter.priority && recommendation->priority != *filter.priority) continue;
        for (const auto* action : index.actionsOf(*recommendation)) {
            if (filter.status && action->status != *filter.status) continue;
            if (filter.overdue && domain::isOverdue(*action, today_) != *filter.overdue) continue;
            if (filter.owner) {
                bool owns = false;
                if (auto lead = index.roleTitle(action->leadOwnerId)) owns = equalsIgnoringCase(*lead, *filter.owner);
                for (const auto& coOwner : action->coOwnerIds) {
                    if (auto title = index.roleTitle(coOwner)) owns = owns || equalsIgnoringCase(*title, *filter.owner);
                }
                if (!owns) continue;
            }
            if (matched >= first && matched < first + perPage) {
                result.items.push_back(index.actionView(*recommendation, *action, false));
            }
            ++matched;
        }
    }
    result.total = static_cast<int>(matched);
    return result;
}

}  // namespace govtrack::http
