// Risk registers, risks, score history and escalation decisions (issue 4) on every backend: what is saved
// is what is read back, field for field; keys, foreign keys and whole-store copies behave alike.
#include <gtest/gtest.h>

#include "govtrack/domain/Error.h"
#include "govtrack/domain/StoreTransfer.h"

#include "Backends.h"

namespace govtrack::test {
namespace {

namespace d = govtrack::domain;
using std::chrono::day;
using std::chrono::month;
using std::chrono::year;

class RiskContract : public StoreContract {
protected:
    void seed() {
        d::OrganisationUnit unit;
        unit.id = "u1";
        unit.name = "Client Services Delivery";
        s->units().save(unit);
        d::Person owner;
        owner.id = "p1";
        owner.roleTitle = "Head of Client Services Operations";
        s->people().save(owner);
        d::Person second;
        second.id = "p2";
        second.roleTitle = "Chief Data Officer";
        s->people().save(second);
        d::GovernanceGroup group;
        group.id = "g1";
        group.name = "Risk and Reputation Group";
        s->groups().save(group);

        strategic.id = "reg-s";
        strategic.name = "Strategic Risk Register";
        strategic.level = d::RiskLevel::kStrategic;
        strategic.ownerGroupId = "g1";
        strategic.escalationThreshold = 16;
        strategic.reviewFrequencyDays = 91;
        s->riskRegisters().save(strategic);

        divisional.id = "reg-d";
        divisional.name = "Client Services Delivery Risk Register";
        divisional.level = d::RiskLevel::kDivisional;
        divisional.ownerUnitId = "u1";
        divisional.escalationThreshold = 15;
        divisional.reviewFrequencyDays = 30;
        divisional.tolerances = {{"information", d::Appetite::kCautious}, {"operational", d::Appetite::kMinimal}};
        s->riskRegisters().save(divisional);

        parent = d::Risk::basic("r1", "CR-012", "Management information", "", "strategic");
        parent.registerId = "reg-s";
        parent.current = d::RiskRating{4, 4};
        s->risks().save(parent);

        child = d::Risk::basic("r2", "DR-CSD-03", "Manual trackers", "Trackers fill data gaps", "divisional");
        child.registerId = "reg-d";
        child.cause = "MI is not real time";
        child.event = "Figures disagree";
        child.effect = "Decisions on wrong figures";
        child.ownerIds = {"p1", "p2"};
        child.category = "information";
        child.inherent = d::RiskRating{5, 4};
        child.current = d::RiskRating{4, 4};
        child.target = d::RiskRating{2, 3};
        child.targetReason = "";
        child.controls = {"Weekly reconciliation", "Dashboard review"};
        child.linkedRecommendations = {"IA-2024-25-PM/3"};
        child.linkedActions = {"IA-2024-25-PM/3.1"};
        child.lastReview = year{2025} / month{12} / day{10};
        child.nextReview = year{2026} / month{1} / day{10};
        child.status = d::RiskStatus::kOpen;
        child.parentId = "r1";
        s->risks().save(child);
    }
    d::RiskRegister strategic, divisional;
    d::Risk parent, child;
};

TEST_P(RiskContract, ARegisterAndARiskReadBackFieldForField) {
    seed();
    auto reg = s->riskRegisters().findByName("Client Services Delivery Risk Register");
    ASSERT_TRUE(reg);
    EXPECT_EQ(*reg, divisional);
    EXPECT_EQ(s->riskRegisters().findById("reg-s"), strategic);
    ASSERT_EQ(s->riskRegisters().list().size(), 2u);
    EXPECT_EQ(s->riskRegisters().list().front().name, "Client Services Delivery Risk Register");  // by name

    EXPECT_EQ(s->risks().findByReference("DR-CSD-03"), child);
    EXPECT_EQ(s->risks().findById("r2"), child);
    EXPECT_FALSE(s->risks().findById("nope"));
    const auto all = s->risks().list();
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0].reference, "CR-012");
}

TEST_P(RiskContract, SavingAgainReplacesOwnersControlsAndTolerances) {
    seed();
    child.ownerIds = {"p2"};
    child.controls = {};
    child.current.reset();
    child.status = d::RiskStatus::kClosed;
    child.parentId.reset();
    s->risks().save(child);
    EXPECT_EQ(s->risks().findById("r2"), child);
    divisional.tolerances = {{"financial", d::Appetite::kAverse}};
    s->riskRegisters().save(divisional);
    EXPECT_EQ(s->riskRegisters().findById("reg-d"), divisional);
}

TEST_P(RiskContract, ScoreChangesAndDecisionsAreKeptInOrder) {
    seed();
    d::RiskScoreChange first;
    first.riskId = "r2";
    first.number = 1;
    first.at = "2026-01-05T12:00:00Z";
    first.date = year{2026} / month{1} / day{5};
    first.actorName = "import risks.csv";
    first.inherent = d::RiskRating{5, 4};
    first.current = d::RiskRating{3, 3};
    first.reason = "first scored";
    d::RiskScoreChange second = first;
    second.number = 2;
    second.actorId = "p1";
    second.actorName = "Head of Client Services Operations";
    second.current = d::RiskRating{4, 4};
    second.target = d::RiskRating{2, 3};
    second.reason = "trackers spread";
    s->risks().addScoreChange(second);
    s->risks().addScoreChange(first);
    const auto changes = s->risks().scoreChanges(std::string("r2"));
    ASSERT_EQ(changes.size(), 2u);
    EXPECT_EQ(changes[0], first);
    EXPECT_EQ(changes[1], second);
    EXPECT_TRUE(s->risks().scoreChanges(std::string("r1")).empty());
    EXPECT_EQ(s->risks().scoreChanges(std::nullopt).size(), 2u);
    EXPECT_THROW(s->risks().addScoreChange(first), d::ConflictError);  // (risk, number) is unique

    d::EscalationDecision decision;
    decision.riskId = "r2";
    decision.number = 1;
    decision.kind = d::EscalationKind::kEscalate;
    decision.strategicRiskId = "r1";
    decision.groupId = "g1";
    decision.decidedById = "p1";
    decision.decidedByName = "Head of Client Services Operations";
    decision.date = year{2026} / month{1} / day{5};
    decision.at = "2026-01-05T12:00:00Z";
    decision.reason = "over threshold";
    s->risks().addDecision(decision);
    d::EscalationDecision back = decision;
    back.number = 2;
    back.kind = d::EscalationKind::kDeEscalate;
    back.decidedById.reset();
    s->risks().addDecision(back);
    const auto decisions = s->risks().decisions(std::string("r2"));
    ASSERT_EQ(decisions.size(), 2u);
    EXPECT_EQ(decisions[0], decision);
    EXPECT_EQ(decisions[1], back);
    EXPECT_EQ(s->risks().decisions(std::nullopt).size(), 2u);
}

TEST_P(RiskContract, ARiskCannotPointAtAMissingParentOrRegister) {
    seed();
    auto orphan = d::Risk::basic("r3", "DR-X", "x", "", "divisional");
    orphan.parentId = "missing";
    EXPECT_THROW(s->risks().save(orphan), d::ConflictError);
    orphan.parentId.reset();
    orphan.registerId = "missing";
    EXPECT_THROW(s->risks().save(orphan), d::ConflictError);
    EXPECT_FALSE(s->risks().findByReference("DR-X"));
}

TEST_P(RiskContract, ADuplicateRegisterNameIsAConflict) {
    seed();
    d::RiskRegister again = divisional;
    again.id = "reg-other";
    EXPECT_THROW(s->riskRegisters().save(again), d::ConflictError);
}

TEST_P(RiskContract, AWholeStoreCopyCarriesRegistersRisksHistoryAndDecisions) {
    seed();
    d::RiskScoreChange change;
    change.riskId = "r2";
    change.at = "2026-01-05T12:00:00Z";
    change.date = year{2026} / month{1} / day{5};
    change.actorName = "import";
    change.current = d::RiskRating{4, 4};
    s->risks().addScoreChange(change);
    d::EscalationDecision decision;
    decision.riskId = "r2";
    decision.strategicRiskId = "r1";
    decision.groupId = "g1";
    decision.decidedByName = "Governance Officer";
    decision.date = change.date;
    decision.at = change.at;
    s->risks().addDecision(decision);
    auto* from = s->transfer();
    ASSERT_NE(from, nullptr);
    const auto contents = from->exportAll();
    EXPECT_EQ(contents.riskRegisters.size(), 2u);
    EXPECT_EQ(contents.risks.size(), 2u);
    EXPECT_EQ(contents.riskScoreChanges.size(), 1u);
    EXPECT_EQ(contents.riskDecisions.size(), 1u);
    EXPECT_EQ(from->countRows(), contents.counts());

    auto target = makeBackend(GetParam());
    ASSERT_TRUE(target);
    auto targetStore = target->open();
    targetStore->migrate();
    auto t = targetStore->openSession();
    d::copyStore(*s, *t, false);
    EXPECT_EQ(t->risks().findById("r2"), child);
    EXPECT_EQ(t->riskRegisters().findById("reg-d"), divisional);
    EXPECT_EQ(t->risks().decisions(std::nullopt).size(), 1u);
    t->transaction([&] { t->transfer()->clearAll(); });
    EXPECT_TRUE(t->risks().list().empty());
}

GOVTRACK_ON_EVERY_BACKEND(RiskContract);

}  // namespace
}  // namespace govtrack::test
