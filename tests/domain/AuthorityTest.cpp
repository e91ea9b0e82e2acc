#include <gtest/gtest.h>

#include "govtrack/domain/ActionService.h"
#include "govtrack/domain/ActionWorkflow.h"
#include "govtrack/domain/Authority.h"
#include "govtrack/domain/Error.h"

namespace d = govtrack::domain;
using namespace std::chrono;

namespace {

d::Date ymd(int y, unsigned m, unsigned day) {
    return d::Date{year{y}, month{m}, std::chrono::day{day}};
}

d::GovernanceGroup group(const std::string& id, std::optional<std::string> parent,
                         std::vector<d::DelegatedPower> powers) {
    d::GovernanceGroup g;
    g.id = id;
    g.name = id;
    g.parentId = parent;
    g.powers = std::move(powers);
    return g;
}

/// Executive Team > Benefit Performance Review Group > Error Control Working Group; the Performance
/// Forum (reporting to ET) superseded by BPRG at the end of June 2025.
d::GroupChart worked() {
    using P = d::PowerKind;
    auto et = group("ET", std::nullopt,
                    {{P::kApproveRevisedDate, d::Priority::kHigh, std::nullopt},
                     {P::kAcceptRisk, d::Priority::kHigh, std::nullopt}});
    auto bprg =
        group("BPRG", std::string("ET"),
              {{P::kApproveRevisedDate, d::Priority::kMedium, 90}, {P::kAcceptRisk, d::Priority::kLow, std::nullopt}});
    bprg.effectiveFrom = d::TargetDate::monthOnly(2025, 6);
    auto ecwg = group("ECWG", std::string("BPRG"), {{P::kApproveRevisedDate, d::Priority::kLow, 30}});
    auto forum = group("PF", std::string("ET"), {});
    forum.supersededById = "BPRG";
    forum.effectiveTo = d::TargetDate::day(ymd(2025, 6, 30));
    bprg.members = {{"chair-person", d::MemberRole::kChair}, {"member-person", d::MemberRole::kMember}};
    return d::GroupChart({et, bprg, ecwg, forum});
}

}  // namespace

TEST(Authority, PriorityLimitCoversLowerPriorities) {
    const d::DelegatedPower medium{d::PowerKind::kApproveRevisedDate, d::Priority::kMedium, 90};
    EXPECT_TRUE(d::covers(medium, d::PowerKind::kApproveRevisedDate, d::Priority::kLow, 10));
    EXPECT_TRUE(d::covers(medium, d::PowerKind::kApproveRevisedDate, d::Priority::kMedium, 90));
    EXPECT_FALSE(d::covers(medium, d::PowerKind::kApproveRevisedDate, d::Priority::kMedium, 91));
    EXPECT_FALSE(d::covers(medium, d::PowerKind::kApproveRevisedDate, d::Priority::kHigh, 1));
    EXPECT_FALSE(d::covers(medium, d::PowerKind::kAcceptRisk, d::Priority::kLow, 0));
}

TEST(Authority, RoutesToTheLowestGroupWhosePowerCovers) {
    const auto chart = worked();
    EXPECT_EQ(chart.route("ECWG", d::PowerKind::kApproveRevisedDate, d::Priority::kLow, 20)->name, "ECWG");
    EXPECT_EQ(chart.route("ECWG", d::PowerKind::kApproveRevisedDate, d::Priority::kLow, 45)->name, "BPRG");
    EXPECT_EQ(chart.route("ECWG", d::PowerKind::kApproveRevisedDate, d::Priority::kMedium, 60)->name, "BPRG");
    EXPECT_EQ(chart.route("ECWG", d::PowerKind::kApproveRevisedDate, d::Priority::kMedium, 120)->name, "ET");
    EXPECT_EQ(chart.route("ECWG", d::PowerKind::kApproveRevisedDate, d::Priority::kHigh, 1)->name, "ET");
    EXPECT_EQ(chart.route("BPRG", d::PowerKind::kWithdrawAction, d::Priority::kLow, 0), nullptr);
}

TEST(Authority, ASupersededGroupIsReplacedByItsSuccessorInTheChain) {
    const auto chart = worked();
    const auto chain = chart.chainFrom("PF");
    ASSERT_EQ(chain.size(), 2u);
    EXPECT_EQ(chain[0]->name, "BPRG");
    EXPECT_EQ(chain[1]->name, "ET");
    EXPECT_EQ(chart.route("PF", d::PowerKind::kApproveRevisedDate, d::Priority::kMedium, 30)->name, "BPRG");
    EXPECT_EQ(chart.current(*chart.find("PF")).name, "BPRG");
}

TEST(Authority, EffectiveDatesBoundWhenAGroupMayAct) {
    const auto chart = worked();
    EXPECT_TRUE(chart.isEffectiveOn(*chart.find("PF"), ymd(2025, 6, 30)));
    EXPECT_FALSE(chart.isEffectiveOn(*chart.find("PF"), ymd(2025, 7, 1)));
    EXPECT_FALSE(chart.isEffectiveOn(*chart.find("BPRG"), ymd(2025, 5, 31)));
    EXPECT_TRUE(chart.isEffectiveOn(*chart.find("BPRG"), ymd(2025, 6, 1)));  // "2025-06" counts from the 1st
}

TEST(Authority, HoldersAreListedLowestFirstAndOnlyChairOrSecretaryRecordDecisions) {
    const auto chart = worked();
    const auto holders = chart.holders(d::PowerKind::kAcceptRisk, d::Priority::kLow, 0);
    ASSERT_EQ(holders.size(), 2u);
    EXPECT_EQ(holders[0]->name, "BPRG");
    EXPECT_EQ(holders[1]->name, "ET");
    EXPECT_TRUE(d::GroupChart::recordsDecisions(*chart.find("BPRG"), "chair-person"));
    EXPECT_FALSE(d::GroupChart::recordsDecisions(*chart.find("BPRG"), "member-person"));
    EXPECT_FALSE(d::GroupChart::recordsDecisions(*chart.find("BPRG"), "stranger"));
}

TEST(ActionWorkflow, TheTableAllowsOnlyItsMoves) {
    using S = d::ActionStatus;
    EXPECT_EQ(d::allowedNextStates(S::kImplemented), (std::vector<S>{S::kVerified, S::kInProgress, S::kRiskAccepted}));
    EXPECT_TRUE(d::allowedNextStates(S::kVerified).empty());
    const auto& claim = d::transitionFor(S::kInProgress, S::kImplemented, "action X 1.1");
    EXPECT_TRUE(claim.needsEvidence);
    EXPECT_EQ(claim.who, (std::vector<d::Mover>{d::Mover::kOwner}));
    const auto& reject = d::transitionFor(S::kImplemented, S::kInProgress, "action X 1.1");
    EXPECT_TRUE(reject.needsReason);
    EXPECT_EQ(reject.who, (std::vector<d::Mover>{d::Mover::kAuditor}));
    EXPECT_EQ(d::transitionFor(S::kInProgress, S::kRiskAccepted, "a").power, d::PowerKind::kAcceptRisk);
    EXPECT_TRUE(d::transitionFor(S::kInProgress, S::kSuperseded, "a").needsSupersedingAction);
}

TEST(ActionWorkflow, AnIllegalMoveNamesTheCurrentAndAllowedStates) {
    try {
        d::transitionFor(d::ActionStatus::kNotStarted, d::ActionStatus::kVerified, "action IA-1 2.1");
        FAIL();
    } catch (const d::InvalidTransitionError& e) {
        EXPECT_EQ(std::string(e.what()),
                  "action IA-1 2.1 is not_started; it can move to in_progress, implemented, risk_accepted, superseded "
                  "or withdrawn, not verified");
    }
    try {
        d::transitionFor(d::ActionStatus::kVerified, d::ActionStatus::kInProgress, "action IA-1 2.1");
        FAIL();
    } catch (const d::InvalidTransitionError& e) {
        EXPECT_EQ(std::string(e.what()), "action IA-1 2.1 is verified, which is final; it cannot move to in_progress");
    }
}

TEST(Evidence, MediaTypeIsJudgedFromTheBytesNotTheName) {
    EXPECT_EQ(d::sniffMediaType("%PDF-1.7\n..."), "application/pdf");
    EXPECT_EQ(d::sniffMediaType(std::string("\x89PNG\r\n\x1a\n\0\0", 10)), "image/png");
    EXPECT_EQ(d::sniffMediaType(std::string("PK\x03\x04rest", 8)), "application/zip");
    EXPECT_EQ(d::sniffMediaType("Minutes of the meeting, item 4: approved."), "text/plain");
    EXPECT_FALSE(d::sniffMediaType(std::string("MZ\x90\0\x03\0\0\0", 8)));  // a Windows executable named .pdf
    EXPECT_FALSE(
        d::sniffMediaType(std::string("\x7f"
                                      "ELF\x02\x01",
                                      6)));
    EXPECT_FALSE(d::sniffMediaType(""));
}
