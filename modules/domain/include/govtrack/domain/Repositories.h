#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "govtrack/domain/Model.h"

/// Storage ports (STYLE.md "Storage"): one repository per aggregate plus a session that owns a
/// connection and a transaction. Backends (storage_sqlite, later storage_mysql) implement them and
/// translate driver errors into domain errors at their boundary: a duplicate natural key becomes
/// ConflictError, a stale version ConflictError with stale() == true, a lost database
/// UnavailableError.
namespace govtrack::domain {

class StoreTransfer;       // StoreTransfer.h
class EventRepository;     // AuditTrail.h
class AccountRepository;   // Accounts.h
class EventRepository;     // AuditTrail.h
class ReminderRepository;  // Outbox.h

class OrganisationUnitRepository {
public:
    virtual ~OrganisationUnitRepository() = default;
    virtual std::optional<OrganisationUnit> findByName(const std::string& name) = 0;
    virtual std::vector<OrganisationUnit> list() = 0;
    /// Inserts a new unit or updates the one with the same id.
    virtual void save(const OrganisationUnit& unit) = 0;
};

class PersonRepository {
public:
    virtual ~PersonRepository() = default;
    virtual std::optional<Person> findById(const Id& id) = 0;
    virtual std::optional<Person> findByRoleTitle(const std::string& roleTitle) = 0;
    virtual std::vector<Person> list() = 0;
    /// The ids of the people whose line manager is `managerId`, by role title (none: empty).
    virtual std::vector<Id> listDirectReports(const Id& managerId) = 0;
    virtual void save(const Person& person) = 0;
};

class GovernanceGroupRepository {
public:
    virtual ~GovernanceGroupRepository() = default;
    virtual std::optional<GovernanceGroup> findById(const Id& id) = 0;
    virtual std::optional<GovernanceGroup> findByName(const std::string& name) = 0;
    virtual std::vector<GovernanceGroup> list() = 0;
    /// Saves the group with its members and delegated powers (replacing the stored lists).
    virtual void save(const GovernanceGroup& group) = 0;
};

/// Risks with their score history and escalation decisions (SPEC 3, 4.5).
class RiskRepository {
public:
    virtual ~RiskRepository() = default;
    virtual std::optional<Risk> findById(const Id& id) = 0;
    virtual std::optional<Risk> findByReference(const std::string& reference) = 0;
    /// Ordered by reference.
    virtual std::vector<Risk> list() = 0;
    /// Inserts a new risk or updates the one with the same id (owners, controls and links replaced).
    virtual void save(const Risk& risk) = 0;
    /// Appends a score change; (riskId, number) is unique (ConflictError otherwise).
    virtual void addScoreChange(const RiskScoreChange& change) = 0;
    /// A risk's score changes oldest first (by number); every risk's when riskId is nullopt
    /// (ordered by risk id, number).
    virtual std::vector<RiskScoreChange> scoreChanges(const std::optional<Id>& riskId) = 0;
    /// Appends an escalation decision; (riskId, number) is unique.
    virtual void addDecision(const EscalationDecision& decision) = 0;
    /// Decisions oldest first; every risk's (by risk id, number) when riskId is nullopt.
    virtual std::vector<EscalationDecision> decisions(const std::optional<Id>& riskId) = 0;
};

class RiskRegisterRepository {
public:
    virtual ~RiskRegisterRepository() = default;
    virtual std::optional<RiskRegister> findById(const Id& id) = 0;
    virtual std::optional<RiskRegister> findByName(const std::string& name) = 0;
    /// Ordered by name.
    virtual std::vector<RiskRegister> list() = 0;
    /// Inserts or updates by id, tolerances replaced.
    virtual void save(const RiskRegister& reg) = 0;
};

class EngagementRepository {
public:
    virtual ~EngagementRepository() = default;
    virtual std::optional<Engagement> findByReference(const std::string& reference) = 0;
    virtual std::vector<Engagement> list() = 0;
    /// Insert if new (version 1); otherwise update where version matches and bump it.
    /// Throws ConflictError (stale) when the stored version differs from engagement.version.
    virtual void save(const Engagement& engagement) = 0;
};

class FindingRepository {
public:
    virtual ~FindingRepository() = default;
    virtual std::vector<Finding> listByEngagement(const Id& engagementId) = 0;
    virtual void save(const Finding& finding) = 0;
};

class RecommendationRepository {
public:
    virtual ~RecommendationRepository() = default;
    virtual std::optional<Recommendation> findById(const Id& id) = 0;
    virtual std::optional<Recommendation> findByNumber(const Id& engagementId, int number) = 0;
    virtual std::vector<Recommendation> listByEngagement(const Id& engagementId) = 0;
    /// Same versioning contract as EngagementRepository::save.
    virtual void save(const Recommendation& recommendation) = 0;
};

class ActionRepository {
public:
    virtual ~ActionRepository() = default;
    virtual std::optional<Action> findById(const Id& id) = 0;
    virtual std::optional<Action> findByNumber(const Id& recommendationId, int number) = 0;
    virtual std::vector<Action> listByRecommendation(const Id& recommendationId) = 0;
    /// Actions overseen by a group (Action::responsibleGroupId), ordered by id.
    virtual std::vector<Action> listByResponsibleGroup(const Id& groupId) = 0;
    /// Saves the action with its co-owners and revised target dates. Versioned like engagements.
    virtual void save(const Action& action) = 0;
};

class ProgressUpdateRepository {
public:
    virtual ~ProgressUpdateRepository() = default;
    /// Oldest first.
    virtual std::vector<ProgressUpdate> listByAction(const Id& actionId) = 0;
    virtual void add(const ProgressUpdate& update) = 0;
};

class RevisionRequestRepository {
public:
    virtual ~RevisionRequestRepository() = default;
    virtual std::optional<RevisionRequest> findById(const Id& id) = 0;
    /// Oldest first.
    virtual std::vector<RevisionRequest> listByAction(const Id& actionId) = 0;
    /// Pending requests, oldest first; only those routed to `groupId` when given.
    virtual std::vector<RevisionRequest> listPending(const std::optional<Id>& groupId) = 0;
    /// Insert (version 1) or versioned update like EngagementRepository::save.
    virtual void save(const RevisionRequest& request) = 0;
};

/// Evidence records with their file content (bytes as given; empty for a note without a file).
class EvidenceRepository {
public:
    virtual ~EvidenceRepository() = default;
    virtual void add(const Evidence& evidence, const std::string& content) = 0;
    /// Oldest first (metadata only).
    virtual std::vector<Evidence> listByAction(const Id& actionId) = 0;
    /// The stored bytes, nullopt if no such evidence.
    virtual std::optional<std::string> content(const Id& evidenceId) = 0;
};

/// Finds an engagement by reference: exactly, else by foldNaturalKey (a hand-typed "ia-2024-25-pm "
/// finds IA-2024-25-PM). nullopt if none matches. Stores use it for ActionPlanFilter too.
std::optional<Engagement> findEngagement(EngagementRepository& engagements, const std::string& reference);

/// What reports and list endpoints read, loaded together (one read, no writes; SPEC 6).
struct ActionPlanSnapshot {
    std::vector<Engagement> engagements;
    std::vector<Recommendation> recommendations;  ///< ordered by engagement reference, number
    std::vector<Action> actions;                  ///< ordered by recommendation, number
    std::vector<Person> people;
    std::vector<OrganisationUnit> units;
    std::map<Id, ProgressUpdate> lastUpdates;  ///< latest progress update per action id
};

struct ActionPlanFilter {
    std::optional<std::string> engagementReference;  ///< nullopt: every engagement; matched as findEngagement
    /// false: a store may leave the recommendations' long texts (issue, risk, text, response text) empty,
    /// for reports that do not print them (the follow-up report loads faster).
    bool includeTexts = true;
};

/// One connection to the store. Not thread-safe: use one per thread or request.
class StoreSession {
public:
    virtual ~StoreSession() = default;
    virtual OrganisationUnitRepository& units() = 0;
    virtual PersonRepository& people() = 0;
    virtual GovernanceGroupRepository& groups() = 0;
    virtual RiskRepository& risks() = 0;
    virtual RiskRegisterRepository& riskRegisters() = 0;
    virtual EngagementRepository& engagements() = 0;
    virtual FindingRepository& findings() = 0;
    virtual RecommendationRepository& recommendations() = 0;
    virtual ActionRepository& actions() = 0;
    virtual ProgressUpdateRepository& progressUpdates() = 0;
    virtual RevisionRequestRepository& revisionRequests() = 0;
    virtual EvidenceRepository& evidence() = 0;
    /// The audit trail's events (AuditTrail.h, SPEC 4.8): append-only, hash-chained.
    virtual EventRepository& events() = 0;
    /// User accounts, API tokens and web sessions (Accounts.h, SPEC 4.9).
    virtual AccountRepository& accounts() = 0;
    /// Reminders recorded, the outbox and feed tokens (Outbox.h, SPEC 4.6).
    virtual ReminderRepository& reminders() = 0;

    /// Loads the plan for a report; takes no write lock. Throws NotFoundError if the filter names
    /// an engagement that does not exist.
    virtual ActionPlanSnapshot loadActionPlan(const ActionPlanFilter& filter) = 0;

    /// Runs `work` in one transaction: commits if it returns, rolls back and rethrows if it throws.
    /// A backend may run `work` again after a deadlock or lock-wait timeout (MySQL 1213/1205), so `work`
    /// must have no effects outside the session that a second run would duplicate.
    virtual void transaction(const std::function<void()>& work) = 0;

    /// Bulk export/import of the whole store (StoreTransfer.h), or nullptr if this backend has none.
    virtual StoreTransfer* transfer() { return nullptr; }
};

/// A store: hands out sessions (thread-safe) and applies schema migrations.
class Store {
public:
    virtual ~Store() = default;
    virtual std::unique_ptr<StoreSession> openSession() = 0;
    /// Applies pending migrations; returns the schema version now in force.
    virtual int migrate() = 0;
};

/// Generates new ids (application-side; STYLE.md). Thread-safe.
class IdGenerator {
public:
    virtual ~IdGenerator() = default;
    virtual Id next() = 0;
};

}  // namespace govtrack::domain
