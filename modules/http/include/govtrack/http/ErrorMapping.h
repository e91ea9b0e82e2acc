#pragma once

#include <string_view>

#include "govtrack/domain/Error.h"

/// The one mapping from protocol-neutral domain error codes to HTTP (STYLE.md "Errors -> RFC 9457").
namespace govtrack::http {

/// HTTP status for a domain error code: validation 400, not_found 404, conflict 409,
/// invalid_transition 409, forbidden 403, unavailable 503, internal 500.
int httpStatusFor(domain::ErrorCode code) noexcept;

/// HTTP status for a thrown domain error: as httpStatusFor(error.code()), except that a stale-version
/// ConflictError (`stale() == true`) maps to 412 Precondition Failed (SPEC 5, If-Match).
int httpStatusFor(const domain::Error& error) noexcept;

/// The problem+json `title` for an HTTP status, e.g. "Not Found" for 404; "Error" for an unknown status.
std::string_view problemTitleFor(int status) noexcept;

/// The problem+json `type` URI for a problem code, e.g. "urn:govtrack:problem:not_found" (RFC 9457 3.1.1).
/// `code` is a domain code name (domain::toString(ErrorCode)) or an HTTP-level one ("method_not_allowed").
std::string problemTypeFor(std::string_view code);

}  // namespace govtrack::http
