#pragma once

#include "govtrack/domain/Repositories.h"

namespace govtrack::platform {

/// Random (version 4) UUIDs as lower-case text, e.g. "3f2b...". Thread-safe. Uses Poco::UUIDGenerator.
class UuidGenerator final : public domain::IdGenerator {
public:
    domain::Id next() override;
};

}  // namespace govtrack::platform
