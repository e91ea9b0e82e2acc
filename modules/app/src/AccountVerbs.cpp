// `govtrack user ...` and `govtrack token ...`: local accounts and API tokens (issue 7, docs/security.md).
// The command line is the machine's operator: changes are recorded as by "command line" in the audit trail.
#include <fstream>
#include <iostream>
#include <sstream>

#include <Poco/Util/Option.h>

#include "govtrack/domain/AccountService.h"
#include "govtrack/domain/Error.h"
#include "govtrack/platform/Secrets.h"
#include "govtrack/platform/Sha256Hasher.h"
#include "govtrack/platform/UuidGenerator.h"
#include "govtrack/platform/ZonedClock.h"

#include "Cli.h"

namespace govtrack::app {

namespace d = govtrack::domain;

namespace {

d::Role parseRoleOrThrow(const std::string& text) {
    const auto role = d::parseRole(text);
    if (!role) {
        throw d::ValidationError("role '" + text + "' is not a system role; allowed: " + d::allowedRoles() +
                                 " (owners and group members follow from --person and the groups)");
    }
    return *role;
}

/// The first line of FILE (a trailing newline is not part of the password).
std::string readPasswordFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw d::ValidationError("--password-file: cannot read '" + path + "'");
    std::string line;
    std::getline(in, line);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
}

}  // namespace

void GovtrackApp::defineAccountOptions(Poco::Util::OptionSet& options) {
    using Poco::Util::Option;
    using Poco::Util::OptionCallback;
    for (const char* name : {"person", "display-name", "password-file", "name", "scope"}) {
        if (options.hasOption(name)) continue;
        options.addOption(Option(name, "", std::string("user/token: ") + name)
                              .argument("VALUE")
                              .callback(OptionCallback<GovtrackApp>(this, &GovtrackApp::handleValue)));
    }
    options.addOption(Option("role", "", "user add: grant a system role (repeatable)")
                          .argument("ROLE")
                          .repeatable(true)
                          .callback(OptionCallback<GovtrackApp>(this, &GovtrackApp::handleRole)));
    options.addOption(Option("admin", "", "user add: grant the admin role")
                          .callback(OptionCallback<GovtrackApp>(this, &GovtrackApp::handleFlag)));
}

void GovtrackApp::handleRole(const std::string&, const std::string& value) {
    roles_.push_back(value);
}

int GovtrackApp::verbAccounts(const std::string& verb, const std::vector<std::string>& args) {
    const Settings settings = readSettings();
    platform::ZonedClock clock(settings.timeZone);
    auto store = openStore(settings);
    auto session = store->openSession();
    platform::UuidGenerator ids;
    platform::Sha256Hasher hasher;
    platform::Argon2PasswordHasher passwords(settings.argon2);
    platform::SystemSecretSource secrets;
    d::AuditTrail audit(session->events(), clock, hasher);
    d::AccountService accounts(*session, audit, clock, ids, hasher, passwords, secrets, settings.sessions);
    const d::Actor actor = d::Actor::system("command line");
    const std::string source = "command line";
    const std::string sub = args.empty() ? "" : args[0];
    auto needArgs = [&](std::size_t n, const char* usage) {
        if (args.size() != n) throw d::ValidationError(std::string("usage: govtrack ") + verb + " " + usage);
    };
    auto password = [&]() -> std::optional<std::string> {
        if (!values_.count("password-file")) return std::nullopt;
        return readPasswordFile(values_["password-file"]);
    };

    if (verb == "user") {
        if (sub == "add") {
            needArgs(2, "add USERNAME [--person ROLE_TITLE] [--role ROLE]... [--admin] [--password-file FILE]");
            d::AccountService::NewUser request;
            request.username = args[1];
            if (values_.count("display-name")) request.displayName = values_["display-name"];
            if (values_.count("person")) request.personRoleTitle = values_["person"];
            for (const auto& r : roles_) request.roles.push_back(parseRoleOrThrow(r));
            if (flags_.count("admin")) request.roles.push_back(d::Role::kAdmin);
            request.password = password();
            const auto created = accounts.addUser(actor, request, source);
            std::cout << "created user " << created.user.username;
            if (!created.user.roles.empty()) {
                std::cout << " (";
                for (std::size_t i = 0; i < created.user.roles.size(); ++i)
                    std::cout << (i ? ", " : "") << d::toString(created.user.roles[i]);
                std::cout << ")";
            }
            std::cout << "\n";
            if (created.oneTimePassword) {
                std::cout << "one-time password (shown once; change it by 'user reset-password'): "
                          << *created.oneTimePassword << "\n";
            }
            return kExitOk;
        }
        if (sub == "disable" || sub == "enable") {
            needArgs(2, (sub + " USERNAME").c_str());
            const auto user = accounts.setDisabled(actor, args[1], sub == "disable", source);
            std::cout << (user.disabled ? "disabled " : "enabled ") << user.username
                      << (user.disabled ? " (its sessions ended; its tokens no longer work)" : "") << "\n";
            return kExitOk;
        }
        if (sub == "reset-password") {
            needArgs(2, "reset-password USERNAME [--password-file FILE]");
            const auto generated = accounts.resetPassword(actor, args[1], password(), source);
            std::cout << "password of " << d::normaliseUsername(args[1]) << " reset; its sessions ended\n";
            if (generated) std::cout << "one-time password (shown once): " << *generated << "\n";
            return kExitOk;
        }
        if (sub == "grant" || sub == "revoke") {
            needArgs(3, (sub + " USERNAME ROLE").c_str());
            const auto user = accounts.setRole(actor, args[1], parseRoleOrThrow(args[2]), sub == "grant", source);
            std::cout << user.username << " roles:";
            for (auto r : user.roles) std::cout << " " << d::toString(r);
            std::cout << (user.roles.empty() ? " (none)" : "") << "\n";
            return kExitOk;
        }
        if (sub == "link") {
            needArgs(2, "link USERNAME --person ROLE_TITLE");
            if (!values_.count("person")) throw d::ValidationError("user link: --person ROLE_TITLE is required");
            const auto user = accounts.setPerson(actor, args[1], values_["person"], source);
            std::cout << user.username << " now acts as " << values_["person"] << "\n";
            return kExitOk;
        }
        if (sub == "list") {
            needArgs(1, "list");
            for (const auto& user : session->accounts().listUsers()) {
                std::cout << user.username << "\t" << user.displayName << "\t";
                for (std::size_t i = 0; i < user.roles.size(); ++i)
                    std::cout << (i ? "," : "") << d::toString(user.roles[i]);
                std::cout << "\t" << (user.disabled ? "disabled" : "active") << "\n";
            }
            return kExitOk;
        }
        throw d::ValidationError("user: expected add, disable, enable, reset-password, grant, revoke, link or list");
    }
    // token
    if (sub == "create") {
        needArgs(2, "create USERNAME --name LABEL --scope owner|viewer|auditor|secretariat|admin");
        if (!values_.count("name")) throw d::ValidationError("token create: --name LABEL is required");
        if (!values_.count("scope")) {
            throw d::ValidationError("token create: --scope is required; allowed: " + d::allowedTokenScopes());
        }
        const auto scope = d::parseTokenScope(values_["scope"]);
        if (!scope) {
            throw d::ValidationError("--scope: '" + values_["scope"] + "' is not allowed; allowed: " +
                                     d::allowedTokenScopes());
        }
        const auto issued = accounts.createToken(actor, args[1], values_["name"], *scope, source);
        std::cout << "token " << issued.token.id << " for " << d::normaliseUsername(args[1]) << " (scope "
                  << d::toString(issued.token.scope) << ")\n"
                  << issued.secret << "\n"
                  << "(shown once: send it as 'Authorization: Bearer <token>')\n";
        return kExitOk;
    }
    if (sub == "revoke") {
        needArgs(2, "revoke TOKEN_ID");
        const auto token = accounts.revokeToken(actor, args[1], source);
        std::cout << "revoked token " << token.id << " '" << token.name << "'\n";
        return kExitOk;
    }
    if (sub == "list") {
        needArgs(2, "list USERNAME");
        const auto user = session->accounts().findUserByUsername(d::normaliseUsername(args[1]));
        if (!user) throw d::NotFoundError("No user is called '" + args[1] + "'.");
        for (const auto& t : session->accounts().listTokens(user->id)) {
            std::cout << t.id << "\t" << t.name << "\t" << d::toString(t.scope) << "\tcreated " << t.createdAt
                      << "\t" << (t.revokedAt ? "revoked " + *t.revokedAt : "active")
                      << (t.lastUsedAt ? "\tlast used " + *t.lastUsedAt : "") << "\n";
        }
        return kExitOk;
    }
    throw d::ValidationError("token: expected create, revoke or list");
}

}  // namespace govtrack::app
