#include "govtrack/reports/FollowUpReport.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace govtrack::reports {

namespace d = govtrack::domain;

namespace {

bool later(const std::optional<d::TargetDate>& a, const std::optional<d::TargetDate>& b) {
    if (!a) return false;
    if (!b) return true;
    return std::chrono::sys_days{a->date} > std::chrono::sys_days{b->date};
}

void addOwner(std::vector<std::string>& owners, const std::string& owner) {
    if (!owner.empty() && std::find(owners.begin(), owners.end(), owner) == owners.end()) owners.push_back(owner);
}

}  // namespace

FollowUpReport buildFollowUpReport(const d::ActionPlanSnapshot& snapshot, d::Date asOf,
                                   std::optional<std::string> engagementFilter, int amberWindowDays) {
    FollowUpReport report;
    report.asOf = asOf;
    report.engagementFilter = std::move(engagementFilter);

    std::unordered_map<std::string, const d::Engagement*> engagements;
    for (const auto& e : snapshot.engagements) engagements.emplace(e.id, &e);
    std::unordered_map<std::string, const d::OrganisationUnit*> units;
    for (const auto& u : snapshot.units) units.emplace(u.id, &u);
    std::unordered_map<std::string, const d::Person*> people;
    for (const auto& p : snapshot.people) people.emplace(p.id, &p);
    std::unordered_map<std::string, std::vector<const d::Action*>> actionsByRecommendation;
    actionsByRecommendation.reserve(snapshot.recommendations.size());
    for (const auto& a : snapshot.actions) actionsByRecommendation[a.recommendationId].push_back(&a);

    auto roleTitle = [&](const std::optional<d::Id>& id) -> std::string {
        if (!id) return {};
        auto it = people.find(*id);
        return it == people.end() ? std::string() : it->second->roleTitle;
    };
    auto unitOf = [&](const std::optional<d::Id>& personId) -> std::string {
        if (!personId) return {};
        auto p = people.find(*personId);
        if (p == people.end() || !p->second->unitId) return {};
        auto u = units.find(*p->second->unitId);
        return u == units.end() ? std::string() : u->second->name;
    };

    Totals& totals = report.totals;
    for (auto p : {d::Priority::kHigh, d::Priority::kMedium, d::Priority::kLow}) totals.byPriority[p] = 0;
    for (auto s : {d::RecommendationStatus::kImplemented, d::RecommendationStatus::kPartiallyImplemented,
                   d::RecommendationStatus::kNotImplemented, d::RecommendationStatus::kRiskAccepted,
                   d::RecommendationStatus::kNotAccepted}) {
        totals.byStatus[s] = 0;
        for (auto p : {d::Priority::kHigh, d::Priority::kMedium, d::Priority::kLow})
            totals.byStatusAndPriority[s][p] = 0;
    }

    report.recommendations.reserve(snapshot.recommendations.size());
    static const std::vector<const d::Action*> kNoActions;
    for (const auto& rec : snapshot.recommendations) {
        auto eng = engagements.find(rec.engagementId);
        if (eng == engagements.end()) continue;  // outside the filter
        auto found = actionsByRecommendation.find(rec.id);
        const auto& actions = found == actionsByRecommendation.end() ? kNoActions : found->second;

        RecommendationRow row;
        row.id = rec.id;
        row.linkedRisks = rec.linkedRiskReferences;
        row.issue = rec.issue;
        row.risk = rec.risk;
        row.text = rec.text;
        row.responseText = rec.responseText;
        row.engagement = eng->second->reference;
        row.engagementTitle = eng->second->title;
        row.number = rec.number;
        row.title = rec.title;
        row.priority = rec.priority;
        row.managementResponse = rec.managementResponse;
        row.status = d::recommendationStatus(rec, actions);
        bool anyOverdue = false;
        row.actions.reserve(actions.size());
        for (const d::Action* a : actions) {
            ActionRow ar;
            ar.id = a->id;
            ar.pillar = a->pillar;
            ar.lineOfDefence = a->lineOfDefence;
            ar.revisionHistory = a->revisions;
            ar.responsibleGroupId = a->responsibleGroupId;
            ar.number = a->number;
            ar.description = a->description;
            ar.leadOwner = roleTitle(a->leadOwnerId);
            for (const auto& co : a->coOwnerIds) ar.coOwners.push_back(roleTitle(co));
            ar.targetDate = a->originalTargetDate;
            ar.currentTargetDate = d::effectiveDueDate(*a);
            ar.revisions = static_cast<int>(a->revisions.size());
            ar.totalSlipDays = d::totalSlipDays(*a);
            ar.status = a->status;
            ar.rag = d::rag(*a, asOf, amberWindowDays);
            ar.overdue = d::isOverdue(*a, asOf);
            ar.daysOverdue = d::daysOverdue(*a, asOf);
            if (auto u = snapshot.lastUpdates.find(a->id); u != snapshot.lastUpdates.end()) {
                ar.lastUpdate = LastUpdate{u->second.date, u->second.text, u->second.percent};
            }
            ar.auditorAssessment = a->auditorAssessment;
            ar.unit = unitOf(a->leadOwnerId);

            addOwner(row.owners, ar.leadOwner);
            for (const auto& co : ar.coOwners) addOwner(row.owners, co);
            if (later(ar.targetDate, row.targetDate)) row.targetDate = ar.targetDate;
            if (d::isOpen(a->status) && later(ar.currentTargetDate, row.currentTargetDate))
                row.currentTargetDate = ar.currentTargetDate;
            row.revisions += ar.revisions;
            row.daysOverdue = std::max(row.daysOverdue, ar.daysOverdue);
            if (d::isOpen(a->status)) ++row.openActions;
            if (ar.overdue) {
                ++row.overdueActions;
                anyOverdue = true;
                ++totals.overdue.actions;
                // Every owner answers for the action: it counts once for the lead and once per co-owner.
                ++totals.overdue.byOwner[ar.leadOwner.empty() ? "(no owner)" : ar.leadOwner];
                for (const auto& co : ar.coOwners) {
                    if (co != ar.leadOwner) ++totals.overdue.byOwner[co];
                }
                ++totals.overdue.byUnit[ar.unit.empty() ? "(no unit)" : ar.unit];
            }
            ++totals.actions;
            row.actions.push_back(std::move(ar));
        }
        // A closed recommendation shows where it ended: its latest effective date, if no open action remains.
        if (!row.currentTargetDate) {
            for (const d::Action* a : actions) {
                if (auto due = d::effectiveDueDate(*a); later(due, row.currentTargetDate)) row.currentTargetDate = due;
            }
        }
        if (anyOverdue) ++totals.overdue.recommendations;
        ++totals.recommendations;
        ++totals.byPriority[row.priority];
        ++totals.byStatus[row.status];
        ++totals.byStatusAndPriority[row.status][row.priority];
        report.recommendations.push_back(std::move(row));
    }
    if (totals.recommendations > 0) {
        const double pct = 100.0 * totals.byStatus[d::RecommendationStatus::kImplemented] / totals.recommendations;
        totals.implementedPercent = std::round(pct * 10.0) / 10.0;
    }
    return report;
}

}  // namespace govtrack::reports
