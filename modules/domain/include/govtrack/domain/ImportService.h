#pragma once

#include "govtrack/domain/ActionPlanDocument.h"
#include "govtrack/domain/Actor.h"
#include "govtrack/domain/AuditTrail.h"
#include "govtrack/domain/Repositories.h"

namespace govtrack::domain {

/// Counts of what an import created or updated.
struct ImportSummary {
    int engagements = 0;
    int recommendations = 0;
    int actions = 0;
    int progressUpdates = 0;  ///< new ones only; an identical update already held is skipped
    int people = 0;
    int groups = 0;
    int units = 0;
    int risks = 0;
    /// One line per record created or changed, e.g. "updated action IA-2024-25-PM 1.1: status
    /// in_progress -> implemented", in document order.
    std::vector<std::string> changes;
};

enum class ImportMode {
    kApply,   ///< write and commit
    kDryRun,  ///< do everything, report the changes, then roll back: the store is untouched
};

/// Applies an ActionPlanDocument to a store, all-or-nothing (SPEC 5 "Import").
/// Records are matched by natural key (unit/group name, role title, risk and engagement reference,
/// recommendation number, action number), compared with foldNaturalKey, so "ia-2024-25-pm " finds
/// IA-2024-25-PM and importing the same document twice changes nothing. Values the document leaves
/// absent keep their stored value (ActionPlanDocument.h). People named only as owners are created by
/// role title. References to units, groups, people or engagements named nowhere (neither in the
/// document nor in the store) are errors. An import never reopens a closed action (verified,
/// risk_accepted, superseded, withdrawn): that is a workflow decision, not a file edit. A revised
/// target date earlier than the original target date is refused.
class ImportService {
public:
    ImportService(StoreSession& session, IdGenerator& ids) : session_(session), ids_(ids) {}
    /// Also records every record created or changed as an audit event by `actor` (SPEC 4.8), in the
    /// import's transaction: nothing is imported without its events, and a dry run records none.
    /// `audit` must write to `session`'s events (AuditTrail(session.events(), ...)).
    ImportService(StoreSession& session, IdGenerator& ids, AuditTrail& audit, Actor actor)
        : session_(session), ids_(ids), audit_(&audit), actor_(std::move(actor)) {}

    /// Validates the whole document first and throws ValidationError listing every problem, each
    /// with its origin ("plan.csv:7"), before anything is written; then applies it in one transaction.
    /// Throws ConflictError on a concurrent edit; the store is unchanged on any throw.
    ImportSummary apply(const ActionPlanDocument& document, ImportMode mode = ImportMode::kApply);

private:
    ActionPlanDocument canonicalise(const ActionPlanDocument& document);
    ImportSummary applyCanonical(const ActionPlanDocument& document, ImportMode mode);

    StoreSession& session_;
    IdGenerator& ids_;
    AuditTrail* audit_ = nullptr;  ///< nullptr: no events (tests of import rules alone)
    Actor actor_;
};

}  // namespace govtrack::domain
