#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include "RunBinary.h"

/// A small HTTP client for end-to-end tests against a real `govtrack serve`, and the CLI steps that give
/// it credentials.
namespace govtrack::test {

struct HttpReply {
    int status = 0;
    std::string contentType;
    std::string body;
    std::map<std::string, std::string> headers;
};

/// One request on a fresh connection. `token` (if not empty) goes in "Authorization: Bearer"; a body is
/// sent as application/json unless headers give a Content-Type.
inline HttpReply httpRequest(unsigned short port, const std::string& method, const std::string& path,
                             const std::string& token = {}, const std::optional<std::string>& body = std::nullopt,
                             const std::map<std::string, std::string>& headers = {}) {
    Poco::Net::HTTPClientSession session("127.0.0.1", port);
    session.setTimeout(Poco::Timespan(30, 0));
    Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    if (!token.empty()) request.set("Authorization", "Bearer " + token);
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
    HttpReply reply;
    reply.status = static_cast<int>(response.getStatus());
    reply.contentType = response.getContentType();
    Poco::StreamCopier::copyToString(in, reply.body);
    for (const auto& [name, value] : response) reply.headers[name] = value;
    return reply;
}

/// Runs `govtrack ARGS` (through `run`, which adds --db, environment and working directory).
using Runner = std::function<RunResult(const std::vector<std::string>&)>;

/// Creates account `username` (with `role`, or acting as the person `person` when role is "owner") and
/// returns a fresh API token scoped to that role, via `user add` and `token create` as an admin would.
/// Returns "" (after a failed EXPECT in the caller) if either step fails.
inline std::string createApiToken(const Runner& run, const std::string& username, const std::string& role,
                                  const std::string& person = {}) {
    std::vector<std::string> add{"user", "add", username};
    if (role == "owner") {
        add.insert(add.end(), {"--person", person});
    } else {
        add.insert(add.end(), {"--role", role});
    }
    const auto added = run(add);
    if (added.exitCode != 0) return {};
    const auto created = run({"token", "create", username, "--name", "test", "--scope", role});
    if (created.exitCode != 0) return {};
    const auto at = created.out.find("gt_");
    if (at == std::string::npos) return {};
    return created.out.substr(at, created.out.find('\n', at) - at);
}

}  // namespace govtrack::test
