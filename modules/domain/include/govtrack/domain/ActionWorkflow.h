#pragma once

#include <optional>
#include <string>
#include <vector>

#include "govtrack/domain/Model.h"

/// The action status workflow (SPEC 4.1) as one explicit table: every allowed move, who may make it,
/// and what it requires. Any other move is refused naming the current state and the allowed ones.
namespace govtrack::domain {

/// Who may make a move.
enum class Mover {
    kOwner,          ///< the action's lead owner or a co-owner
    kAuditor,        ///< a person with the auditor role
    kSecretariat,    ///< a person with the secretariat role
    kGroupDecision,  ///< the chair or secretary of a group holding the required delegated power
};

std::string_view toString(Mover mover) noexcept;

struct Transition {
    ActionStatus from;
    ActionStatus to;
    std::vector<Mover> who;
    bool needsReason = false;
    bool needsEvidence = false;           ///< an evidence note or attachment
    std::optional<PowerKind> power;       ///< for kGroupDecision: the power the group must hold
    bool needsSupersedingAction = false;  ///< the action that replaces this one
    const char* meaning = "";             ///< for docs and errors, e.g. "owner claims implemented"
};

/// The whole table, in a stable order (docs/workflow.md prints it).
const std::vector<Transition>& actionTransitions();

/// States reachable from `from`, in table order (empty for verified, superseded, withdrawn).
std::vector<ActionStatus> allowedNextStates(ActionStatus from);

/// The transition from -> to. Throws InvalidTransitionError: "action IA-1 2.1 is in_progress; it can move
/// to implemented, risk_accepted, superseded or withdrawn, not verified" (or "... is verified, which is
/// final"). `actionName` is used in the message.
const Transition& transitionFor(ActionStatus from, ActionStatus to, const std::string& actionName);

}  // namespace govtrack::domain
