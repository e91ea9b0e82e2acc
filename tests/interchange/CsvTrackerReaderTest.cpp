#include <algorithm>

#include <gtest/gtest.h>

#include "govtrack/domain/Error.h"
#include "govtrack/interchange/CsvTrackerReader.h"

namespace govtrack::interchange {
namespace {

using domain::ActionStatus;
using domain::DatePrecision;
using domain::ManagementResponse;
using domain::Priority;
using domain::TargetDate;
using std::chrono::day;
using std::chrono::month;
using std::chrono::year;

constexpr const char* kHeader =
    "Engagement reference,Engagement title,Rec No,Recommendation title,Priority,Management response,"
    "Action number,Action description,Lead owner,Co-owners,Target date,Revised target date,Status\n";

domain::Date ymd(int y, unsigned m, unsigned d) {
    return domain::Date{year{y}, month{m}, day{d}};
}

/// The problems of a rejected file, as "where: message" lines.
std::vector<std::string> problemsOf(const std::string& content) {
    try {
        readCsvTracker(content, "t.csv");
    } catch (const domain::ValidationError& e) {
        std::vector<std::string> out;
        for (const auto& error : e.errors()) out.push_back(error.where + ": " + error.message);
        return out;
    }
    return {};
}

bool hasProblem(const std::vector<std::string>& problems, const std::string& where, const std::string& text) {
    return std::any_of(problems.begin(), problems.end(), [&](const std::string& p) {
        return p.rfind(where + ": ", 0) == 0 && p.find(text) != std::string::npos;
    });
}

TEST(CsvTracker, MapsOneRowToEngagementRecommendationAndAction) {
    const std::string text = std::string(kHeader) +
                             "IA-1,Performance Management,2,Strategic oversight,M,Accepted,1,Set up the review group,"
                             "Head of Performance,Head of Client Services Operations,30/06/2025,,In progress\n";
    const auto doc = readCsvTracker(text, "t.csv");
    ASSERT_EQ(doc.engagements.size(), 1U);
    const auto& engagement = doc.engagements[0];
    EXPECT_EQ(engagement.origin, "t.csv:2");
    EXPECT_EQ(engagement.engagement.reference, "IA-1");
    EXPECT_EQ(engagement.engagement.title, "Performance Management");
    ASSERT_EQ(engagement.recommendations.size(), 1U);
    const auto& rec = engagement.recommendations[0];
    EXPECT_EQ(rec.number, 2);
    EXPECT_EQ(rec.title, "Strategic oversight");
    EXPECT_EQ(rec.priority, Priority::kMedium);
    EXPECT_EQ(rec.managementResponse, ManagementResponse::kAccepted);
    ASSERT_EQ(rec.actions.size(), 1U);
    const auto& action = rec.actions[0];
    EXPECT_EQ(action.origin, "t.csv:2");
    EXPECT_EQ(action.number, 1);
    EXPECT_EQ(action.description, "Set up the review group");
    EXPECT_EQ(action.leadOwnerRoleTitle, "Head of Performance");
    EXPECT_EQ(action.coOwnerRoleTitles, std::vector<std::string>{"Head of Client Services Operations"});
    EXPECT_EQ(action.originalTargetDate, TargetDate::day(ymd(2025, 6, 30)));
    EXPECT_TRUE(action.revisions.empty());
    EXPECT_EQ(action.status, ActionStatus::kInProgress);
    EXPECT_TRUE(doc.units.empty());
    EXPECT_TRUE(doc.people.empty());
}

TEST(CsvTracker, MatchesHeadingAliasesCaseAndSpacing) {
    const std::string text =
        "  ENGAGEMENT REF , recommendation   number,PRIORITY,Action,Owner(s),Due date,action_status, RAG \n"
        "IA-1,1,high,Do it,Chief Data Officer,2025-03-31,not started,Green\n";
    const auto doc = readCsvTracker(text, "t.csv");
    const auto& rec = doc.engagements.at(0).recommendations.at(0);
    EXPECT_EQ(rec.priority, Priority::kHigh);
    EXPECT_EQ(rec.actions.at(0).description, "Do it");
    EXPECT_EQ(rec.actions.at(0).leadOwnerRoleTitle, "Chief Data Officer");
    EXPECT_EQ(rec.actions.at(0).originalTargetDate, TargetDate::day(ymd(2025, 3, 31)));
    EXPECT_EQ(rec.actions.at(0).status, ActionStatus::kNotStarted);
}

TEST(CsvTracker, AcceptsRecommendationNumberAndActionDateAliases) {
    for (const std::string recHeading : {"Rec No", "Recommendation number", "rec no."}) {
        for (const std::string dateHeading : {"Target date", "Action date", "Due date"}) {
            for (const std::string ownerHeading : {"Action owner", "Owner(s)", "Owners"}) {
                const std::string text = "Engagement reference," + recHeading + ",Priority,Action description," +
                                         ownerHeading + "," + dateHeading + "\nIA-1,3,Low,Act,Product Owner,Dec 2025\n";
                const auto doc = readCsvTracker(text, "t.csv");
                const auto& action = doc.engagements.at(0).recommendations.at(0).actions.at(0);
                EXPECT_EQ(doc.engagements[0].recommendations[0].number, 3) << recHeading;
                EXPECT_EQ(action.originalTargetDate, TargetDate::monthOnly(2025, 12)) << dateHeading;
                EXPECT_EQ(action.leadOwnerRoleTitle, "Product Owner") << ownerHeading;
            }
        }
    }
}

TEST(CsvTracker, ReadsEveryDateForm) {
    const std::string text =
        "Engagement reference,Rec No,Priority,Action description,Owners,Target date\n"
        "IA-1,1,M,a,X,31/12/2025\n"
        "IA-1,1,M,b,X,2025-12-31\n"
        "IA-1,1,M,c,X,December 2025\n"
        "IA-1,1,M,d,X,Dec 2025\n"
        "IA-1,1,M,e,X,\n"
        "IA-1,1,M,f,X,1/6/2025\n";
    const auto doc = readCsvTracker(text, "t.csv");
    const auto& actions = doc.engagements.at(0).recommendations.at(0).actions;
    ASSERT_EQ(actions.size(), 6U);
    EXPECT_EQ(actions[0].originalTargetDate, TargetDate::day(ymd(2025, 12, 31)));
    EXPECT_EQ(actions[1].originalTargetDate, TargetDate::day(ymd(2025, 12, 31)));
    EXPECT_EQ(actions[2].originalTargetDate, TargetDate::monthOnly(2025, 12));
    EXPECT_EQ(actions[2].originalTargetDate->precision, DatePrecision::kMonth);
    EXPECT_EQ(actions[3].originalTargetDate, TargetDate::monthOnly(2025, 12));
    EXPECT_FALSE(actions[4].originalTargetDate.has_value());
    EXPECT_EQ(actions[5].originalTargetDate, TargetDate::day(ymd(2025, 6, 1)));
    // Action numbers default to the next number within the recommendation.
    EXPECT_EQ(actions[0].number, 1);
    EXPECT_EQ(actions[5].number, 6);
}

TEST(CsvTracker, SplitsOwnersOnSemicolonsAndLineBreaks) {
    const std::string text =
        "Engagement reference,Rec No,Priority,Action description,Owner(s),Target date\r\n"
        "IA-1,1,M,a,\"Organisational Design and Strategic Capability Lead\r\nHead of People & Place\",\r\n"
        "IA-1,2,M,b,\"Head of Performance, Analysis and Strategy; Head of Client Services Operations ;"
        "Organisational Design and Development Lead;\",\r\n";
    const auto doc = readCsvTracker(text, "t.csv");
    const auto& recs = doc.engagements.at(0).recommendations;
    ASSERT_EQ(recs.size(), 2U);
    EXPECT_EQ(recs[0].actions.at(0).leadOwnerRoleTitle, "Organisational Design and Strategic Capability Lead");
    EXPECT_EQ(recs[0].actions.at(0).coOwnerRoleTitles, std::vector<std::string>{"Head of People & Place"});
    EXPECT_EQ(recs[1].actions.at(0).leadOwnerRoleTitle, "Head of Performance, Analysis and Strategy");
    EXPECT_EQ(
        recs[1].actions.at(0).coOwnerRoleTitles,
        (std::vector<std::string>{"Head of Client Services Operations", "Organisational Design and Development Lead"}));
    EXPECT_EQ(recs[1].origin, "t.csv:4");  // the quoted line break on line 2 moves row 2 to line 4
}

TEST(CsvTracker, ReadsExcelCsvUtf8WithByteOrderMarkAndCrlf) {
    const std::string text =
        "\xEF\xBB\xBF"
        "Engagement reference,Rec No,Priority,Action description,Owners,Target date\r\n"
        "IA-1,1,Medium,a,Chief Data Officer,01/12/2025\r\n";
    const auto doc = readCsvTracker(text, "t.csv");
    EXPECT_EQ(doc.engagements.at(0).engagement.reference, "IA-1");
    EXPECT_EQ(doc.engagements[0].recommendations.at(0).actions.at(0).originalTargetDate,
              TargetDate::day(ymd(2025, 12, 1)));
}

TEST(CsvTracker, GroupsRowsByEngagementAndRecommendation) {
    const std::string text = std::string(kHeader) +
                             "IA-1,Performance Management,1,Objectives,Medium,Accepted,1,First,A,,Dec 2025,,\n"
                             "IA-1,,1,,,,2,Second,B,,Jan 2026,,\n"
                             "IA-2,Productivity,1,Other,Low,Rejected,,Third,C,,,,\n"
                             "IA-1,Performance Management,2,Oversight,M,accepted,,Fourth,D,,,,\n";
    const auto doc = readCsvTracker(text, "t.csv");
    ASSERT_EQ(doc.engagements.size(), 2U);
    const auto& first = doc.engagements[0];
    EXPECT_EQ(first.engagement.reference, "IA-1");
    ASSERT_EQ(first.recommendations.size(), 2U);
    EXPECT_EQ(first.recommendations[0].title, "Objectives");
    ASSERT_EQ(first.recommendations[0].actions.size(), 2U);
    EXPECT_EQ(first.recommendations[0].actions[1].description, "Second");
    EXPECT_EQ(first.recommendations[0].actions[1].number, 2);
    EXPECT_EQ(first.recommendations[0].actions[1].origin, "t.csv:3");
    EXPECT_EQ(first.recommendations[1].number, 2);
    EXPECT_EQ(first.recommendations[1].origin, "t.csv:5");
    EXPECT_EQ(doc.engagements[1].engagement.title, "Productivity");
    EXPECT_EQ(doc.engagements[1].recommendations.at(0).managementResponse, ManagementResponse::kRejected);
    EXPECT_EQ(doc.engagements[1].recommendations.at(0).priority, Priority::kLow);
}

TEST(CsvTracker, ReadsRevisedDatesStatusAliasesAndLastUpdate) {
    const std::string text =
        "Engagement reference,Rec No,Priority,Action description,Lead owner,Target date,Revised target date,"
        "Revision reason,Status,Last update,Last update date,% complete\n"
        "IA-1,1,H,a,X,March 2025,\"Jun 2025\nSep 2025\",Supplier delay,Ongoing,Draft terms agreed,14/05/2025,60%\n"
        "IA-1,1,H,b,X,,,,Complete,,,\n";
    const auto doc = readCsvTracker(text, "t.csv");
    const auto& actions = doc.engagements.at(0).recommendations.at(0).actions;
    ASSERT_EQ(actions.size(), 2U);
    ASSERT_EQ(actions[0].revisions.size(), 2U);
    EXPECT_EQ(actions[0].revisions[0].newDate, TargetDate::monthOnly(2025, 6));
    EXPECT_EQ(actions[0].revisions[1].newDate, TargetDate::monthOnly(2025, 9));
    EXPECT_EQ(actions[0].revisions[1].reason, "Supplier delay");
    // No approver column: each revision says where it came from instead of looking approved.
    EXPECT_EQ(actions[0].revisions[0].approvedBy, "as recorded in tracker t.csv");
    EXPECT_EQ(actions[0].revisions[1].approvedBy, "as recorded in tracker t.csv");
    EXPECT_EQ(actions[0].status, ActionStatus::kInProgress);
    ASSERT_EQ(actions[0].progressUpdates.size(), 1U);
    EXPECT_EQ(actions[0].progressUpdates[0].date, ymd(2025, 5, 14));
    EXPECT_EQ(actions[0].progressUpdates[0].text, "Draft terms agreed");
    EXPECT_EQ(actions[0].progressUpdates[0].percent, 60);
    EXPECT_EQ(actions[1].status, ActionStatus::kImplemented);
    EXPECT_TRUE(actions[1].progressUpdates.empty());
}

TEST(CsvTracker, ReportsEveryBadRowTogetherWithLineNumbers) {
    const std::string text = std::string(kHeader) +
                             "IA-1,PM,1,Objectives,Urgent,Accepted,1,a,A,,Dec 2025,,\n"    // line 2
                             "IA-1,PM,2,Oversight,Medium,Accepted,1,b,A,,31/02/2025,,\n"   // line 3
                             "IA-1,PM,,Data,Medium,Accepted,1,c,A,,,,\n"                   // line 4
                             "IA-1,PM,4,Extra,Medium,Accepted,1,d,A,Unquoted, comma,,,\n"  // line 5
                             "IA-1,PM,5,Fine,Low,Accepted,1,e,A,,,,Finished\n";            // line 6
    try {
        readCsvTracker(text, "t.csv");
        FAIL() << "expected ValidationError";
    } catch (const domain::ValidationError& e) {
        EXPECT_EQ(std::string(e.what()), "t.csv: 5 problems found; nothing was imported");
        std::vector<std::string> problems;
        for (const auto& error : e.errors()) problems.push_back(error.where + ": " + error.message);
        ASSERT_EQ(problems.size(), 5U) << ::testing::PrintToString(problems);
        EXPECT_TRUE(hasProblem(problems, "t.csv:2", "priority 'Urgent' is not one of: high, medium, low"));
        EXPECT_TRUE(hasProblem(problems, "t.csv:3", "target date '31/02/2025' is not a valid date"));
        EXPECT_TRUE(hasProblem(problems, "t.csv:4", "recommendation number is empty"));
        EXPECT_TRUE(hasProblem(problems, "t.csv:5", "the row has 14 cells but the header has 13 columns"));
        EXPECT_TRUE(hasProblem(problems, "t.csv:6", "status 'Finished' is not one of: not_started, in_progress"));
    }
}

TEST(CsvTracker, MissingRequiredColumnsAreNamed) {
    const auto problems = problemsOf("Rec No,Title,Owner\n1,x,y\n");
    ASSERT_EQ(problems.size(), 1U);
    EXPECT_TRUE(hasProblem(problems, "t.csv:1",
                           "the header lacks required columns: engagement reference, priority, action description, "
                           "target date"))
        << problems[0];
}

TEST(CsvTracker, ConflictingRecommendationDataAcrossRowsIsAProblem) {
    const std::string text = std::string(kHeader) +
                             "IA-1,PM,1,Objectives,Medium,Accepted,1,a,A,,,,\n"
                             "IA-1,PM,1,Objectives,High,Accepted,2,b,A,,,,\n"
                             "IA-1,PM,1,Objectives,M,Accepted,1,c,A,,,,\n";
    const auto problems = problemsOf(text);
    ASSERT_EQ(problems.size(), 2U) << ::testing::PrintToString(problems);
    EXPECT_TRUE(hasProblem(problems, "t.csv:3", "recommendation 1 priority 'high' conflicts with 'medium' on line 2"));
    EXPECT_TRUE(hasProblem(problems, "t.csv:4", "action 1 of recommendation 1 is already given on line 2"));
}

TEST(CsvTracker, OwnerCellProblems) {
    const std::string header =
        "Engagement reference,Rec No,Priority,Action description,Lead owner,Owners,Target date\n";
    const auto problems = problemsOf(header + "IA-1,1,M,a,\"A;B\",,\nIA-1,1,M,b,A,B,\n");
    ASSERT_EQ(problems.size(), 2U);
    EXPECT_TRUE(hasProblem(problems, "t.csv:2", "names more than one person"));
    EXPECT_TRUE(hasProblem(problems, "t.csv:3", "both lead owner and owners are filled"));
}

TEST(CsvTracker, UnterminatedQuoteIsReportedWithItsLine) {
    const auto problems = problemsOf("Engagement reference,Rec No\nIA-1,\"1\n");
    ASSERT_EQ(problems.size(), 1U);
    EXPECT_TRUE(hasProblem(problems, "t.csv:2", "unterminated quoted field"));
}

TEST(CsvTracker, EmptyFileAndHeaderOnlyAreProblems) {
    EXPECT_TRUE(hasProblem(problemsOf(""), "t.csv:1", "the file is empty"));
    EXPECT_TRUE(hasProblem(problemsOf(std::string(kHeader)), "t.csv:1", "no action rows"));
}

}  // namespace
}  // namespace govtrack::interchange
