#pragma once

#include <string>
#include <string_view>

#include "govtrack/domain/AuditTrail.h"

namespace govtrack::platform {

/// SHA-256 (FIPS 180-4) as 64 lower-case hex digits, through Poco::SHA2Engine. Stateless per call, so one
/// instance may be shared by threads.
class Sha256Hasher final : public domain::Hasher {
public:
    std::string sha256Hex(std::string_view data) override;
};

}  // namespace govtrack::platform
