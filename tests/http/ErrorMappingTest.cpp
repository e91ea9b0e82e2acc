#include <gtest/gtest.h>

#include "govtrack/http/ErrorMapping.h"

namespace govtrack::http {
namespace {

TEST(ErrorMapping, MapsEveryDomainCodeToOneStatus) {
    EXPECT_EQ(httpStatusFor(domain::ErrorCode::kValidation), 400);
    EXPECT_EQ(httpStatusFor(domain::ErrorCode::kNotFound), 404);
    EXPECT_EQ(httpStatusFor(domain::ErrorCode::kConflict), 409);
    EXPECT_EQ(httpStatusFor(domain::ErrorCode::kInvalidTransition), 409);
    EXPECT_EQ(httpStatusFor(domain::ErrorCode::kForbidden), 403);
    EXPECT_EQ(httpStatusFor(domain::ErrorCode::kUnavailable), 503);
    EXPECT_EQ(httpStatusFor(domain::ErrorCode::kInternal), 500);
    EXPECT_EQ(httpStatusFor(domain::ErrorCode::kUnauthenticated), 401);
    EXPECT_EQ(httpStatusFor(domain::ErrorCode::kTooManyRequests), 429);
    EXPECT_EQ(httpStatusFor(domain::ErrorCode::kPreconditionRequired), 428);
    EXPECT_EQ(httpStatusFor(domain::ErrorCode::kPayloadTooLarge), 413);
}

TEST(ErrorMapping, StaleConflictIsPreconditionFailed) {
    EXPECT_EQ(httpStatusFor(domain::ConflictError("changed by someone else", true)), 412);
    EXPECT_EQ(httpStatusFor(domain::ConflictError("duplicate reference")), 409);
    EXPECT_EQ(httpStatusFor(domain::ValidationError("bad")), 400);
    EXPECT_EQ(httpStatusFor(domain::NotFoundError("gone")), 404);
    EXPECT_EQ(httpStatusFor(domain::UnavailableError("down")), 503);
}

TEST(ErrorMapping, TitlesAndTypes) {
    EXPECT_EQ(problemTitleFor(404), "Not Found");
    EXPECT_EQ(problemTitleFor(405), "Method Not Allowed");
    EXPECT_EQ(problemTitleFor(412), "Precondition Failed");
    EXPECT_EQ(problemTitleFor(599), "Error");
    EXPECT_EQ(problemTypeFor("not_found"), "urn:govtrack:problem:not_found");
}

}  // namespace
}  // namespace govtrack::http
