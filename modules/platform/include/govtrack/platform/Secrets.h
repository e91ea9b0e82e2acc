#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "govtrack/domain/AccountService.h"

/// Password hashing and random secrets for sign-in (issue 7). Library choices: libargon2 (the reference
/// Argon2 implementation, Debian libargon2-dev) and the kernel CSPRNG via getrandom(2).
namespace govtrack::platform {

/// Argon2id cost parameters (configuration govtrack.auth.argon2.*). Defaults follow RFC 9106's
/// second recommended option (t=3, 64 MiB, p=4).
struct Argon2Parameters {
    std::uint32_t timeCost = 3;         ///< iterations
    std::uint32_t memoryKiB = 65536;    ///< memory in KiB
    std::uint32_t parallelism = 4;      ///< lanes
};

/// Argon2id password hasher: 16-byte random salt, 32-byte hash, PHC-encoded output. Verification reads
/// the parameters from the encoded hash, so changing the configuration does not lock anyone out.
class Argon2PasswordHasher final : public domain::PasswordHasher {
public:
    /// Throws domain::ValidationError if a parameter is outside what libargon2 accepts
    /// (timeCost >= 1, memoryKiB >= 8 * parallelism, parallelism 1..16).
    explicit Argon2PasswordHasher(Argon2Parameters parameters = {});
    std::string hash(std::string_view password) override;
    bool verify(const std::string& encoded, std::string_view password) override;

private:
    Argon2Parameters parameters_;
};

/// Random bytes from getrandom(2) as base64url text. Throws domain::UnavailableError if the kernel
/// cannot supply them.
class SystemSecretSource final : public domain::SecretSource {
public:
    std::string newSecret(std::size_t bytes) override;
};

/// Base64url (RFC 4648 section 5) without padding.
std::string base64Url(const unsigned char* data, std::size_t size);

}  // namespace govtrack::platform
