// The risk verbs (issue 4; SPEC 4.5): `risk show|history|score|escalate|de-escalate|no-escalation`,
// `report risks`, and the import of risk register CSV files. Each resolves the acting person from --as, runs
// one domain service call, and prints one line (or the report).
#include <iostream>
#include <regex>

#include <Poco/Util/Option.h>

#include "govtrack/domain/AuditTrail.h"
#include "govtrack/domain/Error.h"
#include "govtrack/domain/RiskQueries.h"
#include "govtrack/domain/RiskService.h"
#include "govtrack/interchange/RiskRegisterCsvReader.h"
#include "govtrack/platform/Sha256Hasher.h"
#include "govtrack/platform/UuidGenerator.h"
#include "govtrack/platform/ZonedClock.h"
#include "govtrack/reports/RiskReport.h"

#include "Cli.h"

namespace govtrack::app {

namespace d = govtrack::domain;
using Poco::Util::Option;
using Poco::Util::OptionCallback;

namespace {

/// "4x3", "4 x 3", "4/3" or "likely/major": likelihood then impact, numbers or the matrix's labels.
d::RiskRating parseRatingOption(const std::string& text, const std::string& option, const d::ScoringMatrix& m) {
    static const std::regex kNumbers(R"(^\s*(\d+)\s*[xX*]\s*(\d+)\s*$)");
    std::smatch match;
    std::string likelihood, impact;
    if (std::regex_match(text, match, kNumbers)) {
        likelihood = match[1];
        impact = match[2];
    } else if (const auto slash = text.find('/'); slash != std::string::npos) {
        likelihood = text.substr(0, slash);
        impact = text.substr(slash + 1);
    } else {
        throw d::ValidationError("--" + option + ": '" + text +
                                 "' is not LIKELIHOODxIMPACT (e.g. 4x3) nor LIKELIHOOD/IMPACT (e.g. likely/major)");
    }
    return d::RiskRating{m.parseLikelihood(likelihood, option + "_likelihood"),
                         m.parseImpact(impact, option + "_impact")};
}

std::string describe(const d::RiskView& v) {
    std::string out = v.risk.reference + " — " + v.risk.title + "\n";
    out += "  register: " + (v.registerName.empty() ? std::string("none") : v.registerName) +
           (v.registerLevel ? " (" + std::string(d::toString(*v.registerLevel)) + ")" : "") + ", status " +
           std::string(d::toString(v.risk.status)) + ", category " +
           (v.risk.category.empty() ? std::string("-") : v.risk.category) + "\n";
    std::string owners;
    for (const auto& o : v.ownerRoleTitles) owners += (owners.empty() ? "" : "; ") + o;
    out += "  owners: " + (owners.empty() ? std::string("-") : owners) + "\n";
    auto score = [](const std::optional<d::RiskRating>& r, const std::string& level) {
        return r ? std::to_string(r->score()) + " (" + d::formatRating(*r) + ", " + level + ")" : std::string("-");
    };
    out += "  inherent " + score(v.risk.inherent, v.inherentLevel) + ", current " +
           score(v.risk.current, v.currentLevel) + ", target " + score(v.risk.target, v.targetLevel) + "\n";
    if (v.tolerance) {
        out += "  tolerance: " + std::string(d::toString(*v.tolerance)) + " (max " +
               std::to_string(*v.toleranceMaxScore) + ")" + (v.aboveTolerance ? ", current score above it" : "") + "\n";
    }
    out += "  last review " + (v.risk.lastReview ? d::formatIso(*v.risk.lastReview) : std::string("-")) +
           ", next review " + (v.risk.nextReview ? d::formatIso(*v.risk.nextReview) : std::string("-")) +
           (v.reviewOverdue ? " (overdue)" : "") + "\n";
    if (v.escalation.due) {
        out += "  ESCALATION DUE:";
        for (const auto& r : v.escalation.reasons) out += " " + r + ";";
        out += "\n";
    }
    if (v.escalation.latestDecision) {
        const auto& x = *v.escalation.latestDecision;
        out += "  latest escalation decision: " + std::string(d::toString(x.kind)) + " by " + x.decidedByName + " in " +
               v.escalationGroupName + " on " + d::formatIso(x.date) + (x.reason.empty() ? "" : ": " + x.reason) + "\n";
    }
    if (!v.routeUpward.empty()) {
        std::string route;
        for (const auto& r : v.routeUpward) route += " > " + r;
        out += "  route upward: " + v.risk.reference + route + (v.escalation.escalated ? " (escalated)" : "") + "\n";
    }
    for (const auto& c : v.contributors) {
        out += "  contributor: " + c.reference + " (" + c.registerName + ") current " +
               (c.current ? std::to_string(c.current->score()) : std::string("-")) +
               (c.escalated ? ", escalated" : "") + (c.escalationDue ? ", escalation due" : "") + "\n";
    }
    return out;
}

}  // namespace

void GovtrackApp::defineRiskOptions(Poco::Util::OptionSet& options) {
    for (const char* name : {"inherent", "current", "target", "create", "title", "register", "reason", "group", "to"}) {
        if (options.hasOption(name)) continue;  // shared with the workflow verbs
        options.addOption(Option(name, "", std::string("risk: ") + name)
                              .argument("VALUE")
                              .callback(OptionCallback<GovtrackApp>(this, &GovtrackApp::handleValue)));
    }
    options.addOption(Option("risk-matrix", "", "the risk scoring matrix, a JSON FILE (default: 5x5 product)")
                          .argument("FILE")
                          .binding("govtrack.risk.matrix"));
}

d::ScoringMatrix GovtrackApp::scoringMatrix(const Settings& settings) {
    if (settings.riskMatrix.empty()) return d::ScoringMatrix::standard();
    return interchange::readScoringMatrix(readTextFile(settings.riskMatrix), settings.riskMatrix);
}

int GovtrackApp::importRiskRegister(const std::string& file, const std::string& content) {
    const Settings settings = readSettings();
    const d::ScoringMatrix matrix = scoringMatrix(settings);
    const d::RiskRegisterDocument document = interchange::readRiskRegisterCsv(content, file, matrix);
    auto store = openStore(settings);
    auto session = store->openSession();
    d::Actor actor = d::Actor::system("import " + file);
    if (values_.count("as")) actor = actorFor(*session);
    platform::ZonedClock clock(settings.timeZone);
    platform::Sha256Hasher hasher;
    platform::UuidGenerator ids;
    d::AuditTrail audit(session->events(), clock, hasher);
    d::RiskService service(*session, audit, clock, ids, matrix);
    const bool dryRun = flags_.count("dry-run") > 0;
    const auto summary = service.import(document, actor, dryRun);
    for (const auto& line : summary.changes) std::cout << "  " << line << "\n";
    std::cout << (dryRun ? "dry run, nothing written: " : "imported ") << file << ": " << summary.registers
              << " risk registers, " << summary.risks << " risks, " << summary.scoreChanges << " score changes, "
              << summary.people << " people " << (dryRun ? "would be created or changed\n" : "created or changed\n");
    return kExitOk;
}

int GovtrackApp::reportRisks(const Settings& settings) {
    for (const char* option : {"engagement", "as-of", "compare", "group", "date"}) {
        if (values_.count(option)) {
            throw d::ValidationError(std::string("--") + option +
                                     " does not apply to 'report risks' (see govtrack --help)");
        }
    }
    const std::string format = values_.count("format") ? values_["format"] : "table";
    if (format != "table" && format != "json" && format != "csv" && format != "html") {
        throw d::ValidationError("--format: '" + format + "' is not one of table, json, csv, html");
    }
    const d::ScoringMatrix matrix = scoringMatrix(settings);
    const d::Date today = platform::ZonedClock(settings.timeZone).today();
    auto store = openStore(settings, /*mustExist=*/true);
    auto session = store->openSession();
    d::RiskFilter filter;
    if (values_.count("register")) filter.registerName = values_["register"];
    const auto report = reports::buildRiskReport(d::loadRiskPortfolio(*session, matrix, today, filter), matrix, today);
    if (format == "json") return writeOutput(reports::renderRiskJson(report));
    if (format == "csv") return writeOutput(reports::renderRiskCsv(report, flags_.count("bom") > 0));
    if (format == "html") return writeOutput(reports::renderRiskHtml(report));
    return writeOutput(reports::renderRiskTable(report));
}

int GovtrackApp::verbRisk(const std::vector<std::string>& args) {
    const std::string sub = args.empty() ? "" : args.front();
    static const std::set<std::string> kSubs = {"show", "history", "score", "escalate", "de-escalate", "no-escalation"};
    if (!kSubs.count(sub)) {
        throw d::ValidationError("risk: expected show, history, score, escalate, de-escalate or no-escalation");
    }
    if (args.size() != 2) throw d::ValidationError("risk " + sub + " takes one RISK reference, e.g. DR-CSD-01");
    const std::string& ref = args[1];
    const Settings settings = readSettings();
    const d::ScoringMatrix matrix = scoringMatrix(settings);
    platform::ZonedClock clock(settings.timeZone);
    auto store = openStore(settings, /*mustExist=*/true);
    auto session = store->openSession();

    if (sub == "show") {
        for (const auto& v : d::loadRiskPortfolio(*session, matrix, clock.today()).risks) {
            if (d::foldNaturalKey(v.risk.reference) == d::foldNaturalKey(ref)) {
                std::cout << describe(v);
                return kExitOk;
            }
        }
        throw d::NotFoundError("no risk has the reference '" + ref + "'");
    }
    if (sub == "history") {
        const auto h = d::loadRiskHistory(*session, ref);
        std::cout << h.risk.reference << " score history (inherent / current / target)\n";
        auto score = [](const std::optional<d::RiskRating>& r) {
            return r ? std::to_string(r->score()) + " (" + d::formatRating(*r) + ")" : std::string("-");
        };
        for (const auto& c : h.changes) {
            std::cout << "  " << c.number << ". " << d::formatIso(c.date) << " " << score(c.inherent) << " / "
                      << score(c.current) << " / " << score(c.target) << " by " << c.actorName
                      << (c.reason.empty() ? "" : ": " + c.reason) << "\n";
        }
        for (const auto& x : h.decisions) {
            std::cout << "  decision " << x.number << ". " << d::formatIso(x.date) << " " << d::toString(x.kind)
                      << " by " << x.decidedByName << (x.reason.empty() ? "" : ": " + x.reason) << "\n";
        }
        return kExitOk;
    }

    platform::UuidGenerator ids;
    platform::Sha256Hasher hasher;
    d::AuditTrail audit(session->events(), clock, hasher);
    d::RiskService service(*session, audit, clock, ids, matrix);
    const d::Actor actor = actorFor(*session);
    if (sub == "score") {
        d::RiskRescore change;
        if (values_.count("inherent")) change.inherent = parseRatingOption(values_["inherent"], "inherent", matrix);
        if (values_.count("current")) change.current = parseRatingOption(values_["current"], "current", matrix);
        if (values_.count("target")) change.target = parseRatingOption(values_["target"], "target", matrix);
        if (values_.count("reason")) change.reason = values_["reason"];
        const d::Risk after = service.rescore(ref, change, actor);
        std::cout << after.reference << " re-scored: current "
                  << (after.current ? std::to_string(after.current->score()) : std::string("-")) << ", target "
                  << (after.target ? std::to_string(after.target->score()) : std::string("-")) << "; next review "
                  << (after.nextReview ? d::formatIso(*after.nextReview) : std::string("-")) << "\n";
        return kExitOk;
    }
    d::EscalationRequest request;
    request.riskReference = ref;
    request.groupName = required("group");
    if (values_.count("reason")) request.reason = values_["reason"];
    if (sub == "escalate") {
        if (values_.count("to")) request.toReference = values_["to"];
        if (values_.count("create")) request.newRiskReference = values_["create"];
        if (values_.count("title")) request.newRiskTitle = values_["title"];
        if (values_.count("register")) request.newRiskRegister = values_["register"];
    } else {
        for (const char* option : {"to", "create", "title", "register"}) {
            if (values_.count(option)) {
                throw d::ValidationError(std::string("--") + option + " does not apply to 'risk " + sub + "'");
            }
        }
    }
    const d::EscalationDecision decision = sub == "escalate"      ? service.escalate(request, actor)
                                           : sub == "de-escalate" ? service.deEscalate(request, actor)
                                                                  : service.recordNoEscalation(request, actor);
    std::string target;
    if (decision.strategicRiskId) {
        if (auto r = session->risks().findById(*decision.strategicRiskId)) target = r->reference;
    }
    std::cout << ref << ": " << d::toString(decision.kind) << (target.empty() ? "" : " to " + target) << " recorded by "
              << decision.decidedByName << " for " << request.groupName << " on " << d::formatIso(decision.date)
              << "\n";
    return kExitOk;
}

}  // namespace govtrack::app
