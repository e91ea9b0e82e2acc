#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "govtrack/domain/Actor.h"
#include "govtrack/domain/AuditTrail.h"
#include "govtrack/domain/Outbox.h"
#include "govtrack/domain/Reminders.h"
#include "govtrack/domain/Repositories.h"

/// Sweeps (what to send, recorded exactly once) and delivery (sending what was recorded) of reminders,
/// SPEC 4.6. The storage is a StoreSession; the mail server is a MailTransport port.
namespace govtrack::domain {

/// Everything a sweep needs besides the store and the instant.
struct ReminderSettings {
    ReminderPolicy policy;
    WorkingCalendar calendar;
    std::string webBaseUrl = "http://127.0.0.1:8080";
};

/// What one sweep produced.
struct SweepResult {
    Date day;                           ///< the sweep's local date
    std::size_t remindersDue = 0;       ///< all reminders due at the instant, recorded before or not
    std::size_t remindersRecorded = 0;  ///< newly recorded by this sweep (dry run: would be)
    std::size_t digests = 0;            ///< messages recorded (dry run: would be), one per recipient
};

/// Receives each digest a sweep records (or would record), one at a time; the digest and its reminders
/// are valid only during the call.
using DigestSink = std::function<void(const ReminderDigest&)>;

/// Computes the reminders due at `now` from the store's open actions (streamed through
/// ReminderRepository::scanReminderCandidates; texts are kept only for items with a reminder due). With `record` false
/// (dry run) it writes nothing and reports the reminders not recorded yet; with `record` true it records them and their
/// digests in the outbox in one transaction, so a reminder is recorded once whatever other sweeps run at
/// the same time (ReminderRepository::record). Ids come from `ids`.
/// Throws UnavailableError if the store cannot be reached.
SweepResult sweepReminders(StoreSession& session, IdGenerator& ids, const ReminderSettings& settings,
                           const TimeZoneRules& zone, std::chrono::sys_seconds now, bool record,
                           const DigestSink& sink = {});

/// Sends one message. Throws (any exception) when the mail server refuses or cannot be reached; the text
/// of the exception is stored as the message's last error, so it must not contain a secret.
class MailTransport {
public:
    virtual ~MailTransport() = default;
    virtual void send(const OutboxMessage& message) = 0;
};

/// Retry policy: after failure n (1-based) the next try waits baseDelay * 2^(n-1), at most maxDelay;
/// after maxAttempts failures the message is parked as failed.
struct DeliveryPolicy {
    int maxAttempts = 6;
    std::chrono::seconds baseDelay{60};
    std::chrono::seconds maxDelay{std::chrono::hours{6}};
    std::chrono::seconds lease{std::chrono::minutes{10}};  ///< a claimed message is retried after this
    std::size_t batch = 100;
};

struct DeliveryResult {
    int sent = 0;
    int retrying = 0;
    int failed = 0;  ///< parked by this run
};

/// Claims due outbox messages and sends each through `transport`, marking it sent, or pending again with
/// exponential back-off, or failed after policy.maxAttempts (SPEC 4.6). A message with no e-mail address
/// is parked as failed at once. The claim is committed before sending, so another worker never sends the
/// same message; a crash after the claim retries it when the lease ends (late, not lost).
DeliveryResult deliverOutbox(StoreSession& session, MailTransport& transport, const DeliveryPolicy& policy,
                             std::chrono::sys_seconds now);

/// The delay before retry number `failures` + 1 (failures >= 1) under `policy`.
std::chrono::seconds retryDelay(const DeliveryPolicy& policy, int failures);

/// Most actions one chase may cover.
inline constexpr std::size_t kMaxChaseActions = 1000;
/// Longest note a chase may carry, in bytes.
inline constexpr std::size_t kMaxChaseNoteBytes = 1000;

/// A chase: "send reminder now" to the owners of some actions (SPEC 4.6; issue 8 item 3, the tracker's
/// bulk chase).
struct ChaseRequest {
    std::vector<Id> actionIds;  ///< at most kMaxChaseActions, each once
    std::string note;           ///< optional; multi-line, at most kMaxChaseNoteBytes
    bool record = true;         ///< false: a dry run that writes nothing and says what would happen
    std::string requestedBy;    ///< who the messages say asked; "" -> the actor's name
};

enum class ChaseOutcome { kChased, kAlreadyChased, kSkipped };
std::string_view toString(ChaseOutcome v) noexcept;  ///< "chased", "already_chased", "skipped"

/// Who a chase reaches about one action.
struct ChaseRecipient {
    Id personId;
    std::string roleTitle;
    std::string as;  ///< "owner", or "line_manager" for an inactive owner
};

/// What a chase does (or would do) for one action.
struct ChasedAction {
    Id actionId;
    std::string reference;  ///< "IA-2024-25-PM/1.1"
    ActionStatus status = ActionStatus::kNotStarted;
    ChaseOutcome outcome = ChaseOutcome::kChased;
    std::string reason;                     ///< why skipped (chaseSkipReason); "" otherwise
    std::vector<ChaseRecipient> recipients;  ///< kChased: who gets it now; kAlreadyChased: who had it today
};

/// One person a chase mails, with how many of the chased actions their message covers.
struct ChasePerson {
    Id personId;
    std::string roleTitle;
    bool hasEmail = false;  ///< false: only their in-app inbox shows it (delivery parks the mail)
    int actions = 0;
};

struct ChaseResult {
    Date day;                          ///< the organisation's local date of the chase
    bool recorded = false;             ///< false for a dry run
    std::vector<ChasedAction> actions;  ///< in request order
    std::vector<ChasePerson> recipients;  ///< by role title
    std::size_t reminders = 0;         ///< reminders recorded (dry run: would be)
    std::size_t digests = 0;           ///< messages put in the outbox (dry run: would be), one per person
    int count(ChaseOutcome outcome) const;
};

/// Chases the owners of `request.actionIds` now (SPEC 4.6 "send reminder now"): for each action that gets
/// reminders (not_started, in_progress) one reminder (rule kChaseRule, occurrence `today`) to each owner,
/// or an inactive owner's line manager, recorded in each person's in-app inbox, and one message per person
/// in the outbox for the delivery worker, all in one transaction with one audit event per chased action
/// (entity "reminder", id the action's, change "chase", reason naming the recipients and the note). An
/// action whose reminders were all recorded earlier today is kAlreadyChased: nothing is sent twice a day,
/// even when two chases race. Actions that get no reminders are kSkipped with the reason. `today` is the
/// local date at `now`; links use `webBaseUrl`.
/// Throws ValidationError for more than kMaxChaseActions ids, a repeated id, or a bad note (too long, bad
/// UTF-8, control characters), NotFoundError naming an unknown action id; nothing is written then.
ChaseResult chaseActions(StoreSession& session, AuditTrail& audit, IdGenerator& ids, const Actor& by,
                         const ChaseRequest& request, Date today, std::chrono::sys_seconds now,
                         const std::string& webBaseUrl);

/// A person's in-app inbox (SPEC 4.6): the reminders recorded for them, newest first. For the route
/// GET /api/v1/me/notifications. Throws NotFoundError if `personId` is unknown.
std::vector<StoredReminder> listNotifications(StoreSession& session, const Id& personId, bool unreadOnly,
                                              std::size_t limit = 200);

/// Marks one notification read. Throws NotFoundError if it is not one of `personId`'s notifications;
/// marking an already-read one again is not an error (returns false).
bool markNotificationRead(StoreSession& session, const Id& personId, const Id& notificationId,
                          std::chrono::sys_seconds now);

}  // namespace govtrack::domain
