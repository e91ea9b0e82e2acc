// Risk registers end to end (issue 4) on the worked example: import, the risk report in every format,
// escalation verbs, history, and bad input refused with one clear line and the database unchanged.
// Today is fixed at 5 January 2026 (FixedNow.cpp).
#include <cstdlib>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "RunBinary.h"
#include "TempDir.h"

using govtrack::test::runGovtrack;
using govtrack::test::sourcePath;
using nlohmann::json;

namespace {

const char* kHeader =
    "register,register_level,escalation_threshold,reference,title,owners,category,current_likelihood,"
    "current_impact,target_likelihood,target_impact,target_reason,parent\n";

class RiskEndToEnd : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_EQ(run({"import", sourcePath("docs/examples/performance-management-2024-25.json")}).exitCode, 0);
        const auto r = run({"import", sourcePath("docs/examples/risk-registers-2025-26.csv")});
        ASSERT_EQ(r.exitCode, 0) << r.err;
    }
    govtrack::test::RunResult run(std::vector<std::string> args) {
        args.insert(args.begin(), {"--db", "sqlite:" + dir.file("govtrack.db")});
        return runGovtrack(args, dir.path().string());
    }
    std::string write(const std::string& name, const std::string& text) {
        std::ofstream(dir.file(name), std::ios::binary) << text;
        return dir.file(name);
    }
    json report() {
        const auto r = run({"report", "risks", "--format", "json"});
        EXPECT_EQ(r.exitCode, 0) << r.err;
        return json::parse(r.out);
    }
    /// The whole state a bad input must leave alone: every risk and the audit trail's length.
    std::string fingerprint() {
        return run({"report", "risks", "--format", "csv"}).out + run({"verify-audit-log"}).out;
    }

    govtrack::test::TempDir dir;
};

TEST_F(RiskEndToEnd, TheWorkedExampleShowsOneEscalationDueAndTheRouteBothWays) {
    const json r = report();
    ASSERT_EQ(r["escalations_due"].size(), 1u) << r.dump(2);
    EXPECT_EQ(r["escalations_due"][0]["reference"], "DR-CSD-03");
    EXPECT_EQ(r["escalations_due"][0]["parent"], "CR-012");
    const json risks = r["risks"];
    std::map<std::string, json> byRef;
    for (const auto& x : risks) byRef[x["reference"].get<std::string>()] = x;
    ASSERT_EQ(byRef.size(), 5u);
    EXPECT_EQ(byRef["CR-012"]["contributors"][0]["reference"], "DR-CSD-03");
    EXPECT_EQ(byRef["CR-009"]["contributors"][0]["reference"], "DR-FER-02");
    EXPECT_EQ(byRef["DR-CSD-03"]["owners"].size(), 2u);
    EXPECT_EQ(byRef["CR-009"]["current"]["score"], 12);  // "possible" x "major" read as labels
    // The heat map has 25 cells and places the five open risks by current score.
    ASSERT_EQ(r["heat_map"]["cells"].size(), 25u);
    EXPECT_EQ(r["heat_map"]["placed"], 5);

    const auto html = run({"report", "risks", "--format", "html"});
    ASSERT_EQ(html.exitCode, 0);
    EXPECT_NE(html.out.find("<table class=\"heat\">"), std::string::npos);
    EXPECT_NE(html.out.find("@media print"), std::string::npos);
    const auto csv = run({"report", "risks", "--format", "csv"});
    EXPECT_NE(csv.out.find("DR-CSD-03"), std::string::npos);
    EXPECT_NE(csv.out.find("heat map (current)"), std::string::npos);
    const auto table = run({"report", "risks"});
    EXPECT_NE(table.out.find("Escalations due: 1"), std::string::npos) << table.out;
}

TEST_F(RiskEndToEnd, EscalateThenDeEscalateAreRecordedAndAttributed) {
    auto up = run({"risk", "escalate", "DR-CSD-03", "--to", "CR-012", "--group", "Risk and Reputation Group",
                   "--reason", "At threshold", "--as", "Governance Officer"});
    ASSERT_EQ(up.exitCode, 0) << up.err;
    EXPECT_NE(up.out.find("escalate to CR-012 recorded by Governance Officer for Risk and Reputation Group"),
              std::string::npos)
        << up.out;
    EXPECT_EQ(report()["escalations_due"].size(), 0u);
    const auto show = run({"risk", "show", "CR-012"});
    EXPECT_NE(show.out.find("contributor: DR-CSD-03"), std::string::npos) << show.out;
    EXPECT_NE(show.out.find("escalated"), std::string::npos);
    auto down = run({"risk", "de-escalate", "DR-CSD-03", "--group", "Risk and Reputation Group", "--reason",
                     "Reconciliation in place", "--as", "Chief Data Officer"});
    ASSERT_EQ(down.exitCode, 0) << down.err;
    const auto history = run({"risk", "history", "DR-CSD-03"});
    EXPECT_NE(history.out.find("escalate by Governance Officer"), std::string::npos) << history.out;
    EXPECT_NE(history.out.find("de_escalate by Chief Data Officer"), std::string::npos) << history.out;
    EXPECT_EQ(run({"verify-audit-log"}).exitCode, 0);
}

TEST_F(RiskEndToEnd, RescoreKeepsHistoryAndRefusesBadValues) {
    const std::string before = fingerprint();
    for (const auto& bad : std::vector<std::vector<std::string>>{
             {"--current", "6x3"}, {"--current", "0x3"}, {"--current", "probable/major"}, {"--target", "4x4"}}) {
        std::vector<std::string> args{"risk", "score", "DR-FER-02"};
        args.insert(args.end(), bad.begin(), bad.end());
        args.insert(args.end(), {"--as", "Governance Officer"});
        const auto r = run(args);
        EXPECT_EQ(r.exitCode, 2) << bad[1];
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    }
    EXPECT_NE(run({"risk", "score", "DR-FER-02", "--current", "6x3", "--as", "Governance Officer"})
                  .err.find("current_likelihood must be 1-5"),
              std::string::npos);
    EXPECT_NE(
        run({"risk", "score", "DR-FER-02", "--target", "4x4", "--as", "Governance Officer"}).err.find("target_reason"),
        std::string::npos);
    EXPECT_EQ(fingerprint(), before);
    const auto ok = run({"risk", "score", "DR-FER-02", "--current", "likely/moderate", "--reason", "Data late again",
                         "--as", "Governance Officer"});
    ASSERT_EQ(ok.exitCode, 0) << ok.err;
    const auto history = run({"risk", "history", "DR-FER-02"});
    EXPECT_NE(history.out.find("2. 2026-01-05"), std::string::npos) << history.out;
    EXPECT_NE(history.out.find("/ 12 (4x3) / 4 (2x2) by Governance Officer: Data late again"), std::string::npos)
        << history.out;
    // 12 reaches the Fraud and Error Resolution register's threshold of 12.
    EXPECT_EQ(report()["escalations_due"].size(), 2u);
}

TEST_F(RiskEndToEnd, ABadRiskFileIsRefusedWholeWithFileAndLine) {
    const std::string before = fingerprint();
    const std::string file =
        write("bad.csv", std::string(kHeader) +
                             "Client Services Delivery Risk Register,,,DR-CSD-10,Ok row,Chief "
                             "Data Officer,information,2,2,1,1,,\n"
                             "Client Services Delivery Risk Register,,,DR-CSD-11,Six,,x,6,2,,,,\n"
                             "Client Services Delivery Risk Register,,,DR-CSD-12,Zero,,x,0,2,,,,\n"
                             "Client Services Delivery Risk Register,,,DR-CSD-13,Label,,x,"
                             "probable,2,,,,\n"
                             "Client Services Delivery Risk Register,,,DR-CSD-14,Target,,x,"
                             "2,2,3,3,,\n"
                             "Strategic Risk Register,,,CR-050,Lower parent,,x,2,2,,,,DR-CSD-03\n");
    const auto r = run({"import", file});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find("bad.csv:3: current_likelihood must be 1-5"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("bad.csv:4: current_likelihood must be 1-5"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("bad.csv:5: current_likelihood: 'probable'"), std::string::npos) << r.err;
    EXPECT_EQ(fingerprint(), before);
    // Once the reader accepts the values, the import's own rules are checked, still all-or-nothing.
    const std::string rules = write("rules.csv", std::string(kHeader) +
                                                     "Client Services Delivery Risk Register,,,DR-CSD-14,Target,,x,"
                                                     "2,2,3,3,,\n"
                                                     "Strategic Risk Register,,,CR-050,Lower parent,,x,2,2,,,,"
                                                     "DR-CSD-03\n");
    const auto r2 = run({"import", rules});
    EXPECT_EQ(r2.exitCode, 2);
    EXPECT_NE(r2.err.find("rules.csv:2: target_reason"), std::string::npos) << r2.err;
    EXPECT_NE(r2.err.find("rules.csv:3: parent: DR-CSD-03 is on a divisional register"), std::string::npos) << r2.err;
    EXPECT_EQ(fingerprint(), before);
}

TEST_F(RiskEndToEnd, VerifyAuditLogFindsARiskChangedOutsideGovtrack) {
    const auto clean = run({"verify-audit-log"});
    ASSERT_EQ(clean.exitCode, 0) << clean.err;
    const std::string cmd =
        "sqlite3 " + govtrack::test::shellQuote(dir.file("govtrack.db")) + " " +
        govtrack::test::shellQuote("UPDATE risk SET current_likelihood = 1 WHERE reference = 'DR-CSD-03'");
    ASSERT_EQ(std::system(cmd.c_str()), 0);
    const auto tampered = run({"verify-audit-log"});
    EXPECT_EQ(tampered.exitCode, 1);
    EXPECT_NE(tampered.err.find("risk DR-CSD-03 differs from its latest event"), std::string::npos) << tampered.err;
}

TEST_F(RiskEndToEnd, ACellMatrixFromConfigurationChangesTheLevels) {
    const std::string matrix = write("matrix.json", R"({
        "cells": [["low","low","medium","medium","high"],
                  ["low","medium","medium","high","high"],
                  ["low","medium","high","high","very high"],
                  ["low","medium","high","very high","very high"],
                  ["medium","medium","high","very high","very high"]]})");
    const auto r = run({"--risk-matrix", matrix, "report", "risks", "--format", "json"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const json j = json::parse(r.out);
    for (const auto& x : j["risks"]) {
        if (x["reference"] == "CR-005") {
            EXPECT_EQ(x["current"]["level"], "high");  // 3x3: medium by product
        }
    }
    const std::string broken = write("broken.json", R"({"bands": [{"level": "low", "min": 1, "max": 4}]})");
    const auto bad = run({"--risk-matrix", broken, "report", "risks"});
    EXPECT_EQ(bad.exitCode, 2);
    EXPECT_NE(bad.err.find("broken.json"), std::string::npos) << bad.err;
}

}  // namespace
