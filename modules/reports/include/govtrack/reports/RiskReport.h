#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "govtrack/domain/RiskQueries.h"

/// The risk report (issue 4; SPEC 4.5, 4.7): registers, a heat map of current scores, escalations due,
/// overdue reviews, and every risk with its scores and escalation route. Built from a RiskPortfolio (pure).
namespace govtrack::reports {

struct RiskReport {
    domain::Date asOf;
    std::vector<domain::RiskRegisterView> registers;
    std::vector<domain::RiskView> risks;
    domain::HeatMap heatMap;                  ///< current basis
    std::vector<std::size_t> escalationsDue;  ///< indexes into `risks`
    std::vector<std::size_t> overdueReviews;  ///< indexes into `risks`
};

/// Builds the report; `risks` and `registers` are the portfolio's (their order kept).
RiskReport buildRiskReport(domain::RiskPortfolio portfolio, const domain::ScoringMatrix& matrix, domain::Date asOf);

/// A heat map as JSON: {basis, likelihood_labels, impact_labels, placed, unscored, cells[{likelihood, impact,
/// score, level, count, risks[]}]}; the report's "heat_map" and GET /api/v1/risks/heatmap alike.
nlohmann::json heatMapJson(const domain::HeatMap& map);

/// JSON: {as_of, registers[], heat_map{basis, likelihood_labels, impact_labels, cells[{likelihood, impact,
/// score, level, count, risks[]}]}, escalations_due[{reference, ..., reasons[]}], overdue_reviews[...],
/// risks[...]} (docs/risks.md "Risk report").
std::string renderRiskJson(const RiskReport& report);
/// CSV: one row per risk (RFC 4180, formula-injection safe), then a blank line and the heat map block.
std::string renderRiskCsv(const RiskReport& report, bool withBom);
/// A printable HTML page: heat map (likelihood rows highest first, impact columns), escalations due,
/// overdue reviews, registers and risks.
std::string renderRiskHtml(const RiskReport& report);
/// Plain text for a terminal.
std::string renderRiskTable(const RiskReport& report);

}  // namespace govtrack::reports
