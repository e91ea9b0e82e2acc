#include "Handlers.h"

#include <functional>
#include <map>

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <nlohmann/json.hpp>

#include "govtrack/domain/Access.h"
#include "govtrack/domain/AsOf.h"
#include "govtrack/domain/AuditTrail.h"
#include "govtrack/domain/Authority.h"
#include "govtrack/domain/Error.h"
#include "govtrack/domain/ICalendar.h"
#include "govtrack/domain/Model.h"
#include "govtrack/domain/Outbox.h"
#include "govtrack/reports/FollowUpCompare.h"
#include "govtrack/reports/FollowUpReport.h"
#include "govtrack/reports/MeetingPack.h"
#include "govtrack/reports/Spreadsheet.h"

#include "ActionPlanQueries.h"
#include "QueryParameters.h"
#include "UiHandlers.h"

namespace govtrack::http {
namespace {

constexpr int kDefaultPerPage = 50;
constexpr int kMaxPerPage = 500;
constexpr int kMaxPage = 1'000'000;

/// Keeps a name usable inside a Content-Disposition filename: letters, digits, '.', '-' and '_'.
std::string filenameSafe(const std::string& text) {
    std::string out;
    for (char c : text) {
        const bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                          c == '-' || c == '_';
        out.push_back(safe ? c : '_');
    }
    return out.substr(0, 80);
}

std::optional<domain::Priority> priorityParameter(QueryParameters& query) {
    return query.enumeration<domain::Priority>("priority", domain::parsePriority, domain::allowedPriorities());
}

}  // namespace

void HealthHandler::handle(Exchange& exchange) {
    QueryParameters query(exchange.rawQuery(), {});
    query.throwIfInvalid();
    exchange.session();  // proves the store answers; throws UnavailableError if not
    exchange.sendJson({{"status", "ok"}});
}

void EngagementListHandler::handle(Exchange& exchange) {
    QueryParameters query(exchange.rawQuery(), {});
    query.throwIfInvalid();
    domain::StoreSession* session = &exchange.session();
    const auto items =
        ActionPlanQueries(*session, exchange.services().clock.today(), &exchange.principal()).engagements();
    exchange.sendJson({{"items", items}, {"total", items.size()}});
}

void EngagementDetailHandler::handle(Exchange& exchange) {
    QueryParameters query(exchange.rawQuery(), {});
    query.throwIfInvalid();
    domain::StoreSession* session = &exchange.session();
    const auto view = ActionPlanQueries(*session, exchange.services().clock.today(), &exchange.principal())
                          .engagement(exchange.pathParam("ref"));
    exchange.sendJson(view);
}

void RecommendationListHandler::handle(Exchange& exchange) {
    QueryParameters query(exchange.rawQuery(), {"engagement", "priority", "status"});
    RecommendationFilter filter;
    filter.engagement = query.text("engagement");
    filter.priority = priorityParameter(query);
    filter.status = query.enumeration<domain::RecommendationStatus>("status", domain::parseRecommendationStatus,
                                                                    domain::allowedRecommendationStatuses());
    query.throwIfInvalid();
    domain::StoreSession* session = &exchange.session();
    const auto items =
        ActionPlanQueries(*session, exchange.services().clock.today(), &exchange.principal()).recommendations(filter);
    exchange.sendJson({{"items", items}, {"total", items.size()}});
}

void ActionListHandler::handle(Exchange& exchange) {
    QueryParameters query(exchange.rawQuery(), {"owner", "status", "overdue", "priority", "engagement", "rag", "unit",
                                                "group", "sort", "page", "per_page"});
    const auto actionQuery = parseActionQuery(query);
    const int page = query.integer("page", 1, 1, kMaxPage);
    const int perPage = query.integer("per_page", kDefaultPerPage, 1, kMaxPerPage);
    query.throwIfInvalid();
    domain::StoreSession* session = &exchange.session();
    exchange.sendJson(ActionPlanQueries(*session, exchange.services().clock.today(), &exchange.principal())
                          .actions(actionQuery.filter, page, perPage, actionQuery.sort));
}

void FollowUpReportHandler::handle(Exchange& exchange) {
    QueryParameters query(exchange.rawQuery(), {"engagement", "as_of", "format", "bom", "compare"});
    auto engagement = query.text("engagement");
    const bool bom = query.choice("bom", "false", {"true", "false"}) == "true";
    const auto asOf = query.date("as_of").value_or(exchange.services().clock.today());
    const auto compare = query.date("compare");
    const std::string format = query.choice("format", "json", {"json", "csv", "html", "xlsx"});
    if (compare && format != "json") {
        query.throwIfInvalid();
        throw domain::ValidationError("Invalid query parameters: 'compare' works with format=json only.",
                                      {{"compare", "works with format=json only"}});
    }
    query.throwIfInvalid();

    domain::StoreSession* session = &exchange.session();
    // A past date is rebuilt from the audit trail as it stood at the end of that day (SPEC 4.7).
    const auto& services = exchange.services();
    auto reportOn = [&](domain::Date date) {
        const auto snapshot =
            date < services.clock.today()
                ? domain::loadActionPlanAsOf(
                      session->events(),
                      services.endOfDayUtc ? services.endOfDayUtc(date)
                                           : domain::formatUtc(std::chrono::sys_days{date} + std::chrono::days{1}),
                      date, {engagement})
                : session->loadActionPlan({engagement});  // NotFoundError for an unknown engagement
        std::optional<std::string> stored = engagement;
        if (stored) stored = snapshot.engagements.front().reference;  // the stored spelling
        return reports::buildFollowUpReport(snapshot, date, stored);
    };
    const auto report = reportOn(asOf);
    if (engagement) engagement = report.engagementFilter;
    if (compare) {
        // `compare` is the earlier date ("from"), as_of the later ("to"), as `report follow-up --compare`.
        const auto earlier = reportOn(*compare);
        exchange.send(200, kJsonType,
                      reports::renderCompareJson(earlier, report, reports::compareFollowUp(earlier, report)));
        return;
    }

    if (format == "xlsx") {
        const std::string filename =
            "follow-up-" + filenameSafe(engagement.value_or("all")) + "-" + domain::formatIso(asOf) + ".xlsx";
        exchange.response().set("Content-Disposition", "attachment; filename=\"" + filename + "\"");
        exchange.send(200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                      reports::renderXlsx(report));
    } else if (format == "csv") {
        const std::string filename =
            "follow-up-" + filenameSafe(engagement.value_or("all")) + "-" + domain::formatIso(asOf) + ".csv";
        exchange.response().set("Content-Disposition", "attachment; filename=\"" + filename + "\"");
        exchange.send(200, "text/csv; charset=utf-8", reports::renderCsv(report, bom));
    } else if (format == "html") {
        // The page is self-contained with inline CSS and no scripts: forbid everything else.
        exchange.response().set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
        exchange.send(200, "text/html; charset=utf-8", reports::renderHtml(report));
    } else {
        exchange.send(200, kJsonType, reports::renderJson(report));
    }
}

void GroupListHandler::handle(Exchange& exchange) {
    QueryParameters query(exchange.rawQuery(), {});
    query.throwIfInvalid();
    domain::StoreSession* session = &exchange.session();
    auto groups = session->groups().list();
    // A group's terms of reference name whom it reports to and what superseded it, even when the reader
    // may not open that group itself: names come from every group, rows only from the visible ones.
    std::map<domain::Id, std::string> groupNames, people;
    for (const auto& g : groups) groupNames[g.id] = g.name;
    std::erase_if(groups,
                  [&](const domain::GovernanceGroup& g) { return !domain::canSeeGroup(exchange.principal(), g.id); });
    for (const auto& p : session->people().list()) people[p.id] = p.roleTitle;
    auto nameOr = [](const std::map<domain::Id, std::string>& names, const std::optional<domain::Id>& id) {
        if (!id) return nlohmann::json(nullptr);
        const auto it = names.find(*id);
        return it == names.end() ? nlohmann::json(nullptr) : nlohmann::json(it->second);
    };
    nlohmann::json items = nlohmann::json::array();
    for (const auto& g : groups) {
        nlohmann::json members = nlohmann::json::array(), powers = nlohmann::json::array();
        for (const auto& m : g.members) {
            members.push_back(
                {{"role_title", nameOr(people, m.personId)}, {"role", std::string(domain::toString(m.role))}});
        }
        for (const auto& p : g.powers) {
            powers.push_back(
                {{"kind", std::string(domain::toString(p.kind))},
                 {"max_priority", p.maxPriority ? nlohmann::json(std::string(domain::toString(*p.maxPriority)))
                                                : nlohmann::json(nullptr)},
                 {"max_total_slip_days",
                  p.maxTotalSlipDays ? nlohmann::json(*p.maxTotalSlipDays) : nlohmann::json(nullptr)}});
        }
        items.push_back(
            {{"name", g.name},
             {"kind", std::string(domain::toString(g.kind))},
             {"parent", nameOr(groupNames, g.parentId)},
             {"superseded_by", nameOr(groupNames, g.supersededById)},
             {"effective_from", g.effectiveFrom ? nlohmann::json(g.effectiveFrom->iso()) : nlohmann::json(nullptr)},
             {"effective_to", g.effectiveTo ? nlohmann::json(g.effectiveTo->iso()) : nlohmann::json(nullptr)},
             {"purpose", g.purpose},
             {"members", members},
             {"powers", powers}});
    }
    const nlohmann::json body = {{"items", items}, {"total", groups.size()}};
    exchange.send(200, kJsonType, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

void MeetingPackHandler::handle(Exchange& exchange) {
    QueryParameters query(exchange.rawQuery(), {"date", "format"});
    const auto date = query.date("date").value_or(exchange.services().clock.today());
    const std::string format = query.choice("format", "json", {"json", "html"});
    query.throwIfInvalid();
    domain::StoreSession* session = &exchange.session();
    const auto& services = exchange.services();
    std::optional<std::string> cutoff;
    if (date < services.clock.today()) {
        cutoff = services.endOfDayUtc ? services.endOfDayUtc(date)
                                      : domain::formatUtc(std::chrono::sys_days{date} + std::chrono::days{1});
    }
    const domain::GroupChart chart(session->groups().list());
    const auto* group = chart.findByName(exchange.pathParam("name"));
    if (group && !domain::canSeeGroup(exchange.principal(), group->id)) {
        throw domain::NotFoundError("no governance group is called '" + exchange.pathParam("name") + "'");
    }
    const auto pack = reports::meetingPackFor(*session, exchange.pathParam("name"), date, cutoff);
    if (format == "html") {
        exchange.response().set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
        exchange.send(200, "text/html; charset=utf-8", reports::renderMeetingPackHtml(pack));
    } else {
        exchange.send(200, kJsonType, reports::renderMeetingPackJson(pack));
    }
}

namespace {

/// Which outbox messages a caller may list: all of them for an admin; `recipientId` restricts the list to one
/// person's messages (for a policy layer that lets people see their own). Newest first.
struct OutboxQuery {
    std::optional<domain::OutboxStatus> status;
    std::size_t limit = 100;
    std::optional<domain::Id> recipientId;
};

nlohmann::json outboxView(domain::StoreSession& session, const OutboxQuery& q) {
    nlohmann::json counts = nlohmann::json::object();
    for (const auto& [status, n] : session.reminders().countMessages()) counts[status] = n;
    nlohmann::json items = nlohmann::json::array();
    for (const auto& m : session.reminders().listMessages(q.status, q.limit)) {
        if (q.recipientId && m.recipientId != *q.recipientId) continue;
        nlohmann::json reminders = nlohmann::json::array();
        for (const auto& r : session.reminders().listForMessage(m.id)) {
            reminders.push_back({{"rule", r.rule},
                                 {"item_kind", r.itemKind},
                                 {"item_id", r.itemId},
                                 {"reference", r.reference},
                                 {"occurrence", domain::formatIso(r.occurrence)},
                                 {"owner_inactive", r.ownerInactive}});
        }
        items.push_back({{"id", m.id},
                         {"recipient_id", m.recipientId},
                         {"recipient_email", m.recipientEmail},
                         {"digest_day", domain::formatIso(m.digestDay)},
                         {"subject", m.subject},
                         {"status", std::string(domain::toString(m.status))},
                         {"attempts", m.attempts},
                         {"next_attempt_at", m.nextAttemptAt},
                         {"last_error", m.lastError},
                         {"created_at", m.createdAt},
                         {"sent_at", m.sentAt ? nlohmann::json(*m.sentAt) : nlohmann::json(nullptr)},
                         {"reminders", reminders}});
    }
    const auto total = items.size();
    return {{"counts", counts}, {"items", items}, {"total", total}};
}

}  // namespace

void OutboxHandler::handle(Exchange& exchange) {
    QueryParameters query(exchange.rawQuery(), {"status", "limit"});
    const std::string status = query.choice("status", "", {"pending", "sending", "sent", "failed"});
    const int limit = query.integer("limit", 100, 1, 1000);
    query.throwIfInvalid();
    OutboxQuery q;
    q.status = domain::parseOutboxStatus(status);
    q.limit = static_cast<std::size_t>(limit);
    auto session = exchange.openSession();
    exchange.sendJson(outboxView(*session, q));
}

void ICalendarFeedHandler::handle(Exchange& exchange) {
    const std::string file = exchange.pathParam("file");
    const std::string suffix = ".ics";
    const auto& services = exchange.services();
    auto notFound = [] {
        return domain::NotFoundError("No calendar feed at this address (unknown or revoked token).");
    };
    if (file.size() <= suffix.size() || file.compare(file.size() - suffix.size(), suffix.size(), suffix) != 0)
        throw notFound();
    auto session = exchange.openSession();
    const auto feed =
        domain::calendarForToken(*session, services.auth.hasher, file.substr(0, file.size() - suffix.size()),
                                 services.clock.now(), services.webBaseUrl);
    if (!feed) throw notFound();
    exchange.response().set("Cache-Control", "private, max-age=300");
    exchange.send(200, "text/calendar; charset=utf-8", *feed);
}

void NotFoundHandler::handle(Exchange& /*exchange*/) {
    throw domain::NotFoundError("No resource at this path. The API lives under /api/v1; see docs/api.md.");
}

void BadPathHandler::handle(Exchange& /*exchange*/) {
    throw domain::ValidationError("The request path is not correctly percent-encoded.");
}

MethodNotAllowedHandler::MethodNotAllowedHandler(const Services& services, std::vector<std::string> allowed)
    : ApiRequestHandler(services), allowed_(std::move(allowed)) {}

void MethodNotAllowedHandler::handle(Exchange& exchange) {
    std::string allow;
    for (const auto& method : allowed_) {
        if (!allow.empty()) allow += ", ";
        allow += method;
    }
    exchange.response().set("Allow", allow);
    sendProblem(exchange.response(), 405, "method_not_allowed",
                "The method " + exchange.request().getMethod() + " is not allowed here; allowed: " + allow + ".",
                exchange.rawPath());
}

}  // namespace govtrack::http
