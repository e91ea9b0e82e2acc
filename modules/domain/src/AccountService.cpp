#include "govtrack/domain/AccountService.h"

#include <algorithm>
#include <cctype>

#include "govtrack/domain/AuditCodec.h"
#include "govtrack/domain/Authority.h"
#include "govtrack/domain/Error.h"

namespace govtrack::domain {
namespace {

constexpr std::size_t kMaxUsernameLength = 64;
constexpr std::size_t kMaxPasswordLength = 1024;  // Argon2 takes any length; bound the work per attempt
constexpr std::size_t kMaxDisplayNameLength = 200;
constexpr std::size_t kMaxTokenNameLength = 100;
constexpr std::size_t kGeneratedPasswordBytes = 15;  // 20 base64url characters, 120 bits
constexpr std::size_t kSessionSecretBytes = 32;
constexpr std::size_t kTokenSecretBytes = 32;
constexpr auto kTouchEvery = std::chrono::seconds{60};

const std::string kFailedSignIn = "The username or password is not right, or the account is disabled.";

std::optional<std::chrono::sys_seconds> parseUtc(const std::string& text) {
    // "YYYY-MM-DDTHH:MM:SSZ" as formatUtc writes it.
    if (text.size() != 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[19] != 'Z') return {};
    auto num = [&](std::size_t at, std::size_t len) {
        int v = 0;
        for (std::size_t i = at; i < at + len; ++i) {
            if (!std::isdigit(static_cast<unsigned char>(text[i]))) return -1;
            v = v * 10 + (text[i] - '0');
        }
        return v;
    };
    const int y = num(0, 4), mo = num(5, 2), d = num(8, 2), h = num(11, 2), mi = num(14, 2), s = num(17, 2);
    if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || s < 0) return {};
    const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(mo)},
                                          std::chrono::day{static_cast<unsigned>(d)}};
    if (!ymd.ok()) return {};
    return std::chrono::sys_days{ymd} + std::chrono::hours{h} + std::chrono::minutes{mi} + std::chrono::seconds{s};
}

std::string rolesText(const std::vector<Role>& roles) {
    std::string out;
    for (Role r : roles) {
        if (!out.empty()) out += ",";
        out += toString(r);
    }
    return out;
}

/// The account as an audit state: never the password hash.
std::string canonical(const UserAccount& u) {
    return "username=" + escapeCanonicalValue(u.username) + "\ndisplay_name=" + escapeCanonicalValue(u.displayName) +
           "\nperson=" + escapeCanonicalValue(u.personId.value_or("")) + "\nroles=" + rolesText(u.roles) +
           "\ndisabled=" + (u.disabled ? "true" : "false");
}

void checkPassword(const std::string& password) {
    if (password.size() < kMinPasswordLength || password.size() > kMaxPasswordLength) {
        throw ValidationError("password must be " + std::to_string(kMinPasswordLength) + " to " +
                                  std::to_string(kMaxPasswordLength) + " characters",
                              {{"password", "must be " + std::to_string(kMinPasswordLength) + " to " +
                                                std::to_string(kMaxPasswordLength) + " characters"}});
    }
}

void sortRoles(std::vector<Role>& roles) {
    std::sort(roles.begin(), roles.end());
    roles.erase(std::unique(roles.begin(), roles.end()), roles.end());
}

bool accountHolds(const UserAccount& user, TokenScope scope) {
    auto hasRole = [&](Role r) { return std::find(user.roles.begin(), user.roles.end(), r) != user.roles.end(); };
    switch (scope) {
        case TokenScope::kOwner:
            return user.personId.has_value();
        case TokenScope::kViewer:
            return hasRole(Role::kViewer) || hasRole(Role::kAuditor) || hasRole(Role::kSecretariat) ||
                   hasRole(Role::kAdmin);
        case TokenScope::kAuditor:
            return hasRole(Role::kAuditor);
        case TokenScope::kSecretariat:
            return hasRole(Role::kSecretariat);
        case TokenScope::kAdmin:
            return hasRole(Role::kAdmin);
    }
    return false;
}

}  // namespace

std::string normaliseUsername(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    const bool ok = !out.empty() && out.size() <= kMaxUsernameLength && std::all_of(out.begin(), out.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-' || c == '@';
    });
    if (!ok) {
        throw ValidationError("username must be 1 to 64 characters of a-z, 0-9, '.', '_', '-', '@'",
                              {{"username", "must be 1 to 64 characters of a-z, 0-9, '.', '_', '-', '@'"}});
    }
    return out;
}

std::string AccountService::nowText() const {
    return formatUtc(clock_.now());
}

UserAccount AccountService::requireUser(const std::string& username) {
    auto user = session_.accounts().findUserByUsername(normaliseUsername(username));
    if (!user) throw NotFoundError("No user is called '" + username + "'.");
    return *user;
}

void AccountService::recordUser(const Actor& actor, std::string_view change, const UserAccount& user,
                                std::string detail, const std::string& source) {
    std::string reason = std::move(detail);
    if (!source.empty()) reason += (reason.empty() ? "" : "; ") + std::string("from ") + source;
    audit_.record(actor, "user", user.id, change, {}, canonical(user), reason);
}

AccountService::CreatedUser AccountService::addUser(const Actor& actor, const NewUser& request,
                                                    const std::string& source) {
    CreatedUser created;
    UserAccount& user = created.user;
    user.username = normaliseUsername(request.username);
    if (request.displayName.size() > kMaxDisplayNameLength) {
        throw ValidationError("display name is longer than 200 characters",
                              {{"display_name", "at most 200 characters"}});
    }
    std::string password;
    if (request.password) {
        checkPassword(*request.password);
        password = *request.password;
    } else {
        password = secrets_.newSecret(kGeneratedPasswordBytes);
        created.oneTimePassword = password;
    }
    session_.transaction([&] {
        user.id = ids_.next();
        user.displayName = request.displayName;
        user.personId.reset();
        if (request.personRoleTitle) {
            auto person = session_.people().findByRoleTitle(*request.personRoleTitle);
            if (!person) {
                for (auto& p : session_.people().list()) {
                    if (foldNaturalKey(p.roleTitle) == foldNaturalKey(*request.personRoleTitle)) person = p;
                }
            }
            if (!person) {
                throw ValidationError("no person has the role title '" + *request.personRoleTitle + "'",
                                      {{"person", "must be the role title of a person in the plan"}});
            }
            user.personId = person->id;
            if (user.displayName.empty()) user.displayName = person->roleTitle;
        }
        if (user.displayName.empty()) user.displayName = user.username;
        user.roles = request.roles;
        sortRoles(user.roles);
        user.disabled = false;
        user.passwordHash = passwords_.hash(password);
        user.createdAt = nowText();
        user.version = 0;
        if (session_.accounts().findUserByUsername(user.username)) {
            throw ConflictError("user '" + user.username + "' already exists");
        }
        session_.accounts().saveUser(user);
        user.version = 1;
        recordUser(actor, "create", user, {}, source);
    });
    return created;
}

UserAccount AccountService::setDisabled(const Actor& actor, const std::string& username, bool disabled,
                                        const std::string& source) {
    UserAccount user;
    session_.transaction([&] {
        user = requireUser(username);
        user.disabled = disabled;
        session_.accounts().saveUser(user);
        ++user.version;
        if (disabled) session_.accounts().endSessionsOfUser(user.id, nowText());
        recordUser(actor, disabled ? "disable" : "enable", user, {}, source);
    });
    return user;
}

std::optional<std::string> AccountService::resetPassword(const Actor& actor, const std::string& username,
                                                         const std::optional<std::string>& password,
                                                         const std::string& source) {
    std::optional<std::string> generated;
    std::string chosen;
    if (password) {
        checkPassword(*password);
        chosen = *password;
    } else {
        chosen = secrets_.newSecret(kGeneratedPasswordBytes);
        generated = chosen;
    }
    session_.transaction([&] {
        UserAccount user = requireUser(username);
        user.passwordHash = passwords_.hash(chosen);
        session_.accounts().saveUser(user);
        ++user.version;
        session_.accounts().endSessionsOfUser(user.id, nowText());
        recordUser(actor, "reset_password", user, {}, source);
    });
    return generated;
}

UserAccount AccountService::setRole(const Actor& actor, const std::string& username, Role role, bool granted,
                                    const std::string& source) {
    UserAccount user;
    session_.transaction([&] {
        user = requireUser(username);
        if (granted) {
            user.roles.push_back(role);
        } else {
            user.roles.erase(std::remove(user.roles.begin(), user.roles.end(), role), user.roles.end());
        }
        sortRoles(user.roles);
        session_.accounts().saveUser(user);
        ++user.version;
        recordUser(actor, granted ? "grant" : "revoke", user, std::string(toString(role)), source);
    });
    return user;
}

UserAccount AccountService::setPerson(const Actor& actor, const std::string& username,
                                      const std::optional<std::string>& personRoleTitle, const std::string& source) {
    UserAccount user;
    session_.transaction([&] {
        user = requireUser(username);
        user.personId.reset();
        if (personRoleTitle) {
            std::optional<Person> person;
            for (auto& p : session_.people().list()) {
                if (foldNaturalKey(p.roleTitle) == foldNaturalKey(*personRoleTitle)) person = p;
            }
            if (!person) {
                throw ValidationError("no person has the role title '" + *personRoleTitle + "'",
                                      {{"person", "must be the role title of a person in the plan"}});
            }
            user.personId = person->id;
        }
        session_.accounts().saveUser(user);
        ++user.version;
        recordUser(actor, "link_person", user, {}, source);
    });
    return user;
}

AccountService::IssuedToken AccountService::createToken(const Actor& actor, const std::string& username,
                                                        const std::string& name, TokenScope scope,
                                                        const std::string& source) {
    if (name.empty() || name.size() > kMaxTokenNameLength ||
        std::any_of(name.begin(), name.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; })) {
        throw ValidationError("token name must be 1 to 100 characters on one line",
                              {{"name", "1 to 100 characters, no control characters"}});
    }
    IssuedToken issued;
    session_.transaction([&] {
        UserAccount user = requireUser(username);
        if (user.disabled) throw ValidationError("user '" + user.username + "' is disabled");
        if (!accountHolds(user, scope)) {
            throw ValidationError(
                "user '" + user.username + "' cannot have a token with scope '" + std::string(toString(scope)) + "': " +
                    (scope == TokenScope::kOwner ? "the account acts as no person"
                                                 : "the account does not hold that role"),
                {{"scope", "one of the account's roles, or owner for an account linked to a person"}});
        }
        issued.secret = std::string(kTokenPrefix) + secrets_.newSecret(kTokenSecretBytes);
        ApiToken& token = issued.token;
        token.id = ids_.next();
        token.userId = user.id;
        token.name = name;
        token.secretHash = hasher_.sha256Hex(issued.secret);
        token.scope = scope;
        token.createdAt = nowText();
        session_.accounts().addToken(token);
        recordUser(actor, "token_create", user,
                   "token " + token.id + " '" + name + "' scope " + std::string(toString(scope)), source);
    });
    return issued;
}

ApiToken AccountService::revokeToken(const Actor& actor, const std::string& tokenId, const std::string& source) {
    ApiToken token;
    session_.transaction([&] {
        auto found = session_.accounts().findTokenById(tokenId);
        if (!found && tokenId.size() >= 8) {
            std::optional<ApiToken> match;
            int matches = 0;
            for (const auto& user : session_.accounts().listUsers()) {
                for (const auto& t : session_.accounts().listTokens(user.id)) {
                    if (t.id.rfind(tokenId, 0) == 0) {
                        match = t;
                        ++matches;
                    }
                }
            }
            if (matches == 1) found = match;
        }
        if (!found) throw NotFoundError("No API token has the id '" + tokenId + "'.");
        token = *found;
        if (!token.revokedAt) {
            token.revokedAt = nowText();
            session_.accounts().updateToken(token);
        }
        auto user = session_.accounts().findUserById(token.userId);
        if (user) recordUser(actor, "token_revoke", *user, "token " + token.id + " '" + token.name + "'", source);
    });
    return token;
}

AccountService::SignedIn AccountService::signIn(const std::string& username, const std::string& password,
                                                const std::string& source) {
    std::string name;
    try {
        name = normaliseUsername(username);
    } catch (const ValidationError&) {
        throw UnauthenticatedError(kFailedSignIn, "malformed username");
    }
    SignedIn result;
    bool failed = false;
    std::string failure;
    session_.transaction([&] {
        failed = false;
        auto user = session_.accounts().findUserByUsername(name);
        const bool passwordOk = user && password.size() <= kMaxPasswordLength && !user->passwordHash.empty() &&
                                passwords_.verify(user->passwordHash, password);
        if (!user) {
            // Spend the same work as a real check, so the answer time does not tell which usernames exist.
            (void)passwords_.hash(password.substr(0, kMaxPasswordLength));
            // Record the attempt against no account; the username goes into the reason (it is not a secret).
            audit_.record(Actor::system("sign-in"), "user", "", "sign_in_failed", {}, {},
                          "unknown username '" + name + "' from " + source);
            failed = true;
            failure = "unknown username";
            return;
        }
        if (!passwordOk || user->disabled) {
            recordUser(Actor{user->personId, "user " + user->username, {}}, "sign_in_failed", *user,
                       user->disabled ? "account disabled" : "wrong password", source);
            failed = true;
            failure = user->disabled ? "disabled" : "wrong password";
            return;
        }
        result.cookieValue = secrets_.newSecret(kSessionSecretBytes);
        WebSession& web = result.session;
        web.idHash = hasher_.sha256Hex(result.cookieValue);
        web.userId = user->id;
        web.csrfToken = secrets_.newSecret(kSessionSecretBytes);
        web.createdAt = nowText();
        web.lastSeenAt = web.createdAt;
        web.sourceAddress = source;
        session_.accounts().addSession(web);
        recordUser(Actor{user->personId, "user " + user->username, user->roles}, "sign_in", *user, {}, source);
        result.principal = principalFor(*user, CredentialKind::kSession);
        result.principal.csrfToken = web.csrfToken;
    });
    if (failed) throw UnauthenticatedError(kFailedSignIn, failure);
    return result;
}

void AccountService::signOut(const std::string& cookieValue, const std::string& source) {
    const std::string idHash = hasher_.sha256Hex(cookieValue);
    session_.transaction([&] {
        auto web = session_.accounts().findSession(idHash);
        if (!web || web->endedAt) return;
        session_.accounts().endSession(idHash, nowText());
        if (auto user = session_.accounts().findUserById(web->userId)) {
            recordUser(Actor{user->personId, "user " + user->username, user->roles}, "sign_out", *user, {}, source);
        }
    });
}

std::optional<Principal> AccountService::principalForSession(const std::string& cookieValue) {
    if (cookieValue.empty() || cookieValue.size() > 256) return std::nullopt;
    const std::string idHash = hasher_.sha256Hex(cookieValue);
    auto web = session_.accounts().findSession(idHash);
    if (!web || web->endedAt) return std::nullopt;
    const auto now = clock_.now();
    const auto created = parseUtc(web->createdAt);
    const auto seen = parseUtc(web->lastSeenAt);
    if (!created || !seen) return std::nullopt;
    if (now - *created >= policy_.absolute || now - *seen >= policy_.idle) return std::nullopt;
    auto user = session_.accounts().findUserById(web->userId);
    if (!user || user->disabled) return std::nullopt;
    if (now - *seen >= kTouchEvery) session_.accounts().touchSession(idHash, nowText());
    Principal principal = principalFor(*user, CredentialKind::kSession);
    principal.csrfToken = web->csrfToken;
    return principal;
}

std::optional<Principal> AccountService::principalForToken(const std::string& tokenText) {
    if (tokenText.rfind(kTokenPrefix, 0) != 0 || tokenText.size() > 256) return std::nullopt;
    auto token = session_.accounts().findTokenByHash(hasher_.sha256Hex(tokenText));
    if (!token || token->revokedAt) return std::nullopt;
    auto user = session_.accounts().findUserById(token->userId);
    if (!user || user->disabled || !accountHolds(*user, token->scope)) return std::nullopt;
    const auto now = clock_.now();
    const auto lastUsed = token->lastUsedAt ? parseUtc(*token->lastUsedAt) : std::nullopt;
    if (!lastUsed || now - *lastUsed >= kTouchEvery) {
        token->lastUsedAt = nowText();
        session_.accounts().updateToken(*token);
    }
    Principal principal = principalFor(*user, CredentialKind::kToken);
    switch (token->scope) {
        case TokenScope::kOwner:
            principal.roles.clear();
            break;
        case TokenScope::kViewer:
            principal.roles = {Role::kViewer};
            break;
        case TokenScope::kAuditor:
            principal.roles = {Role::kAuditor};
            break;
        case TokenScope::kSecretariat:
            principal.roles = {Role::kSecretariat};
            break;
        case TokenScope::kAdmin:
            principal.roles = {Role::kAdmin};
            break;
    }
    if (token->scope != TokenScope::kOwner) {
        // A role-scoped token acts with that role only, not as the account's person.
        principal.personId.reset();
        principal.personName.clear();
        principal.groups.clear();
        principal.directReports.clear();
    }
    return principal;
}

Principal AccountService::principalFor(const UserAccount& user, CredentialKind via) {
    Principal p;
    p.userId = user.id;
    p.username = user.username;
    p.displayName = user.displayName;
    p.personId = user.personId;
    p.roles = user.roles;
    sortRoles(p.roles);
    p.via = via;
    if (user.personId) {
        if (auto person = session_.people().findById(*user.personId)) p.personName = person->roleTitle;
        p.directReports = session_.people().listDirectReports(*user.personId);
        const Date today = clock_.today();
        const GroupChart chart(session_.groups().list());
        for (const auto& group : chart.groups()) {
            if (group.supersededById || !chart.isEffectiveOn(group, today)) continue;
            for (const auto& member : group.members) {
                if (member.personId == *user.personId) p.groups.push_back({group.id, group.name, member.role});
            }
        }
    }
    return p;
}

}  // namespace govtrack::domain
