// Accounts, sessions and tokens (issue 7) with a clock the test moves, fake password hashing and secrets
// (the real Argon2 and getrandom are tested in platform_tests).
#include <gtest/gtest.h>

#include "govtrack/domain/AccountService.h"
#include "govtrack/domain/Error.h"
#include "govtrack/domain/SignInThrottle.h"

#include "CountingIds.h"
#include "FakeHasher.h"
#include "InMemoryStore.h"

namespace d = govtrack::domain;

namespace {

class MovableClock final : public d::Clock {
public:
    d::Date today() const override { return std::chrono::floor<std::chrono::days>(now_); }
    std::chrono::sys_seconds now() const override { return now_; }
    void advance(std::chrono::seconds by) { now_ += by; }

private:
    std::chrono::sys_seconds now_ = std::chrono::sys_days{d::Date{std::chrono::year{2026}, std::chrono::month{1},
                                                                  std::chrono::day{5}}} +
                                    std::chrono::hours{9};
};

class FakePasswords final : public d::PasswordHasher {
public:
    std::string hash(std::string_view password) override { return "$argon2id$fake$" + std::string(password); }
    bool verify(const std::string& encoded, std::string_view password) override {
        return encoded == "$argon2id$fake$" + std::string(password);
    }
};

class CountingSecrets final : public d::SecretSource {
public:
    std::string newSecret(std::size_t bytes) override {
        return "secret" + std::to_string(++count_) + std::string(bytes / 4, 'x');
    }

private:
    int count_ = 0;
};

class AccountServiceTest : public ::testing::Test {
protected:
    void SetUp() override {
        d::Person person;
        person.id = "p-owner";
        person.roleTitle = "Head of People & Place";
        session_->people().save(person);
        d::GovernanceGroup group;
        group.id = "g-1";
        group.name = "Benefit Performance Review Group";
        group.members = {{"p-owner", d::MemberRole::kSecretary}};
        session_->groups().save(group);
    }

    d::AccountService::CreatedUser add(const std::string& name, std::vector<d::Role> roles,
                                       std::optional<std::string> person = std::nullopt) {
        d::AccountService::NewUser user;
        user.username = name;
        user.roles = std::move(roles);
        user.personRoleTitle = std::move(person);
        user.password = kPassword;
        return accounts_.addUser(actor_, user, "test");
    }

    static inline const std::string kPassword = "a long enough password";
    govtrack::testing::InMemoryStore store_;
    std::unique_ptr<d::StoreSession> session_ = store_.openSession();
    MovableClock clock_;
    govtrack::test::CountingIds ids_;
    govtrack::testing::FakeHasher hasher_;
    FakePasswords passwords_;
    CountingSecrets secrets_;
    d::AuditTrail audit_{session_->events(), clock_, hasher_};
    d::AccountService accounts_{*session_, audit_, clock_, ids_, hasher_, passwords_, secrets_,
                                d::SessionPolicy{std::chrono::minutes{30}, std::chrono::hours{12}}};
    d::Actor actor_ = d::Actor::system("test");
};

TEST_F(AccountServiceTest, UsernamesAreLowerCasedAndChecked) {
    EXPECT_EQ(add("Jane.Doe@Example.org", {}).user.username, "jane.doe@example.org");
    EXPECT_THROW(add("jane doe", {}), d::ValidationError);
    EXPECT_THROW(add("", {}), d::ValidationError);
    EXPECT_THROW(add(std::string(65, 'a'), {}), d::ValidationError);
    EXPECT_THROW(add("JANE.DOE@example.org", {}), d::ConflictError);
}

TEST_F(AccountServiceTest, ShortPasswordsAreRefusedAndAGeneratedOneIsReturnedOnce) {
    d::AccountService::NewUser user;
    user.username = "short";
    user.password = "eleven char";
    EXPECT_THROW(accounts_.addUser(actor_, user, "test"), d::ValidationError);
    user.password.reset();
    const auto created = accounts_.addUser(actor_, user, "test");
    ASSERT_TRUE(created.oneTimePassword);
    EXPECT_TRUE(passwords_.verify(created.user.passwordHash, *created.oneTimePassword));
    EXPECT_THROW(add("ghost", {}, "No Such Role Title"), d::ValidationError);
}

TEST_F(AccountServiceTest, APersonsAccountIsTheirGroupsOfficer) {
    add("hpp", {}, "head of people & place");  // role titles matched ignoring case
    const auto signedIn = accounts_.signIn("hpp", kPassword, "10.0.0.1");
    ASSERT_EQ(signedIn.principal.groups.size(), 1u);
    EXPECT_EQ(signedIn.principal.groups[0].role, d::MemberRole::kSecretary);
    EXPECT_TRUE(d::holds(signedIn.principal, d::Permission::kDecideRevision));
    EXPECT_FALSE(d::holds(signedIn.principal, d::Permission::kManageUsers));
    EXPECT_EQ(signedIn.principal.actor().name, "Head of People & Place");
}

TEST_F(AccountServiceTest, SessionsEndWhenIdleOrPastTheirLifetime) {
    add("clerk", {d::Role::kSecretariat});
    const auto first = accounts_.signIn("clerk", kPassword, "10.0.0.1");
    clock_.advance(std::chrono::minutes{29});
    EXPECT_TRUE(accounts_.principalForSession(first.cookieValue));  // refreshes last seen
    clock_.advance(std::chrono::minutes{29});
    EXPECT_TRUE(accounts_.principalForSession(first.cookieValue));
    clock_.advance(std::chrono::minutes{30});
    EXPECT_FALSE(accounts_.principalForSession(first.cookieValue)) << "idle for 30 minutes";

    const auto second = accounts_.signIn("clerk", kPassword, "10.0.0.1");
    for (int i = 0; i < 24; ++i) {  // busy all day: every 29 minutes for 11.6 hours
        clock_.advance(std::chrono::minutes{29});
        EXPECT_TRUE(accounts_.principalForSession(second.cookieValue)) << i;
    }
    clock_.advance(std::chrono::minutes{29});  // 12 h 05 min after sign-in
    EXPECT_FALSE(accounts_.principalForSession(second.cookieValue)) << "absolute lifetime 12 h";
    EXPECT_FALSE(accounts_.principalForSession("not-a-session"));
}

TEST_F(AccountServiceTest, DisablingOrResettingEndsSessions) {
    add("clerk", {d::Role::kSecretariat});
    auto s1 = accounts_.signIn("clerk", kPassword, "a");
    accounts_.resetPassword(actor_, "clerk", std::string("another long password"), "test");
    EXPECT_FALSE(accounts_.principalForSession(s1.cookieValue));
    EXPECT_THROW(accounts_.signIn("clerk", kPassword, "a"), d::UnauthenticatedError);
    auto s2 = accounts_.signIn("clerk", "another long password", "a");
    accounts_.setDisabled(actor_, "clerk", true, "test");
    EXPECT_FALSE(accounts_.principalForSession(s2.cookieValue));
    EXPECT_THROW(accounts_.signIn("clerk", "another long password", "a"), d::UnauthenticatedError);
}

TEST_F(AccountServiceTest, TokensActWithTheirScopeOnlyAndStopWhenRevokedOrTheRoleGoes) {
    add("hpp", {d::Role::kSecretariat, d::Role::kAuditor}, "Head of People & Place");
    const auto owner = accounts_.createToken(actor_, "hpp", "mine", d::TokenScope::kOwner, "t");
    const auto auditor = accounts_.createToken(actor_, "hpp", "audit", d::TokenScope::kAuditor, "t");
    EXPECT_THROW(accounts_.createToken(actor_, "hpp", "adm", d::TokenScope::kAdmin, "t"), d::ValidationError);
    EXPECT_EQ(owner.secret.rfind("gt_", 0), 0u);
    EXPECT_NE(owner.token.secretHash, owner.secret) << "only the hash is stored";

    const auto asOwner = accounts_.principalForToken(owner.secret);
    ASSERT_TRUE(asOwner);
    EXPECT_TRUE(asOwner->roles.empty());
    EXPECT_EQ(asOwner->personId, std::optional<d::Id>("p-owner"));
    const auto asAuditor = accounts_.principalForToken(auditor.secret);
    ASSERT_TRUE(asAuditor);
    EXPECT_EQ(asAuditor->roles, std::vector<d::Role>{d::Role::kAuditor});
    EXPECT_FALSE(asAuditor->personId) << "a role-scoped token does not act as the person";

    accounts_.setRole(actor_, "hpp", d::Role::kAuditor, false, "t");
    EXPECT_FALSE(accounts_.principalForToken(auditor.secret)) << "the account no longer holds the scope's role";
    accounts_.revokeToken(actor_, owner.token.id, "t");
    EXPECT_FALSE(accounts_.principalForToken(owner.secret));
    EXPECT_FALSE(accounts_.principalForToken("gt_unknown"));
}

TEST_F(AccountServiceTest, EveryChangeAndAttemptIsAnEventNamingTheSource) {
    add("clerk", {});
    accounts_.setRole(actor_, "clerk", d::Role::kViewer, true, "10.1.1.1");
    EXPECT_THROW(accounts_.signIn("clerk", "wrong password!!", "10.2.2.2"), d::UnauthenticatedError);
    EXPECT_THROW(accounts_.signIn("nobody", "wrong password!!", "10.3.3.3"), d::UnauthenticatedError);
    std::vector<std::string> changes;
    for (const auto& e : store_.state().events) changes.push_back(e.change);
    EXPECT_EQ(changes, (std::vector<std::string>{"create", "grant", "sign_in_failed", "sign_in_failed"}));
    const auto events = store_.state().events;
    EXPECT_NE(events[1].reason.find("viewer; from 10.1.1.1"), std::string::npos) << events[1].reason;
    EXPECT_NE(events[2].reason.find("wrong password; from 10.2.2.2"), std::string::npos) << events[2].reason;
    EXPECT_NE(events[3].reason.find("unknown username 'nobody' from 10.3.3.3"), std::string::npos);
    for (const auto& e : events) EXPECT_EQ(e.after.find("argon2"), std::string::npos);
}

TEST(SignInThrottle, LocksAnAccountAfterFiveFailuresForTheRestOfTheWindow) {
    d::SignInThrottle throttle;
    const auto t0 = std::chrono::sys_seconds{std::chrono::seconds{1'000'000}};
    for (int i = 0; i < 5; ++i) {
        EXPECT_EQ(throttle.retryAfter("jane", "1.1.1.1", t0), 0);
        throttle.failed("jane", "1.1.1.1", t0 + std::chrono::seconds{i});
    }
    EXPECT_EQ(throttle.retryAfter("jane", "9.9.9.9", t0 + std::chrono::seconds{10}), 900 - 10);
    EXPECT_EQ(throttle.retryAfter("john", "1.1.1.1", t0 + std::chrono::seconds{10}), 0) << "address limit is 20";
    EXPECT_EQ(throttle.retryAfter("jane", "1.1.1.1", t0 + std::chrono::seconds{900}), 0);
    for (int i = 0; i < 20; ++i) throttle.failed("user" + std::to_string(i), "6.6.6.6", t0);
    EXPECT_GT(throttle.retryAfter("fresh", "6.6.6.6", t0 + std::chrono::seconds{1}), 0) << "address spraying";
}

}  // namespace
