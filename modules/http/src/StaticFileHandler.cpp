#include "StaticFileHandler.h"

#include <algorithm>
#include <array>
#include <fstream>
#include <iterator>
#include <sstream>
#include <system_error>
#include <utility>

#include <Poco/Exception.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/URI.h>

#include "govtrack/domain/Error.h"

namespace govtrack::http {
namespace {

namespace fs = std::filesystem;

constexpr std::array<std::pair<std::string_view, std::string_view>, 17> kContentTypes{{
    {".html", "text/html; charset=utf-8"},
    {".htm", "text/html; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".json", "application/json"},
    {".map", "application/json"},
    {".webmanifest", "application/manifest+json"},
    {".txt", "text/plain; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".jpg", "image/jpeg"},
    {".jpeg", "image/jpeg"},
    {".gif", "image/gif"},
    {".ico", "image/x-icon"},
    {".woff2", "font/woff2"},
    {".woff", "font/woff"},
}};

/// True if `inner` is `root` or lies below it (both canonical).
bool isWithin(const fs::path& root, const fs::path& inner) {
    const auto [rootEnd, innerIt] = std::mismatch(root.begin(), root.end(), inner.begin(), inner.end());
    return rootEnd == root.end();
}

}  // namespace

std::string StaticFileHandler::contentTypeFor(const fs::path& file) {
    std::string extension = file.extension().string();
    std::transform(extension.begin(), extension.end(), extension.begin(),
                   [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; });
    for (const auto& [candidate, type] : kContentTypes) {
        if (candidate == extension) return std::string(type);
    }
    return "application/octet-stream";
}

std::optional<fs::path> StaticFileHandler::resolve(const fs::path& webroot, std::string_view rawPath) {
    if (webroot.empty() || rawPath.empty() || rawPath.front() != '/') return std::nullopt;
    std::string decoded;
    try {
        Poco::URI::decode(std::string(rawPath), decoded);
    } catch (const Poco::Exception&) {
        return std::nullopt;
    }
    if (decoded.find('\0') != std::string::npos || decoded.find('\\') != std::string::npos) return std::nullopt;
    if (decoded.back() == '/') decoded += "index.html";

    // Relative segments only: no empty ("//"), ".", ".." or hidden segment can reach the file system.
    fs::path relative;
    std::size_t start = 1;
    while (start <= decoded.size()) {
        const auto slash = std::min(decoded.find('/', start), decoded.size());
        const std::string segment = decoded.substr(start, slash - start);
        if (segment.empty() || segment.front() == '.') return std::nullopt;
        relative /= segment;
        start = slash + 1;
    }

    std::error_code error;
    fs::path candidate = fs::weakly_canonical(webroot / relative, error);
    if (error || !isWithin(webroot, candidate)) return std::nullopt;
    if (fs::is_directory(candidate, error)) {
        candidate = fs::weakly_canonical(candidate / "index.html", error);
        if (error || !isWithin(webroot, candidate)) return std::nullopt;
    }
    if (!fs::is_regular_file(candidate, error) || error) return std::nullopt;
    return candidate;
}

void StaticFileHandler::handle(Exchange& exchange) {
    const auto file = resolve(exchange.services().webroot, exchange.rawPath());
    if (!file) throw domain::NotFoundError("No file at this path.");
    std::ifstream in(*file, std::ios::binary);
    if (!in) throw domain::NotFoundError("No file at this path.");
    std::ostringstream content;
    content << in.rdbuf();
    if (in.bad()) {
        throw domain::Error(domain::ErrorCode::kInternal, "Internal error", {}, "cannot read " + file->string());
    }
    // Files may change with a deployment; let browsers revalidate rather than keep stale UI code.
    exchange.response().set("Cache-Control", "no-cache");
    exchange.send(200, contentTypeFor(*file), content.str());
}

}  // namespace govtrack::http
