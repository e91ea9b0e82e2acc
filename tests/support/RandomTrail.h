#pragma once

#include <algorithm>
#include <chrono>
#include <random>
#include <string>
#include <vector>

#include "govtrack/domain/AuditCodec.h"
#include "govtrack/domain/AuditTrail.h"
#include "govtrack/domain/Repositories.h"

/// A reproducible random audit trail of engagements, recommendations and actions, written straight as events
/// (AuditTrail::record, so the chain is real), for holding two ways of rebuilding the past to each other: the
/// dashboard's one-pass trend and its per-month-end rebuild. The store's own tables are not touched; as-of
/// reads use only the events.
namespace govtrack::test {

struct RandomTrailOptions {
    unsigned seed = 1;
    domain::Date start;    ///< the first event's day (a unit is recorded first, at 08:00 UTC)
    int days = 300;        ///< events spread over this many days from `start`
    int operations = 400;  ///< changes after the first engagement
    int skewPercent = 0;   ///< % of events stamped up to 40 days earlier than the one before (clock skew)
};

/// What the trail created (for filters in tests): every engagement reference it ever used.
struct RandomTrail {
    std::vector<std::string> references;
    int events = 0;
};

/// Writes the trail through `events` in one transaction per event (`inTransaction` runs its argument in one).
/// Operations: create engagements, recommendations and actions; move actions to any status; approve revised
/// dates; supersede (with the link); record deletions of actions and recommendations; rename an engagement;
/// move a recommendation to another engagement; change a management response or a priority.
template <typename InTransaction>
RandomTrail writeRandomTrail(domain::EventRepository& events, domain::Hasher& hasher, InTransaction inTransaction,
                             const RandomTrailOptions& options) {
    namespace d = govtrack::domain;
    using namespace std::chrono;
    std::mt19937 rnd(options.seed);
    auto pick = [&](int n) { return static_cast<int>(rnd() % static_cast<unsigned>(n)); };
    RandomTrail out;
    std::vector<d::Engagement> engagements;
    std::vector<d::Recommendation> recommendations;
    std::vector<d::Action> actions;
    int next = 0;
    const sys_seconds begin = sys_days{options.start} + hours{8};
    const auto span = static_cast<int>(options.days) * 86400;
    std::vector<int> offsets;
    for (int i = 0; i < options.operations + 2; ++i) offsets.push_back(pick(span));
    std::sort(offsets.begin(), offsets.end());
    offsets.front() = 0;
    std::size_t step = 0;
    sys_seconds last = begin;
    const d::Actor actor = d::Actor::system("random trail");

    auto record = [&](std::string_view type, const d::Id& id, std::string_view change, std::string after) {
        sys_seconds at = begin + seconds{offsets[std::min(step++, offsets.size() - 1)]};
        if (options.skewPercent > 0 && pick(100) < options.skewPercent) at = last - seconds{pick(40 * 86400)};
        if (at < begin) at = begin;  // the first event stays first
        last = at;
        const d::FixedClock clock(d::Date{floor<days>(at)}, at);
        inTransaction([&] {
            d::AuditTrail trail(events, clock, hasher);
            trail.record(actor, type, id, change, "", std::move(after), "");
        });
        ++out.events;
    };
    auto target = [&]() -> std::optional<d::TargetDate> {
        const int kind = pick(10);
        if (kind == 0) return std::nullopt;
        const d::Date day{sys_days{options.start} + days{pick(options.days + 200) - 60}};
        if (kind == 1)
            return d::TargetDate::monthOnly(static_cast<int>(day.year()), static_cast<unsigned>(day.month()));
        return d::TargetDate::day(day);
    };
    auto newEngagement = [&] {
        d::Engagement e;
        e.id = "e-" + std::to_string(++next);
        e.reference = "IA-" + std::to_string(engagements.size() + 1);
        e.title = "Engagement " + e.id;
        out.references.push_back(e.reference);
        engagements.push_back(e);
        record(d::audit_entity::kEngagement, e.id, "create", d::encode(e));
    };

    {  // the trail starts with a unit, as an organisation's first import does
        d::OrganisationUnit unit;
        unit.id = "u-1";
        unit.name = "Finance";
        record(d::audit_entity::kUnit, unit.id, "create", d::encode(unit));
    }
    newEngagement();
    const d::ActionStatus statuses[] = {d::ActionStatus::kNotStarted,   d::ActionStatus::kInProgress,
                                        d::ActionStatus::kImplemented,  d::ActionStatus::kVerified,
                                        d::ActionStatus::kRiskAccepted, d::ActionStatus::kWithdrawn};
    const d::ManagementResponse responses[] = {d::ManagementResponse::kAccepted, d::ManagementResponse::kAccepted,
                                               d::ManagementResponse::kPartiallyAccepted,
                                               d::ManagementResponse::kRiskTolerated, d::ManagementResponse::kRejected};
    const d::Priority priorities[] = {d::Priority::kHigh, d::Priority::kMedium, d::Priority::kLow};
    for (int op = 0; op < options.operations; ++op) {
        int kind = pick(100);
        if (recommendations.empty() && kind >= 5)
            kind = 10;  // a recommendation first
        else if (actions.empty() && kind >= 45)
            kind = 30;  // an action first
        if (kind < 5) {
            newEngagement();
        } else if (kind < 20) {
            d::Recommendation r;
            r.id = "r-" + std::to_string(++next);
            r.engagementId = engagements[static_cast<std::size_t>(pick(static_cast<int>(engagements.size())))].id;
            r.number = next;
            r.title = "Recommendation " + r.id;
            r.priority = priorities[pick(3)];
            r.managementResponse = responses[pick(5)];
            recommendations.push_back(r);
            record(d::audit_entity::kRecommendation, r.id, "create", d::encode(r));
        } else if (kind < 45) {
            d::Action a;
            a.id = "a-" + std::to_string(++next);
            a.recommendationId =
                recommendations[static_cast<std::size_t>(pick(static_cast<int>(recommendations.size())))].id;
            a.number = next;
            a.description = "Action " + a.id;
            a.originalTargetDate = target();
            actions.push_back(a);
            record(d::audit_entity::kAction, a.id, "create", d::encode(a));
        } else if (kind < 70) {  // move
            auto& a = actions[static_cast<std::size_t>(pick(static_cast<int>(actions.size())))];
            a.status = statuses[pick(6)];
            ++a.version;
            record(d::audit_entity::kAction, a.id, "transition", d::encode(a));
        } else if (kind < 82) {  // an approved revised date
            auto& a = actions[static_cast<std::size_t>(pick(static_cast<int>(actions.size())))];
            if (auto date = target()) a.revisions.push_back({*date, "slip", std::nullopt, "Executive Team", {}});
            ++a.version;
            record(d::audit_entity::kAction, a.id, "decision", d::encode(a));
        } else if (kind < 86) {  // superseded by another action of the plan
            auto& a = actions[static_cast<std::size_t>(pick(static_cast<int>(actions.size())))];
            a.status = d::ActionStatus::kSuperseded;
            a.supersededByActionId = actions[static_cast<std::size_t>(pick(static_cast<int>(actions.size())))].id;
            ++a.version;
            record(d::audit_entity::kAction, a.id, "supersede", d::encode(a));
        } else if (kind < 89) {  // a recorded deletion of an action
            const auto at = actions.begin() + pick(static_cast<int>(actions.size()));
            record(d::audit_entity::kAction, at->id, "delete", "");
            actions.erase(at);
        } else if (kind < 90 && recommendations.size() > 1) {  // a recorded deletion of a recommendation
            const auto at = recommendations.begin() + pick(static_cast<int>(recommendations.size()));
            record(d::audit_entity::kRecommendation, at->id, "delete", "");
            recommendations.erase(at);
        } else if (kind < 93) {  // an engagement renamed (its old reference then names nothing)
            auto& e = engagements[static_cast<std::size_t>(pick(static_cast<int>(engagements.size())))];
            e.reference = "IA-R" + std::to_string(++next);
            out.references.push_back(e.reference);
            record(d::audit_entity::kEngagement, e.id, "update", d::encode(e));
        } else {  // a recommendation changed: moved to another engagement, new response or priority
            auto& r = recommendations[static_cast<std::size_t>(pick(static_cast<int>(recommendations.size())))];
            if (kind < 95)
                r.engagementId = engagements[static_cast<std::size_t>(pick(static_cast<int>(engagements.size())))].id;
            else if (kind < 98)
                r.managementResponse = responses[pick(5)];
            else
                r.priority = priorities[pick(3)];
            ++r.version;
            record(d::audit_entity::kRecommendation, r.id, "update", d::encode(r));
        }
    }
    return out;
}

}  // namespace govtrack::test
