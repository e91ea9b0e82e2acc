#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "govtrack/domain/Accounts.h"
#include "govtrack/domain/Actor.h"
#include "govtrack/domain/Model.h"

/// The one policy (SPEC 4.9; issue 7): who may do what, and which rows they may see. Every HTTP route
/// names one Permission; the server checks it for the signed-in Principal before the handler runs, and
/// handlers ask canSee*() for each row (a row that may not be seen is "not found", never "forbidden",
/// so its existence is not disclosed). Pure: no I/O.
namespace govtrack::domain {

/// Coarse permissions a route requires. Roles grant them (permissionsOf); row rules narrow them.
enum class Permission {
    kSignedIn,        ///< any signed-in user: /me, sign-out
    kReadPlan,        ///< engagements, recommendations, actions (rows: canSeeAction)
    kReadReports,     ///< follow-up report, dashboard (whole-plan views)
    kReadGroups,      ///< governance groups and meeting packs (rows: canSeeGroup)
    kUpdateAction,    ///< progress updates, status moves, revised-date requests (rows: canSeeAction;
                      ///< the workflow table then decides which moves, ActionService)
    kDecideRevision,  ///< record a group's decision on a revised-date request (chair/secretary)
    kReadRisks,       ///< risk registers
    kManageRisks,     ///< risk changes and escalation decisions
    kChaseOwners,     ///< send action owners a reminder now (bulk chase from the tracker; SPEC 4.6)
    kManageUsers,     ///< accounts, roles, tokens of others; the reminder outbox
};
/// snake_case: "read_plan", "update_action", ...
std::string_view toString(Permission v) noexcept;

/// A governance group the principal's person belongs to (current groups only).
struct GroupMembership {
    Id groupId;
    std::string groupName;
    MemberRole role = MemberRole::kMember;

    friend bool operator==(const GroupMembership&, const GroupMembership&) = default;
};

/// How a request proved who it is.
enum class CredentialKind { kSession, kToken, kCommandLine };

/// Who is making a request: the account, the person it acts as, and what it may use. Built by
/// AccountService from a session cookie or an API token (a token narrows the roles to its scope).
struct Principal {
    Id userId;
    std::string username;
    std::string displayName;
    std::optional<Id> personId;           ///< nullopt: the account acts as no person (owns nothing)
    std::string personName;               ///< the person's role title, or empty
    std::vector<Role> roles;              ///< effective system roles, sorted
    std::vector<GroupMembership> groups;  ///< effective group memberships (empty without a person)
    /// The people this principal's person line-manages: they see (not change) those people's actions,
    /// because escalations and an inactive owner's reminders reach them (SPEC 4.6).
    std::vector<Id> directReports;
    CredentialKind via = CredentialKind::kSession;
    std::optional<std::string> csrfToken;  ///< kSession only

    bool has(Role role) const;
    /// The chair or secretary of the group with this id.
    bool isOfficerOf(const Id& groupId) const;
    bool isMemberOf(const Id& groupId) const;
    /// The Actor the domain services attribute changes to (the person, else "user NAME").
    Actor actor() const;
};

/// Every permission the principal holds, in enum order. Table (docs/security.md):
/// - any signed-in user: signed_in, read_plan (rows narrowed for non-staff), read_groups (rows narrowed)
/// - viewer: + read_reports, read_risks (changes nothing)
/// - auditor: + read_reports, read_risks, update_action (verify/reject; the workflow table decides)
/// - secretariat: + read_reports, read_risks, update_action, manage_risks
/// - admin: + read_reports, read_risks, manage_users
/// - a person (owner): + update_action (own and co-owned rows only)
/// - chair or secretary of a group: + decide_revision (that group only, within its powers), read_reports
std::vector<Permission> permissionsOf(const Principal& principal);
bool holds(const Principal& principal, Permission permission);

/// Staff (admin, secretariat, auditor, viewer) see every row; others see only what concerns them.
bool seesEverything(const Principal& principal);
/// The principal may see the action: staff; an owner or co-owner; a member of its responsible group; the
/// line manager of an owner or co-owner (Principal::directReports; seeing, not changing).
bool canSeeAction(const Principal& principal, const Action& action);
/// The principal may see the group: staff, or a member of it.
bool canSeeGroup(const Principal& principal, const Id& groupId);
/// The principal may change the action (progress, moves, revised-date requests): it must also be
/// visible. Owners/co-owners, the secretariat and auditors (the workflow table narrows further).
bool canUpdateAction(const Principal& principal, const Action& action);
/// Nobody moves an item where they could not see it afterwards (issue 7): `after` is the action as it
/// would be saved. Throws ForbiddenError naming the reason if the principal could not see `after`.
void requireStillVisible(const Principal& principal, const Action& after);

/// Throws ForbiddenError "you need the permission 'X' (held by: ...)" when the principal lacks it.
void requirePermission(const Principal& principal, Permission permission);

}  // namespace govtrack::domain
