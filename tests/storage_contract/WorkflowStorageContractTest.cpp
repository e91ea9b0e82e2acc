// The storage contract for workflow authority (schema 002): roles, group members and delegated powers, the
// workflow fields of an action, revision requests and evidence -- on SQLite and on MariaDB.
#include <string>

#include <gtest/gtest.h>

#include "govtrack/domain/Error.h"
#include "govtrack/domain/StoreTransfer.h"

#include "Backends.h"

namespace d = govtrack::domain;
using govtrack::test::StoreContract;
using namespace std::chrono;

namespace {

d::Date ymd(int y, unsigned m, unsigned day) {
    return d::Date{year{y}, month{m}, std::chrono::day{day}};
}

d::Person person(const std::string& id, const std::string& title, std::vector<d::Role> roles = {}) {
    d::Person p;
    p.id = id;
    p.roleTitle = title;
    p.roles = std::move(roles);
    return p;
}

d::GovernanceGroup group(const std::string& id, const std::string& name) {
    d::GovernanceGroup g;
    g.id = id;
    g.name = name;
    return g;
}

/// Every byte value, NUL and 0xFF included, twice over.
std::string allBytes() {
    std::string out;
    for (int round = 0; round < 2; ++round) {
        for (int b = 0; b < 256; ++b) out.push_back(static_cast<char>(b));
    }
    return out;
}

class WorkflowStorageContract : public StoreContract {
protected:
    /// People p1..p3, groups g1 (Executive Team) and g2 (Audit Committee), engagement e1 with recommendation
    /// r1 and actions a1, a2 (a2 overseen by g1).
    void seed() {
        s->people().save(person("p1", "Chief Executive", {d::Role::kAdmin}));
        s->people().save(person("p2", "Head of Governance"));
        s->people().save(person("p3", "Product Owner"));
        s->groups().save(group("g1", "Executive Team"));
        s->groups().save(group("g2", "Audit Committee"));
        d::Engagement e;
        e.id = "e1";
        e.reference = "IA-1";
        e.title = "Performance Management";
        s->engagements().save(e);
        d::Recommendation r;
        r.id = "r1";
        r.engagementId = "e1";
        r.number = 1;
        r.title = "Objectives";
        s->recommendations().save(r);
        for (int n = 1; n <= 2; ++n) {
            d::Action a;
            a.id = "a" + std::to_string(n);
            a.recommendationId = "r1";
            a.number = n;
            a.description = "action " + std::to_string(n);
            if (n == 2) a.responsibleGroupId = "g1";
            s->actions().save(a);
        }
    }

    d::RevisionRequest request(const std::string& id, const std::string& actionId, d::Date on,
                               std::optional<d::Id> routedTo, d::RequestStatus status = d::RequestStatus::kPending) {
        d::RevisionRequest r;
        r.id = id;
        r.actionId = actionId;
        r.requestedDate = d::TargetDate::monthOnly(2026, 6);
        r.reason = "supplier delay";
        r.requestedById = "p3";
        r.requestedOn = on;
        r.routedToGroupId = std::move(routedTo);
        r.status = status;
        if (status != d::RequestStatus::kPending) {
            r.decision = d::GroupDecision{"g1", "p2", on, d::PowerKind::kApproveRevisedDate, "ET minute 4"};
        }
        return r;
    }

    d::Evidence evidence(const std::string& id, const std::string& actionId, d::Date on, const std::string& content) {
        d::Evidence e;
        e.id = id;
        e.actionId = actionId;
        e.fileName = "minutes " + id + ".pdf";
        e.mediaType = "application/pdf";
        e.sizeBytes = static_cast<std::int64_t>(content.size());
        e.sha256 = std::string(64, 'a');
        e.addedOn = on;
        e.addedById = "p3";
        e.note = "signed minutes";
        return e;
    }
};

}  // namespace

TEST_P(WorkflowStorageContract, PersonRolesRoundTripSortedWithoutRepeats) {
    s->people().save(person("p1", "Chief Executive", {d::Role::kViewer, d::Role::kAdmin, d::Role::kViewer}));
    s->people().save(person("p2", "Product Owner"));
    const auto p1 = s->people().findById("p1");
    ASSERT_TRUE(p1);
    EXPECT_EQ(p1->roles, (std::vector<d::Role>{d::Role::kAdmin, d::Role::kViewer}));
    EXPECT_EQ(s->people().findByRoleTitle("Chief Executive")->roles, p1->roles);
    EXPECT_TRUE(s->people().findById("p2")->roles.empty());
    EXPECT_FALSE(s->people().findById("p404"));
    auto changed = *p1;
    changed.roles = {d::Role::kSecretariat, d::Role::kAuditor};
    s->people().save(changed);
    const auto all = s->people().list();
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0].id, "p1");
    EXPECT_EQ(all[0].roles, (std::vector<d::Role>{d::Role::kSecretariat, d::Role::kAuditor}));
    EXPECT_EQ(s->loadActionPlan({}).people, all);
}

TEST_P(WorkflowStorageContract, GroupMembersComeBackChairSecretaryMemberThenByPersonAndPowersInOrder) {
    s->people().save(person("p1", "Chief Executive"));
    s->people().save(person("p2", "Head of Governance"));
    s->people().save(person("p3", "Product Owner"));
    s->people().save(person("p0", "Finance Director"));
    auto g = group("g1", "Executive Team");
    g.members = {{"p3", d::MemberRole::kMember},
                 {"p2", d::MemberRole::kSecretary},
                 {"p0", d::MemberRole::kMember},
                 {"p1", d::MemberRole::kChair}};
    g.powers = {{d::PowerKind::kWithdrawAction, std::nullopt, std::nullopt},
                {d::PowerKind::kApproveRevisedDate, d::Priority::kMedium, 90},
                {d::PowerKind::kAcceptRisk, d::Priority::kHigh, std::nullopt}};
    s->groups().save(g);
    const auto loaded = s->groups().findById("g1");
    ASSERT_TRUE(loaded);
    EXPECT_EQ(loaded->members, (std::vector<d::GroupMember>{{"p1", d::MemberRole::kChair},
                                                            {"p2", d::MemberRole::kSecretary},
                                                            {"p0", d::MemberRole::kMember},
                                                            {"p3", d::MemberRole::kMember}}));
    EXPECT_EQ(loaded->powers, g.powers);
    EXPECT_EQ(*s->groups().findByName("Executive Team"), *loaded);
    EXPECT_EQ(s->groups().list(), std::vector<d::GovernanceGroup>{*loaded});
    EXPECT_FALSE(s->groups().findById("g404"));

    auto changed = *loaded;  // saving replaces both lists
    changed.members = {{"p3", d::MemberRole::kChair}};
    changed.powers = {{d::PowerKind::kCloseRecommendation, d::Priority::kLow, std::nullopt}};
    s->groups().save(changed);
    EXPECT_EQ(*s->groups().findById("g1"), changed);
}

TEST_P(WorkflowStorageContract, AGroupListingOnePersonTwiceIsADuplicate) {
    s->people().save(person("p1", "Chief Executive"));
    auto g = group("g1", "Executive Team");
    g.members = {{"p1", d::MemberRole::kChair}, {"p1", d::MemberRole::kMember}};
    try {
        s->transaction([&] { s->groups().save(g); });
        FAIL() << "expected a conflict";
    } catch (const d::ConflictError& e) {
        EXPECT_STREQ(e.what(), "saving governance group: a record with the same key already exists");
    }
    EXPECT_FALSE(s->groups().findById("g1"));
}

TEST_P(WorkflowStorageContract, ActionWorkflowFieldsRoundTripAndTravelInTheActionPlan) {
    seed();
    auto a1 = *s->actions().findById("a1");
    a1.status = d::ActionStatus::kSuperseded;
    a1.responsibleGroupId = "g2";
    a1.supersededByActionId = "a2";
    a1.closure = d::GroupDecision{"g2", "p2", ymd(2025, 11, 20), d::PowerKind::kWithdrawAction, "AC 2025-11-20 item 7"};
    s->actions().save(a1);
    auto expected = a1;
    expected.version = 2;
    EXPECT_EQ(*s->actions().findById("a1"), expected);
    EXPECT_EQ(*s->actions().findByNumber("r1", 1), expected);

    auto a2 = *s->actions().findById("a2");
    a2.closure = d::GroupDecision{"g1", std::nullopt, ymd(2025, 12, 1), d::PowerKind::kAcceptRisk, ""};
    s->actions().save(a2);
    a2.version = 2;

    const auto snap = s->loadActionPlan({});
    ASSERT_EQ(snap.actions.size(), 2u);
    EXPECT_EQ(snap.actions[0], expected);
    EXPECT_EQ(snap.actions[1], a2);
    EXPECT_EQ(s->loadActionPlan({std::string("IA-1")}).actions, snap.actions);

    // Clearing the fields clears the columns.
    auto cleared = expected;
    cleared.responsibleGroupId.reset();
    cleared.supersededByActionId.reset();
    cleared.closure.reset();
    s->actions().save(cleared);
    cleared.version = 3;
    EXPECT_EQ(*s->actions().findById("a1"), cleared);
}

TEST_P(WorkflowStorageContract, ActionsByResponsibleGroupAreFilteredAndOrderedById) {
    seed();
    for (const char* id : {"a9", "a3", "a5"}) {
        d::Action a;
        a.id = id;
        a.recommendationId = "r1";
        a.number = 10 + id[1] - '0';
        a.responsibleGroupId = std::string(id) == "a5" ? "g2" : "g1";
        s->actions().save(a);
    }
    std::vector<std::string> ids;
    for (const auto& a : s->actions().listByResponsibleGroup("g1")) ids.push_back(a.id);
    EXPECT_EQ(ids, (std::vector<std::string>{"a2", "a3", "a9"}));
    ASSERT_EQ(s->actions().listByResponsibleGroup("g2").size(), 1u);
    EXPECT_TRUE(s->actions().listByResponsibleGroup("g404").empty());
}

TEST_P(WorkflowStorageContract, RecommendationFoundById) {
    seed();
    const auto r = s->recommendations().findById("r1");
    ASSERT_TRUE(r);
    EXPECT_EQ(*r, *s->recommendations().findByNumber("e1", 1));
    EXPECT_FALSE(s->recommendations().findById("r404"));
}

TEST_P(WorkflowStorageContract, RevisionRequestRoundTripsAndSavesAreVersioned) {
    seed();
    auto r = request("rr1", "a1", ymd(2025, 10, 1), std::string("g1"));
    r.version = 7;  // ignored on insert: a new request is version 1
    s->revisionRequests().save(r);
    auto loaded = s->revisionRequests().findById("rr1");
    ASSERT_TRUE(loaded);
    r.version = 1;
    EXPECT_EQ(*loaded, r);
    EXPECT_FALSE(s->revisionRequests().findById("rr404"));

    auto decided = *loaded;
    decided.status = d::RequestStatus::kApproved;
    decided.decision = d::GroupDecision{"g1", "p2", ymd(2025, 10, 14), d::PowerKind::kApproveRevisedDate, "ET item 4"};
    decided.decisionNote = "approved to June";
    s->revisionRequests().save(decided);
    auto expected = decided;
    expected.version = 2;
    EXPECT_EQ(*s->revisionRequests().findById("rr1"), expected);

    auto stale = *loaded;  // still version 1
    stale.status = d::RequestStatus::kRefused;
    try {
        s->revisionRequests().save(stale);
        FAIL() << "expected a stale conflict";
    } catch (const d::ConflictError& e) {
        EXPECT_TRUE(e.stale());
        EXPECT_STREQ(e.what(), "revision request rr1 was changed by someone else; reload and try again");
    }
    EXPECT_EQ(*s->revisionRequests().findById("rr1"), expected);
}

TEST_P(WorkflowStorageContract, PendingRequestsAreFilteredByGroupAndOldestFirst) {
    seed();
    s->revisionRequests().save(request("rr-c", "a1", ymd(2025, 10, 2), std::string("g1")));
    s->revisionRequests().save(request("rr-b", "a2", ymd(2025, 10, 2), std::string("g2")));
    s->revisionRequests().save(request("rr-a", "a1", ymd(2025, 10, 3), std::string("g1")));
    s->revisionRequests().save(request("rr-d", "a2", ymd(2025, 9, 30), std::nullopt));
    s->revisionRequests().save(request("rr-e", "a1", ymd(2025, 9, 1), std::string("g1"), d::RequestStatus::kApproved));
    s->revisionRequests().save(request("rr-f", "a1", ymd(2025, 9, 2), std::string("g1"), d::RequestStatus::kRefused));
    auto ids = [](const std::vector<d::RevisionRequest>& rows) {
        std::vector<std::string> out;
        for (const auto& r : rows) out.push_back(r.id);
        return out;
    };
    EXPECT_EQ(ids(s->revisionRequests().listPending(std::nullopt)),
              (std::vector<std::string>{"rr-d", "rr-b", "rr-c", "rr-a"}));
    EXPECT_EQ(ids(s->revisionRequests().listPending(std::string("g1"))), (std::vector<std::string>{"rr-c", "rr-a"}));
    EXPECT_EQ(ids(s->revisionRequests().listPending(std::string("g2"))), (std::vector<std::string>{"rr-b"}));
    EXPECT_TRUE(s->revisionRequests().listPending(std::string("g404")).empty());
    EXPECT_EQ(ids(s->revisionRequests().listByAction("a1")),
              (std::vector<std::string>{"rr-e", "rr-f", "rr-c", "rr-a"}));
}

TEST_P(WorkflowStorageContract, EvidenceKeepsEveryByteAndItsMetadata) {
    seed();
    const std::string bytes = allBytes();
    auto withFile = evidence("ev2", "a1", ymd(2025, 11, 2), bytes);
    s->progressUpdates().add({"u1", "a1", ymd(2025, 11, 2), "p3", "minutes attached", 50});
    withFile.progressUpdateId = "u1";
    s->evidence().add(withFile, bytes);
    auto note = evidence("ev1", "a1", ymd(2025, 11, 1), "");
    note.fileName.clear();
    note.mediaType.clear();
    note.sha256.clear();
    note.addedById.reset();
    note.note = "https://intranet.example/minutes";
    s->evidence().add(note, "");
    auto other = evidence("ev3", "a2", ymd(2025, 10, 1), "x");
    s->evidence().add(other, "x");

    EXPECT_EQ(s->evidence().listByAction("a1"), (std::vector<d::Evidence>{note, withFile}));
    EXPECT_EQ(s->evidence().listByAction("a2"), std::vector<d::Evidence>{other});
    const auto content = s->evidence().content("ev2");
    ASSERT_TRUE(content);
    EXPECT_EQ(content->size(), 512u);
    EXPECT_EQ(*content, bytes);
    EXPECT_EQ(s->evidence().content("ev1"), std::string());
    EXPECT_FALSE(s->evidence().content("ev404"));
}

TEST_P(WorkflowStorageContract, EvidenceHoldsAFiveMegabyteFile) {
    seed();
    std::string big(5 * 1024 * 1024, '\0');
    for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>((i * 7919 + i / 251) & 0xFF);
    s->evidence().add(evidence("big", "a1", ymd(2025, 11, 1), big), big);
    const auto content = s->evidence().content("big");
    ASSERT_TRUE(content);
    EXPECT_EQ(content->size(), big.size());
    EXPECT_TRUE(*content == big);  // not EXPECT_EQ: a failure would print 5 MB
}

TEST_P(WorkflowStorageContract, EvidenceForAnUnknownActionIsTheSameConflictOnEveryBackend) {
    seed();
    try {
        s->evidence().add(evidence("ev1", "no-such-action", ymd(2025, 11, 1), "abc"), "abc");
        FAIL() << "expected a conflict";
    } catch (const d::ConflictError& e) {
        EXPECT_FALSE(e.stale());
        EXPECT_STREQ(e.what(), "saving evidence: it refers to a record that does not exist");
    }
    EXPECT_FALSE(s->evidence().content("ev1"));
    s->evidence().add(evidence("ev1", "a1", ymd(2025, 11, 1), "abc"), "abc");
    try {
        s->evidence().add(evidence("ev1", "a1", ymd(2025, 11, 1), "abc"), "abc");
        FAIL() << "expected a conflict";
    } catch (const d::ConflictError& e) {
        EXPECT_STREQ(e.what(), "saving evidence: a record with the same key already exists");
    }
}

TEST_P(WorkflowStorageContract, ARevisionRequestForAnUnknownActionIsTheSameConflictOnEveryBackend) {
    seed();
    try {
        s->revisionRequests().save(request("rr1", "no-such-action", ymd(2025, 10, 1), std::nullopt));
        FAIL() << "expected a conflict";
    } catch (const d::ConflictError& e) {
        EXPECT_FALSE(e.stale());
        EXPECT_STREQ(e.what(), "saving revision request: it refers to a record that does not exist");
    }
}

TEST_P(WorkflowStorageContract, TransferCarriesTheNewTables) {
    seed();
    auto ceo = *s->people().findById("p1");
    ceo.roles = {d::Role::kAdmin, d::Role::kAuditor};
    s->people().save(ceo);
    auto g1 = *s->groups().findById("g1");
    g1.members = {{"p1", d::MemberRole::kChair}, {"p2", d::MemberRole::kSecretary}};
    g1.powers = {{d::PowerKind::kApproveRevisedDate, d::Priority::kHigh, 120}};
    s->groups().save(g1);
    auto a1 = *s->actions().findById("a1");
    a1.status = d::ActionStatus::kSuperseded;
    a1.supersededByActionId = "a2";
    a1.closure = d::GroupDecision{"g1", "p1", ymd(2025, 11, 20), d::PowerKind::kWithdrawAction, "ET item 2"};
    s->actions().save(a1);
    s->revisionRequests().save(request("rr1", "a2", ymd(2025, 10, 1), std::string("g1")));
    s->revisionRequests().save(request("rr2", "a2", ymd(2025, 10, 2), std::string("g1"), d::RequestStatus::kRefused));
    s->evidence().add(evidence("ev1", "a2", ymd(2025, 11, 1), allBytes()), allBytes());

    auto* transfer = s->transfer();
    ASSERT_NE(transfer, nullptr);
    const auto contents = transfer->exportAll();
    EXPECT_EQ(transfer->countRows(), contents.counts());
    const auto counts = contents.counts();
    auto rows = [&](const std::string& table) {
        for (const auto& c : counts) {
            if (c.table == table) return c.rows;
        }
        return std::int64_t{-1};
    };
    EXPECT_EQ(rows("person_role"), 2);
    EXPECT_EQ(rows("group_member"), 2);
    EXPECT_EQ(rows("group_power"), 1);
    EXPECT_EQ(rows("revision_request"), 2);
    EXPECT_EQ(rows("evidence"), 1);
    ASSERT_EQ(contents.evidence.size(), 1u);
    EXPECT_EQ(contents.evidence[0].content, allBytes());

    auto otherBackend = govtrack::test::makeBackend(GetParam());
    auto otherStore = otherBackend->open();
    otherStore->migrate();
    auto target = otherStore->openSession();
    EXPECT_EQ(d::copyStore(*s, *target, false), counts);
    const auto copied = target->transfer()->exportAll();
    EXPECT_EQ(copied.people, contents.people);
    EXPECT_EQ(copied.groups, contents.groups);
    EXPECT_EQ(copied.actions, contents.actions);
    EXPECT_EQ(copied.revisionRequests, contents.revisionRequests);
    EXPECT_EQ(copied.evidence, contents.evidence);
    EXPECT_EQ(target->revisionRequests().findById("rr2")->version, 1);
    // --force empties the target (children first) and copies again.
    EXPECT_EQ(d::copyStore(*s, *target, true), counts);
    EXPECT_EQ(target->transfer()->exportAll().evidence, contents.evidence);
}

GOVTRACK_ON_EVERY_BACKEND(WorkflowStorageContract);
