// `govtrack serve` as a real process: it prints its URL, answers HTTP, and stops cleanly on a signal.
#include <cstdlib>
#include <fstream>
#include <regex>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "ApiClient.h"
#include "RunBinary.h"
#include "TempDir.h"

using govtrack::test::runGovtrack;
using govtrack::test::sourcePath;

namespace {

std::string token;  // the signed-in secretariat's API token for get()

govtrack::test::HttpReply get(unsigned short port, const std::string& path) {
    return govtrack::test::httpRequest(port, "GET", path, token);
}

}  // namespace

TEST(ServeEndToEnd, ServesTheImportedPlanAndStopsOnSignal) {
    govtrack::test::TempDir dir;
    const std::string db = "sqlite:" + dir.file("govtrack.db");
    ASSERT_EQ(runGovtrack({"--db", db, "import", sourcePath("docs/examples/performance-management-2024-25.json")},
                          dir.path().string())
                  .exitCode,
              0);
    token = govtrack::test::createApiToken(
        [&](const std::vector<std::string>& args) {
            std::vector<std::string> all{"--db", db};
            all.insert(all.end(), args.begin(), args.end());
            return runGovtrack(all, dir.path().string());
        },
        "clerk", "secretariat");
    ASSERT_FALSE(token.empty());

    Poco::Pipe outPipe;
    Poco::ProcessHandle process =
        Poco::Process::launch(GOVTRACK_BINARY, {"--db", db, "serve", "--port", "0", "--webroot", sourcePath("webroot")},
                              dir.path().string(), nullptr, &outPipe, nullptr);
    Poco::PipeInputStream out(outPipe);
    std::string line;
    std::getline(out, line);
    std::smatch m;
    ASSERT_TRUE(std::regex_search(line, m, std::regex("http://127\\.0\\.0\\.1:([0-9]+)/"))) << line;
    const auto port = static_cast<unsigned short>(std::stoi(m[1]));

    auto health = get(port, "/healthz");
    EXPECT_EQ(health.status, 200);
    EXPECT_EQ(govtrack::test::httpRequest(port, "GET", "/api/v1/engagements").status, 401) << "signed out";
    auto engagements = get(port, "/api/v1/engagements");
    EXPECT_EQ(engagements.status, 200);
    EXPECT_NE(engagements.body.find("IA-2024-25-PM"), std::string::npos);
    auto report = get(port, "/api/v1/reports/follow-up?engagement=IA-2024-25-PM&as_of=2026-01-05");
    EXPECT_EQ(report.status, 200);
    EXPECT_EQ(nlohmann::json::parse(report.body)["totals"]["by_priority"]["medium"], 3);
    auto groups = get(port, "/api/v1/groups");
    EXPECT_EQ(groups.status, 200);
    EXPECT_NE(groups.body.find("\"approve_revised_date\""), std::string::npos);
    auto pack = get(port, "/api/v1/groups/Benefit%20Performance%20Review%20Group/meeting-pack?date=2026-01-05");
    ASSERT_EQ(pack.status, 200) << pack.body;
    const auto packJson = nlohmann::json::parse(pack.body);
    EXPECT_EQ(packJson["group"], "Benefit Performance Review Group");
    EXPECT_EQ(packJson["counts"]["overdue"], 2);  // recommendations 1 and 2, both overseen by the group
    EXPECT_EQ(packJson["covers"]["predecessors"][0], "Performance Forum (until Jun 2025)");
    auto packHtml = get(port, "/api/v1/groups/Benefit%20Performance%20Review%20Group/meeting-pack?format=html");
    EXPECT_EQ(packHtml.status, 200);
    EXPECT_NE(packHtml.contentType.find("text/html"), std::string::npos);
    EXPECT_EQ(get(port, "/api/v1/groups/No%20Such%20Group/meeting-pack").status, 404);
    auto index = get(port, "/");
    EXPECT_EQ(index.status, 200);
    EXPECT_NE(index.contentType.find("text/html"), std::string::npos);
    auto missing = get(port, "/api/v1/nothing-here");
    EXPECT_EQ(missing.status, 404);
    EXPECT_EQ(missing.contentType, "application/problem+json");

    Poco::Process::requestTermination(process.id());
    EXPECT_EQ(process.wait(), 0);
    std::string rest;
    Poco::StreamCopier::copyToString(out, rest);
    EXPECT_NE(rest.find("govtrack stopped"), std::string::npos);
}

// Issue 7: `serve` over TLS (Poco NetSSL) with a certificate and key from the configuration; the session
// cookie is then Secure.
TEST(ServeEndToEnd, ServesHttpsWithTheConfiguredCertificateAndSecureCookies) {
    govtrack::test::TempDir dir;
    const std::string db = "sqlite:" + dir.file("govtrack.db");
    const std::string openssl = "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 -keyout " +
                                govtrack::test::shellQuote(dir.file("key.pem")) + " -out " +
                                govtrack::test::shellQuote(dir.file("cert.pem")) + " > /dev/null 2>&1";
    ASSERT_EQ(std::system(openssl.c_str()), 0) << "openssl is needed to make a test certificate";
    std::ofstream(dir.file("govtrack.properties")) << "govtrack.storage.uri = " << db << "\n"
                                                   << "govtrack.http.tls.certificate = " << dir.file("cert.pem") << "\n"
                                                   << "govtrack.http.tls.private_key = " << dir.file("key.pem") << "\n";
    auto run = [&](std::vector<std::string> args) {
        args.insert(args.begin(), {"--config", dir.file("govtrack.properties")});
        return runGovtrack(args, dir.path().string());
    };
    ASSERT_EQ(run({"user", "add", "clerk", "--role", "viewer", "--password-file", dir.file("pw")}).exitCode, 2)
        << "a missing password file is refused";
    std::ofstream(dir.file("pw")) << "a long enough password\n";
    ASSERT_EQ(run({"user", "add", "clerk", "--role", "viewer", "--password-file", dir.file("pw")}).exitCode, 0);

    Poco::Pipe outPipe;
    Poco::ProcessHandle process = Poco::Process::launch(
        GOVTRACK_BINARY, {"--config", dir.file("govtrack.properties"), "serve", "--port", "0"}, dir.path().string(),
        nullptr, &outPipe, nullptr);
    Poco::PipeInputStream out(outPipe);
    std::string line;
    std::getline(out, line);
    std::smatch m;
    ASSERT_TRUE(std::regex_search(line, m, std::regex("https://127\\.0\\.0\\.1:([0-9]+)/"))) << line;
    const auto port = static_cast<unsigned short>(std::stoi(m[1]));

    Poco::Net::initializeSSL();
    {
        // The test trusts its own throwaway certificate.
        Poco::Net::Context::Params params;
        params.caLocation = dir.file("cert.pem");
        params.verificationMode = Poco::Net::Context::VERIFY_RELAXED;
        auto context = Poco::AutoPtr<Poco::Net::Context>(new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params));
        Poco::Net::HTTPSClientSession session("127.0.0.1", port, context);
        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, "/api/v1/session",
                                       Poco::Net::HTTPMessage::HTTP_1_1);
        const std::string body = R"({"username":"clerk","password":"a long enough password"})";
        request.setContentType("application/json");
        request.setContentLength(static_cast<std::streamsize>(body.size()));
        session.sendRequest(request) << body;
        Poco::Net::HTTPResponse response;
        std::istream& in = session.receiveResponse(response);
        std::string text;
        Poco::StreamCopier::copyToString(in, text);
        EXPECT_EQ(static_cast<int>(response.getStatus()), 200) << text;
        EXPECT_NE(response.get("Set-Cookie", "").find("; Secure"), std::string::npos) << response.get("Set-Cookie", "");
    }
    // Plain HTTP to the TLS port gets no answer.
    EXPECT_ANY_THROW(govtrack::test::httpRequest(port, "GET", "/healthz"));
    Poco::Net::uninitializeSSL();

    Poco::Process::requestTermination(process.id());
    EXPECT_EQ(process.wait(), 0);
}
