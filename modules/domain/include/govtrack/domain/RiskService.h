#pragma once

#include <optional>
#include <string>
#include <vector>

#include "govtrack/domain/ActionPlanDocument.h"
#include "govtrack/domain/Actor.h"
#include "govtrack/domain/AuditTrail.h"
#include "govtrack/domain/Clock.h"
#include "govtrack/domain/Repositories.h"
#include "govtrack/domain/RiskRules.h"

/// Changing risks (SPEC 4.5, issue 4): re-scoring, escalation decisions and the import of risk registers.
/// Every change runs in one transaction with its audit events (SPEC 4.8); on any throw nothing changes.
namespace govtrack::domain {

/// A risk register as an import file states it (names instead of ids). Absent = keep the stored value.
struct RiskRegisterRecord {
    Origin origin;
    std::string name;
    std::optional<RiskLevel> level;
    std::optional<std::string> ownerUnitName;
    std::optional<std::string> ownerGroupName;
    std::optional<int> escalationThreshold;
    std::vector<RiskTolerance> tolerances;  ///< empty = keep
    std::optional<int> reviewFrequencyDays;
};

/// A risk as an import file states it. `risk` carries the parsed values (ids empty); ratings are already
/// checked against the scoring matrix by the reader.
struct RiskImportRecord {
    Origin origin;
    std::string registerName;
    Risk risk;
    std::vector<std::string> ownerRoleTitles;  ///< created as people when unknown, like action owners
    std::optional<std::string> parentReference;
    bool statusGiven = false;  ///< false: keep the stored status (open for a new risk)
};

/// A risk register file (CSV, docs/risks.md "Import").
struct RiskRegisterDocument {
    std::vector<RiskRegisterRecord> registers;
    std::vector<RiskImportRecord> risks;
};

struct RiskImportSummary {
    int registers = 0;
    int risks = 0;
    int scoreChanges = 0;
    int people = 0;
    std::vector<std::string> changes;  ///< "created risk DR-CSD-01", in file order
};

/// New ratings for `rescore`; absent parts keep their value.
struct RiskRescore {
    std::optional<RiskRating> inherent;
    std::optional<RiskRating> current;
    std::optional<RiskRating> target;
    std::string reason;  ///< required when the target ends above the current score
};

/// An escalation decision request (SPEC 4.5).
struct EscalationRequest {
    std::string riskReference;
    std::string groupName;  ///< the governance group in which it was decided
    std::string reason;     ///< required for no_escalation and de_escalate
    /// escalate: the strategic risk to link to, or
    std::optional<std::string> toReference;
    /// escalate: a new strategic risk to create (reference, title) on `newRiskRegister` (or the only
    /// strategic register)
    std::optional<std::string> newRiskReference;
    std::string newRiskTitle;
    std::optional<std::string> newRiskRegister;
};

class RiskService {
public:
    RiskService(StoreSession& session, AuditTrail& audit, const Clock& clock, IdGenerator& ids, ScoringMatrix matrix)
        : session_(session), audit_(audit), clock_(clock), ids_(ids), matrix_(std::move(matrix)) {}

    /// Re-scores a risk and records it as a review: the score change is kept (history), last review is
    /// today, next review today + the register's review frequency. Throws NotFoundError (unknown risk),
    /// ValidationError (a rating outside the matrix naming the field and the range; a target above the
    /// current score without a reason; nothing given).
    Risk rescore(const std::string& reference, const RiskRescore& change, const Actor& actor);

    /// Escalates a divisional or programme risk to a strategic risk (an existing one, or one created here),
    /// setting its parent. Throws ForbiddenError unless the actor holds the secretariat or admin role or is
    /// chair or secretary of the group; NotFoundError for an unknown risk, group or target; ValidationError
    /// for a strategic or closed risk, a target not on a higher-level register, or a cycle of parents.
    EscalationDecision escalate(const EscalationRequest& request, const Actor& actor);
    /// Records that an escalated risk returns to its own register (the parent link stays as the route).
    /// ValidationError if it is not escalated or no reason is given.
    EscalationDecision deEscalate(const EscalationRequest& request, const Actor& actor);
    /// Records why a risk due for escalation is not escalated. ValidationError without a reason.
    EscalationDecision recordNoEscalation(const EscalationRequest& request, const Actor& actor);

    /// Applies a risk register file all-or-nothing: validates everything first and throws one
    /// ValidationError listing every problem with its origin (FILE:LINE), then writes registers, people,
    /// risks and their first (or changed) scores in one transaction with audit events.
    RiskImportSummary import(const RiskRegisterDocument& document, const Actor& actor, bool dryRun = false);

    const ScoringMatrix& matrix() const noexcept { return matrix_; }

private:
    EscalationDecision decide(EscalationKind kind, const EscalationRequest& request, const Actor& actor);
    void recordScoreChange(const Risk& risk, const Actor& actor, const std::string& reason);

    StoreSession& session_;
    AuditTrail& audit_;
    const Clock& clock_;
    IdGenerator& ids_;
    ScoringMatrix matrix_;
};

}  // namespace govtrack::domain
