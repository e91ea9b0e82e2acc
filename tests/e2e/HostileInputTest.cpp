// Findings of an attack run on the CLI, kept as regression tests: every hostile input is refused
// with a clear message and exit 2, and the database is exactly as before.
#include <fstream>

#include <gtest/gtest.h>

#include "RunBinary.h"
#include "TempDir.h"

using govtrack::test::runGovtrack;
using govtrack::test::sourcePath;

namespace {

struct Case {
    const char* name;
    const char* file;  ///< file name (its extension picks the reader)
    std::string content;
    const char* expected;  ///< a phrase the error output must contain
};

const std::string kHeader =
    "Engagement reference,Rec No,Priority,Action description,Owners,Target date,Revised target date,Linked risks\n";

std::vector<Case> hostileFiles() {
    return {
        {"InvalidUtf8", "utf8.csv", kHeader + "IA-X,1,High,Do \xFF\xFE thing,Product Owner,2026-03-01,,\n",
         "utf8.csv:2: action description is not valid UTF-8"},
        {"NulByte", "nul.csv", kHeader + std::string("IA-X,1,High,Do\0thing,Product Owner,2026-03-01,,\n", 48),
         "control character U+0000"},
        {"EscapeSequenceInKey", "ctrl.csv", kHeader + "IA-Q\x1b[31m,1,High,x,Product Owner,2026-03-01,,\n",
         "control character U+001B"},
        {"RevisionsOutOfOrder", "rev.csv", kHeader + "IA-X,1,High,x,Product Owner,2025-12-31,2026-03-31;2026-01-31,\n",
         "must be in order"},
        {"RevisionBeforeOriginal", "early.csv", kHeader + "IA-X,1,High,x,Product Owner,2025-12-31,2025-11-30,\n",
         "before the original target date"},
        {"UnknownLinkedRisk", "risk.csv", kHeader + "IA-X,1,High,x,Product Owner,2025-12-31,,CR-999\n",
         "linked risk 'CR-999' is not defined"},
        {"NoOwner", "owner.csv", kHeader + "IA-X,1,High,x,;;;,2025-12-31,,\n", "owner"},
        {"NumberOverflow", "huge.json", R"({"engagements":[{"reference":"IA-H","title":"t","resource_days":1e999}]})",
         "too large"},
        {"DuplicateKeys", "dup.json", R"({"engagements":[{"reference":"IA-A","reference":"IA-B","title":"t"}]})",
         "appears twice"},
        {"FollowsUpItself", "self.json", R"({"engagements":[{"reference":"IA-S","title":"t","follows_up":"IA-S"}]})",
         "follows_up chain would loop"},
        {"GroupCycle", "groups.json",
         R"({"groups":[{"name":"A","kind":"committee","parent":"B"},{"name":"B","kind":"committee","parent":"A"}]})",
         "group reporting chain would loop: A > B > A"},
        {"LineManagerSelf", "lm.json",
         R"({"people":[{"role_title":"Chief Executive","line_manager":"Chief Executive"}]})",
         "line manager chain would loop"},
    };
}

class HostileInput : public ::testing::TestWithParam<Case> {
protected:
    void SetUp() override {
        ASSERT_EQ(run({"import", sourcePath("docs/examples/performance-management-2024-25.json")}).exitCode, 0);
    }
    govtrack::test::RunResult run(std::vector<std::string> args) {
        args.insert(args.begin(), {"--db", "sqlite:" + dir.file("govtrack.db")});
        return runGovtrack(args, dir.path().string());
    }
    std::string report() { return run({"report", "follow-up", "--format", "json", "--as-of", "2026-01-05"}).out; }
    govtrack::test::TempDir dir;
};

TEST_P(HostileInput, IsRefusedAndChangesNothing) {
    const Case& c = GetParam();
    std::ofstream(dir.file(c.file), std::ios::binary) << c.content;
    const std::string before = report();
    const auto r = run({"import", c.file});
    EXPECT_EQ(r.exitCode, 2) << r.err;
    EXPECT_NE(r.err.find(c.expected), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("json.exception"), std::string::npos) << "library internals leaked: " << r.err;
    EXPECT_EQ(report(), before);
}

INSTANTIATE_TEST_SUITE_P(Files, HostileInput, ::testing::ValuesIn(hostileFiles()),
                         [](const auto& info) { return std::string(info.param.name); });

class HostileCli : public ::testing::Test {
protected:
    govtrack::test::TempDir dir;
    govtrack::test::RunResult run(const std::vector<std::string>& args) {
        return runGovtrack(args, dir.path().string());
    }
};

TEST_F(HostileCli, DatabaseThatIsADirectoryIsRefusedAtOnce) {
    std::filesystem::create_directory(dir.file("db"));
    const auto r = run({"--db", "sqlite:db", "migrate"});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find("is a directory"), std::string::npos) << r.err;
}

TEST_F(HostileCli, FileThatIsNotSqliteIsRefused) {
    std::ofstream(dir.file("notes.db")) << "hello, not a database\n";
    const auto r = run({"--db", "sqlite:notes.db", "report", "follow-up"});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find("is not a SQLite database"), std::string::npos) << r.err;
}

TEST_F(HostileCli, BadSettingsAreOneLineNamingTheSetting) {
    std::ofstream(dir.file("bad.properties")) << "govtrack.http.port = notanumber\n";
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"--config", "bad.properties", "--db", "sqlite:x.db", "serve"},
          {"--time-zone", "Mars/Olympus", "--db", "sqlite:x.db", "migrate"},
          {"--config", ".", "migrate"}}) {
        const auto r = run(args);
        EXPECT_EQ(r.exitCode, 2) << r.err;
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
        EXPECT_EQ(r.err.rfind("govtrack: ", 0), 0u) << r.err;
    }
}

TEST_F(HostileCli, ServeWithAMissingWebrootCreatesNothing) {
    const auto r = run({"--db", "sqlite:new.db", "serve", "--webroot", "/nonexistent-webroot"});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_FALSE(std::filesystem::exists(dir.file("new.db")));
}

TEST_F(HostileCli, InvisibleCharactersInKeysDoNotMakeNewRecords) {
    const std::string header = "Engagement reference,Rec No,Priority,Action description,Owners,Target date\n";
    std::ofstream(dir.file("a.csv")) << header << "IA-X,1,High,x,Product Owner,2026-03-01\n";
    // A byte order mark pasted before the reference, a no-break space in the role title.
    std::ofstream(dir.file("b.csv")) << header << "\xEF\xBB\xBFIA-X,1,High,x,Product\xC2\xA0Owner,2026-03-01\n";
    ASSERT_EQ(run({"--db", "sqlite:k.db", "import", "a.csv"}).exitCode, 0);
    const auto r = run({"--db", "sqlite:k.db", "import", "b.csv"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_NE(r.out.find("0 engagements, 0 recommendations, 0 actions"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("0 people"), std::string::npos) << r.out;
}

}  // namespace
