#include "ApiViews.h"

#include <nlohmann/json.hpp>

namespace govtrack::http {
namespace {

template <typename Enum>
nlohmann::json nameOrNull(const std::optional<Enum>& value) {
    if (!value) return nullptr;
    return std::string(domain::toString(*value));
}

template <typename Enum>
std::string name(Enum value) {
    return std::string(domain::toString(value));
}

nlohmann::json iso(const std::optional<domain::TargetDate>& date) {
    if (!date) return nullptr;
    return date->iso();
}

nlohmann::json display(const std::optional<domain::TargetDate>& date) {
    if (!date) return nullptr;
    return date->display();
}

nlohmann::json iso(const std::optional<domain::Date>& date) {
    if (!date) return nullptr;
    return domain::formatIso(*date);
}

template <typename T>
nlohmann::json orNull(const std::optional<T>& value) {
    if (!value) return nullptr;
    return *value;
}

}  // namespace

void to_json(nlohmann::json& json, const RecommendationCounts& view) {
    json = {{"high", view.high}, {"medium", view.medium}, {"low", view.low}, {"total", view.total}};
}

void to_json(nlohmann::json& json, const EngagementSummaryView& view) {
    json = {
        {"reference", view.reference},
        {"title", view.title},
        {"audit_year", view.auditYear},
        {"assurance_level", nameOrNull(view.assuranceLevel)},
        {"status", name(view.status)},
        {"issue_date", iso(view.issueDate)},
        {"issue_date_display", display(view.issueDate)},
        {"recommendation_counts", view.recommendations},
    };
}

void to_json(nlohmann::json& json, const RevisionView& view) {
    json = {
        {"new_target_date", view.newDate.iso()},
        {"new_target_date_display", view.newDate.display()},
        {"reason", view.reason},
        {"approved_by", view.approvedBy},
        {"decision_date", iso(view.decisionDate)},
    };
}

void to_json(nlohmann::json& json, const LastUpdateView& view) {
    json = {{"date", domain::formatIso(view.date)}, {"text", view.text}, {"percent", orNull(view.percent)}};
}

void to_json(nlohmann::json& json, const ActionView& view) {
    json = {
        {"id", view.id},
        // As the web UI, the tracker export and the reminders write it.
        {"reference", view.engagement + "/" + std::to_string(view.recommendation) + "." + std::to_string(view.number)},
        {"engagement", view.engagement},
        {"recommendation", view.recommendation},
        {"number", view.number},
        {"priority", name(view.priority)},
        {"description", view.description},
        {"lead_owner", orNull(view.leadOwner)},
        {"co_owners", view.coOwners},
        {"target_date", iso(view.targetDate)},
        {"target_date_display", display(view.targetDate)},
        {"current_target_date", iso(view.currentTargetDate)},
        {"current_target_date_display", display(view.currentTargetDate)},
        {"revisions", view.revisions},
        {"total_slip_days", view.totalSlipDays},
        {"status", name(view.status)},
        {"rag", name(view.rag)},
        {"overdue", view.overdue},
        {"days_overdue", view.daysOverdue},
        {"pillar", nameOrNull(view.pillar)},
        {"line_of_defence", nameOrNull(view.lineOfDefence)},
        {"last_update", view.lastUpdate ? nlohmann::json(*view.lastUpdate) : nlohmann::json(nullptr)},
        {"auditor_assessment", view.auditorAssessment},
        {"unit", view.unit.empty() ? nlohmann::json(nullptr) : nlohmann::json(view.unit)},
        {"group", orNull(view.group)},
    };
    if (view.revisionHistory) json["revised_target_dates"] = *view.revisionHistory;
}

void to_json(nlohmann::json& json, const RecommendationView& view) {
    json = {
        {"id", view.id},
        {"engagement", view.engagement},
        {"number", view.number},
        {"title", view.title},
        {"priority", name(view.priority)},
        {"management_response", name(view.managementResponse)},
        {"status", name(view.status)},
        {"linked_risks", view.linkedRisks},
        {"owners", view.owners},
        {"actions_total", view.actionsTotal},
        {"actions_open", view.actionsOpen},
        {"actions_overdue", view.actionsOverdue},
        {"days_overdue", view.daysOverdue},
        {"current_target_date", iso(view.currentTargetDate)},
        {"current_target_date_display", display(view.currentTargetDate)},
    };
    if (view.detail) {
        json["issue"] = view.detail->issue;
        json["risk"] = view.detail->risk;
        json["recommendation"] = view.detail->text;
        json["response_text"] = view.detail->responseText;
        json["actions"] = view.detail->actions;
    }
}

void to_json(nlohmann::json& json, const FindingView& view) {
    json = {
        {"number", view.number},
        {"kind", name(view.kind)},
        {"text", view.text},
        {"recommendation_number", orNull(view.recommendationNumber)},
    };
}

void to_json(nlohmann::json& json, const EngagementDetailView& view) {
    json = view.summary;
    json["follows_up"] = orNull(view.followsUp);
    json["terms_of_reference"] = {
        {"scope", view.scope},
        {"remit_items", view.remitItems},
        {"key_risks", view.keyRisks},
        {"timescale",
         {
             {"fieldwork_start", iso(view.fieldworkStart)},
             {"fieldwork_end", iso(view.fieldworkEnd)},
             {"draft_report_date", iso(view.draftReportDate)},
             {"final_report_date", iso(view.finalReportDate)},
             {"resource_days", orNull(view.resourceDays)},
         }},
    };
    json["version"] = view.version;
    json["findings"] = view.findings;
    json["recommendations"] = view.recommendations;
}

void to_json(nlohmann::json& json, const ActionPage& view) {
    json = {{"items", view.items}, {"page", view.page}, {"per_page", view.perPage}, {"total", view.total}};
}

}  // namespace govtrack::http
