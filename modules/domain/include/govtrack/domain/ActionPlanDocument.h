#pragma once

#include <optional>
#include <string>
#include <vector>

#include "govtrack/domain/Model.h"

/// A management action plan as an import file states it: entities named by natural keys (unit name,
/// role title, group name, engagement reference, recommendation and action numbers) rather than
/// ids. Parsers in the interchange module produce it; ImportService applies it. SPEC 5 "Import".
///
/// Absent means "not stated": an empty string, an empty list or an empty optional leaves the stored
/// value as it is when the record already exists (a tracker with fewer columns than the full model
/// must not wipe what it does not carry). So an import can set a field but never blank it.
namespace govtrack::domain {

/// Where a record came from, for error messages: "plan.csv:7" or "plan.json:/engagements/0".
using Origin = std::string;

struct UnitRecord {
    Origin origin;
    std::string name;
    UnitKind kind = UnitKind::kDivision;
    std::optional<std::string> parentName;
};

struct PersonRecord {
    Origin origin;
    std::string roleTitle;
    std::string email;
    std::optional<std::string> unitName;
    std::optional<std::string> lineManagerRoleTitle;
    bool active = true;
    std::vector<Role> roles;  ///< system roles; empty = keep
};

struct MemberRecord {
    std::string roleTitle;
    MemberRole role = MemberRole::kMember;
};

struct GroupRecord {
    Origin origin;
    std::string name;
    GroupKind kind = GroupKind::kGroup;
    std::optional<std::string> parentName;
    std::string purpose;
    std::string remit;
    std::string meetingFrequency;
    std::string quorum;
    std::optional<TargetDate> effectiveFrom;
    std::optional<TargetDate> effectiveTo;
    std::optional<std::string> supersededByName;
    std::vector<MemberRecord> members;   ///< empty = keep
    std::vector<DelegatedPower> powers;  ///< empty = keep
};

/// The group decision behind a closed action (risk accepted, withdrawn), as a file states it.
struct DecisionRecord {
    std::string groupName;
    std::optional<std::string> decidedByRoleTitle;
    Date date;
    PowerKind power = PowerKind::kAcceptRisk;
    std::string reference;
};

struct ProgressUpdateRecord {
    Origin origin;
    Date date;
    std::optional<std::string> authorRoleTitle;
    std::string text;
    std::optional<int> percent;
};

struct RevisionRecord {
    Origin origin;
    TargetDate newDate;
    std::string reason;
    std::optional<std::string> requestedByRoleTitle;
    std::string approvedBy;
    std::optional<Date> decisionDate;
};

struct ActionRecord {
    Origin origin;
    int number = 1;
    std::string description;
    std::optional<std::string> leadOwnerRoleTitle;
    std::vector<std::string> coOwnerRoleTitles;
    std::optional<TargetDate> originalTargetDate;
    std::vector<RevisionRecord> revisions;  ///< the whole approved history, oldest first; empty = keep
    std::optional<ActionStatus> status;     ///< absent: keep; not_started for a new action
    std::optional<Pillar> pillar;
    std::optional<LineOfDefence> lineOfDefence;
    std::string auditorAssessment;
    std::vector<ProgressUpdateRecord> progressUpdates;
    std::optional<std::string> responsibleGroupName;  ///< the overseeing governance group
    std::optional<DecisionRecord> closure;  ///< required when the file moves an action to risk_accepted or withdrawn
};

struct RecommendationRecord {
    Origin origin;
    int number = 0;
    std::string title;
    std::string issue;
    std::string risk;
    std::string text;
    Priority priority = Priority::kMedium;
    std::optional<ManagementResponse> managementResponse;  ///< absent: keep; accepted for a new one
    std::string responseText;
    std::vector<std::string> linkedRiskReferences;
    std::vector<ActionRecord> actions;
};

struct FindingRecord {
    Origin origin;
    std::string number;
    FindingKind kind = FindingKind::kImprovementOpportunity;
    std::string text;
    std::optional<int> recommendationNumber;
};

struct EngagementRecord {
    Origin origin;
    Engagement engagement;                   ///< id, followsUpId, status and version are ignored on import
    std::optional<EngagementStatus> status;  ///< absent: keep; final for a new engagement
    std::optional<std::string> followsUpReference;
    std::vector<FindingRecord> findings;
    std::vector<RecommendationRecord> recommendations;
};

struct RiskRecord {
    Origin origin;
    Risk risk;  ///< id ignored on import
};

/// The whole file. Order of application: units, people, groups, risks, engagements.
struct ActionPlanDocument {
    std::vector<UnitRecord> units;
    std::vector<PersonRecord> people;
    std::vector<GroupRecord> groups;
    std::vector<RiskRecord> risks;
    std::vector<EngagementRecord> engagements;
};

}  // namespace govtrack::domain
