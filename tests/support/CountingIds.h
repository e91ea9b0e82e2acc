#pragma once

#include <atomic>
#include <string>

#include "govtrack/domain/Repositories.h"

namespace govtrack::test {

/// Deterministic ids for tests: "id-1", "id-2", ...
class CountingIds final : public domain::IdGenerator {
public:
    domain::Id next() override { return "id-" + std::to_string(++n_); }

private:
    std::atomic<int> n_{0};
};

}  // namespace govtrack::test
