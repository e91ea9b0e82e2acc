#include <map>

#include "govtrack/domain/AuditCodec.h"
#include "govtrack/domain/AuditTrail.h"
#include "govtrack/domain/Repositories.h"
#include "govtrack/domain/StoreTransfer.h"

namespace govtrack::domain {

namespace {

/// Compares stored records of one entity type with their latest events.
template <typename T, typename Decode, typename Name>
void compare(const std::vector<T>& stored, const std::map<Id, AuditEvent>& latest, Decode decode, Name name,
             const char* type, DriftCheck& check) {
    for (const auto& record : stored) {
        const auto event = latest.find(record.id);
        if (event == latest.end()) {
            ++check.withoutEvent;
            continue;
        }
        ++check.compared;
        bool same = false;
        try {
            same = !event->second.after.empty() && decode(event->second.after) == record;
        } catch (const std::exception&) {
            same = false;  // an event whose state cannot be read does not vouch for the record
        }
        if (!same) {
            check.differences.push_back(std::string(type) + " " + name(record) + " differs from its latest event (" +
                                        std::to_string(event->second.seq) + ", " + event->second.at +
                                        "): it was changed outside govtrack");
        }
    }
}

}  // namespace

DriftCheck checkRecordsAgainstTrail(StoreSession& session, Hasher& hasher) {
    DriftCheck check;
    StoreTransfer* transfer = session.transfer();
    if (!transfer) return check;
    const StoreContents all = transfer->exportAll();
    std::map<Id, AuditEvent> latest;
    for (auto& e : session.events().latestBefore(
             "9999-12-31T23:59:59Z", {"engagement", "recommendation", "action", "group", "person", "revision_request",
                                      "progress_update", "evidence", "risk", "risk_register"})) {
        latest[e.entityId] = std::move(e);
    }
    std::map<Id, std::string> engagementRefs, recNames;
    for (const auto& e : all.engagements) engagementRefs[e.id] = e.reference;
    for (const auto& r : all.recommendations)
        recNames[r.id] = engagementRefs[r.engagementId] + " " + std::to_string(r.number);

    compare(
        all.engagements, latest, decodeEngagement, [](const Engagement& e) { return e.reference; }, "engagement",
        check);
    compare(
        all.recommendations, latest, decodeRecommendation, [&](const Recommendation& r) { return recNames[r.id]; },
        "recommendation", check);
    compare(
        all.actions, latest, decodeAction,
        [&](const Action& a) { return recNames[a.recommendationId] + "." + std::to_string(a.number); }, "action",
        check);
    compare(
        all.groups, latest, decodeGroup, [](const GovernanceGroup& g) { return g.name; }, "group", check);
    compare(
        all.people, latest, decodePerson, [](const Person& p) { return p.roleTitle; }, "person", check);
    compare(
        all.risks, latest, decodeRisk, [](const Risk& r) { return r.reference; }, "risk", check);
    compare(
        all.riskRegisters, latest, decodeRiskRegister, [](const RiskRegister& r) { return r.name; }, "risk register",
        check);
    compare(
        all.revisionRequests, latest, decodeRevisionRequest, [](const RevisionRequest& r) { return r.id; },
        "revised-date request", check);
    std::map<Id, std::string> actionNames;
    for (const auto& a : all.actions) actionNames[a.id] = recNames[a.recommendationId] + "." + std::to_string(a.number);
    compare(
        all.progressUpdates, latest, decodeProgressUpdate,
        [&](const ProgressUpdate& u) {
            return "on action " + actionNames[u.actionId] + " (" + formatIso(u.date) + ")";
        },
        "progress update", check);
    std::vector<Evidence> evidence;
    for (const auto& e : all.evidence) evidence.push_back(e.evidence);
    compare(
        evidence, latest, decodeEvidence,
        [&](const Evidence& e) { return e.id + " on action " + actionNames[e.actionId]; }, "evidence", check);
    for (const auto& e : all.evidence) {
        if (e.evidence.fileName.empty() && e.content.empty()) continue;  // a note: no file
        if (hasher.sha256Hex(e.content) != e.evidence.sha256) {
            check.differences.push_back("evidence " + e.evidence.id + " on action " + actionNames[e.evidence.actionId] +
                                        ": the file no longer matches its recorded SHA-256");
        }
    }
    return check;
}

}  // namespace govtrack::domain
