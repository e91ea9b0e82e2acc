#pragma once

#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <sys/wait.h>

#include "TempDir.h"

namespace govtrack::test {

struct RunResult {
    int exitCode = -1;
    std::string out;
    std::string err;
};

inline std::string shellQuote(const std::string& s) {
    std::string q = "'";
    for (char c : s) {
        if (c == '\'')
            q += "'\\''";
        else
            q += c;
    }
    return q + "'";
}

inline std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

/// An environment change for one run: set NAME to a value, or unset it (nullopt).
using EnvChange = std::pair<std::string, std::optional<std::string>>;

/// Runs the built govtrack binary (GOVTRACK_BINARY) with `args` in `cwd`, capturing stdout, stderr and
/// the exit code, with the test's environment changed by `env`. The source tree is GOVTRACK_SOURCE_DIR.
inline RunResult runGovtrack(const std::vector<std::string>& args, const std::string& cwd,
                             const std::vector<EnvChange>& env = {}) {
    TempDir capture;
    std::string cmd = "cd " + shellQuote(cwd) + " && env";
    for (const auto& [name, value] : env) cmd += value ? " " + name + "=" + shellQuote(*value) : " -u " + name;
    cmd += " " + shellQuote(GOVTRACK_BINARY);
    for (const auto& a : args) cmd += " " + shellQuote(a);
    cmd += " > " + shellQuote(capture.file("out")) + " 2> " + shellQuote(capture.file("err")) + " < /dev/null";
    const int status = std::system(cmd.c_str());
    RunResult r;
    r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = slurp(capture.file("out"));
    r.err = slurp(capture.file("err"));
    return r;
}

inline std::string sourcePath(const std::string& relative) {
    return std::string(GOVTRACK_SOURCE_DIR) + "/" + relative;
}

}  // namespace govtrack::test
