#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "govtrack/reports/FollowUpReport.h"

#include "SnapshotBuilder.h"

namespace d = govtrack::domain;
namespace r = govtrack::reports;
using govtrack::test::SnapshotBuilder;

namespace {

r::FollowUpReport hostileReport() {
    SnapshotBuilder b;
    b.person("<script>alert(1)</script>").person("=cmd|' /C calc'!A0");
    b.engagement("IA-1").recommendation("IA-1", 1, d::Priority::kMedium);
    auto& a = b.action("IA-1", 1, 1, "<script>alert(1)</script>", d::TargetDate::monthOnly(2025, 12),
                       d::ActionStatus::kInProgress);
    a.coOwnerIds = {"p:=cmd|' /C calc'!A0"};
    a.description = "Line one, \"quoted\"\nline two";
    return r::buildFollowUpReport(b.snapshot(), SnapshotBuilder::ymd(2026, 1, 5), std::string("IA-1"));
}

}  // namespace

TEST(FollowUpRender, JsonFollowsTheContract) {
    const auto j = nlohmann::json::parse(r::renderJson(hostileReport()));
    EXPECT_EQ(j["as_of"], "2026-01-05");
    EXPECT_EQ(j["engagement"], "IA-1");
    const auto& rec = j["recommendations"][0];
    EXPECT_EQ(rec["priority"], "medium");
    EXPECT_EQ(rec["management_response"], "accepted");
    EXPECT_EQ(rec["target_date"], "2025-12");
    EXPECT_EQ(rec["target_date_display"], "Dec 2025");
    EXPECT_EQ(rec["days_overdue"], 5);
    EXPECT_EQ(rec["actions"][0]["rag"], "red");
    EXPECT_TRUE(rec["actions"][0]["last_update"].is_null());
    EXPECT_EQ(j["totals"]["by_priority"]["medium"], 1);
    EXPECT_EQ(j["totals"]["by_status_priority"]["not_implemented"]["medium"], 1);
    EXPECT_EQ(j["totals"]["overdue"]["by_owner"]["<script>alert(1)</script>"], 1);
}

TEST(FollowUpRender, HtmlEscapesEverything) {
    const std::string html = r::renderHtml(hostileReport());
    EXPECT_EQ(html.find("<script>"), std::string::npos);
    EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
    EXPECT_NE(html.find("Dec 2025"), std::string::npos);
}

TEST(FollowUpRender, CsvQuotesAndNeutralisesFormulas) {
    const std::string csv = r::renderCsv(hostileReport(), false);
    EXPECT_NE(csv.find("\"Line one, \"\"quoted\"\"\nline two\""), std::string::npos) << csv;
    EXPECT_NE(csv.find("'=cmd|' /C calc'!A0"), std::string::npos) << csv;
    EXPECT_EQ(csv.find(",=cmd"), std::string::npos);
    EXPECT_NE(csv.find("\r\n"), std::string::npos);
    EXPECT_EQ(csv.rfind("Engagement,Recommendation,", 0), 0u);
    EXPECT_EQ(r::renderCsv(hostileReport(), true).rfind("\xEF\xBB\xBF", 0), 0u);
}

TEST(FollowUpRender, TableKeepsColumnsAlignedWithUtf8) {
    const std::string table = r::renderTable(hostileReport());
    EXPECT_NE(table.find("Dec 2025"), std::string::npos);
    EXPECT_NE(table.find("5 days"), std::string::npos);
}
