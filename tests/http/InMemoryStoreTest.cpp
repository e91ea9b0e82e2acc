#include <stdexcept>

#include <gtest/gtest.h>

#include "InMemoryStore.h"

namespace govtrack::testing {
namespace {

domain::Engagement engagement(const std::string& id, const std::string& reference) {
    domain::Engagement e;
    e.id = id;
    e.reference = reference;
    e.title = "Title of " + reference;
    return e;
}

domain::Recommendation recommendation(const std::string& id, const std::string& engagementId, int number) {
    domain::Recommendation r;
    r.id = id;
    r.engagementId = engagementId;
    r.number = number;
    return r;
}

domain::Action action(const std::string& id, const std::string& recommendationId, int number) {
    domain::Action a;
    a.id = id;
    a.recommendationId = recommendationId;
    a.number = number;
    return a;
}

TEST(InMemoryStore, VersionedSaveInsertsAtOneAndBumpsOnUpdate) {
    InMemoryStore store;
    auto session = store.openSession();
    auto e = engagement("e1", "IA-1");
    e.version = 7;  // ignored on insert
    session->engagements().save(e);
    auto stored = session->engagements().findByReference("IA-1");
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->version, 1);
    stored->title = "Renamed";
    session->engagements().save(*stored);
    EXPECT_EQ(session->engagements().findByReference("IA-1")->version, 2);
    EXPECT_EQ(session->engagements().findByReference("IA-1")->title, "Renamed");
}

TEST(InMemoryStore, StaleVersionIsAStaleConflict) {
    InMemoryStore store;
    auto session = store.openSession();
    session->actions().save(action("a1", "r1", 1));
    auto first = *session->actions().findById("a1");
    auto second = first;
    session->actions().save(first);
    try {
        session->actions().save(second);
        FAIL() << "expected a stale conflict";
    } catch (const domain::ConflictError& error) {
        EXPECT_TRUE(error.stale());
    }
}

TEST(InMemoryStore, DuplicateNaturalKeyIsAConflict) {
    InMemoryStore store;
    auto session = store.openSession();
    session->engagements().save(engagement("e1", "IA-1"));
    try {
        session->engagements().save(engagement("e2", "IA-1"));
        FAIL() << "expected a conflict";
    } catch (const domain::ConflictError& error) {
        EXPECT_FALSE(error.stale());
    }
    session->recommendations().save(recommendation("r1", "e1", 1));
    EXPECT_THROW(session->recommendations().save(recommendation("r2", "e1", 1)), domain::ConflictError);
    session->recommendations().save(recommendation("r3", "e2", 1));  // other engagement: fine
}

TEST(InMemoryStore, TransactionRestoresStateWhenWorkThrows) {
    InMemoryStore store;
    auto session = store.openSession();
    session->engagements().save(engagement("e1", "IA-1"));
    EXPECT_THROW(session->transaction([&] {
        session->engagements().save(engagement("e2", "IA-2"));
        throw std::runtime_error("abort");
    }),
                 std::runtime_error);
    EXPECT_EQ(session->engagements().list().size(), 1u);
    session->transaction([&] { session->engagements().save(engagement("e3", "IA-3")); });
    EXPECT_EQ(session->engagements().list().size(), 2u);
    EXPECT_EQ(store.transactions(), 2);
}

TEST(InMemoryStore, LoadActionPlanFiltersOrdersAndKnowsLatestUpdate) {
    InMemoryStore store;
    auto session = store.openSession();
    session->engagements().save(engagement("e-b", "IA-B"));
    session->engagements().save(engagement("e-a", "IA-A"));
    session->recommendations().save(recommendation("r-b2", "e-b", 2));
    session->recommendations().save(recommendation("r-b1", "e-b", 1));
    session->recommendations().save(recommendation("r-a1", "e-a", 1));
    session->actions().save(action("x2", "r-b1", 2));
    session->actions().save(action("x1", "r-b1", 1));
    session->actions().save(action("y1", "r-a1", 1));
    const auto day = [](unsigned d) { return std::chrono::year{2025} / std::chrono::month{9} / std::chrono::day{d}; };
    session->progressUpdates().add({"u2", "x1", day(10), std::nullopt, "later", 50});
    session->progressUpdates().add({"u1", "x1", day(3), std::nullopt, "earlier", 10});

    const auto all = session->loadActionPlan({});
    ASSERT_EQ(all.recommendations.size(), 3u);
    EXPECT_EQ(all.recommendations[0].id, "r-a1");
    EXPECT_EQ(all.recommendations[1].id, "r-b1");
    EXPECT_EQ(all.recommendations[2].id, "r-b2");
    ASSERT_EQ(all.actions.size(), 3u);
    EXPECT_EQ(all.actions[0].id, "y1");
    EXPECT_EQ(all.actions[1].id, "x1");
    EXPECT_EQ(all.actions[2].id, "x2");
    ASSERT_EQ(all.lastUpdates.count("x1"), 1u);
    EXPECT_EQ(all.lastUpdates.at("x1").text, "later");

    const auto one = session->loadActionPlan({std::string("IA-A")});
    ASSERT_EQ(one.engagements.size(), 1u);
    EXPECT_EQ(one.recommendations.size(), 1u);
    EXPECT_EQ(one.actions.size(), 1u);
    EXPECT_TRUE(one.lastUpdates.empty());
    EXPECT_THROW(session->loadActionPlan({std::string("IA-NONE")}), domain::NotFoundError);
}

TEST(InMemoryStore, FaultHookThrowsFromEveryCall) {
    InMemoryStore store;
    store.setFault([] { throw domain::UnavailableError("down"); });
    EXPECT_THROW(store.openSession(), domain::UnavailableError);
    store.setFault({});
    auto session = store.openSession();
    store.setFault([] { throw std::runtime_error("boom"); });
    EXPECT_THROW(session->engagements().list(), std::runtime_error);
    EXPECT_THROW(session->loadActionPlan({}), std::runtime_error);
}

// The fake keeps the workflow contract the real stores keep (tests/storage_contract/WorkflowStorageContractTest.cpp).

TEST(InMemoryStore, RevisionRequestSavesAreVersionedAndPendingIsOldestFirst) {
    InMemoryStore store;
    auto session = store.openSession();
    session->engagements().save(engagement("e1", "IA-1"));
    session->recommendations().save(recommendation("r1", "e1", 1));
    session->actions().save(action("a1", "r1", 1));
    auto request = [](const std::string& id, unsigned day, std::optional<domain::Id> group) {
        domain::RevisionRequest r;
        r.id = id;
        r.actionId = "a1";
        r.requestedOn = domain::Date{std::chrono::year{2025}, std::chrono::month{10}, std::chrono::day{day}};
        r.routedToGroupId = std::move(group);
        return r;
    };
    session->revisionRequests().save(request("rr-b", 2, std::string("g1")));
    session->revisionRequests().save(request("rr-a", 2, std::string("g2")));
    session->revisionRequests().save(request("rr-c", 1, std::string("g1")));
    std::vector<std::string> ids;
    for (const auto& r : session->revisionRequests().listPending(std::nullopt)) ids.push_back(r.id);
    EXPECT_EQ(ids, (std::vector<std::string>{"rr-c", "rr-a", "rr-b"}));
    EXPECT_EQ(session->revisionRequests().listPending(std::string("g1")).size(), 2u);

    auto stored = *session->revisionRequests().findById("rr-a");
    EXPECT_EQ(stored.version, 1);
    stored.status = domain::RequestStatus::kRefused;
    session->revisionRequests().save(stored);
    EXPECT_EQ(session->revisionRequests().findById("rr-a")->version, 2);
    try {
        session->revisionRequests().save(stored);  // still version 1
        FAIL() << "expected a stale conflict";
    } catch (const domain::ConflictError& e) {
        EXPECT_TRUE(e.stale());
    }
    EXPECT_EQ(session->revisionRequests().listPending(std::string("g2")).size(), 0u);
}

TEST(InMemoryStore, EvidenceNeedsItsActionAndKeepsItsBytes) {
    InMemoryStore store;
    auto session = store.openSession();
    domain::Evidence e;
    e.id = "ev1";
    e.actionId = "a1";
    const std::string bytes("\0\xFF\0", 3);
    EXPECT_THROW(session->evidence().add(e, bytes), domain::ConflictError);
    session->engagements().save(engagement("e1", "IA-1"));
    session->recommendations().save(recommendation("r1", "e1", 1));
    session->actions().save(action("a1", "r1", 1));
    session->evidence().add(e, bytes);
    EXPECT_EQ(session->evidence().content("ev1"), bytes);
    EXPECT_EQ(session->evidence().listByAction("a1"), std::vector<domain::Evidence>{e});
    EXPECT_FALSE(session->evidence().content("ev2"));
    EXPECT_THROW(session->evidence().add(e, bytes), domain::ConflictError);
}

TEST(InMemoryStore, RolesAndMembersComeBackInTheStoresOrder) {
    InMemoryStore store;
    auto session = store.openSession();
    domain::Person p;
    p.id = "p1";
    p.roleTitle = "Chief Executive";
    p.roles = {domain::Role::kViewer, domain::Role::kAdmin, domain::Role::kViewer};
    session->people().save(p);
    EXPECT_EQ(session->people().findById("p1")->roles,
              (std::vector<domain::Role>{domain::Role::kAdmin, domain::Role::kViewer}));
    domain::GovernanceGroup g;
    g.id = "g1";
    g.name = "Executive Team";
    g.members = {{"p3", domain::MemberRole::kMember},
                 {"p2", domain::MemberRole::kSecretary},
                 {"p1", domain::MemberRole::kChair}};
    session->groups().save(g);
    EXPECT_EQ(session->groups().findById("g1")->members,
              (std::vector<domain::GroupMember>{{"p1", domain::MemberRole::kChair},
                                                {"p2", domain::MemberRole::kSecretary},
                                                {"p3", domain::MemberRole::kMember}}));
    g.members.push_back({"p1", domain::MemberRole::kMember});
    EXPECT_THROW(session->groups().save(g), domain::ConflictError);
}

}  // namespace
}  // namespace govtrack::testing
