#include "govtrack/domain/Repositories.h"

#include "govtrack/domain/Accounts.h"
#include "govtrack/domain/Error.h"

namespace govtrack::domain {

std::optional<Engagement> findEngagement(EngagementRepository& engagements, const std::string& reference) {
    if (auto exact = engagements.findByReference(reference)) return exact;
    const std::string wanted = foldNaturalKey(reference);
    for (auto& engagement : engagements.list()) {
        if (foldNaturalKey(engagement.reference) == wanted) return engagement;
    }
    return std::nullopt;
}

AccountRepository& StoreSession::accounts() {
    throw UnavailableError("This data store keeps no user accounts.", "StoreSession::accounts not implemented");
}

}  // namespace govtrack::domain
