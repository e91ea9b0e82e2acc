#pragma once

#include <optional>
#include <string>
#include <vector>

#include "govtrack/domain/Actor.h"
#include "govtrack/domain/AuditTrail.h"
#include "govtrack/domain/Clock.h"
#include "govtrack/domain/Repositories.h"

/// What people do to actions and groups (SPEC 4.1, 4.3, 4.4): move an action through the workflow,
/// post progress with evidence, ask for a revised target date, decide such requests within a group's
/// delegated authority, supersede a group. Every change is checked against the rules, written in one
/// transaction and recorded in the audit trail in that same transaction.
namespace govtrack::domain {

/// Largest evidence file, in bytes (10 MiB).
inline constexpr std::size_t kMaxEvidenceBytes = 10u << 20;

/// The media type of a file judged from its first bytes (never from its name): PDF, PNG, JPEG, GIF,
/// ZIP-based Office documents (application/zip), or UTF-8 plain text without control characters.
/// nullopt for anything else (executables, unknown binaries), which is refused.
std::optional<std::string> sniffMediaType(const std::string& content);

/// The name an evidence file is downloaded under: the uploaded name when its extension fits the media
/// type sniffed at upload (pdf; png; jpg, jpeg; gif; docx, xlsx, pptx, odt, ods, odp, zip; txt, csv, md,
/// log), else that name with the type's own extension appended ("minutes.hta" holding text is downloaded
/// as "minutes.hta.txt", "board.docm" as "board.docm.zip"), so the reader's computer opens it as what it
/// is, never runs it. Case-insensitive.
std::string evidenceDownloadName(const Evidence& evidence);

/// Why a ZIP-based evidence file (an Office document or a .zip) is refused, nullopt if it is not: a
/// member that would run when opened (.exe, .dll, .bat, .cmd, .com, .scr, .msi, .ps1, .vbs, .js, .hta,
/// .jar, .lnk, ...), Office macros (a vbaProject.bin member), or an archive whose central directory
/// cannot be read. Reads only the member names (PKWARE APPNOTE 4.3.12/4.3.16); nested archives are not
/// opened.
std::optional<std::string> archiveProblem(std::string_view zip);

/// An uploaded file.
struct EvidenceUpload {
    std::string fileName;
    std::string content;
};

/// An action found by reference, with its recommendation and engagement.
struct ActionInContext {
    Engagement engagement;
    Recommendation recommendation;
    Action action;
    /// "IA-2024-25-PM 1.1"
    std::string name() const;
};

/// Finds an action by reference "IA-2024-25-PM/1.1" (or "IA-2024-25-PM 1.1", case and spacing as
/// foldNaturalKey) or by id. Throws NotFoundError naming the reference; ValidationError if malformed.
ActionInContext findAction(StoreSession& session, const std::string& reference);

/// A move request (SPEC 4.1).
struct MoveRequest {
    ActionStatus to = ActionStatus::kInProgress;
    std::string reason;
    std::string evidenceNote;                     ///< a link or description of the evidence
    std::vector<EvidenceUpload> evidence;         ///< files
    std::optional<std::string> groupName;         ///< the deciding group, for moves that need a group decision
    std::string decisionReference;                ///< e.g. the minute reference
    std::optional<std::string> supersededBy;      ///< action reference of the replacement
    std::optional<std::int64_t> expectedVersion;  ///< optimistic concurrency (If-Match): stale -> ConflictError
};

class ActionService {
public:
    ActionService(StoreSession& session, AuditTrail& audit, const Clock& clock, IdGenerator& ids, Hasher& hasher)
        : session_(session), audit_(audit), clock_(clock), ids_(ids), hasher_(hasher) {}

    /// Moves an action through the workflow table (ActionWorkflow.h). Throws InvalidTransitionError for a
    /// move not in the table (naming the current and allowed states), ForbiddenError when the actor may not
    /// make it (naming who may, or the group holding the power), ValidationError for a missing reason,
    /// evidence, group or replacement, ConflictError(stale) when expectedVersion is out of date.
    Action move(const Actor& actor, const std::string& actionRef, const MoveRequest& request);

    /// Posts a progress update (owners, secretariat) with optional evidence files. percent 0..100.
    /// `expectedVersion`: the action version the caller read (If-Match); stale -> ConflictError.
    ProgressUpdate addProgress(const Actor& actor, const std::string& actionRef, const std::string& text,
                               std::optional<int> percent, const std::vector<EvidenceUpload>& evidence,
                               std::optional<std::int64_t> expectedVersion = std::nullopt);

    /// An owner asks for a new target date (SPEC 4.3). The request is routed to the lowest group in the
    /// action's responsible group's chain whose approve_revised_date power covers the recommendation's
    /// priority and the total slip from the original date, else up the parent chain; if none covers it,
    /// it is refused (ValidationError naming the slip and the largest limit). A date not later than the
    /// current due date, or before the original, is refused.
    RevisionRequest requestRevisedDate(const Actor& actor, const std::string& actionRef, TargetDate newDate,
                                       const std::string& reason,
                                       std::optional<std::int64_t> expectedVersion = std::nullopt);

    /// Approves or refuses a pending request on behalf of `groupName` (default: the group it was routed
    /// to). The actor must be that group's chair or secretary, the group must be effective today and hold
    /// a covering power; otherwise ForbiddenError naming the group that holds it. Approval appends the
    /// revised target date to the action (approved by the group, with the decision date).
    RevisionRequest decide(const Actor& actor, const Id& requestId, bool approve, const std::string& note,
                           const std::optional<std::string>& groupName, const std::string& reference,
                           std::optional<std::int64_t> expectedVersion = std::nullopt);

    /// Replaces group `oldName` by `newName` on `on` (SPEC 4.4): the old group's effective_to becomes `on`
    /// and superseded_by the new one; its open actions and pending requests move to the successor (each
    /// move is an event). Past decisions keep the old group as decider. Secretariat or admin only.
    /// Returns the number of actions and requests moved.
    std::pair<int, int> supersedeGroup(const Actor& actor, const std::string& oldName, const std::string& newName,
                                       Date on);

private:
    Evidence storeEvidence(const Actor& actor, const Action& action, const std::optional<Id>& progressUpdateId,
                           const EvidenceUpload& upload);
    bool isOwner(const Actor& actor, const Action& action) const;

    StoreSession& session_;
    AuditTrail& audit_;
    const Clock& clock_;
    IdGenerator& ids_;
    Hasher& hasher_;
};

}  // namespace govtrack::domain
