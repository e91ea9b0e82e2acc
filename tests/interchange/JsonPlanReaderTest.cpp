#include <algorithm>

#include <gtest/gtest.h>

#include "govtrack/domain/Error.h"
#include "govtrack/interchange/JsonPlanReader.h"

namespace govtrack::interchange {
namespace {

using domain::ActionStatus;
using domain::TargetDate;
using std::chrono::day;
using std::chrono::month;
using std::chrono::year;

domain::Date ymd(int y, unsigned m, unsigned d) {
    return domain::Date{year{y}, month{m}, day{d}};
}

std::vector<domain::FieldError> errorsOf(const std::string& content) {
    try {
        readJsonPlan(content, "p.json");
    } catch (const domain::ValidationError& e) {
        return e.errors();
    }
    return {};
}

bool hasError(const std::vector<domain::FieldError>& errors, const std::string& where, const std::string& text) {
    return std::any_of(errors.begin(), errors.end(), [&](const domain::FieldError& e) {
        return e.where == where && e.message.find(text) != std::string::npos;
    });
}

std::string dump(const std::vector<domain::FieldError>& errors) {
    std::string out;
    for (const auto& e : errors) out += e.where + ": " + e.message + "\n";
    return out;
}

constexpr const char* kPlan = R"({
  "format": "govtrack.action-plan",
  "version": 1,
  "units": [{"name": "Data", "kind": "division", "parent": "Corporate Services"}],
  "people": [{"role_title": "Chief Data Officer", "email": "cdo@example.org", "unit": "Data",
              "line_manager": "Chief Executive", "active": true}],
  "groups": [{"name": "Performance Forum", "kind": "forum", "parent": "Executive Team", "purpose": "p",
              "remit": "r", "meeting_frequency": "monthly", "quorum": "3", "effective_to": "2025-06",
              "superseded_by": "Benefit Performance Review Group"}],
  "risks": [{"reference": "CR-012", "title": "MI", "description": "d", "level": "strategic"}],
  "engagements": [{
    "reference": "IA-1", "title": "Performance Management", "audit_year": "2024-25", "scope": "s",
    "remit_items": ["r1"], "key_risks": ["k1", "k2"], "fieldwork_start": "October 2024",
    "fieldwork_end": "2025-01", "resource_days": 30, "issue_date": "2025-05-02",
    "assurance_level": "reasonable", "status": "final", "follows_up": "IA-0",
    "findings": [{"number": "3.2.5", "kind": "improvement_opportunity", "text": "t", "recommendation": 3}],
    "recommendations": [{
      "number": 3, "title": "Data", "priority": "medium", "management_response": "risk_tolerated",
      "response_text": "tolerated", "linked_risks": ["CR-012"],
      "actions": [{
        "description": "Keep going", "lead_owner": "Chief Data Officer", "co_owners": ["Product Owner"],
        "target_date": "2025-03-31", "status": "in_progress", "pillar": "learning", "line_of_defence": "first",
        "revisions": [{"new_date": "2025-06", "reason": "capacity", "requested_by": "Chief Data Officer",
                       "approved_by": "Executive Team", "decision_date": "2025-03-20"}],
        "progress_updates": [{"date": "2025-04-01", "author": "Product Owner", "text": "started", "percent": 20}]
      }]
    }]
  }]
})";

TEST(JsonPlan, ReadsTheFullModel) {
    const auto doc = readJsonPlan(kPlan, "p.json");
    ASSERT_EQ(doc.units.size(), 1U);
    EXPECT_EQ(doc.units[0].kind, domain::UnitKind::kDivision);
    EXPECT_EQ(doc.units[0].parentName, "Corporate Services");
    EXPECT_EQ(doc.units[0].origin, "p.json:/units/0");
    ASSERT_EQ(doc.people.size(), 1U);
    EXPECT_EQ(doc.people[0].lineManagerRoleTitle, "Chief Executive");
    ASSERT_EQ(doc.groups.size(), 1U);
    EXPECT_EQ(doc.groups[0].kind, domain::GroupKind::kForum);
    EXPECT_EQ(doc.groups[0].effectiveTo, TargetDate::monthOnly(2025, 6));
    EXPECT_EQ(doc.groups[0].supersededByName, "Benefit Performance Review Group");
    ASSERT_EQ(doc.risks.size(), 1U);
    EXPECT_EQ(doc.risks[0].risk.reference, "CR-012");

    ASSERT_EQ(doc.engagements.size(), 1U);
    const auto& e = doc.engagements[0];
    EXPECT_EQ(e.origin, "p.json:/engagements/0");
    EXPECT_EQ(e.engagement.keyRisks.size(), 2U);
    EXPECT_EQ(e.engagement.fieldworkStart, TargetDate::monthOnly(2024, 10));
    EXPECT_EQ(e.engagement.issueDate, TargetDate::day(ymd(2025, 5, 2)));
    EXPECT_EQ(e.engagement.resourceDays, 30);
    EXPECT_EQ(e.engagement.assuranceLevel, domain::AssuranceLevel::kReasonable);
    EXPECT_EQ(e.followsUpReference, "IA-0");
    ASSERT_EQ(e.findings.size(), 1U);
    EXPECT_EQ(e.findings[0].recommendationNumber, 3);
    const auto& rec = e.recommendations.at(0);
    EXPECT_EQ(rec.managementResponse, domain::ManagementResponse::kRiskTolerated);
    EXPECT_EQ(rec.linkedRiskReferences, std::vector<std::string>{"CR-012"});
    const auto& action = rec.actions.at(0);
    EXPECT_EQ(action.origin, "p.json:/engagements/0/recommendations/0/actions/0");
    EXPECT_EQ(action.number, 1);  // defaults to the position in the list
    EXPECT_EQ(action.status, ActionStatus::kInProgress);
    EXPECT_EQ(action.pillar, domain::Pillar::kLearning);
    EXPECT_EQ(action.lineOfDefence, domain::LineOfDefence::kFirst);
    ASSERT_EQ(action.revisions.size(), 1U);
    EXPECT_EQ(action.revisions[0].newDate, TargetDate::monthOnly(2025, 6));
    EXPECT_EQ(action.revisions[0].decisionDate, ymd(2025, 3, 20));
    ASSERT_EQ(action.progressUpdates.size(), 1U);
    EXPECT_EQ(action.progressUpdates[0].percent, 20);
    EXPECT_EQ(action.progressUpdates[0].date, ymd(2025, 4, 1));
}

TEST(JsonPlan, SyntaxErrorGivesLineAndColumn) {
    const std::string text = "{\n  \"engagements\": [\n    {\"reference\": \"IA-1\",}\n  ]\n}\n";
    try {
        readJsonPlan(text, "p.json");
        FAIL() << "expected ValidationError";
    } catch (const domain::ValidationError& e) {
        ASSERT_EQ(e.errors().size(), 1U);
        EXPECT_EQ(e.errors()[0].where, "p.json:3:26") << e.errors()[0].message;  // the } after the comma
        EXPECT_EQ(e.errors()[0].message.rfind("invalid JSON: ", 0), 0U);
        EXPECT_EQ(std::string(e.what()), "p.json: 1 problem found; nothing was imported");
    }
}

TEST(JsonPlan, TruncatedFileReportsTheEnd) {
    const auto errors = errorsOf("{\n \"units\": [");
    ASSERT_EQ(errors.size(), 1U);
    EXPECT_EQ(errors[0].where.rfind("p.json:2:", 0), 0U) << errors[0].where;
}

TEST(JsonPlan, UnknownEnumValuesListTheAllowedOnes) {
    const auto errors = errorsOf(R"({"engagements": [{"reference": "IA-1", "assurance_level": "good",
        "recommendations": [{"number": 1, "priority": "urgent", "management_response": "maybe",
          "actions": [{"description": "x", "status": "finished"}]}]}]})");
    ASSERT_EQ(errors.size(), 4U) << dump(errors);
    EXPECT_TRUE(hasError(errors, "p.json:/engagements/0/assurance_level",
                         "'good' is not one of: substantial, reasonable, limited, insufficient"));
    EXPECT_TRUE(hasError(errors, "p.json:/engagements/0/recommendations/0/priority",
                         "'urgent' is not one of: high, medium, low"));
    EXPECT_TRUE(hasError(errors, "p.json:/engagements/0/recommendations/0/management_response",
                         "accepted, partially_accepted, risk_tolerated, rejected"));
    EXPECT_TRUE(hasError(errors, "p.json:/engagements/0/recommendations/0/actions/0/status",
                         "'finished' is not one of: not_started, in_progress, implemented, verified"));
}

TEST(JsonPlan, UnknownKeysAreErrors) {
    const auto errors = errorsOf(R"({"format": "govtrack.action-plan", "enagements": [],
        "engagements": [{"reference": "IA-1", "titel": "x"}]})");
    ASSERT_EQ(errors.size(), 2U) << dump(errors);
    EXPECT_TRUE(hasError(errors, "p.json:/enagements", "unknown key 'enagements'"));
    EXPECT_TRUE(hasError(errors, "p.json:/engagements/0/titel", "unknown key 'titel'; allowed here:"));
}

TEST(JsonPlan, ReportsEveryStructuralProblemWithItsPointer) {
    const auto errors = errorsOf(R"({"version": 2,
        "units": [{"kind": "division"}, "Data"],
        "engagements": [{"reference": "IA-1", "issue_date": "2025-02-30", "resource_days": "30",
          "findings": [{"number": "3.2.1", "kind": "improvement_opportunity", "recommendation": 9}],
          "recommendations": [{"number": 1, "priority": "low", "actions": [{"description": "a"}, {"number": 1, "description": "b"}]},
                              {"number": 1, "priority": "low"}]}]})");
    EXPECT_TRUE(hasError(errors, "p.json:/version", "not supported")) << dump(errors);
    EXPECT_TRUE(hasError(errors, "p.json:/units/0/name", "required key 'name' is missing"));
    EXPECT_TRUE(hasError(errors, "p.json:/units/1", "expected a unit as a JSON object, found string"));
    EXPECT_TRUE(hasError(errors, "p.json:/engagements/0/issue_date", "'2025-02-30' is not a valid date"));
    EXPECT_TRUE(hasError(errors, "p.json:/engagements/0/resource_days", "must be a whole number, found string"));
    EXPECT_TRUE(hasError(errors, "p.json:/engagements/0/findings/0/recommendation",
                         "links recommendation 9, which this engagement does not have"));
    EXPECT_TRUE(
        hasError(errors, "p.json:/engagements/0/recommendations/0/actions/1/number", "duplicate action number '1'"));
    EXPECT_TRUE(hasError(errors, "p.json:/engagements/0/recommendations/1/number",
                         "duplicate recommendation number '1'; already at /engagements/0/recommendations/0"));
    EXPECT_EQ(errors.size(), 8U) << dump(errors);
}

TEST(JsonPlan, AcceptsReadableEnumSpellingsAndNulls) {
    const auto doc = readJsonPlan(R"({"engagements": [{"reference": "IA-1", "assurance_level": "Reasonable",
        "follows_up": null,
        "recommendations": [{"number": 1, "priority": "M", "management_response": "Partially accepted",
          "actions": [{"description": "x", "status": "Not started", "target_date": "December 2025"}]}]}]})",
                                  "p.json");
    const auto& rec = doc.engagements.at(0).recommendations.at(0);
    EXPECT_EQ(rec.priority, domain::Priority::kMedium);
    EXPECT_EQ(rec.managementResponse, domain::ManagementResponse::kPartiallyAccepted);
    EXPECT_EQ(rec.actions.at(0).originalTargetDate, TargetDate::monthOnly(2025, 12));
    EXPECT_FALSE(doc.engagements[0].followsUpReference.has_value());
}

TEST(JsonPlan, ByteOrderMarkIsSkippedAndColumnsStayRight) {
    EXPECT_EQ(readJsonPlan("\xEF\xBB\xBF{\"units\": [{\"name\": \"Data\"}]}", "p.json").units.size(), 1U);
    const auto errors = errorsOf("\xEF\xBB\xBF{\"units\": [}");
    ASSERT_EQ(errors.size(), 1U);
    EXPECT_EQ(errors[0].where, "p.json:1:12");
}

TEST(JsonPlan, TopLevelMustBeAnObject) {
    const auto errors = errorsOf("[1, 2]");
    ASSERT_EQ(errors.size(), 1U);
    EXPECT_EQ(errors[0].where, "p.json:/");
}

}  // namespace
}  // namespace govtrack::interchange
