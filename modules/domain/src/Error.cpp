#include "govtrack/domain/Error.h"

namespace govtrack::domain {

const char* toString(ErrorCode code) noexcept {
    switch (code) {
        case ErrorCode::kValidation:
            return "validation";
        case ErrorCode::kNotFound:
            return "not_found";
        case ErrorCode::kConflict:
            return "conflict";
        case ErrorCode::kInvalidTransition:
            return "invalid_transition";
        case ErrorCode::kForbidden:
            return "forbidden";
        case ErrorCode::kUnavailable:
            return "unavailable";
        case ErrorCode::kInternal:
            return "internal";
        case ErrorCode::kUnauthenticated:
            return "unauthenticated";
        case ErrorCode::kTooManyRequests:
            return "too_many_requests";
        case ErrorCode::kPreconditionRequired:
            return "precondition_required";
        case ErrorCode::kPayloadTooLarge:
            return "payload_too_large";
    }
    return "internal";
}

Error::Error(ErrorCode code, std::string publicDetail, std::vector<FieldError> errors, std::string internalMessage)
    : std::runtime_error(std::move(publicDetail)),
      code_(code),
      errors_(std::move(errors)),
      internal_(std::move(internalMessage)) {}

}  // namespace govtrack::domain
