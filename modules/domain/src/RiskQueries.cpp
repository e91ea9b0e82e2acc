#include "govtrack/domain/RiskQueries.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "govtrack/domain/Error.h"

namespace govtrack::domain {

std::optional<Risk> findRisk(RiskRepository& risks, const std::string& reference) {
    if (auto exact = risks.findByReference(reference)) return exact;
    const std::string wanted = foldNaturalKey(reference);
    for (auto& r : risks.list()) {
        if (foldNaturalKey(r.reference) == wanted) return r;
    }
    return std::nullopt;
}

RiskPortfolio loadRiskPortfolio(StoreSession& session, const ScoringMatrix& matrix, Date today,
                                const RiskFilter& filter) {
    RiskPortfolio out;
    std::map<Id, RiskRegister> registers;
    std::map<Id, std::string> unitNames, groupNames, personTitles;
    for (const auto& u : session.units().list()) unitNames[u.id] = u.name;
    for (const auto& g : session.groups().list()) groupNames[g.id] = g.name;
    for (const auto& p : session.people().list()) personTitles[p.id] = p.roleTitle;
    std::optional<Id> onlyRegister;
    for (auto& reg : session.riskRegisters().list()) {
        RiskRegisterView view;
        view.reg = reg;
        if (reg.ownerGroupId) view.ownerName = groupNames[*reg.ownerGroupId];
        if (reg.ownerUnitId) view.ownerName = unitNames[*reg.ownerUnitId];
        registers[reg.id] = reg;
        if (filter.registerName && foldNaturalKey(reg.name) == foldNaturalKey(*filter.registerName)) {
            onlyRegister = reg.id;
        }
        if (!filter.registerName || onlyRegister == reg.id) out.registers.push_back(std::move(view));
    }
    if (filter.registerName && !onlyRegister) {
        throw NotFoundError("no risk register is named '" + *filter.registerName + "'");
    }

    const std::vector<Risk> all = session.risks().list();
    std::map<Id, std::vector<EscalationDecision>> decisions;
    for (auto& d : session.risks().decisions(std::nullopt)) decisions[d.riskId].push_back(std::move(d));
    std::map<Id, std::string> lastChangeAt;
    for (const auto& c : session.risks().scoreChanges(std::nullopt)) lastChangeAt[c.riskId] = c.at;
    std::map<Id, const Risk*> byId;
    for (const auto& r : all) byId[r.id] = &r;

    auto levelText = [&](const std::optional<RiskRating>& r) { return r ? matrix.levelOf(*r) : std::string(); };
    auto makeView = [&](const Risk& r) {
        RiskView v;
        v.risk = r;
        const RiskRegister* reg = nullptr;
        if (r.registerId) {
            auto it = registers.find(*r.registerId);
            if (it != registers.end()) reg = &it->second;
        }
        if (reg) {
            v.registerName = reg->name;
            v.registerLevel = reg->level;
        }
        for (const auto& o : r.ownerIds) v.ownerRoleTitles.push_back(personTitles[o]);
        v.inherentLevel = levelText(r.inherent);
        v.currentLevel = levelText(r.current);
        v.targetLevel = levelText(r.target);
        v.reviewOverdue = reviewOverdue(r, today);
        if (reg) {
            v.tolerance = toleranceFor(*reg, r.category);
            if (v.tolerance) {
                v.toleranceMaxScore = matrix.maxAcceptable(*v.tolerance);
                v.aboveTolerance = r.current && r.current->score() > *v.toleranceMaxScore;
            }
            v.escalation = assessEscalation(r, *reg, matrix, decisions[r.id], lastChangeAt[r.id], today);
        } else if (!decisions[r.id].empty()) {
            v.escalation.latestDecision = decisions[r.id].back();
            v.escalation.escalated = decisions[r.id].back().kind == EscalationKind::kEscalate;
        }
        if (v.escalation.latestDecision) v.escalationGroupName = groupNames[v.escalation.latestDecision->groupId];
        std::set<Id> seen{r.id};
        for (auto p = r.parentId; p && byId.count(*p) && seen.insert(*p).second; p = byId[*p]->parentId) {
            v.routeUpward.push_back(byId[*p]->reference);
        }
        if (!v.routeUpward.empty()) v.parentReference = v.routeUpward.front();
        return v;
    };

    std::map<Id, RiskView> views;
    for (const auto& r : all) views.emplace(r.id, makeView(r));
    for (const auto& r : all) {
        if (!r.parentId || !views.count(*r.parentId)) continue;
        const RiskView& child = views.at(r.id);
        RiskContributor c;
        c.reference = r.reference;
        c.title = r.title;
        c.registerName = child.registerName;
        c.current = r.current;
        c.currentLevel = child.currentLevel;
        c.escalated = child.escalation.escalated;
        c.escalationDue = child.escalation.due;
        views.at(*r.parentId).contributors.push_back(std::move(c));
    }
    for (auto& [id, v] : views) {
        if (onlyRegister && v.risk.registerId != onlyRegister) continue;
        if (filter.visible && !(*filter.visible)(v.risk)) continue;
        out.risks.push_back(std::move(v));
    }
    std::stable_sort(out.risks.begin(), out.risks.end(), [](const RiskView& a, const RiskView& b) {
        const int ra = a.registerLevel ? rankOf(*a.registerLevel) : 3;
        const int rb = b.registerLevel ? rankOf(*b.registerLevel) : 3;
        return std::tie(ra, a.registerName, a.risk.reference) < std::tie(rb, b.registerName, b.risk.reference);
    });
    return out;
}

std::string_view toString(HeatMapBasis basis) noexcept {
    switch (basis) {
        case HeatMapBasis::kInherent:
            return "inherent";
        case HeatMapBasis::kTarget:
            return "target";
        case HeatMapBasis::kCurrent:
            break;
    }
    return "current";
}

std::optional<HeatMapBasis> parseHeatMapBasis(std::string_view text) {
    const std::string t = foldNaturalKey(text);
    if (t == "inherent") return HeatMapBasis::kInherent;
    if (t == "current" || t == "residual") return HeatMapBasis::kCurrent;
    if (t == "target") return HeatMapBasis::kTarget;
    return std::nullopt;
}

HeatMap buildHeatMap(const std::vector<RiskView>& risks, const ScoringMatrix& matrix, HeatMapBasis basis) {
    HeatMap map;
    map.basis = basis;
    map.likelihoodLabels = matrix.likelihoodLabels;
    map.impactLabels = matrix.impactLabels;
    for (int l = 1; l <= matrix.maxLikelihood(); ++l) {
        std::vector<HeatMapCell> row;
        for (int i = 1; i <= matrix.maxImpact(); ++i) {
            HeatMapCell cell;
            cell.likelihood = l;
            cell.impact = i;
            cell.score = l * i;
            cell.level = matrix.levelOf(RiskRating{l, i});
            row.push_back(std::move(cell));
        }
        map.cells.push_back(std::move(row));
    }
    for (const auto& v : risks) {
        if (v.risk.status != RiskStatus::kOpen) continue;
        const auto& rating = basis == HeatMapBasis::kInherent ? v.risk.inherent
                             : basis == HeatMapBasis::kTarget ? v.risk.target
                                                              : v.risk.current;
        if (!rating) {
            ++map.unscored;
            continue;
        }
        map.cells[static_cast<std::size_t>(rating->likelihood - 1)][static_cast<std::size_t>(rating->impact - 1)]
            .references.push_back(v.risk.reference);
        ++map.placed;
    }
    return map;
}

RiskHistory loadRiskHistory(StoreSession& session, const std::string& reference) {
    auto risk = findRisk(session.risks(), reference);
    if (!risk) throw NotFoundError("no risk has the reference '" + reference + "'");
    RiskHistory h;
    h.risk = *risk;
    h.changes = session.risks().scoreChanges(risk->id);
    h.decisions = session.risks().decisions(risk->id);
    return h;
}

}  // namespace govtrack::domain
