#include "govtrack/platform/UuidGenerator.h"

#include <Poco/UUIDGenerator.h>

namespace govtrack::platform {

domain::Id UuidGenerator::next() {
    // Poco's default generator is a process-wide singleton guarded by its own mutex.
    return Poco::UUIDGenerator::defaultGenerator().createRandom().toString();
}

}  // namespace govtrack::platform
