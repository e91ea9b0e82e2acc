#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "govtrack/domain/Model.h"

namespace govtrack::domain {

/// Who is doing something: a person (by id, named by role title) with their system roles, or the
/// system itself (an import, a scheduled job). Every change is attributed to an Actor (SPEC 4.8).
struct Actor {
    std::optional<Id> personId;  ///< nullopt for the system
    std::string name;            ///< role title, or e.g. "import plan.csv"
    std::vector<Role> roles;

    /// The system acting on its own (imports, migrations): holds no role.
    static Actor system(std::string name) { return Actor{std::nullopt, std::move(name), {}}; }
    /// A person acting with the roles recorded for them.
    static Actor of(const Person& person) { return Actor{person.id, person.roleTitle, person.roles}; }

    bool has(Role role) const { return std::find(roles.begin(), roles.end(), role) != roles.end(); }
};

}  // namespace govtrack::domain
