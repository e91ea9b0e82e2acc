// RiskService (issue 4): re-scoring keeps history, escalation decisions link both ways and name who, when
// and which group, and the register import is all-or-nothing with FILE:LINE problems.
#include <gtest/gtest.h>

#include "govtrack/domain/Error.h"
#include "govtrack/domain/RiskQueries.h"
#include "govtrack/domain/RiskService.h"

#include "CountingIds.h"
#include "InMemoryStore.h"

namespace {

namespace d = govtrack::domain;
using std::chrono::day;
using std::chrono::month;
using std::chrono::year;

class PlainHasher final : public d::Hasher {
public:
    std::string sha256Hex(std::string_view data) override {
        return std::to_string(std::hash<std::string_view>{}(data));
    }
};

class RiskServiceTest : public ::testing::Test {
protected:
    void SetUp() override {
        session = store.openSession();
        audit = std::make_unique<d::AuditTrail>(session->events(), clock, hasher);
        d::GovernanceGroup group;
        group.id = "g-rrg";
        group.name = "Risk and Reputation Group";
        d::Person secretary;
        secretary.id = "p-sec";
        secretary.roleTitle = "Governance Officer";
        secretary.roles = {d::Role::kSecretariat};
        d::Person chair;
        chair.id = "p-chair";
        chair.roleTitle = "Chief Data Officer";
        d::Person outsider;
        outsider.id = "p-out";
        outsider.roleTitle = "Product Owner";
        group.members = {{"p-chair", d::MemberRole::kChair}};
        session->people().save(secretary);
        session->people().save(chair);
        session->people().save(outsider);
        session->groups().save(group);
        secretariat = d::Actor::of(secretary);
        chairActor = d::Actor::of(chair);
        outsiderActor = d::Actor::of(outsider);
        service().import(document(), d::Actor::system("import risks.csv"));
    }

    d::RiskService service() { return d::RiskService(*session, *audit, clock, ids, d::ScoringMatrix::standard()); }

    static d::RiskImportRecord riskRow(const std::string& line, const std::string& reg, const std::string& ref,
                                       d::RiskRating current, std::optional<std::string> parent = std::nullopt) {
        d::RiskImportRecord r;
        r.origin = "risks.csv:" + line;
        r.registerName = reg;
        r.risk.reference = ref;
        r.risk.title = "Risk " + ref;
        r.risk.category = "information";
        r.risk.current = current;
        r.risk.target = d::RiskRating{2, 2};
        r.ownerRoleTitles = {"Head of Client Services Operations", "Chief Data Officer"};
        r.parentReference = std::move(parent);
        return r;
    }

    static d::RiskRegisterDocument document() {
        d::RiskRegisterDocument doc;
        d::RiskRegisterRecord s;
        s.origin = "risks.csv:2";
        s.name = "Strategic Risk Register";
        s.level = d::RiskLevel::kStrategic;
        s.reviewFrequencyDays = 91;
        d::RiskRegisterRecord csd;
        csd.origin = "risks.csv:3";
        csd.name = "Client Services Delivery Risk Register";
        csd.level = d::RiskLevel::kDivisional;
        csd.escalationThreshold = 15;
        csd.reviewFrequencyDays = 30;
        csd.tolerances = {{"information", d::Appetite::kCautious}};
        doc.registers = {s, csd};
        doc.risks = {riskRow("2", "Strategic Risk Register", "CR-012", {4, 4}),
                     riskRow("3", "client services delivery risk register", "DR-CSD-03", {3, 5}, "cr-012"),
                     riskRow("4", "Client Services Delivery Risk Register", "DR-CSD-04", {2, 3})};
        return doc;
    }

    d::RiskView view(const std::string& ref) {
        for (auto& v : d::loadRiskPortfolio(*session, d::ScoringMatrix::standard(), clock.today()).risks) {
            if (v.risk.reference == ref) return v;
        }
        throw std::runtime_error("no " + ref);
    }

    govtrack::testing::InMemoryStore store;
    std::unique_ptr<d::StoreSession> session;
    d::FixedClock clock{year{2026} / month{1} / day{5}};
    PlainHasher hasher;
    govtrack::test::CountingIds ids;
    std::unique_ptr<d::AuditTrail> audit;
    d::Actor secretariat, chairActor, outsiderActor;
};

TEST_F(RiskServiceTest, ImportCreatesRegistersRisksOwnersParentsAndFirstScores) {
    const auto st = store.state();
    EXPECT_EQ(st.riskRegisters.size(), 2u);
    EXPECT_EQ(st.risks.size(), 3u);
    EXPECT_EQ(st.riskScoreChanges.size(), 3u);
    const auto child = view("DR-CSD-03");
    EXPECT_EQ(child.parentReference, "CR-012");
    EXPECT_EQ(child.ownerRoleTitles,
              (std::vector<std::string>{"Head of Client Services Operations", "Chief Data Officer"}));
    EXPECT_EQ(child.currentLevel, "high");
    EXPECT_TRUE(child.escalation.due);  // 15 = threshold 15
    const auto parent = view("CR-012");
    ASSERT_EQ(parent.contributors.size(), 1u);
    EXPECT_EQ(parent.contributors[0].reference, "DR-CSD-03");
    EXPECT_TRUE(parent.contributors[0].escalationDue);
    EXPECT_FALSE(view("DR-CSD-04").escalation.due);
}

TEST_F(RiskServiceTest, ImportingTheSameFileAgainChangesNothing) {
    const auto before = store.state();
    const auto summary = service().import(document(), d::Actor::system("import risks.csv"));
    EXPECT_EQ(summary.risks, 0);
    EXPECT_EQ(summary.registers, 0);
    EXPECT_EQ(store.state().riskScoreChanges.size(), before.riskScoreChanges.size());
    EXPECT_EQ(store.state().events.size(), before.events.size());
}

TEST_F(RiskServiceTest, RescoreKeepsEveryScoreChangeAndRecordsAReview) {
    d::RiskRescore change;
    change.current = d::RiskRating{4, 4};
    change.reason = "Trackers now in every area";
    const auto after = service().rescore("dr-csd-04", change, secretariat);
    EXPECT_EQ(after.lastReview, clock.today());
    EXPECT_EQ(after.nextReview, d::Date(year{2026} / month{2} / day{4}));  // + 30 days
    const auto h = d::loadRiskHistory(*session, "DR-CSD-04");
    ASSERT_EQ(h.changes.size(), 2u);
    EXPECT_EQ(h.changes[0].current, (d::RiskRating{2, 3}));
    EXPECT_EQ(h.changes[1].current, (d::RiskRating{4, 4}));
    EXPECT_EQ(h.changes[1].actorName, "Governance Officer");
    EXPECT_EQ(h.changes[1].reason, "Trackers now in every area");
    EXPECT_EQ(h.changes[1].number, 2);
    EXPECT_TRUE(view("DR-CSD-04").escalation.due);
}

TEST_F(RiskServiceTest, RescoreRefusesBadValuesAndChangesNothing) {
    const auto before = store.state();
    d::RiskRescore six;
    six.current = d::RiskRating{6, 3};
    EXPECT_THROW(service().rescore("DR-CSD-04", six, secretariat), d::ValidationError);
    d::RiskRescore zero;
    zero.inherent = d::RiskRating{3, 0};
    EXPECT_THROW(service().rescore("DR-CSD-04", zero, secretariat), d::ValidationError);
    d::RiskRescore up;
    up.target = d::RiskRating{4, 4};  // above current 2x3 = 6
    try {
        service().rescore("DR-CSD-04", up, secretariat);
        FAIL() << "target above current without a reason accepted";
    } catch (const d::ValidationError& e) {
        EXPECT_NE(std::string(e.what()).find("target_reason"), std::string::npos) << e.what();
    }
    EXPECT_THROW(service().rescore("DR-404", up, secretariat), d::NotFoundError);
    EXPECT_EQ(store.state().risks, before.risks);
    EXPECT_EQ(store.state().riskScoreChanges.size(), before.riskScoreChanges.size());
    up.reason = "Funding for the data platform withdrawn this year";
    EXPECT_EQ(service().rescore("DR-CSD-04", up, secretariat).targetReason, up.reason);
}

TEST_F(RiskServiceTest, EscalatingLinksBothWaysAndNamesWhoWhenAndWhichGroup) {
    d::EscalationRequest request;
    request.riskReference = "DR-CSD-03";
    request.groupName = "risk and reputation group";
    request.toReference = "CR-012";
    request.reason = "Score at threshold";
    const auto decision = service().escalate(request, chairActor);
    EXPECT_EQ(decision.kind, d::EscalationKind::kEscalate);
    EXPECT_EQ(decision.groupId, "g-rrg");
    EXPECT_EQ(decision.decidedByName, "Chief Data Officer");
    EXPECT_EQ(decision.date, clock.today());
    const auto child = view("DR-CSD-03");
    EXPECT_TRUE(child.escalation.escalated);
    EXPECT_FALSE(child.escalation.due);
    EXPECT_EQ(child.escalationGroupName, "Risk and Reputation Group");
    EXPECT_EQ(child.routeUpward, std::vector<std::string>{"CR-012"});
    const auto parent = view("CR-012");
    ASSERT_EQ(parent.contributors.size(), 1u);
    EXPECT_TRUE(parent.contributors[0].escalated);
    EXPECT_EQ(parent.contributors[0].current, (d::RiskRating{3, 5}));
    // The audit trail has the decision with its group.
    const auto events = store.state().events;
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(events.back().change, "escalate");
    EXPECT_EQ(events.back().reason, "Risk and Reputation Group: Score at threshold");

    d::EscalationRequest back;
    back.riskReference = "DR-CSD-03";
    back.groupName = "Risk and Reputation Group";
    EXPECT_THROW(service().deEscalate(back, secretariat), d::ValidationError);  // no reason
    back.reason = "Reconciliation controls in place";
    service().deEscalate(back, secretariat);
    EXPECT_FALSE(view("DR-CSD-03").escalation.escalated);
    EXPECT_FALSE(view("DR-CSD-03").escalation.due);  // decided since the last score change
    EXPECT_EQ(d::loadRiskHistory(*session, "DR-CSD-03").decisions.size(), 2u);
}

TEST_F(RiskServiceTest, EscalatingCanCreateTheStrategicRisk) {
    d::EscalationRequest request;
    request.riskReference = "DR-CSD-04";
    request.groupName = "Risk and Reputation Group";
    request.newRiskReference = "CR-020";
    request.newRiskTitle = "Reconciling local and corporate figures";
    service().escalate(request, secretariat);
    const auto created = view("CR-020");
    EXPECT_EQ(created.registerName, "Strategic Risk Register");
    EXPECT_EQ(created.risk.current, (d::RiskRating{2, 3}));
    ASSERT_EQ(created.contributors.size(), 1u);
    EXPECT_EQ(created.contributors[0].reference, "DR-CSD-04");
}

TEST_F(RiskServiceTest, EscalationDecisionsAreRefusedToOthersAndOnBadRoutes) {
    const auto before = store.state();
    d::EscalationRequest request;
    request.riskReference = "DR-CSD-03";
    request.groupName = "Risk and Reputation Group";
    request.toReference = "CR-012";
    EXPECT_THROW(service().escalate(request, outsiderActor), d::ForbiddenError);
    request.toReference = "DR-CSD-04";  // a divisional risk is not higher
    EXPECT_THROW(service().escalate(request, secretariat), d::ValidationError);
    request.riskReference = "CR-012";  // strategic risks do not escalate
    request.toReference = "CR-012";
    EXPECT_THROW(service().escalate(request, secretariat), d::ValidationError);
    request.riskReference = "DR-CSD-03";
    request.groupName = "No Such Group";
    EXPECT_THROW(service().escalate(request, secretariat), d::NotFoundError);
    d::EscalationRequest no;
    no.riskReference = "DR-CSD-03";
    no.groupName = "Risk and Reputation Group";
    EXPECT_THROW(service().recordNoEscalation(no, secretariat), d::ValidationError);  // a reason is required
    EXPECT_EQ(store.state().risks, before.risks);
    EXPECT_EQ(store.state().riskDecisions.size(), 0u);
    EXPECT_EQ(store.state().events.size(), before.events.size());
    no.reason = "Temporary peak; recovery plan agreed";
    service().recordNoEscalation(no, secretariat);
    EXPECT_FALSE(view("DR-CSD-03").escalation.due);
}

TEST_F(RiskServiceTest, ImportRefusesBadParentsAndCyclesListingEveryProblem) {
    const auto before = store.state();
    d::RiskRegisterDocument doc;
    doc.risks = {riskRow("7", "Strategic Risk Register", "CR-012", {4, 4}, "DR-CSD-04"),  // lower-level parent
                 riskRow("8", "Client Services Delivery Risk Register", "DR-CSD-05", {3, 3}, "CR-404"),
                 riskRow("9", "Unknown Register", "DR-X-01", {3, 3})};
    try {
        service().import(doc, secretariat);
        FAIL() << "import accepted";
    } catch (const d::ValidationError& e) {
        ASSERT_EQ(e.errors().size(), 3u);
        EXPECT_EQ(e.errors()[0].where.substr(0, 10), "risks.csv:");
        std::string all;
        for (const auto& fe : e.errors()) all += fe.where + " " + fe.message + "\n";
        EXPECT_NE(all.find("risks.csv:7 parent: DR-CSD-04 is on a divisional register"), std::string::npos) << all;
        EXPECT_NE(all.find("risks.csv:8 parent: no risk has the reference 'CR-404'"), std::string::npos) << all;
        EXPECT_NE(all.find("risks.csv:9 register: no risk register is named 'Unknown Register'"), std::string::npos)
            << all;
    }
    EXPECT_EQ(store.state().risks, before.risks);
    EXPECT_EQ(store.state().events.size(), before.events.size());
}

TEST_F(RiskServiceTest, ImportRefusesACycleOfParents) {
    d::RiskRegisterDocument doc;
    d::RiskRegisterRecord programme;
    programme.origin = "p.csv:2";
    programme.name = "Benefits Programme Register";
    programme.level = d::RiskLevel::kProgramme;
    doc.registers = {programme};
    // CR-012 > PR-1 > DR-CSD-03 > CR-012: a loop, whatever the levels say.
    doc.risks = {riskRow("2", "Benefits Programme Register", "PR-1", {3, 3}, "DR-CSD-03"),
                 riskRow("3", "Strategic Risk Register", "CR-012", {4, 4}, "PR-1")};
    try {
        service().import(doc, secretariat);
        FAIL();
    } catch (const d::ValidationError& e) {
        std::string all;
        for (const auto& fe : e.errors()) all += fe.where + " " + fe.message + "\n";
        EXPECT_NE(all.find("cycle of parents"), std::string::npos) << all;
    }
    EXPECT_FALSE(session->riskRegisters().findByName("Benefits Programme Register"));
}

TEST_F(RiskServiceTest, ImportRefusesATargetAboveCurrentWithoutAReason) {
    d::RiskRegisterDocument doc;
    auto row = riskRow("5", "Client Services Delivery Risk Register", "DR-CSD-09", {2, 2});
    row.risk.target = d::RiskRating{3, 3};
    doc.risks = {row};
    EXPECT_THROW(service().import(doc, secretariat), d::ValidationError);
    EXPECT_FALSE(session->risks().findByReference("DR-CSD-09"));
    doc.risks[0].risk.targetReason = "Accepting more risk while the new system beds in";
    EXPECT_NO_THROW(service().import(doc, secretariat));
}

TEST_F(RiskServiceTest, HeatMapCountsOpenRisksPerCellOnEachBasis) {
    const auto risks = d::loadRiskPortfolio(*session, d::ScoringMatrix::standard(), clock.today()).risks;
    const auto current = d::buildHeatMap(risks, d::ScoringMatrix::standard(), d::HeatMapBasis::kCurrent);
    EXPECT_EQ(current.placed, 3);
    EXPECT_EQ(current.cells[3][3].references, std::vector<std::string>{"CR-012"});     // 4x4
    EXPECT_EQ(current.cells[2][4].references, std::vector<std::string>{"DR-CSD-03"});  // 3x5
    EXPECT_EQ(current.cells[3][3].level, "high");
    const auto target = d::buildHeatMap(risks, d::ScoringMatrix::standard(), d::HeatMapBasis::kTarget);
    EXPECT_EQ(target.cells[1][1].references.size(), 3u);
    const auto inherent = d::buildHeatMap(risks, d::ScoringMatrix::standard(), d::HeatMapBasis::kInherent);
    EXPECT_EQ(inherent.unscored, 3);
}

}  // namespace
