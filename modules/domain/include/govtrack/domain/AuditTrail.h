#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "govtrack/domain/Actor.h"
#include "govtrack/domain/Clock.h"
#include "govtrack/domain/Model.h"

/// The audit trail (SPEC 4.8): every change is an append-only event, hash-chained so that any edit,
/// deletion or reordering of stored events is detected. Events also carry the entity's full state
/// after the change, so reports can be rebuilt as they stood on a past date (SPEC 4.7 "As-of").
namespace govtrack::domain {

/// One change. `before` and `after` are the entity's state in the canonical text form of
/// AuditCodec.h ("" for none: before is empty on create, after on a recorded deletion).
struct AuditEvent {
    std::int64_t seq = 0;       ///< 1, 2, 3, ... in append order, no gaps
    std::string at;             ///< UTC instant, "2025-06-30T08:15:00Z"
    std::optional<Id> actorId;  ///< the person, or nullopt for the system
    std::string actorName;      ///< role title or system description, as at the time
    std::string entityType;     ///< "engagement", "recommendation", "action", "progress_update", "group", ...
    Id entityId;
    std::string change;  ///< "create", "update", "transition", "decision", "supersede", ...
    std::string before;
    std::string after;
    std::string reason;
    std::string prevHash;  ///< hash of event seq-1 ("" for the first)
    std::string hash;      ///< SHA-256 hex over prevHash and the canonical event

    friend bool operator==(const AuditEvent&, const AuditEvent&) = default;
};

/// SHA-256 as lower-case hex (platform implements it; the domain links no crypto library).
class Hasher {
public:
    virtual ~Hasher() = default;
    virtual std::string sha256Hex(std::string_view data) = 0;
};

/// Storage port for events. Appends are serialised: lockHead() takes the chain head under a lock that
/// lasts until the enclosing transaction ends, across sessions and instances.
class EventRepository {
public:
    virtual ~EventRepository() = default;
    /// The last event (highest seq), nullopt if none, locked until the transaction ends.
    virtual std::optional<AuditEvent> lockHead() = 0;
    virtual void append(const AuditEvent& event) = 0;
    /// Events with seq >= fromSeq, ascending, at most `limit`.
    virtual std::vector<AuditEvent> list(std::int64_t fromSeq, std::size_t limit) = 0;
    virtual std::int64_t count() = 0;
    /// For each entity of the given types, its latest event with at < cutoff (UTC ISO), ascending seq.
    virtual std::vector<AuditEvent> latestBefore(const std::string& cutoffUtc,
                                                 const std::vector<std::string>& entityTypes) = 0;
};

/// "2025-06-30T08:15:00Z".
std::string formatUtc(std::chrono::sys_seconds instant);

/// Entity type names the typed AuditTrail helpers record (AuditEvent::entityType).
namespace audit_entity {
inline constexpr std::string_view kEngagement = "engagement";
inline constexpr std::string_view kRecommendation = "recommendation";
inline constexpr std::string_view kAction = "action";
inline constexpr std::string_view kProgressUpdate = "progress_update";
inline constexpr std::string_view kGroup = "group";
inline constexpr std::string_view kPerson = "person";
inline constexpr std::string_view kUnit = "unit";
inline constexpr std::string_view kRisk = "risk";
inline constexpr std::string_view kRiskRegister = "risk_register";
inline constexpr std::string_view kFinding = "finding";
inline constexpr std::string_view kRevisionRequest = "revision_request";
inline constexpr std::string_view kEvidence = "evidence";
/// A reminder sent on request (a chase); the entity id is the action's. Not a stored record: the drift
/// check and as-of rebuilds skip it.
inline constexpr std::string_view kReminder = "reminder";
}  // namespace audit_entity

/// The text an event's hash covers: prevHash, a newline, then every other field (seq, at, actor, entity,
/// change, before, after, reason) as canonical "key=value" lines (AuditCodec.h escaping). `hash` itself
/// is not part of it.
std::string canonicalEventText(const AuditEvent& event);

/// sha256Hex(canonicalEventText(event)): what `event.hash` must equal.
std::string computeEventHash(const AuditEvent& event, Hasher& hasher);

/// Writes events for a session's changes. Call inside the same StoreSession::transaction() as the
/// change itself, so the event and the change commit or roll back together.
class AuditTrail {
public:
    AuditTrail(EventRepository& events, const Clock& clock, Hasher& hasher)
        : events_(events), clock_(clock), hasher_(hasher) {}

    /// Appends one event chained to the current head. `before`/`after` are canonical texts.
    /// Returns the appended event.
    AuditEvent record(const Actor& actor, std::string_view entityType, const Id& entityId, std::string_view change,
                      std::string before, std::string after, std::string reason);

    /// Typed helpers: encode the states with AuditCodec.h and record. `before` nullopt = created.
    AuditEvent recordEngagement(const Actor& actor, std::string_view change, const std::optional<Engagement>& before,
                                const Engagement& after, std::string reason = {});
    AuditEvent recordRecommendation(const Actor& actor, std::string_view change,
                                    const std::optional<Recommendation>& before, const Recommendation& after,
                                    std::string reason = {});
    AuditEvent recordAction(const Actor& actor, std::string_view change, const std::optional<Action>& before,
                            const Action& after, std::string reason = {});
    AuditEvent recordProgressUpdate(const Actor& actor, const ProgressUpdate& update);
    AuditEvent recordGroup(const Actor& actor, std::string_view change, const std::optional<GovernanceGroup>& before,
                           const GovernanceGroup& after, std::string reason = {});
    AuditEvent recordPerson(const Actor& actor, std::string_view change, const std::optional<Person>& before,
                            const Person& after, std::string reason = {});
    AuditEvent recordUnit(const Actor& actor, std::string_view change, const std::optional<OrganisationUnit>& before,
                          const OrganisationUnit& after);
    AuditEvent recordRisk(const Actor& actor, std::string_view change, const std::optional<Risk>& before,
                          const Risk& after, std::string reason = {});
    AuditEvent recordRiskRegister(const Actor& actor, std::string_view change,
                                  const std::optional<RiskRegister>& before, const RiskRegister& after);
    AuditEvent recordFinding(const Actor& actor, std::string_view change, const std::optional<Finding>& before,
                             const Finding& after);
    AuditEvent recordRevisionRequest(const Actor& actor, std::string_view change,
                                     const std::optional<RevisionRequest>& before, const RevisionRequest& after,
                                     std::string reason = {});
    AuditEvent recordEvidence(const Actor& actor, const Evidence& evidence);

private:
    EventRepository& events_;
    const Clock& clock_;
    Hasher& hasher_;
};

/// Result of checking the chain (govtrack verify-audit-log).
struct ChainCheck {
    std::int64_t events = 0;                  ///< events read
    std::optional<std::int64_t> firstBroken;  ///< seq of the first event that does not verify
    std::string problem;                      ///< e.g. "hash does not match its content", "seq 41 missing"
};

/// Re-computes every hash from the first event on (reading in pages) and names the first broken link:
/// an altered event, a deleted one (a gap in seq or a prevHash that does not match), or a reordering.
ChainCheck verifyChain(EventRepository& events, Hasher& hasher);

/// Result of comparing the stored records with the trail (govtrack verify-audit-log).
struct DriftCheck {
    std::int64_t compared = 0;             ///< records whose latest event was compared
    std::int64_t withoutEvent = 0;         ///< records with no event (e.g. loaded before the trail existed)
    std::vector<std::string> differences;  ///< one line per record whose stored state is not its latest event's
};

class StoreSession;

/// Compares every stored engagement, recommendation, action, governance group, person, risk, risk register,
/// revised-date request, progress update and evidence record with the state its latest event recorded, and every
/// evidence file with its recorded SHA-256. A record changed directly in the database (outside govtrack)
/// no longer matches: the chain itself is intact, the data is not. Reads only.
DriftCheck checkRecordsAgainstTrail(StoreSession& session, Hasher& hasher);

}  // namespace govtrack::domain
