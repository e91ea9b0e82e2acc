#include "govtrack/http/ApiServer.h"

#include <filesystem>
#include <mutex>
#include <optional>
#include <system_error>
#include <utility>

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/ThreadPool.h>

#include "govtrack/domain/Error.h"

#include "ApiRequestHandler.h"
#include "AuthHandlers.h"
#include "Handlers.h"
#include "Router.h"
#include "StaticFileHandler.h"
#include "WorkflowHandlers.h"
#include "UiHandlers.h"

namespace govtrack::http {
namespace {

constexpr int kMaxThreads = 256;

/// `services` may be null only for listing the table (ApiServer::routes()); factories are then never called.
template <typename Handler>
Router::Factory make(const Services* services) {
    return [services](PathParams params) { return std::make_unique<Handler>(*services, std::move(params)); };
}

using P = domain::Permission;

/// The route table (docs/api.md, docs/security.md): every route names who may call it. The who-may test
/// (tests/http/WhoMayTest.cpp) walks this table and fails for a route without expectations.
Router buildRouter(const Services* services) {
    Router router;
    const auto open = RouteAccess::open();
    const auto needs = [](P permission) { return RouteAccess::needs(permission); };
    router.add("GET", "/healthz", open, make<HealthHandler>(services));
    router.add("POST", "/api/v1/session", open, make<SignInHandler>(services));
    router.add("DELETE", "/api/v1/session", needs(P::kSignedIn), make<SignOutHandler>(services));
    router.add("GET", "/api/v1/me", needs(P::kSignedIn), make<MeHandler>(services));
    router.add("GET", "/api/v1/users", needs(P::kManageUsers), make<UserListHandler>(services));
    router.add("GET", "/api/v1/me/notifications", needs(P::kSignedIn), make<NotificationListHandler>(services));
    router.add("POST", "/api/v1/me/notifications/{id}/read", needs(P::kSignedIn),
               make<NotificationReadHandler>(services));
    router.add("GET", "/api/v1/engagements", needs(P::kReadPlan), make<EngagementListHandler>(services));
    router.add("GET", "/api/v1/engagements/{ref}", needs(P::kReadPlan), make<EngagementDetailHandler>(services));
    router.add("GET", "/api/v1/recommendations", needs(P::kReadPlan), make<RecommendationListHandler>(services));
    router.add("GET", "/api/v1/actions", needs(P::kReadPlan), make<ActionListHandler>(services));
    // Before /api/v1/actions/{id}: the router takes the first pattern that matches.
    router.add("GET", "/api/v1/actions/export", needs(P::kReadPlan), make<ActionExportHandler>(services));
    router.add("POST", "/api/v1/actions/chase", needs(P::kChaseOwners), make<ChaseHandler>(services));
    router.add("GET", "/api/v1/actions/{id}", needs(P::kReadPlan), make<ActionDetailHandler>(services));
    router.add("POST", "/api/v1/actions/{id}/transitions", needs(P::kUpdateAction), make<TransitionHandler>(services));
    router.add("POST", "/api/v1/actions/{id}/progress", needs(P::kUpdateAction), make<ProgressHandler>(services));
    router.add("GET", "/api/v1/actions/{id}/evidence/{evidenceId}", needs(P::kReadPlan),
               make<EvidenceDownloadHandler>(services));
    router.add("POST", "/api/v1/actions/{id}/revision-requests", needs(P::kUpdateAction),
               make<RevisionRequestCreateHandler>(services));
    router.add("GET", "/api/v1/revision-requests", needs(P::kReadPlan), make<RevisionRequestListHandler>(services));
    router.add("POST", "/api/v1/revision-requests/{id}/decision", needs(P::kDecideRevision),
               make<RevisionDecisionHandler>(services));
    router.add("GET", "/api/v1/reports/follow-up", needs(P::kReadReports), make<FollowUpReportHandler>(services));
    router.add("GET", "/api/v1/dashboard", needs(P::kReadReports), make<DashboardHandler>(services));
    router.add("GET", "/api/v1/groups", needs(P::kReadGroups), make<GroupListHandler>(services));
    router.add("GET", "/api/v1/groups/{name}/meeting-pack", needs(P::kReadGroups), make<MeetingPackHandler>(services));
    // Reminders (SPEC 4.6): the outbox is for admins; the feed token in the path is the credential of a
    // calendar client (which cannot sign in), so the feed is open and answers 404 for a bad token.
    router.add("GET", "/api/v1/admin/outbox", needs(P::kManageUsers), make<OutboxHandler>(services));
    router.add("GET", "/ical/{file}", open, make<ICalendarFeedHandler>(services));
    // Risk registers (SPEC 4.5; issue 4).
    router.add("GET", "/api/v1/registers", needs(P::kReadRisks), make<RiskRegisterListHandler>(services));
    router.add("GET", "/api/v1/risks", needs(P::kReadRisks), make<RiskListHandler>(services));
    router.add("GET", "/api/v1/risks/heatmap", needs(P::kReadRisks),
               make<RiskHeatMapHandler>(services));  // before {ref}
    router.add("GET", "/api/v1/risks/{ref}", needs(P::kReadRisks), make<RiskDetailHandler>(services));
    router.add("GET", "/api/v1/risks/{ref}/history", needs(P::kReadRisks), make<RiskHistoryHandler>(services));
    return router;
}

bool isApiPath(std::string_view rawPath) {
    return rawPath == "/api" || rawPath.rfind("/api/", 0) == 0;
}

/// Never returns nullptr (Poco would answer 501): an unknown path gets a 404 handler, a known path with
/// the wrong method a 405 handler, any other GET/HEAD outside /api/ the static file handler.
class RequestHandlerFactory final : public Poco::Net::HTTPRequestHandlerFactory {
public:
    explicit RequestHandlerFactory(const Services& services) : services_(services), router_(buildRouter(&services)) {}

    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest& request) override {
        const std::string& uri = request.getURI();
        const std::string rawPath = uri.substr(0, uri.find_first_of("?#"));
        const std::string& method = request.getMethod();
        try {
            auto match = router_.match(method, rawPath);
            switch (match.kind) {
                case Router::Match::Kind::kFound: {
                    auto handler = (*match.factory)(std::move(match.params));
                    handler->setAccess(match.access);
                    return handler.release();
                }
                case Router::Match::Kind::kMethodNotAllowed:
                    return new MethodNotAllowedHandler(services_, std::move(match.allowed));
                case Router::Match::Kind::kBadPath:
                    return new BadPathHandler(services_);
                case Router::Match::Kind::kNotFound:
                    break;
            }
            if (isApiPath(rawPath) || rawPath.empty() || rawPath.front() != '/') return new NotFoundHandler(services_);
            if (method == "GET" || method == "HEAD") return new StaticFileHandler(services_);
            return new MethodNotAllowedHandler(services_, {"GET", "HEAD"});
        } catch (...) {
            // Only allocation can fail above; a plain 404 handler is the least surprising answer.
            return new NotFoundHandler(services_);
        }
    }

private:
    const Services& services_;
    Router router_;
};

}  // namespace

struct ApiServer::Impl {
    Impl(ServerConfig c, domain::Store& store, const domain::Clock& clock, const AuthServices& a)
        : config(std::move(c)),
          auth(a),
          throttle(config.throttle),
          services{store, clock, {}, config.endOfDayUtc, auth, config, throttle, config.webBaseUrl, config.riskMatrix} {
    }

    ServerConfig config;
    AuthServices auth;
    domain::SignInThrottle throttle;
    Services services;
    std::mutex mutex;
    std::unique_ptr<Poco::ThreadPool> pool;
    std::unique_ptr<Poco::Net::HTTPServer> server;
    unsigned short boundPort = 0;
};

ApiServer::ApiServer(ServerConfig config, domain::Store& store, const domain::Clock& clock, const AuthServices& auth)
    : impl_(std::make_unique<Impl>(std::move(config), store, clock, auth)) {}

std::vector<RouteInfo> ApiServer::routes() {
    std::vector<RouteInfo> out;
    for (const auto& entry : buildRouter(nullptr).entries()) {
        out.push_back(RouteInfo{entry.method, entry.pattern, entry.access.anonymous, entry.access.permission});
    }
    return out;
}

ApiServer::~ApiServer() {
    try {
        stop();
    } catch (...) {
    }
}

void ApiServer::start() {
    std::lock_guard lock(impl_->mutex);
    if (impl_->server) throw domain::ConflictError("The HTTP server is already running.");
    const ServerConfig& config = impl_->config;

    if (config.threads < 1 || config.threads > kMaxThreads) {
        throw domain::ValidationError("threads must be from 1 to " + std::to_string(kMaxThreads),
                                      {{"threads", "must be from 1 to " + std::to_string(kMaxThreads)}});
    }
    std::filesystem::path webroot;
    if (!config.webroot.empty()) {
        std::error_code error;
        webroot = std::filesystem::canonical(config.webroot, error);
        if (error || !std::filesystem::is_directory(webroot)) {
            throw domain::ValidationError("webroot '" + config.webroot + "' is not a directory",
                                          {{"webroot", "must be an existing directory"}});
        }
    }
    impl_->services.webroot = webroot;

    Poco::Net::SocketAddress address;
    try {
        address = Poco::Net::SocketAddress(config.host, config.port);
    } catch (const Poco::Exception& error) {
        throw domain::ValidationError("host '" + config.host + "' is not a valid address: " + error.displayText(),
                                      {{"host", "must be an IP address or a resolvable host name"}});
    }
    const bool tls = !config.tlsCertificate.empty() || !config.tlsPrivateKey.empty();
    if (tls) Poco::Net::initializeSSL();
    Poco::Net::ServerSocket socket;
    if (tls) {
        if (config.tlsCertificate.empty() || config.tlsPrivateKey.empty()) {
            throw domain::ValidationError("TLS needs both a certificate and a private key",
                                          {{"tls", "set both tls.certificate and tls.private_key"}});
        }
        for (const auto& [name, path] :
             {std::pair<const char*, const std::string&>{"tls.certificate", config.tlsCertificate},
              {"tls.private_key", config.tlsPrivateKey}}) {
            if (!std::filesystem::is_regular_file(path)) {
                throw domain::ValidationError(std::string(name) + " '" + path + "' is not a readable file",
                                              {{name, "must be a PEM file"}});
            }
        }
        try {
            Poco::Net::Context::Params params;
            params.privateKeyFile = config.tlsPrivateKey;
            params.certificateFile = config.tlsCertificate;
            params.verificationMode = Poco::Net::Context::VERIFY_NONE;  // no client certificates
            params.cipherList = "HIGH:!aNULL:!MD5:!RC4";
            auto context =
                Poco::AutoPtr<Poco::Net::Context>(new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, params));
            context->disableProtocols(Poco::Net::Context::PROTO_SSLV2 | Poco::Net::Context::PROTO_SSLV3 |
                                      Poco::Net::Context::PROTO_TLSV1 | Poco::Net::Context::PROTO_TLSV1_1);
            socket = Poco::Net::SecureServerSocket(context);
        } catch (const Poco::Exception& error) {
            throw domain::ValidationError("TLS certificate or key cannot be used: " + error.displayText(),
                                          {{"tls", "a PEM certificate chain and its unencrypted private key"}});
        }
    }
    try {
        // SO_REUSEADDR lets a restart bind through TIME_WAIT; SO_REUSEPORT stays off so a second
        // process cannot listen on (and take requests from) the same port.
        socket.bind(address, true, false);
        socket.listen(64);
    } catch (const Poco::Exception& error) {
        throw domain::UnavailableError("Cannot listen on " + address.toString() + ": " + error.displayText(),
                                       error.displayText());
    }
    impl_->boundPort = socket.address().port();

    auto params = Poco::AutoPtr<Poco::Net::HTTPServerParams>(new Poco::Net::HTTPServerParams);
    params->setMaxThreads(config.threads);
    params->setMaxQueued(256);
    params->setServerName("govtrack");
    params->setSoftwareVersion("govtrack");
    // Poco gives each connection a thread for its lifetime, so idle or slow connections hold threads:
    // keep the idle keep-alive window short and time out slow requests, so a handful of idle browser
    // tabs or a slow client cannot starve the pool for long (docs/deployment: put a reverse proxy in
    // front when serving beyond loopback).
    params->setKeepAlive(true);
    params->setMaxKeepAliveRequests(100);
    params->setTimeout(Poco::Timespan(10, 0));
    params->setKeepAliveTimeout(Poco::Timespan(2, 0));

    impl_->pool = std::make_unique<Poco::ThreadPool>(1, config.threads);
    impl_->server = std::make_unique<Poco::Net::HTTPServer>(new RequestHandlerFactory(impl_->services), *impl_->pool,
                                                            socket, params);
    impl_->server->start();
}

void ApiServer::stop() {
    std::lock_guard lock(impl_->mutex);
    if (!impl_->server) return;
    impl_->server->stopAll(false);
    impl_->pool->joinAll();
    impl_->server.reset();
    impl_->pool.reset();
    impl_->boundPort = 0;
}

unsigned short ApiServer::port() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->server ? impl_->boundPort : impl_->config.port;
}

const ServerConfig& ApiServer::config() const noexcept {
    return impl_->config;
}

}  // namespace govtrack::http
