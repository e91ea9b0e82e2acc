#include "govtrack/domain/ActionWorkflow.h"

#include "govtrack/domain/Error.h"

namespace govtrack::domain {

namespace {

using S = ActionStatus;
using M = Mover;

}  // namespace

std::string_view toString(Mover mover) noexcept {
    switch (mover) {
        case Mover::kOwner:
            return "owner";
        case Mover::kAuditor:
            return "auditor";
        case Mover::kSecretariat:
            return "secretariat";
        case Mover::kGroupDecision:
            return "group decision";
    }
    return "unknown";
}

const std::vector<Transition>& actionTransitions() {
    // SPEC 4.1. Closed states (verified, risk_accepted, superseded, withdrawn) have no way out.
    static const std::vector<Transition> table = {
        {S::kNotStarted,
         S::kInProgress,
         {M::kOwner, M::kSecretariat},
         false,
         false,
         std::nullopt,
         false,
         "work has started"},
        {S::kNotStarted,
         S::kImplemented,
         {M::kOwner},
         false,
         true,
         std::nullopt,
         false,
         "owner claims implemented (evidence required)"},
        {S::kInProgress,
         S::kImplemented,
         {M::kOwner},
         false,
         true,
         std::nullopt,
         false,
         "owner claims implemented (evidence required)"},
        {S::kImplemented,
         S::kVerified,
         {M::kAuditor},
         false,
         false,
         std::nullopt,
         false,
         "auditor verifies the claim; closed"},
        {S::kImplemented,
         S::kInProgress,
         {M::kAuditor},
         true,
         false,
         std::nullopt,
         false,
         "auditor rejects the claim, with a reason"},
        {S::kNotStarted,
         S::kRiskAccepted,
         {M::kGroupDecision},
         true,
         false,
         PowerKind::kAcceptRisk,
         false,
         "a group with accept_risk closes it"},
        {S::kInProgress,
         S::kRiskAccepted,
         {M::kGroupDecision},
         true,
         false,
         PowerKind::kAcceptRisk,
         false,
         "a group with accept_risk closes it"},
        {S::kImplemented,
         S::kRiskAccepted,
         {M::kGroupDecision},
         true,
         false,
         PowerKind::kAcceptRisk,
         false,
         "a group with accept_risk closes it"},
        {S::kNotStarted,
         S::kSuperseded,
         {M::kSecretariat},
         true,
         false,
         std::nullopt,
         true,
         "replaced by another action (link required)"},
        {S::kInProgress,
         S::kSuperseded,
         {M::kSecretariat},
         true,
         false,
         std::nullopt,
         true,
         "replaced by another action (link required)"},
        {S::kNotStarted,
         S::kWithdrawn,
         {M::kGroupDecision},
         true,
         false,
         PowerKind::kWithdrawAction,
         false,
         "a group with withdraw_action withdraws it"},
        {S::kInProgress,
         S::kWithdrawn,
         {M::kGroupDecision},
         true,
         false,
         PowerKind::kWithdrawAction,
         false,
         "a group with withdraw_action withdraws it"},
    };
    return table;
}

std::vector<ActionStatus> allowedNextStates(ActionStatus from) {
    std::vector<ActionStatus> out;
    for (const auto& t : actionTransitions()) {
        if (t.from == from) out.push_back(t.to);
    }
    return out;
}

const Transition& transitionFor(ActionStatus from, ActionStatus to, const std::string& actionName) {
    for (const auto& t : actionTransitions()) {
        if (t.from == from && t.to == to) return t;
    }
    const auto allowed = allowedNextStates(from);
    std::string message = actionName + " is " + std::string(toString(from));
    if (allowed.empty()) {
        message += ", which is final; it cannot move to " + std::string(toString(to));
    } else {
        message += "; it can move to ";
        for (std::size_t i = 0; i < allowed.size(); ++i) {
            if (i > 0) message += i + 1 == allowed.size() ? " or " : ", ";
            message += toString(allowed[i]);
        }
        message += ", not " + std::string(toString(to));
    }
    throw InvalidTransitionError(message);
}

}  // namespace govtrack::domain
