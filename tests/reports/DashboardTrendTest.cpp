// The dashboard's implementation trend (SPEC 4.7 "Dashboards"; issue 8 item 8): one pass over the audit
// trail (buildTrend) gives, at every month end, exactly the figures of the plan rebuilt from the trail at
// that month end (buildTrendByRebuild, the definition), including month ends before the trail starts,
// actions created, moved, revised, superseded and deleted mid-way, engagement filters, and events whose
// clock runs backwards.
#include <cstdio>
#include <stdexcept>

#include <gtest/gtest.h>

#include "govtrack/domain/AuditCodec.h"
#include "govtrack/domain/AuditTrail.h"
#include "govtrack/reports/Dashboard.h"

#include "FakeHasher.h"
#include "InMemoryStore.h"
#include "RandomTrail.h"

namespace d = govtrack::domain;
namespace r = govtrack::reports;
using S = d::ActionStatus;

namespace {

d::Date ymd(int y, unsigned m, unsigned day) {
    return d::Date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{day}};
}

/// "2025-03-15T09:00:00Z" as an instant.
std::chrono::sys_seconds instantOf(const std::string& at) {
    int y = 0, mo = 0, day = 0, h = 0, mi = 0, sec = 0;
    if (std::sscanf(at.c_str(), "%d-%d-%dT%d:%d:%dZ", &y, &mo, &day, &h, &mi, &sec) != 6)
        throw std::invalid_argument(at);
    return std::chrono::sys_days{ymd(y, static_cast<unsigned>(mo), static_cast<unsigned>(day))} +
           std::chrono::hours{h} + std::chrono::minutes{mi} + std::chrono::seconds{sec};
}

/// Cut-offs as the server computes them in UTC (the end of the day is the next day's midnight).
std::string endOfDayUtc(d::Date day) {
    return d::formatUtc(std::chrono::sys_days{day} + std::chrono::days{1});
}

std::string describe(const r::TrendPoint& p) {
    return d::formatIso(p.date) + (p.recorded ? "" : " (not recorded)") + ": recs " +
           std::to_string(p.recommendations) + ", actions " + std::to_string(p.actions) + ", open " +
           std::to_string(p.openActions) + ", claims " + std::to_string(p.implementedClaims) + ", closed " +
           std::to_string(p.closedActions) + ", overdue " + std::to_string(p.overdueActions) + ", implemented " +
           std::to_string(p.implementedPercent) + "%";
}

void expectSameTrend(const std::vector<r::TrendPoint>& onePass, const std::vector<r::TrendPoint>& rebuilt,
                     const std::string& what) {
    ASSERT_EQ(onePass.size(), rebuilt.size()) << what;
    for (std::size_t i = 0; i < onePass.size(); ++i) {
        EXPECT_EQ(onePass[i], rebuilt[i]) << what << ", point " << i << "\n  one pass: " << describe(onePass[i])
                                          << "\n  rebuilt:  " << describe(rebuilt[i]);
    }
}

class DashboardTrend : public ::testing::Test {
protected:
    /// Records one event at `at` (UTC) as an import or a workflow step would.
    template <typename T>
    void record(std::string_view type, const T& value, const std::string& at, std::string_view change = "update") {
        const auto instant = instantOf(at);
        const d::FixedClock clock(d::Date{std::chrono::floor<std::chrono::days>(instant)}, instant);
        session->transaction([&] {
            d::AuditTrail trail(session->events(), clock, hasher);
            trail.record(d::Actor::system("test"), type, value.id, change, "", d::encode(value), "");
        });
    }
    void erase(std::string_view type, const d::Id& id, const std::string& at) {
        const auto instant = instantOf(at);
        const d::FixedClock clock(d::Date{std::chrono::floor<std::chrono::days>(instant)}, instant);
        session->transaction([&] {
            d::AuditTrail trail(session->events(), clock, hasher);
            trail.record(d::Actor::system("test"), type, id, "delete", "", "", "");
        });
    }
    std::vector<r::TrendPoint> onePass(int months, const std::optional<std::string>& engagement = std::nullopt) {
        return r::buildTrend(*session, today, months, endOfDayUtc, engagement);
    }
    std::vector<r::TrendPoint> rebuilt(int months, const std::optional<std::string>& engagement = std::nullopt) {
        return r::buildTrendByRebuild(*session, today, months, endOfDayUtc, engagement);
    }

    govtrack::testing::InMemoryStore store;
    std::unique_ptr<d::StoreSession> session = store.openSession();
    govtrack::testing::FakeHasher hasher;
    const d::Date today = ymd(2026, 1, 5);
};

d::Action action(const std::string& id, const std::string& recommendation, d::TargetDate due) {
    d::Action a;
    a.id = id;
    a.recommendationId = recommendation;
    a.number = static_cast<int>(id.back() - '0');
    a.description = "Action " + id;
    a.originalTargetDate = due;
    return a;
}

}  // namespace

TEST_F(DashboardTrend, FiguresFollowThePlanMonthByMonth) {
    d::Engagement e;
    e.id = "e-1";
    e.reference = "IA-2025-01";
    d::Recommendation rec;
    rec.id = "r-1";
    rec.engagementId = e.id;
    rec.number = 1;
    rec.priority = d::Priority::kHigh;
    auto a1 = action("a-1", rec.id, d::TargetDate::day(ymd(2025, 4, 30)));
    auto a2 = action("a-2", rec.id, d::TargetDate::day(ymd(2025, 6, 15)));
    auto a3 = action("a-3", rec.id, d::TargetDate::monthOnly(2025, 7));

    record(d::audit_entity::kEngagement, e, "2025-03-15T09:00:00Z", "create");
    record(d::audit_entity::kRecommendation, rec, "2025-03-15T09:00:01Z", "create");
    record(d::audit_entity::kAction, a1, "2025-03-15T09:00:02Z", "create");
    a1.status = S::kImplemented;  // claimed in May, still open and past its date at the end of May
    record(d::audit_entity::kAction, a1, "2025-05-10T10:00:00Z", "transition");
    record(d::audit_entity::kAction, a2, "2025-05-10T11:00:00Z", "create");
    a1.status = S::kVerified;
    record(d::audit_entity::kAction, a1, "2025-06-20T10:00:00Z", "transition");
    a2.revisions.push_back({d::TargetDate::day(ymd(2025, 9, 30)), "slip", std::nullopt, "Executive Team", {}});
    record(d::audit_entity::kAction, a2, "2025-06-20T11:00:00Z", "decision");
    record(d::audit_entity::kAction, a3, "2025-08-05T09:00:00Z", "create");  // due July: overdue at once
    a2.status = S::kSuperseded;
    a2.supersededByActionId = a3.id;
    record(d::audit_entity::kAction, a2, "2025-08-05T09:00:01Z", "supersede");
    a3.status = S::kVerified;
    record(d::audit_entity::kAction, a3, "2025-10-01T09:00:00Z", "transition");
    // 23:30 UTC on 30 November is still 30 November in UTC: counted at the November month end.
    d::Action a4 = action("a-4", rec.id, d::TargetDate::day(ymd(2026, 3, 31)));
    record(d::audit_entity::kAction, a4, "2025-11-30T23:30:00Z", "create");
    erase(d::audit_entity::kAction, a4.id, "2025-12-01T00:00:00Z");  // deleted the next day

    const auto trend = onePass(12);
    ASSERT_EQ(trend.size(), 12u);
    struct Want {
        d::Date date;
        bool recorded;
        int actions, open, claims, closed, overdue;
        double implemented;
    };
    const Want want[] = {
        {ymd(2025, 1, 31), false, 0, 0, 0, 0, 0, 0.0}, {ymd(2025, 2, 28), false, 0, 0, 0, 0, 0, 0.0},
        {ymd(2025, 3, 31), true, 1, 1, 0, 0, 0, 0.0},  {ymd(2025, 4, 30), true, 1, 1, 0, 0, 0, 0.0},  // due today
        {ymd(2025, 5, 31), true, 2, 2, 1, 0, 1, 0.0},  {ymd(2025, 6, 30), true, 2, 1, 0, 1, 0, 0.0},
        {ymd(2025, 7, 31), true, 2, 1, 0, 1, 0, 0.0},  {ymd(2025, 8, 31), true, 3, 1, 0, 2, 1, 0.0},
        {ymd(2025, 9, 30), true, 3, 1, 0, 2, 1, 0.0},  {ymd(2025, 10, 31), true, 3, 0, 0, 3, 0, 100.0},
        {ymd(2025, 11, 30), true, 4, 1, 0, 3, 0, 0.0}, {ymd(2025, 12, 31), true, 3, 0, 0, 3, 0, 100.0},
    };
    for (std::size_t i = 0; i < 12; ++i) {
        SCOPED_TRACE(describe(trend[i]));
        EXPECT_EQ(trend[i].date, want[i].date);
        EXPECT_EQ(trend[i].recorded, want[i].recorded);
        EXPECT_EQ(trend[i].recommendations, want[i].recorded ? 1 : 0);
        EXPECT_EQ(trend[i].actions, want[i].actions);
        EXPECT_EQ(trend[i].openActions, want[i].open);
        EXPECT_EQ(trend[i].implementedClaims, want[i].claims);
        EXPECT_EQ(trend[i].closedActions, want[i].closed);
        EXPECT_EQ(trend[i].overdueActions, want[i].overdue);
        EXPECT_EQ(trend[i].implementedPercent, want[i].implemented);
    }
    expectSameTrend(trend, rebuilt(12), "12 months");
    expectSameTrend(onePass(36), rebuilt(36), "36 months");
    EXPECT_TRUE(onePass(0).empty());

    // One engagement: by its reference, hand-typed, and one that never existed (recorded, all zero).
    expectSameTrend(onePass(12, "IA-2025-01"), trend, "the only engagement");
    expectSameTrend(onePass(12, " ia-2025-01 "), trend, "the only engagement, hand-typed");
    const auto none = onePass(12, "IA-NOPE");
    expectSameTrend(none, rebuilt(12, "IA-NOPE"), "an unknown engagement");
    EXPECT_FALSE(none[1].recorded);
    EXPECT_TRUE(none[2].recorded);
    EXPECT_EQ(none[2].recommendations, 0);
}

TEST_F(DashboardTrend, AnEventStampedBeforeAnEarlierOneIsCountedWhereItsTimeSays) {
    d::Engagement e;
    e.id = "e-1";
    e.reference = "IA-1";
    d::Recommendation rec;
    rec.id = "r-1";
    rec.engagementId = e.id;
    rec.number = 1;
    auto a1 = action("a-1", rec.id, d::TargetDate::day(ymd(2025, 12, 31)));
    record(d::audit_entity::kEngagement, e, "2025-06-02T09:00:00Z", "create");
    record(d::audit_entity::kRecommendation, rec, "2025-06-02T09:00:01Z", "create");
    record(d::audit_entity::kAction, a1, "2025-06-02T09:00:02Z", "create");
    auto a2 = action("a-2", rec.id, d::TargetDate::day(ymd(2025, 12, 31)));
    record(d::audit_entity::kAction, a2, "2025-09-10T09:00:00Z", "create");
    // Another instance's clock, two months behind: verified "in July", appended after the September event.
    a1.status = S::kVerified;
    record(d::audit_entity::kAction, a1, "2025-07-15T09:00:00Z", "transition");

    const auto trend = onePass(12);
    expectSameTrend(trend, rebuilt(12), "skewed clock");
    EXPECT_EQ(trend[6].date, ymd(2025, 7, 31));
    EXPECT_EQ(trend[6].closedActions, 1);  // as its time says, though appended later
    EXPECT_EQ(trend[6].actions, 1);
    EXPECT_EQ(trend[6].implementedPercent, 100.0);
    EXPECT_EQ(trend[8].actions, 2);
    EXPECT_EQ(trend[8].closedActions, 1);
}

TEST_F(DashboardTrend, OnePassEqualsTheRebuildOnRandomTrails) {
    for (unsigned seed = 1; seed <= 12; ++seed) {
        govtrack::testing::InMemoryStore fresh;
        session = fresh.openSession();
        govtrack::test::RandomTrailOptions options;
        options.seed = seed;
        options.start = ymd(2025, 3, 10);  // January and February 2025 are before the trail
        options.days = 280;
        options.operations = 250;
        options.skewPercent = seed % 3 == 0 ? 8 : 0;  // every third trail has clocks running backwards
        const auto trail = govtrack::test::writeRandomTrail(
            session->events(), hasher, [&](const std::function<void()>& work) { session->transaction(work); }, options);
        const std::string what = "seed " + std::to_string(seed);
        for (int months : {0, 1, 12, 36}) {
            expectSameTrend(onePass(months), rebuilt(months), what + ", " + std::to_string(months) + " months");
        }
        for (const auto& reference :
             {trail.references.front(), trail.references.back(), std::string("ia-2"), std::string("IA-NONE")}) {
            expectSameTrend(onePass(12, reference), rebuilt(12, reference), what + ", engagement " + reference);
        }
        session.reset();
    }
}
