#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <nlohmann/json.hpp>

#include "govtrack/domain/Access.h"
#include "govtrack/domain/AccountService.h"
#include "govtrack/domain/AuditTrail.h"
#include "govtrack/domain/Clock.h"
#include "govtrack/domain/Error.h"
#include "govtrack/domain/Repositories.h"
#include "govtrack/domain/RiskRules.h"
#include "govtrack/domain/SignInThrottle.h"
#include "govtrack/http/ApiServer.h"

namespace govtrack::http {

/// What every handler may use; owned by the server, shared read-only by all request threads.
struct Services {
    domain::Store& store;
    const domain::Clock& clock;
    std::filesystem::path webroot;                         ///< canonical; empty when no web UI is served
    std::function<std::string(domain::Date)> endOfDayUtc;  ///< ServerConfig::endOfDayUtc
    const AuthServices& auth;                              ///< ids, hashes, secrets (thread-safe)
    const ServerConfig& config;
    domain::SignInThrottle& throttle;
    std::string webBaseUrl;            ///< ServerConfig::webBaseUrl
    domain::ScoringMatrix riskMatrix;  ///< ServerConfig::riskMatrix
};

/// Who may call a route: anyone (sign-in, health, iCalendar feeds with their own token), or a signed-in
/// principal holding `permission` (domain/Access.h). Checked by the base handler before handle() runs.
struct RouteAccess {
    bool anonymous = false;
    domain::Permission permission = domain::Permission::kSignedIn;

    static RouteAccess open() { return RouteAccess{true, domain::Permission::kSignedIn}; }
    static RouteAccess needs(domain::Permission permission) { return RouteAccess{false, permission}; }
};

/// Decoded values of the {name} segments of a route pattern.
using PathParams = std::map<std::string, std::string, std::less<>>;

/// The session cookie's name (HttpOnly, SameSite=Lax, Path=/; Secure over TLS).
inline constexpr const char* kSessionCookie = "govtrack_session";

/// Largest JSON request body by default, bytes (a chase of 1,000 ids is about 45 KB).
inline constexpr std::size_t kMaxJsonBodyBytes = 256 * 1024;

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
    /// The request's store session, opened on first use and shared by authentication and the handler.
    domain::StoreSession& session();
    /// The audit trail over session().
    domain::AuditTrail& audit();
    /// Account and sign-in operations over session().
    domain::AccountService accounts();

    /// Authenticates the request (Authorization: Bearer gt_... token, else the govtrack_session cookie)
    /// and checks `access`: 401 UnauthenticatedError without valid credentials, 403 ForbiddenError
    /// naming the missing permission, 403 for a cookie-authenticated state-changing request without the
    /// session's X-CSRF-Token or from another Origin. Anonymous routes still pick up a valid principal.
    void authenticate(const RouteAccess& access);
    /// True once authenticate() found a principal.
    bool signedIn() const noexcept { return principal_.has_value(); }
    /// The signed-in principal; throws UnauthenticatedError if none.
    const domain::Principal& principal() const;

    /// The client's address (the TCP peer; a proxy's X-Forwarded-For is not trusted).
    std::string clientAddress() const;
    /// The request body, at most `limit` bytes (ServerConfig::maxBodyBytes when 0): PayloadTooLargeError
    /// beyond it.
    std::string body(std::size_t limit = 0);
    /// The body parsed as a JSON object: ValidationError "malformed JSON at byte N: ..." or "must be a
    /// JSON object", or for a key given twice or nesting deeper than interchange::kMaxJsonDepth; 415 problem
    /// if the Content-Type is not application/json; PayloadTooLargeError over `limit` bytes (and never more
    /// than ServerConfig::maxBodyBytes). No JSON body the API takes comes near the default: a limit keeps a
    /// hostile body from costing seconds of parsing and hundreds of MB.
    nlohmann::json jsonBody(std::size_t limit = kMaxJsonBodyBytes);

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
    std::unique_ptr<domain::StoreSession> session_;
    std::unique_ptr<domain::AuditTrail> audit_;
    std::optional<domain::Principal> principal_;
};

/// The one base of every handler (STYLE.md): its final handleRequest() assigns a request id, calls
/// handle(), and turns anything thrown into an application/problem+json response -- domain::Error by
/// its code (httpStatusFor), every other exception as a 500 whose detail names only the request id.
/// Internal text is logged with the request id, never sent.
class ApiRequestHandler : public Poco::Net::HTTPRequestHandler {
public:
    explicit ApiRequestHandler(const Services& services, PathParams pathParams = {});

    /// Sets who may call this handler's route (the router does, for every route it knows). Without it
    /// the handler is anonymous: only the fallback handlers (404, 405, bad path, static files) are.
    void setAccess(RouteAccess access) { access_ = access; }

    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) final;

protected:
    /// Does the work; may throw anything.
    virtual void handle(Exchange& exchange) = 0;

private:
    const Services& services_;
    PathParams pathParams_;
    std::optional<RouteAccess> access_;
};

/// Sends a problem+json body (RFC 9457): type, title, status, detail, instance, code, errors.
/// `instance` is the request path. Used by the base handler and for 405 (with an Allow header set first).
void sendProblem(Poco::Net::HTTPServerResponse& response, int status, std::string_view code, const std::string& detail,
                 const std::string& instance, const std::vector<domain::FieldError>& errors = {});

}  // namespace govtrack::http
