#include "govtrack/domain/Repositories.h"

namespace govtrack::domain {

std::optional<Engagement> findEngagement(EngagementRepository& engagements, const std::string& reference) {
    if (auto exact = engagements.findByReference(reference)) return exact;
    const std::string wanted = foldNaturalKey(reference);
    for (auto& engagement : engagements.list()) {
        if (foldNaturalKey(engagement.reference) == wanted) return engagement;
    }
    return std::nullopt;
}

}  // namespace govtrack::domain
