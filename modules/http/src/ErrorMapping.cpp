#include "govtrack/http/ErrorMapping.h"

#include <array>
#include <string>
#include <utility>

namespace govtrack::http {
namespace {

/// The one table code -> HTTP status (STYLE.md; userver http_error.cpp, ClickHouse exceptionCodeToHTTPStatus).
constexpr std::array<std::pair<domain::ErrorCode, int>, 11> kStatusByCode{{
    {domain::ErrorCode::kValidation, 400},
    {domain::ErrorCode::kNotFound, 404},
    {domain::ErrorCode::kConflict, 409},
    {domain::ErrorCode::kInvalidTransition, 409},
    {domain::ErrorCode::kForbidden, 403},
    {domain::ErrorCode::kUnavailable, 503},
    {domain::ErrorCode::kInternal, 500},
    {domain::ErrorCode::kUnauthenticated, 401},
    {domain::ErrorCode::kTooManyRequests, 429},
    {domain::ErrorCode::kPreconditionRequired, 428},
    {domain::ErrorCode::kPayloadTooLarge, 413},
}};

constexpr std::array<std::pair<int, std::string_view>, 15> kTitleByStatus{{
    {400, "Bad Request"},
    {401, "Unauthorized"},
    {403, "Forbidden"},
    {404, "Not Found"},
    {405, "Method Not Allowed"},
    {409, "Conflict"},
    {412, "Precondition Failed"},
    {413, "Content Too Large"},
    {415, "Unsupported Media Type"},
    {422, "Unprocessable Content"},
    {428, "Precondition Required"},
    {429, "Too Many Requests"},
    {500, "Internal Server Error"},
    {501, "Not Implemented"},
    {503, "Service Unavailable"},
}};

}  // namespace

int httpStatusFor(domain::ErrorCode code) noexcept {
    for (const auto& [candidate, status] : kStatusByCode) {
        if (candidate == code) return status;
    }
    return 500;
}

int httpStatusFor(const domain::Error& error) noexcept {
    if (const auto* conflict = dynamic_cast<const domain::ConflictError*>(&error); conflict && conflict->stale()) {
        return 412;
    }
    return httpStatusFor(error.code());
}

std::string_view problemTitleFor(int status) noexcept {
    for (const auto& [candidate, title] : kTitleByStatus) {
        if (candidate == status) return title;
    }
    return "Error";
}

std::string problemTypeFor(std::string_view code) {
    return "urn:govtrack:problem:" + std::string(code);
}

}  // namespace govtrack::http
