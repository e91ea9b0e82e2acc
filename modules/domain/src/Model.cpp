#include "govtrack/domain/Model.h"

#include <array>
#include <cctype>
#include <utility>

namespace govtrack::domain {

namespace {

template <typename E, std::size_t N>
using NameTable = std::array<std::pair<E, std::string_view>, N>;

constexpr NameTable<Priority, 3> kPriorities{
    {{Priority::kHigh, "high"}, {Priority::kMedium, "medium"}, {Priority::kLow, "low"}}};
constexpr NameTable<ManagementResponse, 4> kResponses{{{ManagementResponse::kAccepted, "accepted"},
                                                       {ManagementResponse::kPartiallyAccepted, "partially_accepted"},
                                                       {ManagementResponse::kRiskTolerated, "risk_tolerated"},
                                                       {ManagementResponse::kRejected, "rejected"}}};
constexpr NameTable<AssuranceLevel, 4> kAssurance{{{AssuranceLevel::kSubstantial, "substantial"},
                                                   {AssuranceLevel::kReasonable, "reasonable"},
                                                   {AssuranceLevel::kLimited, "limited"},
                                                   {AssuranceLevel::kInsufficient, "insufficient"}}};
constexpr NameTable<EngagementStatus, 5> kEngagementStatuses{{{EngagementStatus::kPlanned, "planned"},
                                                              {EngagementStatus::kFieldwork, "fieldwork"},
                                                              {EngagementStatus::kDraft, "draft"},
                                                              {EngagementStatus::kFinal, "final"},
                                                              {EngagementStatus::kClosed, "closed"}}};
constexpr NameTable<FindingKind, 2> kFindingKinds{
    {{FindingKind::kGoodPractice, "good_practice"}, {FindingKind::kImprovementOpportunity, "improvement_opportunity"}}};
constexpr NameTable<UnitKind, 3> kUnitKinds{
    {{UnitKind::kDirectorate, "directorate"}, {UnitKind::kDivision, "division"}, {UnitKind::kTeam, "team"}}};
constexpr NameTable<GroupKind, 5> kGroupKinds{{{GroupKind::kBoard, "board"},
                                               {GroupKind::kCommittee, "committee"},
                                               {GroupKind::kGroup, "group"},
                                               {GroupKind::kForum, "forum"},
                                               {GroupKind::kWorkingGroup, "working_group"}}};
constexpr NameTable<ActionStatus, 7> kActionStatuses{{{ActionStatus::kNotStarted, "not_started"},
                                                      {ActionStatus::kInProgress, "in_progress"},
                                                      {ActionStatus::kImplemented, "implemented"},
                                                      {ActionStatus::kVerified, "verified"},
                                                      {ActionStatus::kRiskAccepted, "risk_accepted"},
                                                      {ActionStatus::kSuperseded, "superseded"},
                                                      {ActionStatus::kWithdrawn, "withdrawn"}}};
constexpr NameTable<RecommendationStatus, 5> kRecommendationStatuses{
    {{RecommendationStatus::kImplemented, "implemented"},
     {RecommendationStatus::kPartiallyImplemented, "partially_implemented"},
     {RecommendationStatus::kNotImplemented, "not_implemented"},
     {RecommendationStatus::kRiskAccepted, "risk_accepted"},
     {RecommendationStatus::kNotAccepted, "not_accepted"}}};
constexpr NameTable<Rag, 4> kRags{
    {{Rag::kRed, "red"}, {Rag::kAmber, "amber"}, {Rag::kGreen, "green"}, {Rag::kComplete, "complete"}}};
constexpr NameTable<Pillar, 6> kPillars{{{Pillar::kPrevent, "prevent"},
                                         {Pillar::kIdentify, "identify"},
                                         {Pillar::kLearning, "learning"},
                                         {Pillar::kLeadershipAccountability, "leadership_accountability"},
                                         {Pillar::kResolution, "resolution"},
                                         {Pillar::kStandards, "standards"}}};
constexpr NameTable<LineOfDefence, 3> kLines{
    {{LineOfDefence::kFirst, "first"}, {LineOfDefence::kSecond, "second"}, {LineOfDefence::kThird, "third"}}};

constexpr NameTable<Role, 4> kRoles{{{Role::kAdmin, "admin"},
                                     {Role::kSecretariat, "secretariat"},
                                     {Role::kAuditor, "auditor"},
                                     {Role::kViewer, "viewer"}}};
constexpr NameTable<MemberRole, 3> kMemberRoles{
    {{MemberRole::kChair, "chair"}, {MemberRole::kSecretary, "secretary"}, {MemberRole::kMember, "member"}}};
constexpr NameTable<PowerKind, 4> kPowerKinds{{{PowerKind::kApproveRevisedDate, "approve_revised_date"},
                                               {PowerKind::kAcceptRisk, "accept_risk"},
                                               {PowerKind::kCloseRecommendation, "close_recommendation"},
                                               {PowerKind::kWithdrawAction, "withdraw_action"}}};
constexpr NameTable<RequestStatus, 3> kRequestStatuses{{{RequestStatus::kPending, "pending"},
                                                        {RequestStatus::kApproved, "approved"},
                                                        {RequestStatus::kRefused, "refused"}}};

template <typename E, std::size_t N>
std::string_view nameOf(const NameTable<E, N>& table, E value) noexcept {
    for (const auto& [v, name] : table) {
        if (v == value) return name;
    }
    return "unknown";
}

/// Lower-case, trim, and fold spaces, hyphens and "&" runs to single underscores.
std::string normalise(std::string_view s) {
    std::string out;
    bool pendingSeparator = false;
    for (char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isspace(u) || c == '-' || c == '_' || c == '&') {
            pendingSeparator = !out.empty();
            continue;
        }
        if (pendingSeparator) out.push_back('_');
        pendingSeparator = false;
        out.push_back(static_cast<char>(std::tolower(u)));
    }
    return out;
}

template <typename E, std::size_t N>
std::optional<E> parseOf(const NameTable<E, N>& table, std::string_view s) {
    const std::string key = normalise(s);
    for (const auto& [v, name] : table) {
        if (name == key) return v;
    }
    return std::nullopt;
}

template <typename E, std::size_t N>
std::string allowedOf(const NameTable<E, N>& table) {
    std::string out;
    for (const auto& [v, name] : table) {
        if (!out.empty()) out += ", ";
        out += name;
    }
    return out;
}

}  // namespace

std::string_view toString(Priority v) noexcept {
    return nameOf(kPriorities, v);
}
std::string_view toString(ManagementResponse v) noexcept {
    return nameOf(kResponses, v);
}
std::string_view toString(AssuranceLevel v) noexcept {
    return nameOf(kAssurance, v);
}
std::string_view toString(EngagementStatus v) noexcept {
    return nameOf(kEngagementStatuses, v);
}
std::string_view toString(FindingKind v) noexcept {
    return nameOf(kFindingKinds, v);
}
std::string_view toString(UnitKind v) noexcept {
    return nameOf(kUnitKinds, v);
}
std::string_view toString(GroupKind v) noexcept {
    return nameOf(kGroupKinds, v);
}
std::string_view toString(ActionStatus v) noexcept {
    return nameOf(kActionStatuses, v);
}
std::string_view toString(RecommendationStatus v) noexcept {
    return nameOf(kRecommendationStatuses, v);
}
std::string_view toString(Rag v) noexcept {
    return nameOf(kRags, v);
}
std::string_view toString(Pillar v) noexcept {
    return nameOf(kPillars, v);
}
std::string_view toString(LineOfDefence v) noexcept {
    return nameOf(kLines, v);
}
std::string_view toString(Role v) noexcept {
    return nameOf(kRoles, v);
}
std::string_view toString(MemberRole v) noexcept {
    return nameOf(kMemberRoles, v);
}
std::string_view toString(PowerKind v) noexcept {
    return nameOf(kPowerKinds, v);
}
std::string_view toString(RequestStatus v) noexcept {
    return nameOf(kRequestStatuses, v);
}

std::optional<Priority> parsePriority(std::string_view s) {
    const std::string key = normalise(s);
    if (key == "h") return Priority::kHigh;
    if (key == "m") return Priority::kMedium;
    if (key == "l") return Priority::kLow;
    return parseOf(kPriorities, s);
}
std::optional<ManagementResponse> parseManagementResponse(std::string_view s) {
    return parseOf(kResponses, s);
}
std::optional<AssuranceLevel> parseAssuranceLevel(std::string_view s) {
    return parseOf(kAssurance, s);
}
std::optional<EngagementStatus> parseEngagementStatus(std::string_view s) {
    return parseOf(kEngagementStatuses, s);
}
std::optional<FindingKind> parseFindingKind(std::string_view s) {
    return parseOf(kFindingKinds, s);
}
std::optional<UnitKind> parseUnitKind(std::string_view s) {
    return parseOf(kUnitKinds, s);
}
std::optional<GroupKind> parseGroupKind(std::string_view s) {
    return parseOf(kGroupKinds, s);
}
std::optional<ActionStatus> parseActionStatus(std::string_view s) {
    return parseOf(kActionStatuses, s);
}
std::optional<Pillar> parsePillar(std::string_view s) {
    return parseOf(kPillars, s);
}
std::optional<LineOfDefence> parseLineOfDefence(std::string_view s) {
    return parseOf(kLines, s);
}

std::string tidyNaturalKey(std::string_view key) {
    std::string out;
    bool pendingSpace = false;
    for (std::size_t i = 0; i < key.size(); ++i) {
        const char c = key[i];
        const std::string_view rest = key.substr(i);
        // Invisible characters that spreadsheets leave behind count as nothing: byte order mark,
        // zero-width space / non-joiner / joiner, word joiner. A no-break space counts as a space.
        if (rest.starts_with("\xEF\xBB\xBF") || rest.starts_with("\xE2\x80\x8B") || rest.starts_with("\xE2\x80\x8C") ||
            rest.starts_with("\xE2\x80\x8D") || rest.starts_with("\xE2\x81\xA0")) {
            i += 2;
            continue;
        }
        if (rest.starts_with("\xC2\xA0")) {
            ++i;
            pendingSpace = !out.empty();
            continue;
        }
        if (std::isspace(static_cast<unsigned char>(c))) {
            pendingSpace = !out.empty();
            continue;
        }
        if (pendingSpace) out.push_back(' ');
        pendingSpace = false;
        out.push_back(c);
    }
    return out;
}

std::string foldNaturalKey(std::string_view key) {
    std::string out = tidyNaturalKey(key);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

std::optional<RecommendationStatus> parseRecommendationStatus(std::string_view s) {
    return parseOf(kRecommendationStatuses, s);
}

std::optional<Role> parseRole(std::string_view s) {
    return parseOf(kRoles, s);
}
std::optional<MemberRole> parseMemberRole(std::string_view s) {
    return parseOf(kMemberRoles, s);
}
std::optional<PowerKind> parsePowerKind(std::string_view s) {
    return parseOf(kPowerKinds, s);
}
std::optional<RequestStatus> parseRequestStatus(std::string_view s) {
    return parseOf(kRequestStatuses, s);
}

std::string allowedPriorities() {
    return allowedOf(kPriorities);
}
std::string allowedManagementResponses() {
    return allowedOf(kResponses);
}
std::string allowedAssuranceLevels() {
    return allowedOf(kAssurance);
}
std::string allowedEngagementStatuses() {
    return allowedOf(kEngagementStatuses);
}
std::string allowedActionStatuses() {
    return allowedOf(kActionStatuses);
}
std::string allowedRecommendationStatuses() {
    return allowedOf(kRecommendationStatuses);
}
std::string allowedUnitKinds() {
    return allowedOf(kUnitKinds);
}
std::string allowedGroupKinds() {
    return allowedOf(kGroupKinds);
}
std::string allowedFindingKinds() {
    return allowedOf(kFindingKinds);
}
std::string allowedPillars() {
    return allowedOf(kPillars);
}
std::string allowedLinesOfDefence() {
    return allowedOf(kLines);
}
std::string allowedRoles() {
    return allowedOf(kRoles);
}
std::string allowedMemberRoles() {
    return allowedOf(kMemberRoles);
}
std::string allowedPowerKinds() {
    return allowedOf(kPowerKinds);
}

namespace {
constexpr NameTable<RiskLevel, 3> kRiskLevels{{{RiskLevel::kStrategic, "strategic"},
                                               {RiskLevel::kDivisional, "divisional"},
                                               {RiskLevel::kProgramme, "programme"}}};
constexpr NameTable<Appetite, 5> kAppetites{{{Appetite::kAverse, "averse"},
                                             {Appetite::kMinimal, "minimal"},
                                             {Appetite::kCautious, "cautious"},
                                             {Appetite::kOpen, "open"},
                                             {Appetite::kEager, "eager"}}};
constexpr NameTable<RiskStatus, 2> kRiskStatuses{{{RiskStatus::kOpen, "open"}, {RiskStatus::kClosed, "closed"}}};
constexpr NameTable<EscalationKind, 3> kEscalationKinds{{{EscalationKind::kEscalate, "escalate"},
                                                         {EscalationKind::kDeEscalate, "de_escalate"},
                                                         {EscalationKind::kNoEscalation, "no_escalation"}}};
}  // namespace

std::string_view toString(RiskLevel v) noexcept {
    return nameOf(kRiskLevels, v);
}
std::string_view toString(Appetite v) noexcept {
    return nameOf(kAppetites, v);
}
std::string_view toString(RiskStatus v) noexcept {
    return nameOf(kRiskStatuses, v);
}
std::string_view toString(EscalationKind v) noexcept {
    return nameOf(kEscalationKinds, v);
}
std::optional<RiskLevel> parseRiskLevel(std::string_view s) {
    return parseOf(kRiskLevels, s);
}
std::optional<Appetite> parseAppetite(std::string_view s) {
    return parseOf(kAppetites, s);
}
std::optional<RiskStatus> parseRiskStatus(std::string_view s) {
    return parseOf(kRiskStatuses, s);
}
std::optional<EscalationKind> parseEscalationKind(std::string_view s) {
    return parseOf(kEscalationKinds, s);
}
std::string allowedRiskLevels() {
    return allowedOf(kRiskLevels);
}
std::string allowedAppetites() {
    return allowedOf(kAppetites);
}
std::string allowedRiskStatuses() {
    return allowedOf(kRiskStatuses);
}
int rankOf(RiskLevel level) noexcept {
    return static_cast<int>(level);
}

}  // namespace govtrack::domain
