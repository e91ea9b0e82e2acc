#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <Poco/Net/HTTPRequestHandler.h>

#include "ApiRequestHandler.h"

namespace govtrack::http {

/// Maps (method, path) to a handler. Patterns are literal segments and {name} parameters, e.g.
/// "/api/v1/engagements/{ref}"; a parameter matches one non-empty, percent-decoded segment.
/// HEAD is answered by the GET route (Poco sends headers only).
class Router {
public:
    using Factory = std::function<std::unique_ptr<ApiRequestHandler>(PathParams)>;

    /// One registered route, for listings (the who-may test walks them all).
    struct Entry {
        std::string method;
        std::string pattern;
        RouteAccess access;
    };

    /// What a lookup found.
    struct Match {
        enum class Kind { kFound, kMethodNotAllowed, kNotFound, kBadPath };
        Kind kind = Kind::kNotFound;
        const Factory* factory = nullptr;  ///< kFound only
        RouteAccess access;                ///< kFound only
        PathParams params;                 ///< kFound only
        std::vector<std::string> allowed;  ///< kMethodNotAllowed: methods the path accepts, e.g. GET, HEAD
    };

    /// Registers a route with who may call it (the one policy layer checks `access` before the handler
    /// runs). Throws std::invalid_argument for a pattern not starting with '/'.
    void add(std::string method, std::string_view pattern, RouteAccess access, Factory factory);

    /// Every route in registration order.
    std::vector<Entry> entries() const;

    /// Looks up a raw request path (percent-encoded, no query). kBadPath if it is not decodable.
    Match match(std::string_view method, std::string_view rawPath) const;

    /// Splits a raw path on '/' and percent-decodes each segment; nullopt-like empty result plus
    /// `ok == false` if a segment is badly encoded. "/a/b" -> {"a", "b"}; "/" -> {""}.
    static std::vector<std::string> decodeSegments(std::string_view rawPath, bool& ok);

private:
    struct Route {
        std::string method;
        std::string pattern;
        std::vector<std::string> segments;  ///< "{name}" for a parameter
        RouteAccess access;
        Factory factory;
    };
    std::vector<Route> routes_;
};

}  // namespace govtrack::http
