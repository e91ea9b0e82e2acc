// The binary end to end on a real SQLite file: import the worked example, report, refuse bad input.
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "RunBinary.h"
#include "TempDir.h"

using govtrack::test::runGovtrack;
using govtrack::test::sourcePath;
using nlohmann::json;

namespace {

const std::string kExampleJson = sourcePath("docs/examples/performance-management-2024-25.json");
const std::string kExampleCsv = sourcePath("docs/examples/performance-management-2024-25.csv");

class CliEndToEnd : public ::testing::Test {
protected:
    govtrack::test::TempDir dir;
    std::string db() const { return "sqlite:" + dir.file("govtrack.db"); }

    govtrack::test::RunResult run(std::vector<std::string> args) {
        args.insert(args.begin(), {"--db", db()});
        return runGovtrack(args, dir.path().string());
    }

    json followUp(const std::string& asOf) {
        auto r = run({"report", "follow-up", "--as-of", asOf, "--format", "json"});
        EXPECT_EQ(r.exitCode, 0) << r.err;
        return json::parse(r.out);
    }

    std::string write(const std::string& name, const std::string& content) {
        std::ofstream(dir.file(name), std::ios::binary) << content;
        return dir.file(name);
    }

    static const json& rec(const json& report, int number) {
        for (const auto& r : report["recommendations"]) {
            if (r["number"] == number) return r;
        }
        throw std::runtime_error("recommendation not in report");
    }

    /// The checks the issue names for the worked example, whichever file it came from.
    static void expectWorkedExample(const json& report) {
        ASSERT_EQ(report["recommendations"].size(), 3u);
        EXPECT_EQ(report["totals"]["by_priority"]["medium"], 3);
        EXPECT_EQ(report["totals"]["by_priority"]["high"], 0);
        EXPECT_EQ(rec(report, 3)["management_response"], "risk_tolerated");
        EXPECT_EQ(rec(report, 3)["status"], "risk_accepted");
        const json& r1 = rec(report, 1);
        EXPECT_EQ(r1["target_date"], "2025-12");
        EXPECT_EQ(r1["target_date_display"], "Dec 2025");
        EXPECT_NE(r1["status"], "implemented");
        EXPECT_EQ(r1["days_overdue"], 5);  // due 31 Dec 2025, as of 5 Jan 2026
        EXPECT_EQ(r1["actions"][0]["rag"], "red");
        EXPECT_EQ(r1["owners"][0], "Organisational Design and Strategic Capability Lead");
        EXPECT_EQ(r1["owners"][1], "Head of People & Place");
        EXPECT_EQ(rec(report, 2)["target_date"], "2025-06");
        EXPECT_EQ(rec(report, 2)["owners"].size(), 3u);
        EXPECT_TRUE(rec(report, 3)["target_date"].is_null());
        EXPECT_EQ(rec(report, 3)["days_overdue"], 0);
    }
};

}  // namespace

TEST_F(CliEndToEnd, WorkedExampleFromJson) {
    auto imported = run({"import", kExampleJson});
    ASSERT_EQ(imported.exitCode, 0) << imported.err;
    const json report = followUp("2026-01-05");
    EXPECT_EQ(report["as_of"], "2026-01-05");
    expectWorkedExample(report);
}

TEST_F(CliEndToEnd, WorkedExampleFromCsvTracker) {
    // A tracker names governance groups (who oversees each action, who accepted a risk); they are set up
    // first, as a secretariat would: the organisation part of the worked example (units, people, groups,
    // risks), without its engagements.
    std::ifstream in(kExampleJson);
    json organisation = json::parse(in);
    organisation.erase("engagements");
    write("organisation.json", organisation.dump(2));
    ASSERT_EQ(run({"import", "organisation.json"}).exitCode, 0);
    auto imported = run({"import", kExampleCsv});
    ASSERT_EQ(imported.exitCode, 0) << imported.err;
    expectWorkedExample(followUp("2026-01-05"));
}

TEST_F(CliEndToEnd, NotOverdueOnTheDueDate) {
    // Run on the due date itself: a date before the import would be rebuilt from the audit trail (empty).
    const std::vector<govtrack::test::EnvChange> onDueDate{{"GOVTRACK_FIXED_NOW", "2025-12-31T12:00:00Z"}};
    ASSERT_EQ(runGovtrack({"--db", db(), "import", kExampleJson}, dir.path().string(), onDueDate).exitCode, 0);
    const auto r = runGovtrack({"--db", db(), "report", "follow-up", "--as-of", "2025-12-31", "--format", "json"},
                               dir.path().string(), onDueDate);
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const json report = json::parse(r.out);
    EXPECT_EQ(rec(report, 1)["days_overdue"], 0);
    EXPECT_EQ(rec(report, 1)["actions"][0]["rag"], "amber");
}

TEST_F(CliEndToEnd, ReimportDoesNotDuplicate) {
    ASSERT_EQ(run({"import", kExampleJson}).exitCode, 0);
    ASSERT_EQ(run({"import", kExampleJson}).exitCode, 0);
    ASSERT_EQ(run({"import", kExampleCsv}).exitCode, 0);  // the same plan as a tracker
    const json report = followUp("2026-01-05");
    EXPECT_EQ(report["recommendations"].size(), 3u);
    EXPECT_EQ(report["totals"]["actions"], 3);
}

TEST_F(CliEndToEnd, ATrackerNamingUnknownGroupsIsRefused) {
    auto r = run({"import", kExampleCsv});  // into an empty database: no groups yet
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find("responsible group 'Benefit Performance Review Group' is not defined"), std::string::npos)
        << r.err;
}

TEST_F(CliEndToEnd, BadCsvIsRefusedWholeWithEveryProblemAndChangesNothing) {
    ASSERT_EQ(run({"import", kExampleJson}).exitCode, 0);
    const std::string before = run({"report", "follow-up", "--as-of", "2026-01-05", "--format", "json"}).out;
    const std::string bad = write("bad.csv",
                                  "Engagement reference,Rec No,Priority,Action description,Owners,Target date\n"
                                  "IA-2024-25-PM,4,Medium,A new action that must not land,Product Owner,Dec 2026\n"
                                  "IA-2024-25-PM,5,Urgent,Unknown priority,Product Owner,01/03/2026\n"
                                  "IA-2024-25-PM,6,Low,Impossible date,Product Owner,31/02/2025\n"
                                  "IA-2024-25-PM,,Low,Missing recommendation number,Product Owner,01/03/2026\n"
                                  "IA-2024-25-PM,7,Low,Too many cells,Product Owner,01/03/2026,extra\n");
    auto r = run({"import", bad});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find(bad + ":3: "), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("Urgent"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(bad + ":4: "), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("31/02/2025"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(bad + ":5: "), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(bad + ":6: "), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find(bad + ":2: "), std::string::npos) << "the good row is not a problem: " << r.err;
    const std::string after = run({"report", "follow-up", "--as-of", "2026-01-05", "--format", "json"}).out;
    EXPECT_EQ(after, before);  // the good row 2 did not land either
}

TEST_F(CliEndToEnd, MalformedJsonNamesLineAndColumn) {
    const std::string bad = write("bad.json", "{\n  \"engagements\": [\n    { \"reference\": \"X\", }\n  ]\n}\n");
    auto r = run({"import", bad});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find(bad + ":3:"), std::string::npos) << r.err;
}

TEST_F(CliEndToEnd, UsageErrorsAreOneLineAndExitTwo) {
    for (const std::vector<std::string>& args : {std::vector<std::string>{"frobnicate"},
                                                 {"report", "follow-up", "--format", "pdf"},
                                                 {"report", "follow-up", "--as-of", "2026-02-30"},
                                                 {"import", "missing.json"},
                                                 {"import", "plan.txt"},
                                                 {"report", "follow-up", "--engagement", "IA-404"},
                                                 {"--no-such-option"},
                                                 {"report", "follow-up", "--dry-run"},
                                                 {"migrate", "--to", "x"}}) {
        auto r = run(args);
        EXPECT_EQ(r.exitCode, 2) << args[0] << ": " << r.err;
        EXPECT_NE(r.err.find("govtrack: "), std::string::npos) << r.err;
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    }
}

TEST_F(CliEndToEnd, ReportOnAMissingDatabaseIsRefusedNotAnEmptyAllClear) {
    auto r = run({"report", "follow-up"});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find("does not exist"), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty());
}

TEST_F(CliEndToEnd, AMisspeltConfigurationKeyIsRefused) {
    write("govtrack.properties", "govtrack.storage.url = sqlite:other.db\n");
    auto r = runGovtrack({"report", "follow-up"}, dir.path().string());
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find("unknown key 'govtrack.storage.url'"), std::string::npos) << r.err;
}

TEST_F(CliEndToEnd, EngagementFilterIgnoresCaseAndDryRunWritesNothing) {
    auto dry = run({"import", kExampleJson, "--dry-run"});
    ASSERT_EQ(dry.exitCode, 0) << dry.err;
    EXPECT_NE(dry.out.find("created action IA-2024-25-PM 1.1"), std::string::npos) << dry.out;
    EXPECT_NE(dry.out.find("dry run, nothing written"), std::string::npos);
    ASSERT_EQ(run({"import", kExampleJson}).exitCode, 0);
    auto r = run({"report", "follow-up", "--engagement", "ia-2024-25-pm", "--format", "json", "--as-of", "2026-01-05"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(json::parse(r.out)["engagement"], "IA-2024-25-PM");
}

TEST_F(CliEndToEnd, CsvReportIsSpreadsheetSafe) {
    const std::string plan =
        write("inj.csv",
              "Engagement reference,Rec No,Recommendation title,Priority,Action description,Owners,Target date\n"
              "IA-X,1,\"=HYPERLINK(\"\"http://evil\"\")\",High,@SUM(A1),Product Owner,2026-03-01\n");
    ASSERT_EQ(run({"import", plan}).exitCode, 0);
    auto r = run({"report", "follow-up", "--format", "csv", "--bom", "--as-of", "2026-01-05"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(r.out.rfind("\xEF\xBB\xBF", 0), 0u);
    EXPECT_NE(r.out.find("\"'=HYPERLINK(\"\"http://evil\"\")\""), std::string::npos) << r.out;
    EXPECT_NE(r.out.find(",'@SUM(A1),"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find(",=HYPERLINK"), std::string::npos);
}

TEST_F(CliEndToEnd, HtmlAndTableReports) {
    ASSERT_EQ(run({"import", kExampleJson}).exitCode, 0);
    auto html = run({"report", "follow-up", "--format", "html", "--as-of", "2026-01-05"});
    ASSERT_EQ(html.exitCode, 0);
    EXPECT_NE(html.out.find("<!DOCTYPE html>"), std::string::npos);
    EXPECT_NE(html.out.find("Head of People &amp; Place"), std::string::npos);  // escaped
    EXPECT_NE(html.out.find("@media print"), std::string::npos);
    auto table = run({"report", "follow-up", "--as-of", "2026-01-05"});
    ASSERT_EQ(table.exitCode, 0);
    EXPECT_NE(table.out.find("Dec 2025"), std::string::npos) << table.out;
    EXPECT_NE(table.out.find("5 days"), std::string::npos) << table.out;
}
