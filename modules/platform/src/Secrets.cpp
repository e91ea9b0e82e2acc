#include "govtrack/platform/Secrets.h"

#include <argon2.h>
#include <sys/random.h>

#include <cerrno>
#include <vector>

#include "govtrack/domain/Error.h"

namespace govtrack::platform {
namespace {

constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kHashBytes = 32;

void fillRandom(unsigned char* out, std::size_t size) {
    std::size_t done = 0;
    while (done < size) {
        const ssize_t got = ::getrandom(out + done, size - done, 0);
        if (got < 0) {
            if (errno == EINTR) continue;
            throw domain::UnavailableError("The system could not supply random numbers.", "getrandom failed");
        }
        done += static_cast<std::size_t>(got);
    }
}

}  // namespace

std::string base64Url(const unsigned char* data, std::size_t size) {
    static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    out.reserve((size * 4 + 2) / 3);
    std::size_t i = 0;
    for (; i + 3 <= size; i += 3) {
        const unsigned v = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += kAlphabet[(v >> 6) & 63];
        out += kAlphabet[v & 63];
    }
    if (size - i == 1) {
        const unsigned v = data[i] << 16;
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
    } else if (size - i == 2) {
        const unsigned v = (data[i] << 16) | (data[i + 1] << 8);
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += kAlphabet[(v >> 6) & 63];
    }
    return out;
}

Argon2PasswordHasher::Argon2PasswordHasher(Argon2Parameters parameters) : parameters_(parameters) {
    const auto& p = parameters_;
    if (p.timeCost < 1 || p.parallelism < 1 || p.parallelism > 16 || p.memoryKiB < 8 * p.parallelism ||
        p.memoryKiB > 4u * 1024 * 1024) {
        throw domain::ValidationError(
            "Argon2 parameters out of range",
            {{"govtrack.auth.argon2", "time_cost >= 1, parallelism 1..16, memory_kib from 8 x parallelism to 4194304"}});
    }
}

std::string Argon2PasswordHasher::hash(std::string_view password) {
    unsigned char salt[kSaltBytes];
    fillRandom(salt, sizeof salt);
    const auto& p = parameters_;
    const std::size_t length =
        argon2_encodedlen(p.timeCost, p.memoryKiB, p.parallelism, kSaltBytes, kHashBytes, Argon2_id);
    std::vector<char> encoded(length);
    const int rc = argon2id_hash_encoded(p.timeCost, p.memoryKiB, p.parallelism, password.data(), password.size(),
                                         salt, sizeof salt, kHashBytes, encoded.data(), encoded.size());
    if (rc != ARGON2_OK) {
        throw domain::Error(domain::ErrorCode::kInternal, "Internal error", {},
                            std::string("argon2id_hash_encoded: ") + argon2_error_message(rc));
    }
    return std::string(encoded.data());
}

bool Argon2PasswordHasher::verify(const std::string& encoded, std::string_view password) {
    if (encoded.rfind("$argon2id$", 0) != 0) return false;
    return argon2id_verify(encoded.c_str(), password.data(), password.size()) == ARGON2_OK;
}

std::string SystemSecretSource::newSecret(std::size_t bytes) {
    std::vector<unsigned char> buffer(bytes);
    fillRandom(buffer.data(), buffer.size());
    return base64Url(buffer.data(), buffer.size());
}

}  // namespace govtrack::platform
