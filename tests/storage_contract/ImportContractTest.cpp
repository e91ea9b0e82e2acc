// ImportService against every real store: all-or-nothing and idempotent (SPEC 5 "Import").
#include <gtest/gtest.h>

#include "govtrack/domain/AuditTrail.h"
#include "govtrack/domain/Error.h"
#include "govtrack/domain/ImportService.h"

#include "Backends.h"
#include "CountingIds.h"
#include "SessionWithActions.h"

namespace d = govtrack::domain;
using namespace std::chrono;

namespace {

d::ActionPlanDocument plan() {
    d::ActionPlanDocument doc;
    doc.units.push_back({"plan.json:/units/0", "People and Place", d::UnitKind::kDivision, std::nullopt});
    doc.people.push_back({"plan.json:/people/0",
                          "Head of People & Place",
                          "",
                          std::string("People and Place"),
                          std::string("Chief Executive"),
                          true,
                          {}});
    doc.groups.push_back({"plan.json:/groups/0",
                          "Benefit Performance Review Group",
                          d::GroupKind::kGroup,
                          std::string("Executive Team"),
                          "",
                          "",
                          "monthly",
                          "",
                          std::nullopt,
                          std::nullopt,
                          std::nullopt,
                          {},
                          {}});
    doc.groups.push_back({"plan.json:/groups/1",
                          "Executive Team",
                          d::GroupKind::kBoard,
                          std::nullopt,
                          "",
                          "",
                          "",
                          "",
                          std::nullopt,
                          std::nullopt,
                          std::nullopt,
                          {},
                          {}});
    d::EngagementRecord e;
    e.origin = "plan.json:/engagements/0";
    e.engagement.reference = "IA-2024-25-PM";
    e.engagement.title = "Performance Management";
    d::RecommendationRecord r;
    r.origin = "plan.json:/engagements/0/recommendations/0";
    r.number = 1;
    r.title = "Individual performance objectives";
    d::ActionRecord a;
    a.origin = "plan.json:/engagements/0/recommendations/0/actions/0";
    a.number = 1;
    a.description = "Define objectives for all roles";
    a.leadOwnerRoleTitle = "Organisational Design and Strategic Capability Lead";
    a.coOwnerRoleTitles = {"Head of People & Place"};
    a.originalTargetDate = d::TargetDate::monthOnly(2025, 12);
    a.progressUpdates.push_back({"x", d::Date{year{2025}, month{9}, day{1}}, std::nullopt, "workshops booked", 25});
    r.actions.push_back(a);
    e.recommendations.push_back(r);
    doc.engagements.push_back(e);
    return doc;
}

struct Counts {
    std::size_t engagements, recommendations, actions, people, groups, updates;
    bool operator==(const Counts&) const = default;
};

Counts count(d::StoreSession& s) {
    auto snap = s.loadActionPlan({});
    std::size_t updates = 0;
    for (const auto& a : snap.actions) updates += s.progressUpdates().listByAction(a.id).size();
    return {snap.engagements.size(), snap.recommendations.size(), snap.actions.size(),
            snap.people.size(),      s.groups().list().size(),    updates};
}

class ImportContract : public govtrack::test::StoreContract {
protected:
    govtrack::test::CountingIds ids;
};

}  // namespace

TEST_P(ImportContract, CreatesOwnersByRoleTitleAndLinksGroups) {
    const auto summary = d::ImportService(*s, ids).apply(plan());
    EXPECT_EQ(summary.actions, 1);
    EXPECT_EQ(summary.progressUpdates, 1);
    // Three people: the listed one, its line manager, and the lead owner named only on the action.
    EXPECT_EQ(s->people().list().size(), 3u);
    auto bprg = s->groups().findByName("Benefit Performance Review Group");
    ASSERT_TRUE(bprg && bprg->parentId);
    EXPECT_EQ(*bprg->parentId, s->groups().findByName("Executive Team")->id);
    auto head = s->people().findByRoleTitle("Head of People & Place");
    const auto chief = s->people().findByRoleTitle("Chief Executive");
    EXPECT_EQ(head->lineManagerId, chief->id);
    // Direct reports, for the line manager's row rule (domain/Access.h).
    EXPECT_EQ(s->people().listDirectReports(chief->id), (std::vector<d::Id>{head->id}));
    EXPECT_TRUE(s->people().listDirectReports(head->id).empty());
    EXPECT_TRUE(s->people().listDirectReports("nobody").empty());
}

TEST_P(ImportContract, ReimportingTheSameDocumentChangesNothing) {
    d::ImportService(*s, ids).apply(plan());
    const Counts before = count(*s);
    const auto versionBefore = s->engagements().findByReference("IA-2024-25-PM")->version;
    const auto again = d::ImportService(*s, ids).apply(plan());
    EXPECT_EQ(count(*s), before);
    EXPECT_EQ(again.actions, 0);
    EXPECT_EQ(again.recommendations, 0);
    EXPECT_EQ(again.progressUpdates, 0);
    EXPECT_EQ(s->engagements().findByReference("IA-2024-25-PM")->version, versionBefore);  // not bumped
}

TEST_P(ImportContract, ReimportUpdatesChangedFieldsInPlace) {
    d::ImportService(*s, ids).apply(plan());
    auto changed = plan();
    changed.engagements[0].recommendations[0].actions[0].status = d::ActionStatus::kImplemented;
    const auto summary = d::ImportService(*s, ids).apply(changed);
    EXPECT_EQ(summary.actions, 1);
    auto snap = s->loadActionPlan({});
    ASSERT_EQ(snap.actions.size(), 1u);
    EXPECT_EQ(snap.actions[0].status, d::ActionStatus::kImplemented);
}

TEST_P(ImportContract, AFileWithFewerColumnsDoesNotWipeWhatItDoesNotCarry) {
    auto full = plan();
    full.engagements[0].engagement.scope = "Performance management arrangements";
    full.engagements[0].status = d::EngagementStatus::kFinal;
    full.engagements[0].recommendations[0].issue = "Objectives missing for some roles";
    full.engagements[0].recommendations[0].actions[0].status = d::ActionStatus::kInProgress;
    full.engagements[0].recommendations[0].actions[0].revisions.push_back(
        {"x", d::TargetDate::monthOnly(2026, 3), "workshops late", std::nullopt, "Executive Team", std::nullopt});
    d::ImportService(*s, ids).apply(full);

    // A tracker: reference, number, priority, description, owner, target; nothing else.
    d::ActionPlanDocument tracker;
    d::EngagementRecord e;
    e.engagement.reference = "IA-2024-25-PM";
    d::RecommendationRecord r;
    r.number = 1;
    r.priority = d::Priority::kMedium;
    d::ActionRecord a;
    a.number = 1;
    a.description = "Define objectives for all roles";
    a.leadOwnerRoleTitle = "Organisational Design and Strategic Capability Lead";
    a.originalTargetDate = d::TargetDate::monthOnly(2025, 12);
    r.actions.push_back(a);
    e.recommendations.push_back(r);
    tracker.engagements.push_back(e);
    d::ImportService(*s, ids).apply(tracker);

    const auto engagement = s->engagements().findByReference("IA-2024-25-PM");
    EXPECT_EQ(engagement->scope, "Performance management arrangements");
    EXPECT_EQ(engagement->title, "Performance Management");
    const auto rec = s->recommendations().findByNumber(engagement->id, 1);
    EXPECT_EQ(rec->issue, "Objectives missing for some roles");
    EXPECT_EQ(rec->title, "Individual performance objectives");
    const auto action = s->actions().findByNumber(rec->id, 1);
    EXPECT_EQ(action->status, d::ActionStatus::kInProgress);
    EXPECT_EQ(action->coOwnerIds.size(), 1u);
    ASSERT_EQ(action->revisions.size(), 1u);
    EXPECT_EQ(action->revisions[0].newDate, d::TargetDate::monthOnly(2026, 3));
}

TEST_P(ImportContract, NewEngagementWithoutTitleIsNamedByItsReference) {
    d::ActionPlanDocument doc;
    d::EngagementRecord e;
    e.engagement.reference = "IA-X";
    doc.engagements.push_back(e);
    d::ImportService(*s, ids).apply(doc);
    EXPECT_EQ(s->engagements().findByReference("IA-X")->title, "IA-X");
    EXPECT_EQ(s->engagements().findByReference("IA-X")->status, d::EngagementStatus::kFinal);
}

TEST_P(ImportContract, DryRunListsChangesAndWritesNothing) {
    const auto summary = d::ImportService(*s, ids).apply(plan(), d::ImportMode::kDryRun);
    EXPECT_EQ(summary.actions, 1);
    ASSERT_FALSE(summary.changes.empty());
    EXPECT_EQ(summary.changes.front(), "created engagement IA-2024-25-PM");
    EXPECT_EQ(count(*s), (Counts{0, 0, 0, 0, 0, 0}));
    EXPECT_TRUE(s->units().list().empty());
}

TEST_P(ImportContract, ChangesNameTheFieldsThatChanged) {
    d::ImportService(*s, ids).apply(plan());
    auto edited = plan();
    edited.engagements[0].recommendations[0].actions[0].status = d::ActionStatus::kImplemented;
    edited.engagements[0].recommendations[0].priority = d::Priority::kHigh;
    const auto summary = d::ImportService(*s, ids).apply(edited);
    EXPECT_EQ(summary.changes,
              (std::vector<std::string>{"updated recommendation IA-2024-25-PM 1: priority medium -> high",
                                        "updated action IA-2024-25-PM 1.1: status not_started -> implemented"}));
}

TEST_P(ImportContract, AnImportCannotReopenAClosedAction) {
    auto verified = plan();
    verified.engagements[0].recommendations[0].actions[0].status = d::ActionStatus::kVerified;
    d::ImportService(*s, ids).apply(verified);
    auto stale = plan();  // an older tracker still saying "implemented"
    stale.engagements[0].recommendations[0].actions[0].status = d::ActionStatus::kImplemented;
    stale.engagements[0].recommendations[0].title = "A title change that must not land either";
    try {
        d::ImportService(*s, ids).apply(stale);
        FAIL() << "expected a validation error";
    } catch (const d::ValidationError& e) {
        ASSERT_EQ(e.errors().size(), 1u);
        EXPECT_EQ(e.errors()[0].where, "plan.json:/engagements/0/recommendations/0/actions/0");
        EXPECT_NE(e.errors()[0].message.find("is verified"), std::string::npos) << e.errors()[0].message;
    }
    const auto rec = s->recommendations().findByNumber(s->engagements().findByReference("IA-2024-25-PM")->id, 1);
    EXPECT_EQ(rec->title, "Individual performance objectives");
    EXPECT_EQ(s->actions().findByNumber(rec->id, 1)->status, d::ActionStatus::kVerified);
}

TEST_P(ImportContract, AnImportMovesStatusOnlyForwardBetweenOpenStates) {
    auto claimed = plan();
    claimed.engagements[0].recommendations[0].actions[0].status = d::ActionStatus::kImplemented;
    d::ImportService(*s, ids).apply(claimed);
    auto older = plan();  // a tracker from before the claim
    older.engagements[0].recommendations[0].actions[0].status = d::ActionStatus::kInProgress;
    try {
        d::ImportService(*s, ids).apply(older);
        FAIL() << "expected a refusal";
    } catch (const d::ValidationError& e) {
        ASSERT_EQ(e.errors().size(), 1u);
        EXPECT_NE(e.errors()[0].message.find("is implemented in govtrack; an import cannot move it to in_progress"),
                  std::string::npos)
            << e.errors()[0].message;
    }
    const auto rec = s->recommendations().findByNumber(s->engagements().findByReference("IA-2024-25-PM")->id, 1);
    EXPECT_EQ(s->actions().findByNumber(rec->id, 1)->status, d::ActionStatus::kImplemented);
}

TEST_P(ImportContract, ARevisionBeforeTheOriginalTargetIsRefused) {
    auto doc = plan();
    auto& action = doc.engagements[0].recommendations[0].actions[0];  // original Dec 2025
    action.revisions.push_back({"plan.json:/rev", d::TargetDate::day(d::Date{year{2025}, month{11}, day{15}}),
                                "bring forward", std::nullopt, "ET", std::nullopt});
    EXPECT_THROW(d::ImportService(*s, ids).apply(doc), d::ValidationError);
    EXPECT_EQ(count(*s), (Counts{0, 0, 0, 0, 0, 0}));
}

TEST_P(ImportContract, NaturalKeysMatchIgnoringCaseAndSpacing) {
    d::ImportService(*s, ids).apply(plan());
    auto sloppy = plan();
    sloppy.engagements[0].engagement.reference = " ia-2024-25-pm ";
    sloppy.engagements[0].recommendations[0].actions[0].leadOwnerRoleTitle =
        "organisational design  and strategic capability lead";
    sloppy.units[0].name = "people and place";
    sloppy.people[0].unitName = "PEOPLE AND PLACE";
    sloppy.people[0].roleTitle = "head of people & place";
    sloppy.engagements[0].recommendations[0].actions[0].coOwnerRoleTitles = {"Head of People &  Place"};
    const auto summary = d::ImportService(*s, ids).apply(sloppy);
    EXPECT_TRUE(summary.changes.empty()) << summary.changes.front();
    EXPECT_EQ(s->engagements().list().size(), 1u);
    EXPECT_EQ(s->people().list().size(), 3u);
    EXPECT_EQ(s->units().list().size(), 1u);
}

TEST_P(ImportContract, InvalidDocumentReportsEveryProblemAndWritesNothing) {
    auto bad = plan();
    bad.units[0].parentName = "Nowhere Directorate";
    bad.engagements[0].followsUpReference = "IA-1999";
    bad.engagements[0].recommendations.push_back(bad.engagements[0].recommendations[0]);  // duplicate number 1
    try {
        d::ImportService(*s, ids).apply(bad);
        FAIL() << "expected a validation error";
    } catch (const d::ValidationError& e) {
        ASSERT_EQ(e.errors().size(), 3u);
        EXPECT_EQ(e.errors()[0].where, "plan.json:/units/0");
        EXPECT_NE(e.errors()[0].message.find("Nowhere Directorate"), std::string::npos);
    }
    EXPECT_EQ(count(*s), (Counts{0, 0, 0, 0, 0, 0}));
}

namespace {

/// The real session, except that saving an action fails: a write failure in the middle of an
/// import, after units, people, groups and the engagement were already written in the transaction.
class ActionSaveFails final : public d::ActionRepository {
public:
    explicit ActionSaveFails(d::ActionRepository& real) : real_(real) {}
    std::optional<d::Action> findById(const d::Id& id) override { return real_.findById(id); }
    std::optional<d::Action> findByNumber(const d::Id& r, int n) override { return real_.findByNumber(r, n); }
    std::vector<d::Action> listByRecommendation(const d::Id& r) override { return real_.listByRecommendation(r); }
    std::vector<d::Action> listByResponsibleGroup(const d::Id& g) override { return real_.listByResponsibleGroup(g); }
    void save(const d::Action&) override { throw d::UnavailableError("disk full (simulated)"); }

private:
    d::ActionRepository& real_;
};

}  // namespace

TEST_P(ImportContract, FailureWhileWritingRollsBackEverything) {
    ActionSaveFails failingActions(s->actions());
    govtrack::test::SessionWithActions failing(*s, failingActions);
    EXPECT_THROW(d::ImportService(failing, ids).apply(plan()), d::UnavailableError);
    EXPECT_EQ(count(*s), (Counts{0, 0, 0, 0, 0, 0}));
    EXPECT_TRUE(s->units().list().empty());
}

GOVTRACK_ON_EVERY_BACKEND(ImportContract);
