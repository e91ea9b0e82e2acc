#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <Poco/Util/OptionSet.h>
#include <Poco/Util/ServerApplication.h>

#include "govtrack/domain/AccountService.h"
#include "govtrack/domain/Actor.h"
#include "govtrack/domain/ImportService.h"
#include "govtrack/domain/ReminderService.h"
#include "govtrack/domain/Repositories.h"
#include "govtrack/domain/RiskRules.h"
#include "govtrack/platform/Secrets.h"
#include "govtrack/reminders/SmtpTransport.h"

namespace govtrack::app {

/// Exit codes of the one binary (SPEC 5: errors are one clear line and a non-zero exit).
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  ///< the database or the machine failed; or a bug
inline constexpr int kExitInput = 2;    ///< bad input: usage, validation, not found, conflict

/// Settings read once from options and govtrack.properties (STYLE.md "Configuration").
struct Settings {
    std::string storeUri = "sqlite:var/govtrack.db";  ///< govtrack.storage.uri
    std::string host = "127.0.0.1";                   ///< govtrack.http.host
    unsigned short port = 8080;                       ///< govtrack.http.port
    std::string webroot;                              ///< govtrack.http.webroot ("" = find webroot/)
    std::string timeZone = "Europe/London";           ///< govtrack.time_zone
    platform::Argon2Parameters argon2;                ///< govtrack.auth.argon2.time_cost / memory_kib / parallelism
    domain::SessionPolicy sessions;                   ///< govtrack.auth.session_idle_minutes / session_absolute_hours
    std::string tlsCertificate;                       ///< govtrack.http.tls.certificate (PEM path)
    std::string tlsPrivateKey;                        ///< govtrack.http.tls.private_key (PEM path)
    std::string riskMatrix;                           ///< govtrack.risk.matrix: JSON file ("" = default 5x5)
};

/// Reminder settings (govtrack.reminders.*, govtrack.smtp.*; docs/reminders.md), read once.
struct ReminderConfig {
    domain::ReminderSettings settings;
    domain::DeliveryPolicy delivery;
    reminders::SmtpSettings smtp;
    std::string zone = "Europe/London";
    std::string holidaysSource;
    std::chrono::minutes sweepEvery{5};
    std::chrono::seconds deliverEvery{60};
    bool smtpConfigured = false;
    bool enabled = false;  ///< serve runs the scheduler (default: when govtrack.smtp.host is set)
};

/// True for a reminder/SMTP configuration key (without the "govtrack." prefix) that readReminderConfig knows.
bool isReminderConfigKey(const std::string& key);

/// The whole file as bytes; ValidationError naming the path if it is missing, not a regular file or too big.
std::string readTextFile(const std::string& path);

/// `govtrack [--db URI] [--config FILE] VERB ...`: migrate, import, report, serve, version.
class GovtrackApp : public Poco::Util::ServerApplication {
public:
    GovtrackApp();

    /// Parses options and runs the verb. Unlike ServerApplication::run(argc, argv), which logs option
    /// errors and exits 78, option errors propagate as Poco::Util::OptionException so main() prints one
    /// line and exits 2.
    int runCli(int argc, char** argv);

protected:
    void initialize(Poco::Util::Application& self) override;
    void defineOptions(Poco::Util::OptionSet& options) override;
    int main(const std::vector<std::string>& args) override;

private:
    void handleHelp(const std::string& name, const std::string& value);
    void handleConfig(const std::string& name, const std::string& value);
    void handleFlag(const std::string& name, const std::string& value);
    void handleValue(const std::string& name, const std::string& value);

    Settings readSettings();
    /// Refuses options that mean nothing to `verb` (ValidationError naming the option).
    void checkOptionsApply(const std::string& verb);
    /// Writes a report to --output FILE (saying so on stderr) or to stdout; returns kExitOk.
    int writeOutput(const std::string& text);
    /// Opens the store named by settings and migrates it. With mustExist, a missing SQLite file is refused
    /// (read verbs) instead of created.
    std::unique_ptr<domain::Store> openStore(const Settings& settings, bool mustExist = false);

    // StoreVerbs.cpp: store selection (sqlite:PATH, mysql://USER@HOST:PORT/DB), copy and backup.
    void defineStoreOptions(Poco::Util::OptionSet& options);
    /// Opens and migrates the store at `uri`; a mysql password comes from GOVTRACK_DB_PASSWORD or the file
    /// named by govtrack.storage.mysql.password_file, never the URI.
    std::unique_ptr<domain::Store> openStoreAt(const std::string& uri, bool mustExist = false);
    std::string databasePassword();
    // WorkflowVerbs.cpp
    void defineWorkflowOptions(Poco::Util::OptionSet& options);
    void handleAttach(const std::string& name, const std::string& value);
    domain::Actor actorFor(domain::StoreSession& session);
    std::string required(const char* option);
    int verbWorkflow(const std::string& verb, const std::vector<std::string>& args);
    int reportMeetingPack(domain::StoreSession& session, domain::Date date);
    int showAction(domain::StoreSession& session, const std::string& ref, domain::Date today);
    std::vector<std::string> attachments_;

    // AccountVerbs.cpp: user and token administration (issue 7).
    void defineAccountOptions(Poco::Util::OptionSet& options);
    void handleRole(const std::string& name, const std::string& value);
    int verbAccounts(const std::string& verb, const std::vector<std::string>& args);
    std::vector<std::string> roles_;

    // RiskVerbs.cpp: risk registers and risks (issue 4; SPEC 4.5).
    void defineRiskOptions(Poco::Util::OptionSet& options);
    /// The scoring matrix of govtrack.risk.matrix (--risk-matrix), or the default 5x5.
    domain::ScoringMatrix scoringMatrix(const Settings& settings);
    int importRiskRegister(const std::string& file, const std::string& content);
    int reportRisks(const Settings& settings);
    int verbRisk(const std::vector<std::string>& args);

    int verbCopy(const std::vector<std::string>& args);
    int verbBackup(const std::vector<std::string>& args);

    // AuditVerbs.cpp: the audit trail (SPEC 4.8) and as-of reports (SPEC 4.7).
    void defineAuditOptions(Poco::Util::OptionSet& options);
    int verbVerifyAuditLog(const std::vector<std::string>& args);
    /// Imports with every change recorded as an audit event by `--as ROLE_TITLE` or "import FILE".
    domain::ImportSummary importWithAudit(domain::StoreSession& session, const domain::ActionPlanDocument& document,
                                          domain::ImportMode mode, const std::string& file);
    /// The plan as it stood at the end of `asOf`: the current state for today or later, else rebuilt from
    /// the audit trail.
    domain::ActionPlanSnapshot loadPlanAsOf(domain::StoreSession& session, const domain::ActionPlanFilter& filter,
                                            domain::Date asOf, const Settings& settings);
    /// `report follow-up --compare DATE1,DATE2`.
    int reportCompare(domain::StoreSession& session, const domain::ActionPlanFilter& filter, const Settings& settings,
                      const std::string& format);

    // ReminderVerbs.cpp: reminders, outbox, iCalendar feed tokens (SPEC 4.6).
    void defineReminderOptions(Poco::Util::OptionSet& options);
    ReminderConfig readReminderConfig(const Settings& settings);
    int verbRemind(const std::vector<std::string>& args);
    /// remind chase ACTION... --as ROLE [--note] [--dry-run] (ReminderVerbs.cpp)
    int remindChase(const std::vector<std::string>& args, const Settings& settings, const ReminderConfig& rc);

    int verbMigrate(const std::vector<std::string>& args);
    int verbImport(const std::vector<std::string>& args);
    int verbReport(const std::vector<std::string>& args);
    int verbServe(const std::vector<std::string>& args);

    bool helpRequested_ = false;
    std::map<std::string, std::string> values_;  ///< verb options: engagement, as-of, format, output
    std::set<std::string> flags_;                ///< verb flags: bom
};

}  // namespace govtrack::app
