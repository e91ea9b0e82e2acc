#pragma once

#include "ApiRequestHandler.h"

/// Sign-in routes (issue 7, docs/security.md).
namespace govtrack::http {

/// POST /api/v1/session {"username","password"} -> 200 {"user": me, "csrf_token"} and the session
/// cookie; 401 for any failure (one message: no account enumeration); 429 with Retry-After when the
/// account or address has failed too often.
class SignInHandler final : public ApiRequestHandler {
public:
    using ApiRequestHandler::ApiRequestHandler;

protected:
    void handle(Exchange& exchange) override;
};

/// DELETE /api/v1/session -> 204; ends the server-side session and clears the cookie.
class SignOutHandler final : public ApiRequestHandler {
public:
    using ApiRequestHandler::ApiRequestHandler;

protected:
    void handle(Exchange& exchange) override;
};

/// GET /api/v1/me -> {"username","display_name","person","roles","groups":[{"name","role"}],
/// "permissions","csrf_token","via"}.
class MeHandler final : public ApiRequestHandler {
public:
    using ApiRequestHandler::ApiRequestHandler;

protected:
    void handle(Exchange& exchange) override;
};

/// GET /api/v1/users (admins) -> {"items":[{"username","display_name","person","roles","disabled"}]}.
class UserListHandler final : public ApiRequestHandler {
public:
    using ApiRequestHandler::ApiRequestHandler;

protected:
    void handle(Exchange& exchange) override;
};

/// GET /api/v1/me/notifications?unread=true|false&limit=1-1000 (default 200) -> {"items":[{id, rule,
/// reference, title, due_date, days_overdue, as, owner_inactive, send_day, created_at, read}] (the newest
/// `limit`), "total" (all matching, not only those listed), "unread", "limit"}: the signed-in
/// person's in-app inbox, newest first, the same reminders as the mails (SPEC 4.6). Empty for an account
/// that acts as no person.
class NotificationListHandler final : public ApiRequestHandler {
public:
    using ApiRequestHandler::ApiRequestHandler;

protected:
    void handle(Exchange& exchange) override;
};

/// POST /api/v1/me/notifications/{id}/read -> 204; 404 if it is not one of the user's notifications.
class NotificationReadHandler final : public ApiRequestHandler {
public:
    using ApiRequestHandler::ApiRequestHandler;

protected:
    void handle(Exchange& exchange) override;
};

/// The JSON shape of a principal (GET /api/v1/me and the sign-in response's "user").
nlohmann::json principalJson(const domain::Principal& principal);

}  // namespace govtrack::http
