#include "Cli.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

#include <Poco/File.h>
#include <Poco/Path.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/IntValidator.h>
#include <Poco/Util/Option.h>

#include "govtrack/domain/Error.h"
#include "govtrack/domain/ImportService.h"
#include "govtrack/http/ApiServer.h"
#include "govtrack/interchange/CsvTrackerReader.h"
#include "govtrack/interchange/JsonPlanReader.h"
#include "govtrack/interchange/RiskRegisterCsvReader.h"
#include "govtrack/platform/Sha256Hasher.h"
#include "govtrack/platform/UuidGenerator.h"
#include "govtrack/platform/ZonedClock.h"
#include "govtrack/reminders/ReminderScheduler.h"
#include "govtrack/reports/Dashboard.h"
#include "govtrack/reports/FollowUpReport.h"

namespace govtrack::app {

namespace d = govtrack::domain;
using Poco::Util::Option;
using Poco::Util::OptionCallback;

namespace {

const char* kUsage =
    "[--db URI] [--config FILE] VERB [ARGS]\n"
    "\n"
    "Verbs:\n"
    "  migrate                         apply schema migrations to the database\n"
    "  import FILE [--dry-run] [--as ROLE]  import a management action plan (.json full model, .csv tracker)\n"
    "                                  or a risk register (.csv with register and reference columns);\n"
    "                                  all-or-nothing, re-importing the same file changes nothing\n"
    "  report meeting-pack --group NAME [--date YYYY-MM-DD] [--format html|json] [--output FILE]\n"
    "                                  a group's exception-first meeting pack\n"
    "  action move REF --to STATE --as ROLE [--reason T] [--evidence NOTE] [--attach FILE]... [--group G]\n"
    "         [--decision-ref R] [--superseded-by REF] [--if-version N]\n"
    "  action show REF              an action with its revisions, requests, updates and evidence\n"
    "  evidence get ID --output FILE\n"
    "  action update REF --text T [--percent N] [--attach FILE]... --as ROLE\n"
    "  action request-date REF --date D --reason T --as ROLE\n"
    "  request list [--group G]     request decide ID --approve|--refuse --as ROLE [--group G] [--note T]\n"
    "  group supersede OLD --by NEW [--on YYYY-MM-DD] --as ROLE\n"
    "  user add NAME [--person ROLE] [--role R]... [--admin] [--password-file F]   user list\n"
    "  user disable|enable|reset-password NAME     user grant|revoke NAME ROLE     user link NAME --person ROLE\n"
    "  token create NAME --name LABEL --scope S    token revoke ID     token list NAME\n"
    "  report follow-up [--engagement REF] [--as-of YYYY-MM-DD] [--format table|json|csv|html]\n"
    "                   [--bom] [--output FILE]\n"
    "                                  the auditor's follow-up report (default: table, as of today);\n"
    "                                  a past --as-of is rebuilt from the audit trail\n"
    "  report follow-up --compare DATE1,DATE2 [--format table|json]\n"
    "                                  two dates side by side with what changed\n"
    "  report dashboard [--months N] [--engagement REF] [--format table|json] [--output FILE]\n"
    "                                  implementation trend over N month ends (default 12, 0-36) rebuilt\n"
    "                                  from the audit trail, overdue ageing, revised-date counts\n"
    "  report risks [--register NAME] [--format table|json|csv|html] [--bom] [--output FILE]\n"
    "                                  risk registers: 5x5 heat map, escalations due, overdue reviews\n"
    "  risk show REF | risk history REF  a risk with its scores and escalation route; its score history\n"
    "  risk score REF [--inherent LxI] [--current LxI] [--target LxI] [--reason T] --as ROLE\n"
    "                                  re-score (a review); a target above the current score needs --reason\n"
    "  risk escalate REF (--to REF | --create REF --title T [--register NAME]) --group G [--reason T] --as ROLE\n"
    "  risk de-escalate REF --group G --reason T --as ROLE\n"
    "  risk no-escalation REF --group G --reason T --as ROLE   record why a risk due is not escalated\n"
    "  verify-audit-log                check the audit trail's hash chain; names the first broken event\n"
    "  remind --dry-run [--at YYYY-MM-DDTHH:MM]  what a reminder sweep at that local time would send\n"
    "  remind --once [--at YYYY-MM-DDTHH:MM]     one real sweep (recorded in the outbox) and delivery\n"
    "  remind status                   the outbox: counts, pending and failed messages\n"
    "  remind ical-token ROLE [--revoke]  print a new iCalendar feed token (once), or revoke them all\n"
    "  remind chase ACTION... --as ROLE [--note TEXT] [--dry-run]\n"
    "                                  send the owners of these actions a reminder now (once a day)\n"
    "  serve [--host ADDR] [--port N] [--webroot DIR]\n"
    "                                  serve the HTTP API and web UI (default 127.0.0.1:8080)\n"
    "  copy --from URI --to URI [--force]  copy every record to another store and verify the counts\n"
    "  backup --to FILE                backup of a sqlite: store (SQLite online backup)\n"
    "  version                         print the version\n"
    "\n"
    "URI is sqlite:PATH (default sqlite:var/govtrack.db) or mysql://USER@HOST:PORT/DB (password from\n"
    "GOVTRACK_DB_PASSWORD or govtrack.storage.mysql.password_file). Exit codes: 0 ok, 2 bad input, 1 failure.";

std::string readFile(const std::string& path) {
    constexpr std::uintmax_t kMaxImportBytes = 256u << 20;
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (ec || status.type() == std::filesystem::file_type::not_found) throw d::ValidationError(path + ": no such file");
    if (status.type() != std::filesystem::file_type::regular)
        throw d::ValidationError(path + ": not a regular file (a directory, device or pipe cannot be imported)");
    if (std::filesystem::file_size(path, ec) > kMaxImportBytes)
        throw d::ValidationError(path + ": larger than 256 MiB; split the plan into several files");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw d::ValidationError(path + ": cannot read the file (does it exist?)");
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

std::string readTextFile(const std::string& path) {
    return readFile(path);
}

namespace {

std::string lowerExtension(const std::string& path) {
    std::string ext = Poco::Path(path).getExtension();
    for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return ext;
}

/// Prints a domain error as the CLI's one clear line (plus one line per listed problem).
int reportError(const d::Error& e) {
    // One problem: one line naming where. Several: one line each, then the summary.
    if (e.errors().size() == 1 && e.errors().front().where.find_first_of(":./") != std::string::npos) {
        // A located problem (FILE or FILE:LINE) says where; a field name alone is already in the detail.
        std::cerr << "govtrack: " << e.errors().front().where << ": " << e.errors().front().message << "\n";
    } else if (e.errors().size() <= 1) {
        std::cerr << "govtrack: " << e.what() << "\n";
    } else {
        for (const auto& fe : e.errors()) std::cerr << fe.where << ": " << fe.message << "\n";
        std::cerr << "govtrack: " << e.what() << "\n";
    }
    switch (e.code()) {
        case d::ErrorCode::kUnavailable:
        case d::ErrorCode::kInternal:
            return kExitFailure;
        default:
            return kExitInput;
    }
}

}  // namespace

GovtrackApp::GovtrackApp() {
    setUnixOptions(true);
}

int GovtrackApp::runCli(int argc, char** argv) {
    init(argc, argv);
    return Poco::Util::Application::run();
}

void GovtrackApp::initialize(Poco::Util::Application& self) {
    // An explicit --config was loaded by handleConfig; otherwise ./govtrack.properties if present.
    if (!config().has("govtrack.config.loaded") && Poco::File("govtrack.properties").exists()) {
        loadConfiguration("govtrack.properties");
    }
    ServerApplication::initialize(self);
}

void GovtrackApp::defineOptions(Poco::Util::OptionSet& options) {
    // Not ServerApplication::defineOptions: its --daemon, --umask and --pidfile are not supported here
    // (run govtrack under a service manager), and listing them in --help misled users.
    Application::defineOptions(options);
    options.addOption(
        Option("help", "h", "show this help").callback(OptionCallback<GovtrackApp>(this, &GovtrackApp::handleHelp)));
    options.addOption(Option("config", "", "read settings from a govtrack.properties FILE")
                          .argument("FILE")
                          .callback(OptionCallback<GovtrackApp>(this, &GovtrackApp::handleConfig)));
    options.addOption(Option("db", "", "the store: sqlite:PATH or mysql://USER@HOST:PORT/DB")
                          .argument("URI")
                          .binding("govtrack.storage.uri"));
    options.addOption(Option("host", "", "serve: address to bind (default 127.0.0.1)")
                          .argument("ADDR")
                          .binding("govtrack.http.host"));
    options.addOption(Option("port", "", "serve: TCP port (default 8080; 0 = any free port)")
                          .argument("N")
                          .validator(new Poco::Util::IntValidator(0, 65535))
                          .binding("govtrack.http.port"));
    options.addOption(
        Option("webroot", "", "serve: directory of the web UI").argument("DIR").binding("govtrack.http.webroot"));
    options.addOption(Option("time-zone", "", "the organisation's IANA time zone (default Europe/London)")
                          .argument("ZONE")
                          .binding("govtrack.time_zone"));
    for (const char* name : {"engagement", "as-of", "format", "output", "months"}) {
        options.addOption(Option(name, "", std::string("report: ") + name)
                              .argument("VALUE")
                              .callback(OptionCallback<GovtrackApp>(this, &GovtrackApp::handleValue)));
    }
    options.addOption(Option("bom", "", "report --format csv: start with a UTF-8 byte order mark for Excel")
                          .callback(OptionCallback<GovtrackApp>(this, &GovtrackApp::handleFlag)));
    options.addOption(Option("dry-run", "", "import: check the file and list what would change, writing nothing")
                          .callback(OptionCallback<GovtrackApp>(this, &GovtrackApp::handleFlag)));
    defineStoreOptions(options);     // StoreVerbs.cpp
    defineWorkflowOptions(options);  // WorkflowVerbs.cpp
    defineAuditOptions(options);     // AuditVerbs.cpp
    defineAccountOptions(options);   // AccountVerbs.cpp
    defineReminderOptions(options);  // ReminderVerbs.cpp
    defineRiskOptions(options);      // RiskVerbs.cpp
}

void GovtrackApp::handleHelp(const std::string&, const std::string&) {
    helpRequested_ = true;
    // The verbs are printed as written (HelpFormatter would re-wrap them at 80 columns); the options
    // through HelpFormatter.
    std::cout << "govtrack tracks audit recommendations, management action plans and their follow-up.\n\n"
              << "usage: govtrack " << kUsage << "\n\n";
    Poco::Util::HelpFormatter help(options());
    help.setWidth(110);
    help.setUnixStyle(true);
    help.setCommand(commandName());
    help.setUsage("[OPTIONS]");
    help.format(std::cout);
    stopOptionsProcessing();
}

void GovtrackApp::handleConfig(const std::string&, const std::string& value) {
    if (!std::filesystem::is_regular_file(value)) throw d::ValidationError("--config: '" + value + "' is not a file");
    if (lowerExtension(value) != "properties") {
        throw d::ValidationError("--config: '" + value + "' must be a .properties file (key = value lines)");
    }
    loadConfiguration(value);
    config().setBool("govtrack.config.loaded", true);
}

void GovtrackApp::handleFlag(const std::string& name, const std::string&) {
    flags_.insert(name);
}
void GovtrackApp::handleValue(const std::string& name, const std::string& value) {
    values_[name] = value;
}

Settings GovtrackApp::readSettings() {
    // A misspelt key (govtrack.storage.url) would silently fall back to a default: refuse it instead.
    static const std::set<std::string> kKnownKeys = {"storage.uri",
                                                     "storage.mysql.password_file",
                                                     "storage.mysql.pool_size",
                                                     "http.host",
                                                     "http.port",
                                                     "http.webroot",
                                                     "time_zone",
                                                     "auth.argon2.time_cost",
                                                     "auth.argon2.memory_kib",
                                                     "auth.argon2.parallelism",
                                                     "auth.session_idle_minutes",
                                                     "auth.session_absolute_hours",
                                                     "http.tls.certificate",
                                                     "http.tls.private_key",
                                                     "risk.matrix",
                                                     "config.loaded"};
    {
        std::vector<std::string> stack{""};
        while (!stack.empty()) {
            const std::string prefix = stack.back();
            stack.pop_back();
            Poco::Util::AbstractConfiguration::Keys children;
            config().keys(prefix.empty() ? "govtrack" : "govtrack." + prefix, children);
            if (children.empty() && !prefix.empty() && !kKnownKeys.count(prefix) && !isReminderConfigKey(prefix)) {
                throw d::ValidationError("configuration: unknown key 'govtrack." + prefix +
                                         "'; known keys: govtrack.storage.uri, govtrack.storage.mysql.password_file, "
                                         "govtrack.storage.mysql.pool_size, govtrack.http.host, govtrack.http.port, "
                                         "govtrack.http.webroot, govtrack.http.tls.certificate, "
                                         "govtrack.http.tls.private_key, govtrack.time_zone, govtrack.risk.matrix, "
                                         "govtrack.auth.argon2.time_cost, govtrack.auth.argon2.memory_kib, "
                                         "govtrack.auth.argon2.parallelism, govtrack.auth.session_idle_minutes, "
                                         "govtrack.auth.session_absolute_hours, govtrack.reminders.* and "
                                         "govtrack.smtp.* (docs/reminders.md)");
            }
            for (const auto& child : children) stack.push_back(prefix.empty() ? child : prefix + "." + child);
        }
    }
    Settings s;
    s.storeUri = config().getString("govtrack.storage.uri", s.storeUri);
    s.host = config().getString("govtrack.http.host", s.host);
    int port = s.port;
    try {
        port = config().getInt("govtrack.http.port", s.port);
    } catch (const Poco::SyntaxException&) {
        throw d::ValidationError("govtrack.http.port: '" + config().getString("govtrack.http.port") +
                                 "' is not a port number (0..65535)");
    }
    if (port < 0 || port > 65535)
        throw d::ValidationError("govtrack.http.port must be 0..65535, got " + std::to_string(port));
    s.port = static_cast<unsigned short>(port);
    s.webroot = config().getString("govtrack.http.webroot", "");
    if (s.webroot.empty()) {
        // The source tree's webroot/: beside the working directory, or two levels above build/bin/.
        for (const std::string& candidate :
             {std::string("webroot"),
              Poco::Path(config().getString("application.dir")).parent().parent().toString() + "webroot"}) {
            if (Poco::File(candidate).exists()) {
                s.webroot = candidate;
                break;
            }
        }
    }
    auto number = [&](const std::string& key, long fallback, long lowest, long highest) {
        long value = fallback;
        try {
            value = config().getInt64(key, fallback);
        } catch (const Poco::SyntaxException&) {
            throw d::ValidationError(key + ": '" + config().getString(key) + "' is not a whole number (" +
                                     std::to_string(lowest) + ".." + std::to_string(highest) + ")");
        }
        if (value < lowest || value > highest) {
            throw d::ValidationError(key + " must be " + std::to_string(lowest) + ".." + std::to_string(highest) +
                                     ", got " + std::to_string(value));
        }
        return value;
    };
    s.argon2.timeCost = static_cast<std::uint32_t>(number("govtrack.auth.argon2.time_cost", s.argon2.timeCost, 1, 100));
    s.argon2.memoryKiB =
        static_cast<std::uint32_t>(number("govtrack.auth.argon2.memory_kib", s.argon2.memoryKiB, 64, 4194304));
    s.argon2.parallelism =
        static_cast<std::uint32_t>(number("govtrack.auth.argon2.parallelism", s.argon2.parallelism, 1, 16));
    s.sessions.idle = std::chrono::minutes{number("govtrack.auth.session_idle_minutes", 30, 1, 24 * 60)};
    s.sessions.absolute = std::chrono::hours{number("govtrack.auth.session_absolute_hours", 12, 1, 24 * 30)};
    s.tlsCertificate = config().getString("govtrack.http.tls.certificate", "");
    s.tlsPrivateKey = config().getString("govtrack.http.tls.private_key", "");
    if (s.tlsCertificate.empty() != s.tlsPrivateKey.empty()) {
        throw d::ValidationError(
            "govtrack.http.tls.certificate and govtrack.http.tls.private_key go together: set "
            "both for HTTPS, or neither");
    }
    s.timeZone = config().getString("govtrack.time_zone", s.timeZone);
    s.riskMatrix = config().getString("govtrack.risk.matrix", "");
    if (!platform::isKnownTimeZone(s.timeZone)) {
        throw d::ValidationError("govtrack.time_zone: unknown time zone '" + s.timeZone +
                                 "' (expected an IANA name such as Europe/London)");
    }
    return s;
}

int GovtrackApp::writeOutput(const std::string& text) {
    if (values_.count("output")) {
        std::ofstream out(values_["output"], std::ios::binary);
        if (!out) throw d::UnavailableError("--output: cannot write '" + values_["output"] + "'");
        out << text;
        out.close();
        if (!out) throw d::UnavailableError("--output: writing '" + values_["output"] + "' failed (disk full?)");
        std::cerr << "wrote " << values_["output"] << "\n";
    } else {
        std::cout << text;
    }
    return kExitOk;
}

void GovtrackApp::checkOptionsApply(const std::string& verb) {
    // Options are parsed for every verb; one that means nothing to this verb (import --to, action move
    // --dry-run) must not be silently ignored: the user may believe it took effect.
    static const std::map<std::string, std::set<std::string>> kOptionsOf = {
        {"migrate", {}},
        {"import", {"dry-run", "as"}},
        {"report",
         {"engagement", "as-of", "format", "output", "bom", "compare", "group", "date", "register", "months"}},
        {"risk", {"as", "to", "reason", "group", "inherent", "current", "target", "create", "title", "register"}},
        {"serve", {}},
        {"action",
         {"as", "to", "reason", "evidence", "group", "decision-ref", "superseded-by", "text", "percent", "date",
          "if-version", "attach"}},
        {"evidence", {"output"}},
        {"request", {"as", "group", "note", "decision-ref", "if-version", "approve", "refuse"}},
        {"group", {"as", "by", "on"}},
        {"copy", {"from", "to", "force"}},
        {"backup", {"to"}},
        {"verify-audit-log", {}},
        {"user", {"person", "display-name", "password-file", "role", "admin"}},
        {"token", {"name", "scope"}},
        {"remind", {"dry-run", "once", "at", "revoke", "as", "note"}},
        {"version", {}},
    };
    const auto allowed = kOptionsOf.find(verb);
    if (allowed == kOptionsOf.end()) return;  // unknown verbs are reported by main()
    std::vector<std::string> given;
    for (const auto& [name, value] : values_) given.push_back(name);
    for (const auto& name : flags_) given.push_back(name);
    if (!attachments_.empty()) given.push_back("attach");
    if (!roles_.empty()) given.push_back("role");
    for (const auto& name : given) {
        if (!allowed->second.count(name)) {
            throw d::ValidationError("--" + name + " does not apply to '" + verb + "' (see govtrack --help)");
        }
    }
}

int GovtrackApp::main(const std::vector<std::string>& args) {
    if (helpRequested_) return kExitOk;
    if (args.empty()) {
        std::cerr << "govtrack: no verb given; usage: govtrack " << kUsage << "\n";
        return kExitInput;
    }
    const std::string& verb = args.front();
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    try {
        checkOptionsApply(verb);
        if (verb == "migrate") return verbMigrate(rest);
        if (verb == "import") return verbImport(rest);
        if (verb == "report") return verbReport(rest);
        if (verb == "serve") return verbServe(rest);
        if (verb == "action" || verb == "request" || verb == "group" || verb == "evidence") {
            return verbWorkflow(verb, rest);
        }
        if (verb == "user" || verb == "token") return verbAccounts(verb, rest);  // AccountVerbs.cpp
        if (verb == "risk") return verbRisk(rest);                               // RiskVerbs.cpp
        if (verb == "copy") return verbCopy(rest);                               // StoreVerbs.cpp
        if (verb == "backup") return verbBackup(rest);                           // StoreVerbs.cpp
        if (verb == "verify-audit-log") return verbVerifyAuditLog(rest);         // AuditVerbs.cpp
        if (verb == "remind") return verbRemind(rest);                           // ReminderVerbs.cpp
        if (verb == "version") {
            std::cout << "govtrack 0.1.0\n";
            return kExitOk;
        }
        std::cerr << "govtrack: unknown verb '" << verb
                  << "'; expected migrate, import, report, action, request, group, evidence, risk, user, token, serve, "
                     "copy, backup, verify-audit-log, remind or version\n";
        return kExitInput;
    } catch (const d::Error& e) {
        return reportError(e);
    } catch (const Poco::Exception& e) {
        std::cerr << "govtrack: " << e.displayText() << "\n";
        return kExitFailure;
    } catch (const std::exception& e) {
        std::cerr << "govtrack: " << e.what() << "\n";
        return kExitFailure;
    }
}

int GovtrackApp::verbMigrate(const std::vector<std::string>& args) {
    if (!args.empty()) throw d::ValidationError("migrate takes no arguments");
    const Settings settings = readSettings();
    auto store = openStore(settings);  // opening migrates
    std::cout << "schema version " << store->migrate() << " in " << settings.storeUri << "\n";
    return kExitOk;
}

int GovtrackApp::verbImport(const std::vector<std::string>& args) {
    if (args.size() != 1) throw d::ValidationError("import takes one FILE (.json or .csv)");
    const std::string& file = args.front();
    const std::string ext = lowerExtension(file);
    if (ext != "json" && ext != "csv") {
        throw d::ValidationError(file + ": unsupported file type '." + ext + "'; expected .json or .csv");
    }
    const std::string content = readFile(file);
    if (ext == "csv" && interchange::looksLikeRiskRegisterCsv(content, file)) {
        return importRiskRegister(file, content);  // RiskVerbs.cpp
    }
    // Parse the whole file before touching the database: all problems are reported at once.
    const d::ActionPlanDocument document =
        ext == "json" ? interchange::readJsonPlan(content, file) : interchange::readCsvTracker(content, file);
    const Settings settings = readSettings();
    auto store = openStore(settings);
    auto session = store->openSession();
    const bool dryRun = flags_.count("dry-run") > 0;
    const d::ImportSummary summary =
        importWithAudit(*session, document, dryRun ? d::ImportMode::kDryRun : d::ImportMode::kApply, file);
    constexpr std::size_t kChangesShown = 20;
    const std::size_t shown = dryRun ? summary.changes.size() : std::min(summary.changes.size(), kChangesShown);
    for (std::size_t i = 0; i < shown; ++i) std::cout << "  " << summary.changes[i] << "\n";
    if (shown < summary.changes.size()) std::cout << "  ... and " << summary.changes.size() - shown << " more\n";
    std::cout << (dryRun ? "dry run, nothing written: " : "imported ") << file << ": " << summary.engagements
              << " engagements, " << summary.recommendations << " recommendations, " << summary.actions << " actions, "
              << summary.progressUpdates << " progress updates, " << summary.people << " people, " << summary.groups
              << " groups, " << summary.units << " units, " << summary.risks << " risks "
              << (dryRun ? "would be created or changed\n" : "created or changed\n");
    return kExitOk;
}

int GovtrackApp::verbReport(const std::vector<std::string>& args) {
    if (args.size() != 1 || (args.front() != "follow-up" && args.front() != "meeting-pack" && args.front() != "risks" &&
                             args.front() != "dashboard")) {
        throw d::ValidationError(
            "report: expected 'report follow-up', 'report meeting-pack', 'report risks' or 'report dashboard'");
    }
    if (values_.count("months") && args.front() != "dashboard") {
        throw d::ValidationError("--months applies to 'report dashboard' only");
    }
    const Settings settings = readSettings();
    if (args.front() == "risks") return reportRisks(settings);  // RiskVerbs.cpp
    if (args.front() == "dashboard") return reportDashboard(settings);
    if (values_.count("register")) throw d::ValidationError("--register applies to 'report risks' only");
    if (args.front() == "meeting-pack") {
        d::Date date = platform::ZonedClock(settings.timeZone).today();
        if (values_.count("date")) {
            const auto parsed = d::parseIsoDate(values_["date"]);
            if (!parsed) throw d::ValidationError("--date: '" + values_["date"] + "' is not a date YYYY-MM-DD");
            date = *parsed;
        }
        auto store = openStore(settings, /*mustExist=*/true);
        auto session = store->openSession();
        return reportMeetingPack(*session, date);
    }
    const std::string format = values_.count("format") ? values_["format"] : "table";
    if (format != "table" && format != "json" && format != "csv" && format != "html") {
        throw d::ValidationError("--format: '" + format + "' is not one of table, json, csv, html");
    }
    d::Date asOf;
    if (values_.count("as-of")) {
        auto parsed = d::parseIsoDate(values_["as-of"]);
        if (!parsed) throw d::ValidationError("--as-of: '" + values_["as-of"] + "' is not a date YYYY-MM-DD");
        asOf = *parsed;
    } else {
        asOf = platform::ZonedClock(settings.timeZone).today();
    }
    d::ActionPlanFilter filter;
    filter.includeTexts = false;  // the follow-up report prints no recommendation texts
    if (values_.count("engagement")) filter.engagementReference = values_["engagement"];

    auto store = openStore(settings, /*mustExist=*/true);
    auto session = store->openSession();
    if (filter.engagementReference) {
        const auto engagement = d::findEngagement(session->engagements(), *filter.engagementReference);
        if (!engagement) {
            throw d::NotFoundError("--engagement: no engagement has the reference '" + *filter.engagementReference +
                                   "'");
        }
        filter.engagementReference = engagement->reference;  // the stored spelling
    }
    if (values_.count("compare")) return reportCompare(*session, filter, settings, format);  // AuditVerbs.cpp
    const auto report =
        reports::buildFollowUpReport(loadPlanAsOf(*session, filter, asOf, settings), asOf, filter.engagementReference);
    std::string text;
    if (format == "json")
        text = reports::renderJson(report);
    else if (format == "csv")
        text = reports::renderCsv(report, flags_.count("bom") > 0);
    else if (format == "html")
        text = reports::renderHtml(report);
    else
        text = reports::renderTable(report);

    return writeOutput(text);
}

int GovtrackApp::reportDashboard(const Settings& settings) {
    for (const char* other : {"as-of", "compare", "group", "date", "register", "bom"}) {
        if (values_.count(other) || flags_.count(other)) {
            throw d::ValidationError(std::string("--") + other + " does not apply to 'report dashboard'");
        }
    }
    const std::string format = values_.count("format") ? values_["format"] : "table";
    if (format != "table" && format != "json") {
        throw d::ValidationError("--format: '" + format + "' is not one of table, json");
    }
    int months = 12;
    if (values_.count("months")) {
        const std::string& text = values_["months"];
        const bool digits = !text.empty() && text.size() <= 2 &&
                            std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (!digits || std::stoi(text) > 36) {
            throw d::ValidationError("--months: '" + text + "' is not a whole number from 0 to 36");
        }
        months = std::stoi(text);
    }
    auto store = openStore(settings, /*mustExist=*/true);
    auto session = store->openSession();
    std::optional<std::string> engagement;
    if (values_.count("engagement")) {
        const auto found = d::findEngagement(session->engagements(), values_["engagement"]);
        if (!found) {
            throw d::NotFoundError("--engagement: no engagement has the reference '" + values_["engagement"] + "'");
        }
        engagement = found->reference;  // the stored spelling
    }
    const auto dashboard = reports::buildDashboard(
        *session, platform::ZonedClock(settings.timeZone).today(), months,
        [zone = settings.timeZone](d::Date day) { return platform::endOfDayUtc(day, zone); }, engagement);
    return writeOutput(format == "json" ? reports::renderDashboardJson(dashboard)
                                        : reports::renderDashboardTable(dashboard));
}

int GovtrackApp::verbServe(const std::vector<std::string>& args) {
    if (!args.empty()) throw d::ValidationError("serve takes no arguments");
    const Settings settings = readSettings();
    if (!settings.webroot.empty() && !std::filesystem::is_directory(settings.webroot)) {
        throw d::ValidationError("--webroot: '" + settings.webroot + "' is not a directory");
    }
    platform::ZonedClock clock(settings.timeZone);  // checks the zone before anything is opened
    auto store = openStore(settings);
    http::ServerConfig config;
    config.host = settings.host;
    config.port = settings.port;
    config.webroot = settings.webroot;
    config.endOfDayUtc = [zone = settings.timeZone](d::Date day) { return platform::endOfDayUtc(day, zone); };
    config.sessions = settings.sessions;
    config.tlsCertificate = settings.tlsCertificate;
    config.tlsPrivateKey = settings.tlsPrivateKey;
    const ReminderConfig rc = readReminderConfig(settings);
    platform::UuidGenerator ids;
    platform::Sha256Hasher hasher;
    platform::Argon2PasswordHasher passwords(settings.argon2);
    platform::SystemSecretSource secrets;
    const http::AuthServices auth{ids, hasher, passwords, secrets};
    // The reminder scheduler (SPEC 4.6): sweeps and delivery on a Boost.Asio io_context of its own.
    platform::TzRules zone(rc.zone);
    reminders::SmtpTransport transport(rc.smtp);
    reminders::ReminderScheduler::Jobs jobs;
    jobs.sweep = [&] {
        auto session = store->openSession();
        const auto r = d::sweepReminders(*session, ids, rc.settings, zone, clock.now(), true);
        if (r.remindersRecorded > 0)
            std::cout << "reminders: recorded " << r.remindersRecorded << " in " << r.digests << " digests"
                      << std::endl;
    };
    jobs.deliver = [&] {
        auto session = store->openSession();
        const auto r = d::deliverOutbox(*session, transport, rc.delivery, clock.now());
        if (r.sent + r.retrying + r.failed > 0)
            std::cout << "reminders: sent " << r.sent << ", retrying " << r.retrying << ", failed " << r.failed
                      << std::endl;
    };
    jobs.sweepEvery = rc.sweepEvery;
    jobs.deliverEvery = rc.deliverEvery;
    jobs.log = [](const std::string& line) { std::cerr << line << std::endl; };
    reminders::ReminderScheduler scheduler(jobs);
    config.webBaseUrl = rc.settings.webBaseUrl;
    config.riskMatrix = scoringMatrix(settings);
    // A chase puts messages in the outbox: deliver them now rather than at the next tick.
    if (rc.enabled) config.outboxChanged = [&scheduler] { scheduler.deliverNow(); };
    config.mailDelivery = rc.enabled;
    http::ApiServer server(config, *store, clock, auth);
    server.start();
    std::cout << "govtrack serving " << settings.storeUri << " at "
              << (config.tlsCertificate.empty() ? "http" : "https") << "://" << settings.host << ":" << server.port()
              << "/ (Ctrl-C to stop)" << std::endl;

    if (rc.enabled) {
        scheduler.start();
        std::cout << "reminders: on, sweep every " << rc.sweepEvery.count() << " min at "
                  << rc.settings.policy.sendTime.count() / 60 << ":" << std::setw(2) << std::setfill('0')
                  << rc.settings.policy.sendTime.count() % 60 << " " << rc.zone << ", mail via " << rc.smtp.host << ":"
                  << rc.smtp.port << std::endl;
    } else {
        std::cout << "reminders: off (set govtrack.smtp.host, or govtrack.reminders.enabled = true)" << std::endl;
    }
    waitForTerminationRequest();
    server.stop();  // first: a request may still wake the scheduler
    scheduler.stop();
    std::cout << "govtrack stopped" << std::endl;
    return kExitOk;
}

}  // namespace govtrack::app
