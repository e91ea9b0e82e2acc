#pragma once

#include <functional>
#include <memory>
#include <string>

#include "govtrack/domain/Clock.h"
#include "govtrack/domain/Repositories.h"
#include "govtrack/domain/RiskRules.h"
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
    /// The risk scoring matrix (govtrack.risk.matrix) for levels and the heat map (SPEC 4.5).
    domain::ScoringMatrix riskMatrix = domain::ScoringMatrix::standard();
};

/// The HTTP server. Routes (read-only in this version; docs/api.md, docs/openapi.yaml):
/// GET /healthz, /api/v1/engagements, /api/v1/engagements/{ref}, /api/v1/recommendations,
/// /api/v1/actions, /api/v1/reports/follow-up, /api/v1/registers, /api/v1/risks, /api/v1/risks/heatmap,
/// /api/v1/risks/{ref}, /api/v1/risks/{ref}/history, and static files from the webroot for any other GET path
/// outside /api/. Every request opens its own StoreSession and only reads through it (SPEC 6).
/// Errors are application/problem+json (RFC 9457) with the status from httpStatusFor().
///
/// `store` and `clock` must outlive the server; both are used from several threads at once.
class ApiServer {
public:
    ApiServer(ServerConfig config, domain::Store& store, const domain::Clock& clock);
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
