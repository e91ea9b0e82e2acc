#pragma once

#include <string>

#include "govtrack/domain/Repositories.h"

namespace govtrack::test {

/// Builds an ActionPlanSnapshot in code for pure report tests: ids are derived from natural keys.
class SnapshotBuilder {
public:
    static domain::Date ymd(int y, unsigned m, unsigned d) {
        return domain::Date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
    }

    SnapshotBuilder& unit(const std::string& name) {
        snap_.units.push_back({"u:" + name, name, domain::UnitKind::kDivision, std::nullopt});
        return *this;
    }
    SnapshotBuilder& person(const std::string& roleTitle, const std::string& unitName = "") {
        domain::Person p;
        p.id = "p:" + roleTitle;
        p.roleTitle = roleTitle;
        if (!unitName.empty()) p.unitId = "u:" + unitName;
        snap_.people.push_back(p);
        return *this;
    }
    SnapshotBuilder& engagement(const std::string& ref) {
        domain::Engagement e;
        e.id = "e:" + ref;
        e.reference = ref;
        e.title = "Review " + ref;
        snap_.engagements.push_back(e);
        return *this;
    }
    SnapshotBuilder& recommendation(const std::string& ref, int number, domain::Priority priority,
                                    domain::ManagementResponse response = domain::ManagementResponse::kAccepted) {
        domain::Recommendation r;
        r.id = recId(ref, number);
        r.engagementId = "e:" + ref;
        r.number = number;
        r.title = "Recommendation " + std::to_string(number);
        r.priority = priority;
        r.managementResponse = response;
        snap_.recommendations.push_back(r);
        return *this;
    }
    /// Adds an action; returns it for further edits (revisions, co-owners).
    domain::Action& action(const std::string& ref, int rec, int number, const std::string& leadOwner,
                           std::optional<domain::TargetDate> target, domain::ActionStatus status) {
        domain::Action a;
        a.id = recId(ref, rec) + "/" + std::to_string(number);
        a.recommendationId = recId(ref, rec);
        a.number = number;
        a.description = "Action " + std::to_string(rec) + "." + std::to_string(number);
        if (!leadOwner.empty()) a.leadOwnerId = "p:" + leadOwner;
        a.originalTargetDate = target;
        a.status = status;
        snap_.actions.push_back(a);
        return snap_.actions.back();
    }
    SnapshotBuilder& lastUpdate(const std::string& actionId, domain::Date date, const std::string& text) {
        snap_.lastUpdates[actionId] = domain::ProgressUpdate{"", actionId, date, std::nullopt, text, 40};
        return *this;
    }
    const domain::ActionPlanSnapshot& snapshot() const { return snap_; }

    static std::string recId(const std::string& ref, int number) { return "r:" + ref + "/" + std::to_string(number); }

private:
    domain::ActionPlanSnapshot snap_;
};

}  // namespace govtrack::test
