// The who-may test (issue 7, SPEC 4.9): every route x every role x own/other row, with the status the
// policy layer must give. The table is checked against ApiServer::routes(): a route without an entry, or
// an entry for a route that no longer exists, fails the test.
//
// Write routes are sent with a stale If-Match ("0"): a principal the policy layer lets through reaches the
// domain and gets 412 (nothing changes); one it stops gets 401/403/404 before any store access.
#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "govtrack/domain/Outbox.h"

#include "ApiTestFixture.h"

namespace govtrack::http::test {
namespace {

/// The principals: anonymous and the fixture's accounts (tokens_), plus "chair" of the Review Group.
const std::vector<std::string> kPrincipals = {"anonymous", "viewer", "auditor", "secretariat",
                                              "admin",     "owner",  "other",   "chair"};

struct Case {
    std::string uri;                      ///< the concrete request
    std::optional<std::string> body;      ///< JSON body
    std::map<std::string, int> expected;  ///< principal -> status; every principal listed
    std::string row;                      ///< "own", "other" or "" (no row)
};

struct RouteCases {
    std::string method;
    std::string pattern;
    std::vector<Case> cases;
};

/// Statuses for the principals in kPrincipals order.
std::map<std::string, int> statuses(std::initializer_list<int> list) {
    std::map<std::string, int> out;
    auto it = list.begin();
    for (const auto& principal : kPrincipals) out[principal] = *it++;
    return out;
}

// clang-format off
//                                      anon viewer audit  secr admin owner other chair
const std::vector<RouteCases> kTable = {
    {"GET", "/healthz", {{"/healthz", {}, statuses({200, 200, 200, 200, 200, 200, 200, 200}), ""}}},
    {"POST", "/api/v1/session",
     {{"/api/v1/session", R"({"username":"viewer","password":"wrong password here"})",
       statuses({401, 401, 401, 401, 401, 401, 401, 401}), ""}}},
    {"DELETE", "/api/v1/session", {{"/api/v1/session", {}, statuses({401, 204, 204, 204, 204, 204, 204, 204}), ""}}},
    {"GET", "/api/v1/me", {{"/api/v1/me", {}, statuses({401, 200, 200, 200, 200, 200, 200, 200}), ""}}},
    {"GET", "/api/v1/users", {{"/api/v1/users", {}, statuses({401, 403, 403, 403, 200, 403, 403, 403}), ""}}},
    {"GET", "/api/v1/me/notifications",
     {{"/api/v1/me/notifications", {}, statuses({401, 200, 200, 200, 200, 200, 200, 200}), ""}}},
    {"POST", "/api/v1/me/notifications/{id}/read",
     {{"/api/v1/me/notifications/n-owner/read", {}, statuses({401, 404, 404, 404, 404, 204, 404, 404}), "own"},
      {"/api/v1/me/notifications/n-missing/read", {}, statuses({401, 404, 404, 404, 404, 404, 404, 404}), "other"}}},
    {"GET", "/api/v1/admin/outbox", {{"/api/v1/admin/outbox", {}, statuses({401, 403, 403, 403, 200, 403, 403, 403}), ""}}},
    {"GET", "/api/v1/registers", {{"/api/v1/registers", {}, statuses({401, 200, 200, 200, 200, 403, 403, 403}), ""}}},
    {"GET", "/api/v1/risks", {{"/api/v1/risks", {}, statuses({401, 200, 200, 200, 200, 403, 403, 403}), ""}}},
    {"GET", "/api/v1/risks/heatmap",
     {{"/api/v1/risks/heatmap", {}, statuses({401, 200, 200, 200, 200, 403, 403, 403}), ""}}},
    {"GET", "/api/v1/risks/{ref}", {{"/api/v1/risks/CR-404", {}, statuses({401, 404, 404, 404, 404, 403, 403, 403}), ""}}},
    {"GET", "/api/v1/risks/{ref}/history",
     {{"/api/v1/risks/CR-404/history", {}, statuses({401, 404, 404, 404, 404, 403, 403, 403}), ""}}},
    {"GET", "/ical/{file}", {{"/ical/not-a-token.ics", {}, statuses({404, 404, 404, 404, 404, 404, 404, 404}), ""}}},
    {"GET", "/api/v1/engagements",
     {{"/api/v1/engagements", {}, statuses({401, 200, 200, 200, 200, 200, 200, 200}), ""}}},
    {"GET", "/api/v1/engagements/{ref}",
     {{"/api/v1/engagements/IA-2024-25-PM", {}, statuses({401, 200, 200, 200, 200, 200, 200, 200}), "own"},
      {"/api/v1/engagements/IA-2021-22-PE", {}, statuses({401, 200, 200, 200, 200, 404, 404, 404}), "other"}}},
    {"GET", "/api/v1/recommendations",
     {{"/api/v1/recommendations", {}, statuses({401, 200, 200, 200, 200, 200, 200, 200}), ""}}},
    {"GET", "/api/v1/actions", {{"/api/v1/actions", {}, statuses({401, 200, 200, 200, 200, 200, 200, 200}), ""}}},
    {"GET", "/api/v1/actions/export",
     {{"/api/v1/actions/export", {}, statuses({401, 200, 200, 200, 200, 200, 200, 200}), ""}}},
    {"POST", "/api/v1/actions/chase",
     {{"/api/v1/actions/chase?overdue=true", R"({"dry_run":true})",
       statuses({401, 403, 403, 200, 403, 403, 403, 403}), ""}}},
    {"GET", "/api/v1/actions/{id}",
     {{"/api/v1/actions/a-pm-1-1", {}, statuses({401, 200, 200, 200, 200, 200, 404, 200}), "own"},
      {"/api/v1/actions/a-pm-2-1", {}, statuses({401, 200, 200, 200, 200, 404, 404, 404}), "other"}}},
    {"POST", "/api/v1/actions/{id}/transitions",
     {{"/api/v1/actions/a-pm-1-1/transitions", R"({"to":"implemented","evidence_note":"minutes"})",
       statuses({401, 403, 412, 412, 403, 412, 404, 412}), "own"},
      {"/api/v1/actions/a-pm-2-1/transitions", R"({"to":"in_progress"})",
       statuses({401, 403, 412, 412, 403, 404, 404, 404}), "other"}}},
    {"GET", "/api/v1/actions/{id}/evidence/{evidenceId}",
     {{"/api/v1/actions/a-pm-1-1/evidence/ev-1", {}, statuses({401, 200, 200, 200, 200, 200, 404, 200}), "own"},
      {"/api/v1/actions/a-pm-2-1/evidence/ev-2", {}, statuses({401, 200, 200, 200, 200, 404, 404, 404}), "other"}}},
    {"POST", "/api/v1/actions/{id}/progress",
     {{"/api/v1/actions/a-pm-1-1/progress", R"({"text":"half done"})",
       statuses({401, 403, 403, 412, 403, 412, 404, 403}), "own"},
      {"/api/v1/actions/a-pm-2-1/progress", R"({"text":"half done"})",
       statuses({401, 403, 403, 412, 403, 404, 404, 404}), "other"}}},
    {"POST", "/api/v1/actions/{id}/revision-requests",
     {{"/api/v1/actions/a-pm-1-1/revision-requests", R"({"requested_date":"2026-12-31","reason":"staff moved"})",
       statuses({401, 403, 403, 403, 403, 412, 404, 403}), "own"},
      {"/api/v1/actions/a-pm-2-1/revision-requests", R"({"requested_date":"2026-12-31","reason":"staff moved"})",
       statuses({401, 403, 403, 403, 403, 404, 404, 404}), "other"}}},
    {"GET", "/api/v1/revision-requests",
     {{"/api/v1/revision-requests", {}, statuses({401, 200, 200, 200, 200, 200, 200, 200}), ""}}},
    {"POST", "/api/v1/revision-requests/{id}/decision",
     {{"/api/v1/revision-requests/rr-1/decision", R"({"decision":"approve","reference":"RG minute 4"})",
       statuses({401, 403, 403, 403, 403, 403, 403, 412}), "own"},
      {"/api/v1/revision-requests/rr-2/decision", R"({"decision":"approve","reference":"RG minute 4"})",
       statuses({401, 403, 403, 403, 403, 403, 403, 404}), "other"}}},
    {"GET", "/api/v1/reports/follow-up",
     {{"/api/v1/reports/follow-up", {}, statuses({401, 200, 200, 200, 200, 403, 403, 200}), ""}}},
    {"GET", "/api/v1/dashboard",
     {{"/api/v1/dashboard?months=0", {}, statuses({401, 200, 200, 200, 200, 403, 403, 200}), ""}}},
    {"GET", "/api/v1/groups", {{"/api/v1/groups", {}, statuses({401, 200, 200, 200, 200, 200, 200, 200}), ""}}},
    {"GET", "/api/v1/groups/{name}/meeting-pack",
     {{"/api/v1/groups/Review%20Group/meeting-pack", {}, statuses({401, 200, 200, 200, 200, 404, 404, 200}), "own"},
      {"/api/v1/groups/Other%20Group/meeting-pack", {}, statuses({401, 200, 200, 200, 200, 404, 404, 404}),
       "other"}}},
};
// clang-format on

}  // namespace

/// The worked example plus a Review Group (chaired by "Chair of the Review Group", who has an account)
/// overseeing IA-2024-25-PM 1.1 with a pending revised-date request rr-1, and an Other Group overseeing
/// 2.1 with request rr-2.
class WhoMayTest : public ApiServerTest {
protected:
    void seedMore() override {
        using namespace domain;
        auto session = store_.openSession();
        saveChairPerson(*session);
        auto group = [&](const std::string& id, const std::string& name, std::vector<GroupMember> members) {
            GovernanceGroup g;
            g.id = id;
            g.name = name;
            g.members = std::move(members);
            g.powers = {DelegatedPower{PowerKind::kApproveRevisedDate, Priority::kHigh, std::nullopt}};
            session->groups().save(g);
        };
        group("g-review", "Review Group", {{"p-chair", MemberRole::kChair}});
        group("g-other", "Other Group", {{"p-hpas", MemberRole::kChair}});
        auto oversee = [&](const std::string& actionId, const std::string& groupId, const std::string& requestId) {
            auto action = *session->actions().findById(actionId);
            action.responsibleGroupId = groupId;
            session->actions().save(action);
            RevisionRequest request;
            request.id = requestId;
            request.actionId = actionId;
            request.requestedDate = TargetDate::day(ymd(2026, 6, 30));
            request.reason = "resourcing";
            request.requestedOn = kToday;
            request.routedToGroupId = groupId;
            session->revisionRequests().save(request);
        };
        oversee("a-pm-1-1", "g-review", "rr-1");
        oversee("a-pm-2-1", "g-other", "rr-2");
        for (auto [id, actionId] : {std::pair{"ev-1", "a-pm-1-1"}, std::pair{"ev-2", "a-pm-2-1"}}) {
            Evidence e;
            e.id = id;
            e.actionId = actionId;
            e.fileName = "minutes.txt";
            e.mediaType = "text/plain";
            e.sizeBytes = 7;
            e.sha256 = hasher_.sha256Hex("minutes");
            e.addedOn = kToday;
            session->evidence().add(e, "minutes");
        }
        StoredReminder reminder;
        reminder.id = "n-owner";
        reminder.recipientId = "p-odsc";
        reminder.itemId = "a-pm-1-1";
        reminder.rule = "before_due_7";
        reminder.occurrence = kToday;
        reminder.sendDay = kToday;
        reminder.dueDate = kToday;
        reminder.reference = "IA-2024-25-PM 1.1";
        reminder.createdAt = "2025-09-15T07:00:00Z";
        session->reminders().record(reminder);
    }

    // The table signs in with a wrong password once per principal: keep the throttle out of the way here
    // (AuthTest covers it).
    void configure(ServerConfig& config) override { config.throttle.perAccount = 1000; }

    void extraAccounts(domain::AccountService& accounts) override { addChairAccount(accounts); }

    HttpResult request(const std::string& principal, const std::string& method, const Case& c) {
        std::map<std::string, std::string> headers;
        if (method != "GET") headers["If-Match"] = "\"0\"";
        if (principal == "anonymous") {
            headers["X-Test-Anonymous"] = "1";
            return send(method, c.uri, c.body, headers);
        }
        return as(principal, method, c.uri, c.body, headers);
    }
};

TEST_F(WhoMayTest, EveryRouteHasAnEntryAndEveryEntryARoute) {
    std::set<std::pair<std::string, std::string>> routes, entries;
    for (const auto& route : ApiServer::routes()) routes.insert({route.method, route.pattern});
    for (const auto& entry : kTable) entries.insert({entry.method, entry.pattern});
    for (const auto& route : routes) {
        EXPECT_TRUE(entries.count(route))
            << "route " << route.first << " " << route.second << " has no who-may entry in tests/http/WhoMayTest.cpp";
    }
    for (const auto& entry : entries) {
        EXPECT_TRUE(routes.count(entry)) << "who-may entry " << entry.first << " " << entry.second << " names no route";
    }
}

TEST_F(WhoMayTest, EveryRouteGivesEachPrincipalItsStatus) {
    const int eventsBefore = static_cast<int>(store_.state().events.size());
    const auto before = store_.state();
    for (const auto& route : kTable) {
        for (const auto& c : route.cases) {
            ASSERT_EQ(c.expected.size(), kPrincipals.size());
            for (const auto& principal : kPrincipals) {
                const auto result = request(principal, route.method, c);
                EXPECT_EQ(result.status, c.expected.at(principal))
                    << route.method << " " << c.uri << " (" << (c.row.empty() ? "no row" : c.row + " row") << ") as "
                    << principal << ": " << result.body;
                if (result.status >= 400) {
                    EXPECT_EQ(result.contentType, "application/problem+json") << route.method << " " << c.uri;
                }
            }
        }
    }
    // Nothing in the plan changed: every write was refused or stale.
    const auto after = store_.state();
    EXPECT_EQ(after.actions, before.actions);
    EXPECT_EQ(after.progressUpdates, before.progressUpdates);
    EXPECT_EQ(after.revisionRequests, before.revisionRequests);
    EXPECT_EQ(after.reminders.size(), before.reminders.size());  // the chase was a dry run
    EXPECT_EQ(after.outbox, before.outbox);
    EXPECT_GE(static_cast<int>(after.events.size()), eventsBefore);  // sign-in attempts are events
}

TEST_F(WhoMayTest, ForbiddenNamesTheMissingPermission) {
    const auto result = as("viewer", "GET", "/api/v1/users");
    expectProblem(result, 403, "forbidden", "/api/v1/users");
    EXPECT_NE(result.json().at("detail").get<std::string>().find("manage_users"), std::string::npos);
}

TEST_F(WhoMayTest, UnauthenticatedIsA401Problem) {
    const auto result = send("GET", "/api/v1/actions", std::nullopt, kAnonymous);
    expectProblem(result, 401, "unauthenticated", "/api/v1/actions");
}

TEST_F(WhoMayTest, AMemberSeesWhomTheirGroupReportsToButNotThatGroup) {
    {
        auto session = store_.openSession();
        auto review = *session->groups().findById("g-review");
        review.parentId = "g-other";
        session->groups().save(review);
    }
    const auto groups = as("chair", "GET", "/api/v1/groups").json();
    ASSERT_EQ(groups.at("total"), 1);  // only their own group's row
    EXPECT_EQ(groups.at("items")[0].at("name"), "Review Group");
    EXPECT_EQ(groups.at("items")[0].at("parent"), "Other Group");  // named in its terms of reference
    expectProblem(as("chair", "GET", "/api/v1/groups/Other%20Group/meeting-pack"), 404, "not_found",
                  "/api/v1/groups/Other%20Group/meeting-pack");
}

TEST_F(WhoMayTest, ALineManagerSeesTheirReportsActionsButDoesNotChangeThem) {
    // Escalations and an inactive owner's reminders go to the line manager: the link must open.
    {
        auto session = store_.openSession();
        auto lead = *session->people().findById("p-hpas");  // lead owner of IA-2024-25-PM 2.1
        lead.lineManagerId = "p-cdo";                       // the "other" account's person
        session->people().save(lead);
    }
    const auto seen = as("other", "GET", "/api/v1/actions/a-pm-2-1");
    ASSERT_EQ(seen.status, 200) << seen.body;
    EXPECT_EQ(seen.json().at("can").at("update"), false) << seen.body;
    const auto progress = as("other", "POST", "/api/v1/actions/a-pm-2-1/progress", R"({"text":"done"})",
                             {{"If-Match", seen.headers.at("ETag")}});
    EXPECT_EQ(progress.status, 403) << progress.body;
    EXPECT_EQ(as("other", "GET", "/api/v1/actions/a-pm-1-1").status, 404);  // not a report's action
}

TEST_F(WhoMayTest, AnOwnerListsOnlyTheActionsTheyOwnOrTheirGroupsOversee) {
    auto ids = [&](const std::string& who) {
        std::set<std::string> out;
        const auto body = as(who, "GET", "/api/v1/actions").json();
        for (const auto& item : body.at("items")) out.insert(item.at("id").get<std::string>());
        return out;
    };
    EXPECT_EQ(ids("owner"), (std::set<std::string>{"a-pm-1-1"}));
    EXPECT_EQ(ids("other"), (std::set<std::string>{"a-pm-3-1"}));
    EXPECT_EQ(ids("chair"), (std::set<std::string>{"a-pm-1-1"}));
    EXPECT_EQ(ids("viewer").size(), 6u);
    // The tracker export follows the same row rules: an owner's file holds only their own action.
    const auto csv = as("owner", "GET", "/api/v1/actions/export").body;
    EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 2) << csv;  // header + one row
    EXPECT_NE(csv.find("\r\nIA-2024-25-PM/1.1,"), std::string::npos) << csv;
    // Groups: the chair sees only their own group.
    const auto groups = as("chair", "GET", "/api/v1/groups").json();
    ASSERT_EQ(groups.at("items").size(), 1u);
    EXPECT_EQ(groups.at("items")[0].at("name"), "Review Group");
}

}  // namespace govtrack::http::test

namespace govtrack::http::test {

TEST(RouteDocs, EveryRouteIsInOpenApiYaml) {
    std::ifstream in(std::string(GOVTRACK_SOURCE_DIR) + "/docs/openapi.yaml");
    std::stringstream text;
    text << in.rdbuf();
    for (const auto& route : ApiServer::routes()) {
        EXPECT_NE(text.str().find("\n  " + route.pattern + ":\n"), std::string::npos)
            << route.method << " " << route.pattern << " is not described in docs/openapi.yaml";
    }
}

}  // namespace govtrack::http::test
