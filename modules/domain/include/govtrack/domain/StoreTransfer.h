#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "govtrack/domain/Accounts.h"
#include "govtrack/domain/AuditTrail.h"
#include "govtrack/domain/Model.h"
#include "govtrack/domain/Repositories.h"

/// Moving a whole store to another backend (`govtrack copy`; issue 6 "Moving data"). A backend exposes
/// StoreTransfer through StoreSession::transfer(); copyStore() drives two of them. A new table (the audit
/// events) adds a field to StoreContents, a line to counts(), and its rows to each backend's transfer.
namespace govtrack::domain {

/// One evidence record with its file content (the bytes as stored; empty for a note without a file).
struct StoredEvidence {
    Evidence evidence;
    std::string content;

    friend bool operator==(const StoredEvidence&, const StoredEvidence&) = default;
};

/// Every row of a store, ids and versions kept.
struct StoreContents {
    std::vector<OrganisationUnit> units;
    std::vector<Person> people;           ///< with their system roles
    std::vector<GovernanceGroup> groups;  ///< with members and delegated powers
    std::vector<Risk> risks;
    std::vector<Engagement> engagements;
    std::vector<Finding> findings;
    std::vector<Recommendation> recommendations;  ///< with their linked risk references
    std::vector<Action> actions;                  ///< with co-owners, revised target dates, closure
    std::vector<ProgressUpdate> progressUpdates;  ///< in the order they were added
    std::vector<RevisionRequest> revisionRequests;
    std::vector<StoredEvidence> evidence;
    std::vector<AuditEvent> events;  ///< the audit trail, ascending seq, hashes kept
    std::vector<UserAccount> users;  ///< sign-in accounts with their roles, by username; versions kept
    /// API tokens, by creation time then the order added (revoked ones included). Web sessions are
    /// deliberately not carried: a copy signs everyone out (a session's cookie is tied to one server).
    std::vector<ApiToken> apiTokens;

    /// Rows per table as the schema stores them (TableCount::table are the SQL table names).
    std::vector<struct TableCount> counts() const;
};

/// Number of rows in one table.
struct TableCount {
    std::string table;  ///< SQL table name, e.g. "action_co_owner"
    std::int64_t rows = 0;

    friend bool operator==(const TableCount&, const TableCount&) = default;
};

/// Bulk access to a whole store through one session.
class StoreTransfer {
public:
    virtual ~StoreTransfer() = default;
    /// Reads every row in one consistent snapshot (takes no write lock).
    virtual StoreContents exportAll() = 0;
    /// Writes every row keeping ids and versions into a store whose tables are empty. Call inside
    /// StoreSession::transaction(). Throws ConflictError on a duplicate key.
    virtual void importAll(const StoreContents& contents) = 0;
    /// Deletes every row of every data table (the schema and schema_version stay). Call inside a transaction.
    virtual void clearAll() = 0;
    /// Rows per table, the same tables and order as StoreContents::counts().
    virtual std::vector<TableCount> countRows() = 0;
};

/// Copies every row from `from` to `to` (SPEC 6, issue 6): refuses a target that holds any row
/// (ConflictError) unless `force`, in which case the target is emptied first in the same transaction
/// as the copy. Verifies the row count of every table on the target against the source before returning
/// them; a mismatch throws Error(kInternal) naming the table. Throws ValidationError if either session
/// does not support transfer.
std::vector<TableCount> copyStore(StoreSession& from, StoreSession& to, bool force);

/// copyStore() that also carries the audit trail's proof (SPEC 4.8, issue 6): after the counts match, runs
/// verifyChain() on the target and throws Error(kInternal) naming the first broken event if the copied
/// chain does not verify. `govtrack copy` uses this form.
std::vector<TableCount> copyStore(StoreSession& from, StoreSession& to, bool force, Hasher& hasher);

}  // namespace govtrack::domain
