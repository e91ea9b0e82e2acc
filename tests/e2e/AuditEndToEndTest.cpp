// The audit trail end to end on a real SQLite file (SPEC 4.7, 4.8; issue 3 items 6-7): verify-audit-log on
// an intact trail and after the file was edited behind govtrack's back (with the sqlite3 command-line tool),
// and follow-up reports as of an earlier day, rebuilt from the events.
#include <fstream>
#include <regex>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "RunBinary.h"
#include "TempDir.h"

using govtrack::test::runGovtrack;
using govtrack::test::shellQuote;
using govtrack::test::sourcePath;
using nlohmann::json;

namespace {

const std::string kExampleJson = sourcePath("docs/examples/performance-management-2024-25.json");

class AuditEndToEnd : public ::testing::Test {
protected:
    void SetUp() override {
        const auto r = run({"import", kExampleJson});
        ASSERT_EQ(r.exitCode, 0) << r.err;
    }
    std::string file() const { return dir.file("govtrack.db"); }

    govtrack::test::RunResult run(std::vector<std::string> args,
                                  const std::vector<govtrack::test::EnvChange>& env = {}) {
        args.insert(args.begin(), {"--db", "sqlite:" + file()});
        return runGovtrack(args, dir.path().string(), env);
    }
    /// Writes edited.json: the worked example with its first in-progress action (1.1) marked implemented.
    bool writeEditedExample() {
        std::ifstream in(kExampleJson);
        std::stringstream s;
        s << in.rdbuf();
        std::string plan = s.str();
        const std::string from = "\"status\": \"in_progress\"";
        const auto at = plan.find(from);
        if (at == std::string::npos) return false;
        plan.replace(at, from.size(), "\"status\": \"implemented\"");
        std::ofstream(dir.file("edited.json")) << plan;
        return true;
    }
    /// Runs SQL on the database file with the sqlite3 tool, as someone tampering with it would.
    void sql(const std::string& statement) {
        const std::string cmd = "sqlite3 " + shellQuote(file()) + " " + shellQuote(statement);
        ASSERT_EQ(std::system(cmd.c_str()), 0) << statement;
    }
    std::int64_t intact() {
        const auto r = run({"verify-audit-log"});
        EXPECT_EQ(r.exitCode, 0) << r.err;
        std::smatch m;
        EXPECT_TRUE(std::regex_search(r.out, m, std::regex("audit trail intact: ([0-9]+) events verified"))) << r.out;
        return m.empty() ? 0 : std::stoll(m[1]);
    }

    govtrack::test::TempDir dir;
};

}  // namespace

TEST_F(AuditEndToEnd, IntactTrailExitsZeroWithTheCount) {
    const auto count = intact();
    EXPECT_GT(count, 30);
    // Importing the same file again records nothing new; an edit records events.
    ASSERT_EQ(run({"import", kExampleJson}).exitCode, 0);
    EXPECT_EQ(intact(), count);
}

TEST_F(AuditEndToEnd, AlteredRowIsNamed) {
    sql("UPDATE audit_event SET after_state = replace(after_state, 'in_progress', 'verified') WHERE seq = "
        "(SELECT MIN(seq) FROM audit_event WHERE entity_type = 'action')");
    const auto r = run({"verify-audit-log"});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_TRUE(std::regex_search(r.err, std::regex("^govtrack: audit trail broken at event [0-9]+: event [0-9]+ "
                                                    "\\(action [^,]+, create\\): hash does not match its content")))
        << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

// Found by a user trial: editing the data (not the trail) left verify-audit-log saying "intact".
TEST_F(AuditEndToEnd, ARecordChangedOutsideGovtrackIsNamed) {
    sql("UPDATE action SET status = 'verified' WHERE number = 1 AND recommendation_id = "
        "(SELECT id FROM recommendation WHERE number = 1)");
    const auto r = run({"verify-audit-log"});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_NE(r.err.find("action IA-2024-25-PM 1.1 differs from its latest event"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("1 records differ from the audit trail"), std::string::npos) << r.err;
}

TEST_F(AuditEndToEnd, AProgressUpdateOrEvidenceFileChangedOutsideGovtrackIsNamed) {
    sql("UPDATE progress_update SET text = 'All done' WHERE update_date = '2025-11-14'");
    auto r = run({"verify-audit-log"});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_NE(r.err.find("progress update on action IA-2024-25-PM 1.1 (2025-11-14) differs"), std::string::npos)
        << r.err;
}

TEST_F(AuditEndToEnd, DeletedRowIsNamed) {
    sql("DELETE FROM audit_event WHERE seq = 10");
    const auto r = run({"verify-audit-log"});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_NE(r.err.find("broken at event 10: event 10 is missing"), std::string::npos) << r.err;
}

TEST_F(AuditEndToEnd, SwappedRowsAreNamed) {
    // Swap the contents of events 5 and 12, each keeping its seq.
    const std::string cols =
        "at, actor_id, actor_name, entity_type, entity_id, change_kind, before_state, "
        "after_state, reason, prev_hash, hash";
    sql("CREATE TABLE t AS SELECT * FROM audit_event WHERE seq IN (5, 12); "
        "UPDATE audit_event SET (" +
        cols + ") = (SELECT " + cols +
        " FROM t WHERE t.seq = 17 - audit_event.seq) "
        "WHERE seq IN (5, 12); DROP TABLE t;");
    const auto r = run({"verify-audit-log"});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_NE(r.err.find("broken at event 5:"), std::string::npos) << r.err;
}

TEST_F(AuditEndToEnd, AsOfAnEarlierDayShowsTheOldValues) {
    // The example was imported on 5 January 2026 (GOVTRACK_FIXED_NOW, FixedNow.cpp). On 1 February an edited
    // plan marks action 1.1 implemented; reports run on 2 February.
    ASSERT_TRUE(writeEditedExample());
    const govtrack::test::EnvChange feb1{"GOVTRACK_FIXED_NOW", "2026-02-01T10:00:00Z"};
    const govtrack::test::EnvChange feb2{"GOVTRACK_FIXED_NOW", "2026-02-02T10:00:00Z"};
    ASSERT_EQ(run({"import", dir.file("edited.json")}, {feb1}).exitCode, 0);

    auto report = [&](const std::string& date) {
        const auto r = run({"report", "follow-up", "--as-of", date, "--format", "json"}, {feb2});
        EXPECT_EQ(r.exitCode, 0) << r.err;
        return json::parse(r.out);
    };
    auto action11 = [](const json& j) { return j["recommendations"][0]["actions"][0]["status"]; };
    EXPECT_EQ(action11(report("2026-01-05")), "in_progress");
    EXPECT_EQ(action11(report("2026-01-31")), "in_progress");
    EXPECT_EQ(action11(report("2026-02-01")), "implemented");
    EXPECT_EQ(action11(report("2026-02-02")), "implemented");
    EXPECT_TRUE(report("2026-01-04")["recommendations"].empty());  // before the first import

    const auto cmp = run({"report", "follow-up", "--compare", "2026-01-05,2026-02-02", "--format", "json"}, {feb2});
    ASSERT_EQ(cmp.exitCode, 0) << cmp.err;
    const json j = json::parse(cmp.out);
    EXPECT_EQ(j["from"]["as_of"], "2026-01-05");
    EXPECT_EQ(j["to"]["as_of"], "2026-02-02");
    ASSERT_EQ(j["changes"].size(), 1u) << j["changes"].dump();  // rec 1 stays partially implemented
    EXPECT_EQ(j["changes"][0], (json{{"engagement", "IA-2024-25-PM"},
                                     {"recommendation", 1},
                                     {"action", 1},
                                     {"field", "status"},
                                     {"from", "in_progress"},
                                     {"to", "implemented"}}));
    const auto table = run({"report", "follow-up", "--compare", "2026-01-05,2026-02-02"}, {feb2});
    EXPECT_NE(table.out.find("IA-2024-25-PM rec 1 action 1.1: status in_progress -> implemented"), std::string::npos)
        << table.out;
    const auto bad = run({"report", "follow-up", "--compare", "2026-01-05"});
    EXPECT_EQ(bad.exitCode, 2);
    EXPECT_NE(bad.err.find("--compare"), std::string::npos) << bad.err;
}

TEST_F(AuditEndToEnd, DashboardTrendIsTheAsOfReportAtEachMonthEnd) {
    // Imported on 5 January 2026; on 1 February action 1.1 is claimed implemented; the dashboard runs on 10 March.
    ASSERT_TRUE(writeEditedExample());
    ASSERT_EQ(run({"import", dir.file("edited.json")}, {{"GOVTRACK_FIXED_NOW", "2026-02-01T10:00:00Z"}}).exitCode, 0);
    const govtrack::test::EnvChange mar10{"GOVTRACK_FIXED_NOW", "2026-03-10T10:00:00Z"};

    const auto r = run({"report", "dashboard", "--months", "3", "--format", "json"}, {mar10});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const json trend = json::parse(r.out)["trend"];
    ASSERT_EQ(trend.size(), 4u) << trend.dump();
    EXPECT_EQ(trend[0]["date"], "2025-12-31");
    EXPECT_EQ(trend[0]["recorded"], false);  // before the first import
    EXPECT_TRUE(trend[0]["actions"].is_null());
    EXPECT_EQ(trend[1]["date"], "2026-01-31");
    EXPECT_EQ(trend[1]["implemented_claims"], 0);
    EXPECT_EQ(trend[2]["date"], "2026-02-28");
    EXPECT_EQ(trend[2]["implemented_claims"], 1);
    EXPECT_EQ(trend[3]["date"], "2026-03-10");
    EXPECT_EQ(trend[3]["implemented_claims"], 1);
    // Each recorded month end has the figures of the follow-up report as of that day.
    for (std::size_t i = 1; i < 3; ++i) {
        const std::string date = trend[i]["date"];
        const auto report = run({"report", "follow-up", "--as-of", date, "--format", "json"}, {mar10});
        ASSERT_EQ(report.exitCode, 0) << report.err;
        const json j = json::parse(report.out);
        int actions = 0, open = 0, overdue = 0;
        for (const auto& rec : j["recommendations"]) {
            for (const auto& a : rec["actions"]) {
                ++actions;
                const std::string status = a["status"];
                if (status == "not_started" || status == "in_progress" || status == "implemented") ++open;
                if (a["overdue"] == true) ++overdue;
            }
        }
        EXPECT_EQ(trend[i]["recommendations"], j["recommendations"].size()) << date;
        EXPECT_EQ(trend[i]["actions"], actions) << date;
        EXPECT_EQ(trend[i]["open_actions"], open) << date;
        EXPECT_EQ(trend[i]["closed_actions"], actions - open) << date;
        EXPECT_EQ(trend[i]["overdue_actions"], overdue) << date;
        EXPECT_EQ(trend[i]["implemented_percent"], j["totals"]["implemented_percent"]) << date;
    }

    const auto table = run({"report", "dashboard", "--months", "3"}, {mar10});
    ASSERT_EQ(table.exitCode, 0) << table.err;
    EXPECT_NE(table.out.find("31/12/2025    not recorded (the audit trail starts later)"), std::string::npos)
        << table.out;
    EXPECT_NE(table.out.find("Overdue ageing"), std::string::npos) << table.out;

    const auto bad = run({"report", "dashboard", "--months", "37"});
    EXPECT_EQ(bad.exitCode, 2);
    EXPECT_NE(bad.err.find("--months: '37' is not a whole number from 0 to 36"), std::string::npos) << bad.err;
    const auto misplaced = run({"report", "follow-up", "--months", "3"});
    EXPECT_EQ(misplaced.exitCode, 2);
    EXPECT_NE(misplaced.err.find("--months applies to 'report dashboard' only"), std::string::npos) << misplaced.err;
    const auto unknown = run({"report", "dashboard", "--engagement", "IA-NOPE"});
    EXPECT_EQ(unknown.exitCode, 2);
    EXPECT_NE(unknown.err.find("no engagement has the reference 'IA-NOPE'"), std::string::npos) << unknown.err;
}
