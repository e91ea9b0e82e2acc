#include "govtrack/domain/Rules.h"

#include <algorithm>

namespace govtrack::domain {

bool isOpen(ActionStatus status) noexcept {
    return status == ActionStatus::kNotStarted || status == ActionStatus::kInProgress ||
           status == ActionStatus::kImplemented;
}

std::optional<TargetDate> effectiveDueDate(const Action& action) {
    if (!action.revisions.empty()) return action.revisions.back().newDate;
    return action.originalTargetDate;
}

int totalSlipDays(const Action& action) {
    if (action.revisions.empty() || !action.originalTargetDate) return 0;
    return daysBetween(action.originalTargetDate->date, action.revisions.back().newDate.date);
}

bool isOverdue(const Action& action, Date today) {
    if (!isOpen(action.status)) return false;
    const auto due = effectiveDueDate(action);
    return due && std::chrono::sys_days{due->date} < std::chrono::sys_days{today};
}

int daysOverdue(const Action& action, Date today) {
    if (!isOverdue(action, today)) return 0;
    return daysBetween(effectiveDueDate(action)->date, today);
}

Rag rag(const Action& action, Date today, int amberWindowDays) {
    if (!isOpen(action.status)) return Rag::kComplete;
    if (isOverdue(action, today)) return Rag::kRed;
    if (action.revisions.size() >= 2) return Rag::kAmber;
    if (const auto due = effectiveDueDate(action)) {
        if (daysBetween(today, due->date) <= amberWindowDays) return Rag::kAmber;
    }
    return Rag::kGreen;
}

RecommendationStatus recommendationStatus(const Recommendation& recommendation,
                                          const std::vector<const Action*>& actions) {
    if (recommendation.managementResponse == ManagementResponse::kRejected) return RecommendationStatus::kNotAccepted;
    int counted = 0;
    int verified = 0;
    int riskAccepted = 0;
    for (const Action* action : actions) {
        if (action->status == ActionStatus::kSuperseded || action->status == ActionStatus::kWithdrawn) continue;
        ++counted;
        if (action->status == ActionStatus::kVerified) ++verified;
        if (action->status == ActionStatus::kRiskAccepted) ++riskAccepted;
    }
    if (counted == 0) {
        return recommendation.managementResponse == ManagementResponse::kRiskTolerated
                   ? RecommendationStatus::kRiskAccepted
                   : RecommendationStatus::kNotImplemented;
    }
    if (verified == counted) return RecommendationStatus::kImplemented;
    if (riskAccepted == counted) return RecommendationStatus::kRiskAccepted;
    if (verified + riskAccepted == counted) return RecommendationStatus::kImplemented;
    if (verified > 0) return RecommendationStatus::kPartiallyImplemented;
    return RecommendationStatus::kNotImplemented;
}

}  // namespace govtrack::domain
