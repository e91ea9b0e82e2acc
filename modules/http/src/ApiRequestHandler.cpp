#include "ApiRequestHandler.h"

#include <chrono>
#include <exception>
#include <set>
#include <utility>

#include <Poco/Exception.h>
#include <Poco/Logger.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>
#include <Poco/UUIDGenerator.h>

#include "govtrack/domain/Error.h"
#include "govtrack/http/ApiServer.h"
#include "govtrack/http/ErrorMapping.h"
#include "govtrack/interchange/StrictJson.h"

namespace govtrack::http {
namespace {

constexpr std::size_t kMaxRequestIdLength = 64;

/// Accepts a caller's X-Request-Id (e.g. from a load balancer) only if it is short and plain.
bool isAcceptableRequestId(const std::string& id) {
    if (id.empty() || id.size() > kMaxRequestIdLength) return false;
    for (char c : id) {
        const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                           c == '_' || c == '.';
        if (!plain) return false;
    }
    return true;
}

std::string requestIdFor(const Poco::Net::HTTPServerRequest& request) {
    std::string offered = request.get("X-Request-Id", "");
    if (isAcceptableRequestId(offered)) return offered;
    return Poco::UUIDGenerator::defaultGenerator().createRandom().toString();
}

/// Text from the request line made safe for a log line (no control characters, bounded length).
std::string forLog(std::string_view text) {
    constexpr std::size_t kMax = 512;
    std::string out;
    out.reserve(std::min(text.size(), kMax));
    for (char c : text.substr(0, kMax)) {
        out.push_back(static_cast<unsigned char>(c) < 0x20 || c == 0x7f ? '?' : c);
    }
    if (text.size() > kMax) out += "...";
    return out;
}

std::string pathOf(const std::string& uri) {
    return uri.substr(0, uri.find_first_of("?#"));
}

bool changesState(const std::string& method) {
    return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

/// Compares secrets in time independent of where they differ.
bool sameSecret(const std::string& a, const std::string& b) {
    if (a.size() != b.size()) return false;
    unsigned char diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}


}  // namespace

// ---- Exchange ----

Exchange::Exchange(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                   const Services& services, const PathParams& pathParams, const std::string& requestId)
    : request_(request), response_(response), services_(services), pathParams_(pathParams), requestId_(requestId) {}

std::string Exchange::rawPath() const {
    return pathOf(request_.getURI());
}

std::string Exchange::rawQuery() const {
    const std::string& uri = request_.getURI();
    const auto question = uri.find('?');
    if (question == std::string::npos) return {};
    const auto hash = uri.find('#', question);
    return uri.substr(question + 1, hash == std::string::npos ? std::string::npos : hash - question - 1);
}

const std::string& Exchange::pathParam(std::string_view name) const {
    const auto it = pathParams_.find(name);
    if (it == pathParams_.end()) {
        throw domain::Error(domain::ErrorCode::kInternal, "Internal error", {},
                            "route has no path parameter '" + std::string(name) + "'");
    }
    return it->second;
}

std::unique_ptr<domain::StoreSession> Exchange::openSession() {
    auto session = services_.store.openSession();
    if (!session)
        throw domain::UnavailableError("The data store is not available.", "Store::openSession returned null");
    return session;
}

domain::StoreSession& Exchange::session() {
    if (!session_) session_ = openSession();
    return *session_;
}

domain::AuditTrail& Exchange::audit() {
    if (!audit_) {
        audit_ = std::make_unique<domain::AuditTrail>(session().events(), services_.clock, services_.auth.hasher);
    }
    return *audit_;
}

domain::AccountService Exchange::accounts() {
    const auto& auth = services_.auth;
    return domain::AccountService(session(), audit(), services_.clock, auth.ids, auth.hasher, auth.passwords,
                                  auth.secrets, services_.config.sessions);
}

const domain::Principal& Exchange::principal() const {
    if (!principal_) throw domain::UnauthenticatedError("Sign in first.");
    return *principal_;
}

std::string Exchange::clientAddress() const {
    try {
        return request_.clientAddress().host().toString();
    } catch (const Poco::Exception&) {
        return "unknown";
    }
}

void Exchange::authenticate(const RouteAccess& access) {
    const std::string authorization = request_.get("Authorization", "");
    std::optional<domain::Principal> found;
    bool presented = false;
    if (!authorization.empty()) {
        presented = true;
        constexpr std::string_view kBearer = "Bearer ";
        if (authorization.size() > kBearer.size() && authorization.compare(0, kBearer.size(), kBearer) == 0) {
            found = accounts().principalForToken(authorization.substr(kBearer.size()));
        }
        if (!found && !access.anonymous) {
            response_.set("WWW-Authenticate", "Bearer realm=\"govtrack\"");
            throw domain::UnauthenticatedError(
                "The API token is not valid: it is unknown, revoked, or its account is "
                "disabled. Send 'Authorization: Bearer gt_...' with a current token.");
        }
    } else {
        Poco::Net::NameValueCollection cookies;
        request_.getCookies(cookies);
        const std::string cookie = cookies.get(kSessionCookie, "");
        if (!cookie.empty()) {
            presented = true;
            found = accounts().principalForSession(cookie);
        }
    }
    if (!found) {
        if (access.anonymous) return;
        throw domain::UnauthenticatedError(presented ? "Your session has ended or expired; sign in again."
                                                     : "Sign in first (POST /api/v1/session), or send an API token.");
    }
    principal_ = std::move(found);
    if (access.anonymous) return;
    domain::requirePermission(*principal_, access.permission);
    if (principal_->via == domain::CredentialKind::kSession && changesState(request_.getMethod())) {
        const std::string origin = request_.get("Origin", "");
        const std::string scheme = services_.config.tlsCertificate.empty() ? "http://" : "https://";
        if (!origin.empty() && origin != scheme + request_.getHost()) {
            throw domain::ForbiddenError("The request comes from another site (Origin " + origin.substr(0, 100) +
                                         "); it is refused (CSRF protection).");
        }
        const std::string token = request_.get("X-CSRF-Token", "");
        if (!principal_->csrfToken || token.empty() || !sameSecret(token, *principal_->csrfToken)) {
            throw domain::ForbiddenError(
                "The X-CSRF-Token header is missing or wrong; it must carry the csrf_token "
                "from sign-in or GET /api/v1/me (CSRF protection).");
        }
    }
}

std::string Exchange::body(std::size_t limit) {
    if (limit == 0) limit = services_.config.maxBodyBytes;
    const auto tooLarge = [&] {
        return domain::PayloadTooLargeError("The request body is larger than " + std::to_string(limit) + " bytes.");
    };
    if (request_.hasContentLength() && request_.getContentLength64() > static_cast<Poco::Int64>(limit)) {
        // Within the server-wide limit, read and drop the body first so that the client, still sending,
        // gets the 413 rather than a reset connection. Beyond it, answer at once (the connection closes).
        if (request_.getContentLength64() <= static_cast<Poco::Int64>(services_.config.maxBodyBytes)) {
            std::istream& rest = request_.stream();
            char sink[8192];
            while (rest.read(sink, sizeof sink) || rest.gcount() > 0) {
            }
        }
        throw tooLarge();
    }
    std::string out;
    std::istream& in = request_.stream();
    char buffer[8192];
    while (in) {
        in.read(buffer, sizeof buffer);
        out.append(buffer, static_cast<std::size_t>(in.gcount()));
        if (out.size() > limit) throw tooLarge();
    }
    return out;
}

nlohmann::json Exchange::jsonBody(std::size_t limit) {
    const std::string type = request_.getContentType();
    if (type.rfind("application/json", 0) != 0) {
        throw domain::ValidationError("The request body must be application/json.",
                                      {{"Content-Type", "must be application/json"}});
    }
    const std::string text = body(std::min(limit, services_.config.maxBodyBytes));
    nlohmann::json parsed;
    std::set<std::string> duplicates;
    try {
        parsed = interchange::parseStrictJson(text, duplicates);
    } catch (const nlohmann::json::parse_error& error) {
        throw domain::ValidationError("malformed JSON at byte " + std::to_string(error.byte) + " of the body",
                                      {{"body", "malformed JSON at byte " + std::to_string(error.byte)}});
    } catch (const nlohmann::json::exception&) {
        // e.g. out_of_range 406: a number too large for a double (1e400).
        throw domain::ValidationError("the JSON body holds a number out of range",
                                      {{"body", "a number out of range"}});
    }
    if (!parsed.is_object()) {
        throw domain::ValidationError("The request body must be a JSON object.", {{"body", "must be a JSON object"}});
    }
    if (!duplicates.empty()) {
        // nlohmann would keep the last silently: {"to":"verified","to":"in_progress"} is ambiguous.
        const std::string& key = *duplicates.begin();
        throw domain::ValidationError("the key '" + key + "' appears twice in one object of the JSON body",
                                      {{key, "appears twice; each key may appear once"}});
    }
    return parsed;
}

void Exchange::send(int status, std::string_view contentType, const std::string& body) {
    response_.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    response_.setContentType(std::string(contentType));
    response_.setContentLength64(static_cast<Poco::Int64>(body.size()));
    response_.sendBuffer(body.data(), body.size());
}

void Exchange::sendJson(const nlohmann::json& body, int status) {
    // error_handler::replace: a stray invalid UTF-8 byte in stored text must not fail the whole response.
    send(status, kJsonType, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

// ---- problem+json ----

void sendProblem(Poco::Net::HTTPServerResponse& response, int status, std::string_view code, const std::string& detail,
                 const std::string& instance, const std::vector<domain::FieldError>& errors) {
    nlohmann::json body = {
        {"type", problemTypeFor(code)},
        {"title", std::string(problemTitleFor(status))},
        {"status", status},
        {"detail", detail},
        {"instance", instance},
        {"code", std::string(code)},
    };
    nlohmann::json list = nlohmann::json::array();
    for (const auto& error : errors) list.push_back({{"where", error.where}, {"message", error.message}});
    body["errors"] = std::move(list);
    const std::string text = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    response.setContentType(std::string(kProblemType));
    response.setContentLength64(static_cast<Poco::Int64>(text.size()));
    response.sendBuffer(text.data(), text.size());
}

// ---- ApiRequestHandler ----

ApiRequestHandler::ApiRequestHandler(const Services& services, PathParams pathParams)
    : services_(services), pathParams_(std::move(pathParams)) {}

void ApiRequestHandler::handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
    const auto started = std::chrono::steady_clock::now();
    Poco::Logger& log = Poco::Logger::get(kLoggerName);
    std::string requestId;
    std::string instance;
    try {
        requestId = requestIdFor(request);
        instance = pathOf(request.getURI());
        response.set("X-Request-Id", requestId);
        response.set("X-Content-Type-Options", "nosniff");
        response.set("Cache-Control", "no-store");
    } catch (...) {
        // Only allocation can fail here; carry on with what we have.
    }

    // Sends a problem unless the handler already sent its response (then only the log can be told).
    auto fail = [&](int status, std::string_view code, const std::string& detail,
                    const std::vector<domain::FieldError>& errors) noexcept {
        try {
            if (response.sent()) return;
            sendProblem(response, status, code, detail, instance, errors);
        } catch (...) {
            try {
                log.error("request " + requestId + ": could not send the error response");
            } catch (...) {
            }
        }
    };
    auto logServerError = [&](const std::string& what) noexcept {
        try {
            log.error("request " + requestId + " " + forLog(request.getMethod()) + " " + forLog(instance) +
                      " failed: " + forLog(what));
        } catch (...) {
        }
    };
    const std::string genericDetail =
        "An unexpected error occurred. Quote request id " + requestId + " when reporting it.";

    try {
        Exchange exchange(request, response, services_, pathParams_, requestId);
        // A request with a body may be refused before its body is read (401, 403, 404, 413 ...). The unread
        // bytes must never be taken as the next request on the connection (request smuggling): close the
        // connection after any request that declares a body, and refuse ambiguous framing outright.
        int lengths = 0;
        for (const auto& [name, value] : request) lengths += Poco::icompare(name, "Content-Length") == 0 ? 1 : 0;
        if (request.hasContentLength() || request.getChunkedTransferEncoding() || lengths > 0) {
            response.setKeepAlive(false);
        }
        if (lengths > 1 || (lengths > 0 && request.getChunkedTransferEncoding())) {
            throw domain::ValidationError("The request has more than one Content-Length, or both Content-Length and "
                                          "chunked Transfer-Encoding; it is refused.");
        }
        if (access_) exchange.authenticate(*access_);
        handle(exchange);
    } catch (const domain::Error& error) {
        const int status = httpStatusFor(error);
        if (const auto* throttled = dynamic_cast<const domain::TooManyRequestsError*>(&error)) {
            try {
                if (!response.sent()) response.set("Retry-After", std::to_string(throttled->retryAfterSeconds()));
            } catch (...) {
            }
        }
        if (status >= 500) {
            logServerError(std::string(domain::toString(error.code())) + ": " + error.what() +
                           (error.internalMessage().empty() ? "" : " | " + error.internalMessage()));
            // kInternal is a bug: its text is not vetted for clients. kUnavailable carries a public detail.
            fail(status, domain::toString(error.code()),
                 error.code() == domain::ErrorCode::kUnavailable ? error.what() : genericDetail, {});
        } else {
            if (log.debug())
                log.debug("request " + requestId + ": " + domain::toString(error.code()) + ": " + error.what());
            fail(status, domain::toString(error.code()), error.what(), error.errors());
        }
    } catch (const Poco::Exception& error) {
        logServerError(error.displayText());
        fail(500, "internal", genericDetail, {});
    } catch (const std::exception& error) {
        logServerError(std::string("std::exception: ") + error.what());
        fail(500, "internal", genericDetail, {});
    } catch (...) {
        logServerError("unknown exception (not derived from std::exception)");
        fail(500, "internal", genericDetail, {});
    }

    try {
        const auto ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
        if (log.information()) {
            log.information(forLog(request.getMethod()) + " " + forLog(request.getURI()) + " " +
                            std::to_string(static_cast<int>(response.getStatus())) + " " + std::to_string(ms.count()) +
                            "ms id=" + requestId);
        }
    } catch (...) {
    }
}

}  // namespace govtrack::http
