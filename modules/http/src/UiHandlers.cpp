#include "UiHandlers.h"

#include <algorithm>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include <Poco/Net/HTTPServerResponse.h>

#include "govtrack/domain/Error.h"
#include "govtrack/domain/ReminderService.h"
#include "govtrack/reports/Dashboard.h"
#include "govtrack/reports/Spreadsheet.h"

#include "JsonBody.h"

namespace govtrack::http {
namespace {

constexpr std::string_view kXlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

std::optional<domain::Rag> parseRag(std::string_view text) {
    for (auto rag : {domain::Rag::kRed, domain::Rag::kAmber, domain::Rag::kGreen, domain::Rag::kComplete}) {
        const auto name = domain::toString(rag);
        if (text.size() == name.size() && std::equal(text.begin(), text.end(), name.begin(), [](char a, char b) {
                return (a >= 'A' && a <= 'Z' ? static_cast<char>(a - 'A' + 'a') : a) == b;
            })) {
            return rag;
        }
    }
    return std::nullopt;
}

std::string label(std::string_view snake) {
    std::string out(snake);
    for (auto& c : out) {
        if (c == '_') c = ' ';
    }
    if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 'a' + 'A');
    return out;
}

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty()) out += "; ";
        out += item;
    }
    return out;
}

/// The tracker's columns, in the order the web UI shows them, one row per action.
reports::Table trackerTable(const std::vector<ActionView>& actions) {
    reports::Table table;
    table.sheetName = "Actions";
    table.header = {"Reference",
                    "Engagement",
                    "Recommendation",
                    "Action",
                    "Priority",
                    "Description",
                    "Lead owner",
                    "Co-owners",
                    "Unit",
                    "Group",
                    "Original target date",
                    "Current target date",
                    "Revisions",
                    "Total slip days",
                    "Status",
                    "RAG",
                    "Days overdue",
                    "Last update date",
                    "Last update",
                    "Percent complete"};
    table.numericColumns = {2, 3, 12, 13, 16, 19};
    auto date = [](const std::optional<domain::TargetDate>& t) { return t ? t->display() : std::string(); };
    for (const auto& a : actions) {
        const auto& u = a.lastUpdate;
        table.rows.push_back({a.engagement + "/" + std::to_string(a.recommendation) + "." + std::to_string(a.number),
                              a.engagement,
                              std::to_string(a.recommendation),
                              std::to_string(a.number),
                              label(domain::toString(a.priority)),
                              a.description,
                              a.leadOwner.value_or(""),
                              join(a.coOwners),
                              a.unit,
                              a.group.value_or(""),
                              date(a.targetDate),
                              date(a.currentTargetDate),
                              std::to_string(a.revisions),
                              std::to_string(a.totalSlipDays),
                              label(domain::toString(a.status)),
                              label(domain::toString(a.rag)),
                              std::to_string(a.daysOverdue),
                              u ? domain::formatUk(u->date) : "",
                              u ? u->text : "",
                              u && u->percent ? std::to_string(*u->percent) : ""});
    }
    return table;
}

}  // namespace

ActionQuery parseActionQuery(QueryParameters& query) {
    ActionQuery result;
    auto& filter = result.filter;
    filter.owner = query.text("owner");
    filter.status =
        query.enumeration<domain::ActionStatus>("status", domain::parseActionStatus, domain::allowedActionStatuses());
    filter.overdue = query.boolean("overdue");
    // One priority, or several separated by commas ("high,medium"): any of them.
    if (const auto raw = query.text("priority")) {
        std::size_t start = 0;
        bool bad = false;
        while (start <= raw->size()) {
            const auto comma = std::min(raw->find(',', start), raw->size());
            const auto priority = domain::parsePriority(std::string_view(*raw).substr(start, comma - start));
            if (priority)
                filter.priorities.insert(*priority);
            else
                bad = true;
            start = comma + 1;
        }
        if (bad)
            query.reject("priority", "must be one or more of " + domain::allowedPriorities() + ", separated by commas",
                         *raw);
    }
    filter.engagement = query.text("engagement");
    filter.rag = query.enumeration<domain::Rag>("rag", parseRag, "red, amber, green, complete");
    filter.unit = query.text("unit");
    filter.group = query.text("group");
    const std::string sort =
        query.choice("sort", "reference",
                     {"reference", "-reference", "due", "-due", "priority", "-priority", "status", "-status", "rag",
                      "-rag", "days_overdue", "-days_overdue", "owner", "-owner", "revisions", "-revisions"});
    const std::string_view key = sort[0] == '-' ? std::string_view(sort).substr(1) : std::string_view(sort);
    result.sort.descending = sort[0] == '-';
    using Key = ActionSort::Key;
    static const std::map<std::string_view, Key> kKeys = {{"reference", Key::kReference},
                                                          {"due", Key::kDue},
                                                          {"priority", Key::kPriority},
                                                          {"status", Key::kStatus},
                                                          {"rag", Key::kRag},
                                                          {"days_overdue", Key::kDaysOverdue},
                                                          {"owner", Key::kOwner},
                                                          {"revisions", Key::kRevisions}};
    const auto found = kKeys.find(key);
    result.sort.key = found == kKeys.end() ? Key::kReference : found->second;  // choice() already refused others
    return result;
}

void ActionExportHandler::handle(Exchange& exchange) {
    QueryParameters query(exchange.rawQuery(), {"owner", "status", "overdue", "priority", "engagement", "rag", "unit",
                                                "group", "sort", "format", "bom"});
    const auto actionQuery = parseActionQuery(query);
    const std::string format = query.choice("format", "csv", {"csv", "xlsx"});
    const bool bom = query.choice("bom", "false", {"true", "false"}) == "true";
    query.throwIfInvalid();
    const auto today = exchange.services().clock.today();
    // The signed-in user's row rules apply, as in the list: the file holds what they may see.
    const auto table = trackerTable(ActionPlanQueries(exchange.session(), today, &exchange.principal())
                                        .allActions(actionQuery.filter, actionQuery.sort));
    const std::string filename = "actions-" + domain::formatIso(today) + "." + format;
    exchange.response().set("Content-Disposition", "attachment; filename=\"" + filename + "\"");
    exchange.response().set("X-Total-Count", std::to_string(table.rows.size()));
    if (format == "xlsx") {
        exchange.send(200, kXlsxType, reports::renderTableXlsx(table));
    } else {
        exchange.send(200, "text/csv; charset=utf-8", reports::renderTableCsv(table, bom));
    }
}

void ChaseHandler::handle(Exchange& exchange) {
    QueryParameters query(exchange.rawQuery(),
                          {"owner", "status", "overdue", "priority", "engagement", "rag", "unit", "group", "sort"});
    const auto actionQuery = parseActionQuery(query);
    query.throwIfInvalid();
    const auto body = exchange.jsonBody();
    onlyFields(body, {"dry_run", "action_ids", "note"});
    domain::ChaseRequest request;
    request.record = !optionalBool(body, "dry_run").value_or(false);
    request.note = optionalText(body, "note").value_or("");
    // The messages name the person who chased, or the account's display name if it acts as no person.
    const auto& principal = exchange.principal();
    request.requestedBy = principal.personId && !principal.personName.empty() ? principal.personName
                          : principal.displayName.empty()                        ? principal.username
                                                                                 : principal.displayName;
    // Absent means every filtered action; null is a client's mistake (e.g. "nothing ticked"), never "all".
    if (const auto it = body.find("action_ids"); it != body.end() && it->is_null()) {
        throw domain::ValidationError("action_ids must be an array of ids, or left out to chase every filtered action",
                                      {{"action_ids", "an array of ids, or absent"}});
    }
    const auto only = optionalTextList(body, "action_ids", domain::kMaxChaseActions);

    const auto& services = exchange.services();
    const auto today = services.clock.today();
    // The rows the filters select for this user (their row rules apply, as in the list and the export).
    const auto selected =
        ActionPlanQueries(exchange.session(), today, &exchange.principal()).allActions(actionQuery.filter, actionQuery.sort);
    if (only) {
        std::set<std::string> wanted;
        for (const auto& id : *only) {
            if (!wanted.insert(id).second) {
                throw domain::ValidationError("action_ids: '" + id + "' is given twice", {{"action_ids", "each id once"}});
            }
        }
        for (const auto& a : selected) {
            if (wanted.erase(a.id) > 0) request.actionIds.push_back(a.id);
        }
        if (!wanted.empty()) {
            throw domain::ValidationError("action_ids: '" + *wanted.begin() + "' is not among the actions the filters select",
                                          {{"action_ids", "ids of actions the filters select"}});
        }
    } else {
        if (selected.size() > domain::kMaxChaseActions) {
            throw domain::ValidationError("the filters select " + std::to_string(selected.size()) +
                                              " actions; a chase covers at most " +
                                              std::to_string(domain::kMaxChaseActions) + ": narrow the filters",
                                          {{"action_ids", "at most " + std::to_string(domain::kMaxChaseActions)}});
        }
        for (const auto& a : selected) request.actionIds.push_back(a.id);
    }

    const auto result = domain::chaseActions(exchange.session(), exchange.audit(), services.auth.ids,
                                             exchange.principal().actor(), request, today, services.clock.now(),
                                             services.webBaseUrl);
    if (result.recorded && result.digests > 0 && services.config.outboxChanged) services.config.outboxChanged();

    nlohmann::json actions = nlohmann::json::array();
    for (const auto& a : result.actions) {
        nlohmann::json recipients = nlohmann::json::array();
        for (const auto& r : a.recipients)
            recipients.push_back({{"person_id", r.personId}, {"role_title", r.roleTitle}, {"as", r.as}});
        actions.push_back({{"id", a.actionId},
                           {"reference", a.reference},
                           {"status", domain::toString(a.status)},
                           {"outcome", domain::toString(a.outcome)},
                           {"reason", a.reason},
                           {"recipients", recipients}});
    }
    nlohmann::json people = nlohmann::json::array();
    for (const auto& p : result.recipients) {
        people.push_back(
            {{"person_id", p.personId}, {"role_title", p.roleTitle}, {"email", p.hasEmail}, {"actions", p.actions}});
    }
    exchange.sendJson({{"day", domain::formatIso(result.day)},
                       {"dry_run", !result.recorded},
                       {"actions", actions},
                       {"chased", result.count(domain::ChaseOutcome::kChased)},
                       {"already_chased", result.count(domain::ChaseOutcome::kAlreadyChased)},
                       {"skipped", result.count(domain::ChaseOutcome::kSkipped)},
                       {"recipients", people},
                       {"reminders", result.reminders},
                       {"digests", result.digests},
                       {"email_delivery", services.config.mailDelivery}});
}

void DashboardHandler::handle(Exchange& exchange) {
    QueryParameters query(exchange.rawQuery(), {"engagement", "months"});
    const auto engagement = query.text("engagement");
    const int months = query.integer("months", 12, 0, 36);
    query.throwIfInvalid();
    const auto& services = exchange.services();
    // A whole-plan view like the follow-up report: the route needs read_reports.
    const auto dashboard =
        reports::buildDashboard(exchange.session(), services.clock.today(), months, services.endOfDayUtc, engagement);
    exchange.send(200, kJsonType, reports::renderDashboardJson(dashboard));
}

}  // namespace govtrack::http
