// `govtrack remind` end to end (SPEC 4.6, issue 5): the real binary on a real SQLite file, mail delivered to
// the real local SMTP server scripts/test.sh starts (aiosmtpd writing a Maildir), feeds parsed by the real
// python3-icalendar. Every run has a fixed instant (--at, or GOVTRACK_FIXED_NOW).
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <thread>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "ApiClient.h"
#include "RunBinary.h"
#include "TempDir.h"

namespace govtrack::test {
namespace {

struct Mail {
    std::string to, subject, messageId, body;  // body: quoted-printable decoded, all parts
};

std::string decodeQuotedPrintable(const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '=' && i + 1 < s.size() && (s[i + 1] == '\n' || s[i + 1] == '\r')) {
            i += (s[i + 1] == '\r' && i + 2 < s.size() && s[i + 2] == '\n') ? 2 : 1;
        } else if (s[i] == '=' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
                   std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
            out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

std::string header(const std::string& mail, const std::string& name) {
    std::smatch m;
    if (std::regex_search(mail, m, std::regex("(^|\n)" + name + ": ([^\r\n]*)", std::regex::icase))) return m[2];
    return "";
}

/// Every mail the test SMTP server has received for `address`.
std::vector<Mail> mailsTo(const std::string& address) {
    std::vector<Mail> out;
    const char* dir = std::getenv("GOVTRACK_TEST_MAILDIR");
    if (!dir || !std::filesystem::is_directory(std::string(dir) + "/new")) return out;
    for (const auto& f : std::filesystem::directory_iterator(std::string(dir) + "/new")) {
        const std::string raw = slurp(f.path().string());
        Mail m;
        m.to = header(raw, "To");
        if (m.to.find(address) == std::string::npos) continue;
        m.subject = header(raw, "Subject");
        m.messageId = header(raw, "X-Govtrack-Message-Id");
        m.body = decodeQuotedPrintable(raw);
        out.push_back(m);
    }
    return out;
}

class Remind : public ::testing::Test {
protected:
    void SetUp() override {
        const char* port = std::getenv("GOVTRACK_TEST_SMTP_PORT");
        if (!port || !std::getenv("GOVTRACK_TEST_MAILDIR"))
            GTEST_SKIP() << "no test SMTP server (scripts/test.sh starts one: GOVTRACK_TEST_SMTP_PORT)";
        smtpPort = port;
        // Addresses unique to this run: the Maildir is shared by every test.
        tag = std::to_string(::getpid()) + "-" +
              std::to_string(std::chrono::steady_clock::now().time_since_epoch().count() % 1000000000);
        db = "sqlite:" + dir.file("remind.db");
        writeConfig("govtrack.properties", smtpPort);
        writeConfig("broken-smtp.properties", std::to_string(unusedPort()));
        std::ofstream(dir.file("plan.json")) << plan();
        const auto r = run({"import", dir.file("plan.json")});
        ASSERT_EQ(r.exitCode, 0) << r.err;
    }

    static int unusedPort() { return 1; }  // nothing listens on port 1: connection refused at once

    void writeConfig(const std::string& name, const std::string& port) {
        std::ofstream(dir.file(name)) << "govtrack.smtp.host = 127.0.0.1\n"
                                      << "govtrack.smtp.port = " << port << "\n"
                                      << "govtrack.smtp.from = govtrack@example.org\n"
                                      << "govtrack.reminders.catch_up_days = 0\n"
                                      << "govtrack.reminders.web_base_url = https://govtrack.example.org/\n"
                                      << "govtrack.reminders.max_attempts = 5\n";
    }

    std::string email(const std::string& who) const { return who + "." + tag + "@example.org"; }

    std::string plan() const {
        return R"({"format": "govtrack.action-plan", "version": 1,
  "people": [
    {"role_title": "Director of Resources", "email": ")" +
               email("director") + R"("},
    {"role_title": "Head of Finance", "email": ")" +
               email("owner") + R"(", "line_manager": "Director of Resources"},
    {"role_title": "Former Procurement Lead", "email": ")" +
               email("former") + R"(", "line_manager": "Director of Resources", "active": false},
    {"role_title": "Committee Chair", "email": ")" +
               email("chair") + R"("},
    {"role_title": "Committee Secretary", "email": ")" +
               email("secretary") + R"("}],
  "groups": [{"name": "Audit Committee", "kind": "committee",
    "members": [{"role_title": "Committee Chair", "role": "chair"}, {"role_title": "Committee Secretary", "role": "secretary"}]}],
  "engagements": [{"reference": "IA-2025-26-RM", "title": "Reminders", "audit_year": "2025-26", "status": "final",
    "recommendations": [{"number": 1, "title": "Budget monitoring", "text": "Monitor budgets monthly.",
      "priority": "high", "management_response": "accepted",
      "actions": [
        {"number": 1, "description": "Monthly budget packs", "lead_owner": "Head of Finance", "target_date": "2026-03-30", "status": "not_started", "responsible_group": "Audit Committee"},
        {"number": 2, "description": "Variance training", "lead_owner": "Head of Finance", "target_date": "2026-03-29", "status": "in_progress", "responsible_group": "Audit Committee"},
        {"number": 3, "description": "Procurement cards review", "lead_owner": "Former Procurement Lead", "target_date": "2026-03-30", "status": "not_started"},
        {"number": 4, "description": "Already done", "lead_owner": "Head of Finance", "target_date": "2026-03-30", "status": "implemented"}]}]}]})";
    }

    /// Starts `serve` on an ephemeral port with the test's database and configuration; stdout into `out`.
    Poco::ProcessHandle launchServe(Poco::Pipe& out) const {
        return Poco::Process::launch(GOVTRACK_BINARY,
                                     {"--db", db, "--config", dir.file("govtrack.properties"), "serve", "--port", "0"},
                                     dir.path().string(), nullptr, &out, nullptr);
    }

    RunResult run(std::vector<std::string> args, const std::string& config = "govtrack.properties") const {
        std::vector<std::string> full{"--db", db, "--config", dir.file(config)};
        full.insert(full.end(), args.begin(), args.end());
        return runGovtrack(full, dir.path());
    }

    TempDir dir;
    std::string smtpPort, tag, db;
};

TEST_F(Remind, DryRunPrintsTheFridayDigestAndRecordsNothing) {
    const auto early = run({"remind", "--dry-run", "--at", "2026-03-27T07:59"});
    ASSERT_EQ(early.exitCode, 0) << early.err;
    EXPECT_NE(early.out.find("0 reminders in 0 digests"), std::string::npos) << early.out;

    const auto r = run({"remind", "--dry-run", "--at", "2026-03-27T08:00"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    // 1.1 (due Monday) and 1.2 (due Sunday) both land on Friday 27 March at 08:00 GMT, in one digest.
    EXPECT_NE(r.out.find("To: Head of Finance <" + email("owner") + ">"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("Subject: govtrack: 2 due soon (27/03/2026)"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("Reminder: before_due_1 IA-2025-26-RM/1.1 occurrence 2026-03-29 send 2026-03-27 "
                         "2026-03-27T08:00:00Z"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("Reminder: on_due IA-2025-26-RM/1.2 occurrence 2026-03-29 send 2026-03-27"), std::string::npos)
        << r.out;
    // The inactive owner's item goes to their line manager, flagged; the implemented action gets nothing.
    EXPECT_NE(r.out.find("To: Director of Resources <" + email("director") + ">"), std::string::npos);
    EXPECT_NE(r.out.find("IA-2025-26-RM/1.3 occurrence 2026-03-29 send 2026-03-27 2026-03-27T08:00:00Z owner inactive"),
              std::string::npos)
        << r.out;
    EXPECT_EQ(r.out.find("IA-2025-26-RM/1.4"), std::string::npos);
    EXPECT_EQ(r.out.find("To: Former Procurement Lead"), std::string::npos);
    EXPECT_NE(r.out.find("in 2 digests; nothing recorded or sent"), std::string::npos) << r.out;

    const auto status = run({"remind", "status"});
    ASSERT_EQ(status.exitCode, 0) << status.err;
    EXPECT_NE(status.out.find("outbox: pending 0 sending 0 sent 0 failed 0"), std::string::npos) << status.out;
    EXPECT_TRUE(mailsTo(email("owner")).empty());
}

TEST_F(Remind, MondayAfterTheClockChangeSendsAtEightBst) {
    const auto before = run({"remind", "--dry-run", "--at", "2026-03-30T07:59"});
    EXPECT_NE(before.out.find("0 reminders"), std::string::npos) << before.out;
    const auto r = run({"remind", "--dry-run", "--at", "2026-03-30T08:00"});
    EXPECT_NE(r.out.find("Reminder: on_due IA-2025-26-RM/1.1 occurrence 2026-03-30 send 2026-03-30 "
                         "2026-03-30T07:00:00Z"),
              std::string::npos)
        << r.out;
}

TEST_F(Remind, TwoProcessesRacingTheSameSweepSendOneDigestEach) {
    RunResult a, b;
    std::thread ta([&] { a = run({"remind", "--once", "--at", "2026-03-27T08:00"}); });
    std::thread tb([&] { b = run({"remind", "--once", "--at", "2026-03-27T08:00"}); });
    ta.join();
    tb.join();
    ASSERT_EQ(a.exitCode, 0) << a.err;
    ASSERT_EQ(b.exitCode, 0) << b.err;
    // Between them the two sweeps recorded each reminder once: 4 reminders (3 for the owner) in 2 digests.
    std::smatch m;
    int recorded = 0;
    for (const auto* out : {&a.out, &b.out}) {
        ASSERT_TRUE(std::regex_search(*out, m, std::regex("recorded (\\d+) reminder"))) << *out;
        recorded += std::stoi(m[1]);
    }
    EXPECT_EQ(recorded, 4) << a.out << b.out;

    // A third sweep at the same minute (a restart) records nothing.
    const auto again = run({"remind", "--once", "--at", "2026-03-27T08:00"});
    EXPECT_NE(again.out.find("recorded 0 reminders in 0 digests"), std::string::npos) << again.out;

    const auto owner = mailsTo(email("owner"));
    ASSERT_EQ(owner.size(), 1u) << "one digest, received once";
    EXPECT_EQ(owner[0].subject, "govtrack: 2 due soon (27/03/2026)");
    EXPECT_NE(owner[0].body.find("Content-Type: multipart/alternative"), std::string::npos);
    EXPECT_NE(owner[0].body.find("text/plain"), std::string::npos);
    EXPECT_NE(owner[0].body.find("text/html"), std::string::npos);
    EXPECT_NE(owner[0].body.find("IA-2025-26-RM/1.1 Budget monitoring: Monthly budget packs"), std::string::npos)
        << owner[0].body;
    EXPECT_NE(owner[0].body.find("IA-2025-26-RM/1.2 Budget monitoring: Variance training"), std::string::npos);
    EXPECT_NE(owner[0].body.find("https://govtrack.example.org/#/actions/"), std::string::npos);
    const auto director = mailsTo(email("director"));
    ASSERT_EQ(director.size(), 1u);
    EXPECT_NE(director[0].body.find("[owner inactive]"), std::string::npos) << director[0].body;
    EXPECT_TRUE(mailsTo(email("former")).empty());

    const auto status = run({"remind", "status"});
    EXPECT_NE(status.out.find("outbox: pending 0 sending 0 sent 2 failed 0"), std::string::npos) << status.out;
}

TEST_F(Remind, ADeliveryThatFailedTwiceThenSucceedsArrivesOnce) {
    const auto first = run({"remind", "--once", "--at", "2026-03-30T08:00"}, "broken-smtp.properties");
    ASSERT_EQ(first.exitCode, 0) << first.err;
    EXPECT_NE(first.out.find("recorded 2 reminders in 2 digests; delivery: sent 0, retrying 2, failed 0"),
              std::string::npos)
        << first.out;
    // Back-off: 60 s after the first failure, 120 s after the second.
    const auto tooSoon = run({"remind", "--once", "--at", "2026-03-30T08:00:30"}, "broken-smtp.properties");
    EXPECT_NE(tooSoon.out.find("sent 0, retrying 0, failed 0"), std::string::npos) << tooSoon.out;
    const auto second = run({"remind", "--once", "--at", "2026-03-30T08:01"}, "broken-smtp.properties");
    EXPECT_NE(second.out.find("recorded 0 reminders in 0 digests; delivery: sent 0, retrying 2"), std::string::npos)
        << second.out;
    const auto status = run({"remind", "status"});
    EXPECT_NE(status.out.find("outbox: pending 2 sending 0 sent 0 failed 0"), std::string::npos) << status.out;
    EXPECT_NE(status.out.find("attempts 2  next 2026-03-30T07:03:00Z  last error: SMTP 127.0.0.1:1:"),
              std::string::npos)
        << status.out;
    EXPECT_TRUE(mailsTo(email("owner")).empty());

    const auto third = run({"remind", "--once", "--at", "2026-03-30T08:03"});
    EXPECT_NE(third.out.find("delivery: sent 2, retrying 0, failed 0"), std::string::npos) << third.out;
    const auto later = run({"remind", "--once", "--at", "2026-03-30T09:00"});
    EXPECT_NE(later.out.find("recorded 0 reminders in 0 digests; delivery: sent 0"), std::string::npos) << later.out;
    const auto owner = mailsTo(email("owner"));
    ASSERT_EQ(owner.size(), 1u);
    EXPECT_EQ(owner[0].subject, "govtrack: 1 due soon (30/03/2026)");
    EXPECT_NE(owner[0].body.find("due today"), std::string::npos) << owner[0].body;
}

TEST_F(Remind, ParksAMessageAsFailedAfterMaxAttempts) {
    run({"remind", "--once", "--at", "2026-03-30T08:00"}, "broken-smtp.properties");
    for (const char* at : {"2026-03-30T08:01", "2026-03-30T08:03", "2026-03-30T08:07", "2026-03-30T08:15"}) {
        run({"remind", "--once", "--at", at}, "broken-smtp.properties");
    }
    const auto status = run({"remind", "status"});
    EXPECT_NE(status.out.find("outbox: pending 0 sending 0 sent 0 failed 2"), std::string::npos) << status.out;
    EXPECT_NE(status.out.find("failed  "), std::string::npos);
    // A parked message is not retried.
    const auto after = run({"remind", "--once", "--at", "2026-03-31T08:00"});
    EXPECT_NE(after.out.find("delivery: sent 0, retrying 0, failed 0"), std::string::npos) << after.out;
}

TEST_F(Remind, BadInputIsOneClearLine) {
    auto r = run({"remind", "--dry-run", "--at", "30/03/2026 08:00"});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find("--at: '30/03/2026 08:00' is not a local time YYYY-MM-DDTHH:MM"), std::string::npos) << r.err;
    r = run({"remind"});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find("exactly one of --dry-run or --once"), std::string::npos) << r.err;
    std::ofstream(dir.file("bad.properties")) << "govtrack.reminders.send_time = 8am\n";
    r = run({"remind", "--dry-run"}, "bad.properties");
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find("govtrack.reminders.send_time: '8am' is not a local time HH:MM"), std::string::npos) << r.err;
    std::ofstream(dir.file("typo.properties")) << "govtrack.reminders.policy.urgent.on_due = true\n";
    r = run({"remind", "--dry-run"}, "typo.properties");
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find("unknown key 'govtrack.reminders.policy.urgent.on_due'"), std::string::npos) << r.err;
    r = run({"remind", "ical-token", "Nobody Here"});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find("No person has the role title 'Nobody Here'"), std::string::npos) << r.err;
}

TEST_F(Remind, PolicyAndHolidaysComeFromConfiguration) {
    std::ofstream(dir.file("holidays.txt")) << "# test\n2026-03-27 invented holiday\n";
    std::ofstream(dir.file("custom.properties"))
        << "govtrack.reminders.catch_up_days = 0\n"
        << "govtrack.reminders.holidays_file = " << dir.file("holidays.txt") << "\n"
        << "govtrack.reminders.send_time = 09:30\n"
        << "govtrack.reminders.policy.high.days_before = 3\n";
    // Friday 27 is now a holiday: the before-due reminders move to Thursday 26, and there is no 1-day rule.
    const auto r = run({"remind", "--dry-run", "--at", "2026-03-26T09:30"}, "custom.properties");
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_NE(r.out.find("Reminder: on_due IA-2025-26-RM/1.2 occurrence 2026-03-29 send 2026-03-26 "
                         "2026-03-26T09:30:00Z"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("Reminder: before_due_3 IA-2025-26-RM/1.2 occurrence 2026-03-26"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("before_due_1"), std::string::npos) << r.out;
}

std::string adminToken;  // for the outbox (admins only); the feed needs none

govtrack::test::HttpReply get(unsigned short port, const std::string& path) {
    return govtrack::test::httpRequest(port, "GET", path, adminToken);
}

/// The port `serve` prints on its first line ("... at http://127.0.0.1:PORT/ ..."), 0 if it printed none;
/// `line` keeps what it printed.
unsigned short servePort(std::istream& out, std::string& line) {
    std::getline(out, line);
    std::smatch m;
    if (!std::regex_search(line, m, std::regex("http://127\\.0\\.0\\.1:([0-9]+)/"))) return 0;
    return static_cast<unsigned short>(std::stoi(m[1]));
}

/// Stops a launched `serve` however the test ends (an ASSERT returning early must not leave it running).
struct StopOnExit {
    Poco::ProcessHandle& process;
    bool stopped = false;
    ~StopOnExit() {
        if (stopped) return;
        try {
            Poco::Process::requestTermination(process.id());
            process.wait();
        } catch (...) {
        }
    }
};

TEST_F(Remind, ServeRunsTheSchedulerServesFeedsAndTheOutboxAndStopsOnSigterm) {
    // A real sweep first, so the outbox has something to show.
    ASSERT_EQ(run({"remind", "--once", "--at", "2026-03-27T08:00"}).exitCode, 0);
    const auto issued = run({"remind", "ical-token", "Head of Finance"});
    ASSERT_EQ(issued.exitCode, 0) << issued.err;
    const std::string token = issued.out.substr(0, issued.out.find('\n'));
    ASSERT_EQ(token.size(), 64u) << issued.out;
    EXPECT_NE(issued.err.find("https://govtrack.example.org/ical/" + token + ".ics"), std::string::npos) << issued.err;
    adminToken =
        govtrack::test::createApiToken([&](const std::vector<std::string>& args) { return run(args); }, "ops", "admin");
    ASSERT_FALSE(adminToken.empty());

    Poco::Pipe outPipe;
    Poco::ProcessHandle process = launchServe(outPipe);
    StopOnExit guard{process};
    Poco::PipeInputStream out(outPipe);
    std::string line;
    const auto port = servePort(out, line);
    ASSERT_NE(port, 0) << line;
    std::getline(out, line);
    EXPECT_NE(line.find("reminders: on, sweep every 5 min at 8:00 Europe/London"), std::string::npos) << line;

    const auto feed = get(port, "/ical/" + token + ".ics");
    ASSERT_EQ(feed.status, 200) << feed.body;
    EXPECT_EQ(feed.contentType, "text/calendar; charset=utf-8");
    std::ofstream(dir.file("feed.ics"), std::ios::binary) << feed.body;
    std::ofstream(dir.file("parse.py")) << "import sys, icalendar\n"
                                           "cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())\n"
                                           "assert cal['VERSION'] == '2.0'\n"
                                           "for ev in sorted(cal.walk('VEVENT'), key=lambda e: str(e['SUMMARY'])):\n"
                                           "    print(ev['UID'], ev.decoded('DTSTART').isoformat(), "
                                           "ev.decoded('DTEND').isoformat(), ev['SUMMARY'], ev['URL'], "
                                           "ev.decoded('DTSTAMP').isoformat(), sep='|')\n";
    const std::string cmd = "/usr/bin/python3 " + shellQuote(dir.file("parse.py")) + " " +
                            shellQuote(dir.file("feed.ics")) + " > " + shellQuote(dir.file("parsed.txt")) + " 2>&1";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << slurp(dir.file("parsed.txt"));
    const std::string events = slurp(dir.file("parsed.txt"));
    std::vector<std::string> lines;
    std::istringstream in(events);
    for (std::string l; std::getline(in, l);) lines.push_back(l);
    // The owner's three open actions (implemented is still open until verified); not the inactive lead's.
    ASSERT_EQ(lines.size(), 3u) << events;
    std::regex event(
        "([0-9a-f-]+)@govtrack\\|(\\d{4}-\\d\\d-\\d\\d)\\|(\\d{4}-\\d\\d-\\d\\d)\\|(.*)\\|"
        "https://govtrack\\.example\\.org/#/actions/([0-9a-f-]+)\\|2026-01-05T12:00:00\\+00:00");
    std::vector<std::smatch> found(3);
    for (int i = 0; i < 3; ++i) {
        ASSERT_TRUE(std::regex_match(lines[static_cast<std::size_t>(i)], found[static_cast<std::size_t>(i)], event))
            << lines[static_cast<std::size_t>(i)];
        EXPECT_EQ(found[static_cast<std::size_t>(i)][1],
                  found[static_cast<std::size_t>(i)][5]);  // UID and URL: the action id
    }
    EXPECT_EQ(found[0][2], "2026-03-30");
    EXPECT_EQ(found[0][3], "2026-03-31");
    EXPECT_EQ(found[0][4], "IA-2025-26-RM/1.1 Budget monitoring: Monthly budget packs");
    EXPECT_EQ(found[1][2], "2026-03-29");
    EXPECT_EQ(found[1][4], "IA-2025-26-RM/1.2 Budget monitoring: Variance training");
    EXPECT_EQ(found[2][4], "IA-2025-26-RM/1.4 Budget monitoring: Already done");
    // Stable UIDs: the same feed again has the same ones.
    EXPECT_EQ(get(port, "/ical/" + token + ".ics").body, feed.body);

    EXPECT_EQ(get(port, "/ical/" + std::string(64, 'a') + ".ics").status, 404);
    EXPECT_EQ(get(port, "/ical/" + token).status, 404);

    const auto outbox = get(port, "/api/v1/admin/outbox");
    ASSERT_EQ(outbox.status, 200) << outbox.body;
    const auto json = nlohmann::json::parse(outbox.body);
    EXPECT_EQ(json["counts"]["sent"], 2);
    EXPECT_EQ(json["total"], 2);
    EXPECT_EQ(get(port, "/api/v1/admin/outbox?status=failed").status, 200);
    EXPECT_EQ(get(port, "/api/v1/admin/outbox?status=lost").status, 400);

    const auto revoked = run({"remind", "ical-token", "Head of Finance", "--revoke"});
    EXPECT_NE(revoked.out.find("revoked 1 feed token of Head of Finance"), std::string::npos) << revoked.out;
    EXPECT_EQ(get(port, "/ical/" + token + ".ics").status, 404);

    Poco::Process::requestTermination(process.id());
    EXPECT_EQ(process.wait(), 0);
    guard.stopped = true;
    std::string rest;
    Poco::StreamCopier::copyToString(out, rest);
    EXPECT_NE(rest.find("govtrack stopped"), std::string::npos) << rest;
}

TEST_F(Remind, ServeDeliversAChaseAtOnceNotAtTheNextDeliveryTick) {
    // Delivery every hour: only the wake-up a chase gives the worker can deliver within the test.
    std::ofstream(dir.file("govtrack.properties"), std::ios::app) << "govtrack.reminders.deliver_seconds = 3600\n";
    const std::string secretariat = govtrack::test::createApiToken(
        [&](const std::vector<std::string>& args) { return run(args); }, "officer", "secretariat");
    ASSERT_FALSE(secretariat.empty());

    Poco::Pipe outPipe;
    Poco::ProcessHandle process = launchServe(outPipe);
    StopOnExit guard{process};
    Poco::PipeInputStream out(outPipe);
    std::string line;
    const auto port = servePort(out, line);
    ASSERT_NE(port, 0) << line;
    std::getline(out, line);  // "reminders: on, ..."

    // Chase every open action of the owner (1.1 and 1.2; 1.4 is implemented and skipped).
    const auto chased = govtrack::test::httpRequest(port, "POST", "/api/v1/actions/chase?owner=Head%20of%20Finance",
                                                    secretariat, std::string(R"({"note":"Budget pack due"})"));
    ASSERT_EQ(chased.status, 200) << chased.body;
    const auto json = nlohmann::json::parse(chased.body);
    EXPECT_EQ(json["chased"], 2);
    EXPECT_EQ(json["skipped"], 1);
    EXPECT_EQ(json["digests"], 1);
    EXPECT_EQ(json["email_delivery"], true);  // SMTP is configured: the UI may promise the mail

    std::vector<Mail> mails;
    for (int i = 0; i < 100 && mails.empty(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        mails = mailsTo(email("owner"));
    }
    ASSERT_EQ(mails.size(), 1u) << "the chase was not delivered within 10 s";
    // An account that acts as no person is named by its display name (here the username).
    EXPECT_EQ(mails[0].subject, "govtrack: officer asks for an update on 2 actions (05/01/2026)");
    EXPECT_NE(mails[0].body.find("Budget pack due"), std::string::npos) << mails[0].body;
    EXPECT_NE(mails[0].body.find("https://govtrack.example.org/#/actions/"), std::string::npos);

    Poco::Process::requestTermination(process.id());
    EXPECT_EQ(process.wait(), 0);
    guard.stopped = true;
}

}  // namespace
}  // namespace govtrack::test
