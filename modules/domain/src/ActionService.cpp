#include "govtrack/domain/ActionService.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>

#include "govtrack/domain/ActionWorkflow.h"
#include "govtrack/domain/Authority.h"
#include "govtrack/domain/Error.h"
#include "govtrack/domain/Rules.h"
#include "govtrack/domain/Text.h"

namespace govtrack::domain {

namespace {

std::string trimmed(const std::string& s) {
    return tidyNaturalKey(s);
}

std::string priorityText(Priority p) {
    return std::string(toString(p));
}

/// "approve_revised_date for medium priority up to 90 days of slip"
std::string describePower(PowerKind kind, Priority priority, std::optional<int> slip) {
    std::string out = std::string(toString(kind)) + " for " + priorityText(priority) + " priority";
    if (slip) out += " and a total slip of " + std::to_string(*slip) + " days";
    return out;
}

/// "held by Executive Team" or "held by no group".
std::string heldBy(const GroupChart& chart, PowerKind kind, Priority priority, int slip) {
    const auto holders = chart.holders(kind, priority, slip);
    if (holders.empty()) return "no group holds it";
    std::string out = "it is held by ";
    for (std::size_t i = 0; i < holders.size(); ++i) {
        if (i > 0) out += i + 1 == holders.size() ? " and " : ", ";
        out += holders[i]->name;
    }
    return out;
}

void requireText(const std::string& value, const char* what, TextKind kind = TextKind::kMultiLine) {
    if (trimmed(value).empty()) {
        throw ValidationError(std::string("a ") + what + " is required for this (give the " + what + ")",
                              {{what, "is required"}});
    }
    if (auto why = textProblem(value, kind)) {
        throw ValidationError(std::string(what) + " " + *why, {{what, *why}});
    }
}

/// Revised-date authority flows up the reporting line (SPEC 4.3): a group may decide a request only if it is
/// the action's responsible group or one it reports to (each replaced by its current successor). Throws
/// ForbiddenError naming the chain otherwise. No responsible group: any group may (nothing to follow).
/// Closing moves (accept_risk, withdraw_action) are not bound to the line: those typed powers are held by
/// specialist groups for the whole organisation (the Risk and Reputation Group accepts risks; SPEC 4.4).
void requireInChain(const GroupChart& chart, const GovernanceGroup& group, const Action& action,
                    const std::string& actionName) {
    if (!action.responsibleGroupId) return;
    const auto chain = chart.chainFrom(*action.responsibleGroupId);
    for (const GovernanceGroup* g : chain) {
        if (g->id == group.id) return;
    }
    std::string names;
    for (std::size_t i = 0; i < chain.size(); ++i) names += (i ? ", " : "") + chain[i]->name;
    throw ForbiddenError(group.name + " is not in the reporting line of " + actionName + " (" + names +
                         "); only those groups may decide on it");
}

/// "only the chair or secretary of Executive Team (Chief Executive, Head of Governance) may record its decisions"
std::string onlyOfficers(StoreSession& session, const GovernanceGroup& group) {
    std::string names;
    for (const auto& m : group.members) {
        if (m.role == MemberRole::kMember) continue;
        if (auto p = session.people().findById(m.personId)) names += (names.empty() ? "" : ", ") + p->roleTitle;
    }
    return "only the chair or secretary of " + group.name + (names.empty() ? "" : " (" + names + ")") +
           " may record its decisions";
}

}  // namespace

std::string evidenceDownloadName(const Evidence& evidence) {
    static const std::map<std::string, std::vector<std::string>, std::less<>> kExtensions = {
        {"application/pdf", {"pdf"}},
        {"image/png", {"png"}},
        {"image/jpeg", {"jpg", "jpeg"}},
        {"image/gif", {"gif"}},
        {"application/zip", {"zip", "docx", "xlsx", "pptx", "odt", "ods", "odp"}},
        {"text/plain", {"txt", "csv", "md", "log"}},
    };
    const std::string& name = evidence.fileName;
    const auto it = kExtensions.find(evidence.mediaType);
    if (it == kExtensions.end()) return name;
    const auto dot = name.rfind('.');
    if (dot != std::string::npos) {
        std::string ext = name.substr(dot + 1);
        for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (std::find(it->second.begin(), it->second.end(), ext) != it->second.end()) return name;
    }
    return name + "." + it->second.front();
}

std::optional<std::string> archiveProblem(std::string_view zip) {
    // Written here rather than with a library: only the member names are needed, and they sit uncompressed
    // in the central directory, which the end-of-central-directory record points at.
    auto u16 = [&](std::size_t at) {
        return static_cast<std::size_t>(static_cast<unsigned char>(zip[at])) |
               static_cast<std::size_t>(static_cast<unsigned char>(zip[at + 1])) << 8;
    };
    auto u32 = [&](std::size_t at) { return u16(at) | u16(at + 2) << 16; };
    const std::string unreadable = "is a ZIP file whose table of contents cannot be read";
    constexpr std::size_t kEocd = 22;
    if (zip.size() < kEocd) return unreadable;
    std::size_t eocd = std::string_view::npos;
    const std::size_t lowest = zip.size() > kEocd + 65535 ? zip.size() - kEocd - 65535 : 0;
    for (std::size_t i = zip.size() - kEocd + 1; i-- > lowest;) {
        if (zip.substr(i, 4) == std::string_view("PK\x05\x06", 4)) {
            eocd = i;
            break;
        }
    }
    if (eocd == std::string_view::npos) return unreadable;
    const std::size_t entries = u16(eocd + 10);
    std::size_t at = u32(eocd + 16);
    static const std::array<std::string_view, 24> kRuns = {
        ".exe", ".dll", ".com", ".bat", ".cmd", ".scr", ".msi", ".msp", ".ps1", ".psm1", ".vbs", ".vbe",
        ".js",  ".jse", ".wsf", ".wsh", ".hta", ".jar", ".lnk", ".cpl", ".reg", ".sh",  ".app", ".pif"};
    for (std::size_t n = 0; n < entries; ++n) {
        if (at + 46 > zip.size() || zip.substr(at, 4) != std::string_view("PK\x01\x02", 4)) return unreadable;
        const std::size_t nameLength = u16(at + 28);
        if (at + 46 + nameLength > zip.size()) return unreadable;
        std::string name(zip.substr(at + 46, nameLength));
        for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        const auto slash = name.find_last_of("/\\");
        const std::string base = slash == std::string::npos ? name : name.substr(slash + 1);
        if (base == "vbaproject.bin") {
            return std::string("holds Office macros (") + std::string(zip.substr(at + 46, nameLength)) +
                   "): save it without macros (.docx, .xlsx, .pptx) and upload that";
        }
        for (auto ext : kRuns) {
            if (base.size() > ext.size() && base.compare(base.size() - ext.size(), ext.size(), ext) == 0) {
                return "holds a program (" + std::string(zip.substr(at + 46, nameLength)) +
                       "); programs are not accepted as evidence";
            }
        }
        at += 46 + nameLength + u16(at + 30) + u16(at + 32);
    }
    return std::nullopt;
}

std::optional<std::string> sniffMediaType(const std::string& content) {
    auto startsWith = [&](std::string_view magic) {
        return std::string_view(content).substr(0, magic.size()) == magic;
    };
    if (startsWith("%PDF-")) return "application/pdf";
    if (startsWith("\x89PNG\r\n\x1a\n")) return "image/png";
    if (startsWith("\xFF\xD8\xFF")) return "image/jpeg";
    if (startsWith("GIF87a") || startsWith("GIF89a")) return "image/gif";
    if (startsWith(std::string_view("PK\x03\x04", 4))) return "application/zip";  // docx, xlsx, pptx, zip
    if (!content.empty() && isValidUtf8(content) && !textProblem(content, TextKind::kMultiLine)) return "text/plain";
    return std::nullopt;
}

std::string ActionInContext::name() const {
    return "action " + engagement.reference + " " + std::to_string(recommendation.number) + "." +
           std::to_string(action.number);
}

ActionInContext findAction(StoreSession& session, const std::string& reference) {
    const std::string ref = trimmed(reference);
    const auto split = ref.find_last_of("/ ");
    if (split == std::string::npos) {
        if (auto action = session.actions().findById(ref)) {
            auto rec = session.recommendations().findById(action->recommendationId);
            auto engagements = session.engagements().list();
            for (auto& e : engagements) {
                if (rec && e.id == rec->engagementId) return {e, *rec, *action};
            }
        }
        throw NotFoundError("no action has the reference '" + ref + "' (write it as ENGAGEMENT/REC.ACTION, e.g. " +
                            "IA-2024-25-PM/1.1)");
    }
    const std::string engagementRef = trimmed(ref.substr(0, split));
    const std::string numbers = ref.substr(split + 1);
    const auto dot = numbers.find('.');
    int rec = 0;
    int act = 0;
    try {
        std::size_t used = 0;
        rec = std::stoi(numbers.substr(0, dot), &used);
        if (used != dot || dot == std::string::npos) throw std::invalid_argument("rec");
        act = std::stoi(numbers.substr(dot + 1), &used);
        if (used != numbers.size() - dot - 1) throw std::invalid_argument("action");
    } catch (const std::exception&) {
        throw ValidationError("'" + ref +
                              "' is not an action reference; write ENGAGEMENT/REC.ACTION, e.g. IA-2024-25-PM/1.1");
    }
    auto engagement = findEngagement(session.engagements(), engagementRef);
    if (!engagement) throw NotFoundError("no engagement has the reference '" + engagementRef + "'");
    auto recommendation = session.recommendations().findByNumber(engagement->id, rec);
    if (!recommendation) {
        throw NotFoundError("engagement " + engagement->reference + " has no recommendation " + std::to_string(rec));
    }
    auto action = session.actions().findByNumber(recommendation->id, act);
    if (!action) {
        throw NotFoundError("recommendation " + engagement->reference + " " + std::to_string(rec) + " has no action " +
                            std::to_string(act));
    }
    return {*engagement, *recommendation, *action};
}

bool ActionService::isOwner(const Actor& actor, const Action& action) const {
    if (!actor.personId) return false;
    if (action.leadOwnerId == actor.personId) return true;
    return std::find(action.coOwnerIds.begin(), action.coOwnerIds.end(), *actor.personId) != action.coOwnerIds.end();
}

Evidence ActionService::storeEvidence(const Actor& actor, const Action& action,
                                      const std::optional<Id>& progressUpdateId, const EvidenceUpload& upload) {
    if (upload.content.size() > kMaxEvidenceBytes) {
        throw ValidationError("evidence '" + upload.fileName + "' is " + std::to_string(upload.content.size()) +
                              " bytes; the limit is " + std::to_string(kMaxEvidenceBytes) + " bytes (10 MiB)");
    }
    const auto mediaType = sniffMediaType(upload.content);
    if (!mediaType) {
        throw ValidationError("evidence '" + upload.fileName +
                              "' is not an accepted file type (PDF, PNG, JPEG, GIF, Office/ZIP or plain text); "
                              "the type is judged from the content, not the name");
    }
    if (auto why = textProblem(upload.fileName, TextKind::kKey)) throw ValidationError("evidence file name " + *why);
    if (*mediaType == "application/zip") {
        if (auto why = archiveProblem(upload.content)) throw ValidationError("evidence '" + upload.fileName + "' " + *why);
    }
    // Only the last component of a path is kept ("C:\\scans\\a.pdf", "../../etc/x.pdf" -> "a.pdf", "x.pdf"):
    // the name is for display, and a later download or export must never see a path in it.
    const auto slash = upload.fileName.find_last_of("/\\");
    const std::string baseName = slash == std::string::npos ? upload.fileName : upload.fileName.substr(slash + 1);
    if (trimmed(baseName).empty() || baseName == "." || baseName == "..") {
        throw ValidationError("evidence file name '" + upload.fileName + "' does not name a file",
                              {{"evidence", "a file name such as minutes.pdf"}});
    }
    Evidence e;
    e.id = ids_.next();
    e.actionId = action.id;
    e.progressUpdateId = progressUpdateId;
    e.fileName = baseName;
    e.mediaType = *mediaType;
    e.sizeBytes = static_cast<std::int64_t>(upload.content.size());
    e.sha256 = hasher_.sha256Hex(upload.content);
    e.addedOn = clock_.today();
    e.addedById = actor.personId;
    session_.evidence().add(e, upload.content);
    audit_.recordEvidence(actor, e);
    return e;
}

namespace {
/// Optimistic concurrency (If-Match): the caller's version must be the stored one.
void requireVersion(const ActionInContext& ctx, std::optional<std::int64_t> expected) {
    if (expected && *expected != ctx.action.version) {
        throw ConflictError(ctx.name() + " was changed by someone else (it is at version " +
                                std::to_string(ctx.action.version) + ", you edited version " +
                                std::to_string(*expected) + "); reload and try again",
                            true);
    }
}
}  // namespace

Action ActionService::move(const Actor& actor, const std::string& actionRef, const MoveRequest& request) {
    Action result;
    session_.transaction([&] {
        const ActionInContext ctx = findAction(session_, actionRef);
        const Action& before = ctx.action;
        requireVersion(ctx, request.expectedVersion);
        const Transition& t = transitionFor(before.status, request.to, ctx.name());
        Action after = before;
        after.status = request.to;

        const bool byGroup = std::find(t.who.begin(), t.who.end(), Mover::kGroupDecision) != t.who.end();
        if (byGroup) {
            GroupChart chart(session_.groups().list());
            const GovernanceGroup* group = nullptr;
            if (request.groupName) {
                group = chart.findByName(*request.groupName);
                if (!group) throw ValidationError("no governance group is called '" + *request.groupName + "'");
            } else if (before.responsibleGroupId) {
                group = chart.route(*before.responsibleGroupId, *t.power, ctx.recommendation.priority, 0);
            }
            if (!group) {
                throw ValidationError("moving " + ctx.name() + " to " + std::string(toString(request.to)) +
                                      " needs a group decision: name the group (" +
                                      heldBy(chart, *t.power, ctx.recommendation.priority, 0) + ")");
            }
            const Date today = clock_.today();
            if (!chart.isEffectiveOn(*group, today)) {
                std::string why = group->name + " is not in force on " + formatIso(today);
                if (group->supersededById) why += "; it was superseded by " + chart.current(*group).name;
                throw ForbiddenError(why);
            }
            const DelegatedPower* power = GroupChart::coveringPower(*group, *t.power, ctx.recommendation.priority, 0);
            if (!power) {
                throw ForbiddenError(group->name + " does not hold " +
                                     describePower(*t.power, ctx.recommendation.priority, std::nullopt) + "; " +
                                     heldBy(chart, *t.power, ctx.recommendation.priority, 0));
            }
            if (!actor.personId || !GroupChart::recordsDecisions(*group, *actor.personId)) {
                throw ForbiddenError(onlyOfficers(session_, *group));
            }
            requireText(request.decisionReference, "decision reference", TextKind::kLine);
            after.closure = GroupDecision{group->id, actor.personId, today, *t.power, request.decisionReference};
        } else {
            bool allowed = false;
            for (Mover who : t.who) {
                if (who == Mover::kOwner && isOwner(actor, before)) allowed = true;
                if (who == Mover::kAuditor && actor.has(Role::kAuditor)) allowed = true;
                if (who == Mover::kSecretariat && actor.has(Role::kSecretariat)) allowed = true;
            }
            if (!allowed) {
                std::string who;
                for (std::size_t i = 0; i < t.who.size(); ++i) {
                    if (i > 0) who += " or ";
                    who += t.who[i] == Mover::kOwner ? "the action's owners"
                                                     : "a person with the " + std::string(toString(t.who[i])) + " role";
                }
                throw ForbiddenError("only " + who + " may move " + ctx.name() + " from " +
                                     std::string(toString(before.status)) + " to " + std::string(toString(request.to)));
            }
        }
        if (t.needsReason) requireText(request.reason, "reason");
        if (t.needsEvidence && trimmed(request.evidenceNote).empty() && request.evidence.empty()) {
            throw ValidationError(
                "claiming " + ctx.name() + " implemented needs evidence: an evidence note (--evidence) or a file",
                {{"evidence", "is required"}});
        }
        if (t.needsSupersedingAction) {
            if (!request.supersededBy) {
                throw ValidationError("superseding " + ctx.name() + " needs the action that replaces it",
                                      {{"superseded_by", "is required"}});
            }
            const ActionInContext replacement = findAction(session_, *request.supersededBy);
            if (replacement.action.id == before.id) throw ValidationError("an action cannot supersede itself");
            // The work must go on somewhere: a closed action (or one that is itself superseded, which also
            // stops two actions superseding each other) cannot take over.
            if (!isOpen(replacement.action.status)) {
                throw ValidationError(replacement.name() + " is " + std::string(toString(replacement.action.status)) +
                                      "; only an open action can take over the work of " + ctx.name());
            }
            after.supersededByActionId = replacement.action.id;
        }
        if (request.to == ActionStatus::kVerified ||
            (before.status == ActionStatus::kImplemented && request.to == ActionStatus::kInProgress)) {
            // The auditor's assessment is what the follow-up report shows.
            after.auditorAssessment =
                (request.to == ActionStatus::kVerified ? "Verified" : "Rejected") +
                std::string(trimmed(request.reason).empty() ? "" : ": " + trimmed(request.reason));
        }
        session_.actions().save(after);
        after.version = before.version + 1;
        if (!trimmed(request.evidenceNote).empty()) {
            if (auto why = textProblem(request.evidenceNote, TextKind::kMultiLine))
                throw ValidationError("evidence note " + *why);
            Evidence note;
            note.id = ids_.next();
            note.actionId = after.id;
            note.note = request.evidenceNote;
            note.addedOn = clock_.today();
            note.addedById = actor.personId;
            session_.evidence().add(note, "");
            audit_.recordEvidence(actor, note);
        }
        for (const auto& upload : request.evidence) storeEvidence(actor, after, std::nullopt, upload);
        audit_.recordAction(actor, "transition", before, after, request.reason);
        result = after;
    });
    return result;
}

ProgressUpdate ActionService::addProgress(const Actor& actor, const std::string& actionRef, const std::string& text,
                                          std::optional<int> percent, const std::vector<EvidenceUpload>& evidence,
                                          std::optional<std::int64_t> expectedVersion) {
    ProgressUpdate result;
    session_.transaction([&] {
        const ActionInContext ctx = findAction(session_, actionRef);
        requireVersion(ctx, expectedVersion);
        if (!isOwner(actor, ctx.action) && !actor.has(Role::kSecretariat)) {
            throw ForbiddenError("only the owners of " + ctx.name() + " or the secretariat may post progress on it");
        }
        if (!isOpen(ctx.action.status)) {
            throw InvalidTransitionError(ctx.name() + " is " + std::string(toString(ctx.action.status)) +
                                         " (closed); progress can only be posted on open actions");
        }
        requireText(text, "progress text");
        if (percent && (*percent < 0 || *percent > 100)) {
            throw ValidationError("percent must be between 0 and 100, got " + std::to_string(*percent),
                                  {{"percent", "must be 0..100"}});
        }
        ProgressUpdate update{ids_.next(), ctx.action.id, clock_.today(), actor.personId, text, percent};
        session_.progressUpdates().add(update);
        audit_.recordProgressUpdate(actor, update);
        for (const auto& upload : evidence) storeEvidence(actor, ctx.action, update.id, upload);
        result = update;
    });
    return result;
}

RevisionRequest ActionService::requestRevisedDate(const Actor& actor, const std::string& actionRef, TargetDate newDate,
                                                  const std::string& reason,
                                                  std::optional<std::int64_t> expectedVersion) {
    RevisionRequest result;
    session_.transaction([&] {
        const ActionInContext ctx = findAction(session_, actionRef);
        requireVersion(ctx, expectedVersion);
        const Action& action = ctx.action;
        if (!isOwner(actor, action)) {
            throw ForbiddenError("only the owners of " + ctx.name() + " may ask for a revised target date");
        }
        if (!isOpen(action.status)) {
            throw InvalidTransitionError(ctx.name() + " is " + std::string(toString(action.status)) +
                                         " (closed); its target date can no longer change");
        }
        requireText(reason, "reason");
        const auto due = effectiveDueDate(action);
        if (action.originalTargetDate && newDate.date < action.originalTargetDate->date) {
            throw ValidationError("the revised target date " + newDate.iso() + " is before the original target date " +
                                  action.originalTargetDate->iso() + "; a revision extends a date");
        }
        if (!(clock_.today() < newDate.date)) {
            throw ValidationError("the revised target date " + newDate.iso() + " is not in the future (today is " +
                                  formatIso(clock_.today()) + ")");
        }
        if (due && !(due->date < newDate.date)) {
            throw ValidationError("the revised target date " + newDate.iso() + " is not later than the current one (" +
                                  due->iso() + ")");
        }
        for (const auto& pending : session_.revisionRequests().listByAction(action.id)) {
            if (pending.status == RequestStatus::kPending) {
                throw ConflictError(ctx.name() + " already has a pending request for " + pending.requestedDate.iso() +
                                    "; wait for its decision");
            }
        }
        if (!action.responsibleGroupId) {
            throw ValidationError(ctx.name() +
                                  " has no responsible group, so the request cannot be routed; the "
                                  "secretariat must set one");
        }
        const int slip = action.originalTargetDate ? daysBetween(action.originalTargetDate->date, newDate.date) : 0;
        GroupChart chart(session_.groups().list());
        const GovernanceGroup* group =
            chart.route(*action.responsibleGroupId, PowerKind::kApproveRevisedDate, ctx.recommendation.priority, slip);
        if (!group) {
            throw ValidationError("no group in the reporting chain of " +
                                  (chart.find(*action.responsibleGroupId) ? chart.find(*action.responsibleGroupId)->name
                                                                          : std::string("the responsible group")) +
                                  " may approve a total slip of " + std::to_string(slip) + " days on a " +
                                  priorityText(ctx.recommendation.priority) +
                                  " priority recommendation; ask for an earlier date or escalate outside govtrack");
        }
        RevisionRequest request;
        request.id = ids_.next();
        request.actionId = action.id;
        request.requestedDate = newDate;
        request.reason = reason;
        request.requestedById = actor.personId;
        request.requestedOn = clock_.today();
        request.routedToGroupId = group->id;
        session_.revisionRequests().save(request);
        audit_.recordRevisionRequest(actor, "create", std::nullopt, request, reason);
        result = request;
    });
    return result;
}

RevisionRequest ActionService::decide(const Actor& actor, const Id& requestId, bool approve, const std::string& note,
                                      const std::optional<std::string>& groupName, const std::string& reference,
                                      std::optional<std::int64_t> expectedVersion) {
    RevisionRequest result;
    session_.transaction([&] {
        auto request = session_.revisionRequests().findById(requestId);
        if (!request && requestId.size() >= 8) {
            // People copy the first characters of an id: accept a prefix that names exactly one pending request.
            for (const auto& pending : session_.revisionRequests().listPending(std::nullopt)) {
                if (pending.id.rfind(requestId, 0) != 0) continue;
                if (request) throw ValidationError("'" + requestId + "' matches several requests; give more of the id");
                request = pending;
            }
        }
        if (!request) throw NotFoundError("no revised-date request has the id '" + requestId + "'");
        if (expectedVersion && *expectedVersion != request->version) {
            throw ConflictError("the request was changed by someone else; reload and try again", true);
        }
        if (request->status != RequestStatus::kPending) {
            throw InvalidTransitionError("the request is already " + std::string(toString(request->status)));
        }
        const RevisionRequest before = *request;
        auto action = session_.actions().findById(request->actionId);
        auto recommendation = action ? session_.recommendations().findById(action->recommendationId) : std::nullopt;
        if (!action || !recommendation) throw NotFoundError("the request's action no longer exists");
        const int slip =
            action->originalTargetDate ? daysBetween(action->originalTargetDate->date, request->requestedDate.date) : 0;

        GroupChart chart(session_.groups().list());
        const GovernanceGroup* group = nullptr;
        if (groupName) {
            group = chart.findByName(*groupName);
            if (!group) throw ValidationError("no governance group is called '" + *groupName + "'");
        } else if (request->routedToGroupId) {
            if (const GovernanceGroup* routed = chart.find(*request->routedToGroupId)) group = &chart.current(*routed);
        }
        if (!group) throw ValidationError("name the group that decides (--group)");
        const Date today = clock_.today();
        if (!chart.isEffectiveOn(*group, today)) {
            std::string why = group->name + " is not in force on " + formatIso(today);
            if (group->supersededById) why += "; it was superseded by " + chart.current(*group).name;
            throw ForbiddenError(why);
        }
        if (!GroupChart::coveringPower(*group, PowerKind::kApproveRevisedDate, recommendation->priority, slip)) {
            throw ForbiddenError(group->name + " does not hold " +
                                 describePower(PowerKind::kApproveRevisedDate, recommendation->priority, slip) + "; " +
                                 heldBy(chart, PowerKind::kApproveRevisedDate, recommendation->priority, slip));
        }
        requireInChain(chart, *group, *action, findAction(session_, action->id).name());
        if (!actor.personId || !GroupChart::recordsDecisions(*group, *actor.personId)) {
            throw ForbiddenError(onlyOfficers(session_, *group));
        }
        requireText(reference, "decision reference", TextKind::kLine);
        if (auto why = textProblem(note, TextKind::kMultiLine)) throw ValidationError("the decision note " + *why);
        if (approve && !(today < request->requestedDate.date)) {
            throw ValidationError("the requested date " + request->requestedDate.iso() +
                                  " is no longer in the future; refuse this request and ask the owner for a new one");
        }
        request->status = approve ? RequestStatus::kApproved : RequestStatus::kRefused;
        request->decision = GroupDecision{group->id, actor.personId, today, PowerKind::kApproveRevisedDate, reference};
        request->decisionNote = note;
        session_.revisionRequests().save(*request);
        request->version = before.version + 1;
        audit_.recordRevisionRequest(actor, "decision", before, *request, note);
        if (approve) {
            if (!isOpen(action->status)) {
                throw InvalidTransitionError("the action is " + std::string(toString(action->status)) +
                                             " (closed); the request can only be refused");
            }
            const Action actionBefore = *action;
            action->revisions.push_back(
                RevisedTargetDate{request->requestedDate, request->reason, request->requestedById, group->name, today});
            session_.actions().save(*action);
            action->version = actionBefore.version + 1;
            audit_.recordAction(actor, "revised_target_date", actionBefore, *action, request->reason);
        }
        result = *request;
    });
    return result;
}

std::pair<int, int> ActionService::supersedeGroup(const Actor& actor, const std::string& oldName,
                                                  const std::string& newName, Date on) {
    std::pair<int, int> moved{0, 0};
    session_.transaction([&] {
        if (!actor.has(Role::kSecretariat) && !actor.has(Role::kAdmin)) {
            throw ForbiddenError("only the secretariat may record that a group was superseded");
        }
        GroupChart chart(session_.groups().list());
        const GovernanceGroup* oldGroup = chart.findByName(oldName);
        const GovernanceGroup* newGroup = chart.findByName(newName);
        if (!oldGroup) throw ValidationError("no governance group is called '" + oldName + "'");
        if (!newGroup) {
            throw ValidationError("no governance group is called '" + newName +
                                  "'; set up the successor first (import it with its members and powers)");
        }
        if (clock_.today() < on) {
            throw ValidationError("a supersession is recorded when it happens: " + formatIso(on) +
                                  " is in the future (today is " + formatIso(clock_.today()) + ")");
        }
        if (oldGroup->effectiveFrom && on < oldGroup->effectiveFrom->date &&
            oldGroup->effectiveFrom->precision == DatePrecision::kDay) {
            throw ValidationError(oldGroup->name + " only came into force on " + oldGroup->effectiveFrom->display());
        }
        if (oldGroup->id == newGroup->id) throw ValidationError("a group cannot supersede itself");
        if (oldGroup->supersededById && *oldGroup->supersededById != newGroup->id) {
            throw ConflictError(oldGroup->name + " was already superseded by " + chart.current(*oldGroup).name);
        }
        if (chart.current(*newGroup).id == oldGroup->id) {
            throw ValidationError(newGroup->name + " is itself superseded by " + oldGroup->name + "; that would loop");
        }
        if (newGroup->supersededById) {
            throw ValidationError(newGroup->name + " was itself superseded by " + chart.current(*newGroup).name +
                                  "; name the group in force");
        }
        for (const GovernanceGroup* above : chart.chainFrom(newGroup->id)) {
            if (above->id == oldGroup->id && above->id != newGroup->id) {
                throw ValidationError(newGroup->name + " reports to " + oldGroup->name +
                                      " (directly or not); a group cannot be replaced by one of its own sub-groups");
            }
        }
        const GovernanceGroup before = *oldGroup;
        GovernanceGroup after = before;
        after.supersededById = newGroup->id;
        // Superseded *on* `on`: the successor decides from that day, the old group's last day is the day before.
        after.effectiveTo = TargetDate::day(Date{std::chrono::sys_days{on} - std::chrono::days{1}});
        session_.groups().save(after);
        audit_.recordGroup(actor, "supersede", before, after, "superseded by " + newGroup->name);

        for (Action action : session_.actions().listByResponsibleGroup(oldGroup->id)) {
            if (!isOpen(action.status)) continue;  // closed items stay with the group that closed them
            const Action actionBefore = action;
            action.responsibleGroupId = newGroup->id;
            session_.actions().save(action);
            action.version = actionBefore.version + 1;
            audit_.recordAction(actor, "reassign", actionBefore, action,
                                "moved from " + oldGroup->name + " to its successor " + newGroup->name);
            ++moved.first;
        }
        const GroupChart chartAfter(session_.groups().list());  // with the supersession in place
        for (RevisionRequest request : session_.revisionRequests().listPending(oldGroup->id)) {
            const RevisionRequest requestBefore = request;
            // Routed afresh from the successor: it may lack the power the old group had.
            const auto action = session_.actions().findById(request.actionId);
            const auto rec = action ? session_.recommendations().findById(action->recommendationId) : std::nullopt;
            const int slip = action && action->originalTargetDate
                                 ? daysBetween(action->originalTargetDate->date, request.requestedDate.date)
                                 : 0;
            const GovernanceGroup* routed =
                rec ? chartAfter.route(newGroup->id, PowerKind::kApproveRevisedDate, rec->priority, slip) : nullptr;
            request.routedToGroupId = routed ? routed->id : newGroup->id;
            session_.revisionRequests().save(request);
            request.version = requestBefore.version + 1;
            audit_.recordRevisionRequest(actor, "reassign", requestBefore, request,
                                         "moved from " + oldGroup->name + " on its supersession by " + newGroup->name);
            ++moved.second;
        }
    });
    return moved;
}

}  // namespace govtrack::domain
