#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "govtrack/domain/Access.h"
#include "govtrack/domain/AccountService.h"
#include "govtrack/domain/AuditTrail.h"
#include "govtrack/domain/Clock.h"
#include "govtrack/domain/Repositories.h"
#include "govtrack/domain/RiskRules.h"
#include "govtrack/domain/SignInThrottle.h"
#include "govtrack/http/ErrorMapping.h"

/// The REST/JSON API under /api/v1 plus the static web UI (SPEC 5), on Poco::Net::HTTPServer.
namespace govtrack::http {

/// Name of the Poco logger the server writes to: one access line per request (information), client
/// errors (debug) and server errors with their internal text and request id (error).
inline constexpr const char* kLoggerName = "govtrack.http";

/// Where and how the server listens. Secure by default: loopback only.
struct ServerConfig {
    std::string host = "127.0.0.1";  ///< address to bind; "0.0.0.0" exposes the server to the network
    unsigned short port = 8080;      ///< TCP port; 0 asks the OS for an ephemeral port (see ApiServer::port())
    std::string webroot;             ///< directory of the web UI's static files; empty serves none (404)
    int threads = 32;                ///< maximum concurrent connections served, 1..256 (one thread each)
    /// The end of a local day as UTC text (platform::endOfDayUtc in the organisation's zone), for
    /// follow-up reports as of a past date, rebuilt from the audit trail. Unset: days end at UTC midnight.
    std::function<std::string(domain::Date)> endOfDayUtc;
    domain::SessionPolicy sessions;                ///< idle and absolute session lifetimes
    domain::SignInThrottle::Limits throttle;       ///< failed sign-ins allowed per account / address
    std::size_t maxBodyBytes = 10u * 1024 * 1024;  ///< larger request bodies get 413
    /// TLS (Poco NetSSL): PEM certificate chain and private key paths. Both set: HTTPS only, and the
    /// session cookie is marked Secure. Both empty: plain HTTP.
    std::string tlsCertificate;
    std::string tlsPrivateKey;
    /// The web UI's public base URL, for links in iCalendar feeds (govtrack.reminders.web_base_url).
    std::string webBaseUrl = "http://127.0.0.1:8080";
    /// The risk scoring matrix (govtrack.risk.matrix) for levels and the heat map (SPEC 4.5).
    domain::ScoringMatrix riskMatrix = domain::ScoringMatrix::standard();
    /// Called (on a request thread) after a request put messages in the reminder outbox, e.g. a chase,
    /// so that delivery need not wait for its next tick. Must be thread-safe and quick; may be empty.
    std::function<void()> outboxChanged;
    /// True when this server delivers the outbox by e-mail (serve runs the reminder scheduler); a chase's
    /// answer says so, so the UI does not promise mail that waits.
    bool mailDelivery = false;
};

/// What sign-in needs from the platform; all thread-safe, owned by the caller, outliving the server.
struct AuthServices {
    domain::IdGenerator& ids;
    domain::Hasher& hasher;
    domain::PasswordHasher& passwords;
    domain::SecretSource& secrets;
};

/// One route as registered: method, pattern ("/api/v1/actions/{id}"), and who may call it.
struct RouteInfo {
    std::string method;
    std::string pattern;
    bool anonymous = false;                                         ///< callable without signing in
    domain::Permission permission = domain::Permission::kSignedIn;  ///< required when not anonymous
};

/// The HTTP server. Routes: see routes() and docs/api.md / docs/openapi.yaml; static files from the
/// webroot for any other GET path outside /api/. Every route passes one policy layer (RouteAccess,
/// domain/Access.h, docs/security.md) before its handler runs. Every request opens its own StoreSession.
/// Errors are application/problem+json (RFC 9457) with the status from httpStatusFor().
///
/// `store` and `clock` must outlive the server; both are used from several threads at once.
class ApiServer {
public:
    ApiServer(ServerConfig config, domain::Store& store, const domain::Clock& clock, const AuthServices& auth);

    /// Every route the server answers (docs/api.md), in registration order.
    static std::vector<RouteInfo> routes();
    /// Stops the server if it is running.
    ~ApiServer();

    ApiServer(const ApiServer&) = delete;
    ApiServer& operator=(const ApiServer&) = delete;

    /// Binds host:port and starts accepting connections on background threads; returns at once.
    /// Throws domain::ValidationError for a bad configuration (threads outside 1..256, a webroot that is
    /// not a directory, a host that is not an address), domain::UnavailableError if the address cannot be
    /// bound (e.g. the port is in use), domain::ConflictError if already started.
    void start();

    /// Stops accepting connections, lets requests in progress finish and closes idle keep-alive
    /// connections. Idempotent; the server may be started again afterwards.
    void stop();

    /// The bound TCP port while running (the ephemeral one when configured with port 0); the configured
    /// port otherwise.
    unsigned short port() const;

    const ServerConfig& config() const noexcept;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace govtrack::http
