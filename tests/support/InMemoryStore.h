#pragma once

#include <algorithm>
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "govtrack/domain/Accounts.h"
#include "govtrack/domain/AuditTrail.h"
#include "govtrack/domain/Error.h"
#include "govtrack/domain/Outbox.h"
#include "govtrack/domain/Reminders.h"
#include "govtrack/domain/Repositories.h"
#include "govtrack/domain/Rules.h"
#include "govtrack/domain/StoreTransfer.h"

#include "MemoryEvents.h"

/// A fake domain::Store for tests of every module: all rows live in vectors in memory, shared by every
/// session the store opens. It keeps the storage contract of Repositories.h -- duplicate natural keys
/// and stale versions throw ConflictError, versioned saves bump the version, loadActionPlan orders and
/// filters like a real backend and throws NotFoundError for an unknown engagement -- and
/// transaction() snapshots the state and restores it if `work` throws.
///
/// Thread-safe (one recursive mutex; a transaction holds it throughout). For tests it also counts
/// reads, writes and transactions, and can inject a fault: setFault(f) makes every repository call,
/// loadActionPlan and openSession call f first (f throws whatever the test wants).
namespace govtrack::testing {

class InMemoryStore final : public domain::Store {
public:
    /// Everything the store holds; public so tests can seed or inspect it directly.
    struct State {
        std::vector<domain::OrganisationUnit> units;
        std::vector<domain::Person> people;
        std::vector<domain::GovernanceGroup> groups;
        std::vector<domain::Risk> risks;
        std::vector<domain::RiskRegister> riskRegisters;
        std::vector<domain::RiskScoreChange> riskScoreChanges;  ///< append order
        std::vector<domain::EscalationDecision> riskDecisions;  ///< append order
        std::vector<domain::Engagement> engagements;
        std::vector<domain::Finding> findings;
        std::vector<domain::Recommendation> recommendations;
        std::vector<domain::Action> actions;
        std::vector<domain::ProgressUpdate> progressUpdates;
        std::vector<domain::RevisionRequest> revisionRequests;
        std::vector<domain::StoredEvidence> evidence;  ///< in the order added
        std::vector<domain::AuditEvent> events;        ///< append order
        std::vector<domain::UserAccount> users;
        std::vector<domain::ApiToken> tokens;           ///< in the order added
        std::vector<domain::WebSession> webSessions;    ///< in the order added
        std::vector<domain::StoredReminder> reminders;  ///< recording order
        std::vector<domain::OutboxMessage> outbox;
        std::vector<domain::FeedToken> feedTokens;
    };

    std::unique_ptr<domain::StoreSession> openSession() override {
        checkFault();
        ++sessionsOpened_;
        return std::make_unique<Session>(*this);
    }

    int migrate() override { return 1; }

    /// Makes every following store call run `fault` first (pass an empty function to stop).
    void setFault(std::function<void()> fault) {
        std::lock_guard lock(mutex_);
        fault_ = std::move(fault);
    }

    /// A copy of the current state.
    State state() const {
        std::lock_guard lock(mutex_);
        return state_;
    }

    int sessionsOpened() const noexcept { return sessionsOpened_; }
    int reads() const noexcept { return reads_; }
    /// Successful or attempted save()/add() calls.
    int writes() const noexcept { return writes_; }
    int transactions() const noexcept { return transactions_; }

private:
    using Lock = std::lock_guard<std::recursive_mutex>;

    void checkFault() const {
        std::function<void()> fault;
        {
            Lock lock(mutex_);
            fault = fault_;
        }
        if (fault) fault();
    }

    template <typename T, typename Key>
    static T* findIn(std::vector<T>& rows, Key key) {
        const auto it = std::find_if(rows.begin(), rows.end(), key);
        return it == rows.end() ? nullptr : &*it;
    }

    /// Upsert by id; ConflictError if another row has the same natural key.
    template <typename T, typename SameKey>
    static void upsert(std::vector<T>& rows, const T& row, SameKey sameKey, const std::string& what) {
        for (const auto& existing : rows) {
            if (existing.id != row.id && sameKey(existing, row)) {
                throw domain::ConflictError(what + " already exists");
            }
        }
        if (auto* existing = findIn(rows, [&](const T& r) { return r.id == row.id; })) {
            *existing = row;
        } else {
            rows.push_back(row);
        }
    }

    /// Versioned upsert (Repositories.h): insert as version 1; update only if the versions match, then bump.
    template <typename T, typename SameKey>
    static void versionedUpsert(std::vector<T>& rows, const T& row, SameKey sameKey, const std::string& what) {
        for (const auto& existing : rows) {
            if (existing.id != row.id && sameKey(existing, row)) {
                throw domain::ConflictError(what + " already exists");
            }
        }
        if (auto* existing = findIn(rows, [&](const T& r) { return r.id == row.id; })) {
            if (existing->version != row.version) {
                throw domain::ConflictError(what + " was changed by someone else", true);
            }
            *existing = row;
            existing->version = row.version + 1;
        } else {
            T inserted = row;
            inserted.version = 1;
            rows.push_back(std::move(inserted));
        }
    }

    /// Person::roles as every store returns them: enum order, no repeats.
    static domain::Person normalised(domain::Person person) {
        auto& roles = person.roles;
        std::sort(roles.begin(), roles.end());
        roles.erase(std::unique(roles.begin(), roles.end()), roles.end());
        return person;
    }

    /// GovernanceGroup::members as every store returns them: chair, secretary, member, then by person id.
    /// A person listed twice is a duplicate key (ConflictError), as the stores' primary key makes it.
    static domain::GovernanceGroup normalised(domain::GovernanceGroup group) {
        auto& members = group.members;
        std::stable_sort(members.begin(), members.end(), [](const auto& a, const auto& b) {
            return std::tie(a.role, a.personId) < std::tie(b.role, b.personId);
        });
        for (std::size_t i = 0; i < members.size(); ++i) {
            for (std::size_t j = i + 1; j < members.size(); ++j) {
                if (members[i].personId == members[j].personId) {
                    throw domain::ConflictError("saving governance group: a record with the same key already exists");
                }
            }
        }
        return group;
    }

    /// The foreign key the real stores enforce for rows that belong to an action.
    static void requireAction(const State& state, const domain::Id& actionId, const std::string& what) {
        if (std::none_of(state.actions.begin(), state.actions.end(), [&](const auto& a) { return a.id == actionId; })) {
            throw domain::ConflictError(what + ": it refers to a record that does not exist");
        }
    }

    class Session;

    /// Base of the fake repositories: access to the store with fault injection and counting.
    class Part {
    public:
        explicit Part(InMemoryStore& store) : store_(store) {}

    protected:
        State& read() {
            store_.checkFault();
            ++store_.reads_;
            return store_.state_;
        }
        State& write() {
            store_.checkFault();
            ++store_.writes_;
            return store_.state_;
        }
        std::recursive_mutex& mutex() { return store_.mutex_; }
        InMemoryStore& store_;
    };

    class Units final : public domain::OrganisationUnitRepository, Part {
    public:
        using Part::Part;
        std::optional<domain::OrganisationUnit> findByName(const std::string& name) override {
            Lock lock(mutex());
            auto* row = findIn(read().units, [&](const auto& u) { return u.name == name; });
            return row ? std::optional(*row) : std::nullopt;
        }
        std::vector<domain::OrganisationUnit> list() override {
            Lock lock(mutex());
            return read().units;
        }
        void save(const domain::OrganisationUnit& unit) override {
            Lock lock(mutex());
            upsert(
                write().units, unit, [](const auto& a, const auto& b) { return a.name == b.name; },
                "organisation unit '" + unit.name + "'");
        }
    };

    class People final : public domain::PersonRepository, Part {
    public:
        using Part::Part;
        std::optional<domain::Person> findById(const domain::Id& id) override {
            Lock lock(mutex());
            auto* row = findIn(read().people, [&](const auto& p) { return p.id == id; });
            return row ? std::optional(*row) : std::nullopt;
        }
        std::optional<domain::Person> findByRoleTitle(const std::string& roleTitle) override {
            Lock lock(mutex());
            auto* row = findIn(read().people, [&](const auto& p) { return p.roleTitle == roleTitle; });
            return row ? std::optional(*row) : std::nullopt;
        }
        std::vector<domain::Person> list() override {
            Lock lock(mutex());
            return read().people;
        }
        std::vector<domain::Id> listDirectReports(const domain::Id& managerId) override {
            Lock lock(mutex());
            std::vector<const domain::Person*> reports;
            for (const auto& p : read().people)
                if (p.lineManagerId == managerId) reports.push_back(&p);
            std::sort(reports.begin(), reports.end(), [](auto* a, auto* b) { return a->roleTitle < b->roleTitle; });
            std::vector<domain::Id> out;
            for (auto* p : reports) out.push_back(p->id);
            return out;
        }
        void save(const domain::Person& person) override {
            Lock lock(mutex());
            upsert(
                write().people, normalised(person),
                [](const auto& a, const auto& b) { return a.roleTitle == b.roleTitle; },
                "person '" + person.roleTitle + "'");
        }
    };

    class Groups final : public domain::GovernanceGroupRepository, Part {
    public:
        using Part::Part;
        std::optional<domain::GovernanceGroup> findById(const domain::Id& id) override {
            Lock lock(mutex());
            auto* row = findIn(read().groups, [&](const auto& g) { return g.id == id; });
            return row ? std::optional(*row) : std::nullopt;
        }
        std::optional<domain::GovernanceGroup> findByName(const std::string& name) override {
            Lock lock(mutex());
            auto* row = findIn(read().groups, [&](const auto& g) { return g.name == name; });
            return row ? std::optional(*row) : std::nullopt;
        }
        std::vector<domain::GovernanceGroup> list() override {
            Lock lock(mutex());
            return read().groups;
        }
        void save(const domain::GovernanceGroup& group) override {
            Lock lock(mutex());
            upsert(
                write().groups, normalised(group), [](const auto& a, const auto& b) { return a.name == b.name; },
                "governance group '" + group.name + "'");
        }
    };

    class Risks final : public domain::RiskRepository, Part {
    public:
        using Part::Part;
        std::optional<domain::Risk> findById(const domain::Id& id) override {
            Lock lock(mutex());
            auto* row = findIn(read().risks, [&](const auto& r) { return r.id == id; });
            return row ? std::optional(*row) : std::nullopt;
        }
        std::optional<domain::Risk> findByReference(const std::string& reference) override {
            Lock lock(mutex());
            auto* row = findIn(read().risks, [&](const auto& r) { return r.reference == reference; });
            return row ? std::optional(*row) : std::nullopt;
        }
        std::vector<domain::Risk> list() override {
            Lock lock(mutex());
            auto out = read().risks;
            std::stable_sort(out.begin(), out.end(),
                             [](const auto& a, const auto& b) { return a.reference < b.reference; });
            return out;
        }
        void save(const domain::Risk& risk) override {
            Lock lock(mutex());
            upsert(
                write().risks, risk, [](const auto& a, const auto& b) { return a.reference == b.reference; },
                "risk '" + risk.reference + "'");
        }
        void addScoreChange(const domain::RiskScoreChange& change) override {
            Lock lock(mutex());
            for (const auto& c : read().riskScoreChanges) {
                if (c.riskId == change.riskId && c.number == change.number)
                    throw domain::ConflictError(
                        "recording a risk score change: a record with the same key already exists");
            }
            write().riskScoreChanges.push_back(change);
        }
        std::vector<domain::RiskScoreChange> scoreChanges(const std::optional<domain::Id>& riskId) override {
            Lock lock(mutex());
            std::vector<domain::RiskScoreChange> out;
            for (const auto& c : read().riskScoreChanges) {
                if (!riskId || c.riskId == *riskId) out.push_back(c);
            }
            std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
                return std::tie(a.riskId, a.number) < std::tie(b.riskId, b.number);
            });
            return out;
        }
        void addDecision(const domain::EscalationDecision& decision) override {
            Lock lock(mutex());
            for (const auto& c : read().riskDecisions) {
                if (c.riskId == decision.riskId && c.number == decision.number)
                    throw domain::ConflictError(
                        "recording an escalation decision: a record with the same key already exists");
            }
            write().riskDecisions.push_back(decision);
        }
        std::vector<domain::EscalationDecision> decisions(const std::optional<domain::Id>& riskId) override {
            Lock lock(mutex());
            std::vector<domain::EscalationDecision> out;
            for (const auto& c : read().riskDecisions) {
                if (!riskId || c.riskId == *riskId) out.push_back(c);
            }
            std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
                return std::tie(a.riskId, a.number) < std::tie(b.riskId, b.number);
            });
            return out;
        }
    };

    class RiskRegisters final : public domain::RiskRegisterRepository, Part {
    public:
        using Part::Part;
        std::optional<domain::RiskRegister> findById(const domain::Id& id) override {
            Lock lock(mutex());
            auto* row = findIn(read().riskRegisters, [&](const auto& r) { return r.id == id; });
            return row ? std::optional(sorted(*row)) : std::nullopt;
        }
        std::optional<domain::RiskRegister> findByName(const std::string& name) override {
            Lock lock(mutex());
            auto* row = findIn(read().riskRegisters, [&](const auto& r) { return r.name == name; });
            return row ? std::optional(sorted(*row)) : std::nullopt;
        }
        std::vector<domain::RiskRegister> list() override {
            Lock lock(mutex());
            std::vector<domain::RiskRegister> out;
            for (const auto& r : read().riskRegisters) out.push_back(sorted(r));
            std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
            return out;
        }
        void save(const domain::RiskRegister& reg) override {
            Lock lock(mutex());
            upsert(
                write().riskRegisters, reg, [](const auto& a, const auto& b) { return a.name == b.name; },
                "risk register '" + reg.name + "'");
        }

    private:
        /// Stores return tolerances ordered by category.
        static domain::RiskRegister sorted(domain::RiskRegister r) {
            std::stable_sort(r.tolerances.begin(), r.tolerances.end(),
                             [](const auto& a, const auto& b) { return a.category < b.category; });
            return r;
        }
    };

    class Engagements final : public domain::EngagementRepository, Part {
    public:
        using Part::Part;
        std::optional<domain::Engagement> findByReference(const std::string& reference) override {
            Lock lock(mutex());
            auto* row = findIn(read().engagements, [&](const auto& e) { return e.reference == reference; });
            return row ? std::optional(*row) : std::nullopt;
        }
        std::vector<domain::Engagement> list() override {
            Lock lock(mutex());
            auto rows = read().engagements;
            std::stable_sort(rows.begin(), rows.end(),
                             [](const auto& a, const auto& b) { return a.reference < b.reference; });
            return rows;
        }
        void save(const domain::Engagement& engagement) override {
            Lock lock(mutex());
            versionedUpsert(
                write().engagements, engagement,
                [](const auto& a, const auto& b) { return a.reference == b.reference; },
                "engagement '" + engagement.reference + "'");
        }
    };

    class Findings final : public domain::FindingRepository, Part {
    public:
        using Part::Part;
        std::vector<domain::Finding> listByEngagement(const domain::Id& engagementId) override {
            Lock lock(mutex());
            std::vector<domain::Finding> rows;
            for (const auto& f : read().findings) {
                if (f.engagementId == engagementId) rows.push_back(f);
            }
            return rows;
        }
        void save(const domain::Finding& finding) override {
            Lock lock(mutex());
            upsert(
                write().findings, finding,
                [](const auto& a, const auto& b) { return a.engagementId == b.engagementId && a.number == b.number; },
                "finding " + finding.number);
        }
    };

    class Recommendations final : public domain::RecommendationRepository, Part {
    public:
        using Part::Part;
        std::optional<domain::Recommendation> findById(const domain::Id& id) override {
            Lock lock(mutex());
            auto* row = findIn(read().recommendations, [&](const auto& r) { return r.id == id; });
            return row ? std::optional(*row) : std::nullopt;
        }
        std::optional<domain::Recommendation> findByNumber(const domain::Id& engagementId, int number) override {
            Lock lock(mutex());
            auto* row = findIn(read().recommendations,
                               [&](const auto& r) { return r.engagementId == engagementId && r.number == number; });
            return row ? std::optional(*row) : std::nullopt;
        }
        std::vector<domain::Recommendation> listByEngagement(const domain::Id& engagementId) override {
            Lock lock(mutex());
            std::vector<domain::Recommendation> rows;
            for (const auto& r : read().recommendations) {
                if (r.engagementId == engagementId) rows.push_back(r);
            }
            std::stable_sort(rows.begin(), rows.end(),
                             [](const auto& a, const auto& b) { return a.number < b.number; });
            return rows;
        }
        void save(const domain::Recommendation& recommendation) override {
            Lock lock(mutex());
            versionedUpsert(
                write().recommendations, recommendation,
                [](const auto& a, const auto& b) { return a.engagementId == b.engagementId && a.number == b.number; },
                "recommendation " + std::to_string(recommendation.number));
        }
    };

    class Actions final : public domain::ActionRepository, Part {
    public:
        using Part::Part;
        std::optional<domain::Action> findById(const domain::Id& id) override {
            Lock lock(mutex());
            auto* row = findIn(read().actions, [&](const auto& a) { return a.id == id; });
            return row ? std::optional(*row) : std::nullopt;
        }
        std::optional<domain::Action> findByNumber(const domain::Id& recommendationId, int number) override {
            Lock lock(mutex());
            auto* row = findIn(read().actions, [&](const auto& a) {
                return a.recommendationId == recommendationId && a.number == number;
            });
            return row ? std::optional(*row) : std::nullopt;
        }
        std::vector<domain::Action> listByRecommendation(const domain::Id& recommendationId) override {
            Lock lock(mutex());
            std::vector<domain::Action> rows;
            for (const auto& a : read().actions) {
                if (a.recommendationId == recommendationId) rows.push_back(a);
            }
            std::stable_sort(rows.begin(), rows.end(),
                             [](const auto& a, const auto& b) { return a.number < b.number; });
            return rows;
        }
        std::vector<domain::Action> listByResponsibleGroup(const domain::Id& groupId) override {
            Lock lock(mutex());
            std::vector<domain::Action> rows;
            for (const auto& a : read().actions) {
                if (a.responsibleGroupId == groupId) rows.push_back(a);
            }
            std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
            return rows;
        }
        void save(const domain::Action& action) override {
            Lock lock(mutex());
            versionedUpsert(
                write().actions, action,
                [](const auto& a, const auto& b) {
                    return a.recommendationId == b.recommendationId && a.number == b.number;
                },
                "action " + std::to_string(action.number));
        }
    };

    class ProgressUpdates final : public domain::ProgressUpdateRepository, Part {
    public:
        using Part::Part;
        std::vector<domain::ProgressUpdate> listByAction(const domain::Id& actionId) override {
            Lock lock(mutex());
            std::vector<domain::ProgressUpdate> rows;
            for (const auto& u : read().progressUpdates) {
                if (u.actionId == actionId) rows.push_back(u);
            }
            std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.date < b.date; });
            return rows;
        }
        void add(const domain::ProgressUpdate& update) override {
            Lock lock(mutex());
            auto& rows = write().progressUpdates;
            if (findIn(rows, [&](const auto& u) { return u.id == update.id; })) {
                throw domain::ConflictError("progress update " + update.id + " already exists");
            }
            rows.push_back(update);
        }
    };

    class RevisionRequests final : public domain::RevisionRequestRepository, Part {
    public:
        using Part::Part;
        std::optional<domain::RevisionRequest> findById(const domain::Id& id) override {
            Lock lock(mutex());
            auto* row = findIn(read().revisionRequests, [&](const auto& r) { return r.id == id; });
            return row ? std::optional(*row) : std::nullopt;
        }
        std::vector<domain::RevisionRequest> listByAction(const domain::Id& actionId) override {
            Lock lock(mutex());
            return select([&](const auto& r) { return r.actionId == actionId; });
        }
        std::vector<domain::RevisionRequest> listPending(const std::optional<domain::Id>& groupId) override {
            Lock lock(mutex());
            return select([&](const auto& r) {
                return r.status == domain::RequestStatus::kPending && (!groupId || r.routedToGroupId == groupId);
            });
        }
        void save(const domain::RevisionRequest& request) override {
            Lock lock(mutex());
            State& state = write();
            requireAction(state, request.actionId, "saving revision request");
            versionedUpsert(
                state.revisionRequests, request, [](const auto&, const auto&) { return false; },
                "revision request " + request.id);
        }

    private:
        /// Matching requests, oldest first (requested on, then id), as the stores order them.
        template <typename Pred>
        std::vector<domain::RevisionRequest> select(Pred pred) {
            std::vector<domain::RevisionRequest> rows;
            for (const auto& r : read().revisionRequests) {
                if (pred(r)) rows.push_back(r);
            }
            std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
                return std::tie(a.requestedOn, a.id) < std::tie(b.requestedOn, b.id);
            });
            return rows;
        }
    };

    class EvidenceRecords final : public domain::EvidenceRepository, Part {
    public:
        using Part::Part;
        void add(const domain::Evidence& evidence, const std::string& content) override {
            Lock lock(mutex());
            State& state = write();
            if (findIn(state.evidence, [&](const auto& e) { return e.evidence.id == evidence.id; })) {
                throw domain::ConflictError("saving evidence: a record with the same key already exists");
            }
            requireAction(state, evidence.actionId, "saving evidence");
            state.evidence.push_back({evidence, content});
        }
        std::vector<domain::Evidence> listByAction(const domain::Id& actionId) override {
            Lock lock(mutex());
            std::vector<domain::Evidence> rows;
            for (const auto& e : read().evidence) {
                if (e.evidence.actionId == actionId) rows.push_back(e.evidence);
            }
            std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
                return std::tie(a.addedOn, a.id) < std::tie(b.addedOn, b.id);
            });
            return rows;
        }
        std::optional<std::string> content(const domain::Id& evidenceId) override {
            Lock lock(mutex());
            auto* row = findIn(read().evidence, [&](const auto& e) { return e.evidence.id == evidenceId; });
            return row ? std::optional(row->content) : std::nullopt;
        }
    };

    /// Audit events (not counted in writes(): those count the plan's rows).
    class Events final : public domain::EventRepository, Part {
    public:
        using Part::Part;
        std::optional<domain::AuditEvent> lockHead() override {
            Lock lock(mutex());
            store_.checkFault();
            return EventRows::head(store_.state_.events);
        }
        void append(const domain::AuditEvent& event) override {
            Lock lock(mutex());
            store_.checkFault();
            EventRows::append(store_.state_.events, event);
        }
        std::vector<domain::AuditEvent> list(std::int64_t fromSeq, std::size_t limit) override {
            Lock lock(mutex());
            return EventRows::list(read().events, fromSeq, limit);
        }
        std::int64_t count() override {
            Lock lock(mutex());
            return static_cast<std::int64_t>(read().events.size());
        }
        std::vector<domain::AuditEvent> latestBefore(const std::string& cutoffUtc,
                                                     const std::vector<std::string>& entityTypes) override {
            Lock lock(mutex());
            return EventRows::latestBefore(read().events, cutoffUtc, entityTypes);
        }
        void scanStates(const std::string& cutoffUtc, const std::vector<std::string>& entityTypes,
                        const std::function<void(const domain::EventStateView&)>& visit) override {
            std::vector<domain::EventState> rows;
            {
                Lock lock(mutex());
                rows = EventRows::states(read().events, cutoffUtc, entityTypes);
            }
            for (const auto& e : rows) visit(e.view());
        }
    };

    class Accounts final : public domain::AccountRepository, Part {
    public:
        using Part::Part;
        std::optional<domain::UserAccount> findUserById(const domain::Id& id) override {
            Lock lock(mutex());
            auto* row = findIn(read().users, [&](const auto& u) { return u.id == id; });
            return row ? std::optional(*row) : std::nullopt;
        }
        std::optional<domain::UserAccount> findUserByUsername(const std::string& username) override {
            Lock lock(mutex());
            auto* row = findIn(read().users, [&](const auto& u) { return u.username == username; });
            return row ? std::optional(*row) : std::nullopt;
        }
        std::vector<domain::UserAccount> listUsers() override {
            Lock lock(mutex());
            auto rows = read().users;
            std::stable_sort(rows.begin(), rows.end(),
                             [](const auto& a, const auto& b) { return a.username < b.username; });
            return rows;
        }
        void saveUser(const domain::UserAccount& user) override {
            Lock lock(mutex());
            domain::UserAccount stored = user;
            std::sort(stored.roles.begin(), stored.roles.end());
            stored.roles.erase(std::unique(stored.roles.begin(), stored.roles.end()), stored.roles.end());
            if (stored.version == 0) {
                if (findIn(read().users, [&](const auto& u) { return u.id == stored.id; })) {
                    throw domain::ConflictError("user '" + user.username + "' was changed by someone else", true);
                }
            }
            versionedUpsert(
                write().users, stored, [](const auto& a, const auto& b) { return a.username == b.username; },
                "user '" + user.username + "'");
        }
        void addToken(const domain::ApiToken& token) override {
            Lock lock(mutex());
            auto& rows = write().tokens;
            if (findIn(rows, [&](const auto& t) { return t.secretHash == token.secretHash || t.id == token.id; })) {
                throw domain::ConflictError("API token already exists");
            }
            if (!findIn(read().users, [&](const auto& u) { return u.id == token.userId; })) {
                throw domain::ConflictError("API token: it refers to a record that does not exist");
            }
            rows.push_back(token);
        }
        std::optional<domain::ApiToken> findTokenByHash(const std::string& secretHash) override {
            Lock lock(mutex());
            auto* row = findIn(read().tokens, [&](const auto& t) { return t.secretHash == secretHash; });
            return row ? std::optional(*row) : std::nullopt;
        }
        std::optional<domain::ApiToken> findTokenById(const domain::Id& id) override {
            Lock lock(mutex());
            auto* row = findIn(read().tokens, [&](const auto& t) { return t.id == id; });
            return row ? std::optional(*row) : std::nullopt;
        }
        std::vector<domain::ApiToken> listTokens(const domain::Id& userId) override {
            Lock lock(mutex());
            std::vector<domain::ApiToken> out;
            for (const auto& t : read().tokens) {
                if (t.userId == userId) out.push_back(t);
            }
            // Oldest first, then the order added (as the real stores' created_at, rowid/seq).
            std::stable_sort(out.begin(), out.end(),
                             [](const auto& a, const auto& b) { return a.createdAt < b.createdAt; });
            return out;
        }
        void updateToken(const domain::ApiToken& token) override {
            Lock lock(mutex());
            if (auto* row = findIn(write().tokens, [&](const auto& t) { return t.id == token.id; })) {
                row->revokedAt = token.revokedAt;
                row->lastUsedAt = token.lastUsedAt;
            }
        }
        void addSession(const domain::WebSession& session) override {
            Lock lock(mutex());
            auto& rows = write().webSessions;
            if (findIn(rows, [&](const auto& s) { return s.idHash == session.idHash; })) {
                throw domain::ConflictError("web session already exists");
            }
            if (!findIn(read().users, [&](const auto& u) { return u.id == session.userId; })) {
                throw domain::ConflictError("web session: it refers to a record that does not exist");
            }
            rows.push_back(session);
        }
        std::optional<domain::WebSession> findSession(const std::string& idHash) override {
            Lock lock(mutex());
            auto* row = findIn(read().webSessions, [&](const auto& s) { return s.idHash == idHash; });
            return row ? std::optional(*row) : std::nullopt;
        }
        void touchSession(const std::string& idHash, const std::string& lastSeenAt) override {
            Lock lock(mutex());
            if (auto* row = findIn(write().webSessions, [&](const auto& s) { return s.idHash == idHash; })) {
                row->lastSeenAt = lastSeenAt;
            }
        }
        void endSession(const std::string& idHash, const std::string& endedAt) override {
            Lock lock(mutex());
            if (auto* row = findIn(write().webSessions, [&](const auto& s) { return s.idHash == idHash; })) {
                if (!row->endedAt) row->endedAt = endedAt;
            }
        }
        int endSessionsOfUser(const domain::Id& userId, const std::string& endedAt) override {
            Lock lock(mutex());
            int ended = 0;
            for (auto& s : write().webSessions) {
                if (s.userId == userId && !s.endedAt) {
                    s.endedAt = endedAt;
                    ++ended;
                }
            }
            return ended;
        }
    };

    /// Reminders, outbox and feed tokens (Outbox.h); the same identity and claim rules as the real stores.
    class Reminders final : public domain::ReminderRepository, Part {
    public:
        using Part::Part;
        void scanReminderCandidates(const std::function<void(const domain::ReminderCandidateView&)>& row) override {
            State state;
            {
                Lock lock(mutex());
                state = read();
            }
            for (const auto& a : state.actions) {
                if (!domain::getsReminders(a.status) || !a.originalTargetDate) continue;
                const auto* r =
                    findIn(state.recommendations, [&](const auto& x) { return x.id == a.recommendationId; });
                if (!r) continue;
                const auto* e = findIn(state.engagements, [&](const auto& x) { return x.id == r->engagementId; });
                const std::string due = domain::formatIso(domain::effectiveDueDate(a)->date);
                const std::string status{domain::toString(a.status)}, priority{domain::toString(r->priority)};
                std::string co;
                for (const auto& c : a.coOwnerIds) co += (co.empty() ? "" : ",") + c;
                const std::string lead = a.leadOwnerId.value_or(""), group = a.responsibleGroupId.value_or("");
                domain::ReminderCandidateView v;
                v.actionId = a.id;
                v.status = status;
                v.priority = priority;
                v.dueDate = due;
                v.leadOwnerId = lead;
                v.coOwnerIds = co;
                v.responsibleGroupId = group;
                v.engagementReference = e ? std::string_view(e->reference) : std::string_view();
                v.recommendationTitle = r->title;
                v.actionDescription = a.description;
                v.recommendationNumber = r->number;
                v.actionNumber = a.number;
                row(v);
            }
        }
        std::vector<domain::ReminderIdentity> recordedSince(domain::Date sendDay) override {
            Lock lock(mutex());
            std::vector<domain::ReminderIdentity> out;
            for (const auto& r : read().reminders)
                if (!(r.sendDay < sendDay)) out.push_back({r.recipientId, r.itemId, r.rule, r.occurrence});
            return out;
        }
        bool isRecorded(const domain::ReminderIdentity& identity) override {
            Lock lock(mutex());
            for (const auto& r : read().reminders) {
                if (r.recipientId == identity.recipientId && r.itemId == identity.itemId && r.rule == identity.rule &&
                    r.occurrence == identity.occurrence)
                    return true;
            }
            return false;
        }
        bool record(const domain::StoredReminder& r) override {
            Lock lock(mutex());
            State& state = write();
            for (const auto& x : state.reminders) {
                if (x.id == r.id)
                    throw domain::ConflictError("recording a reminder: a record with the same key already exists");
                if (x.recipientId == r.recipientId && x.itemId == r.itemId && x.rule == r.rule &&
                    x.occurrence == r.occurrence)
                    return false;
            }
            state.reminders.push_back(r);
            return true;
        }
        void addMessage(const domain::OutboxMessage& m) override {
            Lock lock(mutex());
            State& state = write();
            if (findIn(state.outbox, [&](const auto& x) { return x.id == m.id; }))
                throw domain::ConflictError("adding an outbox message: a record with the same key already exists");
            state.outbox.push_back(m);
        }
        std::vector<domain::OutboxMessage> claimDue(const std::string& nowUtc, const std::string& leaseUntilUtc,
                                                    std::size_t limit) override {
            Lock lock(mutex());
            State& state = write();
            std::vector<domain::OutboxMessage*> due;
            for (auto& m : state.outbox) {
                if ((m.status == domain::OutboxStatus::kPending || m.status == domain::OutboxStatus::kSending) &&
                    m.nextAttemptAt <= nowUtc)
                    due.push_back(&m);
            }
            std::stable_sort(due.begin(), due.end(), [](const auto* a, const auto* b) {
                return std::tie(a->createdAt, a->id) < std::tie(b->createdAt, b->id);
            });
            std::vector<domain::OutboxMessage> out;
            for (auto* m : due) {
                if (out.size() >= limit) break;
                m->status = domain::OutboxStatus::kSending;
                m->nextAttemptAt = leaseUntilUtc;
                out.push_back(*m);
            }
            return out;
        }
        void saveDelivery(const domain::OutboxMessage& m) override {
            Lock lock(mutex());
            if (auto* row = findIn(write().outbox, [&](const auto& x) { return x.id == m.id; })) {
                row->status = m.status;
                row->attempts = m.attempts;
                row->nextAttemptAt = m.nextAttemptAt;
                row->lastError = m.lastError;
                row->sentAt = m.sentAt;
            }
        }
        std::optional<domain::OutboxMessage> findMessage(const domain::Id& id) override {
            Lock lock(mutex());
            auto* row = findIn(read().outbox, [&](const auto& x) { return x.id == id; });
            return row ? std::optional(*row) : std::nullopt;
        }
        std::vector<domain::OutboxMessage> listMessages(std::optional<domain::OutboxStatus> status,
                                                        std::size_t limit) override {
            Lock lock(mutex());
            std::vector<domain::OutboxMessage> rows;
            for (const auto& m : read().outbox)
                if (!status || m.status == *status) rows.push_back(m);
            std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
                return std::tie(b.createdAt, b.id) < std::tie(a.createdAt, a.id);
            });
            if (rows.size() > limit) rows.resize(limit);
            return rows;
        }
        std::map<std::string, int> countMessages() override {
            Lock lock(mutex());
            std::map<std::string, int> out;
            for (const auto& m : read().outbox) ++out[std::string(domain::toString(m.status))];
            return out;
        }
        InboxCount countForRecipient(const domain::Id& personId) override {
            Lock lock(mutex());
            InboxCount out;
            for (const auto& r : read().reminders) {
                if (r.recipientId != personId) continue;
                ++out.total;
                if (!r.readAt) ++out.unread;
            }
            return out;
        }
        std::vector<domain::StoredReminder> listForRecipient(const domain::Id& personId, bool unreadOnly,
                                                             std::size_t limit) override {
            Lock lock(mutex());
            std::vector<domain::StoredReminder> rows;
            for (const auto& r : read().reminders)
                if (r.recipientId == personId && (!unreadOnly || !r.readAt)) rows.push_back(r);
            std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
                return std::make_tuple(b.createdAt, std::chrono::sys_days{b.sendDay}, b.id) <
                       std::make_tuple(a.createdAt, std::chrono::sys_days{a.sendDay}, a.id);
            });
            if (rows.size() > limit) rows.resize(limit);
            return rows;
        }
        std::vector<domain::StoredReminder> listForMessage(const domain::Id& messageId) override {
            Lock lock(mutex());
            std::vector<domain::StoredReminder> rows;
            for (const auto& r : read().reminders)
                if (r.messageId == messageId) rows.push_back(r);
            return rows;
        }
        bool markRead(const domain::Id& personId, const domain::Id& reminderId, const std::string& atUtc) override {
            Lock lock(mutex());
            auto* row = findIn(write().reminders, [&](const auto& r) {
                return r.id == reminderId && r.recipientId == personId && !r.readAt;
            });
            if (!row) return false;
            row->readAt = atUtc;
            return true;
        }
        void addFeedToken(const domain::FeedToken& t) override {
            Lock lock(mutex());
            State& state = write();
            if (findIn(state.feedTokens, [&](const auto& x) { return x.tokenHash == t.tokenHash; }))
                throw domain::ConflictError("adding a feed token: a record with the same key already exists");
            if (!findIn(state.people, [&](const auto& p) { return p.id == t.personId; }))
                throw domain::ConflictError("adding a feed token: it refers to a record that does not exist");
            state.feedTokens.push_back(t);
        }
        int revokeFeedTokens(const domain::Id& personId, const std::string& atUtc) override {
            Lock lock(mutex());
            int n = 0;
            for (auto& t : write().feedTokens) {
                if (t.personId == personId && !t.revokedAt) {
                    t.revokedAt = atUtc;
                    ++n;
                }
            }
            return n;
        }
        std::optional<domain::Id> feedTokenOwner(const std::string& tokenHash) override {
            Lock lock(mutex());
            auto* t =
                findIn(read().feedTokens, [&](const auto& x) { return x.tokenHash == tokenHash && !x.revokedAt; });
            return t ? std::optional(t->personId) : std::nullopt;
        }
    };

    class Session final : public domain::StoreSession, Part {
    public:
        explicit Session(InMemoryStore& store)
            : Part(store),
              units_(store),
              people_(store),
              groups_(store),
              risks_(store),
              riskRegisters_(store),
              engagements_(store),
              findings_(store),
              recommendations_(store),
              actions_(store),
              progressUpdates_(store),
              revisionRequests_(store),
              evidence_(store),
              events_(store),
              accounts_(store),
              reminders_(store) {}

        domain::OrganisationUnitRepository& units() override { return units_; }
        domain::PersonRepository& people() override { return people_; }
        domain::GovernanceGroupRepository& groups() override { return groups_; }
        domain::RiskRepository& risks() override { return risks_; }
        domain::RiskRegisterRepository& riskRegisters() override { return riskRegisters_; }
        domain::EngagementRepository& engagements() override { return engagements_; }
        domain::FindingRepository& findings() override { return findings_; }
        domain::RecommendationRepository& recommendations() override { return recommendations_; }
        domain::ActionRepository& actions() override { return actions_; }
        domain::ProgressUpdateRepository& progressUpdates() override { return progressUpdates_; }
        domain::RevisionRequestRepository& revisionRequests() override { return revisionRequests_; }
        domain::EvidenceRepository& evidence() override { return evidence_; }
        domain::EventRepository& events() override { return events_; }
        domain::AccountRepository& accounts() override { return accounts_; }
        domain::ReminderRepository& reminders() override { return reminders_; }

        domain::ActionPlanSnapshot loadActionPlan(const domain::ActionPlanFilter& filter) override {
            Lock lock(mutex());
            const State& state = read();
            domain::ActionPlanSnapshot snapshot;
            for (const auto& e : state.engagements) {
                if (!filter.engagementReference ||
                    domain::foldNaturalKey(e.reference) == domain::foldNaturalKey(*filter.engagementReference)) {
                    snapshot.engagements.push_back(e);
                }
            }
            if (filter.engagementReference && snapshot.engagements.empty()) {
                throw domain::NotFoundError("No engagement has the reference '" + *filter.engagementReference + "'.");
            }
            std::stable_sort(snapshot.engagements.begin(), snapshot.engagements.end(),
                             [](const auto& a, const auto& b) { return a.reference < b.reference; });
            std::map<domain::Id, std::string> references;
            for (const auto& e : snapshot.engagements) references[e.id] = e.reference;

            for (const auto& r : state.recommendations) {
                if (references.count(r.engagementId)) snapshot.recommendations.push_back(r);
            }
            std::stable_sort(snapshot.recommendations.begin(), snapshot.recommendations.end(),
                             [&](const auto& a, const auto& b) {
                                 return std::tie(references[a.engagementId], a.number) <
                                        std::tie(references[b.engagementId], b.number);
                             });
            std::map<domain::Id, std::size_t> recommendationOrder;
            for (std::size_t i = 0; i < snapshot.recommendations.size(); ++i) {
                recommendationOrder[snapshot.recommendations[i].id] = i;
            }
            for (const auto& a : state.actions) {
                if (recommendationOrder.count(a.recommendationId)) snapshot.actions.push_back(a);
            }
            std::stable_sort(snapshot.actions.begin(), snapshot.actions.end(), [&](const auto& a, const auto& b) {
                return std::make_tuple(recommendationOrder[a.recommendationId], a.number) <
                       std::make_tuple(recommendationOrder[b.recommendationId], b.number);
            });
            snapshot.people = state.people;
            snapshot.units = state.units;
            for (const auto& u : state.progressUpdates) {  // latest by date; a later insert wins a tie
                if (!hasAction(snapshot, u.actionId)) continue;
                auto it = snapshot.lastUpdates.find(u.actionId);
                if (it == snapshot.lastUpdates.end() || !(u.date < it->second.date))
                    snapshot.lastUpdates[u.actionId] = u;
            }
            return snapshot;
        }

        void transaction(const std::function<void()>& work) override {
            Lock lock(mutex());
            store_.checkFault();
            ++store_.transactions_;
            State saved = store_.state_;
            try {
                work();
            } catch (...) {
                store_.state_ = std::move(saved);
                throw;
            }
        }

    private:
        static bool hasAction(const domain::ActionPlanSnapshot& snapshot, const domain::Id& id) {
            return std::any_of(snapshot.actions.begin(), snapshot.actions.end(),
                               [&](const auto& a) { return a.id == id; });
        }

        Units units_;
        People people_;
        Groups groups_;
        Risks risks_;
        RiskRegisters riskRegisters_;
        Engagements engagements_;
        Findings findings_;
        Recommendations recommendations_;
        Actions actions_;
        ProgressUpdates progressUpdates_;
        RevisionRequests revisionRequests_;
        EvidenceRecords evidence_;
        Events events_;
        Accounts accounts_;
        Reminders reminders_;
    };

    mutable std::recursive_mutex mutex_;
    State state_;
    std::function<void()> fault_;
    std::atomic<int> sessionsOpened_{0};
    std::atomic<int> reads_{0};
    std::atomic<int> writes_{0};
    std::atomic<int> transactions_{0};
};

}  // namespace govtrack::testing
