#include "govtrack/http/ApiServer.h"

#include <filesystem>
#include <mutex>
#include <optional>
#include <system_error>
#include <utility>

#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/ThreadPool.h>

#include "govtrack/domain/Error.h"

#include "ApiRequestHandler.h"
#include "Handlers.h"
#include "Router.h"
#include "StaticFileHandler.h"
#include "UiHandlers.h"

namespace govtrack::http {
namespace {

constexpr int kMaxThreads = 256;

template <typename Handler>
Router::Factory make(const Services& services) {
    return [&services](PathParams params) { return std::make_unique<Handler>(services, std::move(params)); };
}

/// The route table (docs/api.md). Read-only routes in this version.
Router buildRouter(const Services& services) {
    Router router;
    router.add("GET", "/healthz", make<HealthHandler>(services));
    router.add("GET", "/api/v1/engagements", make<EngagementListHandler>(services));
    router.add("GET", "/api/v1/engagements/{ref}", make<EngagementDetailHandler>(services));
    router.add("GET", "/api/v1/recommendations", make<RecommendationListHandler>(services));
    router.add("GET", "/api/v1/actions", make<ActionListHandler>(services));
    // Before any /api/v1/actions/{id} route: the router takes the first pattern that matches.
    router.add("GET", "/api/v1/actions/export", make<ActionExportHandler>(services));
    router.add("GET", "/api/v1/dashboard", make<DashboardHandler>(services));
    router.add("GET", "/api/v1/reports/follow-up", make<FollowUpReportHandler>(services));
    router.add("GET", "/api/v1/groups", make<GroupListHandler>(services));
    router.add("GET", "/api/v1/groups/{name}/meeting-pack", make<MeetingPackHandler>(services));
    return router;
}

bool isApiPath(std::string_view rawPath) {
    return rawPath == "/api" || rawPath.rfind("/api/", 0) == 0;
}

/// Never returns nullptr (Poco would answer 501): an unknown path gets a 404 handler, a known path with
/// the wrong method a 405 handler, any other GET/HEAD outside /api/ the static file handler.
class RequestHandlerFactory final : public Poco::Net::HTTPRequestHandlerFactory {
public:
    explicit RequestHandlerFactory(const Services& services) : services_(services), router_(buildRouter(services)) {}

    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest& request) override {
        const std::string& uri = request.getURI();
        const std::string rawPath = uri.substr(0, uri.find_first_of("?#"));
        const std::string& method = request.getMethod();
        try {
            auto match = router_.match(method, rawPath);
            switch (match.kind) {
                case Router::Match::Kind::kFound:
                    return (*match.factory)(std::move(match.params)).release();
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
    Impl(ServerConfig c, domain::Store& store, const domain::Clock& clock)
        : config(std::move(c)), services{store, clock, {}, config.endOfDayUtc} {}

    ServerConfig config;
    Services services;
    std::mutex mutex;
    std::unique_ptr<Poco::ThreadPool> pool;
    std::unique_ptr<Poco::Net::HTTPServer> server;
    unsigned short boundPort = 0;
};

ApiServer::ApiServer(ServerConfig config, domain::Store& store, const domain::Clock& clock)
    : impl_(std::make_unique<Impl>(std::move(config), store, clock)) {}

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
    Poco::Net::ServerSocket socket;
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
