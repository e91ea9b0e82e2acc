#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "govtrack/domain/AuditTrail.h"

namespace govtrack::testing {

/// A stand-in hash for the domain's own tests (FNV-1a, 64 bits as hex): the logic under test does not
/// depend on which function it is; platform's Sha256Hasher is tested against the FIPS vectors.
class FakeHasher final : public domain::Hasher {
public:
    std::string sha256Hex(std::string_view data) override {
        std::uint64_t h = 1469598103934665603ull;
        for (unsigned char c : data) {
            h ^= c;
            h *= 1099511628211ull;
        }
        char buf[17];
        std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
        return buf;
    }
};

}  // namespace govtrack::testing
