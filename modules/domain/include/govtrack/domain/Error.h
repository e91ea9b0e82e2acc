#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace govtrack::domain {

/// Protocol-neutral error codes (STYLE.md "Errors"). The http module maps each to one HTTP status;
/// the CLI maps each to one exit code.
enum class ErrorCode {
    kValidation,         ///< input is malformed or breaks a rule; HTTP 400 / 422, exit 2
    kNotFound,           ///< the named entity does not exist (or may not be seen); HTTP 404, exit 2
    kConflict,           ///< duplicate natural key or stale version; HTTP 409 / 412, exit 2
    kInvalidTransition,  ///< a status move the workflow table does not allow; HTTP 409, exit 2
    kForbidden,          ///< the actor lacks a permission or delegated power; HTTP 403, exit 2
    kUnavailable,        ///< a dependency (database) is not reachable; HTTP 503, exit 1
    kInternal,           ///< a bug; HTTP 500, exit 1
    kUnauthenticated,    ///< no valid credentials (sign-in failed, session or token unknown/expired); HTTP 401, exit 2
    kTooManyRequests,    ///< sign-in throttled; HTTP 429 with Retry-After, exit 2
    kPreconditionRequired,  ///< a write without If-Match; HTTP 428, exit 2
    kPayloadTooLarge,    ///< a request body over the limit; HTTP 413, exit 2
};

/// Stable snake_case name of a code, e.g. "not_found"; used in problem+json `code`.
const char* toString(ErrorCode code) noexcept;

/// One problem with one field or one input line.
struct FieldError {
    std::string where;    ///< field name ("priority") or location ("plan.csv:7")
    std::string message;  ///< what is wrong and what is allowed
};

/// The one error type that crosses layers. `what()` is the public, user-safe detail;
/// `internalMessage()` may carry driver text for the log and is never shown to clients.
class Error : public std::runtime_error {
public:
    Error(ErrorCode code, std::string publicDetail, std::vector<FieldError> errors = {},
          std::string internalMessage = {});

    ErrorCode code() const noexcept { return code_; }
    const std::vector<FieldError>& errors() const noexcept { return errors_; }
    const std::string& internalMessage() const noexcept { return internal_; }

private:
    ErrorCode code_;
    std::vector<FieldError> errors_;
    std::string internal_;
};

/// Input breaks a rule; carries every problem found, not only the first.
class ValidationError : public Error {
public:
    explicit ValidationError(std::string detail, std::vector<FieldError> errors = {})
        : Error(ErrorCode::kValidation, std::move(detail), std::move(errors)) {}
};

class NotFoundError : public Error {
public:
    explicit NotFoundError(std::string detail) : Error(ErrorCode::kNotFound, std::move(detail)) {}
};

/// A duplicate natural key, or an optimistic-concurrency version mismatch (`stale` = true).
class ConflictError : public Error {
public:
    explicit ConflictError(std::string detail, bool stale = false, std::string internalMessage = {})
        : Error(ErrorCode::kConflict, std::move(detail), {}, std::move(internalMessage)), stale_(stale) {}
    bool stale() const noexcept { return stale_; }

private:
    bool stale_;
};

/// A status move the workflow table does not allow (SPEC 4.1); the detail names the current state and
/// the allowed next ones. HTTP 409, exit 2.
class InvalidTransitionError : public Error {
public:
    explicit InvalidTransitionError(std::string detail) : Error(ErrorCode::kInvalidTransition, std::move(detail)) {}
};

/// The actor may not do this (a missing role, not an owner, a group without the delegated power; the
/// detail names what is missing and, for powers, the group that holds it). HTTP 403, exit 2.
class ForbiddenError : public Error {
public:
    explicit ForbiddenError(std::string detail) : Error(ErrorCode::kForbidden, std::move(detail)) {}
};

/// No valid credentials: a wrong password, an unknown/expired/ended session, an unknown or revoked token,
/// a disabled account. The detail never says which (no account enumeration). HTTP 401.
class UnauthenticatedError : public Error {
public:
    explicit UnauthenticatedError(std::string detail, std::string internalMessage = {})
        : Error(ErrorCode::kUnauthenticated, std::move(detail), {}, std::move(internalMessage)) {}
};

/// Too many failed sign-ins for an account or an address; retryAfterSeconds says when to try again.
class TooManyRequestsError : public Error {
public:
    TooManyRequestsError(std::string detail, int retryAfterSeconds)
        : Error(ErrorCode::kTooManyRequests, std::move(detail)), retryAfterSeconds_(retryAfterSeconds) {}
    int retryAfterSeconds() const noexcept { return retryAfterSeconds_; }

private:
    int retryAfterSeconds_;
};

/// A state-changing request that must name the version it read (If-Match) did not. HTTP 428.
class PreconditionRequiredError : public Error {
public:
    explicit PreconditionRequiredError(std::string detail) : Error(ErrorCode::kPreconditionRequired, std::move(detail)) {}
};

/// A request body larger than the route accepts. HTTP 413.
class PayloadTooLargeError : public Error {
public:
    explicit PayloadTooLargeError(std::string detail) : Error(ErrorCode::kPayloadTooLarge, std::move(detail)) {}
};

class UnavailableError : public Error {
public:
    explicit UnavailableError(std::string detail, std::string internalMessage = {})
        : Error(ErrorCode::kUnavailable, std::move(detail), {}, std::move(internalMessage)) {}
};

}  // namespace govtrack::domain
