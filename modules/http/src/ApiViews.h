#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "govtrack/domain/Dates.h"
#include "govtrack/domain/Model.h"

/// Response structs of the API and their JSON mapping (STYLE.md: JSON lives only in http; domain
/// entities are never serialised directly). Field names are the snake_case API contract of docs/api.md.
namespace govtrack::http {

struct RecommendationCounts {
    int high = 0;
    int medium = 0;
    int low = 0;
    int total = 0;
};

/// One row of GET /api/v1/engagements.
struct EngagementSummaryView {
    std::string reference;
    std::string title;
    std::string auditYear;
    std::optional<domain::AssuranceLevel> assuranceLevel;
    domain::EngagementStatus status = domain::EngagementStatus::kFinal;
    std::optional<domain::TargetDate> issueDate;
    RecommendationCounts recommendations;
};

struct RevisionView {
    domain::TargetDate newDate;
    std::string reason;
    std::string approvedBy;
    std::optional<domain::Date> decisionDate;
};

struct LastUpdateView {
    domain::Date date;
    std::string text;
    std::optional<int> percent;
};

/// An action with its derived dates, RAG and overdue figures as of the server's today (SPEC 4.2).
struct ActionView {
    std::string id;
    std::string engagement;  ///< engagement reference
    int recommendation = 0;  ///< recommendation number
    int number = 0;
    domain::Priority priority = domain::Priority::kMedium;  ///< the recommendation's
    std::string description;
    std::optional<std::string> leadOwner;                 ///< role title
    std::vector<std::string> coOwners;                    ///< role titles
    std::optional<domain::TargetDate> targetDate;         ///< original
    std::optional<domain::TargetDate> currentTargetDate;  ///< effective due date
    int revisions = 0;
    int totalSlipDays = 0;
    domain::ActionStatus status = domain::ActionStatus::kNotStarted;
    domain::Rag rag = domain::Rag::kGreen;
    bool overdue = false;
    int daysOverdue = 0;
    std::optional<domain::Pillar> pillar;
    std::optional<domain::LineOfDefence> lineOfDefence;
    std::optional<LastUpdateView> lastUpdate;
    std::string auditorAssessment;
    std::string unit;                                          ///< lead owner's unit name ("" if none)
    std::optional<std::string> group;                          ///< responsible governance group's name
    std::optional<std::vector<RevisionView>> revisionHistory;  ///< only in the engagement detail
};

/// A recommendation with its derived status (SPEC 4.1) and roll-ups over its actions.
struct RecommendationView {
    std::string id;
    std::string engagement;
    int number = 0;
    std::string title;
    domain::Priority priority = domain::Priority::kMedium;
    domain::ManagementResponse managementResponse = domain::ManagementResponse::kAccepted;
    domain::RecommendationStatus status = domain::RecommendationStatus::kNotImplemented;
    std::vector<std::string> linkedRisks;
    std::vector<std::string> owners;  ///< lead then co-owners over all actions, de-duplicated
    int actionsTotal = 0;
    int actionsOpen = 0;
    int actionsOverdue = 0;
    int daysOverdue = 0;                                  ///< max over actions
    std::optional<domain::TargetDate> currentTargetDate;  ///< latest effective due date over open actions
    /// Detail only (engagement detail): the full texts and the actions.
    struct Detail {
        std::string issue;
        std::string risk;
        std::string text;
        std::string responseText;
        std::vector<ActionView> actions;
    };
    std::optional<Detail> detail;
};

struct FindingView {
    std::string number;
    domain::FindingKind kind = domain::FindingKind::kImprovementOpportunity;
    std::string text;
    std::optional<int> recommendationNumber;
};

/// GET /api/v1/engagements/{ref}.
struct EngagementDetailView {
    EngagementSummaryView summary;
    std::optional<std::string> followsUp;  ///< reference of the earlier engagement
    std::string scope;
    std::vector<std::string> remitItems;
    std::vector<std::string> keyRisks;
    std::optional<domain::TargetDate> fieldworkStart;
    std::optional<domain::TargetDate> fieldworkEnd;
    std::optional<domain::TargetDate> draftReportDate;
    std::optional<domain::TargetDate> finalReportDate;
    std::optional<int> resourceDays;
    std::int64_t version = 1;
    std::vector<FindingView> findings;
    std::vector<RecommendationView> recommendations;
};

/// GET /api/v1/actions: one page plus the total number matching the filters.
struct ActionPage {
    std::vector<ActionView> items;
    int page = 1;
    int perPage = 50;
    int total = 0;
};

void to_json(nlohmann::json& json, const RecommendationCounts& view);
void to_json(nlohmann::json& json, const EngagementSummaryView& view);
void to_json(nlohmann::json& json, const RevisionView& view);
void to_json(nlohmann::json& json, const LastUpdateView& view);
void to_json(nlohmann::json& json, const ActionView& view);
void to_json(nlohmann::json& json, const RecommendationView& view);
void to_json(nlohmann::json& json, const FindingView& view);
void to_json(nlohmann::json& json, const EngagementDetailView& view);
void to_json(nlohmann::json& json, const ActionPage& view);

}  // namespace govtrack::http
