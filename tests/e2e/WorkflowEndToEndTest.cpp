// The workflow verbs end to end on the worked example (today is fixed at 5 January 2026, FixedNow.cpp).
#include <cstdlib>
#include <fstream>
#include <regex>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "RunBinary.h"
#include "TempDir.h"

using govtrack::test::runGovtrack;
using govtrack::test::sourcePath;
using nlohmann::json;

namespace {

class WorkflowEndToEnd : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_EQ(run({"import", sourcePath("docs/examples/performance-management-2024-25.json")}).exitCode, 0);
    }
    govtrack::test::RunResult run(std::vector<std::string> args) {
        args.insert(args.begin(), {"--db", "sqlite:" + dir.file("govtrack.db")});
        return runGovtrack(args, dir.path().string());
    }
    json recommendation(int number) {
        const auto r = run({"report", "follow-up", "--format", "json"});
        const json report = json::parse(r.out);  // kept alive: a range-for over a temporary's member dangles
        for (const auto& rec : report["recommendations"]) {
            if (rec["number"] == number) return rec;
        }
        return {};
    }
    govtrack::test::TempDir dir;
};

}  // namespace

TEST_F(WorkflowEndToEnd, ClaimVerifyAndEveryStepIsOnTheAuditTrail) {
    auto noEvidence =
        run({"action", "move", "IA-2024-25-PM/1.1", "--to", "implemented", "--as", "Head of People & Place"});
    EXPECT_EQ(noEvidence.exitCode, 2);
    EXPECT_NE(noEvidence.err.find("needs evidence"), std::string::npos) << noEvidence.err;

    std::ofstream(dir.file("objectives.txt")) << "Objectives are recorded for every role.\n";
    auto claim = run({"action", "move", "IA-2024-25-PM/1.1", "--to", "implemented", "--as", "head of people & place",
                      "--attach", "objectives.txt"});
    ASSERT_EQ(claim.exitCode, 0) << claim.err;
    EXPECT_NE(claim.out.find("is now implemented"), std::string::npos) << claim.out;
    // The auditor sees the evidence and can fetch it, byte for byte.
    const auto show = run({"action", "show", "IA-2024-25-PM/1.1"});
    ASSERT_EQ(show.exitCode, 0) << show.err;
    std::smatch evidence;
    ASSERT_TRUE(std::regex_search(show.out, evidence,
                                  std::regex("evidence ([0-9a-f-]+) added .*objectives\\.txt "
                                             "\\(text/plain, 40 bytes")))
        << show.out;
    ASSERT_EQ(run({"evidence", "get", evidence[1], "--output", "copy.txt"}).exitCode, 0);
    EXPECT_EQ(govtrack::test::slurp(dir.file("copy.txt")), "Objectives are recorded for every role.\n");

    auto illegal = run({"action", "move", "IA-2024-25-PM/2.1", "--to", "verified", "--as", "Internal Audit Manager"});
    EXPECT_EQ(illegal.exitCode, 2);
    EXPECT_NE(illegal.err.find("is in_progress; it can move to"), std::string::npos) << illegal.err;

    auto verify = run({"action", "move", "IA-2024-25-PM/1.1", "--to", "verified", "--as", "Internal Audit Manager"});
    ASSERT_EQ(verify.exitCode, 0) << verify.err;
    EXPECT_EQ(recommendation(1)["status"], "implemented");
    EXPECT_EQ(recommendation(1)["actions"][0]["auditor_assessment"], "Verified");

    auto audit = run({"verify-audit-log"});
    EXPECT_EQ(audit.exitCode, 0) << audit.err;
}

TEST_F(WorkflowEndToEnd, ARevisedDateIsRoutedDecidedAndReported) {
    auto ask = run({"action", "request-date", "IA-2024-25-PM/1.1", "--date", "Mar 2026", "--reason",
                    "Enabling functions' workshops run to March", "--as",
                    "Organisational Design and Strategic Capability Lead"});
    ASSERT_EQ(ask.exitCode, 0) << ask.err;
    EXPECT_NE(ask.out.find("routed to Benefit Performance Review Group"), std::string::npos) << ask.out;
    std::smatch id;
    ASSERT_TRUE(std::regex_search(ask.out, id, std::regex("request ([0-9a-f-]+) for")));

    auto list = run({"request", "list", "--group", "Benefit Performance Review Group"});
    EXPECT_NE(list.out.find(id[1].str().substr(0, 8) +
                            "  IA-2024-25-PM 1.1 (medium)  Dec 2025 -> Mar 2026 (total slip 90 days)"),
              std::string::npos)
        << list.out;

    auto wrongGroup = run({"request", "decide", id[1], "--approve", "--group", "Risk and Reputation Group", "--as",
                           "Governance Officer"});
    EXPECT_EQ(wrongGroup.exitCode, 2);
    EXPECT_NE(wrongGroup.err.find("does not hold approve_revised_date"), std::string::npos) << wrongGroup.err;

    auto decide = run({"request", "decide", id[1], "--approve", "--as", "Deputy Director of Health and Social Care",
                       "--decision-ref", "BPRG 05/01/2026 item 2"});
    ASSERT_EQ(decide.exitCode, 0) << decide.err;
    const auto rec = recommendation(1);
    EXPECT_EQ(rec["current_target_date"], "2026-03");
    EXPECT_EQ(rec["revisions"], 1);
    EXPECT_EQ(rec["actions"][0]["total_slip_days"], 90);
    EXPECT_EQ(rec["days_overdue"], 0);
}

TEST_F(WorkflowEndToEnd, MeetingPackIsExceptionFirst) {
    auto pack = run({"report", "meeting-pack", "--group", "Benefit Performance Review Group", "--format", "json"});
    ASSERT_EQ(pack.exitCode, 0) << pack.err;
    const auto j = json::parse(pack.out);
    EXPECT_EQ(j["counts"]["overdue"], 2);
    EXPECT_EQ(j["overdue"][0]["action"], "IA-2024-25-PM 2.1");  // most days overdue first
    // A request on one of its actions that only the Executive Team may approve is shown as escalated.
    ASSERT_EQ(run({"action", "request-date", "IA-2024-25-PM/1.1", "--date", "Jun 2026", "--reason", "New HR system",
                   "--as", "Organisational Design and Strategic Capability Lead"})
                  .exitCode,
              0);
    const auto after = json::parse(
        run({"report", "meeting-pack", "--group", "Benefit Performance Review Group", "--format", "json"}).out);
    ASSERT_EQ(after["decisions_to_escalate"].size(), 1u);
    EXPECT_EQ(after["decisions_to_escalate"][0]["escalate_to"], "Executive Team");
    EXPECT_EQ(after["decisions_to_escalate"][0]["total_slip_days"], 181);  // 31 Dec 2025 to 30 Jun 2026
    const auto et = json::parse(run({"report", "meeting-pack", "--group", "Executive Team", "--format", "json"}).out);
    EXPECT_EQ(et["counts"]["decisions_to_take"], 1);
    auto html = run({"report", "meeting-pack", "--group", "Benefit Performance Review Group"});
    ASSERT_EQ(html.exitCode, 0) << html.err;
    EXPECT_NE(html.out.find("<h2>Overdue</h2>"), std::string::npos);
    const auto forum =
        json::parse(run({"report", "meeting-pack", "--group", "Performance Forum", "--format", "json"}).out);
    EXPECT_EQ(forum["group"], "Benefit Performance Review Group");
    EXPECT_EQ(forum["note"],
              "Performance Forum was superseded (in force until Jun 2025); this is the pack of Benefit Performance "
              "Review Group, which took over its items");
    auto unknown = run({"report", "meeting-pack", "--group", "No Such Group"});
    EXPECT_EQ(unknown.exitCode, 2);
}

// Found by a user trial: a pack for a past meeting showed today's data.
TEST_F(WorkflowEndToEnd, AMeetingPackForAPastDateShowsThatDay) {
    // On 5 January (the fixed "today" of these tests) a request goes to the group...
    ASSERT_EQ(run({"action", "request-date", "IA-2024-25-PM/1.1", "--date", "Mar 2026", "--reason", "Workshops", "--as",
                   "Organisational Design and Strategic Capability Lead"})
                  .exitCode,
              0);
    // ...and on 20 January it is approved.
    const std::vector<govtrack::test::EnvChange> later = {{"GOVTRACK_FIXED_NOW", "2026-01-20T12:00:00Z"}};
    const auto list =
        runGovtrack({"--db", "sqlite:" + dir.file("govtrack.db"), "request", "list"}, dir.path().string(), later);
    const auto id = list.out.substr(0, 8);
    ASSERT_EQ(runGovtrack({"--db", "sqlite:" + dir.file("govtrack.db"), "request", "decide", id, "--approve", "--as",
                           "Deputy Director of Health and Social Care", "--decision-ref", "BPRG 20/01/2026"},
                          dir.path().string(), later)
                  .exitCode,
              0);
    auto pack = [&](const std::string& date) {
        const auto r = runGovtrack({"--db", "sqlite:" + dir.file("govtrack.db"), "report", "meeting-pack", "--group",
                                    "Benefit Performance Review Group", "--date", date, "--format", "json"},
                                   dir.path().string(), later);
        EXPECT_EQ(r.exitCode, 0) << r.err;
        return json::parse(r.out);
    };
    const auto before = pack("2026-01-10");  // the decision was still to take
    EXPECT_EQ(before["counts"]["decisions_to_take"], 1);
    EXPECT_EQ(before["counts"]["overdue"], 2);
    const auto after = pack("2026-01-20");  // approved: 1.1 is due in March, only 2.1 is overdue
    EXPECT_EQ(after["counts"]["decisions_to_take"], 0);
    EXPECT_EQ(after["counts"]["overdue"], 1);
}

// Found by an attack run: a file swapped in the database was handed out and passed verify-audit-log.
TEST_F(WorkflowEndToEnd, ASwappedEvidenceFileIsRefusedAndNamed) {
    std::ofstream(dir.file("minutes.txt")) << "Minutes: objectives agreed.\n";
    ASSERT_EQ(run({"action", "update", "IA-2024-25-PM/1.1", "--text", "minutes attached", "--as",
                   "Head of People & Place", "--attach", "minutes.txt"})
                  .exitCode,
              0);
    const auto show = run({"action", "show", "IA-2024-25-PM/1.1"});
    std::smatch evidence;
    ASSERT_TRUE(std::regex_search(show.out, evidence, std::regex("evidence ([0-9a-f-]+) added"))) << show.out;
    const std::string swap = "sqlite3 " + govtrack::test::shellQuote(dir.file("govtrack.db")) +
                             " \"UPDATE evidence SET content = X'4556494C' WHERE id = '" + evidence[1].str() + "'\"";
    ASSERT_EQ(std::system(swap.c_str()), 0);
    EXPECT_EQ(run({"evidence", "get", evidence[1], "--output", "swapped.txt"}).exitCode, 1);
    const auto verify = run({"verify-audit-log"});
    EXPECT_EQ(verify.exitCode, 1);
    EXPECT_NE(verify.err.find("no longer matches its recorded SHA-256"), std::string::npos) << verify.err;
}
