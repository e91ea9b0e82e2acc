#include <algorithm>
#include <atomic>
#include <stdexcept>
#include <thread>

#include <Poco/Exception.h>

#include "govtrack/domain/AuditTrail.h"
#include "govtrack/domain/Error.h"

#include "ApiTestFixture.h"

namespace govtrack::http::test {
namespace {

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

std::vector<std::string> actionKeys(const nlohmann::json& items) {
    std::vector<std::string> keys;
    for (const auto& item : items) {
        keys.push_back(item.at("engagement").get<std::string>() + " " +
                       std::to_string(item.at("recommendation").get<int>()) + "." +
                       std::to_string(item.at("number").get<int>()));
    }
    return keys;
}

const nlohmann::json& findAction(const nlohmann::json& items, const std::string& id) {
    for (const auto& item : items) {
        if (item.at("id") == id) return item;
    }
    throw std::runtime_error("no action " + id);
}

// ---- health ----

TEST_F(ApiServerTest, HealthzAnswersOkAsJson) {
    const auto result = get("/healthz");
    EXPECT_EQ(result.status, 200);
    EXPECT_EQ(result.contentType, "application/json");
    EXPECT_EQ(result.json(), nlohmann::json({{"status", "ok"}}));
    EXPECT_FALSE(result.header("X-Request-Id").empty());
    EXPECT_EQ(result.header("X-Content-Type-Options"), "nosniff");
}

TEST_F(ApiServerTest, HealthzIs503WithPublicDetailWhenStoreIsDown) {
    store_.setFault([] {
        throw domain::UnavailableError("The database is not reachable.", "sqlite3_open: unable to open /var/db/x");
    });
    const auto result = get("/healthz");
    expectProblem(result, 503, "unavailable", "/healthz");
    EXPECT_EQ(result.json().at("detail"), "The database is not reachable.");
    EXPECT_FALSE(contains(result.body, "sqlite3_open"));
    const auto logged = channel_->messages();
    EXPECT_TRUE(std::any_of(logged.begin(), logged.end(), [](const auto& m) { return contains(m, "sqlite3_open"); }));
}

// ---- engagements ----

TEST_F(ApiServerTest, EngagementsListsEachWithCountsByPriority) {
    const auto result = get("/api/v1/engagements");
    ASSERT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(result.contentType, "application/json");
    const auto body = result.json();
    ASSERT_EQ(body.at("items").size(), 2u);
    EXPECT_EQ(body.at("total"), 2);
    const auto& earlier = body["items"][0];
    const auto& pm = body["items"][1];
    EXPECT_EQ(earlier.at("reference"), "IA-2021-22-PE");
    EXPECT_EQ(earlier.at("assurance_level"), "limited");
    EXPECT_EQ(earlier.at("status"), "closed");
    EXPECT_EQ(earlier.at("recommendation_counts"),
              nlohmann::json({{"high", 1}, {"medium", 0}, {"low", 1}, {"total", 2}}));
    EXPECT_EQ(pm.at("reference"), "IA-2024-25-PM");
    EXPECT_EQ(pm.at("title"), "Performance Management");
    EXPECT_EQ(pm.at("audit_year"), "2024-25");
    EXPECT_EQ(pm.at("assurance_level"), "reasonable");
    EXPECT_EQ(pm.at("status"), "final");
    EXPECT_EQ(pm.at("issue_date"), "2025-05");
    EXPECT_EQ(pm.at("issue_date_display"), "May 2025");
    EXPECT_EQ(pm.at("recommendation_counts"), nlohmann::json({{"high", 0}, {"medium", 3}, {"low", 0}, {"total", 3}}));
}

TEST_F(ApiServerTest, EngagementDetailHasTermsFindingsRecommendationsAndActions) {
    const auto result = get("/api/v1/engagements/IA-2024-25-PM");
    ASSERT_EQ(result.status, 200) << result.body;
    const auto body = result.json();
    EXPECT_EQ(body.at("reference"), "IA-2024-25-PM");
    EXPECT_EQ(body.at("follows_up"), "IA-2021-22-PE");
    const auto& terms = body.at("terms_of_reference");
    EXPECT_TRUE(contains(terms.at("scope").get<std::string>(), "performance"));
    EXPECT_EQ(terms.at("remit_items").size(), 3u);
    EXPECT_EQ(terms.at("key_risks").size(), 1u);
    EXPECT_EQ(terms.at("timescale").at("fieldwork_start"), "2025-01-13");
    EXPECT_EQ(terms.at("timescale").at("fieldwork_end"), "2025-02-28");
    EXPECT_TRUE(terms.at("timescale").at("draft_report_date").is_null());
    EXPECT_EQ(terms.at("timescale").at("resource_days"), 25);

    // Findings in numeric order: 3.1.1, 3.2.9, 3.2.10.
    const auto& findings = body.at("findings");
    ASSERT_EQ(findings.size(), 3u);
    EXPECT_EQ(findings[0].at("number"), "3.1.1");
    EXPECT_EQ(findings[0].at("kind"), "good_practice");
    EXPECT_TRUE(findings[0].at("recommendation_number").is_null());
    EXPECT_EQ(findings[1].at("number"), "3.2.9");
    EXPECT_EQ(findings[2].at("number"), "3.2.10");
    EXPECT_EQ(findings[2].at("recommendation_number"), 3);

    const auto& recommendations = body.at("recommendations");
    ASSERT_EQ(recommendations.size(), 3u);
    EXPECT_EQ(recommendations[0].at("number"), 1);
    EXPECT_EQ(recommendations[0].at("status"), "not_implemented");
    EXPECT_EQ(recommendations[0].at("recommendation"), "Recommendation text for Individual objectives");
    EXPECT_EQ(recommendations[0].at("owners"),
              nlohmann::json({"Organisational Design and Strategic Capability Lead", "Head of People & Place"}));
    EXPECT_EQ(recommendations[2].at("management_response"), "risk_tolerated");
    EXPECT_EQ(recommendations[2].at("status"), "risk_accepted");

    const auto& actions = recommendations[1].at("actions");
    ASSERT_EQ(actions.size(), 1u);
    EXPECT_EQ(actions[0].at("lead_owner"), "Head of Performance, Analysis and Strategy");
    EXPECT_EQ(actions[0].at("co_owners"),
              nlohmann::json({"Head of Client Services Operations", "Organisational Design and Development Lead"}));
    EXPECT_EQ(actions[0].at("rag"), "red");
    EXPECT_EQ(actions[0].at("days_overdue"), 77);
    EXPECT_TRUE(actions[0].at("revised_target_dates").empty());

    const auto& withUpdates = recommendations[0].at("actions")[0];
    EXPECT_EQ(withUpdates.at("last_update").at("date"), "2025-08-20");
    EXPECT_EQ(withUpdates.at("last_update").at("percent"), 60);
}

TEST_F(ApiServerTest, EngagementDetailShowsRevisionHistory) {
    const auto body = get("/api/v1/engagements/IA-2021-22-PE").json();
    const auto& action = body.at("recommendations")[0].at("actions")[1];
    EXPECT_EQ(action.at("revisions"), 2);
    ASSERT_EQ(action.at("revised_target_dates").size(), 2u);
    EXPECT_EQ(action.at("revised_target_dates")[1].at("new_target_date"), "2025-10-31");
    EXPECT_EQ(action.at("revised_target_dates")[1].at("reason"), "Data migration");
    EXPECT_EQ(action.at("revised_target_dates")[1].at("decision_date"), "2024-03-25");
    EXPECT_EQ(body.at("recommendations")[0].at("status"), "partially_implemented");
    EXPECT_EQ(body.at("recommendations")[1].at("status"), "implemented");
}

TEST_F(ApiServerTest, UnknownEngagementIs404Problem) {
    const auto result = get("/api/v1/engagements/IA-1999-00-XX");
    expectProblem(result, 404, "not_found", "/api/v1/engagements/IA-1999-00-XX");
    EXPECT_TRUE(contains(result.json().at("detail").get<std::string>(), "IA-1999-00-XX"));
}

// ---- recommendations ----

TEST_F(ApiServerTest, RecommendationsListAllWithDerivedStatus) {
    const auto result = get("/api/v1/recommendations");
    ASSERT_EQ(result.status, 200) << result.body;
    const auto body = result.json();
    ASSERT_EQ(body.at("items").size(), 5u);
    EXPECT_EQ(body.at("total"), 5);
    EXPECT_EQ(body["items"][0].at("engagement"), "IA-2021-22-PE");
    EXPECT_EQ(body["items"][0].at("status"), "partially_implemented");
    EXPECT_EQ(body["items"][0].at("actions_total"), 2);
    EXPECT_EQ(body["items"][0].at("actions_open"), 1);
    EXPECT_EQ(body["items"][3].at("engagement"), "IA-2024-25-PM");
    EXPECT_EQ(body["items"][3].at("number"), 2);
    EXPECT_EQ(body["items"][3].at("actions_overdue"), 1);
    EXPECT_EQ(body["items"][3].at("days_overdue"), 77);
    EXPECT_FALSE(body["items"][3].contains("actions"));  // the list is a summary
}

TEST_F(ApiServerTest, RecommendationsFilterByEngagementPriorityAndStatus) {
    auto body = get("/api/v1/recommendations?engagement=IA-2024-25-PM&priority=medium").json();
    EXPECT_EQ(body.at("total"), 3);
    body = get("/api/v1/recommendations?priority=High").json();
    ASSERT_EQ(body.at("total"), 1);
    EXPECT_EQ(body["items"][0].at("title"), "Productivity measures");
    body = get("/api/v1/recommendations?status=risk_accepted").json();
    ASSERT_EQ(body.at("total"), 1);
    EXPECT_EQ(body["items"][0].at("engagement"), "IA-2024-25-PM");
    EXPECT_EQ(body["items"][0].at("number"), 3);
    body = get("/api/v1/recommendations?status=implemented").json();
    ASSERT_EQ(body.at("total"), 1);
    EXPECT_EQ(body["items"][0].at("title"), "Efficiency reporting");
}

TEST_F(ApiServerTest, RecommendationsRejectUnknownStatusNamingAllowedValues) {
    const auto result = get("/api/v1/recommendations?status=done");
    expectProblem(result, 400, "validation", "/api/v1/recommendations");
    const auto body = result.json();
    EXPECT_TRUE(contains(body.at("detail"), "status"));
    EXPECT_TRUE(contains(body.at("detail"), "partially_implemented"));
    ASSERT_EQ(body.at("errors").size(), 1u);
    EXPECT_EQ(body["errors"][0].at("where"), "status");
}

TEST_F(ApiServerTest, RecommendationsForUnknownEngagementIs404) {
    expectProblem(get("/api/v1/recommendations?engagement=NOPE"), 404, "not_found", "/api/v1/recommendations");
}

// ---- actions ----

TEST_F(ApiServerTest, ActionsListInStableOrderWithDerivedFields) {
    const auto result = get("/api/v1/actions");
    ASSERT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(result.contentType, "application/json");
    const auto body = result.json();
    EXPECT_EQ(body.at("page"), 1);
    EXPECT_EQ(body.at("per_page"), 50);
    EXPECT_EQ(body.at("total"), 6);
    EXPECT_EQ(actionKeys(body.at("items")),
              (std::vector<std::string>{"IA-2021-22-PE 1.1", "IA-2021-22-PE 1.2", "IA-2021-22-PE 2.1",
                                        "IA-2024-25-PM 1.1", "IA-2024-25-PM 2.1", "IA-2024-25-PM 3.1"}));

    const auto& objectives = findAction(body["items"], "a-pm-1-1");
    EXPECT_EQ(objectives.at("lead_owner"), "Organisational Design and Strategic Capability Lead");
    EXPECT_EQ(objectives.at("co_owners"), nlohmann::json({"Head of People & Place"}));
    EXPECT_EQ(objectives.at("target_date"), "2025-12");
    EXPECT_EQ(objectives.at("target_date_display"), "Dec 2025");
    EXPECT_EQ(objectives.at("current_target_date"), "2025-12");
    EXPECT_EQ(objectives.at("revisions"), 0);
    EXPECT_EQ(objectives.at("status"), "in_progress");
    EXPECT_EQ(objectives.at("rag"), "green");
    EXPECT_EQ(objectives.at("days_overdue"), 0);
    EXPECT_EQ(objectives.at("priority"), "medium");
    EXPECT_FALSE(objectives.contains("revised_target_dates"));

    const auto& governance = findAction(body["items"], "a-pm-2-1");
    EXPECT_EQ(governance.at("target_date"), "2025-06");
    EXPECT_EQ(governance.at("target_date_display"), "Jun 2025");
    EXPECT_EQ(governance.at("overdue"), true);
    EXPECT_EQ(governance.at("days_overdue"), 77);  // 30 June -> 15 September
    EXPECT_EQ(governance.at("rag"), "red");

    const auto& revised = findAction(body["items"], "a-pe-1-2");
    EXPECT_EQ(revised.at("target_date"), "2023-03-31");
    EXPECT_EQ(revised.at("current_target_date"), "2025-10-31");
    EXPECT_EQ(revised.at("revisions"), 2);
    EXPECT_EQ(revised.at("rag"), "amber");  // revised twice
    EXPECT_EQ(revised.at("overdue"), false);

    const auto& tolerated = findAction(body["items"], "a-pm-3-1");
    EXPECT_TRUE(tolerated.at("target_date").is_null());
    EXPECT_TRUE(tolerated.at("target_date_display").is_null());
    EXPECT_EQ(tolerated.at("rag"), "complete");
}

TEST_F(ApiServerTest, ActionsFilterByOwnerCaseInsensitivelyAsLeadOrCoOwner) {
    const auto body = get("/api/v1/actions?owner=head%20of%20people%20%26%20place").json();
    EXPECT_EQ(actionKeys(body.at("items")), (std::vector<std::string>{"IA-2021-22-PE 1.2", "IA-2024-25-PM 1.1"}));
    EXPECT_EQ(body.at("total"), 2);
    const auto plus = get("/api/v1/actions?owner=Head+of+People+%26+Place&engagement=IA-2024-25-PM").json();
    EXPECT_EQ(actionKeys(plus.at("items")), (std::vector<std::string>{"IA-2024-25-PM 1.1"}));
}

TEST_F(ApiServerTest, ActionsFilterByOverdueStatusPriorityAndEngagement) {
    EXPECT_EQ(actionKeys(get("/api/v1/actions?overdue=true").json().at("items")),
              (std::vector<std::string>{"IA-2024-25-PM 2.1"}));
    EXPECT_EQ(get("/api/v1/actions?overdue=false").json().at("total"), 5);
    EXPECT_EQ(actionKeys(get("/api/v1/actions?status=verified").json().at("items")),
              (std::vector<std::string>{"IA-2021-22-PE 1.1", "IA-2021-22-PE 2.1"}));
    EXPECT_EQ(actionKeys(get("/api/v1/actions?priority=high").json().at("items")),
              (std::vector<std::string>{"IA-2021-22-PE 1.1", "IA-2021-22-PE 1.2"}));
    EXPECT_EQ(get("/api/v1/actions?engagement=IA-2024-25-PM").json().at("total"), 3);
    EXPECT_EQ(get("/api/v1/actions?engagement=IA-2024-25-PM&status=in_progress&overdue=false").json().at("total"), 1);
    EXPECT_EQ(get("/api/v1/actions?owner=Nobody").json().at("total"), 0);
}

TEST_F(ApiServerTest, ActionsPaginateWithTotal) {
    auto body = get("/api/v1/actions?per_page=2&page=2").json();
    EXPECT_EQ(body.at("page"), 2);
    EXPECT_EQ(body.at("per_page"), 2);
    EXPECT_EQ(body.at("total"), 6);
    EXPECT_EQ(actionKeys(body.at("items")), (std::vector<std::string>{"IA-2021-22-PE 2.1", "IA-2024-25-PM 1.1"}));
    body = get("/api/v1/actions?per_page=4&page=2").json();
    EXPECT_EQ(actionKeys(body.at("items")), (std::vector<std::string>{"IA-2024-25-PM 2.1", "IA-2024-25-PM 3.1"}));
    body = get("/api/v1/actions?per_page=2&page=4").json();
    EXPECT_TRUE(body.at("items").empty());
    EXPECT_EQ(body.at("total"), 6);
    EXPECT_EQ(get("/api/v1/actions?per_page=500").json().at("items").size(), 6u);
}

TEST_F(ApiServerTest, ActionsRejectBadParametersNamingThemAndTheAllowedValues) {
    struct Case {
        std::string query;
        std::string parameter;
        std::string allowedHint;
    };
    const std::vector<Case> cases = {
        {"per_page=0", "per_page", "1 to 500"},
        {"per_page=100000", "per_page", "1 to 500"},
        {"per_page=ten", "per_page", "1 to 500"},
        {"page=0", "page", "from 1"},
        {"page=-3", "page", "from 1"},
        {"overdue=yes", "overdue", "true, false"},
        {"priority=urgent", "priority", "high, medium, low"},
        {"status=done", "status", "in_progress"},
        {"owner=", "owner", "empty"},
        {"onwer=Product%20Owner", "onwer", "allowed: owner"},
        {"page=1&page=2", "page", "more than once"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.query);
        const auto result = get("/api/v1/actions?" + c.query);
        expectProblem(result, 400, "validation", "/api/v1/actions");
        const auto body = result.json();
        const std::string detail = body.at("detail");
        EXPECT_TRUE(contains(detail, "'" + c.parameter + "'")) << detail;
        EXPECT_TRUE(contains(detail, c.allowedHint)) << detail;
        ASSERT_FALSE(body.at("errors").empty());
        EXPECT_EQ(body["errors"][0].at("where"), c.parameter);
    }
}

TEST_F(ApiServerTest, ActionsReportEveryBadParameterAtOnce) {
    const auto result = get("/api/v1/actions?priority=urgent&per_page=0&overdue=maybe");
    expectProblem(result, 400, "validation", "/api/v1/actions");
    const auto errors = result.json().at("errors");
    ASSERT_EQ(errors.size(), 3u);
    std::vector<std::string> where;
    for (const auto& e : errors) where.push_back(e.at("where"));
    std::sort(where.begin(), where.end());
    EXPECT_EQ(where, (std::vector<std::string>{"overdue", "per_page", "priority"}));
}

TEST_F(ApiServerTest, BadPercentEncodingIs400) {
    expectProblem(get("/api/v1/actions?owner=%zz"), 400, "validation", "/api/v1/actions");
    expectProblem(get("/api/v1/engagements/%zz"), 400, "validation", "/api/v1/engagements/%zz");
}

// ---- follow-up report ----

TEST_F(ApiServerTest, FollowUpReportAsJsonDefaultsToToday) {
    const auto result = get("/api/v1/reports/follow-up?engagement=IA-2024-25-PM");
    ASSERT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(result.contentType, "application/json");
    const auto body = result.json();
    EXPECT_EQ(body.at("as_of"), "2025-09-15");
    EXPECT_EQ(body.at("recommendations").size(), 3u);
    EXPECT_TRUE(body.contains("totals"));
}

namespace {

/// The chain's hash function does not matter to as-of reads.
class NullHasher final : public domain::Hasher {
public:
    std::string sha256Hex(std::string_view) override { return std::string(64, '0'); }
};

}  // namespace

TEST_F(ApiServerTest, FollowUpReportForAPastDateIsRebuiltFromTheAuditTrail) {
    // The seeded plan, recorded as created on 30 June 2025; action 1.1 later moved to implemented on
    // 1 August. The store itself is not touched: only the events say what the plan was.
    {
        auto session = store_.openSession();
        const auto plan = session->loadActionPlan({});
        NullHasher hasher;
        const domain::FixedClock june(ymd(2025, 6, 30)), august(ymd(2025, 8, 1));
        domain::AuditTrail created(session->events(), june, hasher);
        const auto actor = domain::Actor::system("seed");
        for (const auto& e : plan.engagements) created.recordEngagement(actor, "create", std::nullopt, e);
        for (const auto& r : plan.recommendations) created.recordRecommendation(actor, "create", std::nullopt, r);
        for (const auto& a : plan.actions) created.recordAction(actor, "create", std::nullopt, a);
        for (const auto& p : plan.people) created.recordPerson(actor, "create", std::nullopt, p);
        domain::Action moved = plan.actions.front();
        moved.status = domain::ActionStatus::kImplemented;
        domain::AuditTrail(session->events(), august, hasher)
            .recordAction(actor, "transition", plan.actions.front(), moved);
    }
    auto statusOf = [&](const std::string& asOf) {
        const auto result = get("/api/v1/reports/follow-up?as_of=" + asOf + "&format=json");
        EXPECT_EQ(result.status, 200) << result.body;
        const auto body = result.json();
        EXPECT_EQ(body.at("as_of"), asOf);
        EXPECT_EQ(body.at("recommendations").size(), 5u);
        int implemented = 0;
        for (const auto& r : body.at("recommendations")) {
            for (const auto& a : r.at("actions")) implemented += a.at("status") == "implemented" ? 1 : 0;
        }
        return implemented;
    };
    EXPECT_EQ(statusOf("2025-09-01"), statusOf("2025-07-01") + 1);
    EXPECT_EQ(statusOf("2025-07-31"), statusOf("2025-07-01"));
    EXPECT_TRUE(get("/api/v1/reports/follow-up?as_of=2025-06-29&format=json").json().at("recommendations").empty());
}

TEST_F(ApiServerTest, FollowUpReportAsCsvIsAnAttachment) {
    const auto result = get("/api/v1/reports/follow-up?engagement=IA-2024-25-PM&format=csv&as_of=2025-09-30");
    ASSERT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(result.contentType, "text/csv; charset=utf-8");
    EXPECT_EQ(result.header("Content-Disposition"), "attachment; filename=\"follow-up-IA-2024-25-PM-2025-09-30.csv\"");
    EXPECT_TRUE(contains(result.body, "Set individual objectives for all roles"));
    EXPECT_TRUE(contains(result.body, "\r\n"));
    EXPECT_EQ(result.body.rfind("Engagement,", 0), 0u);  // no byte order mark unless asked
    const auto withBom = get("/api/v1/reports/follow-up?engagement=ia-2024-25-pm&format=csv&bom=true");
    ASSERT_EQ(withBom.status, 200) << withBom.body;
    EXPECT_EQ(withBom.body.rfind("\xEF\xBB\xBF", 0), 0u);
    EXPECT_EQ(withBom.header("Content-Disposition").find("ia-2024"), std::string::npos);  // stored spelling
    EXPECT_EQ(get("/api/v1/reports/follow-up?format=csv&bom=yes").status, 400);
}

TEST_F(ApiServerTest, FollowUpReportAsHtmlIsAPrintablePage) {
    const auto result = get("/api/v1/reports/follow-up?format=html");
    ASSERT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(result.contentType, "text/html; charset=utf-8");
    EXPECT_TRUE(contains(result.body, "<html") || contains(result.body, "<HTML"));
    EXPECT_TRUE(contains(result.body, "Follow-up report"));
    EXPECT_TRUE(contains(result.body, "Individual objectives"));
    EXPECT_TRUE(contains(result.header("Content-Security-Policy"), "default-src 'none'"));
}

TEST_F(ApiServerTest, FollowUpReportRejectsBadAsOfAndFormat) {
    for (const std::string asOf : {"2025-02-30", "15/09/2025", "2025-9-1", "today"}) {
        SCOPED_TRACE(asOf);
        const auto result = get("/api/v1/reports/follow-up?as_of=" + asOf);
        expectProblem(result, 400, "validation", "/api/v1/reports/follow-up");
        EXPECT_EQ(result.json()["errors"][0].at("where"), "as_of");
        EXPECT_TRUE(contains(result.json().at("detail"), "YYYY-MM-DD"));
    }
    const auto result = get("/api/v1/reports/follow-up?format=pdf");
    expectProblem(result, 400, "validation", "/api/v1/reports/follow-up");
    EXPECT_TRUE(contains(result.json().at("detail"), "json, csv, html, xlsx"));
}

TEST_F(ApiServerTest, FollowUpReportForUnknownEngagementIs404) {
    expectProblem(get("/api/v1/reports/follow-up?engagement=NOPE&format=csv"), 404, "not_found",
                  "/api/v1/reports/follow-up");
}

// ---- routing ----

TEST_F(ApiServerTest, UnknownApiRouteIs404Problem) {
    const auto result = get("/api/v1/nothing-here?x=1");
    expectProblem(result, 404, "not_found", "/api/v1/nothing-here");
    EXPECT_EQ(result.json().at("title"), "Not Found");
    EXPECT_TRUE(result.json().at("errors").empty());
    expectProblem(get("/api"), 404, "not_found", "/api");
    expectProblem(get("/api/v1/engagements/IA-2024-25-PM/extra"), 404, "not_found",
                  "/api/v1/engagements/IA-2024-25-PM/extra");
}

TEST_F(ApiServerTest, KnownRouteWithWrongMethodIs405WithAllow) {
    for (const std::string method : {"POST", "PUT", "DELETE", "PATCH"}) {
        SCOPED_TRACE(method);
        const auto result = call(method, "/api/v1/actions");
        expectProblem(result, 405, "method_not_allowed", "/api/v1/actions");
        EXPECT_EQ(result.header("Allow"), "GET, HEAD");
        EXPECT_EQ(result.json().at("title"), "Method Not Allowed");
        EXPECT_EQ(result.reason, "Method Not Allowed");  // the status line, not "OK"
    }
    const auto detail = call("DELETE", "/api/v1/engagements/IA-2024-25-PM");
    EXPECT_EQ(detail.status, 405);
    EXPECT_EQ(detail.header("Allow"), "GET, HEAD");
    const auto staticFile = call("POST", "/index.html");
    EXPECT_EQ(staticFile.status, 405);
    EXPECT_EQ(staticFile.header("Allow"), "GET, HEAD");
    // Unknown API paths stay 404 whatever the method.
    EXPECT_EQ(call("POST", "/api/v1/unknown").status, 404);
    EXPECT_EQ(call("GET", "/api/v1/unknown").reason, "Not Found");
}

TEST_F(ApiServerTest, HeadAnswersLikeGetWithoutBody) {
    const auto result = call("HEAD", "/api/v1/engagements");
    EXPECT_EQ(result.status, 200);
    EXPECT_EQ(result.contentType, "application/json");
    EXPECT_TRUE(result.body.empty());
}

TEST_F(ApiServerTest, RequestIdIsEchoedWhenPlainAndReplacedOtherwise) {
    EXPECT_EQ(call("GET", "/healthz", {{"X-Request-Id", "lb-42.abc_DEF"}}).header("X-Request-Id"), "lb-42.abc_DEF");
    const auto replaced = call("GET", "/healthz", {{"X-Request-Id", "evil id <script>"}}).header("X-Request-Id");
    EXPECT_FALSE(replaced.empty());
    EXPECT_NE(replaced, "evil id <script>");
}

// ---- static files ----

TEST_F(ApiServerTest, StaticFilesAreServedWithContentTypes) {
    auto result = get("/");
    EXPECT_EQ(result.status, 200);
    EXPECT_EQ(result.contentType, "text/html; charset=utf-8");
    EXPECT_TRUE(contains(result.body, "<h1>Tracker</h1>"));
    EXPECT_EQ(get("/index.html").body, result.body);
    result = get("/app.js");
    EXPECT_EQ(result.status, 200);
    EXPECT_EQ(result.contentType, "text/javascript; charset=utf-8");
    EXPECT_EQ(result.body, "console.log('govtrack');");
    result = get("/css/site.css?v=3");
    EXPECT_EQ(result.status, 200);
    EXPECT_EQ(result.contentType, "text/css; charset=utf-8");
    EXPECT_EQ(result.body, "body { margin: 0; }");
    expectProblem(get("/missing.html"), 404, "not_found", "/missing.html");
}

TEST_F(ApiServerTest, StaticFilesRefusePathTraversal) {
    const std::vector<std::string> attempts = {
        "/../secret.txt",
        "/css/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/css/%2e%2e/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/..%5csecret.txt",
        "/%252e%252e/secret.txt",
        "//" + (base_ / "secret.txt").string(),
        "/" + (base_ / "secret.txt").string(),
        "/escape.txt",  // a symbolic link pointing outside the webroot
        "/.env",
        "/index.html%00.txt",
        "/./index.html",
    };
    for (const auto& path : attempts) {
        SCOPED_TRACE(path);
        const auto result = get(path);
        EXPECT_EQ(result.status, 404);
        EXPECT_EQ(result.contentType, "application/problem+json");
        EXPECT_FALSE(contains(result.body, "TOP SECRET"));
        EXPECT_FALSE(contains(result.body, "HIDDEN"));
    }
}

// ---- failures ----

TEST_F(ApiServerTest, UnexpectedStdExceptionIs500WithoutInternalText) {
    store_.setFault([] { throw std::runtime_error("secret internal detail: constraint idx_action_3 at /var/lib/db"); });
    const auto result = call("GET", "/api/v1/engagements", {{"X-Request-Id", "req-500-test"}});
    expectProblem(result, 500, "internal", "/api/v1/engagements");
    EXPECT_FALSE(contains(result.body, "secret internal"));
    EXPECT_FALSE(contains(result.body, "idx_action_3"));
    EXPECT_EQ(result.header("X-Request-Id"), "req-500-test");
    EXPECT_TRUE(contains(result.json().at("detail"), "req-500-test"));
    const auto logged = channel_->messages();
    EXPECT_TRUE(std::any_of(logged.begin(), logged.end(), [](const auto& m) {
        return contains(m, "req-500-test") && contains(m, "secret internal detail");
    }));
}

TEST_F(ApiServerTest, NonStandardAndPocoExceptionsAre500Problems) {
    store_.setFault([] { throw 42; });
    expectProblem(get("/api/v1/actions"), 500, "internal", "/api/v1/actions");
    store_.setFault([] { throw Poco::IOException("disk sector 7 unreadable"); });
    const auto result = get("/api/v1/recommendations");
    expectProblem(result, 500, "internal", "/api/v1/recommendations");
    EXPECT_FALSE(contains(result.body, "sector 7"));
    store_.setFault([] { throw domain::Error(domain::ErrorCode::kInternal, "bug: null owner map", {}, "stack"); });
    const auto internal = get("/api/v1/engagements/IA-2024-25-PM");
    expectProblem(internal, 500, "internal", "/api/v1/engagements/IA-2024-25-PM");
    EXPECT_FALSE(contains(internal.body, "null owner map"));
}

TEST_F(ApiServerTest, DomainErrorsMapByCode) {
    store_.setFault([] { throw domain::ConflictError("stale", true); });
    EXPECT_EQ(get("/api/v1/actions").status, 412);
    store_.setFault([] { throw domain::Error(domain::ErrorCode::kForbidden, "You may not see this."); });
    const auto forbidden = get("/api/v1/actions");
    expectProblem(forbidden, 403, "forbidden", "/api/v1/actions");
    EXPECT_EQ(forbidden.json().at("detail"), "You may not see this.");
}

// ---- reads never write; concurrency ----

TEST_F(ApiServerTest, GetRequestsOnlyReadAndOpenOneSessionEach) {
    const int sessionsBefore = store_.sessionsOpened();
    const int transactionsBefore = store_.transactions();
    const std::vector<std::string> uris = {
        "/healthz",
        "/api/v1/engagements",
        "/api/v1/engagements/IA-2024-25-PM",
        "/api/v1/recommendations",
        "/api/v1/actions",
        "/api/v1/reports/follow-up?format=csv",
    };
    for (const auto& uri : uris) EXPECT_EQ(get(uri).status, 200) << uri;
    EXPECT_EQ(store_.sessionsOpened() - sessionsBefore, static_cast<int>(uris.size()));
    EXPECT_EQ(store_.writes(), writesAfterSeed_);
    EXPECT_EQ(store_.transactions(), transactionsBefore);
    EXPECT_GT(store_.reads(), readsAfterSeed_);
}

TEST_F(ApiServerTest, ServesConcurrentRequests) {
    std::atomic<int> ok{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 6; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 10; ++i) {
                if (get("/api/v1/actions?per_page=3").status == 200) ++ok;
            }
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(ok.load(), 60);
}

// ---- server lifecycle ----

TEST_F(ApiServerTest, PortIsTheBoundEphemeralPortAndStartTwiceIsRefused) {
    EXPECT_NE(server_->port(), 0);
    EXPECT_THROW(server_->start(), domain::ConflictError);
    server_->stop();
    server_->stop();  // idempotent
    EXPECT_EQ(server_->port(), 0);
}

TEST(ApiServerConfig, DefaultsBindLoopback) {
    const ServerConfig config;
    EXPECT_EQ(config.host, "127.0.0.1");
    EXPECT_EQ(config.port, 8080);
    EXPECT_EQ(config.threads, 32);
}

/// Platform services for servers built outside the fixture.
struct TestAuth {
    platform::UuidGenerator ids;
    platform::Sha256Hasher hasher;
    platform::Argon2PasswordHasher passwords{platform::Argon2Parameters{1, 64, 1}};
    platform::SystemSecretSource secrets;
    AuthServices services{ids, hasher, passwords, secrets};
};

TEST(ApiServerConfig, RefusesBadConfiguration) {
    TestAuth auth;
    testing::InMemoryStore store;
    domain::FixedClock clock(ymd(2025, 9, 15));
    ServerConfig noThreads;
    noThreads.port = 0;
    noThreads.threads = 0;
    EXPECT_THROW(ApiServer(noThreads, store, clock, auth.services).start(), domain::ValidationError);
    ServerConfig missingWebroot;
    missingWebroot.port = 0;
    missingWebroot.webroot = "/nonexistent/govtrack/webroot";
    EXPECT_THROW(ApiServer(missingWebroot, store, clock, auth.services).start(), domain::ValidationError);
}

TEST(ApiServerConfig, PortInUseIsUnavailable) {
    TestAuth auth;
    testing::InMemoryStore store;
    domain::FixedClock clock(ymd(2025, 9, 15));
    ServerConfig config;
    config.port = 0;
    ApiServer first(config, store, clock, auth.services);
    first.start();
    config.port = first.port();
    ApiServer second(config, store, clock, auth.services);
    EXPECT_THROW(second.start(), domain::UnavailableError);
}

// Found by an attack run: with a 30 s keep-alive window, as many idle keep-alive connections as the
// server has threads (here 4, the fixture's) starved every new client for half a minute.
TEST_F(ApiServerTest, IdleKeepAliveConnectionsDoNotStarveNewClients) {
    std::vector<std::unique_ptr<Poco::Net::HTTPClientSession>> idle;
    for (int i = 0; i < 4; ++i) {
        auto session = std::make_unique<Poco::Net::HTTPClientSession>("127.0.0.1", server_->port());
        session->setKeepAlive(true);
        Poco::Net::HTTPRequest request("GET", "/healthz", Poco::Net::HTTPMessage::HTTP_1_1);
        request.setKeepAlive(true);
        session->sendRequest(request);
        Poco::Net::HTTPResponse response;
        std::istream& body = session->receiveResponse(response);
        body.ignore(std::numeric_limits<std::streamsize>::max());
        ASSERT_EQ(response.getStatus(), Poco::Net::HTTPResponse::HTTP_OK);
        idle.push_back(std::move(session));  // stays open and idle, holding a server thread
    }
    // call() gives up after 10 s; the server closes idle keep-alive connections after 2 s.
    EXPECT_EQ(call("GET", "/healthz").status, 200);
}

}  // namespace
}  // namespace govtrack::http::test
