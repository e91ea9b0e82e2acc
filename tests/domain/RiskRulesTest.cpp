// The risk rules of SPEC 4.5 (issue 4): scoring on a product and a cell-by-cell matrix, ranges and labels,
// escalation flags at the threshold boundary, tolerance past review, parents.
#include <gtest/gtest.h>

#include "govtrack/domain/Error.h"
#include "govtrack/domain/RiskRules.h"

namespace {

namespace d = govtrack::domain;
using std::chrono::day;
using std::chrono::month;
using std::chrono::year;

const d::Date kToday = year{2026} / month{1} / day{5};

d::RiskRegister divisional(int threshold) {
    d::RiskRegister r;
    r.id = "reg";
    r.name = "Client Services Delivery Risk Register";
    r.level = d::RiskLevel::kDivisional;
    r.escalationThreshold = threshold;
    r.tolerances = {{"Information", d::Appetite::kCautious}};
    return r;
}

d::Risk risk(int likelihood, int impact) {
    d::Risk r = d::Risk::basic("r", "DR-CSD-03", "Manual trackers", "", "divisional");
    r.registerId = "reg";
    r.category = "information";
    r.current = d::RiskRating{likelihood, impact};
    r.nextReview = year{2026} / month{2} / day{1};
    return r;
}

TEST(ScoringMatrix, DefaultBandsTheProduct) {
    const auto m = d::ScoringMatrix::standard();
    EXPECT_EQ(m.levelOf({1, 4}), "low");
    EXPECT_EQ(m.levelOf({1, 5}), "medium");
    EXPECT_EQ(m.levelOf({3, 3}), "medium");
    EXPECT_EQ(m.levelOf({2, 5}), "high");
    EXPECT_EQ(m.levelOf({4, 4}), "high");
    EXPECT_EQ(m.levelOf({4, 5}), "very high");
    EXPECT_EQ(m.levelOf({5, 5}), "very high");
    EXPECT_NO_THROW(m.validate("default"));
}

TEST(ScoringMatrix, ACellMatrixSetsLevelsCellByCell) {
    auto m = d::ScoringMatrix::standard();
    // Impact weighs more than likelihood: 5x1 and 1x5 are both 5 but different levels.
    m.cells = {{"low", "low", "medium", "medium", "high"},
               {"low", "medium", "medium", "high", "high"},
               {"low", "medium", "high", "high", "very high"},
               {"low", "medium", "high", "very high", "very high"},
               {"medium", "medium", "high", "very high", "very high"}};
    EXPECT_NO_THROW(m.validate("cells.json"));
    EXPECT_EQ(m.levelOf({1, 5}), "high");
    EXPECT_EQ(m.levelOf({5, 1}), "medium");
    EXPECT_EQ(m.levelOf({2, 2}), "medium");
    EXPECT_EQ(d::RiskRating({1, 5}).score(), d::RiskRating({5, 1}).score());
}

TEST(ScoringMatrix, RefusesValuesOutsideTheMatrixNamingTheRange) {
    const auto m = d::ScoringMatrix::standard();
    try {
        m.check({6, 3}, "current");
        FAIL() << "likelihood 6 accepted";
    } catch (const d::ValidationError& e) {
        EXPECT_NE(std::string(e.what()).find("current_likelihood must be 1-5"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("got 6"), std::string::npos);
    }
    EXPECT_THROW(m.check({0, 3}, "current"), d::ValidationError);
    EXPECT_THROW(m.check({3, 0}, "target"), d::ValidationError);
    EXPECT_THROW(m.levelOf({3, 6}), d::ValidationError);
}

TEST(ScoringMatrix, ReadsNumbersAndLabelsCaseInsensitively) {
    const auto m = d::ScoringMatrix::standard();
    EXPECT_EQ(m.parseLikelihood("4", "l"), 4);
    EXPECT_EQ(m.parseLikelihood(" almost CERTAIN ", "l"), 5);
    EXPECT_EQ(m.parseImpact("Severe", "i"), 5);
    try {
        m.parseLikelihood("probable", "current_likelihood");
        FAIL();
    } catch (const d::ValidationError& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("current_likelihood: 'probable'"), std::string::npos) << what;
        EXPECT_NE(what.find("1 Rare"), std::string::npos) << what;
    }
    EXPECT_THROW(m.parseLikelihood("6", "l"), d::ValidationError);
    EXPECT_THROW(m.parseImpact("0", "i"), d::ValidationError);
}

TEST(ScoringMatrix, ValidateRefusesGapsOverlapsAndUnknownCellLevels) {
    auto gap = d::ScoringMatrix::standard();
    gap.bands = {{"low", 1, 4}, {"high", 10, 25}};  // 5, 6, 8, 9 in no band
    EXPECT_THROW(gap.validate("gap.json"), d::ValidationError);
    auto overlap = d::ScoringMatrix::standard();
    overlap.bands = {{"low", 1, 5}, {"medium", 5, 9}, {"high", 10, 25}};
    EXPECT_THROW(overlap.validate("overlap.json"), d::ValidationError);
    auto cells = d::ScoringMatrix::standard();
    cells.cells = {{"low"}};
    EXPECT_THROW(cells.validate("cells.json"), d::ValidationError);
}

TEST(Escalation, ScoreEqualToTheThresholdEscalates) {
    const auto m = d::ScoringMatrix::standard();
    const auto at = d::assessEscalation(risk(3, 5), divisional(15), m, {}, "", kToday);
    EXPECT_TRUE(at.due);
    ASSERT_EQ(at.reasons.size(), 1u);
    EXPECT_NE(at.reasons[0].find("reaches the register's escalation threshold 15"), std::string::npos);
    EXPECT_FALSE(d::assessEscalation(risk(2, 5), divisional(11), m, {}, "", kToday).due);  // 10 < 11
    EXPECT_TRUE(d::assessEscalation(risk(4, 4), divisional(15), m, {}, "", kToday).due);   // 16 > 15
}

TEST(Escalation, OneBelowTheThresholdIsNotDue) {
    const auto m = d::ScoringMatrix::standard();
    auto r = risk(2, 4);  // 8, below cautious tolerance 9 too
    EXPECT_FALSE(d::assessEscalation(r, divisional(9), m, {}, "", kToday).due);
    EXPECT_TRUE(d::assessEscalation(r, divisional(8), m, {}, "", kToday).due);
}

TEST(Escalation, AboveToleranceIsDueOnlyOncePastTheNextReview) {
    const auto m = d::ScoringMatrix::standard();
    auto r = risk(3, 4);  // 12 > cautious 9, below threshold 15
    EXPECT_FALSE(d::assessEscalation(r, divisional(15), m, {}, "", kToday).due);
    r.nextReview = year{2026} / month{1} / day{5};  // due today: not yet past
    EXPECT_FALSE(d::assessEscalation(r, divisional(15), m, {}, "", kToday).due);
    r.nextReview = year{2026} / month{1} / day{4};
    const auto s = d::assessEscalation(r, divisional(15), m, {}, "", kToday);
    EXPECT_TRUE(s.due);
    ASSERT_EQ(s.reasons.size(), 1u);
    EXPECT_NE(s.reasons[0].find("above the cautious tolerance (9) for information"), std::string::npos) << s.reasons[0];
    EXPECT_TRUE(d::reviewOverdue(r, kToday));
}

TEST(Escalation, StrategicClosedAndUnscoredRisksAreNeverDue) {
    const auto m = d::ScoringMatrix::standard();
    auto reg = divisional(1);
    reg.level = d::RiskLevel::kStrategic;
    EXPECT_FALSE(d::assessEscalation(risk(5, 5), reg, m, {}, "", kToday).due);
    auto closed = risk(5, 5);
    closed.status = d::RiskStatus::kClosed;
    EXPECT_FALSE(d::assessEscalation(closed, divisional(1), m, {}, "", kToday).due);
    auto unscored = risk(5, 5);
    unscored.current.reset();
    EXPECT_FALSE(d::assessEscalation(unscored, divisional(1), m, {}, "", kToday).due);
}

TEST(Escalation, ADecisionSinceTheLastScoreChangeSettlesIt) {
    const auto m = d::ScoringMatrix::standard();
    d::EscalationDecision no;
    no.kind = d::EscalationKind::kNoEscalation;
    no.at = "2026-01-05T10:00:00Z";
    EXPECT_FALSE(d::assessEscalation(risk(4, 4), divisional(15), m, {no}, "2026-01-04T09:00:00Z", kToday).due);
    // Re-scored after the decision: due again.
    EXPECT_TRUE(d::assessEscalation(risk(4, 4), divisional(15), m, {no}, "2026-01-05T11:00:00Z", kToday).due);
    d::EscalationDecision up = no;
    up.kind = d::EscalationKind::kEscalate;
    const auto escalated = d::assessEscalation(risk(4, 4), divisional(15), m, {up}, "2026-01-05T11:00:00Z", kToday);
    EXPECT_FALSE(escalated.due);
    EXPECT_TRUE(escalated.escalated);
}

TEST(RiskParents, ACycleIsRefusedNamingThePath) {
    std::map<std::string, std::string> parentOf{{"A", "B"}, {"B", "C"}};
    std::map<std::string, d::RiskLevel> levelOf{
        {"A", d::RiskLevel::kProgramme}, {"B", d::RiskLevel::kDivisional}, {"C", d::RiskLevel::kStrategic}};
    const auto p = d::parentProblem("C", d::RiskLevel::kStrategic, "A", parentOf, levelOf);
    ASSERT_TRUE(p);
    EXPECT_NE(p->find("cycle of parents (C > A > B > C)"), std::string::npos) << *p;
}

TEST(RiskParents, AParentOnALowerOrEqualLevelRegisterIsRefused) {
    std::map<std::string, std::string> parentOf;
    std::map<std::string, d::RiskLevel> levelOf{{"CR-1", d::RiskLevel::kStrategic},
                                                {"DR-1", d::RiskLevel::kDivisional},
                                                {"DR-2", d::RiskLevel::kDivisional},
                                                {"PR-1", d::RiskLevel::kProgramme}};
    const auto lower = d::parentProblem("CR-1", d::RiskLevel::kStrategic, "DR-1", parentOf, levelOf);
    ASSERT_TRUE(lower);
    EXPECT_NE(lower->find("DR-1 is on a divisional register"), std::string::npos) << *lower;
    EXPECT_NE(lower->find("strategic > divisional > programme"), std::string::npos);
    EXPECT_TRUE(d::parentProblem("DR-2", d::RiskLevel::kDivisional, "DR-1", parentOf, levelOf));
    EXPECT_FALSE(d::parentProblem("DR-1", d::RiskLevel::kDivisional, "CR-1", parentOf, levelOf));
    EXPECT_FALSE(d::parentProblem("PR-1", d::RiskLevel::kProgramme, "DR-1", parentOf, levelOf));
}

TEST(RiskTargets, ATargetAboveTheCurrentScoreNeedsAReason) {
    const auto p = d::targetProblem(d::RiskRating{2, 3}, d::RiskRating{3, 3}, "  ");
    ASSERT_TRUE(p);
    EXPECT_NE(p->find("target_reason"), std::string::npos);
    EXPECT_NE(p->find("target score 9 (3x3) is above the current score 6 (2x3)"), std::string::npos) << *p;
    EXPECT_FALSE(d::targetProblem(d::RiskRating{2, 3}, d::RiskRating{3, 3}, "Investment paused this year"));
    EXPECT_FALSE(d::targetProblem(d::RiskRating{3, 3}, d::RiskRating{3, 3}, ""));
    EXPECT_FALSE(d::targetProblem(std::nullopt, d::RiskRating{5, 5}, ""));
}

TEST(RiskReviews, FrequencyWordsAndDays) {
    EXPECT_EQ(d::parseReviewFrequency("Quarterly"), 91);
    EXPECT_EQ(d::parseReviewFrequency("monthly"), 30);
    EXPECT_EQ(d::parseReviewFrequency("45"), 45);
    EXPECT_FALSE(d::parseReviewFrequency("0"));
    EXPECT_FALSE(d::parseReviewFrequency("fortnightly-ish"));
}

}  // namespace
