#include <gtest/gtest.h>

#include "govtrack/domain/Rules.h"

namespace d = govtrack::domain;
using namespace std::chrono;

namespace {

d::Date ymd(int y, unsigned m, unsigned day) {
    return d::Date{year{y}, month{m}, std::chrono::day{day}};
}

d::Action actionDue(std::optional<d::TargetDate> target, d::ActionStatus status = d::ActionStatus::kInProgress) {
    d::Action a;
    a.originalTargetDate = target;
    a.status = status;
    return a;
}

void revise(d::Action& a, d::TargetDate to) {
    a.revisions.push_back({to, "reason", std::nullopt, "Executive Team", {}});
}

}  // namespace

TEST(EffectiveDueDate, IsLatestApprovedRevisionElseOriginal) {
    auto a = actionDue(d::TargetDate::monthOnly(2025, 6));
    EXPECT_EQ(d::effectiveDueDate(a), d::TargetDate::monthOnly(2025, 6));
    revise(a, d::TargetDate::day(ymd(2025, 9, 30)));
    revise(a, d::TargetDate::monthOnly(2025, 12));
    EXPECT_EQ(d::effectiveDueDate(a), d::TargetDate::monthOnly(2025, 12));
    EXPECT_EQ(d::totalSlipDays(a), d::daysBetween(ymd(2025, 6, 30), ymd(2025, 12, 31)));
    EXPECT_FALSE(d::effectiveDueDate(actionDue(std::nullopt)).has_value());
}

TEST(Overdue, DueTodayIsNotOverdue) {
    const auto a = actionDue(d::TargetDate::day(ymd(2026, 1, 5)));
    EXPECT_FALSE(d::isOverdue(a, ymd(2026, 1, 5)));
    EXPECT_EQ(d::daysOverdue(a, ymd(2026, 1, 5)), 0);
    EXPECT_TRUE(d::isOverdue(a, ymd(2026, 1, 6)));
    EXPECT_EQ(d::daysOverdue(a, ymd(2026, 1, 6)), 1);
}

TEST(Overdue, MonthOnlyTargetIsDueOnTheMonthsLastDay) {
    const auto a = actionDue(d::TargetDate::monthOnly(2025, 12));
    EXPECT_FALSE(d::isOverdue(a, ymd(2025, 12, 31)));
    EXPECT_TRUE(d::isOverdue(a, ymd(2026, 1, 1)));
    EXPECT_EQ(d::daysOverdue(a, ymd(2026, 1, 5)), 5);
}

TEST(Overdue, CountsAcrossLeapDay) {
    const auto a = actionDue(d::TargetDate::day(ymd(2024, 2, 28)));
    EXPECT_EQ(d::daysOverdue(a, ymd(2024, 3, 1)), 2);
}

TEST(Overdue, ClosedAndUndatedActionsAreNeverOverdue) {
    EXPECT_FALSE(
        d::isOverdue(actionDue(d::TargetDate::day(ymd(2020, 1, 1)), d::ActionStatus::kVerified), ymd(2026, 1, 1)));
    EXPECT_FALSE(
        d::isOverdue(actionDue(d::TargetDate::day(ymd(2020, 1, 1)), d::ActionStatus::kWithdrawn), ymd(2026, 1, 1)));
    EXPECT_FALSE(d::isOverdue(actionDue(std::nullopt), ymd(2026, 1, 1)));
    // An implemented claim is still open until an auditor verifies it.
    EXPECT_TRUE(
        d::isOverdue(actionDue(d::TargetDate::day(ymd(2020, 1, 1)), d::ActionStatus::kImplemented), ymd(2026, 1, 1)));
}

TEST(Overdue, RevisionMovesTheDueDate) {
    auto a = actionDue(d::TargetDate::monthOnly(2025, 6));
    EXPECT_TRUE(d::isOverdue(a, ymd(2025, 7, 1)));
    revise(a, d::TargetDate::monthOnly(2025, 9));
    EXPECT_FALSE(d::isOverdue(a, ymd(2025, 7, 1)));
}

TEST(Rag, RedAmberGreenComplete) {
    const auto today = ymd(2026, 1, 5);
    EXPECT_EQ(d::rag(actionDue(d::TargetDate::day(ymd(2026, 1, 4))), today), d::Rag::kRed);
    EXPECT_EQ(d::rag(actionDue(d::TargetDate::day(ymd(2026, 1, 5))), today), d::Rag::kAmber);  // due today
    EXPECT_EQ(d::rag(actionDue(d::TargetDate::day(ymd(2026, 2, 4))), today), d::Rag::kAmber);  // 30 days away
    EXPECT_EQ(d::rag(actionDue(d::TargetDate::day(ymd(2026, 2, 5))), today), d::Rag::kGreen);  // 31 days away
    EXPECT_EQ(d::rag(actionDue(d::TargetDate::day(ymd(2026, 2, 5))), today, 40), d::Rag::kAmber);
    EXPECT_EQ(d::rag(actionDue(std::nullopt), today), d::Rag::kGreen);
    EXPECT_EQ(d::rag(actionDue(d::TargetDate::day(ymd(2020, 1, 1)), d::ActionStatus::kVerified), today),
              d::Rag::kComplete);
}

TEST(Rag, RevisedTwiceIsAmberEvenWhenFarAway) {
    auto a = actionDue(d::TargetDate::day(ymd(2026, 6, 1)));
    revise(a, d::TargetDate::day(ymd(2026, 9, 1)));
    EXPECT_EQ(d::rag(a, ymd(2026, 1, 5)), d::Rag::kGreen);
    revise(a, d::TargetDate::day(ymd(2026, 12, 1)));
    EXPECT_EQ(d::rag(a, ymd(2026, 1, 5)), d::Rag::kAmber);
}

TEST(RecommendationStatus, DerivedFromActions) {
    d::Recommendation rec;
    auto open = actionDue(std::nullopt, d::ActionStatus::kInProgress);
    auto verified = actionDue(std::nullopt, d::ActionStatus::kVerified);
    auto accepted = actionDue(std::nullopt, d::ActionStatus::kRiskAccepted);
    auto withdrawn = actionDue(std::nullopt, d::ActionStatus::kWithdrawn);
    auto claimed = actionDue(std::nullopt, d::ActionStatus::kImplemented);
    using S = d::RecommendationStatus;
    EXPECT_EQ(d::recommendationStatus(rec, {}), S::kNotImplemented);
    EXPECT_EQ(d::recommendationStatus(rec, {&open}), S::kNotImplemented);
    EXPECT_EQ(d::recommendationStatus(rec, {&claimed}), S::kNotImplemented);  // a claim is not verified
    EXPECT_EQ(d::recommendationStatus(rec, {&verified, &open}), S::kPartiallyImplemented);
    EXPECT_EQ(d::recommendationStatus(rec, {&verified, &verified}), S::kImplemented);
    EXPECT_EQ(d::recommendationStatus(rec, {&verified, &withdrawn}), S::kImplemented);
    EXPECT_EQ(d::recommendationStatus(rec, {&accepted}), S::kRiskAccepted);
    EXPECT_EQ(d::recommendationStatus(rec, {&verified, &accepted}), S::kImplemented);
    rec.managementResponse = d::ManagementResponse::kRiskTolerated;
    EXPECT_EQ(d::recommendationStatus(rec, {}), S::kRiskAccepted);
    rec.managementResponse = d::ManagementResponse::kRejected;
    EXPECT_EQ(d::recommendationStatus(rec, {&verified}), S::kNotAccepted);
}
