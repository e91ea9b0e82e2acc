#include <gtest/gtest.h>

#include "govtrack/reports/FollowUpReport.h"

#include "SnapshotBuilder.h"

namespace d = govtrack::domain;
namespace r = govtrack::reports;
using govtrack::test::SnapshotBuilder;
using S = d::ActionStatus;

namespace {

/// Two engagements; overdue actions in two units; one verified, one risk-accepted recommendation.
SnapshotBuilder organisation() {
    SnapshotBuilder b;
    b.unit("Data").unit("People and Place");
    b.person("Chief Data Officer", "Data").person("Head of People & Place", "People and Place").person("Product Owner");
    b.engagement("IA-B").engagement("IA-A");
    b.recommendation("IA-A", 2, d::Priority::kHigh);
    b.recommendation("IA-A", 1, d::Priority::kMedium);
    b.recommendation("IA-B", 1, d::Priority::kLow, d::ManagementResponse::kRiskTolerated);
    b.recommendation("IA-B", 2, d::Priority::kHigh, d::ManagementResponse::kRejected);
    // IA-A/1: one verified, one open and overdue by 10 days -> partially implemented
    b.action("IA-A", 1, 1, "Head of People & Place", d::TargetDate::day(SnapshotBuilder::ymd(2025, 3, 1)),
             S::kVerified);
    auto& late = b.action("IA-A", 1, 2, "Head of People & Place", d::TargetDate::monthOnly(2025, 6), S::kInProgress);
    late.coOwnerIds = {"p:Product Owner"};
    late.revisions.push_back({d::TargetDate::day(SnapshotBuilder::ymd(2025, 12, 26)), "slip", std::nullopt, "ET", {}});
    // IA-A/2: all verified -> implemented
    b.action("IA-A", 2, 1, "Chief Data Officer", d::TargetDate::monthOnly(2025, 9), S::kVerified);
    // IA-B/1: tolerated, no actions -> risk accepted
    // IA-B/2: rejected, one open overdue action still counted as overdue
    b.action("IA-B", 2, 1, "Chief Data Officer", d::TargetDate::day(SnapshotBuilder::ymd(2025, 11, 1)), S::kNotStarted);
    b.lastUpdate("r:IA-A/1/2", SnapshotBuilder::ymd(2025, 12, 1), "half done");
    return b;
}

const r::RecommendationRow& find(const r::FollowUpReport& report, const std::string& ref, int number) {
    for (const auto& row : report.recommendations) {
        if (row.engagement == ref && row.number == number) return row;
    }
    throw std::runtime_error("no such row");
}

}  // namespace

TEST(FollowUpReport, RowsCarryDerivedStatusDatesAndOwners) {
    const auto b = organisation();
    const auto report = r::buildFollowUpReport(b.snapshot(), SnapshotBuilder::ymd(2026, 1, 5));
    const auto& a1 = find(report, "IA-A", 1);
    EXPECT_EQ(a1.status, d::RecommendationStatus::kPartiallyImplemented);
    EXPECT_EQ(a1.owners, (std::vector<std::string>{"Head of People & Place", "Product Owner"}));
    EXPECT_EQ(a1.targetDate, d::TargetDate::monthOnly(2025, 6));                              // latest original target
    EXPECT_EQ(a1.currentTargetDate, d::TargetDate::day(SnapshotBuilder::ymd(2025, 12, 26)));  // open action's revision
    EXPECT_EQ(a1.revisions, 1);
    EXPECT_EQ(a1.daysOverdue, 10);
    ASSERT_EQ(a1.actions.size(), 2u);
    EXPECT_EQ(a1.actions[1].totalSlipDays, 179);  // 30 Jun -> 26 Dec 2025
    EXPECT_EQ(a1.actions[1].rag, d::Rag::kRed);
    EXPECT_EQ(a1.actions[0].rag, d::Rag::kComplete);
    ASSERT_TRUE(a1.actions[1].lastUpdate);
    EXPECT_EQ(a1.actions[1].lastUpdate->text, "half done");
    EXPECT_EQ(a1.actions[1].unit, "People and Place");
    EXPECT_EQ(find(report, "IA-A", 2).status, d::RecommendationStatus::kImplemented);
    EXPECT_EQ(find(report, "IA-A", 2).currentTargetDate, d::TargetDate::monthOnly(2025, 9));  // closed: last date
    EXPECT_EQ(find(report, "IA-B", 1).status, d::RecommendationStatus::kRiskAccepted);
    EXPECT_EQ(find(report, "IA-B", 2).status, d::RecommendationStatus::kNotAccepted);
}

TEST(FollowUpReport, TotalsByPriorityStatusAndOverdue) {
    const auto b = organisation();
    const auto report = r::buildFollowUpReport(b.snapshot(), SnapshotBuilder::ymd(2026, 1, 5));
    const auto& t = report.totals;
    EXPECT_EQ(t.recommendations, 4);
    EXPECT_EQ(t.actions, 4);
    EXPECT_EQ(t.byPriority.at(d::Priority::kHigh), 2);
    EXPECT_EQ(t.byPriority.at(d::Priority::kMedium), 1);
    EXPECT_EQ(t.byPriority.at(d::Priority::kLow), 1);
    EXPECT_EQ(t.byStatus.at(d::RecommendationStatus::kImplemented), 1);
    EXPECT_EQ(t.byStatus.at(d::RecommendationStatus::kNotImplemented), 0);
    EXPECT_EQ(t.byStatusAndPriority.at(d::RecommendationStatus::kImplemented).at(d::Priority::kHigh), 1);
    EXPECT_DOUBLE_EQ(t.implementedPercent, 25.0);
    EXPECT_EQ(t.overdue.actions, 2);
    EXPECT_EQ(t.overdue.recommendations, 2);
    EXPECT_EQ(t.overdue.byOwner.at("Head of People & Place"), 1);
    EXPECT_EQ(t.overdue.byOwner.at("Chief Data Officer"), 1);
    EXPECT_EQ(t.overdue.byOwner.at("Product Owner"), 1);  // co-owners answer for overdue actions too
    EXPECT_EQ(t.overdue.byOwner.size(), 3u);
    EXPECT_EQ(t.overdue.byUnit.at("Data"), 1);
    EXPECT_EQ(t.overdue.byUnit.at("People and Place"), 1);
}

TEST(FollowUpReport, AsOfMovesOverdue) {
    const auto b = organisation();
    const auto before = r::buildFollowUpReport(b.snapshot(), SnapshotBuilder::ymd(2025, 10, 1));
    EXPECT_EQ(before.totals.overdue.actions, 0);
    EXPECT_EQ(find(before, "IA-A", 1).daysOverdue, 0);
    EXPECT_EQ(find(before, "IA-A", 1).actions[1].rag, d::Rag::kGreen);
}

TEST(FollowUpReport, EmptyPlanHasZeroTotalsForEveryKey) {
    const auto report = r::buildFollowUpReport(d::ActionPlanSnapshot{}, SnapshotBuilder::ymd(2026, 1, 5));
    EXPECT_TRUE(report.recommendations.empty());
    EXPECT_EQ(report.totals.byPriority.size(), 3u);
    EXPECT_EQ(report.totals.byStatus.size(), 5u);
    EXPECT_DOUBLE_EQ(report.totals.implementedPercent, 0.0);
}
