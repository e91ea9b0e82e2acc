#include "govtrack/domain/Authority.h"

#include <algorithm>
#include <set>

namespace govtrack::domain {

int priorityRank(Priority priority) noexcept {
    switch (priority) {
        case Priority::kLow:
            return 1;
        case Priority::kMedium:
            return 2;
        case Priority::kHigh:
            return 3;
    }
    return 3;
}

bool covers(const DelegatedPower& power, PowerKind kind, Priority priority, int totalSlipDays) noexcept {
    if (power.kind != kind) return false;
    if (power.maxPriority && priorityRank(priority) > priorityRank(*power.maxPriority)) return false;
    if (power.maxTotalSlipDays && totalSlipDays > *power.maxTotalSlipDays) return false;
    return true;
}

GroupChart::GroupChart(std::vector<GovernanceGroup> groups) : groups_(std::move(groups)) {}

const GovernanceGroup* GroupChart::find(const Id& id) const {
    for (const auto& g : groups_) {
        if (g.id == id) return &g;
    }
    return nullptr;
}

const GovernanceGroup* GroupChart::findByName(const std::string& name) const {
    const std::string wanted = foldNaturalKey(name);
    for (const auto& g : groups_) {
        if (foldNaturalKey(g.name) == wanted) return &g;
    }
    return nullptr;
}

const GovernanceGroup& GroupChart::current(const GovernanceGroup& group) const {
    const GovernanceGroup* at = &group;
    std::set<Id> seen{group.id};
    while (at->supersededById) {
        const GovernanceGroup* next = find(*at->supersededById);
        if (!next || !seen.insert(next->id).second) break;
        at = next;
    }
    return *at;
}

bool GroupChart::isEffectiveOn(const GovernanceGroup& group, Date date) const {
    const auto day = std::chrono::sys_days{date};
    if (group.effectiveFrom) {
        Date from = group.effectiveFrom->date;
        if (group.effectiveFrom->precision == DatePrecision::kMonth)
            from = Date{from.year(), from.month(), std::chrono::day{1}};
        if (day < std::chrono::sys_days{from}) return false;
    }
    if (group.effectiveTo && day > std::chrono::sys_days{group.effectiveTo->date}) return false;
    return true;
}

std::vector<const GovernanceGroup*> GroupChart::chainFrom(const Id& start) const {
    std::vector<const GovernanceGroup*> chain;
    std::set<Id> seen;
    const GovernanceGroup* at = find(start);
    while (at) {
        at = &current(*at);
        if (!seen.insert(at->id).second) break;
        chain.push_back(at);
        at = at->parentId ? find(*at->parentId) : nullptr;
    }
    return chain;
}

const DelegatedPower* GroupChart::coveringPower(const GovernanceGroup& group, PowerKind kind, Priority priority,
                                                int totalSlipDays) {
    for (const auto& p : group.powers) {
        if (covers(p, kind, priority, totalSlipDays)) return &p;
    }
    return nullptr;
}

const GovernanceGroup* GroupChart::route(const Id& start, PowerKind kind, Priority priority, int totalSlipDays) const {
    for (const GovernanceGroup* g : chainFrom(start)) {
        if (coveringPower(*g, kind, priority, totalSlipDays)) return g;
    }
    return nullptr;
}

int GroupChart::depth(const GovernanceGroup& group) const {
    int d = 0;
    std::set<Id> seen{group.id};
    for (const GovernanceGroup* at = &group; at->parentId;) {
        const GovernanceGroup* parent = find(*at->parentId);
        if (!parent || !seen.insert(parent->id).second) break;
        ++d;
        at = parent;
    }
    return d;
}

std::vector<const GovernanceGroup*> GroupChart::holders(PowerKind kind, Priority priority, int totalSlipDays) const {
    std::vector<const GovernanceGroup*> out;
    for (const auto& g : groups_) {
        if (g.supersededById) continue;
        if (coveringPower(g, kind, priority, totalSlipDays)) out.push_back(&g);
    }
    std::stable_sort(out.begin(), out.end(),
                     [this](const GovernanceGroup* a, const GovernanceGroup* b) { return depth(*a) > depth(*b); });
    return out;
}

bool GroupChart::recordsDecisions(const GovernanceGroup& group, const Id& personId) {
    return std::any_of(group.members.begin(), group.members.end(), [&](const GroupMember& m) {
        return m.personId == personId && (m.role == MemberRole::kChair || m.role == MemberRole::kSecretary);
    });
}

}  // namespace govtrack::domain
