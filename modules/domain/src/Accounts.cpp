#include "govtrack/domain/Accounts.h"

#include <array>
#include <utility>

namespace govtrack::domain {
namespace {

constexpr std::array<std::pair<TokenScope, std::string_view>, 5> kScopes{{{TokenScope::kOwner, "owner"},
                                                                          {TokenScope::kViewer, "viewer"},
                                                                          {TokenScope::kAuditor, "auditor"},
                                                                          {TokenScope::kSecretariat, "secretariat"},
                                                                          {TokenScope::kAdmin, "admin"}}};

}  // namespace

std::string_view toString(TokenScope v) noexcept {
    for (const auto& [scope, name] : kScopes) {
        if (scope == v) return name;
    }
    return "owner";
}

std::optional<TokenScope> parseTokenScope(std::string_view text) noexcept {
    for (const auto& [scope, name] : kScopes) {
        if (name == text) return scope;
    }
    return std::nullopt;
}

std::string allowedTokenScopes() {
    std::string out;
    for (const auto& [scope, name] : kScopes) {
        if (!out.empty()) out += ", ";
        out += name;
    }
    return out;
}

}  // namespace govtrack::domain
