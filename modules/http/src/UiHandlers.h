#pragma once

#include "ActionPlanQueries.h"
#include "ApiRequestHandler.h"
#include "QueryParameters.h"

/// Routes the web UI needs beyond the plain read API: the tracker's export of exactly what is filtered,
/// and the dashboard's figures (issue 8 items 3 and 8).
namespace govtrack::http {

/// The tracker's filters and sort, shared by GET /api/v1/actions and its export.
struct ActionQuery {
    ActionFilter filter;
    ActionSort sort;
};

/// Reads the filters (owner, status, overdue, priority -- one or several separated by commas --, engagement,
/// rag, unit, group) and `sort` (reference, due, priority, status, rag, days_overdue, owner, revisions;
/// a leading '-' for descending) from `query`, recording bad values in it (call throwIfInvalid after).
ActionQuery parseActionQuery(QueryParameters& query);

/// GET /api/v1/actions/export?<the filters and sort of /api/v1/actions>&format=csv|xlsx&bom= -> every
/// matching action (no paging) as a CSV (text/csv, formula-injection safe) or XLSX attachment, named
/// actions-<today>.csv|xlsx.
class ActionExportHandler final : public ApiRequestHandler {
public:
    using ApiRequestHandler::ApiRequestHandler;

protected:
    void handle(Exchange& exchange) override;
};

/// POST /api/v1/actions/chase?<the filters of /api/v1/actions> {"dry_run"?: bool, "action_ids"?: [id],
/// "note"?: string} -> 200 {"day", "dry_run", "actions": [{id, reference, status, outcome, reason,
/// recipients: [{person_id, role_title, as}]}], "chased", "already_chased", "skipped", "recipients":
/// [{person_id, role_title, email, actions}], "reminders", "digests", "email_delivery" (this server sends
/// the outbox by e-mail; false: the messages wait)}: the tracker's bulk chase ("send
/// reminder now", domain::chaseActions). The actions are those the filters select (in `sort` order),
/// narrowed to `action_ids` when given; 400 for an id the filters do not select, for more than
/// domain::kMaxChaseActions actions, or a bad note. Needs chase_owners (the secretariat). A recorded chase
/// wakes the delivery worker (ServerConfig::outboxChanged).
class ChaseHandler final : public ApiRequestHandler {
public:
    using ApiRequestHandler::ApiRequestHandler;

protected:
    void handle(Exchange& exchange) override;
};

/// GET /api/v1/dashboard?engagement=&months= -> reports::renderDashboardJson (trend over `months` month
/// ends, default 12, 0-36 (0: today only); overdue ageing by priority; revised-date counts).
class DashboardHandler final : public ApiRequestHandler {
public:
    using ApiRequestHandler::ApiRequestHandler;

protected:
    void handle(Exchange& exchange) override;
};

}  // namespace govtrack::http
