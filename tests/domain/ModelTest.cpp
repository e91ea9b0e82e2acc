#include <gtest/gtest.h>

#include "govtrack/domain/Model.h"

namespace d = govtrack::domain;

TEST(Model, EnumNamesRoundTrip) {
    for (auto s : {d::ActionStatus::kNotStarted, d::ActionStatus::kInProgress, d::ActionStatus::kImplemented,
                   d::ActionStatus::kVerified, d::ActionStatus::kRiskAccepted, d::ActionStatus::kSuperseded,
                   d::ActionStatus::kWithdrawn}) {
        EXPECT_EQ(d::parseActionStatus(d::toString(s)), s);
    }
    for (auto r : {d::ManagementResponse::kAccepted, d::ManagementResponse::kPartiallyAccepted,
                   d::ManagementResponse::kRiskTolerated, d::ManagementResponse::kRejected}) {
        EXPECT_EQ(d::parseManagementResponse(d::toString(r)), r);
    }
}

TEST(Model, ParsesHowPeopleWriteValues) {
    EXPECT_EQ(d::parsePriority("M"), d::Priority::kMedium);
    EXPECT_EQ(d::parsePriority(" High "), d::Priority::kHigh);
    EXPECT_EQ(d::parseManagementResponse("Partially accepted"), d::ManagementResponse::kPartiallyAccepted);
    EXPECT_EQ(d::parseManagementResponse("risk-tolerated"), d::ManagementResponse::kRiskTolerated);
    EXPECT_EQ(d::parseActionStatus("In Progress"), d::ActionStatus::kInProgress);
    EXPECT_EQ(d::parsePillar("Leadership & Accountability"), d::Pillar::kLeadershipAccountability);
    EXPECT_EQ(d::parseAssuranceLevel("Reasonable"), d::AssuranceLevel::kReasonable);
}

TEST(Model, RefusesUnknownValuesAndListsAllowedOnes) {
    EXPECT_FALSE(d::parsePriority("urgent"));
    EXPECT_FALSE(d::parsePriority(""));
    EXPECT_FALSE(d::parseActionStatus("done"));
    EXPECT_EQ(d::allowedPriorities(), "high, medium, low");
    EXPECT_NE(d::allowedActionStatuses().find("risk_accepted"), std::string::npos);
}
