#include "WorkflowHandlers.h"

#include <cctype>
#include <map>
#include <sstream>

#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/MessageHeader.h>
#include <Poco/Net/PartHandler.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include "govtrack/domain/ActionService.h"
#include "govtrack/domain/ActionWorkflow.h"
#include "govtrack/domain/Authority.h"
#include "govtrack/domain/Error.h"
#include "govtrack/domain/Rules.h"

#include "JsonBody.h"
#include "QueryParameters.h"

namespace govtrack::http {
namespace {

namespace d = govtrack::domain;
using nlohmann::json;

constexpr std::size_t kMaxEvidenceFiles = 10;

/// The action by id, or NotFoundError -- also when the principal may not see it (no disclosure).
d::ActionInContext visibleAction(Exchange& exchange) {
    const std::string& id = exchange.pathParam("id");
    const std::string notFound = "No action has the id '" + id + "'.";
    d::ActionInContext ctx;
    try {
        ctx = d::findAction(exchange.session(), id);
    } catch (const d::ValidationError&) {
        throw d::NotFoundError(notFound);
    } catch (const d::NotFoundError&) {
        // One message for every miss: findAction's own ("engagement X has no recommendation 4") would tell a
        // user what exists that they may not see.
        throw d::NotFoundError(notFound);
    }
    if (ctx.action.id != id || !d::canSeeAction(exchange.principal(), ctx.action)) throw d::NotFoundError(notFound);
    return ctx;
}

/// The version named by If-Match ("7", "\"7\"" or W/"7"); 428 if absent, 412 if not a version at all.
std::int64_t ifMatchVersion(Exchange& exchange) {
    std::string text = exchange.request().get("If-Match", "");
    if (text.empty()) {
        throw d::PreconditionRequiredError(
            "This change needs an If-Match header with the ETag from GET /api/v1/actions/{id}, so that it "
            "cannot overwrite someone else's change.");
    }
    if (text.rfind("W/", 0) == 0) text = text.substr(2);
    if (text.size() >= 2 && text.front() == '"' && text.back() == '"') text = text.substr(1, text.size() - 2);
    if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos) {
        throw d::ConflictError("If-Match '" + text.substr(0, 40) + "' does not name a version of this action.", true);
    }
    return std::stoll(text);
}

/// "IA-2024-25-PM 1.1": engagement, recommendation and action numbers.
std::string referenceOf(const d::ActionInContext& ctx) {
    return ctx.engagement.reference + " " + std::to_string(ctx.recommendation.number) + "." +
           std::to_string(ctx.action.number);
}

std::string etagOf(std::int64_t version) {
    return "\"" + std::to_string(version) + "\"";
}

d::ActionService actionService(Exchange& exchange) {
    const auto& services = exchange.services();
    return d::ActionService(exchange.session(), exchange.audit(), services.clock, services.auth.ids,
                            services.auth.hasher);
}

bool isOwner(const d::Principal& p, const d::Action& a) {
    if (!p.personId) return false;
    if (a.leadOwnerId == p.personId) return true;
    return std::find(a.coOwnerIds.begin(), a.coOwnerIds.end(), *p.personId) != a.coOwnerIds.end();
}

/// The moves from the current state this principal could make (the workflow table's "who"); the UI shows
/// only these. The domain still checks each move (e.g. the group's delegated power).
json allowedTransitions(const d::Principal& p, const d::Action& action) {
    json out = json::array();
    for (d::ActionStatus to : d::allowedNextStates(action.status)) {
        const auto& t = d::transitionFor(action.status, to, "");
        bool may = false;
        for (d::Mover who : t.who) {
            switch (who) {
                case d::Mover::kOwner:
                    may = may || isOwner(p, action);
                    break;
                case d::Mover::kAuditor:
                    may = may || p.has(d::Role::kAuditor);
                    break;
                case d::Mover::kSecretariat:
                    may = may || p.has(d::Role::kSecretariat);
                    break;
                case d::Mover::kGroupDecision:
                    may = may || std::any_of(p.groups.begin(), p.groups.end(), [](const d::GroupMembership& g) {
                              return g.role != d::MemberRole::kMember;
                          });
                    break;
            }
        }
        if (!may) continue;
        out.push_back({{"to", std::string(d::toString(to))},
                       {"needs_reason", t.needsReason},
                       {"needs_evidence", t.needsEvidence},
                       {"needs_group_decision", t.power.has_value()},
                       {"needs_superseding_action", t.needsSupersedingAction},
                       {"meaning", t.meaning}});
    }
    return out;
}

json nameOr(const std::map<d::Id, std::string>& names, const std::optional<d::Id>& id) {
    if (!id) return nullptr;
    const auto it = names.find(*id);
    return it == names.end() ? json(nullptr) : json(it->second);
}

json requestJson(const d::RevisionRequest& r, const std::map<d::Id, std::string>& people,
                 const std::map<d::Id, std::string>& groups, const std::string& actionName) {
    json decision = nullptr;
    if (r.decision) {
        decision = {{"group", nameOr(groups, r.decision->groupId)},
                    {"by", nameOr(people, r.decision->decidedById)},
                    {"date", d::formatIso(r.decision->date)},
                    {"reference", r.decision->reference}};
    }
    return {{"id", r.id},
            {"action_id", r.actionId},
            {"action", actionName},
            {"requested_date", r.requestedDate.iso()},
            {"requested_date_display", r.requestedDate.display()},
            {"reason", r.reason},
            {"requested_by", nameOr(people, r.requestedById)},
            {"requested_on", d::formatIso(r.requestedOn)},
            {"routed_to", nameOr(groups, r.routedToGroupId)},
            {"status", std::string(d::toString(r.status))},
            {"decision", decision},
            {"note", r.decisionNote},
            {"version", r.version}};
}

struct Names {
    std::map<d::Id, std::string> people, groups;
    explicit Names(d::StoreSession& session) {
        for (const auto& p : session.people().list()) people[p.id] = p.roleTitle;
        for (const auto& g : session.groups().list()) groups[g.id] = g.name;
    }
};

json actionJson(Exchange& exchange, const d::ActionInContext& ctx) {
    auto& session = exchange.session();
    const Names names(session);
    const d::Action& a = ctx.action;
    const auto& p = exchange.principal();
    const d::Date today = exchange.services().clock.today();

    json coOwners = json::array(), revisions = json::array(), progress = json::array(), evidence = json::array(),
         requests = json::array();
    for (const auto& id : a.coOwnerIds) coOwners.push_back(nameOr(names.people, id));
    for (const auto& r : a.revisions) {
        revisions.push_back({{"date", r.newDate.iso()},
                             {"display", r.newDate.display()},
                             {"reason", r.reason},
                             {"approved_by", r.approvedBy},
                             {"decision_date", r.decisionDate ? json(d::formatIso(*r.decisionDate)) : json(nullptr)}});
    }
    for (const auto& u : session.progressUpdates().listByAction(a.id)) {
        progress.push_back({{"id", u.id},
                            {"date", d::formatIso(u.date)},
                            {"author", nameOr(names.people, u.authorId)},
                            {"text", u.text},
                            {"percent", u.percent ? json(*u.percent) : json(nullptr)}});
    }
    for (const auto& e : session.evidence().listByAction(a.id)) {
        evidence.push_back({{"id", e.id},
                            {"progress_update_id", e.progressUpdateId ? json(*e.progressUpdateId) : json(nullptr)},
                            {"file_name", e.fileName},
                            {"media_type", e.mediaType},
                            {"size_bytes", e.sizeBytes},
                            {"sha256", e.sha256},
                            {"added_on", d::formatIso(e.addedOn)},
                            {"added_by", nameOr(names.people, e.addedById)},
                            {"note", e.note},
                            {"download", e.fileName.empty() ? json(nullptr)
                                                            : json("/api/v1/actions/" + a.id + "/evidence/" + e.id)},
                            {"download_name", e.fileName.empty() ? json(nullptr) : json(d::evidenceDownloadName(e))}});
    }
    bool pending = false;
    for (const auto& r : session.revisionRequests().listByAction(a.id)) {
        pending = pending || r.status == d::RequestStatus::kPending;
        requests.push_back(requestJson(r, names.people, names.groups, referenceOf(ctx)));
    }
    const auto due = d::effectiveDueDate(a);
    const bool open = d::isOpen(a.status);
    const bool owner = isOwner(p, a);
    return {{"id", a.id},
            {"reference", referenceOf(ctx)},
            {"engagement", ctx.engagement.reference},
            {"recommendation", ctx.recommendation.number},
            {"recommendation_title", ctx.recommendation.title},
            {"priority", std::string(d::toString(ctx.recommendation.priority))},
            {"number", a.number},
            {"description", a.description},
            {"lead_owner", nameOr(names.people, a.leadOwnerId)},
            {"co_owners", coOwners},
            {"responsible_group", nameOr(names.groups, a.responsibleGroupId)},
            {"original_target_date", a.originalTargetDate ? json(a.originalTargetDate->iso()) : json(nullptr)},
            {"current_target_date", due ? json(due->iso()) : json(nullptr)},
            {"current_target_date_display", due ? json(due->display()) : json(nullptr)},
            {"revised_target_dates", revisions},
            {"status", std::string(d::toString(a.status))},
            {"rag", std::string(d::toString(d::rag(a, today)))},
            {"overdue", d::isOverdue(a, today)},
            {"days_overdue", d::daysOverdue(a, today)},
            {"auditor_assessment", a.auditorAssessment},
            {"version", a.version},
            {"progress_updates", progress},
            {"evidence", evidence},
            {"revision_requests", requests},
            {"allowed_transitions", allowedTransitions(p, a)},
            {"can",
             {{"update", open && d::canUpdateAction(p, a) && (owner || p.has(d::Role::kSecretariat))},
              {"request_date", open && owner && !pending}}}};
}

void sendAction(Exchange& exchange, const d::ActionInContext& ctx, int status) {
    exchange.response().set("ETag", etagOf(ctx.action.version));
    exchange.sendJson(actionJson(exchange, ctx), status);
}

/// Collects the multipart file parts named "evidence".
class EvidenceParts final : public Poco::Net::PartHandler {
public:
    void handlePart(const Poco::Net::MessageHeader& header, std::istream& stream) override {
        std::string disposition;
        Poco::Net::NameValueCollection params;
        Poco::Net::MessageHeader::splitParameters(header.get("Content-Disposition", ""), disposition, params);
        std::string content;
        Poco::StreamCopier::copyToString(stream, content);
        if (params.get("name", "") != "evidence") {
            throw d::ValidationError("unknown file field '" + params.get("name", "") + "'; files go in 'evidence'",
                                     {{params.get("name", ""), "unknown file field; use 'evidence'"}});
        }
        if (uploads.size() >= kMaxEvidenceFiles) {
            throw d::ValidationError("at most " + std::to_string(kMaxEvidenceFiles) + " evidence files per update",
                                     {{"evidence", "at most 10 files"}});
        }
        uploads.push_back(d::EvidenceUpload{params.get("filename", "evidence"), std::move(content)});
    }
    std::vector<d::EvidenceUpload> uploads;
};

std::optional<int> percentFrom(const std::string& text) {
    if (text.empty()) return std::nullopt;
    if (text.size() > 3 || text.find_first_not_of("0123456789") != std::string::npos) {
        throw d::ValidationError("percent must be a whole number from 0 to 100, got '" + text.substr(0, 20) + "'",
                                 {{"percent", "a whole number 0..100"}});
    }
    return std::stoi(text);
}

}  // namespace

void ActionDetailHandler::handle(Exchange& exchange) {
    QueryParameters query(exchange.rawQuery(), {});
    query.throwIfInvalid();
    sendAction(exchange, visibleAction(exchange), 200);
}

void EvidenceDownloadHandler::handle(Exchange& exchange) {
    QueryParameters query(exchange.rawQuery(), {});
    query.throwIfInvalid();
    const auto ctx = visibleAction(exchange);
    const std::string& evidenceId = exchange.pathParam("evidenceId");
    const std::string notFound = "No evidence file '" + evidenceId + "' on " + ctx.name() + ".";
    std::optional<d::Evidence> found;
    for (auto& e : exchange.session().evidence().listByAction(ctx.action.id)) {
        if (e.id == evidenceId && !e.fileName.empty()) found = std::move(e);
    }
    if (!found) throw d::NotFoundError(notFound);
    const auto content = exchange.session().evidence().content(found->id);
    if (!content) throw d::NotFoundError(notFound);
    if (exchange.services().auth.hasher.sha256Hex(*content) != found->sha256) {
        throw d::Error(d::ErrorCode::kInternal, "Internal error", {},
                       "evidence " + found->id + " does not match its recorded SHA-256 (run verify-audit-log)");
    }
    // The name is for display only: ASCII letters, digits and ._- in the plain parameter, everything else
    // percent-encoded in filename* (RFC 6266, 8187), so no header can be split or spoofed.
    const std::string name = d::evidenceDownloadName(*found);
    std::string ascii, encoded;
    for (unsigned char c : name) ascii += std::isalnum(c) || c == '.' || c == '_' || c == '-' ? static_cast<char>(c) : '_';
    Poco::URI::encode(name, "!#$&'()*+,/:;=?@[]~", encoded);
    auto& response = exchange.response();
    response.set("Content-Disposition", "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded);
    response.set("X-Content-Type-Options", "nosniff");
    response.set("Content-Security-Policy", "sandbox; default-src 'none'");
    response.set("Cache-Control", "private, no-cache");
    response.set("ETag", "\"" + found->sha256 + "\"");
    exchange.send(200, found->mediaType.empty() ? "application/octet-stream" : found->mediaType, *content);
}

void TransitionHandler::handle(Exchange& exchange) {
    const auto ctx = visibleAction(exchange);
    const auto body = exchange.jsonBody();
    const auto version = ifMatchVersion(exchange);
    onlyFields(body, {"to", "reason", "evidence_note", "group", "decision_reference", "superseded_by"});
    d::MoveRequest request;
    const std::string to = requiredText(body, "to");
    const auto status = d::parseActionStatus(to);
    if (!status) {
        throw d::ValidationError("to '" + to + "' is not a status; allowed: " + d::allowedActionStatuses(),
                                 {{"to", "one of " + d::allowedActionStatuses()}});
    }
    request.to = *status;
    request.reason = optionalText(body, "reason").value_or("");
    request.evidenceNote = optionalText(body, "evidence_note").value_or("");
    request.groupName = optionalText(body, "group");
    request.decisionReference = optionalText(body, "decision_reference").value_or("");
    request.supersededBy = optionalText(body, "superseded_by");
    request.expectedVersion = version;
    actionService(exchange).move(exchange.principal().actor(), ctx.action.id, request);
    sendAction(exchange, d::findAction(exchange.session(), ctx.action.id), 200);
}

void ProgressHandler::handle(Exchange& exchange) {
    const auto ctx = visibleAction(exchange);
    const auto& p = exchange.principal();
    if (!isOwner(p, ctx.action) && !p.has(d::Role::kSecretariat)) {
        throw d::ForbiddenError("only the owners of " + ctx.name() + " or the secretariat may post progress on it");
    }
    const auto version = ifMatchVersion(exchange);
    std::string text;
    std::optional<int> percent;
    std::vector<d::EvidenceUpload> uploads;
    const std::string type = exchange.request().getContentType();
    if (type.rfind("multipart/form-data", 0) == 0) {
        const std::string raw = exchange.body(kMaxEvidenceFiles * d::kMaxEvidenceBytes + 64 * 1024);
        std::istringstream in(raw);
        EvidenceParts parts;
        Poco::Net::HTMLForm form;
        try {
            form.load(exchange.request(), in, parts);
        } catch (const d::Error&) {
            throw;
        } catch (const Poco::Exception&) {
            // Poco's text can carry internals (assertion file and line): say only what is wrong.
            throw d::ValidationError("the multipart/form-data body is malformed (boundary, headers or parts)",
                                     {{"body", "malformed multipart/form-data"}});
        }
        for (const auto& [name, value] : form) {
            if (name != "text" && name != "percent") {
                throw d::ValidationError("unknown field '" + name + "'; allowed: text, percent, evidence (files)",
                                         {{name, "unknown; allowed: text, percent, evidence"}});
            }
        }
        text = form.get("text", "");
        percent = percentFrom(form.get("percent", ""));
        uploads = std::move(parts.uploads);
    } else {
        const auto body = exchange.jsonBody();
        onlyFields(body, {"text", "percent"});
        text = requiredText(body, "text");
        if (const auto it = body.find("percent"); it != body.end() && !it->is_null()) {
            if (!it->is_number_integer()) {
                throw d::ValidationError("percent must be a whole number from 0 to 100",
                                         {{"percent", "a whole number 0..100"}});
            }
            const auto value = it->get<long long>();
            if (value < 0 || value > 100) {
                throw d::ValidationError("percent must be between 0 and 100, got " + std::to_string(value),
                                         {{"percent", "must be 0..100"}});
            }
            percent = static_cast<int>(value);
        }
    }
    const auto update = actionService(exchange).addProgress(exchange.principal().actor(), ctx.action.id, text, percent,
                                                            uploads, version);
    json evidence = json::array();
    for (const auto& e : exchange.session().evidence().listByAction(ctx.action.id)) {
        if (e.progressUpdateId == update.id) {
            evidence.push_back({{"id", e.id},
                                {"file_name", e.fileName},
                                {"media_type", e.mediaType},
                                {"size_bytes", e.sizeBytes},
                                {"sha256", e.sha256}});
        }
    }
    exchange.response().set("ETag", etagOf(ctx.action.version));
    exchange.sendJson({{"id", update.id},
                       {"action_id", update.actionId},
                       {"date", d::formatIso(update.date)},
                       {"text", update.text},
                       {"percent", update.percent ? json(*update.percent) : json(nullptr)},
                       {"evidence", evidence}},
                      201);
}

void RevisionRequestCreateHandler::handle(Exchange& exchange) {
    const auto ctx = visibleAction(exchange);
    if (!isOwner(exchange.principal(), ctx.action)) {
        throw d::ForbiddenError("only the owners of " + ctx.name() + " may ask for a revised target date");
    }
    const auto body = exchange.jsonBody();
    const auto version = ifMatchVersion(exchange);
    onlyFields(body, {"requested_date", "reason"});
    const std::string dateText = requiredText(body, "requested_date");
    const auto date = d::parseTargetDate(dateText);
    if (!date) {
        throw d::ValidationError("requested_date '" + dateText.substr(0, 40) + "' is not a date (use YYYY-MM-DD)",
                                 {{"requested_date", "a date, YYYY-MM-DD"}});
    }
    const auto request = actionService(exchange).requestRevisedDate(exchange.principal().actor(), ctx.action.id, *date,
                                                                    requiredText(body, "reason"), version);
    const Names names(exchange.session());
    exchange.sendJson(requestJson(request, names.people, names.groups, referenceOf(ctx)), 201);
}

void RevisionRequestListHandler::handle(Exchange& exchange) {
    QueryParameters query(exchange.rawQuery(), {"status", "group"});
    const std::string status = query.choice("status", "pending", {"pending", "approved", "refused", "all"});
    const auto groupName = query.text("group");
    query.throwIfInvalid();
    auto& session = exchange.session();
    const auto& p = exchange.principal();
    const Names names(session);
    const d::GroupChart chart(session.groups().list());
    std::optional<d::Id> groupId;
    if (groupName) {
        const auto* group = chart.findByName(*groupName);
        if (!group || !d::canSeeGroup(p, group->id)) {
            throw d::NotFoundError("no governance group is called '" + *groupName + "'");
        }
        groupId = group->id;
    }
    const auto snapshot = session.loadActionPlan({std::nullopt, false});
    json items = json::array();
    for (const auto& action : snapshot.actions) {
        const bool seesAction = d::canSeeAction(p, action);
        for (const auto& r : session.revisionRequests().listByAction(action.id)) {
            if (status != "all" && std::string(d::toString(r.status)) != status) continue;
            if (groupId && r.routedToGroupId != groupId) continue;
            const bool decides = r.routedToGroupId && p.isOfficerOf(*r.routedToGroupId);
            if (!seesAction && !decides) continue;
            const auto ctx = d::findAction(session, action.id);
            items.push_back(requestJson(r, names.people, names.groups, referenceOf(ctx)));
        }
    }
    exchange.sendJson({{"items", items}, {"total", items.size()}});
}

void RevisionDecisionHandler::handle(Exchange& exchange) {
    auto& session = exchange.session();
    const auto& p = exchange.principal();
    const std::string& id = exchange.pathParam("id");
    const auto request = session.revisionRequests().findById(id);
    const std::string notFound = "No revision request has the id '" + id + "'.";
    if (!request) throw d::NotFoundError(notFound);
    const auto action = session.actions().findById(request->actionId);
    const bool visible = (action && d::canSeeAction(p, *action)) ||
                         (request->routedToGroupId && p.isOfficerOf(*request->routedToGroupId));
    if (!visible) throw d::NotFoundError(notFound);

    const auto body = exchange.jsonBody();
    onlyFields(body, {"decision", "group", "reference", "note"});
    const std::string decision = requiredText(body, "decision");
    if (decision != "approve" && decision != "refuse") {
        throw d::ValidationError("decision '" + decision.substr(0, 40) + "' is not allowed; allowed: approve, refuse",
                                 {{"decision", "approve or refuse"}});
    }
    std::optional<std::int64_t> version;
    if (!exchange.request().get("If-Match", "").empty()) version = ifMatchVersion(exchange);
    const auto decided =
        actionService(exchange).decide(p.actor(), id, decision == "approve", optionalText(body, "note").value_or(""),
                                       optionalText(body, "group"), requiredText(body, "reference"), version);
    const Names names(session);
    const auto ctx = d::findAction(session, decided.actionId);
    exchange.sendJson(requestJson(decided, names.people, names.groups, referenceOf(ctx)));
}

}  // namespace govtrack::http
