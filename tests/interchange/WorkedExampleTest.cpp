#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "govtrack/domain/Error.h"
#include "govtrack/interchange/CsvTrackerReader.h"
#include "govtrack/interchange/JsonPlanReader.h"

namespace govtrack::interchange {
namespace {

using domain::TargetDate;

std::string readExample(const std::string& name) {
    const std::string path = std::string(GOVTRACK_SOURCE_DIR) + "/docs/examples/" + name;
    std::ifstream in(path, std::ios::binary);
    EXPECT_TRUE(in.good()) << "cannot open " << path;
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

/// Reads an example, turning a ValidationError into a readable test failure.
template <typename Reader>
domain::ActionPlanDocument readExampleWith(Reader reader, const std::string& name) {
    try {
        return reader(readExample(name), name);
    } catch (const domain::ValidationError& e) {
        std::string problems;
        for (const auto& error : e.errors()) problems += error.where + ": " + error.message + "\n";
        ADD_FAILURE() << e.what() << "\n" << problems;
        return {};
    }
}

const domain::EngagementRecord* findEngagement(const domain::ActionPlanDocument& doc, const std::string& reference) {
    for (const auto& e : doc.engagements) {
        if (e.engagement.reference == reference) return &e;
    }
    return nullptr;
}

TEST(WorkedExample, JsonDescribesThePerformanceManagementReview) {
    const auto doc = readExampleWith(&readJsonPlan, "performance-management-2024-25.json");
    const auto* pm = findEngagement(doc, "IA-2024-25-PM");
    ASSERT_NE(pm, nullptr);
    EXPECT_EQ(pm->engagement.title, "Performance Management");
    EXPECT_EQ(pm->engagement.auditYear, "2024-25");
    EXPECT_EQ(pm->engagement.assuranceLevel, domain::AssuranceLevel::kReasonable);
    EXPECT_EQ(pm->engagement.status, domain::EngagementStatus::kFinal);
    EXPECT_EQ(pm->engagement.resourceDays, 30);
    EXPECT_EQ(pm->engagement.fieldworkStart, TargetDate::monthOnly(2024, 10));
    EXPECT_EQ(pm->engagement.fieldworkEnd, TargetDate::monthOnly(2025, 1));
    EXPECT_EQ(pm->engagement.issueDate->iso(), "2025-05-02");
    EXPECT_EQ(pm->followsUpReference, "IA-2021-22-PE");
    EXPECT_EQ(pm->findings.size(), 19U);  // 3.1.1-3.1.12 and 3.2.1-3.2.7

    const auto* pe = findEngagement(doc, "IA-2021-22-PE");
    ASSERT_NE(pe, nullptr);
    EXPECT_EQ(pe->status, domain::EngagementStatus::kClosed);
    EXPECT_TRUE(pe->recommendations.empty());

    EXPECT_EQ(doc.risks.size(), 3U);
    EXPECT_EQ(doc.groups.size(), 6U);
    for (const auto& g : doc.groups) {
        if (g.name == "Performance Forum") {
            EXPECT_EQ(g.supersededByName, "Benefit Performance Review Group");
            EXPECT_EQ(g.effectiveTo, TargetDate::monthOnly(2025, 6));
        }
        if (g.name == "Error Control Working Group") {
            EXPECT_EQ(g.parentName, "Benefit Performance Review Group");
        }
    }
}

TEST(WorkedExample, JsonAndCsvDescribeTheSamePlan) {
    const auto json = readExampleWith(&readJsonPlan, "performance-management-2024-25.json");
    const auto csv = readExampleWith(&readCsvTracker, "performance-management-2024-25.csv");
    const auto* fromJson = findEngagement(json, "IA-2024-25-PM");
    const auto* fromCsv = findEngagement(csv, "IA-2024-25-PM");
    ASSERT_NE(fromJson, nullptr);
    ASSERT_NE(fromCsv, nullptr);
    EXPECT_EQ(csv.engagements.size(), 1U);
    EXPECT_EQ(fromCsv->engagement.title, fromJson->engagement.title);
    EXPECT_EQ(fromCsv->engagement.auditYear, fromJson->engagement.auditYear);
    EXPECT_EQ(fromCsv->engagement.assuranceLevel, fromJson->engagement.assuranceLevel);

    ASSERT_EQ(fromJson->recommendations.size(), 3U);
    ASSERT_EQ(fromCsv->recommendations.size(), 3U);
    for (std::size_t i = 0; i < 3; ++i) {
        const auto& j = fromJson->recommendations[i];
        const auto& c = fromCsv->recommendations[i];
        SCOPED_TRACE("recommendation " + std::to_string(j.number));
        EXPECT_EQ(j.number, static_cast<int>(i) + 1);
        EXPECT_EQ(c.number, j.number);
        EXPECT_EQ(j.priority, domain::Priority::kMedium);
        EXPECT_EQ(c.priority, domain::Priority::kMedium);
        EXPECT_EQ(c.title, j.title);
        EXPECT_EQ(c.text, j.text);
        EXPECT_EQ(c.managementResponse, j.managementResponse);
        ASSERT_EQ(j.actions.size(), 1U);
        ASSERT_EQ(c.actions.size(), 1U);
        EXPECT_EQ(c.actions[0].number, j.actions[0].number);
        EXPECT_EQ(c.actions[0].description, j.actions[0].description);
        EXPECT_EQ(c.actions[0].leadOwnerRoleTitle, j.actions[0].leadOwnerRoleTitle);
        EXPECT_EQ(c.actions[0].coOwnerRoleTitles, j.actions[0].coOwnerRoleTitles);
        EXPECT_EQ(c.actions[0].originalTargetDate, j.actions[0].originalTargetDate);
        EXPECT_EQ(c.actions[0].status, j.actions[0].status);
    }

    // The plan as SPEC 7 states it.
    const auto& recs = fromJson->recommendations;
    EXPECT_EQ(recs[0].managementResponse, domain::ManagementResponse::kAccepted);
    EXPECT_EQ(recs[0].actions[0].originalTargetDate, TargetDate::monthOnly(2025, 12));
    EXPECT_EQ(recs[0].actions[0].leadOwnerRoleTitle, "Organisational Design and Strategic Capability Lead");
    EXPECT_EQ(recs[0].actions[0].coOwnerRoleTitles, std::vector<std::string>{"Head of People & Place"});
    EXPECT_EQ(recs[0].actions[0].status, domain::ActionStatus::kInProgress);
    EXPECT_EQ(recs[1].actions[0].originalTargetDate, TargetDate::monthOnly(2025, 6));
    EXPECT_EQ(recs[1].actions[0].leadOwnerRoleTitle, "Head of Performance, Analysis and Strategy");
    EXPECT_EQ(
        recs[1].actions[0].coOwnerRoleTitles,
        (std::vector<std::string>{"Head of Client Services Operations", "Organisational Design and Development Lead"}));
    EXPECT_EQ(recs[2].managementResponse, domain::ManagementResponse::kRiskTolerated);
    EXPECT_FALSE(recs[2].actions[0].originalTargetDate.has_value());
    EXPECT_EQ(recs[2].actions[0].leadOwnerRoleTitle, "Chief Data Officer");
    EXPECT_EQ(recs[2].actions[0].coOwnerRoleTitles, std::vector<std::string>{"Product Owner"});
    EXPECT_EQ(recs[2].actions[0].status, domain::ActionStatus::kRiskAccepted);
}

}  // namespace
}  // namespace govtrack::interchange
