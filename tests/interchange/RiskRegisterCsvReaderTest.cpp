// The risk register CSV reader (issue 4): headings and aliases, numbers or labels, several owners per cell,
// register settings on any row, and every problem as FILE:LINE.
#include <gtest/gtest.h>

#include "govtrack/domain/Error.h"
#include "govtrack/interchange/RiskRegisterCsvReader.h"

namespace {

namespace d = govtrack::domain;
namespace ix = govtrack::interchange;

std::string allProblems(const d::ValidationError& e) {
    std::string out;
    for (const auto& fe : e.errors()) out += fe.where + ": " + fe.message + "\n";
    return out;
}

TEST(RiskRegisterCsvReader, ReadsNumbersLabelsOwnersAndRegisterSettings) {
    const std::string csv =
        "\xEF\xBB\xBFRegister,Level,Tolerance,Risk Ref,Risk Title,Risk Owner(s),Residual Likelihood,Residual "
        "Impact,Inherent_Likelihood,Inherent_Impact,Parent Risk,Controls,Last Reviewed,Status\r\n"
        "Client Services Delivery Risk Register,divisional,information: cautious; financial=Averse,DR-1,Trackers,"
        "\"Head of Client Services Operations; Chief Data Officer\",LIKELY,major,5,4,CR-012,\"One\nTwo\","
        "10/12/2025,Open\r\n"
        "client services delivery risk register,,,DR-2,Second,Product Owner,2,3,,,,,,\r\n";
    const auto doc = ix::readRiskRegisterCsv(csv, "risks.csv", d::ScoringMatrix::standard());
    ASSERT_EQ(doc.registers.size(), 1u);
    EXPECT_EQ(doc.registers[0].level, d::RiskLevel::kDivisional);
    ASSERT_EQ(doc.registers[0].tolerances.size(), 2u);
    EXPECT_EQ(doc.registers[0].tolerances[1].appetite, d::Appetite::kAverse);
    ASSERT_EQ(doc.risks.size(), 2u);
    const auto& r = doc.risks[0];
    EXPECT_EQ(r.origin, "risks.csv:2");
    EXPECT_EQ(r.risk.current, (d::RiskRating{4, 4}));
    EXPECT_EQ(r.risk.inherent, (d::RiskRating{5, 4}));
    EXPECT_EQ(r.ownerRoleTitles,
              (std::vector<std::string>{"Head of Client Services Operations", "Chief Data Officer"}));
    EXPECT_EQ(r.parentReference, "CR-012");
    EXPECT_EQ(r.risk.controls, (std::vector<std::string>{"One", "Two"}));
    EXPECT_EQ(r.risk.lastReview, d::Date(std::chrono::year{2025} / 12 / 10));
    EXPECT_TRUE(r.statusGiven);
    EXPECT_EQ(doc.risks[1].origin, "risks.csv:4");  // the quoted line break counts as a line
    EXPECT_TRUE(ix::looksLikeRiskRegisterCsv(csv, "risks.csv"));
    EXPECT_FALSE(ix::looksLikeRiskRegisterCsv("engagement reference,recommendation number\n", "plan.csv"));
}

TEST(RiskRegisterCsvReader, ListsEveryBadValueWithItsLine) {
    const std::string csv =
        "register,register_level,reference,current_likelihood,current_impact,status,tolerance\n"
        "R,divisional,A,6,2,open,\n"
        "R,,B,0,2,,\n"
        "R,,C,probable,2,,\n"
        "R,,D,3,,,\n"
        "R,strategic,E,3,3,pending,x: bold\n"
        ",,,3,3,,\n";
    try {
        ix::readRiskRegisterCsv(csv, "bad.csv", d::ScoringMatrix::standard());
        FAIL() << "accepted";
    } catch (const d::ValidationError& e) {
        const std::string all = allProblems(e);
        EXPECT_NE(all.find("bad.csv:2: current_likelihood must be 1-5"), std::string::npos) << all;
        EXPECT_NE(all.find("bad.csv:3: current_likelihood must be 1-5"), std::string::npos) << all;
        EXPECT_NE(all.find("bad.csv:4: current_likelihood: 'probable' is not a number 1-5 nor one of the labels"),
                  std::string::npos)
            << all;
        EXPECT_NE(all.find("bad.csv:5: current_impact: missing"), std::string::npos) << all;
        EXPECT_NE(all.find("bad.csv:6: register_level of register 'R' is 'strategic' here but 'divisional' on line 2"),
                  std::string::npos)
            << all;
        EXPECT_NE(all.find("bad.csv:6: status: 'pending' is not one of open, closed"), std::string::npos) << all;
        EXPECT_NE(all.find("bad.csv:6: tolerance: 'x: bold'"), std::string::npos) << all;
        EXPECT_NE(all.find("bad.csv:7: register: every row names its risk register"), std::string::npos) << all;
        EXPECT_NE(all.find("bad.csv:7: reference"), std::string::npos) << all;
    }
}

TEST(RiskRegisterCsvReader, RefusesAFileWithoutTheRequiredColumns) {
    try {
        ix::readRiskRegisterCsv("title,owners\nx,y\n", "nocols.csv", d::ScoringMatrix::standard());
        FAIL();
    } catch (const d::ValidationError& e) {
        EXPECT_NE(allProblems(e).find("nocols.csv:1: missing column register"), std::string::npos) << allProblems(e);
    }
}

TEST(ScoringMatrixReader, ReadsLabelsBandsCellsAndAppetite) {
    const auto m = ix::readScoringMatrix(
        R"({"likelihood": ["Low", "Medium", "High"], "impact": ["Minor", "Moderate", "Major"],
            "bands": [{"level": "green", "min": 1, "max": 2}, {"level": "amber", "min": 3, "max": 4},
                      {"level": "red", "min": 6, "max": 9}],
            "appetite": {"averse": 1, "minimal": 2, "cautious": 3, "open": 4, "eager": 6}})",
        "m.json");
    EXPECT_EQ(m.maxLikelihood(), 3);
    EXPECT_EQ(m.levelOf({2, 2}), "amber");
    EXPECT_EQ(m.parseImpact("major", "i"), 3);
    EXPECT_THROW(m.parseLikelihood("4", "l"), d::ValidationError);
    EXPECT_EQ(m.maxAcceptable(d::Appetite::kEager), 6);
    EXPECT_THROW(ix::readScoringMatrix("{", "broken.json"), d::ValidationError);
    EXPECT_THROW(ix::readScoringMatrix(R"({"appetite": {"bold": 3}})", "a.json"), d::ValidationError);
    EXPECT_THROW(ix::readScoringMatrix(R"({"cells": [["low"]]})", "c.json"), d::ValidationError);
}

}  // namespace
