#pragma once

#include "govtrack/domain/AuditTrail.h"
#include "govtrack/domain/Repositories.h"

namespace govtrack::test {

/// A real store session whose action repository is replaced by a test double (to make writes fail at a
/// chosen point); every other call goes to the real session. One place to extend when the ports grow.
class SessionWithActions final : public domain::StoreSession {
public:
    SessionWithActions(domain::StoreSession& real, domain::ActionRepository& actions)
        : real_(real), actions_(actions) {}
    domain::OrganisationUnitRepository& units() override { return real_.units(); }
    domain::PersonRepository& people() override { return real_.people(); }
    domain::GovernanceGroupRepository& groups() override { return real_.groups(); }
    domain::RiskRepository& risks() override { return real_.risks(); }
    domain::EngagementRepository& engagements() override { return real_.engagements(); }
    domain::FindingRepository& findings() override { return real_.findings(); }
    domain::RecommendationRepository& recommendations() override { return real_.recommendations(); }
    domain::ActionRepository& actions() override { return actions_; }
    domain::ProgressUpdateRepository& progressUpdates() override { return real_.progressUpdates(); }
    domain::RevisionRequestRepository& revisionRequests() override { return real_.revisionRequests(); }
    domain::EvidenceRepository& evidence() override { return real_.evidence(); }
    domain::EventRepository& events() override { return real_.events(); }
    domain::AccountRepository& accounts() override { return real_.accounts(); }
    domain::ActionPlanSnapshot loadActionPlan(const domain::ActionPlanFilter& f) override {
        return real_.loadActionPlan(f);
    }
    void transaction(const std::function<void()>& work) override { real_.transaction(work); }

private:
    domain::StoreSession& real_;
    domain::ActionRepository& actions_;
};

}  // namespace govtrack::test
