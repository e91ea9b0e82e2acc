#include "Router.h"

#include <algorithm>
#include <stdexcept>

#include <Poco/Exception.h>
#include <Poco/URI.h>

namespace govtrack::http {
namespace {

bool isParameter(const std::string& segment) {
    return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

std::vector<std::string> split(std::string_view path) {
    std::vector<std::string> out;
    std::size_t start = 1;  // skip the leading '/'
    while (true) {
        const auto slash = path.find('/', start);
        out.emplace_back(path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
        if (slash == std::string_view::npos) break;
        start = slash + 1;
    }
    return out;
}

}  // namespace

void Router::add(std::string method, std::string_view pattern, RouteAccess access, Factory factory) {
    if (pattern.empty() || pattern.front() != '/') throw std::invalid_argument("route pattern must start with '/'");
    routes_.push_back(Route{std::move(method), std::string(pattern), split(pattern), access, std::move(factory)});
}

std::vector<Router::Entry> Router::entries() const {
    std::vector<Entry> out;
    for (const auto& route : routes_) out.push_back(Entry{route.method, route.pattern, route.access});
    return out;
}

std::vector<std::string> Router::decodeSegments(std::string_view rawPath, bool& ok) {
    ok = true;
    if (rawPath.empty() || rawPath.front() != '/') {
        ok = false;
        return {};
    }
    auto segments = split(rawPath);
    for (auto& segment : segments) {
        std::string decoded;
        try {
            Poco::URI::decode(segment, decoded);
        } catch (const Poco::Exception&) {
            ok = false;
            return {};
        }
        segment = std::move(decoded);
    }
    return segments;
}

Router::Match Router::match(std::string_view method, std::string_view rawPath) const {
    Match result;
    bool ok = true;
    const auto segments = decodeSegments(rawPath, ok);
    if (!ok) {
        result.kind = Match::Kind::kBadPath;
        return result;
    }
    const std::string_view effectiveMethod = method == "HEAD" ? std::string_view("GET") : method;
    for (const auto& route : routes_) {
        if (route.segments.size() != segments.size()) continue;
        PathParams params;
        bool matches = true;
        for (std::size_t i = 0; i < segments.size() && matches; ++i) {
            if (isParameter(route.segments[i])) {
                if (segments[i].empty())
                    matches = false;
                else
                    params[route.segments[i].substr(1, route.segments[i].size() - 2)] = segments[i];
            } else {
                matches = route.segments[i] == segments[i];
            }
        }
        if (!matches) continue;
        if (route.method == effectiveMethod) {
            result.kind = Match::Kind::kFound;
            result.factory = &route.factory;
            result.access = route.access;
            result.params = std::move(params);
            return result;
        }
        result.kind = Match::Kind::kMethodNotAllowed;
        if (std::find(result.allowed.begin(), result.allowed.end(), route.method) == result.allowed.end()) {
            result.allowed.push_back(route.method);
            if (route.method == "GET") result.allowed.emplace_back("HEAD");
        }
    }
    return result;
}

}  // namespace govtrack::http
