#pragma once

#include "ApiRequestHandler.h"

/// Write routes for the action workflow (SPEC 4.1, 4.3; issue 3). Every change goes through
/// domain::ActionService (the rules, one transaction, the audit trail). Optimistic concurrency: GET
/// /api/v1/actions/{id} sends an ETag ("<version>"); a change to the action must send it back in
/// If-Match: 428 without it, 412 when someone else changed the action in between.
namespace govtrack::http {

/// GET /api/v1/actions/{id} -> the action with owners, dates, progress, evidence, revision requests,
/// "allowed_transitions" and "can" for the signed-in user; ETag. 404 if unknown or not visible.
class ActionDetailHandler final : public ApiRequestHandler {
public:
    using ApiRequestHandler::ApiRequestHandler;

protected:
    void handle(Exchange& exchange) override;
};

/// POST /api/v1/actions/{id}/transitions {"to","reason"?,"evidence_note"?,"group"?,"decision_reference"?,
/// "superseded_by"?} + If-Match -> 200 action detail. 409 for a move the workflow table does not allow
/// (naming the current and allowed states), 403 for a mover without the right.
class TransitionHandler final : public ApiRequestHandler {
public:
    using ApiRequestHandler::ApiRequestHandler;

protected:
    void handle(Exchange& exchange) override;
};

/// POST /api/v1/actions/{id}/progress + If-Match: JSON {"text","percent"?} or multipart/form-data with
/// fields text, percent and files "evidence" (each at most 10 MiB; type sniffed from the bytes)
/// -> 201 {"id","date","text","percent","evidence":[...]}.
class ProgressHandler final : public ApiRequestHandler {
public:
    using ApiRequestHandler::ApiRequestHandler;

protected:
    void handle(Exchange& exchange) override;
};

/// GET /api/v1/actions/{id}/evidence/{evidenceId} -> the evidence file as uploaded: Content-Type the media
/// type sniffed at upload, Content-Disposition attachment with the file name, X-Content-Type-Options nosniff,
/// a sandbox CSP, ETag the SHA-256. The action's row rules apply (404 if unknown or not visible, or the
/// evidence is not this action's, or it is a note without a file). The bytes are checked against the
/// recorded SHA-256 before they are sent: a file changed in the database is a 500, never handed out.
class EvidenceDownloadHandler final : public ApiRequestHandler {
public:
    using ApiRequestHandler::ApiRequestHandler;

protected:
    void handle(Exchange& exchange) override;
};

/// POST /api/v1/actions/{id}/revision-requests {"requested_date","reason"} + If-Match -> 201 request.
class RevisionRequestCreateHandler final : public ApiRequestHandler {
public:
    using ApiRequestHandler::ApiRequestHandler;

protected:
    void handle(Exchange& exchange) override;
};

/// GET /api/v1/revision-requests?status=pending|approved|refused|all&group=NAME -> {"items","total"}:
/// requests on actions the user may see, or routed to a group they chair or are secretary of.
class RevisionRequestListHandler final : public ApiRequestHandler {
public:
    using ApiRequestHandler::ApiRequestHandler;

protected:
    void handle(Exchange& exchange) override;
};

/// POST /api/v1/revision-requests/{id}/decision {"decision":"approve|refuse","group"?,"reference",
/// "note"?} (If-Match optional: the request's version) -> 200 request. 403 naming the group that holds
/// the power when the user's group does not.
class RevisionDecisionHandler final : public ApiRequestHandler {
public:
    using ApiRequestHandler::ApiRequestHandler;

protected:
    void handle(Exchange& exchange) override;
};

}  // namespace govtrack::http
