// Imports write audit events in their own transaction, and the follow-up as of a past day is rebuilt from
// them (SPEC 4.7, 4.8; issue 3 items 6-7), on SQLite and on MariaDB.
#include <fstream>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "govtrack/domain/AsOf.h"
#include "govtrack/domain/AuditCodec.h"
#include "govtrack/domain/Error.h"
#include "govtrack/domain/ImportService.h"
#include "govtrack/interchange/JsonPlanReader.h"
#include "govtrack/platform/Sha256Hasher.h"
#include "govtrack/platform/ZonedClock.h"
#include "govtrack/reports/Dashboard.h"
#include "govtrack/reports/FollowUpCompare.h"
#include "govtrack/reports/FollowUpReport.h"

#include "Backends.h"
#include "CountingIds.h"
#include "RandomTrail.h"

namespace d = govtrack::domain;
using govtrack::test::StoreContract;

namespace {

d::Date ymd(int y, unsigned m, unsigned day) {
    return d::Date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{day}};
}

d::ActionPlanDocument example() {
    std::ifstream in(std::string(GOVTRACK_SOURCE_DIR) + "/docs/examples/performance-management-2024-25.json");
    std::ostringstream s;
    s << in.rdbuf();
    return govtrack::interchange::readJsonPlan(s.str(), "example.json");
}

d::ActionRecord& firstAction(d::ActionPlanDocument& doc) {
    for (auto& e : doc.engagements) {
        if (e.engagement.reference == "IA-2024-25-PM") return e.recommendations.at(0).actions.at(0);
    }
    throw std::runtime_error("the example has no IA-2024-25-PM");
}

class AsOfContract : public StoreContract {
protected:
    d::ImportSummary importOn(const d::ActionPlanDocument& doc, const d::Clock& clock,
                              d::ImportMode mode = d::ImportMode::kApply) {
        d::AuditTrail audit(s->events(), clock, hasher);
        return d::ImportService(*s, ids, audit, d::Actor::system("import example.json")).apply(doc, mode);
    }
    d::ActionPlanSnapshot asOf(d::Date day, const d::ActionPlanFilter& filter = {}) {
        return d::loadActionPlanAsOf(s->events(), govtrack::platform::endOfDayUtc(day, "Europe/London"), day, filter);
    }
    static void expectSame(const d::ActionPlanSnapshot& a, const d::ActionPlanSnapshot& b) {
        EXPECT_EQ(a.engagements, b.engagements);
        EXPECT_EQ(a.recommendations, b.recommendations);
        EXPECT_EQ(a.actions, b.actions);
        EXPECT_EQ(a.people, b.people);
        EXPECT_EQ(a.units, b.units);
        EXPECT_EQ(a.lastUpdates, b.lastUpdates);
    }

    govtrack::platform::Sha256Hasher hasher;
    govtrack::test::CountingIds ids;
    const d::Date day1 = ymd(2026, 1, 15), day2 = ymd(2026, 3, 2);
    const d::FixedClock clock1{day1}, clock2{day2};
};

}  // namespace

TEST_P(AsOfContract, EveryImportedRecordHasAnEventAndTheChainVerifies) {
    importOn(example(), clock1);
    const auto events = s->events().list(1, 100000);
    ASSERT_FALSE(events.empty());
    std::set<std::string> types;
    for (const auto& e : events) {
        types.insert(e.entityType);
        EXPECT_EQ(e.actorName, "import example.json");
        EXPECT_EQ(e.at, "2026-01-15T12:00:00Z");
    }
    EXPECT_EQ(types, (std::set<std::string>{"action", "engagement", "finding", "group", "person", "progress_update",
                                            "recommendation", "risk", "unit"}));
    const auto plan = s->loadActionPlan({});
    for (const auto& a : plan.actions) {
        const auto latest = s->events().latestBefore("2100-01-01T00:00:00Z", {"action"});
        bool found = false;
        for (const auto& e : latest) found = found || (e.entityId == a.id && d::decodeAction(e.after) == a);
        EXPECT_TRUE(found) << "action " << a.id << " has no event with its stored state";
    }
    const auto check = d::verifyChain(s->events(), hasher);
    EXPECT_EQ(check.firstBroken, std::nullopt) << check.problem;
    EXPECT_EQ(check.events, static_cast<std::int64_t>(events.size()));

    // The same file again changes nothing and records nothing.
    const auto count = s->events().count();
    importOn(example(), clock2);
    EXPECT_EQ(s->events().count(), count);
}

TEST_P(AsOfContract, DryRunAndRefusedImportRecordNothing) {
    importOn(example(), clock1, d::ImportMode::kDryRun);
    EXPECT_EQ(s->events().count(), 0);
    importOn(example(), clock1);
    const auto count = s->events().count();
    auto doc = example();
    auto& action = firstAction(doc);
    action.description = "changed";
    action.leadOwnerRoleTitle.reset();
    action.coOwnerRoleTitles.clear();
    doc.engagements.push_back(doc.engagements.front());  // listed twice: refused before anything is written
    EXPECT_THROW(importOn(doc, clock2), d::ValidationError);
    EXPECT_EQ(s->events().count(), count);
}

TEST_P(AsOfContract, AsOfAnEarlierDayShowsTheValuesOfThatDay) {
    importOn(example(), clock1);
    const auto before = s->loadActionPlan({});

    auto doc = example();
    auto& action = firstAction(doc);
    action.status = d::ActionStatus::kImplemented;
    action.coOwnerRoleTitles.push_back("Chief Data Officer");
    action.revisions.push_back(d::RevisionRecord{
        {}, d::TargetDate::monthOnly(2026, 6), "resourcing", std::nullopt, "Executive Team", ymd(2026, 2, 20)});
    action.progressUpdates.push_back(d::ProgressUpdateRecord{{}, day2, std::nullopt, "objectives in place", 100});
    importOn(doc, clock2);
    const auto after = s->loadActionPlan({});
    ASSERT_NE(before.actions, after.actions);

    expectSame(asOf(day1), before);             // the end of day 1: as it stood then
    expectSame(asOf(ymd(2026, 3, 1)), before);  // the day before the change
    expectSame(asOf(day2), after);              // the change's own day
    expectSame(asOf(ymd(2030, 1, 1)), after);
    EXPECT_TRUE(asOf(ymd(2026, 1, 14)).engagements.empty());  // before anything was imported
    EXPECT_EQ(asOf(day1, {std::string("ia-2024-25-pm ")}).recommendations,
              asOf(day1, {std::string("IA-2024-25-PM")}).recommendations);  // found as findEngagement finds it
    EXPECT_EQ(asOf(day1, {std::string("IA-2024-25-PM")}).engagements.size(), 1u);
    EXPECT_THROW(asOf(ymd(2026, 1, 14), {std::string("IA-2024-25-PM")}), d::NotFoundError);

    // The follow-up report built from the rebuilt plan shows the old status, date and owners.
    const auto old = govtrack::reports::buildFollowUpReport(asOf(day1), day1);
    const auto now = govtrack::reports::buildFollowUpReport(after, day2);
    const auto changes = govtrack::reports::compareFollowUp(old, now);
    std::set<std::string> fields;
    for (const auto& c : changes) {
        if (c.action) fields.insert(c.field);
    }
    EXPECT_EQ(fields, (std::set<std::string>{"current_target_date", "owners", "revisions", "status"}));
    for (const auto& c : changes) {
        if (c.action && c.field == "status") {
            EXPECT_EQ(c.to, "implemented");
            EXPECT_NE(c.from, "implemented");
        }
        if (c.action && c.field == "current_target_date") {
            EXPECT_EQ(c.to, "2026-06");
        }
    }
}

TEST_P(AsOfContract, DashboardTrendInOnePassEqualsARebuildAtEveryMonthEnd) {
    // The dashboard's trend read through this store's scanStates (one pass) against its latestBefore at each
    // month end, on a random trail whose clocks sometimes run backwards (reports/DashboardTrendTest.cpp has
    // the hand-checked figures and more trails on the in-memory store).
    govtrack::test::RandomTrailOptions options;
    options.seed = 7;
    options.start = ymd(2025, 2, 20);
    options.days = 300;
    options.operations = 300;
    options.skewPercent = 5;
    const auto trail = govtrack::test::writeRandomTrail(
        s->events(), hasher, [&](const std::function<void()>& work) { s->transaction(work); }, options);
    auto endOfDay = [](d::Date day) { return govtrack::platform::endOfDayUtc(day, "Europe/London"); };
    const d::Date today = ymd(2026, 1, 5);
    for (const auto& engagement :
         {std::optional<std::string>(), std::optional<std::string>(trail.references.front())}) {
        const auto onePass = govtrack::reports::buildTrend(*s, today, 14, endOfDay, engagement);
        const auto rebuilt = govtrack::reports::buildTrendByRebuild(*s, today, 14, endOfDay, engagement);
        ASSERT_EQ(onePass.size(), 14u);
        EXPECT_FALSE(onePass.front().recorded);  // November 2024: before the trail
        EXPECT_TRUE(onePass.back().recorded);
        if (!engagement) {
            EXPECT_GT(onePass.back().actions, 0);
        }
        for (std::size_t i = 0; i < onePass.size(); ++i) {
            EXPECT_EQ(onePass[i], rebuilt[i]) << "point " << i << " (" << d::formatIso(onePass[i].date) << ")";
        }
    }
}

GOVTRACK_ON_EVERY_BACKEND(AsOfContract);
