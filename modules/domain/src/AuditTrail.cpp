#include "govtrack/domain/AuditTrail.h"

#include <cstdio>

#include "govtrack/domain/AuditCodec.h"

namespace govtrack::domain {

namespace {

/// The codec's escaping (AuditCodec.cpp): one value never spans lines.
void line(std::string& out, std::string_view key, std::string_view value) {
    out.append(key).append("=").append(escapeCanonicalValue(value)).append("\n");
}

template <typename T>
std::string encodeOptional(const std::optional<T>& value) {
    return value ? encode(*value) : std::string();
}

/// Events per page when verifying: bounded memory on a chain of millions.
constexpr std::size_t kVerifyPage = 5000;

}  // namespace

std::string formatUtc(std::chrono::sys_seconds instant) {
    const auto day = std::chrono::floor<std::chrono::days>(instant);
    const std::chrono::year_month_day ymd{day};
    const std::chrono::hh_mm_ss time{instant - day};
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                  static_cast<int>(time.seconds().count()));
    return buf;
}

std::string canonicalEventText(const AuditEvent& e) {
    std::string out = e.prevHash;
    out += '\n';
    line(out, "seq", std::to_string(e.seq));
    line(out, "at", e.at);
    if (e.actorId) line(out, "actor_id", *e.actorId);
    line(out, "actor_name", e.actorName);
    line(out, "entity_type", e.entityType);
    line(out, "entity_id", e.entityId);
    line(out, "change", e.change);
    line(out, "before", e.before);
    line(out, "after", e.after);
    line(out, "reason", e.reason);
    return out;
}

std::string computeEventHash(const AuditEvent& event, Hasher& hasher) {
    return hasher.sha256Hex(canonicalEventText(event));
}

AuditEvent AuditTrail::record(const Actor& actor, std::string_view entityType, const Id& entityId,
                              std::string_view change, std::string before, std::string after, std::string reason) {
    const std::optional<AuditEvent> head = events_.lockHead();
    AuditEvent e;
    e.seq = head ? head->seq + 1 : 1;
    e.at = formatUtc(clock_.now());
    e.actorId = actor.personId;
    e.actorName = actor.name;
    e.entityType = std::string(entityType);
    e.entityId = entityId;
    e.change = std::string(change);
    e.before = std::move(before);
    e.after = std::move(after);
    e.reason = std::move(reason);
    e.prevHash = head ? head->hash : std::string();
    e.hash = computeEventHash(e, hasher_);
    events_.append(e);
    return e;
}

AuditEvent AuditTrail::recordEngagement(const Actor& actor, std::string_view change,
                                        const std::optional<Engagement>& before, const Engagement& after,
                                        std::string reason) {
    return record(actor, audit_entity::kEngagement, after.id, change, encodeOptional(before), encode(after),
                  std::move(reason));
}

AuditEvent AuditTrail::recordRecommendation(const Actor& actor, std::string_view change,
                                            const std::optional<Recommendation>& before, const Recommendation& after,
                                            std::string reason) {
    return record(actor, audit_entity::kRecommendation, after.id, change, encodeOptional(before), encode(after),
                  std::move(reason));
}

AuditEvent AuditTrail::recordAction(const Actor& actor, std::string_view change, const std::optional<Action>& before,
                                    const Action& after, std::string reason) {
    return record(actor, audit_entity::kAction, after.id, change, encodeOptional(before), encode(after),
                  std::move(reason));
}

AuditEvent AuditTrail::recordProgressUpdate(const Actor& actor, const ProgressUpdate& update) {
    return record(actor, audit_entity::kProgressUpdate, update.id, "create", {}, encode(update), {});
}

AuditEvent AuditTrail::recordGroup(const Actor& actor, std::string_view change,
                                   const std::optional<GovernanceGroup>& before, const GovernanceGroup& after,
                                   std::string reason) {
    return record(actor, audit_entity::kGroup, after.id, change, encodeOptional(before), encode(after),
                  std::move(reason));
}

AuditEvent AuditTrail::recordPerson(const Actor& actor, std::string_view change, const std::optional<Person>& before,
                                    const Person& after, std::string reason) {
    return record(actor, audit_entity::kPerson, after.id, change, encodeOptional(before), encode(after),
                  std::move(reason));
}

AuditEvent AuditTrail::recordUnit(const Actor& actor, std::string_view change,
                                  const std::optional<OrganisationUnit>& before, const OrganisationUnit& after) {
    return record(actor, audit_entity::kUnit, after.id, change, encodeOptional(before), encode(after), {});
}

AuditEvent AuditTrail::recordRisk(const Actor& actor, std::string_view change, const std::optional<Risk>& before,
                                  const Risk& after, std::string reason) {
    return record(actor, audit_entity::kRisk, after.id, change, encodeOptional(before), encode(after),
                  std::move(reason));
}

AuditEvent AuditTrail::recordRiskRegister(const Actor& actor, std::string_view change,
                                          const std::optional<RiskRegister>& before, const RiskRegister& after) {
    return record(actor, audit_entity::kRiskRegister, after.id, change, encodeOptional(before), encode(after), {});
}

AuditEvent AuditTrail::recordFinding(const Actor& actor, std::string_view change, const std::optional<Finding>& before,
                                     const Finding& after) {
    return record(actor, audit_entity::kFinding, after.id, change, encodeOptional(before), encode(after), {});
}

AuditEvent AuditTrail::recordRevisionRequest(const Actor& actor, std::string_view change,
                                             const std::optional<RevisionRequest>& before, const RevisionRequest& after,
                                             std::string reason) {
    return record(actor, audit_entity::kRevisionRequest, after.id, change, encodeOptional(before), encode(after),
                  std::move(reason));
}

AuditEvent AuditTrail::recordEvidence(const Actor& actor, const Evidence& evidence) {
    return record(actor, audit_entity::kEvidence, evidence.id, "create", {}, encode(evidence), {});
}

ChainCheck verifyChain(EventRepository& events, Hasher& hasher) {
    ChainCheck check;
    std::int64_t expectedSeq = 1;
    std::string previousHash;  // the first event's prevHash is ""
    for (;;) {
        const std::vector<AuditEvent> page = events.list(expectedSeq, kVerifyPage);
        if (page.empty()) return check;
        for (const AuditEvent& e : page) {
            auto broken = [&](std::int64_t seq, std::string problem) {
                check.firstBroken = seq;
                check.problem = std::move(problem);
                return check;
            };
            const std::string what = " (" + e.entityType + " " + e.entityId + ", " + e.change + ")";
            if (e.seq != expectedSeq) {
                return broken(expectedSeq, expectedSeq + 1 == e.seq
                                               ? "event " + std::to_string(expectedSeq) + " is missing (deleted?)"
                                               : "events " + std::to_string(expectedSeq) + " to " +
                                                     std::to_string(e.seq - 1) + " are missing (deleted?)");
            }
            if (computeEventHash(e, hasher) != e.hash) {
                return broken(e.seq, "event " + std::to_string(e.seq) + what +
                                         ": hash does not match its content (altered or moved)");
            }
            if (e.prevHash != previousHash) {
                return broken(e.seq, "event " + std::to_string(e.seq) + what +
                                         ": prev_hash does not match the hash of event " + std::to_string(e.seq - 1) +
                                         " (an event before it was altered, removed "
                                         "or reordered)");
            }
            previousHash = e.hash;
            ++check.events;
            ++expectedSeq;
        }
    }
}

}  // namespace govtrack::domain
