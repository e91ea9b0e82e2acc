// The sign-in storage contract (domain/Accounts.h; issue 7) on SQLite, on MariaDB and on the in-memory test
// store the other modules' tests use: user accounts with roles, API tokens and web sessions round-trip every
// field, keys and versions conflict the same way, and `govtrack copy` carries users and tokens but not
// sessions.
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "govtrack/domain/Accounts.h"
#include "govtrack/domain/Error.h"
#include "govtrack/domain/StoreTransfer.h"

#include "Backends.h"
#include "InMemoryStore.h"

namespace d = govtrack::domain;

namespace {

/// One InMemoryStore shared by every open(), like one database file.
class SharedMemoryStore final : public d::Store {
public:
    explicit SharedMemoryStore(std::shared_ptr<govtrack::testing::InMemoryStore> store) : store_(std::move(store)) {}
    std::unique_ptr<d::StoreSession> openSession() override { return store_->openSession(); }
    int migrate() override { return store_->migrate(); }

private:
    std::shared_ptr<govtrack::testing::InMemoryStore> store_;
};

class AccountContract : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        if (GetParam() == "memory") {
            store = std::make_unique<SharedMemoryStore>(std::make_shared<govtrack::testing::InMemoryStore>());
        } else {
            backend = govtrack::test::makeBackend(GetParam());
            if (!backend) GTEST_SKIP() << govtrack::test::kMysqlSkipReason;
            store = backend->open();
        }
        store->migrate();
        s = store->openSession();
        d::Person p;
        p.id = "p-1";
        p.roleTitle = "Head of Internal Audit";
        s->people().save(p);
    }

    bool realStore() const { return GetParam() != "memory"; }

    /// A user as the service would create it (version 0: new).
    static d::UserAccount user(const std::string& id, const std::string& username) {
        d::UserAccount u;
        u.id = id;
        u.username = username;
        u.displayName = "Display " + username;
        u.passwordHash = "$argon2id$v=19$m=65536,t=3,p=1$c2FsdHNhbHQ$aGFzaGhhc2g";
        u.createdAt = "2026-01-05T12:00:00Z";
        return u;
    }
    static d::ApiToken token(const std::string& id, const std::string& userId, const std::string& createdAt) {
        d::ApiToken t;
        t.id = id;
        t.userId = userId;
        t.name = "token " + id;
        t.secretHash = std::string(64 - id.size(), 'a') + id;
        t.scope = d::TokenScope::kViewer;
        t.createdAt = createdAt;
        return t;
    }
    static d::WebSession session(const std::string& idHash, const std::string& userId) {
        return d::WebSession{idHash,       userId,     "csrf-" + idHash, "2026-01-05T12:00:00Z", "2026-01-05T12:00:00Z",
                             std::nullopt, "127.0.0.1"};
    }

    /// Expects `work` to throw a ConflictError (stale or not); on the real stores also its exact text,
    /// which SQLite and MariaDB word the same (docs/architecture.md).
    template <typename F>
    void expectConflict(F&& work, bool stale, const std::string& text) {
        try {
            work();
            FAIL() << "no ConflictError";
        } catch (const d::ConflictError& e) {
            EXPECT_EQ(e.stale(), stale) << e.what();
            if (realStore()) {
                EXPECT_EQ(std::string(e.what()), text);
            }
        }
    }

    std::unique_ptr<govtrack::test::Backend> backend;
    std::unique_ptr<d::Store> store;
    std::unique_ptr<d::StoreSession> s;
};

}  // namespace

TEST_P(AccountContract, UserRoundTripsEveryField) {
    auto u = user("u-1", "head.audit@example.org");
    u.displayName = "Head of Internal Audit \xE2\x80\x94 \xF0\x9F\x94\x91";
    u.personId = "p-1";
    u.roles = {d::Role::kViewer, d::Role::kAdmin, d::Role::kViewer, d::Role::kAuditor};
    u.disabled = true;
    s->accounts().saveUser(u);

    d::UserAccount expected = u;
    expected.roles = {d::Role::kAdmin, d::Role::kAuditor, d::Role::kViewer};  // enum order, no repeats
    expected.version = 1;
    EXPECT_EQ(s->accounts().findUserById("u-1"), expected);
    EXPECT_EQ(s->accounts().findUserByUsername("head.audit@example.org"), expected);

    // Optional and empty fields: no person, no roles, no password, enabled.
    auto bare = user("u-2", "script-runner");
    bare.passwordHash.clear();
    s->accounts().saveUser(bare);
    const auto stored = s->accounts().findUserById("u-2");
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->personId, std::nullopt);
    EXPECT_TRUE(stored->roles.empty());
    EXPECT_EQ(stored->passwordHash, "");
    EXPECT_FALSE(stored->disabled);
    bare.version = 1;
    EXPECT_EQ(*stored, bare);

    EXPECT_EQ(s->accounts().findUserById("u-9"), std::nullopt);
    EXPECT_EQ(s->accounts().findUserByUsername("nobody"), std::nullopt);
}

TEST_P(AccountContract, FourByteDisplayNameRoundTrips) {
    auto u = user("u-1", "chair");
    u.displayName = "Chair \xF0\x9F\x8F\x9B\xEF\xB8\x8F Audit & Risk \xF0\x9F\x93\x8A \xE6\xBC\xA2\xE5\xAD\x97";
    s->accounts().saveUser(u);
    EXPECT_EQ(s->accounts().findUserById("u-1")->displayName, u.displayName);
    EXPECT_EQ(s->accounts().listUsers().at(0).displayName, u.displayName);
}

TEST_P(AccountContract, UsernameIsAnExactUniqueKey) {
    s->accounts().saveUser(user("u-1", "alice"));
    expectConflict([&] { s->accounts().saveUser(user("u-2", "alice")); }, false,
                   "saving user account: a record with the same key already exists");
    EXPECT_EQ(s->accounts().findUserById("u-2"), std::nullopt);

    // Renaming onto a taken username is refused too, and leaves the row as it was.
    s->accounts().saveUser(user("u-2", "bob"));
    auto bob = *s->accounts().findUserByUsername("bob");
    bob.username = "alice";
    expectConflict([&] { s->accounts().saveUser(bob); }, false,
                   "saving user account: a record with the same key already exists");
    EXPECT_EQ(s->accounts().findUserById("u-2")->username, "bob");

    // Usernames are stored lower-case by the service; the store compares code points exactly.
    EXPECT_EQ(s->accounts().findUserByUsername("ALICE"), std::nullopt);
    EXPECT_EQ(s->accounts().findUserByUsername("alice")->id, "u-1");
}

TEST_P(AccountContract, SaveUpdatesWhereTheVersionMatchesAndRefusesAStaleOne) {
    auto u = user("u-1", "alice");
    u.roles = {d::Role::kAdmin};
    s->accounts().saveUser(u);
    auto first = *s->accounts().findUserById("u-1");
    ASSERT_EQ(first.version, 1);

    auto changed = first;
    changed.username = "alice.smith";
    changed.displayName = "Alice S.";
    changed.personId = "p-1";
    changed.roles = {d::Role::kViewer, d::Role::kSecretariat};
    changed.disabled = true;
    changed.passwordHash = "$argon2id$v=19$m=65536,t=3,p=1$bmV3c2FsdA$bmV3aGFzaA";
    s->accounts().saveUser(changed);
    auto second = *s->accounts().findUserById("u-1");
    changed.version = 2;
    changed.roles = {d::Role::kSecretariat, d::Role::kViewer};
    EXPECT_EQ(second, changed);
    EXPECT_EQ(s->accounts().findUserByUsername("alice"), std::nullopt);

    // A save based on version 1 lost the race: refused as stale, nothing changes.
    auto late = first;
    late.displayName = "late edit";
    expectConflict([&] { s->accounts().saveUser(late); }, true,
                   "user 'alice' was changed by someone else; reload and try again");
    // Version 0 means "new": an id that is already taken is not silently overwritten.
    auto again = user("u-1", "someone");
    expectConflict([&] { s->accounts().saveUser(again); }, true,
                   "user 'someone' was changed by someone else; reload and try again");
    EXPECT_EQ(*s->accounts().findUserById("u-1"), second);

    // Clearing the optional fields and the roles is a change like any other.
    second.personId.reset();
    second.roles.clear();
    s->accounts().saveUser(second);
    const auto third = *s->accounts().findUserById("u-1");
    EXPECT_EQ(third.version, 3);
    EXPECT_EQ(third.personId, std::nullopt);
    EXPECT_TRUE(third.roles.empty());
}

TEST_P(AccountContract, ListUsersIsOrderedByUsername) {
    s->accounts().saveUser(user("u-1", "mallory"));
    s->accounts().saveUser(user("u-2", "alice"));
    s->accounts().saveUser(user("u-3", "bob.2"));
    s->accounts().saveUser(user("u-4", "bob"));
    std::vector<std::string> names;
    for (const auto& u : s->accounts().listUsers()) names.push_back(u.username);
    EXPECT_EQ(names, (std::vector<std::string>{"alice", "bob", "bob.2", "mallory"}));
}

/// The foreign key to people, which only the real stores enforce (the in-memory store does not check people).
using AccountForeignKeys = AccountContract;

TEST_P(AccountForeignKeys, PersonMustExist) {
    auto u = user("u-1", "alice");
    u.personId = "p-404";
    expectConflict([&] { s->accounts().saveUser(u); }, false,
                   "saving user account: it refers to a record that does not exist");
    EXPECT_EQ(s->accounts().findUserById("u-1"), std::nullopt);
}

TEST_P(AccountContract, TokensRoundTripAndAreFoundByHash) {
    s->accounts().saveUser(user("u-1", "alice"));
    auto t = token("t-1", "u-1", "2026-01-05T12:00:00Z");
    t.name = "nightly export \xF0\x9F\x8C\x99";
    t.scope = d::TokenScope::kSecretariat;
    s->accounts().addToken(t);
    auto revoked = token("t-2", "u-1", "2026-01-05T12:00:01Z");
    revoked.scope = d::TokenScope::kOwner;
    revoked.revokedAt = "2026-01-06T09:00:00Z";
    revoked.lastUsedAt = "2026-01-06T08:59:00Z";
    s->accounts().addToken(revoked);

    EXPECT_EQ(s->accounts().findTokenByHash(t.secretHash), t);
    EXPECT_EQ(s->accounts().findTokenById("t-1"), t);
    EXPECT_EQ(s->accounts().findTokenByHash(revoked.secretHash), revoked);
    EXPECT_EQ(s->accounts().findTokenById("t-2"), revoked);
    EXPECT_EQ(s->accounts().findTokenByHash(std::string(64, 'f')), std::nullopt);
    EXPECT_EQ(s->accounts().findTokenById("t-9"), std::nullopt);

    for (const auto scope : {d::TokenScope::kOwner, d::TokenScope::kViewer, d::TokenScope::kAuditor,
                             d::TokenScope::kSecretariat, d::TokenScope::kAdmin}) {
        auto x = token("s-" + std::string(d::toString(scope)), "u-1", "2026-01-07T00:00:00Z");
        x.scope = scope;
        s->accounts().addToken(x);
        EXPECT_EQ(s->accounts().findTokenById(x.id)->scope, scope);
    }
}

TEST_P(AccountContract, TokenKeysAndOwnerAreChecked) {
    s->accounts().saveUser(user("u-1", "alice"));
    const auto t = token("t-1", "u-1", "2026-01-05T12:00:00Z");
    s->accounts().addToken(t);
    auto sameHash = token("t-2", "u-1", "2026-01-05T12:00:00Z");
    sameHash.secretHash = t.secretHash;
    expectConflict([&] { s->accounts().addToken(sameHash); }, false,
                   "saving API token: a record with the same key already exists");
    expectConflict([&] { s->accounts().addToken(token("t-3", "u-404", "2026-01-05T12:00:00Z")); }, false,
                   "saving API token: it refers to a record that does not exist");
    EXPECT_EQ(s->accounts().findTokenById("t-2"), std::nullopt);
    EXPECT_EQ(s->accounts().findTokenById("t-3"), std::nullopt);
}

TEST_P(AccountContract, ListTokensIsOldestFirstThenInTheOrderAdded) {
    s->accounts().saveUser(user("u-1", "alice"));
    s->accounts().saveUser(user("u-2", "bob"));
    // Ids chosen so that neither id nor hash order is creation order.
    s->accounts().addToken(token("t-c", "u-1", "2026-01-05T12:00:00Z"));
    s->accounts().addToken(token("t-z", "u-1", "2026-01-04T08:00:00Z"));
    s->accounts().addToken(token("t-b", "u-2", "2026-01-01T00:00:00Z"));
    auto revoked = token("t-a", "u-1", "2026-01-05T12:00:00Z");  // same instant as t-c, added after it
    revoked.revokedAt = "2026-01-05T13:00:00Z";
    s->accounts().addToken(revoked);

    std::vector<std::string> ids;
    for (const auto& t : s->accounts().listTokens("u-1")) ids.push_back(t.id);
    EXPECT_EQ(ids, (std::vector<std::string>{"t-z", "t-c", "t-a"}));
    EXPECT_EQ(s->accounts().listTokens("u-2").size(), 1u);
    EXPECT_TRUE(s->accounts().listTokens("u-404").empty());
}

TEST_P(AccountContract, UpdateTokenChangesOnlyRevokedAtAndLastUsedAt) {
    s->accounts().saveUser(user("u-1", "alice"));
    s->accounts().saveUser(user("u-2", "bob"));
    const auto original = token("t-1", "u-1", "2026-01-05T12:00:00Z");
    s->accounts().addToken(original);

    auto edited = original;
    edited.userId = "u-2";
    edited.name = "renamed";
    edited.secretHash = std::string(64, 'e');
    edited.scope = d::TokenScope::kAdmin;
    edited.createdAt = "2030-01-01T00:00:00Z";
    edited.lastUsedAt = "2026-01-05T12:30:00Z";
    s->accounts().updateToken(edited);
    auto expected = original;
    expected.lastUsedAt = "2026-01-05T12:30:00Z";
    EXPECT_EQ(s->accounts().findTokenById("t-1"), expected);
    EXPECT_EQ(s->accounts().findTokenByHash(std::string(64, 'e')), std::nullopt);

    expected.revokedAt = "2026-01-05T13:00:00Z";
    s->accounts().updateToken(expected);
    EXPECT_EQ(s->accounts().findTokenById("t-1"), expected);

    // Both can be cleared again; an unknown token is no change at all.
    expected.revokedAt.reset();
    expected.lastUsedAt.reset();
    s->accounts().updateToken(expected);
    EXPECT_EQ(s->accounts().findTokenById("t-1"), original);
    s->accounts().updateToken(token("t-404", "u-1", "2026-01-05T12:00:00Z"));
    EXPECT_EQ(s->accounts().findTokenById("t-404"), std::nullopt);
}

TEST_P(AccountContract, SessionsAreAddedFoundTouchedAndEnded) {
    s->accounts().saveUser(user("u-1", "alice"));
    auto w = session(std::string(64, '1'), "u-1");
    w.sourceAddress = "2001:db8::17";
    s->accounts().addSession(w);
    EXPECT_EQ(s->accounts().findSession(w.idHash), w);
    EXPECT_EQ(s->accounts().findSession(std::string(64, '9')), std::nullopt);

    s->accounts().touchSession(w.idHash, "2026-01-05T12:05:00Z");
    w.lastSeenAt = "2026-01-05T12:05:00Z";
    EXPECT_EQ(s->accounts().findSession(w.idHash), w);

    s->accounts().endSession(w.idHash, "2026-01-05T12:10:00Z");
    w.endedAt = "2026-01-05T12:10:00Z";
    EXPECT_EQ(s->accounts().findSession(w.idHash), w);
    // Ending an ended session keeps the first end; unknown sessions are no change.
    s->accounts().endSession(w.idHash, "2026-01-05T12:20:00Z");
    EXPECT_EQ(s->accounts().findSession(w.idHash), w);
    s->accounts().endSession(std::string(64, '9'), "2026-01-05T12:20:00Z");
    s->accounts().touchSession(std::string(64, '9'), "2026-01-05T12:20:00Z");
    EXPECT_EQ(s->accounts().findSession(std::string(64, '9')), std::nullopt);

    // An ended session already carries a time: stored as given (e.g. copied from elsewhere).
    auto ended = session(std::string(64, '2'), "u-1");
    ended.endedAt = "2026-01-05T12:01:00Z";
    s->accounts().addSession(ended);
    EXPECT_EQ(s->accounts().findSession(ended.idHash), ended);
}

TEST_P(AccountContract, SessionKeysAndOwnerAreChecked) {
    s->accounts().saveUser(user("u-1", "alice"));
    const auto w = session(std::string(64, '1'), "u-1");
    s->accounts().addSession(w);
    auto again = session(std::string(64, '1'), "u-1");
    again.csrfToken = "other";
    expectConflict([&] { s->accounts().addSession(again); }, false,
                   "saving web session: a record with the same key already exists");
    EXPECT_EQ(s->accounts().findSession(w.idHash), w);
    expectConflict([&] { s->accounts().addSession(session(std::string(64, '2'), "u-404")); }, false,
                   "saving web session: it refers to a record that does not exist");
    EXPECT_EQ(s->accounts().findSession(std::string(64, '2')), std::nullopt);
}

TEST_P(AccountContract, EndSessionsOfUserEndsOnlyTheirOpenOnes) {
    s->accounts().saveUser(user("u-1", "alice"));
    s->accounts().saveUser(user("u-2", "bob"));
    const auto a1 = session(std::string(64, '1'), "u-1");
    const auto a2 = session(std::string(64, '2'), "u-1");
    auto a3 = session(std::string(64, '3'), "u-1");
    a3.endedAt = "2026-01-05T12:01:00Z";  // signed out earlier
    const auto b1 = session(std::string(64, '4'), "u-2");
    for (const auto& w : {a1, a2, a3, b1}) s->accounts().addSession(w);

    EXPECT_EQ(s->accounts().endSessionsOfUser("u-1", "2026-01-05T13:00:00Z"), 2);
    EXPECT_EQ(s->accounts().findSession(a1.idHash)->endedAt, "2026-01-05T13:00:00Z");
    EXPECT_EQ(s->accounts().findSession(a2.idHash)->endedAt, "2026-01-05T13:00:00Z");
    EXPECT_EQ(s->accounts().findSession(a3.idHash), a3);  // untouched
    EXPECT_EQ(s->accounts().findSession(b1.idHash), b1);  // another user's
    EXPECT_EQ(s->accounts().endSessionsOfUser("u-1", "2026-01-05T14:00:00Z"), 0);
    EXPECT_EQ(s->accounts().findSession(a1.idHash)->endedAt, "2026-01-05T13:00:00Z");
    EXPECT_EQ(s->accounts().endSessionsOfUser("u-404", "2026-01-05T14:00:00Z"), 0);
}

TEST_P(AccountContract, WritesRollBackWithTheirTransaction) {
    s->accounts().saveUser(user("u-1", "alice"));
    EXPECT_THROW(s->transaction([&] {
        s->accounts().saveUser(user("u-2", "bob"));
        s->accounts().addToken(token("t-1", "u-1", "2026-01-05T12:00:00Z"));
        s->accounts().addSession(session(std::string(64, '1'), "u-1"));
        throw d::ValidationError("stop");
    }),
                 d::ValidationError);
    EXPECT_EQ(s->accounts().findUserById("u-2"), std::nullopt);
    EXPECT_EQ(s->accounts().findTokenById("t-1"), std::nullopt);
    EXPECT_EQ(s->accounts().findSession(std::string(64, '1')), std::nullopt);
    EXPECT_EQ(s->accounts().listUsers().size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Backends, AccountContract, ::testing::Values("sqlite", "mariadb", "memory"),
                         govtrack::test::backendName);
INSTANTIATE_TEST_SUITE_P(Backends, AccountForeignKeys, ::testing::Values("sqlite", "mariadb"),
                         govtrack::test::backendName);

namespace {

using AccountTransfer = govtrack::test::StoreContract;

/// Two users (one with a person and roles), three tokens (one revoked, two at the same instant) and
/// two web sessions.
void seedAccounts(d::StoreSession& s) {
    d::Person p;
    p.id = "p-1";
    p.roleTitle = "Chief Risk Officer";
    s.people().save(p);
    d::UserAccount a;
    a.id = "u-1";
    a.username = "cro";
    a.displayName = "Chief Risk Officer \xF0\x9F\x9B\xA1";
    a.personId = "p-1";
    a.roles = {d::Role::kSecretariat, d::Role::kAdmin};
    a.passwordHash = "$argon2id$v=19$m=65536,t=3,p=1$c2FsdA$aGFzaA";
    a.createdAt = "2026-01-05T12:00:00Z";
    s.accounts().saveUser(a);
    auto stored = *s.accounts().findUserById("u-1");
    stored.disabled = true;
    s.accounts().saveUser(stored);  // version 2
    d::UserAccount b;
    b.id = "u-2";
    b.username = "nightly-export";
    b.displayName = "Nightly export";
    b.createdAt = "2026-01-05T12:00:00Z";
    s.accounts().saveUser(b);
    s.accounts().addToken({"t-z", "u-2", "export", std::string(64, 'b'), d::TokenScope::kViewer, "2026-01-05T12:00:00Z",
                           std::nullopt, "2026-01-06T02:00:00Z"});
    s.accounts().addToken({"t-a", "u-2", "export 2", std::string(64, 'a'), d::TokenScope::kOwner,
                           "2026-01-05T12:00:00Z", "2026-01-06T00:00:00Z", std::nullopt});
    s.accounts().addToken({"t-m", "u-1", "admin", std::string(64, 'c'), d::TokenScope::kAdmin, "2026-01-04T12:00:00Z",
                           std::nullopt, std::nullopt});
    s.accounts().addSession({std::string(64, '1'), "u-1", "csrf", "2026-01-05T12:00:00Z", "2026-01-05T12:00:00Z",
                             std::nullopt, "127.0.0.1"});
    s.accounts().addSession({std::string(64, '2'), "u-2", "csrf", "2026-01-05T12:00:00Z", "2026-01-05T12:00:00Z",
                             "2026-01-05T12:30:00Z", "127.0.0.1"});
}

std::int64_t rowsOf(const std::vector<d::TableCount>& counts, const std::string& table) {
    for (const auto& c : counts) {
        if (c.table == table) return c.rows;
    }
    return -1;
}

}  // namespace

TEST_P(AccountTransfer, CopyCarriesUsersAndTokensButNotSessions) {
    seedAccounts(*s);
    const auto contents = s->transfer()->exportAll();
    ASSERT_EQ(contents.users.size(), 2u);
    EXPECT_EQ(contents.users[0].username, "cro");  // by username
    EXPECT_EQ(contents.users[0].version, 2);
    EXPECT_EQ(contents.users[0].roles, (std::vector<d::Role>{d::Role::kAdmin, d::Role::kSecretariat}));
    std::vector<std::string> tokenIds;
    for (const auto& t : contents.apiTokens) tokenIds.push_back(t.id);
    EXPECT_EQ(tokenIds, (std::vector<std::string>{"t-m", "t-z", "t-a"}));  // oldest first, then order added
    const auto counts = s->transfer()->countRows();
    EXPECT_EQ(counts, contents.counts());
    EXPECT_EQ(rowsOf(counts, "users"), 2);
    EXPECT_EQ(rowsOf(counts, "user_roles"), 2);
    EXPECT_EQ(rowsOf(counts, "api_tokens"), 3);
    EXPECT_EQ(rowsOf(counts, "web_sessions"), -1);  // not carried, not counted

    auto otherBackend = govtrack::test::makeBackend(GetParam());
    auto otherStore = otherBackend->open();
    otherStore->migrate();
    auto target = otherStore->openSession();
    EXPECT_EQ(d::copyStore(*s, *target, false), counts);
    const auto copied = target->transfer()->exportAll();
    EXPECT_EQ(copied.users, contents.users);
    EXPECT_EQ(copied.apiTokens, contents.apiTokens);
    EXPECT_EQ(target->accounts().findUserById("u-1")->version, 2);
    EXPECT_EQ(target->accounts().findTokenByHash(std::string(64, 'a'))->id, "t-a");
    EXPECT_EQ(target->accounts().listTokens("u-2"), s->accounts().listTokens("u-2"));
    EXPECT_EQ(target->accounts().findSession(std::string(64, '1')), std::nullopt);  // everyone signs in again

    // --force empties the target first, sessions included (they refer to the users being replaced).
    target->accounts().addSession({std::string(64, '3'), "u-1", "csrf", "2026-01-07T12:00:00Z", "2026-01-07T12:00:00Z",
                                   std::nullopt, "127.0.0.1"});
    EXPECT_THROW(d::copyStore(*s, *target, false), d::ConflictError);
    EXPECT_EQ(d::copyStore(*s, *target, true), counts);
    EXPECT_EQ(target->accounts().findSession(std::string(64, '3')), std::nullopt);
    EXPECT_EQ(target->transfer()->exportAll().users, contents.users);
}

GOVTRACK_ON_EVERY_BACKEND(AccountTransfer);

TEST(AccountCrossBackend, CopySqliteToMariadbAndBackKeepsUsersAndTokens) {
    auto server = govtrack::test::mysqlTestServer();
    if (!server) GTEST_SKIP() << govtrack::test::kMysqlSkipReason;
    govtrack::test::SqliteBackend sqlite, back;
    govtrack::test::MariadbBackend mariadb(*server);
    auto sqliteStore = sqlite.open();
    auto mariadbStore = mariadb.open();
    auto backStore = back.open();
    for (auto* st : {sqliteStore.get(), mariadbStore.get(), backStore.get()}) st->migrate();
    auto source = sqliteStore->openSession();
    auto target = mariadbStore->openSession();
    auto again = backStore->openSession();
    seedAccounts(*source);

    const auto counts = d::copyStore(*source, *target, false);
    EXPECT_EQ(d::copyStore(*target, *again, false), counts);
    const auto x = source->transfer()->exportAll();
    for (auto* copy : {target.get(), again.get()}) {
        const auto y = copy->transfer()->exportAll();
        EXPECT_EQ(y.users, x.users);
        EXPECT_EQ(y.apiTokens, x.apiTokens);
        EXPECT_EQ(copy->accounts().listUsers(), source->accounts().listUsers());
        EXPECT_EQ(copy->accounts().findUserByUsername("cro")->displayName, "Chief Risk Officer \xF0\x9F\x9B\xA1");
    }
}
