#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "ApiRequestHandler.h"

namespace govtrack::http {

/// GET/HEAD of a file under the webroot, for any path outside /api/ ("/" and "dir/" serve index.html).
/// Refuses with a 404 problem -- never serving anything outside the webroot -- a missing webroot, bad
/// percent-encoding, "." or ".." segments (also when encoded as %2e%2e), backslashes, NUL bytes, hidden
/// (dot) files, and a path that resolves outside the webroot through a symbolic link.
class StaticFileHandler final : public ApiRequestHandler {
public:
    using ApiRequestHandler::ApiRequestHandler;

    /// The file a raw request path names inside the canonical `webroot`, or nullopt if it must be refused
    /// or does not exist as a regular file.
    static std::optional<std::filesystem::path> resolve(const std::filesystem::path& webroot, std::string_view rawPath);

    /// Content-Type for a file name by its extension; application/octet-stream if unknown.
    static std::string contentTypeFor(const std::filesystem::path& file);

protected:
    void handle(Exchange& exchange) override;
};

}  // namespace govtrack::http
