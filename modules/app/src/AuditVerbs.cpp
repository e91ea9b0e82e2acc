// The audit trail's verbs (SPEC 4.8) and as-of reports (SPEC 4.7): verify-audit-log, imports attributed to an
// actor, `report follow-up --as-of` for past dates and `--compare`.
#include <iostream>

#include <Poco/Util/Option.h>

#include "govtrack/domain/AsOf.h"
#include "govtrack/domain/AuditTrail.h"
#include "govtrack/domain/Error.h"
#include "govtrack/platform/Sha256Hasher.h"
#include "govtrack/platform/UuidGenerator.h"
#include "govtrack/platform/ZonedClock.h"
#include "govtrack/reports/FollowUpCompare.h"
#include "govtrack/reports/FollowUpReport.h"

#include "Cli.h"

namespace govtrack::app {

namespace d = govtrack::domain;
using Poco::Util::Option;
using Poco::Util::OptionCallback;

void GovtrackApp::defineAuditOptions(Poco::Util::OptionSet& options) {
    // --as is shared with the workflow verbs: defined once, by whichever set of verbs comes first.
    if (!options.hasOption("as")) {
        options.addOption(Option("as", "", "the person acting, by role title (recorded in the audit trail)")
                              .argument("ROLE")
                              .callback(OptionCallback<GovtrackApp>(this, &GovtrackApp::handleValue)));
    }
    options.addOption(Option("compare", "", "report follow-up: two dates DATE1,DATE2 side by side")
                          .argument("DATES")
                          .callback(OptionCallback<GovtrackApp>(this, &GovtrackApp::handleValue)));
}

int GovtrackApp::verbVerifyAuditLog(const std::vector<std::string>& args) {
    if (!args.empty()) throw d::ValidationError("verify-audit-log takes no arguments");
    const Settings settings = readSettings();
    auto store = openStore(settings, /*mustExist=*/true);
    auto session = store->openSession();
    platform::Sha256Hasher hasher;
    const d::ChainCheck check = d::verifyChain(session->events(), hasher);
    if (check.firstBroken) {
        std::cerr << "govtrack: audit trail broken at event " << *check.firstBroken << ": " << check.problem << "\n";
        return kExitFailure;
    }
    // The chain can be intact while the data was edited behind govtrack's back: compare them too.
    const d::DriftCheck drift = d::checkRecordsAgainstTrail(*session, hasher);
    if (!drift.differences.empty()) {
        for (const auto& line : drift.differences) std::cerr << line << "\n";
        std::cerr << "govtrack: " << drift.differences.size() << " records differ from the audit trail (chain of "
                  << check.events << " events intact)\n";
        return kExitFailure;
    }
    std::cout << "audit trail intact: " << check.events << " events verified; " << drift.compared
              << " records match their latest event";
    if (drift.withoutEvent > 0) std::cout << " (" << drift.withoutEvent << " have no event yet)";
    std::cout << "\n";
    return kExitOk;
}

d::ImportSummary GovtrackApp::importWithAudit(d::StoreSession& session, const d::ActionPlanDocument& document,
                                              d::ImportMode mode, const std::string& file) {
    const Settings settings = readSettings();
    d::Actor actor = d::Actor::system("import " + file);
    if (values_.count("as")) {
        const std::string wanted = d::foldNaturalKey(values_["as"]);
        bool found = false;
        for (const auto& person : session.people().list()) {
            if (d::foldNaturalKey(person.roleTitle) == wanted) {
                actor = d::Actor::of(person);
                found = true;
            }
        }
        if (!found) throw d::NotFoundError("--as: no person has the role title '" + values_["as"] + "'");
    }
    platform::ZonedClock clock(settings.timeZone);
    platform::Sha256Hasher hasher;
    platform::UuidGenerator ids;
    d::AuditTrail audit(session.events(), clock, hasher);
    return d::ImportService(session, ids, audit, actor).apply(document, mode);
}

d::ActionPlanSnapshot GovtrackApp::loadPlanAsOf(d::StoreSession& session, const d::ActionPlanFilter& filter,
                                                d::Date asOf, const Settings& settings) {
    if (!(asOf < platform::ZonedClock(settings.timeZone).today())) return session.loadActionPlan(filter);
    const std::string cutoff = platform::endOfDayUtc(asOf, settings.timeZone);
    // A date before govtrack knew anything gives an empty report: say why, on stderr.
    const auto first = session.events().list(1, 1);
    if (first.empty() || !(first.front().at < cutoff)) {
        std::cerr << "note: the audit trail "
                  << (first.empty() ? std::string("is empty") : "starts at " + first.front().at) << "; a report as of "
                  << d::formatIso(asOf)
                  << " shows what govtrack recorded by then (plans imported later are not in it)\n";
    }
    return d::loadActionPlanAsOf(session.events(), cutoff, asOf, filter);
}

int GovtrackApp::reportCompare(d::StoreSession& session, const d::ActionPlanFilter& filter, const Settings& settings,
                               const std::string& format) {
    if (values_.count("as-of")) throw d::ValidationError("--compare and --as-of cannot be used together");
    if (format != "table" && format != "json") {
        throw d::ValidationError("--compare: --format must be table or json, got '" + format + "'");
    }
    const std::string dates = values_["compare"];
    const auto comma = dates.find(',');
    const auto first = comma == std::string::npos ? std::nullopt : d::parseIsoDate(dates.substr(0, comma));
    const auto second = comma == std::string::npos ? std::nullopt : d::parseIsoDate(dates.substr(comma + 1));
    if (!first || !second) {
        throw d::ValidationError("--compare: '" + dates + "' is not two dates DATE1,DATE2 (YYYY-MM-DD,YYYY-MM-DD)");
    }
    if (*second < *first) throw d::ValidationError("--compare: the second date must not be before the first");
    const auto from = reports::buildFollowUpReport(loadPlanAsOf(session, filter, *first, settings), *first,
                                                   filter.engagementReference);
    const auto to = reports::buildFollowUpReport(loadPlanAsOf(session, filter, *second, settings), *second,
                                                 filter.engagementReference);
    const auto changes = reports::compareFollowUp(from, to);
    std::cout << (format == "json" ? reports::renderCompareJson(from, to, changes)
                                   : reports::renderCompareTable(from, to, changes));
    return kExitOk;
}

}  // namespace govtrack::app
