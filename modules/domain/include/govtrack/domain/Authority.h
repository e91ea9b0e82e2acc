#pragma once

#include <optional>
#include <string>
#include <vector>

#include "govtrack/domain/Model.h"

/// Delegated authority (SPEC 4.3, 4.4): which group may decide what, and where a decision is routed.
namespace govtrack::domain {

/// low 1, medium 2, high 3: a power with max_priority P covers every priority up to P.
int priorityRank(Priority priority) noexcept;

/// True if `power` is of `kind` and its limits cover a decision on an item of `priority` whose total
/// slip from the original target date is `totalSlipDays` (ignored by powers without a slip limit).
bool covers(const DelegatedPower& power, PowerKind kind, Priority priority, int totalSlipDays) noexcept;

/// The governance groups of the organisation as a tree (parent = reports to) with supersession.
class GroupChart {
public:
    explicit GroupChart(std::vector<GovernanceGroup> groups);

    const GovernanceGroup* find(const Id& id) const;
    /// By name, compared with foldNaturalKey.
    const GovernanceGroup* findByName(const std::string& name) const;
    const std::vector<GovernanceGroup>& groups() const { return groups_; }

    /// The group that stands for `group` now: follows superseded_by to its end (loops are refused on import).
    const GovernanceGroup& current(const GovernanceGroup& group) const;

    /// True if the group may act on `date`: not before effective_from (a month-only date counts from the
    /// month's first day) and not after effective_to (supersession sets effective_to to its date).
    bool isEffectiveOn(const GovernanceGroup& group, Date date) const;

    /// The reporting chain from `start` upward (start, its parent, ...), each group replaced by its
    /// current successor, without repeats.
    std::vector<const GovernanceGroup*> chainFrom(const Id& start) const;

    /// The lowest group in the chain from `start` holding a power of `kind` that covers (priority, slip):
    /// the group a request is routed to (SPEC 4.3). nullptr if no group in the chain holds one.
    const GovernanceGroup* route(const Id& start, PowerKind kind, Priority priority, int totalSlipDays) const;

    /// Every current group holding a covering power, lowest in the tree first (for "held by ..." errors).
    std::vector<const GovernanceGroup*> holders(PowerKind kind, Priority priority, int totalSlipDays) const;

    /// The power of `group` that covers (kind, priority, slip), if it holds one.
    static const DelegatedPower* coveringPower(const GovernanceGroup& group, PowerKind kind, Priority priority,
                                               int totalSlipDays);

    /// True if the person is the chair or secretary of the group: those record its decisions (SPEC 4.9).
    static bool recordsDecisions(const GovernanceGroup& group, const Id& personId);

private:
    int depth(const GovernanceGroup& group) const;
    std::vector<GovernanceGroup> groups_;
};

}  // namespace govtrack::domain
