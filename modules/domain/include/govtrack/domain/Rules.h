#pragma once

#include <optional>
#include <vector>

#include "govtrack/domain/Model.h"

/// Derived rules of SPEC 4.1-4.2 as pure functions. "today" is always passed in (from a Clock).
namespace govtrack::domain {

/// Amber window default: 30 calendar days (SPEC 4.2).
inline constexpr int kDefaultAmberWindowDays = 30;

/// True for not_started, in_progress and implemented (a claim awaiting verification is still open).
bool isOpen(ActionStatus status) noexcept;

/// Latest approved revised target date, else the original target date; nullopt if the action has
/// neither (e.g. a tolerated risk with no action date). SPEC 4.2.
std::optional<TargetDate> effectiveDueDate(const Action& action);

/// Calendar days the effective due date slipped from the original (0 if no revision or no date).
int totalSlipDays(const Action& action);

/// Open and effective due date < today. An action due today is not overdue. SPEC 4.2.
bool isOverdue(const Action& action, Date today);

/// Calendar days past the effective due date when overdue, else 0.
int daysOverdue(const Action& action, Date today);

/// Red = overdue; Amber = due within `amberWindowDays` (0..window days away) or revised two or more
/// times; Green = otherwise open; closed actions are kComplete, not a colour. SPEC 4.2.
Rag rag(const Action& action, Date today, int amberWindowDays = kDefaultAmberWindowDays);

/// Recommendation status derived from its actions and management response (SPEC 4.1):
/// - response rejected -> not_accepted;
/// - actions that were superseded or withdrawn are ignored; of the rest:
///   none left -> risk_accepted if the response is risk_tolerated, else not_implemented;
///   all verified -> implemented; all risk_accepted -> risk_accepted;
///   all closed (verified or risk_accepted) -> implemented if any verified;
///   some verified -> partially_implemented; otherwise not_implemented.
RecommendationStatus recommendationStatus(const Recommendation& recommendation,
                                          const std::vector<const Action*>& actions);

}  // namespace govtrack::domain
