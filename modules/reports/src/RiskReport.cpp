#include "govtrack/reports/RiskReport.h"

#include <iomanip>
#include <sstream>

#include <nlohmann/json.hpp>

#include "govtrack/interchange/Csv.h"

#include "Html.h"

namespace govtrack::reports {

namespace d = govtrack::domain;

namespace {

std::string joined(const std::vector<std::string>& items, const char* sep) {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : sep) + i;
    return out;
}

std::string scoreText(const std::optional<d::RiskRating>& r, const std::string& level) {
    if (!r) return "-";
    return std::to_string(r->score()) + " (" + d::formatRating(*r) + ", " + level + ")";
}

nlohmann::json ratingJson(const std::optional<d::RiskRating>& r, const std::string& level) {
    if (!r) return nullptr;
    return {{"likelihood", r->likelihood}, {"impact", r->impact}, {"score", r->score()}, {"level", level}};
}

nlohmann::json optDate(const std::optional<d::Date>& date) {
    return date ? nlohmann::json(d::formatIso(*date)) : nlohmann::json(nullptr);
}

int daysOverdue(const d::RiskView& v, d::Date asOf) {
    return v.risk.nextReview ? d::daysBetween(*v.risk.nextReview, asOf) : 0;
}

nlohmann::json riskJson(const d::RiskView& v, d::Date asOf) {
    nlohmann::json contributors = nlohmann::json::array();
    for (const auto& c : v.contributors) {
        contributors.push_back({{"reference", c.reference},
                                {"title", c.title},
                                {"register", c.registerName},
                                {"current_score", c.current ? nlohmann::json(c.current->score()) : nlohmann::json()},
                                {"current_level", c.currentLevel},
                                {"escalated", c.escalated},
                                {"escalation_due", c.escalationDue}});
    }
    nlohmann::json decision = nullptr;
    if (v.escalation.latestDecision) {
        const auto& x = *v.escalation.latestDecision;
        decision = {{"kind", d::toString(x.kind)},
                    {"group", v.escalationGroupName},
                    {"decided_by", x.decidedByName},
                    {"date", d::formatIso(x.date)},
                    {"reason", x.reason}};
    }
    return {{"reference", v.risk.reference},
            {"title", v.risk.title},
            {"register", v.registerName},
            {"level", v.registerLevel ? nlohmann::json(d::toString(*v.registerLevel)) : nlohmann::json(v.risk.level)},
            {"category", v.risk.category},
            {"owners", v.ownerRoleTitles},
            {"status", d::toString(v.risk.status)},
            {"inherent", ratingJson(v.risk.inherent, v.inherentLevel)},
            {"current", ratingJson(v.risk.current, v.currentLevel)},
            {"target", ratingJson(v.risk.target, v.targetLevel)},
            {"tolerance", v.tolerance ? nlohmann::json(d::toString(*v.tolerance)) : nlohmann::json()},
            {"tolerance_max_score", v.toleranceMaxScore ? nlohmann::json(*v.toleranceMaxScore) : nlohmann::json()},
            {"above_tolerance", v.aboveTolerance},
            {"last_review", optDate(v.risk.lastReview)},
            {"next_review", optDate(v.risk.nextReview)},
            {"review_overdue", v.reviewOverdue},
            {"days_review_overdue", v.reviewOverdue ? daysOverdue(v, asOf) : 0},
            {"escalation_due", v.escalation.due},
            {"escalation_reasons", v.escalation.reasons},
            {"escalated", v.escalation.escalated},
            {"latest_decision", decision},
            {"parent", v.parentReference ? nlohmann::json(*v.parentReference) : nlohmann::json()},
            {"route_upward", v.routeUpward},
            {"contributors", contributors}};
}

}  // namespace

RiskReport buildRiskReport(d::RiskPortfolio portfolio, const d::ScoringMatrix& matrix, d::Date asOf) {
    RiskReport r;
    r.asOf = asOf;
    r.registers = std::move(portfolio.registers);
    r.risks = std::move(portfolio.risks);
    r.heatMap = d::buildHeatMap(r.risks, matrix, d::HeatMapBasis::kCurrent);
    for (std::size_t i = 0; i < r.risks.size(); ++i) {
        if (r.risks[i].escalation.due) r.escalationsDue.push_back(i);
        if (r.risks[i].reviewOverdue) r.overdueReviews.push_back(i);
    }
    return r;
}

nlohmann::json heatMapJson(const d::HeatMap& map) {
    nlohmann::json cells = nlohmann::json::array();
    for (const auto& row : map.cells) {
        for (const auto& c : row) {
            cells.push_back({{"likelihood", c.likelihood},
                             {"impact", c.impact},
                             {"score", c.score},
                             {"level", c.level},
                             {"count", c.references.size()},
                             {"risks", c.references}});
        }
    }
    return {{"basis", d::toString(map.basis)},
            {"likelihood_labels", map.likelihoodLabels},
            {"impact_labels", map.impactLabels},
            {"placed", map.placed},
            {"unscored", map.unscored},
            {"cells", cells}};
}

std::string renderRiskJson(const RiskReport& report) {
    nlohmann::json registers = nlohmann::json::array();
    for (const auto& rv : report.registers) {
        nlohmann::json tolerances = nlohmann::json::object();
        for (const auto& t : rv.reg.tolerances) tolerances[t.category] = d::toString(t.appetite);
        registers.push_back({{"name", rv.reg.name},
                             {"level", d::toString(rv.reg.level)},
                             {"owner", rv.ownerName},
                             {"escalation_threshold", rv.reg.escalationThreshold},
                             {"review_frequency_days", rv.reg.reviewFrequencyDays},
                             {"tolerances", tolerances}});
    }
    nlohmann::json risks = nlohmann::json::array();
    for (const auto& v : report.risks) risks.push_back(riskJson(v, report.asOf));
    nlohmann::json due = nlohmann::json::array();
    for (auto i : report.escalationsDue) {
        const auto& v = report.risks[i];
        due.push_back({{"reference", v.risk.reference},
                       {"title", v.risk.title},
                       {"register", v.registerName},
                       {"current_score", v.risk.current ? nlohmann::json(v.risk.current->score()) : nlohmann::json()},
                       {"parent", v.parentReference ? nlohmann::json(*v.parentReference) : nlohmann::json()},
                       {"reasons", v.escalation.reasons}});
    }
    nlohmann::json overdue = nlohmann::json::array();
    for (auto i : report.overdueReviews) {
        const auto& v = report.risks[i];
        overdue.push_back({{"reference", v.risk.reference},
                           {"title", v.risk.title},
                           {"register", v.registerName},
                           {"owners", v.ownerRoleTitles},
                           {"next_review", optDate(v.risk.nextReview)},
                           {"days_overdue", daysOverdue(v, report.asOf)}});
    }
    nlohmann::json out = {{"as_of", d::formatIso(report.asOf)},
                          {"registers", registers},
                          {"heat_map", heatMapJson(report.heatMap)},
                          {"escalations_due", due},
                          {"overdue_reviews", overdue},
                          {"risks", risks}};
    return out.dump(2) + "\n";
}

std::string renderRiskCsv(const RiskReport& report, bool withBom) {
    std::string out = withBom ? "\xEF\xBB\xBF" : "";
    auto line = [&](const std::vector<std::string>& cells) { out += interchange::csvFormatRecord(cells); };
    auto part = [](const std::optional<d::RiskRating>& r, int which) -> std::string {
        if (!r) return "";
        return std::to_string(which == 0 ? r->likelihood : which == 1 ? r->impact : r->score());
    };
    line({"register",        "register_level",
          "reference",       "title",
          "category",        "owners",
          "status",          "inherent_likelihood",
          "inherent_impact", "inherent_score",
          "inherent_level",  "current_likelihood",
          "current_impact",  "current_score",
          "current_level",   "target_likelihood",
          "target_impact",   "target_score",
          "target_level",    "tolerance",
          "above_tolerance", "last_review",
          "next_review",     "review_overdue",
          "escalation_due",  "escalation_reasons",
          "escalated",       "parent",
          "contributors"});
    for (const auto& v : report.risks) {
        std::vector<std::string> contributors;
        for (const auto& c : v.contributors) {
            contributors.push_back(c.reference + (c.current ? " " + std::to_string(c.current->score()) : ""));
        }
        line({v.registerName,
              v.registerLevel ? std::string(d::toString(*v.registerLevel)) : v.risk.level,
              v.risk.reference,
              v.risk.title,
              v.risk.category,
              joined(v.ownerRoleTitles, "; "),
              std::string(d::toString(v.risk.status)),
              part(v.risk.inherent, 0),
              part(v.risk.inherent, 1),
              part(v.risk.inherent, 2),
              v.inherentLevel,
              part(v.risk.current, 0),
              part(v.risk.current, 1),
              part(v.risk.current, 2),
              v.currentLevel,
              part(v.risk.target, 0),
              part(v.risk.target, 1),
              part(v.risk.target, 2),
              v.targetLevel,
              v.tolerance ? std::string(d::toString(*v.tolerance)) + " (" + std::to_string(*v.toleranceMaxScore) + ")"
                          : "",
              v.aboveTolerance ? "yes" : "no",
              v.risk.lastReview ? d::formatIso(*v.risk.lastReview) : "",
              v.risk.nextReview ? d::formatIso(*v.risk.nextReview) : "",
              v.reviewOverdue ? "yes" : "no",
              v.escalation.due ? "yes" : "no",
              joined(v.escalation.reasons, "; "),
              v.escalation.escalated ? "yes" : "no",
              v.parentReference.value_or(""),
              joined(contributors, "; ")});
    }
    out += "\r\n";
    std::vector<std::string> head{"heat map (" + std::string(d::toString(report.heatMap.basis)) +
                                  "): likelihood \\ impact"};
    for (std::size_t i = 0; i < report.heatMap.impactLabels.size(); ++i) {
        head.push_back(std::to_string(i + 1) + " " + report.heatMap.impactLabels[i]);
    }
    line(head);
    for (auto row = report.heatMap.cells.rbegin(); row != report.heatMap.cells.rend(); ++row) {
        const int l = row->front().likelihood;
        std::vector<std::string> cells{std::to_string(l) + " " +
                                       report.heatMap.likelihoodLabels[static_cast<std::size_t>(l - 1)]};
        for (const auto& c : *row) {
            cells.push_back(
                c.references.empty() ? "0" : std::to_string(c.references.size()) + ": " + joined(c.references, "; "));
        }
        line(cells);
    }
    return out;
}

std::string renderRiskHtml(const RiskReport& report) {
    std::ostringstream o;
    o << "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n"
      << "<title>Risk report — as of " << d::formatUk(report.asOf) << "</title>\n"
      << "<style>\n"
         "body{font-family:system-ui,sans-serif;margin:2em;color:#111}\n"
         "table{border-collapse:collapse;margin:1em 0;font-size:.9em}\n"
         "th,td{border:1px solid #999;padding:.3em .5em;text-align:left;vertical-align:top}\n"
         "th{background:#eee}\n"
         "table.heat td{width:7em;height:3.2em;text-align:center}\n"
         ".level-low{background:#d9ead3}.level-medium{background:#fce8b2}.level-high{background:#f9cb9c}\n"
         ".level-very-high{background:#f4c7c3}\n"
         ".refs{display:block;font-size:.8em}\n"
         "@media print{body{margin:0}h1{font-size:14pt}table{font-size:8pt}tr{page-break-inside:avoid}"
         "thead{display:table-header-group}*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}\n"
         "</style>\n</head>\n<body>\n";
    o << "<h1>Risk report</h1>\n<p>Position as of " << d::formatUk(report.asOf)
      << ". Score = likelihood &times; impact. The heat map places open risks by their current score; each cell "
         "names its level in words as well as by colour.</p>\n";
    auto levelClass = [](const std::string& level) {
        std::string c = "level-";
        for (char ch : level) c += ch == ' ' ? '-' : ch;
        return c;
    };
    const auto& hm = report.heatMap;
    o << "<h2>Heat map (" << d::toString(hm.basis) << ")</h2>\n<table class=\"heat\">\n<thead><tr><th scope=\"col\">"
      << "Likelihood \\ Impact</th>";
    for (std::size_t i = 0; i < hm.impactLabels.size(); ++i) {
        o << "<th scope=\"col\">" << i + 1 << " " << htmlEscape(hm.impactLabels[i]) << "</th>";
    }
    o << "</tr></thead>\n<tbody>\n";
    for (auto row = hm.cells.rbegin(); row != hm.cells.rend(); ++row) {
        const int l = row->front().likelihood;
        o << "<tr><th scope=\"row\">" << l << " " << htmlEscape(hm.likelihoodLabels[static_cast<std::size_t>(l - 1)])
          << "</th>";
        for (const auto& c : *row) {
            o << "<td class=\"" << htmlEscape(levelClass(c.level)) << "\">" << c.references.size()
              << "<span class=\"refs\">" << htmlEscape(c.level)
              << (c.references.empty() ? "" : ": " + htmlEscape(joined(c.references, ", "))) << "</span></td>";
        }
        o << "</tr>\n";
    }
    o << "</tbody>\n</table>\n<p>" << hm.placed << " risks placed; " << hm.unscored << " open risks not scored.</p>\n";

    o << "<h2>Escalations due</h2>\n";
    if (report.escalationsDue.empty()) {
        o << "<p>None.</p>\n";
    } else {
        o << "<table>\n<thead><tr><th scope=\"col\">Risk</th><th scope=\"col\">Title</th><th scope=\"col\">Register"
             "</th><th scope=\"col\">Current</th><th scope=\"col\">Escalates to</th><th scope=\"col\">Why</th></tr>"
             "</thead>\n<tbody>\n";
        for (auto i : report.escalationsDue) {
            const auto& v = report.risks[i];
            o << "<tr><td>" << htmlEscape(v.risk.reference) << "</td><td>" << htmlEscape(v.risk.title) << "</td><td>"
              << htmlEscape(v.registerName) << "</td><td>" << htmlEscape(scoreText(v.risk.current, v.currentLevel))
              << "</td><td>" << htmlEscape(v.parentReference.value_or("-")) << "</td><td>"
              << htmlEscape(joined(v.escalation.reasons, "; ")) << "</td></tr>\n";
        }
        o << "</tbody>\n</table>\n";
    }
    o << "<h2>Overdue reviews</h2>\n";
    if (report.overdueReviews.empty()) {
        o << "<p>None.</p>\n";
    } else {
        o << "<table>\n<thead><tr><th scope=\"col\">Risk</th><th scope=\"col\">Title</th><th scope=\"col\">Owners"
             "</th><th scope=\"col\">Review due</th><th scope=\"col\">Days overdue</th></tr></thead>\n<tbody>\n";
        for (auto i : report.overdueReviews) {
            const auto& v = report.risks[i];
            o << "<tr><td>" << htmlEscape(v.risk.reference) << "</td><td>" << htmlEscape(v.risk.title) << "</td><td>"
              << htmlEscape(joined(v.ownerRoleTitles, "; ")) << "</td><td>" << d::formatUk(*v.risk.nextReview)
              << "</td><td>" << daysOverdue(v, report.asOf) << "</td></tr>\n";
        }
        o << "</tbody>\n</table>\n";
    }
    o << "<h2>Risks</h2>\n<table>\n<thead><tr><th scope=\"col\">Register</th><th scope=\"col\">Risk</th>"
         "<th scope=\"col\">Title</th><th scope=\"col\">Owners</th><th scope=\"col\">Inherent</th>"
         "<th scope=\"col\">Current</th><th scope=\"col\">Target</th><th scope=\"col\">Next review</th>"
         "<th scope=\"col\">Escalation</th><th scope=\"col\">Route</th></tr></thead>\n<tbody>\n";
    for (const auto& v : report.risks) {
        std::string escalation = v.escalation.due         ? "due: " + joined(v.escalation.reasons, "; ")
                                 : v.escalation.escalated ? "escalated"
                                                          : "";
        if (!v.escalation.due && v.escalation.latestDecision && !v.escalation.escalated) {
            escalation = std::string(d::toString(v.escalation.latestDecision->kind)) + " (" + v.escalationGroupName +
                         ", " + d::formatUk(v.escalation.latestDecision->date) + ")";
        }
        std::string route;
        if (v.parentReference) route = "up: " + joined(v.routeUpward, " > ");
        if (!v.contributors.empty()) {
            std::vector<std::string> parts;
            for (const auto& c : v.contributors) {
                parts.push_back(c.reference + (c.current ? " " + std::to_string(c.current->score()) : "") +
                                (c.escalated ? " (escalated)" : ""));
            }
            route += (route.empty() ? "" : "; ") + std::string("contributors: ") + joined(parts, ", ");
        }
        o << "<tr><td>" << htmlEscape(v.registerName) << "</td><td>" << htmlEscape(v.risk.reference) << "</td><td>"
          << htmlEscape(v.risk.title) << "</td><td>" << htmlEscape(joined(v.ownerRoleTitles, "; ")) << "</td><td>"
          << htmlEscape(scoreText(v.risk.inherent, v.inherentLevel)) << "</td><td>"
          << htmlEscape(scoreText(v.risk.current, v.currentLevel)) << "</td><td>"
          << htmlEscape(scoreText(v.risk.target, v.targetLevel)) << "</td><td>"
          << (v.risk.nextReview ? d::formatUk(*v.risk.nextReview) : "-") << "</td><td>" << htmlEscape(escalation)
          << "</td><td>" << htmlEscape(route) << "</td></tr>\n";
    }
    o << "</tbody>\n</table>\n</body>\n</html>\n";
    return o.str();
}

std::string renderRiskTable(const RiskReport& report) {
    std::ostringstream o;
    o << "Risk report as of " << d::formatIso(report.asOf) << " (score = likelihood x impact)\n\n";
    const auto& hm = report.heatMap;
    o << "Heat map (" << d::toString(hm.basis) << " scores; count of open risks per cell)\n";
    o << std::setw(18) << std::left << "likelihood\\impact";
    for (std::size_t i = 0; i < hm.impactLabels.size(); ++i) o << std::setw(6) << std::right << i + 1;
    o << "\n";
    for (auto row = hm.cells.rbegin(); row != hm.cells.rend(); ++row) {
        const int l = row->front().likelihood;
        std::string label = std::to_string(l) + " " + hm.likelihoodLabels[static_cast<std::size_t>(l - 1)];
        if (label.size() > 17) label.resize(17);
        o << std::setw(18) << std::left << label;
        for (const auto& c : *row) o << std::setw(6) << std::right << c.references.size();
        o << "\n";
    }
    o << "\nEscalations due: " << report.escalationsDue.size() << "\n";
    for (auto i : report.escalationsDue) {
        const auto& v = report.risks[i];
        o << "  " << v.risk.reference << " (" << v.registerName << ") " << v.risk.title << "\n    "
          << joined(v.escalation.reasons, "; ") << (v.parentReference ? "; escalates to " + *v.parentReference : "")
          << "\n";
    }
    o << "\nOverdue reviews: " << report.overdueReviews.size() << "\n";
    for (auto i : report.overdueReviews) {
        const auto& v = report.risks[i];
        o << "  " << v.risk.reference << " review due " << d::formatIso(*v.risk.nextReview) << " ("
          << daysOverdue(v, report.asOf) << " days overdue), owners: " << joined(v.ownerRoleTitles, "; ") << "\n";
    }
    o << "\nRisks\n";
    std::string lastRegister = "\x01";
    for (const auto& v : report.risks) {
        if (v.registerName != lastRegister) {
            lastRegister = v.registerName;
            o << "  [" << (v.registerName.empty() ? "no register" : v.registerName) << "]\n";
        }
        o << "  " << std::setw(12) << std::left << v.risk.reference << " current "
          << scoreText(v.risk.current, v.currentLevel) << ", target " << scoreText(v.risk.target, v.targetLevel)
          << (v.escalation.due ? ", ESCALATION DUE" : "") << (v.escalation.escalated ? ", escalated" : "")
          << (v.parentReference ? ", up to " + *v.parentReference : "") << "\n";
        for (const auto& c : v.contributors) {
            o << "      <- " << c.reference << " (" << c.registerName << ") current "
              << (c.current ? std::to_string(c.current->score()) : std::string("-"))
              << (c.escalated ? ", escalated" : "") << (c.escalationDue ? ", escalation due" : "") << "\n";
        }
    }
    return o.str();
}

}  // namespace govtrack::reports
