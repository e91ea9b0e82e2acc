#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "govtrack/domain/Access.h"
#include "govtrack/domain/Accounts.h"
#include "govtrack/domain/AuditTrail.h"
#include "govtrack/domain/Clock.h"
#include "govtrack/domain/Repositories.h"

/// Accounts, sign-in, sessions and API tokens (issue 7; SPEC 4.9). Every change and every sign-in
/// attempt is an audit event (entity "user"; changes "create", "disable", "enable", "reset_password",
/// "grant", "revoke", "sign_in", "sign_in_failed", "sign_out", "token_create", "token_revoke") whose
/// reason names the source address; no event ever holds a password, a token or a session id.
namespace govtrack::domain {

/// Password hashing port (platform: Argon2id via libargon2).
class PasswordHasher {
public:
    virtual ~PasswordHasher() = default;
    /// An encoded hash ("$argon2id$v=19$m=...,t=...,p=...$salt$hash") with a fresh random salt.
    virtual std::string hash(std::string_view password) = 0;
    /// True if `password` matches `encoded`; false for a mismatch or a malformed hash.
    virtual bool verify(const std::string& encoded, std::string_view password) = 0;
};

/// Unpredictable secrets (platform: the kernel's CSPRNG).
class SecretSource {
public:
    virtual ~SecretSource() = default;
    /// `bytes` random bytes as base64url text without padding.
    virtual std::string newSecret(std::size_t bytes) = 0;
};

/// Session lifetimes (configuration govtrack.auth.session_idle_minutes / session_absolute_hours).
struct SessionPolicy {
    std::chrono::seconds idle{std::chrono::minutes{30}};  ///< ends after this long without a request
    std::chrono::seconds absolute{std::chrono::hours{12}};  ///< ends this long after sign-in regardless
};

/// Minimum password length for passwords chosen by people (generated ones are longer).
inline constexpr std::size_t kMinPasswordLength = 12;
/// Prefix of API token texts, so they are recognisable in logs and secret scanners.
inline constexpr std::string_view kTokenPrefix = "gt_";

/// Lower-cases and checks a username: 1..64 characters of a-z 0-9 . _ - @. Throws ValidationError
/// naming the field "username" and the allowed characters.
std::string normaliseUsername(std::string_view text);

class AccountService {
public:
    AccountService(StoreSession& session, AuditTrail& audit, const Clock& clock, IdGenerator& ids, Hasher& hasher,
                   PasswordHasher& passwords, SecretSource& secrets, SessionPolicy policy = {})
        : session_(session),
          audit_(audit),
          clock_(clock),
          ids_(ids),
          hasher_(hasher),
          passwords_(passwords),
          secrets_(secrets),
          policy_(policy) {}

    struct NewUser {
        std::string username;
        std::string displayName;                   ///< empty: the person's role title, else the username
        std::optional<std::string> personRoleTitle;  ///< the person the account acts as (must exist)
        std::vector<Role> roles;
        std::optional<std::string> password;  ///< nullopt: a one-time password is generated and returned
    };
    struct CreatedUser {
        UserAccount user;
        std::optional<std::string> oneTimePassword;  ///< set when generated; shown once, never stored
    };

    /// Creates an account. Throws ValidationError (bad username, short password, unknown person),
    /// ConflictError (username taken).
    CreatedUser addUser(const Actor& actor, const NewUser& request, const std::string& source);
    /// Disables (or enables) an account; disabling ends its sessions (its tokens stop working too).
    UserAccount setDisabled(const Actor& actor, const std::string& username, bool disabled, const std::string& source);
    /// Sets a new password (nullopt: generates one, returned); ends the account's sessions.
    std::optional<std::string> resetPassword(const Actor& actor, const std::string& username,
                                             const std::optional<std::string>& password, const std::string& source);
    /// Grants or revokes a system role.
    UserAccount setRole(const Actor& actor, const std::string& username, Role role, bool granted,
                        const std::string& source);
    /// Links the account to a person (by role title) or unlinks it (nullopt).
    UserAccount setPerson(const Actor& actor, const std::string& username,
                          const std::optional<std::string>& personRoleTitle, const std::string& source);

    struct IssuedToken {
        ApiToken token;
        std::string secret;  ///< "gt_..." -- shown once
    };
    /// A new API token for `username`. A role scope must be a role the account holds; the owner scope
    /// needs a linked person. Throws ValidationError otherwise.
    IssuedToken createToken(const Actor& actor, const std::string& username, const std::string& name,
                            TokenScope scope, const std::string& source);
    /// Revokes a token by id (or unique id prefix of at least 8 characters). NotFoundError if none.
    ApiToken revokeToken(const Actor& actor, const std::string& tokenId, const std::string& source);

    struct SignedIn {
        std::string cookieValue;  ///< the session secret for the cookie; never stored
        WebSession session;
        Principal principal;
    };
    /// Checks the password; on success stores a new session. Throws UnauthenticatedError with one
    /// detail for every failure (unknown user, wrong password, disabled) after recording the attempt.
    SignedIn signIn(const std::string& username, const std::string& password, const std::string& source);
    /// Ends the session of this cookie value (no error if it is unknown or already ended).
    void signOut(const std::string& cookieValue, const std::string& source);

    /// The principal of a session cookie, or nullopt if it is unknown, ended, idle too long, past its
    /// absolute lifetime, or its account is disabled. Refreshes lastSeenAt at most once a minute.
    std::optional<Principal> principalForSession(const std::string& cookieValue);
    /// The principal of an API token text, or nullopt if unknown, revoked, or its account disabled
    /// (or no longer holds the scope's role). Records lastUsedAt at most once a minute.
    std::optional<Principal> principalForToken(const std::string& tokenText);
    /// The principal of an account with all its roles (command line use, tests).
    Principal principalFor(const UserAccount& user, CredentialKind via);

private:
    UserAccount requireUser(const std::string& username);
    void recordUser(const Actor& actor, std::string_view change, const UserAccount& user, std::string detail,
                    const std::string& source);
    std::string nowText() const;

    StoreSession& session_;
    AuditTrail& audit_;
    const Clock& clock_;
    IdGenerator& ids_;
    Hasher& hasher_;
    PasswordHasher& passwords_;
    SecretSource& secrets_;
    SessionPolicy policy_;
};

}  // namespace govtrack::domain
