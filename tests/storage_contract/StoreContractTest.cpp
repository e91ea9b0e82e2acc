// The storage contract (STYLE.md): every repository behaviour, run on SQLite and on MariaDB. A test that
// passes on one backend and fails on the other is a contract break.
#include <barrier>
#include <thread>

#include <gtest/gtest.h>

#include "govtrack/domain/Error.h"
#include "govtrack/domain/StoreTransfer.h"

#include "Backends.h"
#include "CountingIds.h"

namespace d = govtrack::domain;
using govtrack::test::StoreContract;
using namespace std::chrono;

namespace {

d::Date ymd(int y, unsigned m, unsigned day) {
    return d::Date{year{y}, month{m}, std::chrono::day{day}};
}

/// An engagement with one recommendation and one action, saved; returns the action.
d::Action seedAction(d::StoreSession& session) {
    d::StoreSession* s = &session;
    d::Engagement e;
    e.id = "e1";
    e.reference = "IA-1";
    e.title = "Performance Management";
    e.issueDate = d::TargetDate::day(ymd(2025, 5, 2));
    e.fieldworkStart = d::TargetDate::monthOnly(2024, 10);
    e.assuranceLevel = d::AssuranceLevel::kReasonable;
    e.remitItems = {"Performance management", "Governance"};
    s->engagements().save(e);
    d::Recommendation r;
    r.id = "r1";
    r.engagementId = "e1";
    r.number = 1;
    r.title = "Objectives";
    r.linkedRiskReferences = {"CR-005", "CR-012"};
    s->recommendations().save(r);
    s->people().save(d::Person{"p1", "Head of People & Place", "", std::nullopt, std::nullopt, true, {}});
    s->people().save(d::Person{"p2", "Product Owner", "", std::nullopt, std::nullopt, true, {}});
    d::Action a;
    a.id = "a1";
    a.recommendationId = "r1";
    a.number = 1;
    a.description = "Define objectives";
    a.leadOwnerId = "p1";
    a.coOwnerIds = {"p2"};
    a.originalTargetDate = d::TargetDate::monthOnly(2025, 12);
    a.revisions.push_back(
        {d::TargetDate::day(ymd(2026, 3, 31)), "workshops late", "p1", "Executive Team", ymd(2025, 11, 20)});
    a.status = d::ActionStatus::kInProgress;
    a.pillar = d::Pillar::kLeadershipAccountability;
    s->actions().save(a);
    return a;
}

class StoreContractTest : public StoreContract {
protected:
    d::Action seedAction() { return ::seedAction(*s); }
};

}  // namespace

TEST_P(StoreContractTest, MigrateIsIdempotentAndKeepsData) {
    seedAction();
    const int version = store->migrate();
    EXPECT_GE(version, 1);
    EXPECT_EQ(store->migrate(), version);
    auto reopened = backend->open();
    EXPECT_EQ(reopened->migrate(), version);
    EXPECT_TRUE(reopened->openSession()->engagements().findByReference("IA-1"));
}

TEST_P(StoreContractTest, EngagementRoundTripKeepsDatePrecision) {
    seedAction();
    auto e = s->engagements().findByReference("IA-1");
    ASSERT_TRUE(e);
    EXPECT_EQ(e->issueDate, d::TargetDate::day(ymd(2025, 5, 2)));
    EXPECT_EQ(e->fieldworkStart, d::TargetDate::monthOnly(2024, 10));
    EXPECT_EQ(e->assuranceLevel, d::AssuranceLevel::kReasonable);
    EXPECT_EQ(e->remitItems, (std::vector<std::string>{"Performance management", "Governance"}));
    EXPECT_EQ(e->version, 1);
    EXPECT_FALSE(s->engagements().findByReference("nope"));
}

TEST_P(StoreContractTest, ActionRoundTripWithOwnersAndRevisions) {
    const auto saved = seedAction();
    auto loaded = s->actions().findByNumber("r1", 1);
    ASSERT_TRUE(loaded);
    EXPECT_EQ(*loaded, saved);
    auto rec = s->recommendations().findByNumber("e1", 1);
    ASSERT_TRUE(rec);
    EXPECT_EQ(rec->linkedRiskReferences, (std::vector<std::string>{"CR-005", "CR-012"}));
}

TEST_P(StoreContractTest, StaleVersionIsAConflict) {
    auto a = seedAction();
    a.description = "first edit";
    s->actions().save(a);  // version 1 -> 2
    EXPECT_EQ(s->actions().findById("a1")->version, 2);
    a.description = "edit from a stale copy";
    try {
        s->actions().save(a);  // still says version 1
        FAIL() << "expected a conflict";
    } catch (const d::ConflictError& e) {
        EXPECT_TRUE(e.stale());
    }
    EXPECT_EQ(s->actions().findById("a1")->description, "first edit");
}

TEST_P(StoreContractTest, DuplicateNaturalKeyIsAConflictNotADriverError) {
    seedAction();
    d::Engagement dup;
    dup.id = "e2";
    dup.reference = "IA-1";
    dup.title = "Another";
    try {
        s->engagements().save(dup);
        FAIL() << "expected a conflict";
    } catch (const d::ConflictError& e) {
        EXPECT_FALSE(e.stale());
        EXPECT_NE(std::string(e.what()).find("already exists"), std::string::npos);
    }
}

TEST_P(StoreContractTest, ForeignKeysAreEnforced) {
    d::Action orphan;
    orphan.id = "a9";
    orphan.recommendationId = "no-such-recommendation";
    EXPECT_THROW(s->actions().save(orphan), d::ConflictError);
}

TEST_P(StoreContractTest, TransactionRollsBackOnThrow) {
    EXPECT_THROW(s->transaction([&] {
        seedAction();
        throw d::ValidationError("stop");
    }),
                 d::ValidationError);
    EXPECT_TRUE(s->engagements().list().empty());
    EXPECT_TRUE(s->people().list().empty());
}

TEST_P(StoreContractTest, LoadActionPlanGivesLatestUpdatePerAction) {
    seedAction();
    s->progressUpdates().add({"u1", "a1", ymd(2025, 9, 1), "p1", "workshops planned", 20});
    s->progressUpdates().add({"u2", "a1", ymd(2025, 11, 1), "p1", "half the divisions done", 50});
    s->progressUpdates().add({"u3", "a1", ymd(2025, 10, 1), std::nullopt, "older", std::nullopt});
    auto snap = s->loadActionPlan({});
    ASSERT_EQ(snap.actions.size(), 1u);
    ASSERT_EQ(snap.lastUpdates.count("a1"), 1u);
    EXPECT_EQ(snap.lastUpdates.at("a1").text, "half the divisions done");
    EXPECT_EQ(snap.lastUpdates.at("a1").percent, 50);
    EXPECT_EQ(snap.people.size(), 2u);
    auto filtered = s->loadActionPlan({std::string("IA-1")});
    EXPECT_EQ(filtered.recommendations.size(), 1u);
    EXPECT_THROW(s->loadActionPlan({std::string("IA-404")}), d::NotFoundError);
}

TEST_P(StoreContractTest, FourByteUtf8RoundTrips) {
    d::Risk r = d::Risk::basic("k1", "CR-012", "Management information \xF0\x9F\x94\x91 Überprüfung", "", "strategic");
    s->risks().save(r);
    EXPECT_EQ(s->risks().findByReference("CR-012")->title, r.title);
}

// ---- the same domain error, word for word, on every backend ----

TEST_P(StoreContractTest, DuplicateKeyMessageIsTheSameOnEveryBackend) {
    s->people().save(d::Person{"p1", "Product Owner", "", std::nullopt, std::nullopt, true, {}});
    try {
        s->people().save(d::Person{"p2", "Product Owner", "", std::nullopt, std::nullopt, true, {}});
        FAIL() << "expected a conflict";
    } catch (const d::ConflictError& e) {
        EXPECT_FALSE(e.stale());
        EXPECT_STREQ(e.what(), "saving person: a record with the same key already exists");
    }
    EXPECT_EQ(s->people().list().size(), 1u);
}

TEST_P(StoreContractTest, StaleVersionMessageIsTheSameOnEveryBackend) {
    auto a = seedAction();
    s->actions().save(a);
    try {
        s->actions().save(a);
        FAIL() << "expected a stale conflict";
    } catch (const d::ConflictError& e) {
        EXPECT_TRUE(e.stale());
        EXPECT_STREQ(e.what(), "action 1 was changed by someone else; reload and try again");
    }
}

TEST_P(StoreContractTest, ForeignKeyMessageIsTheSameOnEveryBackend) {
    d::Action orphan;
    orphan.id = "a9";
    orphan.recommendationId = "no-such-recommendation";
    try {
        s->actions().save(orphan);
        FAIL() << "expected a conflict";
    } catch (const d::ConflictError& e) {
        EXPECT_FALSE(e.stale());
        EXPECT_STREQ(e.what(), "saving action: it refers to a record that does not exist");
    }
    EXPECT_FALSE(s->actions().findById("a9"));
}

TEST_P(StoreContractTest, NaturalKeysAreCaseSensitiveLikeSqlite) {
    s->risks().save(d::Risk::basic("k1", "ABC", "upper", "", "strategic"));
    s->risks().save(d::Risk::basic("k2", "abc", "lower", "", "strategic"));  // a different key, not a duplicate
    EXPECT_EQ(s->risks().findByReference("ABC")->title, "upper");
    EXPECT_EQ(s->risks().findByReference("abc")->title, "lower");
    EXPECT_FALSE(s->risks().findByReference("Abc"));
    // Binary order: upper case before lower case, as SQLite sorts.
    const auto all = s->risks().list();
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0].reference, "ABC");
}

TEST_P(StoreContractTest, FourByteUtf8RoundTripsInKeysAndText) {
    const std::string key =
        "Head of \xF0\x9F\x94\x91 Keys \xE2\x80\x94 \xC3\x9C"
        "berpr\xC3\xBC"
        "fung";
    s->people().save(d::Person{"p1", key, "", std::nullopt, std::nullopt, true, {}});
    ASSERT_TRUE(s->people().findByRoleTitle(key));
    EXPECT_EQ(s->people().findByRoleTitle(key)->roleTitle, key);
    auto a = seedAction();
    a.description = "Emoji \xF0\x9F\x98\x80 and CJK \xE6\xBC\xA2\xE5\xAD\x97 and math \xF0\x9D\x94\xB8";
    s->actions().save(a);
    EXPECT_EQ(s->actions().findById("a1")->description, a.description);
}

TEST_P(StoreContractTest, LatestUpdateTieOnTheSameDateIsTheOneAddedLast) {
    seedAction();
    s->progressUpdates().add({"u-b", "a1", ymd(2025, 11, 1), "p1", "added first", 10});
    s->progressUpdates().add({"u-a", "a1", ymd(2025, 11, 1), "p1", "added second", 20});
    s->progressUpdates().add({"u-c", "a1", ymd(2025, 10, 1), "p1", "older", 5});
    auto snap = s->loadActionPlan({});
    ASSERT_EQ(snap.lastUpdates.count("a1"), 1u);
    EXPECT_EQ(snap.lastUpdates.at("a1").id, "u-a");
    EXPECT_EQ(snap.lastUpdates.at("a1").text, "added second");
    const auto all = s->progressUpdates().listByAction("a1");
    ASSERT_EQ(all.size(), 3u);
    EXPECT_EQ(all[0].id, "u-c");
    EXPECT_EQ(all[1].id, "u-b");
    EXPECT_EQ(all[2].id, "u-a");
}

TEST_P(StoreContractTest, NestedTransactionRollsBackWithTheOuterOne) {
    EXPECT_THROW(s->transaction([&] {
        s->risks().save(d::Risk::basic("k1", "CR-1", "", "", "strategic"));
        s->transaction([&] { s->risks().save(d::Risk::basic("k2", "CR-2", "", "", "strategic")); });
        throw d::ValidationError("stop");
    }),
                 d::ValidationError);
    EXPECT_TRUE(s->risks().list().empty());
}

TEST_P(StoreContractTest, ADuplicateInsideATransactionRollsBackEverything) {
    EXPECT_THROW(s->transaction([&] {
        s->risks().save(d::Risk::basic("k1", "CR-1", "", "", "strategic"));
        s->risks().save(d::Risk::basic("k2", "CR-1", "", "", "strategic"));
    }),
                 d::ConflictError);
    EXPECT_TRUE(s->risks().list().empty());
}

TEST_P(StoreContractTest, TwoSessionsSavingTheSameVersionGiveOneSuccessAndOneStaleConflict) {
    const auto a = seedAction();
    auto other = store->openSession();
    std::atomic<int> successes{0}, stale{0}, otherErrors{0};
    std::barrier start(2);
    auto edit = [&](d::StoreSession& session, const std::string& text) {
        d::Action mine = a;  // both hold version 1
        mine.description = text;
        start.arrive_and_wait();
        try {
            session.transaction([&] { session.actions().save(mine); });
            ++successes;
        } catch (const d::ConflictError& e) {
            if (e.stale())
                ++stale;
            else
                ++otherErrors;
        } catch (...) {
            ++otherErrors;
        }
    };
    std::thread t1([&] { edit(*s, "edit one"); });
    std::thread t2([&] { edit(*other, "edit two"); });
    t1.join();
    t2.join();
    EXPECT_EQ(successes, 1);
    EXPECT_EQ(stale, 1);
    EXPECT_EQ(otherErrors, 0);
    const auto stored = s->actions().findById("a1");
    EXPECT_EQ(stored->version, 2);
    EXPECT_TRUE(stored->description == "edit one" || stored->description == "edit two");
}

TEST_P(StoreContractTest, TransferExportsEveryRowAndImportsIntoAnEmptyStoreKeepingVersions) {
    auto a = seedAction();
    a.description = "second version";
    s->actions().save(a);  // version 2
    s->progressUpdates().add({"u1", "a1", ymd(2025, 9, 1), "p1", "first", 10});
    auto* transfer = s->transfer();
    ASSERT_NE(transfer, nullptr);
    const auto contents = transfer->exportAll();
    EXPECT_EQ(transfer->countRows(), contents.counts());

    auto otherBackend = govtrack::test::makeBackend(GetParam());
    auto otherStore = otherBackend->open();
    otherStore->migrate();
    auto target = otherStore->openSession();
    const auto copied = d::copyStore(*s, *target, false);
    EXPECT_EQ(copied, contents.counts());
    EXPECT_EQ(target->actions().findById("a1")->version, 2);
    EXPECT_EQ(*target->actions().findById("a1"), *s->actions().findById("a1"));
    EXPECT_THROW(d::copyStore(*s, *target, false), d::ConflictError);  // not empty any more
    EXPECT_EQ(d::copyStore(*s, *target, true), contents.counts());     // --force replaces
}

GOVTRACK_ON_EVERY_BACKEND(StoreContractTest);
