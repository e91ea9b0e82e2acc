// The binary on MariaDB: the worked example gives the same follow-up as on SQLite, byte for byte;
// connection faults are one line and exit 1; copy and backup move whole stores; two `serve` processes
// share one database.
#include <algorithm>
#include <atomic>
#include <thread>
#include <fstream>
#include <regex>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "govtrack/storage_mysql/MysqlStore.h"

#include "MysqlTestDatabase.h"
#include "ApiClient.h"
#include "RunBinary.h"
#include "TempDir.h"

using govtrack::test::runGovtrack;
using govtrack::test::RunResult;
using govtrack::test::sourcePath;

namespace {

const std::string kExampleJson = sourcePath("docs/examples/performance-management-2024-25.json");

int lines(const std::string& text) {
    return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

class MariadbEndToEnd : public ::testing::Test {
protected:
    void SetUp() override {
        auto server = govtrack::test::mysqlTestServer();
        if (!server) GTEST_SKIP() << govtrack::test::kMysqlSkipReason;
        db = std::make_unique<govtrack::test::MysqlTestDatabase>(*server);
        password = server->password;
    }
    std::string mysql() const { return db->uri(); }
    std::string sqlite(const std::string& name = "govtrack.db") const { return "sqlite:" + dir.file(name); }

    RunResult run(const std::vector<std::string>& args, const std::vector<govtrack::test::EnvChange>& env = {}) {
        return runGovtrack(args, dir.path().string(), env);
    }
    std::string followUpJson(const std::string& uri) {
        auto r = run({"--db", uri, "report", "follow-up", "--as-of", "2026-01-05", "--format", "json"});
        EXPECT_EQ(r.exitCode, 0) << r.err;
        return r.out;
    }

    govtrack::test::TempDir dir;
    std::unique_ptr<govtrack::test::MysqlTestDatabase> db;
    std::string password;
};

std::string token;  // an API token for get(), created by the test that serves

govtrack::test::HttpReply get(unsigned short port, const std::string& path) {
    return govtrack::test::httpRequest(port, "GET", path, token);
}

/// A running `govtrack serve` on an ephemeral port; stopped with SIGTERM on destruction.
class Server {
public:
    Server(const std::string& uri, const std::string& cwd)
        : process_(Poco::Process::launch(GOVTRACK_BINARY,
                                         {"--db", uri, "serve", "--port", "0", "--webroot", sourcePath("webroot")}, cwd,
                                         nullptr, &out_, nullptr)),
          stream_(out_) {
        std::string line;
        std::getline(stream_, line);
        std::smatch m;
        if (std::regex_search(line, m, std::regex("http://127\\.0\\.0\\.1:([0-9]+)/"))) {
            port_ = static_cast<unsigned short>(std::stoi(m[1]));
        }
    }
    ~Server() {
        Poco::Process::requestTermination(process_.id());
        process_.wait();
    }
    unsigned short port() const { return port_; }

private:
    Poco::Pipe out_;
    Poco::ProcessHandle process_;
    Poco::PipeInputStream stream_;
    unsigned short port_ = 0;
};

}  // namespace

TEST_F(MariadbEndToEnd, WorkedExampleFollowUpIsByteIdenticalToSqlite) {
    auto imported = run({"--db", mysql(), "import", kExampleJson});
    ASSERT_EQ(imported.exitCode, 0) << imported.err;
    EXPECT_NE(imported.out.find("3 recommendations"), std::string::npos) << imported.out;
    ASSERT_EQ(run({"--db", sqlite(), "import", kExampleJson}).exitCode, 0);
    const std::string fromMariadb = followUpJson(mysql());
    ASSERT_FALSE(fromMariadb.empty());
    EXPECT_EQ(fromMariadb, followUpJson(sqlite()));
    for (const char* format : {"csv", "table", "html"}) {
        auto a = run({"--db", mysql(), "report", "follow-up", "--as-of", "2026-01-05", "--format", format});
        auto b = run({"--db", sqlite(), "report", "follow-up", "--as-of", "2026-01-05", "--format", format});
        EXPECT_EQ(a.out, b.out) << format;
    }
    // Re-importing changes nothing on MariaDB either.
    ASSERT_EQ(run({"--db", mysql(), "import", kExampleJson}).exitCode, 0);
    EXPECT_EQ(followUpJson(mysql()), followUpJson(sqlite()));
}

TEST_F(MariadbEndToEnd, WrongPasswordIsOneLineExitOneWithoutThePassword) {
    auto r = run({"--db", mysql(), "migrate"}, {{"GOVTRACK_DB_PASSWORD", "wrong-pw-0815"}});
    EXPECT_EQ(r.exitCode, 1) << r.err;
    EXPECT_EQ(lines(r.err), 1) << r.err;
    EXPECT_NE(r.err.find("access denied"), std::string::npos) << r.err;
    EXPECT_EQ((r.out + r.err).find("wrong-pw-0815"), std::string::npos);
}

TEST_F(MariadbEndToEnd, UnreachableHostIsOneLineExitOne) {
    auto r = run({"--db", "mysql://govtrack@127.0.0.1:1/govtrack_test", "report", "follow-up"});
    EXPECT_EQ(r.exitCode, 1) << r.err;
    EXPECT_EQ(lines(r.err), 1) << r.err;
    EXPECT_NE(r.err.find("cannot reach the database at 127.0.0.1:1"), std::string::npos) << r.err;
    EXPECT_EQ((r.out + r.err).find(password), std::string::npos);
}

TEST_F(MariadbEndToEnd, PasswordInTheUriIsRefusedAndNotEchoed) {
    std::string uri = mysql();
    uri.replace(uri.find('@'), 1, ":" + password + "@");
    auto r = run({"--db", uri, "migrate"});
    EXPECT_EQ(r.exitCode, 2) << r.err;
    EXPECT_EQ(lines(r.err), 1) << r.err;
    EXPECT_NE(r.err.find("password in the URI is refused"), std::string::npos) << r.err;
    EXPECT_EQ((r.out + r.err).find(password), std::string::npos);
}

TEST_F(MariadbEndToEnd, PasswordFromAFileNamedInTheConfiguration) {
    std::ofstream(dir.file("db-password")) << password << "\n";
    std::ofstream(dir.file("govtrack.properties"))
        << "govtrack.storage.uri = " << mysql() << "\n"
        << "govtrack.storage.mysql.password_file = " << dir.file("db-password") << "\n";
    auto r = run({"--config", dir.file("govtrack.properties"), "migrate"}, {{"GOVTRACK_DB_PASSWORD", std::nullopt}});
    EXPECT_EQ(r.exitCode, 0) << r.err;
    const std::string version = std::to_string(govtrack::storage_mysql::MysqlStore::latestSchemaVersion());
    EXPECT_NE(r.out.find("schema version " + version + " in " + mysql()), std::string::npos) << r.out;
    EXPECT_EQ((r.out + r.err).find(password), std::string::npos);
}

TEST_F(MariadbEndToEnd, NewerSchemaVersionIsRefusedInOneLine) {
    ASSERT_EQ(run({"--db", mysql(), "migrate"}).exitCode, 0);
    db->execute("INSERT INTO schema_version (version, name) VALUES (999, '999_from_the_future')");
    auto r = run({"--db", mysql(), "report", "follow-up"});
    EXPECT_EQ(r.exitCode, 2) << r.err;
    EXPECT_EQ(lines(r.err), 1) << r.err;
    EXPECT_NE(r.err.find("newer than this govtrack build knows"), std::string::npos) << r.err;
}

TEST_F(MariadbEndToEnd, CopySqliteToMariadbVerifiesCountsAndRefusesANonEmptyTarget) {
    ASSERT_EQ(run({"--db", sqlite(), "import", kExampleJson}).exitCode, 0);
    auto copied = run({"copy", "--from", sqlite(), "--to", mysql()});
    ASSERT_EQ(copied.exitCode, 0) << copied.err;
    EXPECT_NE(copied.out.find("  action 3\n"), std::string::npos) << copied.out;
    EXPECT_NE(copied.out.find("  progress_update 3\n"), std::string::npos) << copied.out;
    EXPECT_NE(copied.out.find("  api_tokens 0\n"), std::string::npos) << copied.out;  // users and tokens travel
    EXPECT_EQ(copied.out.find("web_sessions"), std::string::npos) << copied.out;    // sessions do not
    EXPECT_NE(copied.out.find("verified: 21 tables"), std::string::npos) << copied.out;
    EXPECT_NE(copied.out.find("audit chain verified on the target"), std::string::npos) << copied.out;
    EXPECT_EQ(run({"--db", mysql(), "verify-audit-log"}).exitCode, 0);
    EXPECT_EQ(followUpJson(mysql()), followUpJson(sqlite()));

    auto again = run({"copy", "--from", sqlite(), "--to", mysql()});
    EXPECT_EQ(again.exitCode, 2);
    EXPECT_NE(again.err.find("use --force"), std::string::npos) << again.err;
    ASSERT_EQ(
        run({"--db", sqlite("other.db"), "import", sourcePath("docs/examples/performance-management-2024-25.json")})
            .exitCode,
        0);
    auto forced = run({"copy", "--from", sqlite("other.db"), "--to", mysql(), "--force"});
    ASSERT_EQ(forced.exitCode, 0) << forced.err;
    EXPECT_EQ(followUpJson(mysql()), followUpJson(sqlite("other.db")));

    // And back again into a new SQLite file.
    auto back = run({"copy", "--from", mysql(), "--to", sqlite("back.db")});
    ASSERT_EQ(back.exitCode, 0) << back.err;
    EXPECT_EQ(followUpJson(sqlite("back.db")), followUpJson(sqlite("other.db")));
}

TEST_F(MariadbEndToEnd, BackupIsForSqliteAndRestoresTheSameReport) {
    ASSERT_EQ(run({"--db", sqlite(), "import", kExampleJson}).exitCode, 0);
    auto backup = run({"--db", sqlite(), "backup", "--to", dir.file("backup.db")});
    ASSERT_EQ(backup.exitCode, 0) << backup.err;
    EXPECT_EQ(followUpJson(sqlite("backup.db")), followUpJson(sqlite()));
    auto again = run({"--db", sqlite(), "backup", "--to", dir.file("backup.db")});
    EXPECT_EQ(again.exitCode, 2) << "an existing file is not overwritten";
    auto onMariadb = run({"--db", mysql(), "backup", "--to", dir.file("m.db")});
    EXPECT_EQ(onMariadb.exitCode, 2);
    EXPECT_NE(onMariadb.err.find("mariadb-dump --single-transaction"), std::string::npos) << onMariadb.err;
}

TEST_F(MariadbEndToEnd, TwoServeInstancesOnOneDatabaseAnswerAndSeeTheSameData) {
    // Both start (and migrate) at once on an empty database: the migration lock lets one do it.
    Server a(mysql(), dir.path().string());
    Server b(mysql(), dir.path().string());
    ASSERT_NE(a.port(), 0);
    ASSERT_NE(b.port(), 0);
    EXPECT_EQ(get(a.port(), "/healthz").status, 200);
    EXPECT_EQ(get(b.port(), "/healthz").status, 200);
    token = govtrack::test::createApiToken(
        [&](const std::vector<std::string>& args) {
            std::vector<std::string> all{"--db", mysql()};
            all.insert(all.end(), args.begin(), args.end());
            return run(all);
        },
        "clerk", "secretariat");
    ASSERT_FALSE(token.empty());
    EXPECT_EQ(get(a.port(), "/api/v1/engagements").body.find("IA-2024-25-PM"), std::string::npos);

    // Written by a third process while both run: neither holds a copy in memory.
    ASSERT_EQ(run({"--db", mysql(), "import", kExampleJson}).exitCode, 0);
    const auto fromA = get(a.port(), "/api/v1/engagements");
    const auto fromB = get(b.port(), "/api/v1/engagements");
    EXPECT_EQ(fromA.status, 200);
    EXPECT_NE(fromA.body.find("IA-2024-25-PM"), std::string::npos);
    EXPECT_EQ(fromA.body, fromB.body);
    const std::string report = "/api/v1/reports/follow-up?engagement=IA-2024-25-PM&as_of=2026-01-05";
    const auto reportA = get(a.port(), report);
    EXPECT_EQ(reportA.status, 200);
    EXPECT_EQ(reportA.body, get(b.port(), report).body);
}

// Issue 6: two instances behind a load balancer; one action edited through each at the same moment with
// the same ETag. Exactly one wins; the other gets 412; the audit chain stays valid.
TEST_F(MariadbEndToEnd, TwoInstancesRacingAnHttpEditGiveOneSuccessAndOne412) {
    ASSERT_EQ(run({"--db", mysql(), "import", kExampleJson}).exitCode, 0);
    const std::string owner = govtrack::test::createApiToken(
        [&](const std::vector<std::string>& args) {
            std::vector<std::string> all{"--db", mysql()};
            all.insert(all.end(), args.begin(), args.end());
            return run(all);
        },
        "odsc.lead", "owner", "Organisational Design and Strategic Capability Lead");
    ASSERT_FALSE(owner.empty());
    Server a(mysql(), dir.path().string());
    Server b(mysql(), dir.path().string());
    ASSERT_NE(a.port(), 0);
    ASSERT_NE(b.port(), 0);

    const auto list = govtrack::test::httpRequest(a.port(), "GET", "/api/v1/actions", owner);
    ASSERT_EQ(list.status, 200) << list.body;
    std::string id;
    const auto listed = nlohmann::json::parse(list.body);
    for (const auto& item : listed.at("items")) {
        if (item.at("engagement") == "IA-2024-25-PM" && item.at("recommendation") == 1) id = item.at("id");
    }
    ASSERT_FALSE(id.empty()) << list.body;
    const auto detail = govtrack::test::httpRequest(b.port(), "GET", "/api/v1/actions/" + id, owner);
    ASSERT_EQ(detail.status, 200) << detail.body;
    const std::string etag = detail.headers.at("ETag");

    for (int round = 0; round < 3; ++round) {
        const auto current = govtrack::test::httpRequest(a.port(), "GET", "/api/v1/actions/" + id, owner);
        const std::string tag = round == 0 ? etag : current.headers.at("ETag");
        std::atomic<int> ready{0};
        int statuses[2] = {0, 0};
        auto post = [&](int i, unsigned short port) {
            ++ready;
            while (ready < 2) std::this_thread::yield();
            statuses[i] = govtrack::test::httpRequest(port, "POST", "/api/v1/actions/" + id + "/progress", owner,
                                                      R"({"text":"round )" + std::to_string(round) + R"("})",
                                                      {{"If-Match", tag}})
                              .status;
        };
        std::thread ta(post, 0, a.port()), tb(post, 1, b.port());
        ta.join();
        tb.join();
        // Progress does not change the action's version, so both may succeed; a transition does.
        EXPECT_EQ(statuses[0], 201);
        EXPECT_EQ(statuses[1], 201);
    }

    const std::string tag = govtrack::test::httpRequest(a.port(), "GET", "/api/v1/actions/" + id, owner)
                                .headers.at("ETag");
    std::atomic<int> ready{0};
    int statuses[2] = {0, 0};
    auto move = [&](int i, unsigned short port, const std::string& note) {
        ++ready;
        while (ready < 2) std::this_thread::yield();
        statuses[i] = govtrack::test::httpRequest(port, "POST", "/api/v1/actions/" + id + "/transitions", owner,
                                                  R"({"to":"implemented","evidence_note":")" + note + R"("})",
                                                  {{"If-Match", tag}})
                          .status;
    };
    std::thread ta(move, 0, a.port(), "published"), tb(move, 1, b.port(), "minuted");
    ta.join();
    tb.join();
    std::vector<int> sorted{statuses[0], statuses[1]};
    std::sort(sorted.begin(), sorted.end());
    EXPECT_EQ(sorted, (std::vector<int>{200, 412}));
    EXPECT_EQ(run({"--db", mysql(), "verify-audit-log"}).exitCode, 0);
}
