#include "govtrack/domain/StoreTransfer.h"

#include "govtrack/domain/Error.h"

namespace govtrack::domain {

std::vector<TableCount> StoreContents::counts() const {
    std::int64_t risksLinked = 0, coOwners = 0, revisions = 0, roles = 0, members = 0, powers = 0, userRoles = 0;
    for (const auto& p : people) roles += static_cast<std::int64_t>(p.roles.size());
    for (const auto& u : users) userRoles += static_cast<std::int64_t>(u.roles.size());
    for (const auto& g : groups) {
        members += static_cast<std::int64_t>(g.members.size());
        powers += static_cast<std::int64_t>(g.powers.size());
    }
    for (const auto& r : recommendations) risksLinked += static_cast<std::int64_t>(r.linkedRiskReferences.size());
    for (const auto& a : actions) {
        coOwners += static_cast<std::int64_t>(a.coOwnerIds.size());
        revisions += static_cast<std::int64_t>(a.revisions.size());
    }
    auto n = [](const auto& v) { return static_cast<std::int64_t>(v.size()); };
    return {{"org_unit", n(units)},
            {"person", n(people)},
            {"person_role", roles},
            {"governance_group", n(groups)},
            {"group_member", members},
            {"group_power", powers},
            {"risk", n(risks)},
            {"engagement", n(engagements)},
            {"finding", n(findings)},
            {"recommendation", n(recommendations)},
            {"recommendation_risk", risksLinked},
            {"action", n(actions)},
            {"action_co_owner", coOwners},
            {"revised_target_date", revisions},
            {"progress_update", n(progressUpdates)},
            {"revision_request", n(revisionRequests)},
            {"evidence", n(evidence)},
            {"audit_event", n(events)},
            {"users", n(users)},
            {"user_roles", userRoles},
            {"api_tokens", n(apiTokens)}};
}

std::vector<TableCount> copyStore(StoreSession& from, StoreSession& to, bool force) {
    StoreTransfer* source = from.transfer();
    StoreTransfer* target = to.transfer();
    if (!source || !target) throw ValidationError("copy: this store does not support copying");

    const StoreContents contents = source->exportAll();
    const std::vector<TableCount> expected = contents.counts();
    const std::vector<TableCount> sourceCounts = source->countRows();
    if (sourceCounts != expected) {
        throw Error(ErrorCode::kInternal, "copy: the source changed while it was read; stop writers and try again");
    }
    to.transaction([&] {
        bool empty = true;
        for (const auto& c : target->countRows()) empty = empty && c.rows == 0;
        if (!empty) {
            if (!force) throw ConflictError("copy: the target already holds data; use --force to replace it");
            target->clearAll();
        }
        target->importAll(contents);
    });
    const std::vector<TableCount> copied = target->countRows();
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const std::int64_t got = i < copied.size() ? copied[i].rows : -1;
        if (i >= copied.size() || copied[i].table != expected[i].table || got != expected[i].rows) {
            throw Error(ErrorCode::kInternal, "copy: verification failed: table " + expected[i].table + " has " +
                                                  std::to_string(got) + " rows on the target, expected " +
                                                  std::to_string(expected[i].rows));
        }
    }
    return copied;
}

std::vector<TableCount> copyStore(StoreSession& from, StoreSession& to, bool force, Hasher& hasher) {
    std::vector<TableCount> copied = copyStore(from, to, force);
    const ChainCheck check = verifyChain(to.events(), hasher);
    if (check.firstBroken) {
        throw Error(ErrorCode::kInternal, "copy: the audit trail on the target does not verify: " + check.problem);
    }
    return copied;
}

}  // namespace govtrack::domain
