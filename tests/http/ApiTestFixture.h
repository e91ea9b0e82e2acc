#pragma once

#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include <Poco/AutoPtr.h>
#include <Poco/Channel.h>
#include <Poco/Logger.h>
#include <Poco/Message.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "govtrack/domain/AccountService.h"
#include "govtrack/domain/Clock.h"
#include "govtrack/http/ApiServer.h"
#include "govtrack/platform/Secrets.h"
#include "govtrack/platform/Sha256Hasher.h"
#include "govtrack/platform/UuidGenerator.h"

#include "InMemoryStore.h"

namespace govtrack::http::test {

/// A calendar date, e.g. ymd(2025, 9, 15).
inline domain::Date ymd(int year, unsigned month, unsigned day) {
    return std::chrono::year{year} / std::chrono::month{month} / std::chrono::day{day};
}

/// Collects what the server logs, so tests can check that internal text reaches the log.
class CapturingChannel final : public Poco::Channel {
public:
    void log(const Poco::Message& message) override {
        std::lock_guard lock(mutex_);
        messages_.push_back(message.getText());
    }
    std::vector<std::string> messages() const {
        std::lock_guard lock(mutex_);
        return messages_;
    }

private:
    mutable std::mutex mutex_;
    std::vector<std::string> messages_;
};

/// One HTTP exchange as the client saw it.
struct HttpResult {
    int status = 0;
    std::string reason;  ///< the status line's reason phrase
    std::string contentType;
    std::string body;
    std::map<std::string, std::string> headers;

    nlohmann::json json() const { return nlohmann::json::parse(body); }
    std::string header(const std::string& name) const {
        const auto it = headers.find(name);
        return it == headers.end() ? std::string() : it->second;
    }
};

/// The worked example of SPEC 7 (in our own words, role titles only) plus the earlier review it follows
/// up, as of 15 September 2025:
///   IA-2021-22-PE (Limited, closed): rec 1 High {1.1 verified, 1.2 in_progress revised twice -> amber},
///                                    rec 2 Low {2.1 verified}
///   IA-2024-25-PM (Reasonable, final): rec 1 Medium {1.1 Dec 2025, in_progress, green},
///                                      rec 2 Medium {2.1 Jun 2025, not_started, 77 days overdue, red},
///                                      rec 3 Medium risk tolerated {3.1 no date, risk_accepted}
inline void seedWorkedExample(domain::Store& store) {
    using namespace domain;
    auto session = store.openSession();
    session->units().save({"u-people", "People Directorate", UnitKind::kDirectorate, std::nullopt});
    session->units().save({"u-strategy", "Strategy and Performance Division", UnitKind::kDivision, "u-people"});
    auto person = [&](const std::string& id, const std::string& title, const std::string& unit) {
        Person p;
        p.id = id;
        p.roleTitle = title;
        p.email = id + "@example.org";
        p.unitId = unit;
        session->people().save(p);
    };
    person("p-odsc", "Organisational Design and Strategic Capability Lead", "u-people");
    person("p-hpp", "Head of People & Place", "u-people");
    person("p-hpas", "Head of Performance, Analysis and Strategy", "u-strategy");
    person("p-hcso", "Head of Client Services Operations", "u-strategy");
    person("p-oddl", "Organisational Design and Development Lead", "u-people");
    person("p-cdo", "Chief Data Officer", "u-strategy");
    person("p-po", "Product Owner", "u-strategy");

    Engagement earlier;
    earlier.id = "e-pe";
    earlier.reference = "IA-2021-22-PE";
    earlier.title = "Productivity and Efficiency";
    earlier.auditYear = "2021-22";
    earlier.issueDate = TargetDate::monthOnly(2022, 3);
    earlier.assuranceLevel = AssuranceLevel::kLimited;
    earlier.status = EngagementStatus::kClosed;
    session->engagements().save(earlier);

    Engagement pm;
    pm.id = "e-pm";
    pm.reference = "IA-2024-25-PM";
    pm.title = "Performance Management";
    pm.auditYear = "2024-25";
    pm.scope = "How the organisation sets, monitors and acts on performance at every level.";
    pm.remitItems = {"Individual objectives", "Governance of performance", "Management information"};
    pm.keyRisks = {"Performance is not managed consistently"};
    pm.fieldworkStart = TargetDate::day(ymd(2025, 1, 13));
    pm.fieldworkEnd = TargetDate::day(ymd(2025, 2, 28));
    pm.resourceDays = 25;
    pm.issueDate = TargetDate::monthOnly(2025, 5);
    pm.assuranceLevel = AssuranceLevel::kReasonable;
    pm.status = EngagementStatus::kFinal;
    pm.followsUpId = "e-pe";
    session->engagements().save(pm);

    auto finding = [&](const std::string& id, const std::string& number, FindingKind kind, std::optional<int> rec) {
        session->findings().save({id, "e-pm", number, kind, "Finding " + number + " text.", rec});
    };
    finding("f-10", "3.2.10", FindingKind::kImprovementOpportunity, 3);
    finding("f-9", "3.2.9", FindingKind::kImprovementOpportunity, 2);
    finding("f-1", "3.1.1", FindingKind::kGoodPractice, std::nullopt);

    auto recommendation = [&](const std::string& id, const std::string& engagement, int number, Priority priority,
                              ManagementResponse response, const std::string& title) {
        Recommendation r;
        r.id = id;
        r.engagementId = engagement;
        r.number = number;
        r.title = title;
        r.issue = "Issue for " + title;
        r.risk = "Risk for " + title;
        r.text = "Recommendation text for " + title;
        r.priority = priority;
        r.managementResponse = response;
        r.responseText = "Response for " + title;
        session->recommendations().save(r);
    };
    recommendation("r-pe-1", "e-pe", 1, Priority::kHigh, ManagementResponse::kAccepted, "Productivity measures");
    recommendation("r-pe-2", "e-pe", 2, Priority::kLow, ManagementResponse::kAccepted, "Efficiency reporting");
    recommendation("r-pm-1", "e-pm", 1, Priority::kMedium, ManagementResponse::kAccepted, "Individual objectives");
    recommendation("r-pm-2", "e-pm", 2, Priority::kMedium, ManagementResponse::kAccepted, "Governance roles");
    recommendation("r-pm-3", "e-pm", 3, Priority::kMedium, ManagementResponse::kRiskTolerated, "Data and MI");

    auto action = [&](const std::string& id, const std::string& rec, int number, const std::string& description,
                      const std::string& lead, std::vector<Id> coOwners, std::optional<TargetDate> target,
                      ActionStatus status) {
        Action a;
        a.id = id;
        a.recommendationId = rec;
        a.number = number;
        a.description = description;
        a.leadOwnerId = lead;
        a.coOwnerIds = std::move(coOwners);
        a.originalTargetDate = target;
        a.status = status;
        return a;
    };
    session->actions().save(action("a-pe-1-1", "r-pe-1", 1, "Agree productivity measures", "p-hpas", {},
                                   TargetDate::day(ymd(2022, 9, 30)), ActionStatus::kVerified));
    auto revised = action("a-pe-1-2", "r-pe-1", 2, "Report productivity quarterly", "p-hpp", {},
                          TargetDate::day(ymd(2023, 3, 31)), ActionStatus::kInProgress);
    revised.revisions = {
        {TargetDate::day(ymd(2024, 3, 31)), "New system delayed", "p-hpp", "Executive Team", ymd(2023, 3, 20)},
        {TargetDate::day(ymd(2025, 10, 31)), "Data migration", "p-hpp", "Executive Team", ymd(2024, 3, 25)}};
    session->actions().save(revised);
    session->actions().save(action("a-pe-2-1", "r-pe-2", 1, "Publish efficiency report", "p-hcso", {},
                                   TargetDate::day(ymd(2022, 6, 30)), ActionStatus::kVerified));
    session->actions().save(action("a-pm-1-1", "r-pm-1", 1, "Set individual objectives for all roles", "p-odsc",
                                   {"p-hpp"}, TargetDate::monthOnly(2025, 12), ActionStatus::kInProgress));
    session->actions().save(action("a-pm-2-1", "r-pm-2", 1, "Review the roles of the Executive Team and the Forum",
                                   "p-hpas", {"p-hcso", "p-oddl"}, TargetDate::monthOnly(2025, 6),
                                   ActionStatus::kNotStarted));
    session->actions().save(action("a-pm-3-1", "r-pm-3", 1, "Tolerate the data risk and monitor it", "p-cdo", {"p-po"},
                                   std::nullopt, ActionStatus::kRiskAccepted));
    session->progressUpdates().add({"u-1", "a-pm-1-1", ymd(2025, 7, 1), "p-odsc", "Objectives template agreed", 40});
    session->progressUpdates().add(
        {"u-2", "a-pm-1-1", ymd(2025, 8, 20), "p-odsc", "Objectives set for half of the roles", 60});
}

/// Starts the real server on an ephemeral port over the worked example, with a webroot holding a few
/// files and a secret file next to (outside) it.
class ApiServerTest : public ::testing::Test {
protected:
    static inline const domain::Date kToday = ymd(2025, 9, 15);

    void SetUp() override {
        std::random_device random;
        base_ = std::filesystem::temp_directory_path() / ("govtrack-http-" + std::to_string(random()));
        webroot_ = base_ / "webroot";
        std::filesystem::create_directories(webroot_ / "css");
        write(webroot_ / "index.html", "<!doctype html><title>govtrack</title><h1>Tracker</h1>");
        write(webroot_ / "app.js", "console.log('govtrack');");
        write(webroot_ / "css" / "site.css", "body { margin: 0; }");
        write(webroot_ / ".env", "HIDDEN=1");
        write(base_ / "secret.txt", "TOP SECRET OUTSIDE WEBROOT");
        std::filesystem::create_symlink(base_ / "secret.txt", webroot_ / "escape.txt");

        seedWorkedExample(store_);
        seedMore();
        seedAccounts();

        channel_ = new CapturingChannel;
        Poco::Logger& logger = Poco::Logger::get(kLoggerName);
        previousChannel_ = Poco::AutoPtr<Poco::Channel>(logger.getChannel(), true);
        previousLevel_ = logger.getLevel();
        logger.setChannel(channel_);
        logger.setLevel(Poco::Message::PRIO_DEBUG);

        ServerConfig config;
        config.port = 0;
        config.webroot = webroot_.string();
        config.threads = 4;
        configure(config);
        server_ = std::make_unique<ApiServer>(config, store_, clock_, auth_);
        server_->start();
        // Each token's first use records lastUsedAt; use them all once so that later reads write nothing.
        for (const auto& [name, token] : tokens_) call("GET", "/api/v1/me", {{"Authorization", "Bearer " + token}});
        readsAfterSeed_ = store_.reads();
        writesAfterSeed_ = store_.writes();
    }

    /// Hook for fixtures that add data before the server starts.
    virtual void seedMore() {}
    /// Hook for fixtures that change the server configuration.
    virtual void configure(ServerConfig& /*config*/) {}

    /// Accounts for every role (docs/security.md), each with an API token in tokens_ and password
    /// kPassword: secretariat, auditor, viewer, admin (system roles); owner (acts as the lead owner of
    /// IA-2024-25-PM 1.1, p-odsc); other (acts as p-cdo, who owns none of the open actions but 3.1);
    /// nobody (no role, no person).
    void seedAccounts() {
        auto session = store_.openSession();
        domain::AuditTrail audit(session->events(), clock_, hasher_);
        domain::AccountService accounts(*session, audit, clock_, ids_, hasher_, passwords_, secrets_);
        const auto actor = domain::Actor::system("test");
        auto add = [&](const std::string& name, std::vector<domain::Role> roles, std::optional<std::string> person,
                       domain::TokenScope scope) {
            domain::AccountService::NewUser user;
            user.username = name;
            user.roles = std::move(roles);
            user.personRoleTitle = std::move(person);
            user.password = kPassword;
            accounts.addUser(actor, user, "test");
            tokens_[name] = accounts.createToken(actor, name, "test token", scope, "test").secret;
        };
        using domain::Role;
        using domain::TokenScope;
        add("secretariat", {Role::kSecretariat}, std::nullopt, TokenScope::kSecretariat);
        add("auditor", {Role::kAuditor}, std::nullopt, TokenScope::kAuditor);
        add("viewer", {Role::kViewer}, std::nullopt, TokenScope::kViewer);
        add("admin", {Role::kAdmin}, std::nullopt, TokenScope::kAdmin);
        add("owner", {}, "Organisational Design and Strategic Capability Lead", TokenScope::kOwner);
        add("other", {}, "Chief Data Officer", TokenScope::kOwner);
        extraAccounts(accounts);
    }
    /// Hook for fixtures that add accounts (e.g. a group chair).
    virtual void extraAccounts(domain::AccountService& /*accounts*/) {}

    void TearDown() override {
        server_.reset();
        Poco::Logger& logger = Poco::Logger::get(kLoggerName);
        logger.setChannel(previousChannel_.get());
        logger.setLevel(previousLevel_);
        std::error_code ignored;
        std::filesystem::remove_all(base_, ignored);
    }

    static void write(const std::filesystem::path& path, const std::string& content) {
        std::ofstream(path, std::ios::binary) << content;
    }

    /// Sends one request on a fresh connection; `uri` goes on the request line exactly as given. Without
    /// an Authorization or Cookie header it is sent with the secretariat's token (kAnonymous: none).
    HttpResult call(const std::string& method, const std::string& uri,
                    const std::map<std::string, std::string>& headers = {}) {
        const bool hasBody = method == "POST" || method == "PUT" || method == "PATCH";
        return send(method, uri, hasBody ? std::optional<std::string>("{}") : std::nullopt, headers);
    }

    /// Marks a request as sent without credentials (call/send headers).
    static inline const std::map<std::string, std::string> kAnonymous{{"X-Test-Anonymous", "1"}};

    /// Like call(), with an explicit body (Content-Type application/json unless given).
    HttpResult send(const std::string& method, const std::string& uri, const std::optional<std::string>& body,
                    std::map<std::string, std::string> headers = {}) {
        Poco::Net::HTTPClientSession session("127.0.0.1", server_->port());
        session.setTimeout(Poco::Timespan(10, 0));
        Poco::Net::HTTPRequest request(method, uri, Poco::Net::HTTPMessage::HTTP_1_1);
        if (headers.erase("X-Test-Anonymous") == 0 && !headers.count("Authorization") && !headers.count("Cookie")) {
            headers["Authorization"] = "Bearer " + tokens_.at("secretariat");
        }
        for (const auto& [name, value] : headers) request.set(name, value);
        if (body) {
            if (!headers.count("Content-Type")) request.setContentType("application/json");
            request.setContentLength(static_cast<std::streamsize>(body->size()));
            session.sendRequest(request) << *body;
        } else {
            session.sendRequest(request);
        }
        Poco::Net::HTTPResponse response;
        std::istream& in = session.receiveResponse(response);
        HttpResult result;
        result.status = static_cast<int>(response.getStatus());
        result.reason = response.getReason();
        result.contentType = response.getContentType();
        Poco::StreamCopier::copyToString(in, result.body);
        for (const auto& [name, value] : response) result.headers[name] = value;
        return result;
    }

    HttpResult get(const std::string& uri) { return call("GET", uri); }
    /// A request with `who`'s API token.
    HttpResult as(const std::string& who, const std::string& method, const std::string& uri,
                  const std::optional<std::string>& body = std::nullopt,
                  std::map<std::string, std::string> headers = {}) {
        headers["Authorization"] = "Bearer " + tokens_.at(who);
        return send(method, uri, body, headers);
    }

    /// Asserts the RFC 9457 shape every error shares.
    static void expectProblem(const HttpResult& result, int status, const std::string& code,
                              const std::string& instance) {
        EXPECT_EQ(result.status, status) << result.body;
        EXPECT_EQ(result.contentType, "application/problem+json");
        const auto body = result.json();
        EXPECT_EQ(body.at("type"), "urn:govtrack:problem:" + code);
        EXPECT_TRUE(body.at("title").is_string());
        EXPECT_FALSE(body.at("title").get<std::string>().empty());
        EXPECT_EQ(body.at("status"), status);
        EXPECT_TRUE(body.at("detail").is_string());
        EXPECT_EQ(body.at("instance"), instance);
        EXPECT_EQ(body.at("code"), code);
        EXPECT_TRUE(body.at("errors").is_array());
    }

    static inline const std::string kPassword = "correct horse battery staple";

    testing::InMemoryStore store_;
    domain::FixedClock clock_{kToday};
    platform::UuidGenerator ids_;
    platform::Sha256Hasher hasher_;
    // Cheap Argon2 parameters: the tests check behaviour, not cost.
    platform::Argon2PasswordHasher passwords_{platform::Argon2Parameters{1, 64, 1}};
    platform::SystemSecretSource secrets_;
    AuthServices auth_{ids_, hasher_, passwords_, secrets_};
    std::map<std::string, std::string> tokens_;  ///< username -> API token
    std::unique_ptr<ApiServer> server_;
    std::filesystem::path base_;
    std::filesystem::path webroot_;
    Poco::AutoPtr<CapturingChannel> channel_;
    Poco::AutoPtr<Poco::Channel> previousChannel_;
    int previousLevel_ = Poco::Message::PRIO_INFORMATION;
    int readsAfterSeed_ = 0;
    int writesAfterSeed_ = 0;
};

}  // namespace govtrack::http::test
