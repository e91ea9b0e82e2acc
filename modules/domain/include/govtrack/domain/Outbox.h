#pragma once

#include <compare>
#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "govtrack/domain/Model.h"

/// Storage for reminders (SPEC 4.6): the ledger of reminders recorded (which is also each person's
/// in-app inbox), the outbox of digest messages, and iCalendar feed tokens. Times are UTC text
/// "2026-03-27T08:00:00Z" (formatUtc), which sorts in time order on every backend.
namespace govtrack::domain {

/// A reminder as recorded. (recipientId, itemId, rule, occurrence) is unique across the whole store and
/// every instance: recording it is the decision to send it, exactly once.
struct StoredReminder {
    Id id;
    Id recipientId;
    std::string itemKind = "action";
    Id itemId;
    std::string rule;  ///< Reminders.h rule names: "before_due_7", "on_due", "overdue", "escalation_14"
    Date occurrence;
    Id messageId;  ///< the outbox message (digest) that carries it
    Date sendDay;
    std::string reference;
    std::string title;
    Date dueDate;
    int daysOverdue = 0;
    bool ownerInactive = false;
    std::string as;  ///< "owner", "line_manager", "group_secretary", "group_chair"
    std::string createdAt;
    std::optional<std::string> readAt;  ///< nullopt: unread in the in-app inbox

    friend bool operator==(const StoredReminder&, const StoredReminder&) = default;
};

/// pending -> sending (claimed by a worker, lease until nextAttemptAt) -> sent, or back to pending with a
/// later nextAttemptAt after a failure, or failed (parked) after the last allowed attempt.
enum class OutboxStatus { kPending, kSending, kSent, kFailed };
std::string_view toString(OutboxStatus v) noexcept;  ///< "pending", "sending", "sent", "failed"
std::optional<OutboxStatus> parseOutboxStatus(std::string_view s);

/// One digest e-mail to one recipient (SPEC 4.6).
struct OutboxMessage {
    Id id;
    Id recipientId;
    std::string recipientEmail;
    Date digestDay;
    std::string subject;
    std::string textBody;
    std::string htmlBody;
    OutboxStatus status = OutboxStatus::kPending;
    int attempts = 0;
    std::string nextAttemptAt;  ///< earliest next try (pending) or end of the claim's lease (sending)
    std::string lastError;      ///< the last failure's reason, "" if none; never holds a secret
    std::string createdAt;
    std::optional<std::string> sentAt;

    friend bool operator==(const OutboxMessage&, const OutboxMessage&) = default;
};

/// A per-person iCalendar feed token (SPEC 4.6). Only the SHA-256 of the token is stored.
struct FeedToken {
    std::string tokenHash;
    Id personId;
    std::string createdAt;
    std::optional<std::string> revokedAt;

    friend bool operator==(const FeedToken&, const FeedToken&) = default;
};

/// One open action as the reminder sweep reads it (SPEC 4.6), streamed row by row so that a million actions
/// need no more memory than one row. The views are valid only during the callback.
struct ReminderCandidateView {
    std::string_view actionId;
    std::string_view status;              ///< stored ActionStatus name
    std::string_view priority;            ///< the recommendation's stored Priority name
    std::string_view dueDate;             ///< ISO date: the latest approved revision, else the original target
    std::string_view leadOwnerId;         ///< "" if none
    std::string_view coOwnerIds;          ///< comma-separated, "" if none
    std::string_view responsibleGroupId;  ///< "" if none
    std::string_view engagementReference;
    std::string_view recommendationTitle;
    std::string_view actionDescription;
    int recommendationNumber = 0;
    int actionNumber = 0;
};

/// A reminder's identity (SPEC 4.6).
struct ReminderIdentity {
    Id recipientId;
    Id itemId;
    std::string rule;
    Date occurrence;

    friend auto operator<=>(const ReminderIdentity&, const ReminderIdentity&) = default;
};

class ReminderRepository {
public:
    virtual ~ReminderRepository() = default;

    /// Calls `row` for every action with status not_started or in_progress and a target date, in no
    /// particular order, reading one row at a time.
    virtual void scanReminderCandidates(const std::function<void(const ReminderCandidateView&)>& row) = 0;
    /// The identities of the reminders recorded with a send day on or after `sendDay`.
    virtual std::vector<ReminderIdentity> recordedSince(Date sendDay) = 0;
    /// True if a reminder with this identity is recorded (one indexed look-up; a chase asks for its few
    /// identities rather than reading a whole day's sweep).
    virtual bool isRecorded(const ReminderIdentity& identity) = 0;

    /// Records `reminder` unless one with the same identity is recorded already (by any session or
    /// instance; a concurrent recorder waits for the other's transaction). Returns true if this call
    /// recorded it. Throws ConflictError only for a clash of `id`.
    virtual bool record(const StoredReminder& reminder) = 0;
    virtual void addMessage(const OutboxMessage& message) = 0;

    /// Claims up to `limit` messages that are pending, or sending with an expired lease, and whose
    /// nextAttemptAt <= `nowUtc`: each becomes sending with nextAttemptAt = `leaseUntilUtc`. A message is
    /// claimed by one caller only, even with several instances. Oldest first.
    virtual std::vector<OutboxMessage> claimDue(const std::string& nowUtc, const std::string& leaseUntilUtc,
                                                std::size_t limit) = 0;
    /// Stores the delivery outcome of message.id: status, attempts, nextAttemptAt, lastError, sentAt.
    virtual void saveDelivery(const OutboxMessage& message) = 0;
    virtual std::optional<OutboxMessage> findMessage(const Id& id) = 0;
    /// Newest first (createdAt, then id), at most `limit`; only `status` when given.
    virtual std::vector<OutboxMessage> listMessages(std::optional<OutboxStatus> status, std::size_t limit) = 0;
    /// Message count per status name (absent: none).
    virtual std::map<std::string, int> countMessages() = 0;

    /// How many reminders `personId`'s inbox holds: all of them, and the unread ones.
    struct InboxCount {
        int total = 0;
        int unread = 0;
    };
    virtual InboxCount countForRecipient(const Id& personId) = 0;
    /// The reminders recorded for `personId` (their in-app inbox), newest first, at most `limit`.
    virtual std::vector<StoredReminder> listForRecipient(const Id& personId, bool unreadOnly, std::size_t limit) = 0;
    /// All reminders a message carries, in recording order.
    virtual std::vector<StoredReminder> listForMessage(const Id& messageId) = 0;
    /// Marks `reminderId` read at `atUtc` if it belongs to `personId` and is unread; false otherwise.
    virtual bool markRead(const Id& personId, const Id& reminderId, const std::string& atUtc) = 0;

    virtual void addFeedToken(const FeedToken& token) = 0;
    /// Revokes every live token of `personId`; returns how many.
    virtual int revokeFeedTokens(const Id& personId, const std::string& atUtc) = 0;
    /// The person a live (unrevoked) token hash belongs to.
    virtual std::optional<Id> feedTokenOwner(const std::string& tokenHash) = 0;
};

}  // namespace govtrack::domain
