// The risk routes (issue 4; SPEC 4.5, 4.7): registers, risks with their escalation route both ways, the heat
// map and each risk's score history. Read-only; the JSON shapes are in docs/api.md and docs/openapi.yaml.
#include <nlohmann/json.hpp>

#include "govtrack/domain/Error.h"
#include "govtrack/domain/RiskQueries.h"
#include "govtrack/reports/RiskReport.h"

#include "Handlers.h"
#include "QueryParameters.h"

namespace govtrack::http {
namespace {

namespace d = govtrack::domain;
using nlohmann::json;

json ratingJson(const std::optional<d::RiskRating>& r, const std::string& level) {
    if (!r) return nullptr;
    return {{"likelihood", r->likelihood}, {"impact", r->impact}, {"score", r->score()}, {"level", level}};
}

json ratingOnly(const std::optional<d::RiskRating>& r) {
    if (!r) return nullptr;
    return {{"likelihood", r->likelihood}, {"impact", r->impact}, {"score", r->score()}};
}

json dateJson(const std::optional<d::Date>& date) {
    return date ? json(d::formatIso(*date)) : json(nullptr);
}

json riskJson(const d::RiskView& v) {
    json contributors = json::array();
    for (const auto& c : v.contributors) {
        contributors.push_back({{"reference", c.reference},
                                {"title", c.title},
                                {"register", c.registerName},
                                {"current", ratingOnly(c.current)},
                                {"current_level", c.currentLevel},
                                {"escalated", c.escalated},
                                {"escalation_due", c.escalationDue}});
    }
    json decision = nullptr;
    if (v.escalation.latestDecision) {
        const auto& x = *v.escalation.latestDecision;
        decision = {{"kind", d::toString(x.kind)},
                    {"group", v.escalationGroupName},
                    {"decided_by", x.decidedByName},
                    {"date", d::formatIso(x.date)},
                    {"at", x.at},
                    {"reason", x.reason}};
    }
    return {{"reference", v.risk.reference},
            {"title", v.risk.title},
            {"description", v.risk.description},
            {"register", v.registerName.empty() ? json(nullptr) : json(v.registerName)},
            {"level", v.registerLevel ? json(d::toString(*v.registerLevel)) : json(v.risk.level)},
            {"cause", v.risk.cause},
            {"event", v.risk.event},
            {"effect", v.risk.effect},
            {"owners", v.ownerRoleTitles},
            {"category", v.risk.category},
            {"status", d::toString(v.risk.status)},
            {"inherent", ratingJson(v.risk.inherent, v.inherentLevel)},
            {"current", ratingJson(v.risk.current, v.currentLevel)},
            {"target", ratingJson(v.risk.target, v.targetLevel)},
            {"target_reason", v.risk.targetReason},
            {"controls", v.risk.controls},
            {"linked_recommendations", v.risk.linkedRecommendations},
            {"linked_actions", v.risk.linkedActions},
            {"tolerance", v.tolerance ? json(d::toString(*v.tolerance)) : json(nullptr)},
            {"tolerance_max_score", v.toleranceMaxScore ? json(*v.toleranceMaxScore) : json(nullptr)},
            {"above_tolerance", v.aboveTolerance},
            {"last_review", dateJson(v.risk.lastReview)},
            {"next_review", dateJson(v.risk.nextReview)},
            {"review_overdue", v.reviewOverdue},
            {"escalation_due", v.escalation.due},
            {"escalation_reasons", v.escalation.reasons},
            {"escalated", v.escalation.escalated},
            {"latest_decision", decision},
            {"parent", v.parentReference ? json(*v.parentReference) : json(nullptr)},
            {"route_upward", v.routeUpward},
            {"contributors", contributors}};
}

/// The risks a request may see (the lead's row rules plug into RiskFilter::visible).
d::RiskPortfolio portfolio(Exchange& exchange, d::StoreSession& session, const std::optional<std::string>& reg) {
    d::RiskFilter filter;
    filter.registerName = reg;
    return d::loadRiskPortfolio(session, exchange.services().riskMatrix, exchange.services().clock.today(), filter);
}

}  // namespace

void RiskRegisterListHandler::handle(Exchange& exchange) {
    QueryParameters query(exchange.rawQuery(), {});
    query.throwIfInvalid();
    auto session = exchange.openSession();
    const auto& matrix = exchange.services().riskMatrix;
    json items = json::array();
    for (const auto& rv : portfolio(exchange, *session, std::nullopt).registers) {
        json tolerances = json::object(), maxScores = json::object();
        for (const auto& t : rv.reg.tolerances) {
            tolerances[t.category] = d::toString(t.appetite);
            maxScores[t.category] = matrix.maxAcceptable(t.appetite);
        }
        items.push_back({{"name", rv.reg.name},
                         {"level", d::toString(rv.reg.level)},
                         {"owner", rv.ownerName},
                         {"escalation_threshold", rv.reg.escalationThreshold},
                         {"review_frequency_days", rv.reg.reviewFrequencyDays},
                         {"tolerances", tolerances},
                         {"tolerance_max_scores", maxScores}});
    }
    exchange.sendJson({{"items", items}, {"total", items.size()}});
}

void RiskListHandler::handle(Exchange& exchange) {
    QueryParameters query(exchange.rawQuery(), {"register", "level", "escalation_due", "review_overdue", "status"});
    const auto reg = query.text("register");
    const auto level = query.enumeration<d::RiskLevel>("level", d::parseRiskLevel, d::allowedRiskLevels());
    const auto due = query.boolean("escalation_due");
    const auto overdue = query.boolean("review_overdue");
    const auto status = query.enumeration<d::RiskStatus>("status", d::parseRiskStatus, d::allowedRiskStatuses());
    query.throwIfInvalid();
    auto session = exchange.openSession();
    json items = json::array();
    for (const auto& v : portfolio(exchange, *session, reg).risks) {
        if (level && v.registerLevel != level) continue;
        if (due && v.escalation.due != *due) continue;
        if (overdue && v.reviewOverdue != *overdue) continue;
        if (status && v.risk.status != *status) continue;
        items.push_back(riskJson(v));
    }
    exchange.sendJson({{"items", items}, {"total", items.size()}});
}

void RiskHeatMapHandler::handle(Exchange& exchange) {
    QueryParameters query(exchange.rawQuery(), {"register", "basis"});
    const auto reg = query.text("register");
    const auto basis = query.enumeration<d::HeatMapBasis>("basis", d::parseHeatMapBasis, "inherent, current, target");
    query.throwIfInvalid();
    auto session = exchange.openSession();
    const auto& matrix = exchange.services().riskMatrix;
    const auto map =
        d::buildHeatMap(portfolio(exchange, *session, reg).risks, matrix, basis.value_or(d::HeatMapBasis::kCurrent));
    auto body = reports::heatMapJson(map);
    body["register"] = reg ? json(*reg) : json(nullptr);
    exchange.sendJson(body);
}

void RiskDetailHandler::handle(Exchange& exchange) {
    QueryParameters query(exchange.rawQuery(), {});
    query.throwIfInvalid();
    auto session = exchange.openSession();
    const std::string& ref = exchange.pathParam("ref");
    for (const auto& v : portfolio(exchange, *session, std::nullopt).risks) {
        if (d::foldNaturalKey(v.risk.reference) == d::foldNaturalKey(ref)) {
            exchange.sendJson(riskJson(v));
            return;
        }
    }
    throw d::NotFoundError("No risk has the reference '" + ref + "'.");
}

void RiskHistoryHandler::handle(Exchange& exchange) {
    QueryParameters query(exchange.rawQuery(), {});
    query.throwIfInvalid();
    auto session = exchange.openSession();
    const auto history = d::loadRiskHistory(*session, exchange.pathParam("ref"));
    std::map<d::Id, std::string> groupNames, riskRefs;
    for (const auto& g : session->groups().list()) groupNames[g.id] = g.name;
    for (const auto& r : session->risks().list()) riskRefs[r.id] = r.reference;
    json changes = json::array();
    for (const auto& c : history.changes) {
        changes.push_back({{"number", c.number},
                           {"at", c.at},
                           {"date", d::formatIso(c.date)},
                           {"by", c.actorName},
                           {"inherent", ratingOnly(c.inherent)},
                           {"current", ratingOnly(c.current)},
                           {"target", ratingOnly(c.target)},
                           {"reason", c.reason}});
    }
    json decisions = json::array();
    for (const auto& x : history.decisions) {
        decisions.push_back({{"number", x.number},
                             {"kind", d::toString(x.kind)},
                             {"to", x.strategicRiskId ? json(riskRefs[*x.strategicRiskId]) : json(nullptr)},
                             {"group", groupNames[x.groupId]},
                             {"decided_by", x.decidedByName},
                             {"date", d::formatIso(x.date)},
                             {"at", x.at},
                             {"reason", x.reason}});
    }
    exchange.sendJson({{"reference", history.risk.reference}, {"changes", changes}, {"decisions", decisions}});
}

}  // namespace govtrack::http
