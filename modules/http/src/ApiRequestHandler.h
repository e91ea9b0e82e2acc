#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <nlohmann/json.hpp>

#include "govtrack/domain/Clock.h"
#include "govtrack/domain/Error.h"
#include "govtrack/domain/Repositories.h"
#include "govtrack/domain/RiskRules.h"

namespace govtrack::http {

/// What every handler may use; owned by the server, shared read-only by all request threads.
struct Services {
    domain::Store& store;
    const domain::Clock& clock;
    std::filesystem::path webroot;                         ///< canonical; empty when no web UI is served
    std::function<std::string(domain::Date)> endOfDayUtc;  ///< ServerConfig::endOfDayUtc
    domain::ScoringMatrix riskMatrix;                      ///< ServerConfig::riskMatrix
};

/// Decoded values of the {name} segments of a route pattern.
using PathParams = std::map<std::string, std::string, std::less<>>;

/// Content types the API sends.
inline constexpr std::string_view kJsonType = "application/json";
inline constexpr std::string_view kProblemType = "application/problem+json";

/// One request and its response as a handler sees them.
class Exchange {
public:
    Exchange(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response, const Services& services,
             const PathParams& pathParams, const std::string& requestId);

    Poco::Net::HTTPServerRequest& request() noexcept { return request_; }
    Poco::Net::HTTPServerResponse& response() noexcept { return response_; }
    const Services& services() const noexcept { return services_; }
    const std::string& requestId() const noexcept { return requestId_; }

    /// The raw (still percent-encoded) path of the request URI, without query or fragment.
    std::string rawPath() const;
    /// The raw query string (after '?', before '#'); empty if none.
    std::string rawQuery() const;
    /// A {name} path parameter; throws domain::Error(kInternal) if the route has no such parameter.
    const std::string& pathParam(std::string_view name) const;

    /// Opens this request's own session (Store::openSession()).
    std::unique_ptr<domain::StoreSession> openSession();

    /// Sends `body` (UTF-8) with the given status and Content-Type.
    void send(int status, std::string_view contentType, const std::string& body);
    /// Sends `body` as application/json.
    void sendJson(const nlohmann::json& body, int status = 200);

private:
    Poco::Net::HTTPServerRequest& request_;
    Poco::Net::HTTPServerResponse& response_;
    const Services& services_;
    const PathParams& pathParams_;
    const std::string& requestId_;
};

/// The one base of every handler (STYLE.md): its final handleRequest() assigns a request id, calls
/// handle(), and turns anything thrown into an application/problem+json response -- domain::Error by
/// its code (httpStatusFor), every other exception as a 500 whose detail names only the request id.
/// Internal text is logged with the request id, never sent.
class ApiRequestHandler : public Poco::Net::HTTPRequestHandler {
public:
    explicit ApiRequestHandler(const Services& services, PathParams pathParams = {});

    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) final;

protected:
    /// Does the work; may throw anything.
    virtual void handle(Exchange& exchange) = 0;

private:
    const Services& services_;
    PathParams pathParams_;
};

/// Sends a problem+json body (RFC 9457): type, title, status, detail, instance, code, errors.
/// `instance` is the request path. Used by the base handler and for 405 (with an Allow header set first).
void sendProblem(Poco::Net::HTTPServerResponse& response, int status, std::string_view code, const std::string& detail,
                 const std::string& instance, const std::vector<domain::FieldError>& errors = {});

}  // namespace govtrack::http
