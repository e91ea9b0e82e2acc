// The routes the web UI adds (issue 8): tracker filters and stable sort on /api/v1/actions, the export of
// exactly what is filtered, the dashboard, the follow-up report as XLSX and compared with an earlier date.
#include <set>
#include <sstream>

#include "ApiTestFixture.h"

namespace govtrack::http::test {
namespace {

std::vector<std::string> keys(const nlohmann::json& items) {
    std::vector<std::string> out;
    for (const auto& item : items) {
        out.push_back(item.at("engagement").get<std::string>() + "/" +
                      std::to_string(item.at("recommendation").get<int>()) + "." +
                      std::to_string(item.at("number").get<int>()));
    }
    return out;
}

/// The first cell of each CSV record after the header (the export's reference column needs no quoting).
std::vector<std::string> csvReferences(const std::string& csv) {
    std::vector<std::string> out;
    std::istringstream lines(csv);
    std::string line;
    std::getline(lines, line);  // header
    while (std::getline(lines, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty()) continue;
        out.push_back(line.substr(0, line.find(',')));
    }
    return out;
}

using Keys = std::vector<std::string>;

TEST_F(ApiServerTest, ActionsFilterBySeveralPrioritiesAndByRag) {
    EXPECT_EQ(keys(get("/api/v1/actions?priority=high,medium").json().at("items")),
              (Keys{"IA-2021-22-PE/1.1", "IA-2021-22-PE/1.2", "IA-2024-25-PM/1.1", "IA-2024-25-PM/2.1",
                    "IA-2024-25-PM/3.1"}));
    EXPECT_EQ(keys(get("/api/v1/actions?priority=low,H").json().at("items")),
              (Keys{"IA-2021-22-PE/1.1", "IA-2021-22-PE/1.2", "IA-2021-22-PE/2.1"}));
    EXPECT_EQ(keys(get("/api/v1/actions?rag=amber").json().at("items")), (Keys{"IA-2021-22-PE/1.2"}));
    EXPECT_EQ(keys(get("/api/v1/actions?rag=RED&priority=high,medium").json().at("items")),
              (Keys{"IA-2024-25-PM/2.1"}));
    EXPECT_EQ(get("/api/v1/actions?rag=complete").json().at("total"), 3);
}

TEST_F(ApiServerTest, ActionsFilterByUnitAndGroupIgnoringCase) {
    const auto all = get("/api/v1/actions?per_page=500").json().at("items");
    for (const char* field : {"unit", "group"}) {
        std::map<std::string, int> counts;
        for (const auto& a : all) {
            if (!a.at(field).is_null()) ++counts[a.at(field).get<std::string>()];
        }
        for (const auto& [value, count] : counts) {
            std::string upper = value;
            for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            std::string encoded;
            for (char c : upper)
                encoded += c == ' ' ? std::string("%20") : c == '&' ? std::string("%26") : std::string(1, c);
            const auto body = get(std::string("/api/v1/actions?") + field + "=" + encoded).json();
            EXPECT_EQ(body.at("total"), count) << field << "=" << value;
            for (const auto& a : body.at("items")) EXPECT_EQ(a.at(field), value);
        }
    }
    EXPECT_EQ(get("/api/v1/actions?unit=No%20such%20unit").json().at("total"), 0);
    EXPECT_EQ(get("/api/v1/actions?group=No%20such%20group").json().at("total"), 0);
}

TEST_F(ApiServerTest, ActionsSortStablyWithTiesByReference) {
    EXPECT_EQ(keys(get("/api/v1/actions?sort=priority").json().at("items")),
              (Keys{"IA-2021-22-PE/1.1", "IA-2021-22-PE/1.2", "IA-2024-25-PM/1.1", "IA-2024-25-PM/2.1",
                    "IA-2024-25-PM/3.1", "IA-2021-22-PE/2.1"}));
    // Descending reverses the key only: ties stay in reference order.
    EXPECT_EQ(keys(get("/api/v1/actions?sort=-priority").json().at("items")),
              (Keys{"IA-2021-22-PE/2.1", "IA-2024-25-PM/1.1", "IA-2024-25-PM/2.1", "IA-2024-25-PM/3.1",
                    "IA-2021-22-PE/1.1", "IA-2021-22-PE/1.2"}));
    EXPECT_EQ(keys(get("/api/v1/actions?sort=-days_overdue").json().at("items")),
              (Keys{"IA-2024-25-PM/2.1", "IA-2021-22-PE/1.1", "IA-2021-22-PE/1.2", "IA-2021-22-PE/2.1",
                    "IA-2024-25-PM/1.1", "IA-2024-25-PM/3.1"}));
    EXPECT_EQ(keys(get("/api/v1/actions?sort=-reference").json().at("items")),
              (Keys{"IA-2024-25-PM/3.1", "IA-2024-25-PM/2.1", "IA-2024-25-PM/1.1", "IA-2021-22-PE/2.1",
                    "IA-2021-22-PE/1.2", "IA-2021-22-PE/1.1"}));
    // Due date: earliest first, no date last; paging cuts the sorted list.
    const auto due = keys(get("/api/v1/actions?sort=due").json().at("items"));
    EXPECT_EQ(due.back(), "IA-2024-25-PM/3.1");
    EXPECT_EQ(keys(get("/api/v1/actions?sort=due&per_page=2&page=3").json().at("items")), (Keys{due[4], due[5]}));
}

TEST_F(ApiServerTest, ActionsRefuseAnUnknownSortOrPriorityNamingTheParameter) {
    expectProblem(get("/api/v1/actions?sort=colour"), 400, "validation", "/api/v1/actions");
    EXPECT_NE(get("/api/v1/actions?sort=colour").json().at("detail").get<std::string>().find("'sort'"),
              std::string::npos);
    const auto bad = get("/api/v1/actions?priority=high,urgent").json();
    EXPECT_NE(bad.at("detail").get<std::string>().find("'priority'"), std::string::npos);
    EXPECT_NE(bad.at("detail").get<std::string>().find("high,urgent"), std::string::npos);
    expectProblem(get("/api/v1/actions?rag=blue"), 400, "validation", "/api/v1/actions");
}

TEST_F(ApiServerTest, ExportHoldsExactlyTheFilteredRowsInTheListOrder) {
    const std::string filters = "priority=high,medium&overdue=false&sort=-priority";
    const auto list = keys(get("/api/v1/actions?per_page=500&" + filters).json().at("items"));
    ASSERT_EQ(list.size(), 4u);
    const auto csv = get("/api/v1/actions/export?" + filters);
    ASSERT_EQ(csv.status, 200) << csv.body;
    EXPECT_EQ(csv.contentType, "text/csv; charset=utf-8");
    EXPECT_EQ(csv.header("Content-Disposition"), "attachment; filename=\"actions-2025-09-15.csv\"");
    EXPECT_EQ(csv.header("X-Total-Count"), "4");
    EXPECT_EQ(csvReferences(csv.body), list);
    EXPECT_EQ(csv.body.rfind("Reference,Engagement,Recommendation,Action,Priority,Description,", 0), 0u);
    EXPECT_NE(csv.body.find(",Dec 2025,Dec 2025,"), std::string::npos);  // month-only dates as written

    // More rows than one page of the list: the export is not paged.
    EXPECT_EQ(csvReferences(get("/api/v1/actions/export").body).size(), 6u);
    const auto bom = get("/api/v1/actions/export?bom=true&overdue=true");
    EXPECT_EQ(bom.body.rfind("\xEF\xBB\xBF", 0), 0u);
    EXPECT_EQ(csvReferences(bom.body.substr(3)), (Keys{"IA-2024-25-PM/2.1"}));

    const auto xlsx = get("/api/v1/actions/export?format=xlsx&" + filters);
    ASSERT_EQ(xlsx.status, 200) << xlsx.body;
    EXPECT_EQ(xlsx.contentType, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    EXPECT_EQ(xlsx.body.substr(0, 2), "PK");
    EXPECT_EQ(xlsx.header("X-Total-Count"), "4");
    EXPECT_EQ(xlsx.header("Content-Disposition"), "attachment; filename=\"actions-2025-09-15.xlsx\"");

    expectProblem(get("/api/v1/actions/export?format=pdf"), 400, "validation", "/api/v1/actions/export");
    expectProblem(get("/api/v1/actions/export?page=2"), 400, "validation", "/api/v1/actions/export");
}

TEST_F(ApiServerTest, DashboardGivesAgeingByPriorityRevisionCountsAndTodaysPoint) {
    const auto result = get("/api/v1/dashboard?months=3");
    ASSERT_EQ(result.status, 200) << result.body;
    const auto body = result.json();
    EXPECT_EQ(body.at("as_of"), "2025-09-15");
    // Ageing: 2.1 is 77 days overdue (Medium) -> 31-90.
    const auto& ageing = body.at("ageing");
    ASSERT_EQ(ageing.size(), 4u);
    EXPECT_EQ(ageing[0].at("label"), "0-30");
    EXPECT_EQ(ageing[1].at("label"), "31-90");
    EXPECT_EQ(ageing[1].at("by_priority"), (nlohmann::json{{"high", 0}, {"medium", 1}, {"low", 0}}));
    EXPECT_EQ(ageing[1].at("total"), 1);
    EXPECT_EQ(ageing[0].at("total").get<int>() + ageing[2].at("total").get<int>() + ageing[3].at("total").get<int>(),
              0);
    EXPECT_TRUE(ageing[3].at("max_days").is_null());
    // Revisions: PE 1.2 (High) revised twice.
    const auto& revisions = body.at("revisions");
    EXPECT_EQ(revisions.at("actions_by_revisions").at("2").at("high"), 1);
    EXPECT_EQ(revisions.at("actions_by_revisions").at("0").at("medium"), 3);
    EXPECT_EQ(revisions.at("two_or_more"), 1);
    EXPECT_EQ(revisions.at("revised_actions"), 1);
    EXPECT_EQ(revisions.at("approved_revisions"), 2);
    // Trend: three month ends, then today; the fixture has no audit trail, so only today is recorded.
    const auto& trend = body.at("trend");
    ASSERT_EQ(trend.size(), 4u);
    EXPECT_EQ(trend[0].at("date"), "2025-06-30");
    EXPECT_EQ(trend[2].at("date"), "2025-08-31");
    EXPECT_FALSE(trend[0].at("recorded").get<bool>());
    EXPECT_TRUE(trend[0].at("open_actions").is_null());
    const auto& today = trend[3];
    EXPECT_EQ(today.at("date"), "2025-09-15");
    EXPECT_TRUE(today.at("recorded").get<bool>());
    EXPECT_EQ(today.at("actions"), 6);
    EXPECT_EQ(today.at("open_actions"), 3);
    EXPECT_EQ(today.at("closed_actions"), 3);
    EXPECT_EQ(today.at("overdue_actions"), 1);

    const auto one = get("/api/v1/dashboard?engagement=IA-2024-25-PM&months=0").json();
    ASSERT_EQ(one.at("trend").size(), 1u);
    EXPECT_EQ(one.at("trend")[0].at("actions"), 3);
    EXPECT_EQ(one.at("revisions").at("two_or_more"), 0);
    expectProblem(get("/api/v1/dashboard?months=37"), 400, "validation", "/api/v1/dashboard");
    expectProblem(get("/api/v1/dashboard?engagement=NOPE"), 404, "not_found", "/api/v1/dashboard");
}

TEST_F(ApiServerTest, FollowUpReportAsXlsxAndComparedWithAnEarlierDate) {
    const auto xlsx = get("/api/v1/reports/follow-up?engagement=IA-2024-25-PM&format=xlsx");
    ASSERT_EQ(xlsx.status, 200) << xlsx.body;
    EXPECT_EQ(xlsx.contentType, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    EXPECT_EQ(xlsx.body.substr(0, 2), "PK");
    EXPECT_EQ(xlsx.header("Content-Disposition"), "attachment; filename=\"follow-up-IA-2024-25-PM-2025-09-15.xlsx\"");

    const auto compared = get("/api/v1/reports/follow-up?compare=2025-09-15");
    ASSERT_EQ(compared.status, 200) << compared.body;
    const auto body = compared.json();
    EXPECT_EQ(body.at("from").at("as_of"), "2025-09-15");
    EXPECT_EQ(body.at("to").at("as_of"), "2025-09-15");
    EXPECT_TRUE(body.at("changes").empty());  // the same day: nothing changed
    expectProblem(get("/api/v1/reports/follow-up?compare=2025-01-01&format=csv"), 400, "validation",
                  "/api/v1/reports/follow-up");
}

}  // namespace
}  // namespace govtrack::http::test
