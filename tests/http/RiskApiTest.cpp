// The risk routes (issue 4): registers, risks with the route both ways, the heat map by basis, history, and
// problem+json for bad parameters and unknown risks. Reads only.
#include "ApiTestFixture.h"

namespace govtrack::http::test {
namespace {

namespace d = govtrack::domain;

class RiskApiTest : public ApiServerTest {
protected:
    void seedRisks() {
        auto s = store_.openSession();
        d::RiskRegister strategic;
        strategic.id = "reg-s";
        strategic.name = "Strategic Risk Register";
        strategic.level = d::RiskLevel::kStrategic;
        s->riskRegisters().save(strategic);
        d::RiskRegister csd;
        csd.id = "reg-d";
        csd.name = "Client Services Delivery Risk Register";
        csd.level = d::RiskLevel::kDivisional;
        csd.escalationThreshold = 15;
        csd.tolerances = {{"information", d::Appetite::kCautious}};
        s->riskRegisters().save(csd);
        auto parent = d::Risk::basic("r1", "CR-012", "Management information", "", "strategic");
        parent.registerId = "reg-s";
        parent.current = d::RiskRating{4, 4};
        parent.inherent = d::RiskRating{5, 4};
        s->risks().save(parent);
        auto child = d::Risk::basic("r2", "DR-CSD-03", "Manual trackers", "", "divisional");
        child.registerId = "reg-d";
        child.category = "information";
        child.current = d::RiskRating{3, 5};
        child.parentId = "r1";
        s->risks().save(child);
        d::RiskScoreChange first;
        first.riskId = "r2";
        first.at = "2025-09-01T09:00:00Z";
        first.date = ymd(2025, 9, 1);
        first.actorName = "import";
        first.current = d::RiskRating{2, 5};
        s->risks().addScoreChange(first);
        first.number = 2;
        first.current = d::RiskRating{3, 5};
        first.reason = "trackers spread";
        s->risks().addScoreChange(first);
        writesAfterRisks_ = store_.writes();
    }
    int writesAfterRisks_ = 0;
};

TEST_F(RiskApiTest, RegistersListLevelsThresholdsAndTolerances) {
    seedRisks();
    const auto r = get("/api/v1/registers");
    ASSERT_EQ(r.status, 200) << r.body;
    const auto j = r.json();
    ASSERT_EQ(j["total"], 2);
    EXPECT_EQ(j["items"][0]["name"], "Client Services Delivery Risk Register");
    EXPECT_EQ(j["items"][0]["tolerances"]["information"], "cautious");
    EXPECT_EQ(j["items"][0]["tolerance_max_scores"]["information"], 9);
    EXPECT_EQ(store_.writes(), writesAfterRisks_);
}

TEST_F(RiskApiTest, RisksShowEscalationDueAndTheRouteBothWays) {
    seedRisks();
    const auto all = get("/api/v1/risks").json();
    ASSERT_EQ(all["total"], 2);
    const auto due = get("/api/v1/risks?escalation_due=true").json();
    ASSERT_EQ(due["total"], 1);
    EXPECT_EQ(due["items"][0]["reference"], "DR-CSD-03");
    EXPECT_EQ(due["items"][0]["parent"], "CR-012");
    const auto parent = get("/api/v1/risks/cr-012");
    ASSERT_EQ(parent.status, 200);
    EXPECT_EQ(parent.json()["contributors"][0]["reference"], "DR-CSD-03");
    EXPECT_EQ(parent.json()["contributors"][0]["current"]["score"], 15);
    EXPECT_EQ(parent.json()["current"]["level"], "high");
    const auto missing = get("/api/v1/risks/CR-404");
    EXPECT_EQ(missing.status, 404);
    EXPECT_EQ(missing.contentType, "application/problem+json");
    EXPECT_EQ(get("/api/v1/risks?level=corporate").status, 400);
    EXPECT_EQ(store_.writes(), writesAfterRisks_);
}

TEST_F(RiskApiTest, HeatMapCountsRisksPerCellOnTheChosenBasis) {
    seedRisks();
    const auto current = get("/api/v1/risks/heatmap").json();
    EXPECT_EQ(current["basis"], "current");
    ASSERT_EQ(current["cells"].size(), 25u);
    for (const auto& c : current["cells"]) {
        if (c["likelihood"] == 3 && c["impact"] == 5) {
            EXPECT_EQ(c["count"], 1);
            EXPECT_EQ(c["risks"][0], "DR-CSD-03");
            EXPECT_EQ(c["level"], "high");
        }
    }
    const auto inherent = get("/api/v1/risks/heatmap?basis=inherent&register=Strategic%20Risk%20Register").json();
    EXPECT_EQ(inherent["placed"], 1);
    EXPECT_EQ(get("/api/v1/risks/heatmap?basis=residual").json()["basis"], "current");
    const auto bad = get("/api/v1/risks/heatmap?basis=worst");
    EXPECT_EQ(bad.status, 400);
    EXPECT_NE(bad.body.find("inherent, current, target"), std::string::npos);
    EXPECT_EQ(get("/api/v1/risks/heatmap?register=Nope").status, 404);
}

TEST_F(RiskApiTest, HistoryListsEveryScoreChangeInOrder) {
    seedRisks();
    const auto r = get("/api/v1/risks/DR-CSD-03/history");
    ASSERT_EQ(r.status, 200) << r.body;
    const auto j = r.json();
    ASSERT_EQ(j["changes"].size(), 2u);
    EXPECT_EQ(j["changes"][0]["current"]["score"], 10);
    EXPECT_EQ(j["changes"][1]["current"]["score"], 15);
    EXPECT_EQ(j["changes"][1]["reason"], "trackers spread");
    EXPECT_EQ(get("/api/v1/risks/NOPE/history").status, 404);
}

}  // namespace
}  // namespace govtrack::http::test
