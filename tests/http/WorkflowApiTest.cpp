// The action workflow over HTTP (issue 3): ETag / If-Match, transitions, progress with evidence, revised
// dates and group decisions, and two writers racing on one action.
#include <atomic>
#include <map>
#include <thread>

#include "ApiTestFixture.h"

namespace govtrack::http::test {

/// The worked example with the Review Group (chaired by "Chair of the Review Group", who has an account)
/// overseeing IA-2024-25-PM 1.1 with the power to approve revised dates for medium priority.
class WorkflowApiTest : public ApiServerTest {
protected:
    void seedMore() override {
        using namespace domain;
        auto session = store_.openSession();
        saveChairPerson(*session);
        GovernanceGroup g;
        g.id = "g-review";
        g.name = "Review Group";
        g.members = {{"p-chair", MemberRole::kChair}};
        g.powers = {DelegatedPower{PowerKind::kApproveRevisedDate, Priority::kMedium, 365}};
        session->groups().save(g);
        // A group outside the action's reporting line, with the same power and the same person as secretary.
        GovernanceGroup side;
        side.id = "g-side";
        side.name = "Side Group";
        side.members = {{"p-chair", MemberRole::kSecretary}};
        side.powers = {DelegatedPower{PowerKind::kApproveRevisedDate, Priority::kHigh, std::nullopt},
                       DelegatedPower{PowerKind::kAcceptRisk, Priority::kHigh, std::nullopt}};
        session->groups().save(side);
        auto action = *session->actions().findById("a-pm-1-1");
        action.responsibleGroupId = "g-review";
        session->actions().save(action);
    }

    void extraAccounts(domain::AccountService& accounts) override { addChairAccount(accounts); }

    std::string etag(const std::string& who = "owner") {
        const auto result = as(who, "GET", "/api/v1/actions/a-pm-1-1");
        EXPECT_EQ(result.status, 200) << result.body;
        return result.header("ETag");
    }
};

TEST_F(WorkflowApiTest, ActionDetailCarriesAnETagAndWhatTheUserMayDo) {
    const auto result = as("owner", "GET", "/api/v1/actions/a-pm-1-1");
    ASSERT_EQ(result.status, 200) << result.body;
    const auto body = result.json();
    EXPECT_EQ(result.header("ETag"), "\"" + std::to_string(body.at("version").get<int>()) + "\"");
    EXPECT_EQ(body.at("reference"), "IA-2024-25-PM 1.1");
    EXPECT_EQ(body.at("responsible_group"), "Review Group");
    EXPECT_EQ(body.at("progress_updates").size(), 2u);
    EXPECT_TRUE(body.at("can").at("update"));
    EXPECT_TRUE(body.at("can").at("request_date"));
    std::vector<std::string> moves;
    for (const auto& t : body.at("allowed_transitions")) moves.push_back(t.at("to"));
    EXPECT_EQ(moves, (std::vector<std::string>{"implemented"})) << body.at("allowed_transitions").dump();

    const auto viewer = as("viewer", "GET", "/api/v1/actions/a-pm-1-1").json();
    EXPECT_FALSE(viewer.at("can").at("update"));
    EXPECT_FALSE(viewer.at("can").at("request_date"));
    EXPECT_TRUE(viewer.at("allowed_transitions").empty());
}

TEST_F(WorkflowApiTest, WritesNeedIfMatchAndAStaleOneIs412) {
    const std::string uri = "/api/v1/actions/a-pm-1-1/transitions";
    const std::string body = R"({"to":"implemented","evidence_note":"objectives published on the intranet"})";
    expectProblem(as("owner", "POST", uri, body), 428, "precondition_required", uri);
    expectProblem(as("owner", "POST", uri, body, {{"If-Match", "\"99\""}}), 412, "conflict", uri);
    const auto moved = as("owner", "POST", uri, body, {{"If-Match", etag()}});
    ASSERT_EQ(moved.status, 200) << moved.body;
    EXPECT_EQ(moved.json().at("status"), "implemented");
    EXPECT_EQ(moved.header("ETag"), "\"" + std::to_string(moved.json().at("version").get<int>()) + "\"");
    // The recorded evidence note and the audit event.
    EXPECT_EQ(moved.json().at("evidence").back().at("note"), "objectives published on the intranet");
    EXPECT_EQ(store_.state().events.back().change, "transition");
    EXPECT_EQ(store_.state().events.back().actorName, "Organisational Design and Strategic Capability Lead");
}

TEST_F(WorkflowApiTest, AnIllegalMoveIs409NamingTheCurrentAndAllowedStates) {
    const std::string uri = "/api/v1/actions/a-pm-1-1/transitions";
    const auto result = as("auditor", "POST", uri, R"({"to":"verified"})", {{"If-Match", etag()}});
    expectProblem(result, 409, "invalid_transition", uri);
    const std::string detail = result.json().at("detail");
    EXPECT_NE(detail.find("in_progress"), std::string::npos) << detail;
    EXPECT_NE(detail.find("implemented"), std::string::npos) << detail;
}

TEST_F(WorkflowApiTest, ImplementedNeedsEvidenceAndUnknownFieldsAreRefused) {
    const auto before = store_.state().actions;
    const std::string uri = "/api/v1/actions/a-pm-1-1/transitions";
    const auto bare = as("owner", "POST", uri, R"({"to":"implemented"})", {{"If-Match", etag()}});
    expectProblem(bare, 400, "validation", uri);
    const auto typo = as("owner", "POST", uri, R"({"to":"implemented","evidense_note":"x"})", {{"If-Match", etag()}});
    expectProblem(typo, 400, "validation", uri);
    EXPECT_NE(typo.json().at("detail").get<std::string>().find("evidense_note"), std::string::npos);
    EXPECT_EQ(store_.state().actions, before);
}

TEST_F(WorkflowApiTest, ProgressWithAnEvidenceFileIsStoredWithItsSniffedTypeAndHash) {
    const std::string boundary = "govtrackBoundary42";
    const std::string pdf = "%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n";
    std::string body = "--" + boundary +
                       "\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nTemplates issued to all directorates"
                       "\r\n--" +
                       boundary + "\r\nContent-Disposition: form-data; name=\"percent\"\r\n\r\n75\r\n--" + boundary +
                       "\r\nContent-Disposition: form-data; name=\"evidence\"; filename=\"minutes.txt\"\r\n"
                       "Content-Type: text/plain\r\n\r\n" +
                       pdf + "\r\n--" + boundary + "--\r\n";
    const auto result = as("owner", "POST", "/api/v1/actions/a-pm-1-1/progress", body,
                           {{"If-Match", etag()}, {"Content-Type", "multipart/form-data; boundary=" + boundary}});
    ASSERT_EQ(result.status, 201) << result.body;
    const auto json = result.json();
    EXPECT_EQ(json.at("percent"), 75);
    ASSERT_EQ(json.at("evidence").size(), 1u);
    EXPECT_EQ(json.at("evidence")[0].at("media_type"), "application/pdf") << "type from the bytes, not the name";
    EXPECT_EQ(json.at("evidence")[0].at("sha256"), hasher_.sha256Hex(pdf));
    EXPECT_EQ(json.at("evidence")[0].at("file_name"), "minutes.txt");

    const std::string exe = std::string("MZ\x90\0\x03\0\0\0", 8) + "binary";
    std::string bad = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nx\r\n--" + boundary +
                      "\r\nContent-Disposition: form-data; name=\"evidence\"; filename=\"report.pdf\"\r\n\r\n" + exe +
                      "\r\n--" + boundary + "--\r\n";
    const auto refused = as("owner", "POST", "/api/v1/actions/a-pm-1-1/progress", bad,
                            {{"If-Match", etag()}, {"Content-Type", "multipart/form-data; boundary=" + boundary}});
    EXPECT_EQ(refused.status, 400) << refused.body;
}

TEST_F(WorkflowApiTest, ABodyWithAKeyTwiceIsRefusedNotReadAsItsLastValue) {
    const auto before = store_.state().actions;
    const std::string uri = "/api/v1/actions/a-pm-1-1/transitions";
    // nlohmann alone would keep "implemented" silently; the first one is what a careless client may have meant.
    const auto twice = as("owner", "POST", uri, R"({"to":"in_progress","reason":"x","to":"implemented",
        "evidence_note":"minutes"})", {{"If-Match", etag()}});
    expectProblem(twice, 400, "validation", uri);
    EXPECT_NE(twice.json().at("detail").get<std::string>().find("'to' appears twice"), std::string::npos) << twice.body;
    // Nested objects count too (a chase body has none, but any route may).
    const auto nested = send("POST", "/api/v1/actions/chase", R"({"dry_run":true,"note":"a","x":{"k":1,"k":2}})");
    expectProblem(nested, 400, "validation", "/api/v1/actions/chase");
    EXPECT_NE(nested.body.find("'k' appears twice"), std::string::npos) << nested.body;
    EXPECT_EQ(store_.state().actions, before);
}

TEST_F(WorkflowApiTest, EvidenceFilesDownloadForWhoMaySeeTheActionExactlyAsStored) {
    const std::string pdf = "%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n";
    {
        auto session = store_.openSession();
        auto evidence = [&](const std::string& id, const std::string& action, const std::string& name,
                            const std::string& content, const std::string& sha) {
            domain::Evidence e;
            e.id = id;
            e.actionId = action;
            e.fileName = name;
            e.mediaType = name.empty() ? "" : "application/pdf";
            e.sizeBytes = static_cast<std::int64_t>(content.size());
            e.sha256 = sha;
            e.addedOn = kToday;
            e.note = name.empty() ? "minutes on the intranet" : "";
            session->evidence().add(e, content);
        };
        evidence("ev-1", "a-pm-1-1", "Board minutes \"final\"\r\nX-Evil: 1.pdf", pdf, hasher_.sha256Hex(pdf));
        evidence("ev-2", "a-pm-2-1", "other.pdf", pdf, hasher_.sha256Hex(pdf));
        evidence("ev-bad", "a-pm-1-1", "tampered.pdf", pdf + "changed", hasher_.sha256Hex(pdf));
        evidence("ev-note", "a-pm-1-1", "", "", "");
        domain::Evidence hta;  // text under an executable name: downloaded as text, never as .hta
        hta.id = "ev-hta";
        hta.actionId = "a-pm-1-1";
        hta.fileName = "payload.hta";
        hta.mediaType = "text/plain";
        hta.sizeBytes = 12;
        hta.sha256 = hasher_.sha256Hex("<script></s>");
        hta.addedOn = kToday;
        session->evidence().add(hta, "<script></s>");
    }
    const auto detail = as("owner", "GET", "/api/v1/actions/a-pm-1-1").json();
    std::map<std::string, nlohmann::json> links;
    for (const auto& e : detail.at("evidence")) links[e.at("id").get<std::string>()] = e.at("download");
    EXPECT_EQ(links.at("ev-1"), "/api/v1/actions/a-pm-1-1/evidence/ev-1");
    EXPECT_TRUE(links.at("ev-note").is_null());  // a note has no file
    const auto hta = as("owner", "GET", "/api/v1/actions/a-pm-1-1/evidence/ev-hta");
    ASSERT_EQ(hta.status, 200) << hta.body;
    EXPECT_EQ(hta.contentType, "text/plain");
    EXPECT_EQ(hta.headers.at("Content-Disposition"),
              "attachment; filename=\"payload.hta.txt\"; filename*=UTF-8''payload.hta.txt");

    for (const char* who : {"owner", "auditor", "viewer", "secretariat"}) {
        const auto file = as(who, "GET", "/api/v1/actions/a-pm-1-1/evidence/ev-1");
        ASSERT_EQ(file.status, 200) << who << ": " << file.body;
        EXPECT_EQ(file.body, pdf);
        EXPECT_EQ(file.contentType, "application/pdf");
        EXPECT_EQ(file.headers.at("X-Content-Type-Options"), "nosniff");
        EXPECT_EQ(file.headers.at("ETag"), "\"" + hasher_.sha256Hex(pdf) + "\"");
        // The name cannot split the header or break out of its quotes.
        EXPECT_EQ(file.headers.at("Content-Disposition"),
                  "attachment; filename=\"Board_minutes__final___X-Evil__1.pdf\"; "
                  "filename*=UTF-8''Board%20minutes%20%22final%22%0D%0AX-Evil%3A%201.pdf");
        EXPECT_EQ(file.headers.count("X-Evil"), 0u);
    }
    // Someone who may not see the action, evidence of another action, a note, an unknown id: all 404.
    expectProblem(as("other", "GET", "/api/v1/actions/a-pm-1-1/evidence/ev-1"), 404, "not_found",
                  "/api/v1/actions/a-pm-1-1/evidence/ev-1");
    expectProblem(as("owner", "GET", "/api/v1/actions/a-pm-1-1/evidence/ev-2"), 404, "not_found",
                  "/api/v1/actions/a-pm-1-1/evidence/ev-2");
    expectProblem(as("owner", "GET", "/api/v1/actions/a-pm-1-1/evidence/ev-note"), 404, "not_found",
                  "/api/v1/actions/a-pm-1-1/evidence/ev-note");
    expectProblem(as("owner", "GET", "/api/v1/actions/a-pm-1-1/evidence/nope"), 404, "not_found",
                  "/api/v1/actions/a-pm-1-1/evidence/nope");
    // Bytes that no longer match their recorded SHA-256 are never handed out.
    const auto tampered = as("auditor", "GET", "/api/v1/actions/a-pm-1-1/evidence/ev-bad");
    expectProblem(tampered, 500, "internal", "/api/v1/actions/a-pm-1-1/evidence/ev-bad");
    EXPECT_EQ(tampered.body.find("changed"), std::string::npos);
}

TEST_F(WorkflowApiTest, ARevisedDateRequestIsRoutedAndTheChairApprovesIt) {
    const auto requested =
        as("owner", "POST", "/api/v1/actions/a-pm-1-1/revision-requests",
           R"({"requested_date":"2026-03-31","reason":"two directorates restructured"})", {{"If-Match", etag()}});
    ASSERT_EQ(requested.status, 201) << requested.body;
    EXPECT_EQ(requested.json().at("routed_to"), "Review Group");
    const std::string id = requested.json().at("id");

    const auto pending = as("chair", "GET", "/api/v1/revision-requests?status=pending").json();
    ASSERT_EQ(pending.at("total"), 1);
    EXPECT_EQ(pending.at("items")[0].at("id"), id);

    const std::string decide = "/api/v1/revision-requests/" + id + "/decision";
    // Attack-run finding F6: a group outside the action's reporting line may not decide, whatever its powers.
    const auto side = as("chair", "POST", decide, R"({"decision":"approve","reference":"x","group":"Side Group"})");
    expectProblem(side, 403, "forbidden", decide);
    EXPECT_NE(side.json().at("detail").get<std::string>().find("not in the reporting line"), std::string::npos);
    expectProblem(as("owner", "POST", decide, R"({"decision":"approve","reference":"x"})"), 403, "forbidden", decide);
    const auto approved = as("chair", "POST", decide, R"({"decision":"approve","reference":"RG 2025-09 item 3"})");
    ASSERT_EQ(approved.status, 200) << approved.body;
    EXPECT_EQ(approved.json().at("status"), "approved");
    EXPECT_EQ(approved.json().at("decision").at("group"), "Review Group");
    EXPECT_EQ(approved.json().at("decision").at("by"), "Chair of the Review Group");

    const auto action = as("owner", "GET", "/api/v1/actions/a-pm-1-1").json();
    EXPECT_EQ(action.at("current_target_date"), "2026-03-31");
    ASSERT_EQ(action.at("revised_target_dates").size(), 1u);
    EXPECT_EQ(action.at("revised_target_dates")[0].at("decision_date"), "2025-09-15");  // shown on the page
}

TEST_F(WorkflowApiTest, AcceptingARiskIsForWhicheverGroupHoldsThePowerNotOnlyTheReportingLine) {
    // SPEC 4.4: accept_risk is a typed power a specialist group holds for the whole organisation (the
    // worked example's Risk and Reputation Group); unlike revised dates it does not follow the line.
    const std::string uri = "/api/v1/actions/a-pm-1-1/transitions";
    const auto result = as("chair", "POST", uri,
                           R"({"to":"risk_accepted","reason":"tolerable","group":"Side Group","decision_reference":"S-1"})",
                           {{"If-Match", etag()}});
    ASSERT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(result.json().at("status"), "risk_accepted");
}

TEST_F(WorkflowApiTest, EvidenceFileNamesKeepOnlyTheirLastComponent) {
    const std::string boundary = "b0undary";
    auto upload = [&](const std::string& name) {
        const std::string body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nx\r\n--" +
                                 boundary + "\r\nContent-Disposition: form-data; name=\"evidence\"; filename=\"" + name +
                                 "\"\r\n\r\nplain text evidence\r\n--" + boundary + "--\r\n";
        return as("owner", "POST", "/api/v1/actions/a-pm-1-1/progress", body,
                  {{"If-Match", etag()}, {"Content-Type", "multipart/form-data; boundary=" + boundary}});
    };
    const auto traversal = upload("../../../etc/passwd.txt");
    ASSERT_EQ(traversal.status, 201) << traversal.body;
    EXPECT_EQ(traversal.json().at("evidence")[0].at("file_name"), "passwd.txt");
    EXPECT_EQ(upload("..").status, 400);
}

TEST_F(WorkflowApiTest, TwoWritersRacingWithOneETagGiveOneSuccessAndOne412) {
    const std::string tag = etag();
    std::atomic<int> ready{0};
    std::vector<int> statuses(2);
    auto writer = [&](int i, const std::string& who, const std::string& body) {
        ++ready;
        while (ready < 2) std::this_thread::yield();
        statuses[i] = as(who, "POST", "/api/v1/actions/a-pm-1-1/transitions", body, {{"If-Match", tag}}).status;
    };
    // Two browser tabs (or two people sharing the owner's account) claim it at once with what they read.
    std::thread a(writer, 0, "owner", R"({"to":"implemented","evidence_note":"published on the intranet"})");
    std::thread b(writer, 1, "owner", R"({"to":"implemented","evidence_note":"minutes of 3 September"})");
    a.join();
    b.join();
    std::sort(statuses.begin(), statuses.end());
    EXPECT_EQ(statuses, (std::vector<int>{200, 412}));
    int transitions = 0;
    for (const auto& e : store_.state().events) transitions += e.change == "transition" ? 1 : 0;
    EXPECT_EQ(transitions, 1);
}

}  // namespace govtrack::http::test
