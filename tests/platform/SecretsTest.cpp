// Argon2id hashing through libargon2 and random secrets from getrandom(2).
#include <set>

#include <gtest/gtest.h>

#include "govtrack/domain/Error.h"
#include "govtrack/platform/Secrets.h"

namespace p = govtrack::platform;

TEST(Argon2PasswordHasher, HashesAreSaltedArgon2idAndVerifyOnlyTheRightPassword) {
    p::Argon2PasswordHasher hasher(p::Argon2Parameters{1, 1024, 1});
    const auto a = hasher.hash("correct horse battery staple");
    const auto b = hasher.hash("correct horse battery staple");
    EXPECT_EQ(a.rfind("$argon2id$v=19$m=1024,t=1,p=1$", 0), 0u) << a;
    EXPECT_NE(a, b) << "a fresh salt each time";
    EXPECT_TRUE(hasher.verify(a, "correct horse battery staple"));
    EXPECT_TRUE(hasher.verify(b, "correct horse battery staple"));
    EXPECT_FALSE(hasher.verify(a, "correct horse battery stapler"));
    EXPECT_FALSE(hasher.verify("not a hash", "x"));
    EXPECT_FALSE(hasher.verify("$argon2i$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaA", "x")) << "argon2id only";
}

TEST(Argon2PasswordHasher, VerifiesHashesMadeWithOtherParameters) {
    const auto old = p::Argon2PasswordHasher(p::Argon2Parameters{2, 2048, 2}).hash("s3cret password");
    EXPECT_TRUE(p::Argon2PasswordHasher(p::Argon2Parameters{1, 1024, 1}).verify(old, "s3cret password"));
}

TEST(Argon2PasswordHasher, RefusesParametersLibargon2Rejects) {
    EXPECT_THROW(p::Argon2PasswordHasher(p::Argon2Parameters{0, 1024, 1}), govtrack::domain::ValidationError);
    EXPECT_THROW(p::Argon2PasswordHasher(p::Argon2Parameters{1, 8, 4}), govtrack::domain::ValidationError);
    EXPECT_THROW(p::Argon2PasswordHasher(p::Argon2Parameters{1, 1024, 0}), govtrack::domain::ValidationError);
}

TEST(SystemSecretSource, GivesDistinctBase64UrlSecretsOfTheAskedSize) {
    p::SystemSecretSource source;
    std::set<std::string> seen;
    for (int i = 0; i < 100; ++i) {
        const auto secret = source.newSecret(32);
        EXPECT_EQ(secret.size(), 43u);  // 32 bytes -> 43 characters unpadded
        EXPECT_EQ(secret.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
                  std::string::npos);
        seen.insert(secret);
    }
    EXPECT_EQ(seen.size(), 100u);
}

TEST(Base64Url, MatchesRfc4648Vectors) {
    auto enc = [](const std::string& s) {
        return p::base64Url(reinterpret_cast<const unsigned char*>(s.data()), s.size());
    };
    EXPECT_EQ(enc(""), "");
    EXPECT_EQ(enc("f"), "Zg");
    EXPECT_EQ(enc("fo"), "Zm8");
    EXPECT_EQ(enc("foo"), "Zm9v");
    EXPECT_EQ(enc("foob"), "Zm9vYg");
    EXPECT_EQ(enc("fooba"), "Zm9vYmE");
    EXPECT_EQ(enc("foobar"), "Zm9vYmFy");
    EXPECT_EQ(enc("\xfb\xff"), "-_8");
}
