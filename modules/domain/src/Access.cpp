#include "govtrack/domain/Access.h"

#include <algorithm>
#include <array>
#include <utility>

#include "govtrack/domain/Error.h"

namespace govtrack::domain {
namespace {

constexpr std::array<std::pair<Permission, std::string_view>, 10> kPermissions{{
    {Permission::kSignedIn, "signed_in"},
    {Permission::kReadPlan, "read_plan"},
    {Permission::kReadReports, "read_reports"},
    {Permission::kReadGroups, "read_groups"},
    {Permission::kUpdateAction, "update_action"},
    {Permission::kDecideRevision, "decide_revision"},
    {Permission::kReadRisks, "read_risks"},
    {Permission::kManageRisks, "manage_risks"},
    {Permission::kChaseOwners, "chase_owners"},
    {Permission::kManageUsers, "manage_users"},
}};

/// Who holds a permission, in words, for the 403 detail.
std::string_view holdersOf(Permission permission) {
    switch (permission) {
        case Permission::kSignedIn:
        case Permission::kReadPlan:
        case Permission::kReadGroups:
            return "any signed-in user";
        case Permission::kReadReports:
            return "viewers, auditors, the secretariat, admins and group chairs and secretaries";
        case Permission::kUpdateAction:
            return "action owners, auditors and the secretariat";
        case Permission::kDecideRevision:
            return "the chair or secretary of a governance group";
        case Permission::kReadRisks:
            return "viewers, auditors, the secretariat and admins";
        case Permission::kManageRisks:
        case Permission::kChaseOwners:
            return "the secretariat";
        case Permission::kManageUsers:
            return "admins";
    }
    return "nobody";
}

bool isOwnerOf(const Principal& principal, const Action& action) {
    if (!principal.personId) return false;
    const Id& me = *principal.personId;
    if (action.leadOwnerId && *action.leadOwnerId == me) return true;
    return std::find(action.coOwnerIds.begin(), action.coOwnerIds.end(), me) != action.coOwnerIds.end();
}

bool isOfficerOfAny(const Principal& principal) {
    return std::any_of(principal.groups.begin(), principal.groups.end(), [](const GroupMembership& g) {
        return g.role == MemberRole::kChair || g.role == MemberRole::kSecretary;
    });
}

}  // namespace

std::string_view toString(Permission v) noexcept {
    for (const auto& [permission, name] : kPermissions) {
        if (permission == v) return name;
    }
    return "signed_in";
}

bool Principal::has(Role role) const {
    return std::find(roles.begin(), roles.end(), role) != roles.end();
}

bool Principal::isOfficerOf(const Id& groupId) const {
    return std::any_of(groups.begin(), groups.end(), [&](const GroupMembership& g) {
        return g.groupId == groupId && (g.role == MemberRole::kChair || g.role == MemberRole::kSecretary);
    });
}

bool Principal::isMemberOf(const Id& groupId) const {
    return std::any_of(groups.begin(), groups.end(), [&](const GroupMembership& g) { return g.groupId == groupId; });
}

Actor Principal::actor() const {
    if (personId) return Actor{personId, personName.empty() ? username : personName, roles};
    return Actor{std::nullopt, "user " + username, roles};
}

std::vector<Permission> permissionsOf(const Principal& p) {
    const bool admin = p.has(Role::kAdmin);
    const bool secretariat = p.has(Role::kSecretariat);
    const bool auditor = p.has(Role::kAuditor);
    const bool viewer = p.has(Role::kViewer);
    const bool person = p.personId.has_value();
    const bool officer = isOfficerOfAny(p);

    std::vector<Permission> out;
    for (const auto& [permission, name] : kPermissions) {
        bool granted = false;
        switch (permission) {
            case Permission::kSignedIn:
            case Permission::kReadPlan:
            case Permission::kReadGroups:
                granted = true;
                break;
            case Permission::kReadReports:
                granted = admin || secretariat || auditor || viewer || officer;
                break;
            case Permission::kUpdateAction:
                granted = secretariat || auditor || person;
                break;
            case Permission::kDecideRevision:
                granted = officer;
                break;
            case Permission::kReadRisks:
                granted = admin || secretariat || auditor || viewer;
                break;
            case Permission::kManageRisks:
            case Permission::kChaseOwners:
                granted = secretariat;
                break;
            case Permission::kManageUsers:
                granted = admin;
                break;
        }
        if (granted) out.push_back(permission);
    }
    return out;
}

bool holds(const Principal& principal, Permission permission) {
    const auto all = permissionsOf(principal);
    return std::find(all.begin(), all.end(), permission) != all.end();
}

bool seesEverything(const Principal& p) {
    return p.has(Role::kAdmin) || p.has(Role::kSecretariat) || p.has(Role::kAuditor) || p.has(Role::kViewer);
}

bool canSeeAction(const Principal& principal, const Action& action) {
    if (seesEverything(principal)) return true;
    if (isOwnerOf(principal, action)) return true;
    if (action.responsibleGroupId && principal.isMemberOf(*action.responsibleGroupId)) return true;
    // A line manager sees their reports' actions: the escalations in their inbox must open.
    const auto& reports = principal.directReports;
    auto reportsToMe = [&](const Id& owner) { return std::find(reports.begin(), reports.end(), owner) != reports.end(); };
    if (action.leadOwnerId && reportsToMe(*action.leadOwnerId)) return true;
    return std::any_of(action.coOwnerIds.begin(), action.coOwnerIds.end(), reportsToMe);
}

bool canSeeGroup(const Principal& principal, const Id& groupId) {
    return seesEverything(principal) || principal.isMemberOf(groupId);
}

bool canUpdateAction(const Principal& principal, const Action& action) {
    if (!canSeeAction(principal, action)) return false;
    return principal.has(Role::kSecretariat) || principal.has(Role::kAuditor) || isOwnerOf(principal, action);
}

void requireStillVisible(const Principal& principal, const Action& after) {
    if (!canSeeAction(principal, after)) {
        throw ForbiddenError("this change would move the action where you could not see it; ask the secretariat");
    }
}

void requirePermission(const Principal& principal, Permission permission) {
    if (holds(principal, permission)) return;
    throw ForbiddenError("You need the permission '" + std::string(toString(permission)) + "' (held by " +
                         std::string(holdersOf(permission)) + ").");
}

}  // namespace govtrack::domain
