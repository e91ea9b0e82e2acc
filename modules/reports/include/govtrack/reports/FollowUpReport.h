#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "govtrack/domain/Repositories.h"
#include "govtrack/domain/Rules.h"

/// The auditor's follow-up report (SPEC 4.7): per recommendation and action, with totals.
namespace govtrack::reports {

struct LastUpdate {
    domain::Date date;
    std::string text;
    std::optional<int> percent;
};

/// One action with every derived figure (SPEC 4.2). The API's action views are built from these rows
/// too, so the report and the API can never disagree.
struct ActionRow {
    domain::Id id;
    int number = 0;
    std::string description;
    std::string leadOwner;                                ///< role title ("" if none)
    std::vector<std::string> coOwners;                    ///< role titles
    std::optional<domain::TargetDate> targetDate;         ///< original
    std::optional<domain::TargetDate> currentTargetDate;  ///< effective (latest approved revision)
    int revisions = 0;
    int totalSlipDays = 0;
    domain::ActionStatus status = domain::ActionStatus::kNotStarted;
    domain::Rag rag = domain::Rag::kGreen;
    bool overdue = false;
    int daysOverdue = 0;
    std::optional<LastUpdate> lastUpdate;
    std::string auditorAssessment;
    std::string unit;  ///< lead owner's unit name ("" if none)
    std::optional<domain::Pillar> pillar;
    std::optional<domain::LineOfDefence> lineOfDefence;
    std::vector<domain::RevisedTargetDate> revisionHistory;  ///< approved revisions, oldest first
    std::optional<domain::Id> responsibleGroupId;
};

struct RecommendationRow {
    domain::Id id;
    std::string engagement;  ///< engagement reference
    std::string engagementTitle;
    int number = 0;
    std::string title;
    domain::Priority priority = domain::Priority::kMedium;
    domain::ManagementResponse managementResponse = domain::ManagementResponse::kAccepted;
    domain::RecommendationStatus status = domain::RecommendationStatus::kNotImplemented;
    std::vector<std::string> owners;  ///< lead owners then co-owners of all actions, de-duplicated, in order
    std::optional<domain::TargetDate> targetDate;         ///< latest original target over its actions
    std::optional<domain::TargetDate> currentTargetDate;  ///< latest effective due date over open actions
    int revisions = 0;                                    ///< sum over actions
    int daysOverdue = 0;                                  ///< max over actions
    int openActions = 0;
    int overdueActions = 0;
    std::vector<std::string> linkedRisks;  ///< risk references, e.g. "CR-012"
    std::string issue;
    std::string risk;
    std::string text;
    std::string responseText;
    std::vector<ActionRow> actions;
};

struct OverdueTotals {
    int actions = 0;                     ///< overdue actions
    int recommendations = 0;             ///< recommendations with at least one overdue action
    std::map<std::string, int> byOwner;  ///< owner role title -> overdue actions they lead or co-own
    std::map<std::string, int> byUnit;   ///< lead owner's unit -> overdue actions ("(no unit)")
};

struct Totals {
    int recommendations = 0;
    int actions = 0;
    std::map<domain::Priority, int> byPriority;            ///< every priority present, zero if none
    std::map<domain::RecommendationStatus, int> byStatus;  ///< every status present, zero if none
    std::map<domain::RecommendationStatus, std::map<domain::Priority, int>> byStatusAndPriority;
    double implementedPercent = 0.0;  ///< implemented / recommendations x 100, one decimal; 0 if none
    OverdueTotals overdue;
};

struct FollowUpReport {
    domain::Date asOf;
    std::optional<std::string> engagementFilter;
    std::vector<RecommendationRow> recommendations;  ///< by engagement reference, then number
    Totals totals;
};

/// Builds the report from a snapshot as it stands on `asOf` (overdue is measured against asOf).
/// Pure: no I/O. SPEC 4.2, 4.7.
FollowUpReport buildFollowUpReport(const domain::ActionPlanSnapshot& snapshot, domain::Date asOf,
                                   std::optional<std::string> engagementFilter = std::nullopt,
                                   int amberWindowDays = domain::kDefaultAmberWindowDays);

/// JSON contract (snake_case; documented in docs/reports.md): top-level as_of, engagement,
/// recommendations[], totals{by_priority, by_status, by_status_priority, implemented_percent, overdue}.
std::string renderJson(const FollowUpReport& report);

/// One row per action (recommendations without actions get one row) for a spreadsheet: labels as
/// people write them ("Partially accepted", "In progress"), dates as the organisation writes them
/// ("31/12/2025", month-only "Dec 2025" kept as text so Excel does not turn it into the 1st), RFC 4180
/// quoting, CRLF line ends; cells starting with = + - @ (or tab / CR) are prefixed with ' so
/// spreadsheets do not run them as formulas. `withBom` prepends a UTF-8 BOM for Excel.
std::string renderCsv(const FollowUpReport& report, bool withBom = false);

/// A self-contained printable HTML page (no scripts, inline print CSS); all text is HTML-escaped.
std::string renderHtml(const FollowUpReport& report);

/// A readable fixed-width table for a terminal, followed by the totals.
std::string renderTable(const FollowUpReport& report);

}  // namespace govtrack::reports
