// The routes the web UI adds (issue 8): tracker filters and stable sort on /api/v1/actions, the export of
// exactly what is filtered, the dashboard, the follow-up report as XLSX and compared with an earlier date.
#include <atomic>
#include <set>
#include <sstream>

#include "govtrack/domain/ActionService.h"

#include "ApiTestFixture.h"

namespace govtrack::http::test {
namespace {

std::vector<std::string> keys(const nlohmann::json& items) {
    std::vector<std::string> out;
    for (const auto& item : items) {
        out.push_back(item.at("engagement").get<std::string>() + "/" +
                      std::to_string(item.at("recommendation").get<int>()) + "." +
                      std::to_string(item.at("number").get<int>()));
        EXPECT_EQ(item.at("reference"), out.back());  // the list carries the reference as the UI writes it
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
    EXPECT_FALSE(domain::archiveProblem(xlsx.body));  // a real Office file (libxlsxwriter) is acceptable evidence
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

// ---- bulk chase: POST /api/v1/actions/chase (issue 8 item 3) ----

/// Counts the wake-ups the server gives the delivery worker (ServerConfig::outboxChanged).
class ChaseApiTest : public ApiServerTest {
protected:
    void configure(ServerConfig& config) override {
        config.outboxChanged = [this] { ++wakeUps_; };
    }
    std::atomic<int> wakeUps_{0};
};

TEST_F(ChaseApiTest, ADryRunNamesWhoWouldBeChasedAndWritesNothing) {
    const auto before = store_.state();
    const auto result = send("POST", "/api/v1/actions/chase?overdue=true", R"({"dry_run":true})");
    ASSERT_EQ(result.status, 200) << result.body;
    const auto body = result.json();
    EXPECT_EQ(body.at("day"), "2025-09-15");
    EXPECT_EQ(body.at("dry_run"), true);
    ASSERT_EQ(body.at("actions").size(), 1u);
    const auto& a = body.at("actions")[0];
    EXPECT_EQ(a.at("id"), "a-pm-2-1");
    EXPECT_EQ(a.at("reference"), "IA-2024-25-PM/2.1");
    EXPECT_EQ(a.at("outcome"), "chased");
    std::vector<std::string> who;
    for (const auto& r : a.at("recipients")) who.push_back(r.at("role_title").get<std::string>());
    EXPECT_EQ(who, (std::vector<std::string>{"Head of Performance, Analysis and Strategy",
                                             "Head of Client Services Operations",
                                             "Organisational Design and Development Lead"}));
    EXPECT_EQ(body.at("chased"), 1);
    EXPECT_EQ(body.at("reminders"), 3);
    EXPECT_EQ(body.at("digests"), 3);
    EXPECT_EQ(body.at("recipients").size(), 3u);
    EXPECT_EQ(body.at("recipients")[0].at("email"), true);
    const auto after = store_.state();
    EXPECT_EQ(after.reminders, before.reminders);
    EXPECT_EQ(after.outbox, before.outbox);
    EXPECT_EQ(after.events.size(), before.events.size());
    EXPECT_EQ(wakeUps_, 0);
}

TEST_F(ChaseApiTest, AChaseReachesTheOwnersInboxOnceADayAndWakesDelivery) {
    const auto first = send("POST", "/api/v1/actions/chase", R"({"action_ids":["a-pm-1-1"],"note":"Pack closes Friday"})");
    ASSERT_EQ(first.status, 200) << first.body;
    EXPECT_EQ(first.json().at("dry_run"), false);
    EXPECT_EQ(first.json().at("chased"), 1);
    EXPECT_EQ(first.json().at("reminders"), 2);  // the lead owner and the co-owner
    EXPECT_EQ(first.json().at("email_delivery"), false);  // this test server sends no mail
    EXPECT_EQ(store_.state().outbox.size(), 2u);
    EXPECT_EQ(wakeUps_, 1);

    // The lead owner (account "owner") sees it in the in-app inbox.
    const auto inbox = as("owner", "GET", "/api/v1/me/notifications?unread=true").json();
    ASSERT_EQ(inbox.at("unread"), 1);
    EXPECT_EQ(inbox.at("items")[0].at("rule"), "chase");
    EXPECT_EQ(inbox.at("items")[0].at("item_id"), "a-pm-1-1");
    EXPECT_EQ(inbox.at("items")[0].at("reference"), "IA-2024-25-PM/1.1");

    // Again the same day: nothing new, and delivery is not woken for nothing.
    const auto again = send("POST", "/api/v1/actions/chase", R"({"action_ids":["a-pm-1-1"]})");
    ASSERT_EQ(again.status, 200) << again.body;
    EXPECT_EQ(again.json().at("already_chased"), 1);
    EXPECT_EQ(again.json().at("reminders"), 0);
    EXPECT_EQ(store_.state().outbox.size(), 2u);
    EXPECT_EQ(wakeUps_, 1);
    EXPECT_EQ(as("owner", "GET", "/api/v1/me/notifications").json().at("total"), 1);

    // The counts are the whole inbox's, not only what one page lists.
    {
        auto session = store_.openSession();
        domain::StoredReminder older;
        older.id = "n-older";
        older.recipientId = "p-odsc";
        older.itemId = "a-pm-1-1";
        older.rule = "before_due_28";
        older.occurrence = kToday;
        older.sendDay = kToday;
        older.dueDate = kToday;
        older.createdAt = "2025-09-01T07:00:00Z";
        session->reminders().record(older);
    }
    const auto page = as("owner", "GET", "/api/v1/me/notifications?limit=1").json();
    EXPECT_EQ(page.at("items").size(), 1u);
    EXPECT_EQ(page.at("items")[0].at("rule"), "chase");  // the newest
    EXPECT_EQ(page.at("total"), 2);
    EXPECT_EQ(page.at("unread"), 2);
    expectProblem(as("owner", "GET", "/api/v1/me/notifications?limit=0"), 400, "validation", "/api/v1/me/notifications");
}

TEST_F(ChaseApiTest, ClosedActionsAreSkippedWithTheReason) {
    const auto result = send("POST", "/api/v1/actions/chase?status=verified", "{}");
    ASSERT_EQ(result.status, 200) << result.body;
    const auto body = result.json();
    EXPECT_EQ(body.at("skipped"), 2);
    EXPECT_EQ(body.at("chased"), 0);
    EXPECT_EQ(body.at("actions")[0].at("reason"), "verified: only not started and in progress actions are chased");
    EXPECT_TRUE(store_.state().outbox.empty());
    EXPECT_EQ(wakeUps_, 0);
}

TEST_F(ChaseApiTest, BadRequestsGet400NamingTheFieldAndChangeNothing) {
    const auto before = store_.state();
    auto refused = [&](const std::string& uri, const std::string& body, const std::string& field) {
        const auto result = send("POST", uri, body);
        expectProblem(result, 400, "validation", uri.substr(0, uri.find('?')));
        EXPECT_NE(result.body.find(field), std::string::npos) << result.body;
    };
    // An id the filters do not select (a-pm-1-1 is not overdue), a typo, wrong types, a bad filter.
    refused("/api/v1/actions/chase?overdue=true", R"({"action_ids":["a-pm-1-1"]})", "action_ids");
    refused("/api/v1/actions/chase", R"({"action_ids":["no-such-action"]})", "no-such-action");
    refused("/api/v1/actions/chase", R"({"dry-run":true})", "dry-run");
    refused("/api/v1/actions/chase", R"({"dry_run":"yes"})", "dry_run");
    refused("/api/v1/actions/chase", R"({"action_ids":"a-pm-1-1"})", "action_ids");
    refused("/api/v1/actions/chase", R"({"note":42})", "note");
    refused("/api/v1/actions/chase", R"({"note":"bell \u0007"})", "U+0007");
    refused("/api/v1/actions/chase", R"({"action_ids":["a-pm-1-1","a-pm-1-1"]})", "twice");
    refused("/api/v1/actions/chase?priority=urgent", "{}", "priority");
    const auto after = store_.state();
    EXPECT_EQ(after.reminders, before.reminders);
    EXPECT_EQ(after.outbox, before.outbox);
    EXPECT_EQ(after.events.size(), before.events.size());
}

TEST_F(ChaseApiTest, HostileBodiesAreCutShortNotParsedInFull) {
    // Nesting: refused at the 65th level, whatever follows.
    const std::string deep = R"({"dry_run":true,"x":)" + std::string(100000, '[') + std::string(100000, ']') + "}";
    const auto nested = send("POST", "/api/v1/actions/chase", deep);
    expectProblem(nested, 400, "validation", "/api/v1/actions/chase");
    EXPECT_NE(nested.body.find("deeper than 64 levels"), std::string::npos) << nested.body;
    // Size: 256 KiB for JSON bodies (a chase of 1,000 ids needs about 45 KB), 16 KiB for the open sign-in.
    std::string ids = R"({"action_ids":[)";
    for (int i = 0; i < 1000; ++i) ids += std::string(i ? "," : "") + "\"" + std::string(300, 'a') + "\"";
    ids += "]}";
    expectProblem(send("POST", "/api/v1/actions/chase", ids), 413, "payload_too_large", "/api/v1/actions/chase");
    const std::string signIn = R"({"username":"viewer","password":")" + std::string(20000, 'p') + "\"}";
    expectProblem(send("POST", "/api/v1/session", signIn, kAnonymous), 413, "payload_too_large", "/api/v1/session");
    // A null where a list belongs is a mistake, not "every filtered action".
    expectProblem(send("POST", "/api/v1/actions/chase", R"({"action_ids":null})"), 400, "validation",
                  "/api/v1/actions/chase");
    EXPECT_TRUE(store_.state().outbox.empty());
}

}  // namespace
}  // namespace govtrack::http::test
