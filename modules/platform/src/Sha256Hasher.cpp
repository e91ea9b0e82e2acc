#include "govtrack/platform/Sha256Hasher.h"

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

namespace govtrack::platform {

std::string Sha256Hasher::sha256Hex(std::string_view data) {
    Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
    engine.update(data.data(), data.size());
    return Poco::DigestEngine::digestToHex(engine.digest());
}

}  // namespace govtrack::platform
