// `govtrack remind ...` and the reminder configuration (SPEC 4.6; docs/reminders.md).
#include <cstdlib>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <set>
#include <sstream>

#include <Poco/RandomStream.h>
#include <Poco/String.h>
#include <Poco/Util/Option.h>

#include "govtrack/domain/ActionService.h"
#include "govtrack/domain/AuditTrail.h"
#include "govtrack/domain/Error.h"
#include "govtrack/domain/ICalendar.h"
#include "govtrack/domain/ReminderService.h"
#include "govtrack/platform/Sha256Hasher.h"
#include "govtrack/platform/UuidGenerator.h"
#include "govtrack/platform/ZonedClock.h"
#include "govtrack/reminders/SmtpTransport.h"

#include "Cli.h"

namespace govtrack::app {

/// schema-free copy of data/holidays/scotland-2024-2028.txt, embedded at build time (EmbeddedHolidays.cpp).
extern const char* const kDefaultHolidays;

namespace d = govtrack::domain;
using Poco::Util::Option;
using Poco::Util::OptionCallback;

namespace {

int intKey(Poco::Util::AbstractConfiguration& c, const std::string& key, int fallback, int min, int max) {
    if (!c.has(key)) return fallback;
    const std::string raw = Poco::trim(c.getString(key));
    int value = 0;
    std::size_t used = 0;
    try {
        value = std::stoi(raw, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used == 0 || used != raw.size() || value < min || value > max) {
        throw d::ValidationError(key + ": '" + raw + "' is not a whole number in " + std::to_string(min) + ".." +
                                 std::to_string(max));
    }
    return value;
}

bool boolKey(Poco::Util::AbstractConfiguration& c, const std::string& key, bool fallback) {
    if (!c.has(key)) return fallback;
    const std::string raw = Poco::toLower(Poco::trim(c.getString(key)));
    if (raw == "true" || raw == "yes" || raw == "on" || raw == "1") return true;
    if (raw == "false" || raw == "no" || raw == "off" || raw == "0") return false;
    throw d::ValidationError(key + ": '" + raw + "' is not true or false");
}

/// "08:00" -> 480 minutes.
std::chrono::minutes timeOfDay(const std::string& key, const std::string& raw) {
    unsigned h = 0, m = 0;
    char colon = 0;
    std::istringstream in(raw);
    in >> h >> colon >> m;
    if (in.fail() || colon != ':' || h > 23 || m > 59 || raw.size() != 5) {
        throw d::ValidationError(key + ": '" + raw + "' is not a local time HH:MM (00:00..23:59)");
    }
    return std::chrono::minutes{h * 60 + m};
}

std::vector<int> dayList(const std::string& key, const std::string& raw) {
    std::vector<int> out;
    std::istringstream in(raw);
    for (std::string item; std::getline(in, item, ',');) {
        item = Poco::trim(item);
        if (item.empty()) continue;
        std::size_t used = 0;
        int v = -1;
        try {
            v = std::stoi(item, &used);
        } catch (const std::exception&) {
        }
        if (used != item.size() || v < 1 || v > 366) {
            throw d::ValidationError(key + ": '" + item + "' is not a number of days 1..366 (e.g. 28,14,7,1)");
        }
        out.push_back(v);
    }
    return out;
}

std::string readSecret(const char* env, Poco::Util::AbstractConfiguration& c, const std::string& fileKey) {
    if (const char* v = std::getenv(env)) return v;
    const std::string file = c.getString(fileKey, "");
    if (file.empty()) return "";
    std::ifstream in(file, std::ios::binary);
    if (!in) throw d::ValidationError(fileKey + ": cannot read '" + file + "'");
    std::string secret;
    std::getline(in, secret);
    while (!secret.empty() && (secret.back() == '\r' || secret.back() == '\n')) secret.pop_back();
    return secret;
}

/// "2026-03-30T08:00" (or with a space, or with :SS) as local wall-clock time in the zone.
std::chrono::sys_seconds parseLocalAt(const std::string& raw, const d::TimeZoneRules& zone) {
    std::string text = raw;
    if (text.size() >= 11 && text[10] == ' ') text[10] = 'T';
    const auto day = text.size() >= 16 ? d::parseIsoDate(text.substr(0, 10)) : std::nullopt;
    if (!day || text[10] != 'T' || (text.size() != 16 && text.size() != 19)) {
        throw d::ValidationError("--at: '" + raw + "' is not a local time YYYY-MM-DDTHH:MM");
    }
    const auto minutes = timeOfDay("--at", text.substr(11, 5));
    int seconds = 0;
    if (text.size() == 19) {
        if (text[16] != ':' || !std::isdigit(static_cast<unsigned char>(text[17])) ||
            !std::isdigit(static_cast<unsigned char>(text[18])))
            throw d::ValidationError("--at: '" + raw + "' is not a local time YYYY-MM-DDTHH:MM");
        seconds = std::stoi(text.substr(17, 2));
    }
    return zone.instantOf(*day, minutes) + std::chrono::seconds{seconds};
}

}  // namespace

bool isReminderConfigKey(const std::string& key) {
    static const std::set<std::string> kKeys = {"reminders.enabled",
                                                "reminders.send_time",
                                                "reminders.sweep_minutes",
                                                "reminders.deliver_seconds",
                                                "reminders.catch_up_days",
                                                "reminders.holidays_file",
                                                "reminders.web_base_url",
                                                "reminders.max_attempts",
                                                "reminders.retry_base_seconds",
                                                "smtp.host",
                                                "smtp.port",
                                                "smtp.starttls",
                                                "smtp.verify_peer",
                                                "smtp.username",
                                                "smtp.password_file",
                                                "smtp.from",
                                                "smtp.timeout_seconds"};
    if (kKeys.count(key)) return true;
    // reminders.policy.<high|medium|low>.<days_before|on_due|overdue_every_days|escalate_manager_days|escalate_chair_days>
    static const std::set<std::string> kPolicyFields = {"days_before", "on_due", "overdue_every_days",
                                                        "escalate_manager_days", "escalate_chair_days"};
    const std::string prefix = "reminders.policy.";
    if (key.rfind(prefix, 0) != 0) return false;
    const std::string rest = key.substr(prefix.size());
    const auto dot = rest.find('.');
    if (dot == std::string::npos) return false;
    return d::parsePriority(rest.substr(0, dot)).has_value() && rest.substr(0, dot).size() > 1 &&
           kPolicyFields.count(rest.substr(dot + 1));
}

ReminderConfig GovtrackApp::readReminderConfig(const Settings& settings) {
    auto& c = config();
    ReminderConfig r;
    r.zone = settings.timeZone;
    r.settings.policy.sendTime =
        timeOfDay("govtrack.reminders.send_time", Poco::trim(c.getString("govtrack.reminders.send_time", "08:00")));
    r.settings.policy.catchUpDays = intKey(c, "govtrack.reminders.catch_up_days", 3, 0, 60);
    for (auto p : {d::Priority::kHigh, d::Priority::kMedium, d::Priority::kLow}) {
        const std::string base = "govtrack.reminders.policy." + std::string(d::toString(p)) + ".";
        d::ReminderRule rule;
        if (c.has(base + "days_before"))
            rule.daysBefore = dayList(base + "days_before", c.getString(base + "days_before"));
        rule.onDueDate = boolKey(c, base + "on_due", true);
        rule.overdueEveryDays = intKey(c, base + "overdue_every_days", 7, 0, 366);
        const int manager = intKey(c, base + "escalate_manager_days", 14, 0, 366);
        const int chair = intKey(c, base + "escalate_chair_days", 30, 0, 366);
        rule.escalations.clear();
        if (manager > 0)
            rule.escalations.push_back(
                {manager, {d::EscalationTarget::kLineManager, d::EscalationTarget::kGroupSecretary}});
        if (chair > 0) rule.escalations.push_back({chair, {d::EscalationTarget::kGroupChair}});
        r.settings.policy.byPriority[p] = rule;
    }
    const std::string holidays = c.getString("govtrack.reminders.holidays_file", "");
    if (holidays.empty()) {
        r.settings.calendar = d::parseHolidays(kDefaultHolidays, "data/holidays/scotland-2024-2028.txt");
        r.holidaysSource = "built-in Scotland 2024-2028";
    } else {
        std::ifstream in(holidays, std::ios::binary);
        if (!in) throw d::ValidationError("govtrack.reminders.holidays_file: cannot read '" + holidays + "'");
        std::stringstream text;
        text << in.rdbuf();
        r.settings.calendar = d::parseHolidays(text.str(), holidays);
        r.holidaysSource = holidays;
    }
    r.settings.webBaseUrl =
        c.getString("govtrack.reminders.web_base_url", "http://" + settings.host + ":" + std::to_string(settings.port));
    r.sweepEvery = std::chrono::minutes{intKey(c, "govtrack.reminders.sweep_minutes", 5, 1, 1440)};
    r.deliverEvery = std::chrono::seconds{intKey(c, "govtrack.reminders.deliver_seconds", 60, 1, 86400)};
    r.delivery.maxAttempts = intKey(c, "govtrack.reminders.max_attempts", 6, 1, 100);
    r.delivery.baseDelay = std::chrono::seconds{intKey(c, "govtrack.reminders.retry_base_seconds", 60, 1, 86400)};
    r.smtpConfigured = c.has("govtrack.smtp.host");
    r.enabled = boolKey(c, "govtrack.reminders.enabled", r.smtpConfigured);
    r.smtp.host = c.getString("govtrack.smtp.host", "127.0.0.1");
    r.smtp.port = static_cast<unsigned short>(intKey(c, "govtrack.smtp.port", 25, 1, 65535));
    r.smtp.startTls = boolKey(c, "govtrack.smtp.starttls", false);
    r.smtp.verifyPeer = boolKey(c, "govtrack.smtp.verify_peer", true);
    r.smtp.username = c.getString("govtrack.smtp.username", "");
    r.smtp.password = readSecret("GOVTRACK_SMTP_PASSWORD", c, "govtrack.smtp.password_file");
    r.smtp.from = c.getString("govtrack.smtp.from", "govtrack@localhost");
    r.smtp.timeoutSeconds = intKey(c, "govtrack.smtp.timeout_seconds", 30, 1, 600);
    return r;
}

void GovtrackApp::defineReminderOptions(Poco::Util::OptionSet& options) {
    options.addOption(Option("at", "", "remind: run as if at this local time, YYYY-MM-DDTHH:MM")
                          .argument("TIME")
                          .callback(OptionCallback<GovtrackApp>(this, &GovtrackApp::handleValue)));
    for (const char* name : {"once", "revoke"}) {
        options.addOption(Option(name, "", std::string("remind: ") + name)
                              .callback(OptionCallback<GovtrackApp>(this, &GovtrackApp::handleFlag)));
    }
}

int GovtrackApp::remindChase(const std::vector<std::string>& args, const Settings& settings, const ReminderConfig& rc) {
    if (args.size() < 2) {
        throw d::ValidationError(
            "usage: govtrack remind chase ACTION... --as ROLE [--note TEXT] [--dry-run], e.g. IA-2024-25-PM/1.1");
    }
    if (flags_.count("once") || flags_.count("revoke") || values_.count("at"))
        throw d::ValidationError("remind chase takes only --as, --note and --dry-run");
    const bool dryRun = flags_.count("dry-run") > 0;
    platform::ZonedClock clock(rc.zone);
    auto store = openStore(settings, true);
    auto session = store->openSession();
    const d::Actor actor = actorFor(*session);
    d::ChaseRequest request;
    request.record = !dryRun;
    request.note = values_.count("note") ? values_.at("note") : "";
    std::set<d::Id> seen;
    for (std::size_t i = 1; i < args.size(); ++i) {
        const auto found = d::findAction(*session, args[i]);
        if (!seen.insert(found.action.id).second) throw d::ValidationError("remind chase: " + args[i] + " is given twice");
        request.actionIds.push_back(found.action.id);
    }
    platform::UuidGenerator ids;
    platform::Sha256Hasher hasher;
    d::AuditTrail audit(session->events(), clock, hasher);
    const auto now = clock.now();
    const auto result =
        d::chaseActions(*session, audit, ids, actor, request, clock.today(), now, rc.settings.webBaseUrl);
    for (const auto& a : result.actions) {
        std::cout << a.reference << "  " << d::toString(a.outcome);
        if (!a.reason.empty()) std::cout << ": " << a.reason;
        std::string who;
        for (const auto& r : a.recipients) who += (who.empty() ? "" : ", ") + r.roleTitle;
        if (!who.empty()) std::cout << (a.outcome == d::ChaseOutcome::kAlreadyChased ? " (today: " : " -> ") << who
                                    << (a.outcome == d::ChaseOutcome::kAlreadyChased ? ")" : "");
        std::cout << "\n";
    }
    std::cout << (dryRun ? "dry run: would record " : "recorded ") << result.reminders << " reminder"
              << (result.reminders == 1 ? "" : "s") << " in " << result.digests << " message"
              << (result.digests == 1 ? "" : "s") << (dryRun ? "; nothing recorded or sent" : "") << "\n";
    if (dryRun || result.digests == 0) return kExitOk;
    if (!rc.enabled) {
        std::cout << "reminders are off here: the messages wait in the outbox for `serve` with govtrack.smtp.host set\n";
        return kExitOk;
    }
    reminders::SmtpTransport transport(rc.smtp);
    const auto delivered = d::deliverOutbox(*session, transport, rc.delivery, now);
    std::cout << "delivery: sent " << delivered.sent << ", retrying " << delivered.retrying << ", failed "
              << delivered.failed << "\n";
    return kExitOk;
}

int GovtrackApp::verbRemind(const std::vector<std::string>& args) {
    const Settings settings = readSettings();
    const ReminderConfig rc = readReminderConfig(settings);
    platform::TzRules zone(rc.zone);
    platform::ZonedClock clock(rc.zone);
    const std::string sub = args.empty() ? "" : args.front();

    if (sub == "status") {
        if (args.size() != 1) throw d::ValidationError("remind status takes no arguments");
        if (flags_.count("once") || flags_.count("dry-run") || flags_.count("revoke") || values_.count("at"))
            throw d::ValidationError("remind status takes no --once, --dry-run, --at or --revoke");
        auto store = openStore(settings, true);
        auto session = store->openSession();
        const auto counts = session->reminders().countMessages();
        std::cout << "outbox:";
        for (const char* s : {"pending", "sending", "sent", "failed"}) {
            const auto it = counts.find(s);
            std::cout << " " << s << " " << (it == counts.end() ? 0 : it->second);
        }
        std::cout << "\n";
        for (auto status : {d::OutboxStatus::kFailed, d::OutboxStatus::kPending, d::OutboxStatus::kSending}) {
            for (const auto& m : session->reminders().listMessages(status, 50)) {
                std::cout << d::toString(m.status) << "  " << m.id << "  to "
                          << (m.recipientEmail.empty() ? "(no e-mail)" : m.recipientEmail) << "  \"" << m.subject
                          << "\"  attempts " << m.attempts << "  next " << m.nextAttemptAt;
                if (!m.lastError.empty()) std::cout << "  last error: " << m.lastError;
                std::cout << "\n";
            }
        }
        return kExitOk;
    }

    if (sub == "ical-token") {
        if (args.size() != 2) throw d::ValidationError("usage: govtrack remind ical-token ROLE_TITLE [--revoke]");
        if (flags_.count("once") || flags_.count("dry-run") || values_.count("at"))
            throw d::ValidationError("remind ical-token takes only --revoke");
        auto store = openStore(settings, true);
        auto session = store->openSession();
        const auto person = session->people().findByRoleTitle(d::tidyNaturalKey(args[1]));
        if (!person) throw d::NotFoundError("No person has the role title '" + args[1] + "'.");
        platform::Sha256Hasher hasher;
        if (flags_.count("revoke")) {
            int n = 0;
            session->transaction(
                [&] { n = session->reminders().revokeFeedTokens(person->id, d::formatUtc(clock.now())); });
            std::cout << "revoked " << n << " feed token" << (n == 1 ? "" : "s") << " of " << person->roleTitle << "\n";
            return kExitOk;
        }
        std::string bytes(32, '\0');
        Poco::RandomInputStream random;
        random.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        const std::string token = d::issueFeedToken(*session, hasher, person->id, bytes, clock.now(), false);
        std::string base = rc.settings.webBaseUrl;
        while (!base.empty() && base.back() == '/') base.pop_back();
        std::cout << token << "\n";
        std::cerr << "feed for " << person->roleTitle << ": " << base << "/ical/" << token
                  << ".ics (shown once; revoke with --revoke)\n";
        return kExitOk;
    }

    if (sub == "chase") return remindChase(args, settings, rc);

    if (!sub.empty())
        throw d::ValidationError("remind: unknown sub-command '" + sub + "'; expected status, ical-token or chase");
    if (values_.count("as") || values_.count("note"))
        throw d::ValidationError("--as and --note apply to 'remind chase' only");
    if (flags_.count("revoke")) throw d::ValidationError("--revoke applies to 'remind ical-token' only");
    const bool dryRun = flags_.count("dry-run") > 0;
    const bool once = flags_.count("once") > 0;
    if (dryRun == once) throw d::ValidationError("remind: give exactly one of --dry-run or --once (or a sub-command)");
    const auto now = values_.count("at") ? parseLocalAt(values_.at("at"), zone) : clock.now();

    auto store = openStore(settings, dryRun);
    auto session = store->openSession();
    platform::UuidGenerator ids;
    d::DigestSink print;
    if (dryRun) {
        print = [](const d::ReminderDigest& digest) {
            std::cout << "To: " << digest.recipientRoleTitle << " <" << digest.recipientEmail << ">\n"
                      << "Subject: " << digest.subject << "\n";
            for (const auto& r : digest.reminders) {
                std::cout << "Reminder: " << r.rule << " " << r.reference() << " occurrence "
                          << d::formatIso(r.occurrence) << " send " << d::formatIso(r.sendDay) << " "
                          << d::formatUtc(r.sendAt) << (r.ownerInactive ? " owner inactive" : "") << "\n";
            }
            std::cout << "\n" << digest.textBody << "\n";
        };
    }
    const auto result = d::sweepReminders(*session, ids, rc.settings, zone, now, !dryRun, print);
    if (dryRun) {
        std::cout << "dry run at " << d::formatUtc(now) << " (" << d::formatIso(result.day) << " " << rc.zone
                  << "): " << result.remindersRecorded << " reminder" << (result.remindersRecorded == 1 ? "" : "s")
                  << " in " << result.digests << " digest" << (result.digests == 1 ? "" : "s")
                  << "; nothing recorded or sent\n";
        return kExitOk;
    }
    reminders::SmtpTransport transport(rc.smtp);
    const auto delivered = d::deliverOutbox(*session, transport, rc.delivery, now);
    std::cout << "sweep at " << d::formatUtc(now) << ": recorded " << result.remindersRecorded << " reminder"
              << (result.remindersRecorded == 1 ? "" : "s") << " in " << result.digests << " digest"
              << (result.digests == 1 ? "" : "s") << "; delivery: sent " << delivered.sent << ", retrying "
              << delivered.retrying << ", failed " << delivered.failed << "\n";
    return kExitOk;
}

}  // namespace govtrack::app
