#pragma once

#include <string>
#include <vector>

#include "ApiRequestHandler.h"

/// The route handlers. Each is thin: parse and validate the request, call one query or report
/// function, render (STYLE.md "Handlers are thin"). None writes to the store (SPEC 6).
namespace govtrack::http {

/// GET /healthz -> {"status":"ok"} once a store session opens; 503 problem if it does not.
class HealthHandler final : public ApiRequestHandler {
public:
    using ApiRequestHandler::ApiRequestHandler;

protected:
    void handle(Exchange& exchange) override;
};

/// GET /api/v1/engagements -> {"items":[engagement summary...], "total"}.
class EngagementListHandler final : public ApiRequestHandler {
public:
    using ApiRequestHandler::ApiRequestHandler;

protected:
    void handle(Exchange& exchange) override;
};

/// GET /api/v1/engagements/{ref} -> engagement detail; 404 problem for an unknown reference.
class EngagementDetailHandler final : public ApiRequestHandler {
public:
    using ApiRequestHandler::ApiRequestHandler;

protected:
    void handle(Exchange& exchange) override;
};

/// GET /api/v1/recommendations?engagement=&priority=&status= -> {"items":[...], "total"}.
class RecommendationListHandler final : public ApiRequestHandler {
public:
    using ApiRequestHandler::ApiRequestHandler;

protected:
    void handle(Exchange& exchange) override;
};

/// GET /api/v1/actions?owner=&status=&overdue=&priority=&engagement=&page=&per_page= -> a page of actions.
class ActionListHandler final : public ApiRequestHandler {
public:
    using ApiRequestHandler::ApiRequestHandler;

protected:
    void handle(Exchange& exchange) override;
};

/// GET /api/v1/reports/follow-up?engagement=&as_of=&format=json|csv|html -> the follow-up report (SPEC 4.7).
class FollowUpReportHandler final : public ApiRequestHandler {
public:
    using ApiRequestHandler::ApiRequestHandler;

protected:
    void handle(Exchange& exchange) override;
};

/// GET /api/v1/groups -> {"items":[{name, kind, parent, superseded_by, effective_from, effective_to,
/// members:[{role_title, role}], powers:[{kind, max_priority, max_total_slip_days}]}], "total"}.
class GroupListHandler final : public ApiRequestHandler {
public:
    using ApiRequestHandler::ApiRequestHandler;

protected:
    void handle(Exchange& exchange) override;
};

/// GET /api/v1/groups/{name}/meeting-pack?date=&format=json|html -> the group's meeting pack (SPEC 4.7).
class MeetingPackHandler final : public ApiRequestHandler {
public:
    using ApiRequestHandler::ApiRequestHandler;

protected:
    void handle(Exchange& exchange) override;
};

/// GET /api/v1/admin/outbox?status=pending|sending|sent|failed&limit=1..1000 -> {"counts":{status:n},
/// "items":[{id, recipient_id, recipient_email, digest_day, subject, status, attempts, next_attempt_at,
/// last_error, created_at, sent_at, reminders:[{rule, item_id, reference, occurrence}]}], "total"} newest first
/// (SPEC 4.6). Admins only once sign-in lands (the lead attaches the permission).
class OutboxHandler final : public ApiRequestHandler {
public:
    using ApiRequestHandler::ApiRequestHandler;

protected:
    void handle(Exchange& exchange) override;
};

/// GET /api/v1/registers -> {"items":[{name, level, owner, escalation_threshold, review_frequency_days,
/// tolerances:{category: appetite}, tolerance_max_scores:{category: score}}], "total"} (issue 4).
class RiskRegisterListHandler final : public ApiRequestHandler {
public:
    using ApiRequestHandler::ApiRequestHandler;

protected:
    void handle(Exchange& exchange) override;
};

/// GET /ical/{token}.ics -> text/calendar (RFC 5545), the token owner's open actions as all-day events
/// (domain/ICalendar.h). Unknown, revoked or malformed tokens -> 404 problem, the same for each.
class ICalendarFeedHandler final : public ApiRequestHandler {
public:
    using ApiRequestHandler::ApiRequestHandler;

protected:
    void handle(Exchange& exchange) override;
};

/// GET /api/v1/risks?register=&level=&escalation_due=&review_overdue=&status= -> {"items":[risk...], "total"}.
class RiskListHandler final : public ApiRequestHandler {
public:
    using ApiRequestHandler::ApiRequestHandler;

protected:
    void handle(Exchange& exchange) override;
};

/// GET /api/v1/risks/heatmap?register=&basis=inherent|current|target -> counts and references per cell.
class RiskHeatMapHandler final : public ApiRequestHandler {
public:
    using ApiRequestHandler::ApiRequestHandler;

protected:
    void handle(Exchange& exchange) override;
};

/// GET /api/v1/risks/{ref} -> one risk with its escalation route both ways; 404 for an unknown reference.
class RiskDetailHandler final : public ApiRequestHandler {
public:
    using ApiRequestHandler::ApiRequestHandler;

protected:
    void handle(Exchange& exchange) override;
};

/// GET /api/v1/risks/{ref}/history -> {"reference", "changes":[score change...], "decisions":[...]}.
class RiskHistoryHandler final : public ApiRequestHandler {
public:
    using ApiRequestHandler::ApiRequestHandler;

protected:
    void handle(Exchange& exchange) override;
};

/// Any path no route knows: 404 problem.
class NotFoundHandler final : public ApiRequestHandler {
public:
    using ApiRequestHandler::ApiRequestHandler;

protected:
    void handle(Exchange& exchange) override;
};

/// A path that is not decodable (bad percent-encoding): 400 problem.
class BadPathHandler final : public ApiRequestHandler {
public:
    using ApiRequestHandler::ApiRequestHandler;

protected:
    void handle(Exchange& exchange) override;
};

/// A known path with a method it does not accept: 405 problem with an Allow header.
class MethodNotAllowedHandler final : public ApiRequestHandler {
public:
    MethodNotAllowedHandler(const Services& services, std::vector<std::string> allowed);

protected:
    void handle(Exchange& exchange) override;

private:
    std::vector<std::string> allowed_;
};

}  // namespace govtrack::http
