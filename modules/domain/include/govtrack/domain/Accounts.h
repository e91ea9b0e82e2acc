#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "govtrack/domain/Model.h"

/// Sign-in records (SPEC 1, 4.9): local user accounts, API tokens for scripts and server-side web
/// sessions. Plain values plus their storage port; the rules are in AccountService.h and Access.h.
/// Secrets are never stored: a password as an Argon2id encoded hash, a token or session cookie as
/// the SHA-256 hex of its random value.
namespace govtrack::domain {

/// A local user account. The username is the natural key, stored lower-case (see normaliseUsername).
struct UserAccount {
    Id id;
    std::string username;         ///< lower-case, 1..64 of a-z 0-9 . _ - @
    std::string displayName;      ///< shown in the UI; defaults to the person's role title or the username
    std::optional<Id> personId;   ///< the person this account acts as (owner of their actions, member of their groups)
    std::vector<Role> roles;      ///< granted system roles, sorted, no repeats
    bool disabled = false;        ///< a disabled account cannot sign in; its sessions and tokens stop working
    std::string passwordHash;     ///< Argon2id encoded string ("$argon2id$v=19$..."); empty: no password set
    std::string createdAt;        ///< UTC instant "2026-01-05T12:00:00Z"
    int version = 0;              ///< optimistic version; 0 = not yet stored

    friend bool operator==(const UserAccount&, const UserAccount&) = default;
};

/// What an API token may do: act as the account's person only ("owner"), or with one of the
/// account's system roles (and nothing more). SPEC 4.9; issue 7 "scoped to a role".
enum class TokenScope { kOwner, kViewer, kAuditor, kSecretariat, kAdmin };
std::string_view toString(TokenScope v) noexcept;
/// nullopt for any other text. Allowed: owner, viewer, auditor, secretariat, admin.
std::optional<TokenScope> parseTokenScope(std::string_view text) noexcept;
/// "owner, viewer, auditor, secretariat, admin" -- for error messages.
std::string allowedTokenScopes();

/// An API token for scripts: sent as "Authorization: Bearer gt_...". Shown once when created.
struct ApiToken {
    Id id;
    Id userId;
    std::string name;         ///< label given at creation, e.g. "nightly export"
    std::string secretHash;   ///< SHA-256 hex of the token text; unique
    TokenScope scope = TokenScope::kViewer;
    std::string createdAt;    ///< UTC instant
    std::optional<std::string> revokedAt;
    std::optional<std::string> lastUsedAt;

    friend bool operator==(const ApiToken&, const ApiToken&) = default;
};

/// A signed-in browser session (cookie govtrack_session). Idle and absolute expiry are checked
/// against lastSeenAt and createdAt by the caller (AccountService).
struct WebSession {
    std::string idHash;       ///< SHA-256 hex of the cookie value; primary key
    Id userId;
    std::string csrfToken;    ///< random; the client echoes it in X-CSRF-Token on state-changing requests
    std::string createdAt;    ///< UTC instant
    std::string lastSeenAt;   ///< UTC instant, refreshed at most once a minute
    std::optional<std::string> endedAt;  ///< signed out, or ended by disable/reset-password
    std::string sourceAddress;           ///< client address at sign-in, for the audit trail

    friend bool operator==(const WebSession&, const WebSession&) = default;
};

/// Storage port for accounts, tokens and sessions (a repository of StoreSession::accounts()).
class AccountRepository {
public:
    virtual ~AccountRepository() = default;

    virtual std::optional<UserAccount> findUserById(const Id& id) = 0;
    /// Exact match on the stored (lower-case) username.
    virtual std::optional<UserAccount> findUserByUsername(const std::string& username) = 0;
    /// Ordered by username.
    virtual std::vector<UserAccount> listUsers() = 0;
    /// Insert (version 0 -> stored as 1) or update where the stored version equals user.version
    /// (then bumped). Throws ConflictError for a duplicate username, ConflictError(stale) for a
    /// version mismatch.
    virtual void saveUser(const UserAccount& user) = 0;

    /// Throws ConflictError for a duplicate secretHash.
    virtual void addToken(const ApiToken& token) = 0;
    virtual std::optional<ApiToken> findTokenByHash(const std::string& secretHash) = 0;
    virtual std::optional<ApiToken> findTokenById(const Id& id) = 0;
    /// A user's tokens, oldest first (revoked ones included).
    virtual std::vector<ApiToken> listTokens(const Id& userId) = 0;
    /// Updates revokedAt and lastUsedAt of an existing token (other fields never change).
    virtual void updateToken(const ApiToken& token) = 0;

    virtual void addSession(const WebSession& session) = 0;
    virtual std::optional<WebSession> findSession(const std::string& idHash) = 0;
    /// Sets lastSeenAt of one session.
    virtual void touchSession(const std::string& idHash, const std::string& lastSeenAt) = 0;
    /// Sets endedAt of one session if it has none.
    virtual void endSession(const std::string& idHash, const std::string& endedAt) = 0;
    /// Ends every open session of a user (disable, password reset); returns how many were ended.
    virtual int endSessionsOfUser(const Id& userId, const std::string& endedAt) = 0;
};

}  // namespace govtrack::domain
