#include "AuthHandlers.h"

#include <cctype>

#include <Poco/Net/NameValueCollection.h>

#include "govtrack/domain/Error.h"
#include "govtrack/domain/ReminderService.h"

#include "JsonBody.h"
#include "QueryParameters.h"

namespace govtrack::http {
namespace {

std::string cookieHeader(const Exchange& exchange, const std::string& value, bool clear) {
    std::string header = std::string(kSessionCookie) + "=" + value + "; Path=/; HttpOnly; SameSite=Lax";
    if (clear) header += "; Max-Age=0";
    if (!exchange.services().config.tlsCertificate.empty()) header += "; Secure";
    return header;
}

}  // namespace

nlohmann::json principalJson(const domain::Principal& p) {
    nlohmann::json roles = nlohmann::json::array(), groups = nlohmann::json::array(),
                   permissions = nlohmann::json::array();
    for (auto role : p.roles) roles.push_back(std::string(domain::toString(role)));
    if (p.personId) roles.push_back("owner");
    for (const auto& g : p.groups) {
        groups.push_back({{"name", g.groupName}, {"role", std::string(domain::toString(g.role))}});
    }
    for (auto permission : domain::permissionsOf(p)) permissions.push_back(std::string(domain::toString(permission)));
    return {{"username", p.username},
            {"display_name", p.displayName},
            {"person", p.personId ? nlohmann::json(p.personName) : nlohmann::json(nullptr)},
            {"roles", roles},
            {"groups", groups},
            {"permissions", permissions},
            {"via", p.via == domain::CredentialKind::kToken ? "token" : "session"}};
}

void SignInHandler::handle(Exchange& exchange) {
    QueryParameters query(exchange.rawQuery(), {});
    query.throwIfInvalid();
    // Open to anyone: a username and a password need no more than a few KiB.
    const auto body = exchange.jsonBody(16 * 1024);
    const std::string username = requiredText(body, "username");
    const std::string password = requiredText(body, "password");
    const std::string address = exchange.clientAddress();
    const auto& services = exchange.services();
    // The throttle counts the account as sign-in matches it: case-insensitively ("OWNER" is "owner").
    std::string account = username.substr(0, 64);
    for (char& c : account) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (const int wait = services.throttle.retryAfter(account, address, services.clock.now()); wait > 0) {
        throw domain::TooManyRequestsError(
            "Too many failed sign-ins for this account or from this address; try "
            "again in " +
                std::to_string(wait) + " seconds.",
            wait);
    }
    domain::AccountService::SignedIn signedIn;
    try {
        signedIn = exchange.accounts().signIn(username, password, address);
    } catch (const domain::UnauthenticatedError&) {
        services.throttle.failed(account, address, services.clock.now());
        throw;
    }
    services.throttle.succeeded(account);
    exchange.response().add("Set-Cookie", cookieHeader(exchange, signedIn.cookieValue, false));
    nlohmann::json out = {{"user", principalJson(signedIn.principal)}, {"csrf_token", signedIn.session.csrfToken}};
    exchange.sendJson(out);
}

void SignOutHandler::handle(Exchange& exchange) {
    Poco::Net::NameValueCollection cookies;
    exchange.request().getCookies(cookies);
    const std::string cookie = cookies.get(kSessionCookie, "");
    if (!cookie.empty()) exchange.accounts().signOut(cookie, exchange.clientAddress());
    exchange.response().add("Set-Cookie", cookieHeader(exchange, "", true));
    exchange.response().setStatusAndReason(Poco::Net::HTTPResponse::HTTP_NO_CONTENT);
    exchange.response().setContentLength(0);
    exchange.response().send();
}

void MeHandler::handle(Exchange& exchange) {
    QueryParameters query(exchange.rawQuery(), {});
    query.throwIfInvalid();
    auto out = principalJson(exchange.principal());
    out["csrf_token"] =
        exchange.principal().csrfToken ? nlohmann::json(*exchange.principal().csrfToken) : nlohmann::json(nullptr);
    // The organisation's local date: the web UI counts days to due and overdue from it, not the browser's.
    out["today"] = domain::formatIso(exchange.services().clock.today());
    exchange.sendJson(out);
}

void UserListHandler::handle(Exchange& exchange) {
    QueryParameters query(exchange.rawQuery(), {});
    query.throwIfInvalid();
    auto& session = exchange.session();
    std::map<domain::Id, std::string> people;
    for (const auto& p : session.people().list()) people[p.id] = p.roleTitle;
    nlohmann::json items = nlohmann::json::array();
    for (const auto& user : session.accounts().listUsers()) {
        nlohmann::json roles = nlohmann::json::array();
        for (auto role : user.roles) roles.push_back(std::string(domain::toString(role)));
        const auto person = user.personId ? people.find(*user.personId) : people.end();
        items.push_back({{"username", user.username},
                         {"display_name", user.displayName},
                         {"person", person != people.end() ? nlohmann::json(person->second) : nlohmann::json(nullptr)},
                         {"roles", roles},
                         {"disabled", user.disabled},
                         {"created_at", user.createdAt}});
    }
    exchange.sendJson({{"items", items}, {"total", items.size()}});
}

void NotificationListHandler::handle(Exchange& exchange) {
    QueryParameters query(exchange.rawQuery(), {"unread", "limit"});
    const bool unreadOnly = query.boolean("unread").value_or(false);
    const int limit = query.integer("limit", 200, 1, 1000);
    query.throwIfInvalid();
    const auto& p = exchange.principal();
    nlohmann::json items = nlohmann::json::array();
    domain::ReminderRepository::InboxCount counts;
    if (p.personId) {
        counts = exchange.session().reminders().countForRecipient(*p.personId);
        for (const auto& r :
             domain::listNotifications(exchange.session(), *p.personId, unreadOnly, static_cast<std::size_t>(limit))) {
            items.push_back({{"id", r.id},
                             {"rule", r.rule},
                             {"item_kind", r.itemKind},
                             {"item_id", r.itemId},
                             {"reference", r.reference},
                             {"title", r.title},
                             {"due_date", domain::formatIso(r.dueDate)},
                             {"days_overdue", r.daysOverdue},
                             {"as", r.as},
                             {"owner_inactive", r.ownerInactive},
                             {"send_day", domain::formatIso(r.sendDay)},
                             {"created_at", r.createdAt},
                             {"read", r.readAt.has_value()}});
        }
    }
    // total and unread count the whole inbox; items holds at most `limit` of them (the newest).
    exchange.sendJson({{"items", items},
                       {"total", unreadOnly ? counts.unread : counts.total},
                       {"unread", counts.unread},
                       {"limit", limit}});
}

void NotificationReadHandler::handle(Exchange& exchange) {
    const auto& p = exchange.principal();
    const std::string& id = exchange.pathParam("id");
    if (!p.personId) throw domain::NotFoundError("No notification has the id '" + id + "'.");
    domain::markNotificationRead(exchange.session(), *p.personId, id, exchange.services().clock.now());
    exchange.response().setStatusAndReason(Poco::Net::HTTPResponse::HTTP_NO_CONTENT);
    exchange.response().setContentLength(0);
    exchange.response().send();
}

}  // namespace govtrack::http
