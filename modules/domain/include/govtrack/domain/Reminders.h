#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "govtrack/domain/Model.h"

/// Reminders and escalations (SPEC 4.6) as pure rules: which reminders are due at an instant, for whom,
/// and on which working day and local time they are sent. No I/O: the caller passes the open items, the
/// people and groups, the policy, the working-day calendar and the organisation's time-zone rules.
namespace govtrack::domain {

/// Weekends and public holidays (SPEC 4.6). Saturday and Sunday are never working days.
class WorkingCalendar {
public:
    WorkingCalendar() = default;
    explicit WorkingCalendar(std::set<Date> holidays) : holidays_(std::move(holidays)) {}

    bool isWorkingDay(Date day) const;
    /// `day` if it is a working day, else the nearest earlier one.
    Date onOrBefore(Date day) const;
    /// `day` if it is a working day, else the nearest later one.
    Date onOrAfter(Date day) const;
    const std::set<Date>& holidays() const noexcept { return holidays_; }

private:
    std::set<Date> holidays_;
};

/// Parses a holidays file: one ISO date per line ("2026-12-25"), anything after the date is a comment
/// ("2026-12-28 Boxing Day (substitute day)"); blank lines and lines starting with '#' are skipped.
/// Throws ValidationError naming `source`:line for a line that does not start with a valid date.
WorkingCalendar parseHolidays(std::string_view text, const std::string& source);

/// Converts between instants and the organisation's local calendar (a port: the platform module
/// implements it with the tz database). SPEC 4.2, 4.6.
class TimeZoneRules {
public:
    virtual ~TimeZoneRules() = default;
    /// The local calendar date at `instant`.
    virtual Date localDate(std::chrono::sys_seconds instant) const = 0;
    /// The instant of local wall-clock time `timeOfDay` (since midnight) on `day`. A time in a DST gap
    /// resolves to the instant just after the gap; an ambiguous time to its first occurrence.
    virtual std::chrono::sys_seconds instantOf(Date day, std::chrono::minutes timeOfDay) const = 0;
};

/// Who an escalation copies (SPEC 4.6).
enum class EscalationTarget { kLineManager, kGroupSecretary, kGroupChair };
std::string_view toString(EscalationTarget v) noexcept;  ///< "line_manager", "group_secretary", "group_chair"

/// From `afterDaysOverdue` days overdue (then every ReminderRule::overdueEveryDays), copy `targets`.
struct Escalation {
    int afterDaysOverdue = 14;
    std::vector<EscalationTarget> targets;

    friend bool operator==(const Escalation&, const Escalation&) = default;
};

/// The reminder rule for one priority. Days are calendar days; send days then move to working days.
struct ReminderRule {
    std::vector<int> daysBefore{28, 14, 7, 1};  ///< before-due reminders, days before the due date
    bool onDueDate = true;
    int overdueEveryDays = 7;  ///< overdue reminders at 7, 14, 21, ... days overdue; 0: none
    std::vector<Escalation> escalations{{14, {EscalationTarget::kLineManager, EscalationTarget::kGroupSecretary}},
                                        {30, {EscalationTarget::kGroupChair}}};

    friend bool operator==(const ReminderRule&, const ReminderRule&) = default;
};

/// The whole reminder policy (SPEC 4.6 defaults: rule as ReminderRule{} for every priority, 08:00 local).
struct ReminderPolicy {
    std::map<Priority, ReminderRule> byPriority{{Priority::kHigh, {}}, {Priority::kMedium, {}}, {Priority::kLow, {}}};
    std::chrono::minutes sendTime{8 * 60};  ///< local time of day the reminders of a day are sent
    /// A sweep also records reminders whose send day was up to this many days ago and were never recorded
    /// (the service was down at the send time). 0: only today's.
    int catchUpDays = 3;

    const ReminderRule& ruleFor(Priority p) const;
};

/// Something reminders are about. Today: an action with its effective due date; the risk register's next
/// review dates can become another kind later (kind then names it).
struct ReminderSubject {
    std::string kind = "action";
    Id id;
    std::string reference;  ///< shown to people, e.g. "IA-2024-25-PM/1.1"
    std::string title;      ///< recommendation title: action description
    Priority priority = Priority::kMedium;
    ActionStatus status = ActionStatus::kNotStarted;
    Date dueDate;
    std::vector<Id> ownerIds;  ///< lead owner first, then co-owners
    std::optional<Id> responsibleGroupId;
};

/// True for the statuses that get reminders: not_started and in_progress. implemented (awaiting
/// verification), verified, risk_accepted, superseded and withdrawn get none (SPEC 4.6).
bool getsReminders(ActionStatus status) noexcept;

/// The people and groups reminders are addressed through.
struct ReminderDirectory {
    std::unordered_map<Id, const Person*> people;
    std::unordered_map<Id, const GovernanceGroup*> groups;
};

/// What a reminder is about, shared by all the reminders of one item in a sweep (a million reminders must
/// not carry a million copies of the texts).
struct ReminderItem {
    std::string kind;  ///< ReminderSubject::kind
    Id id;
    std::string reference;  ///< e.g. "IA-2024-25-PM/1.1"
    std::string title;      ///< recommendation title: action description
    Date dueDate;
};

/// Rule names, part of a reminder's identity (stored in the outbox): "before_due_28", "on_due",
/// "overdue", "escalation_14" (the number is the rule's day count).
struct Reminder {
    // identity (SPEC 4.6): one reminder is sent once, ever -- with itemId()
    Id recipientId;
    std::string rule;
    Date occurrence;  ///< the nominal day the rule names (before moving to a working day)

    std::shared_ptr<const ReminderItem> item;
    Date sendDay;  ///< the working day it is sent
    std::chrono::sys_seconds sendAt{};
    int daysOverdue = 0;         ///< at the sweep's local date; 0 when not overdue
    int daysToDue = 0;           ///< at the sweep's local date; negative when overdue
    bool ownerInactive = false;  ///< sent to the line manager because the owner is inactive
    std::string as;              ///< why this recipient: "owner", "line_manager", "group_secretary", "group_chair"

    const Id& itemId() const noexcept { return item->id; }
    const std::string& itemKind() const noexcept { return item->kind; }
    const std::string& reference() const noexcept { return item->reference; }
    const std::string& title() const noexcept { return item->title; }
    Date dueDate() const noexcept { return item->dueDate; }
    bool overdue() const noexcept { return daysOverdue > 0; }
};

/// The reminders due at `now` (SPEC 4.6), ordered by recipient, then overdue first (most days overdue
/// first), then by due date and reference. A reminder is due when its send day (its occurrence moved to a
/// working day: earlier for before-due and on-due reminders, later for overdue ones and escalations) is
/// today or up to policy.catchUpDays before, and its send instant (send day at policy.sendTime local) is
/// not after `now`. Subjects whose status gets no reminders are skipped. An inactive owner's reminders go
/// to their active line manager flagged ownerInactive; with no active line manager they are dropped. An
/// escalation target that is missing or inactive is skipped. One recipient gets one reminder per item,
/// rule and occurrence (co-owners and escalations may name the same person twice).
std::vector<Reminder> dueReminders(const std::vector<ReminderSubject>& subjects, const ReminderDirectory& directory,
                                   const ReminderPolicy& policy, const WorkingCalendar& calendar,
                                   const TimeZoneRules& zone, std::chrono::sys_seconds now);

/// dueReminders one subject at a time (a sweep streams a million actions through it without holding them):
/// add() appends a subject's due reminders, unsorted; sort() then orders them as dueReminders does. The
/// directory, policy, calendar and zone must outlive the planner.
class ReminderPlanner {
public:
    ReminderPlanner(const ReminderDirectory& directory, const ReminderPolicy& policy, const WorkingCalendar& calendar,
                    const TimeZoneRules& zone, std::chrono::sys_seconds now);
    /// The local date at `now`.
    Date today() const noexcept { return today_; }
    void add(const ReminderSubject& subject, std::vector<Reminder>& out);
    static void sort(std::vector<Reminder>& reminders);

private:
    std::chrono::sys_seconds sendAt(Date day);
    bool inWindow(Date sendDay);

    const ReminderDirectory& directory_;
    const ReminderPolicy& policy_;
    const WorkingCalendar& calendar_;
    const TimeZoneRules& zone_;
    std::chrono::sys_seconds now_;
    Date today_;
    Date earliest_;
    std::map<Date, std::chrono::sys_seconds> sendInstants_;
};

/// The rule name of a reminder a person asked for now (a chase from the tracker) rather than one the
/// schedule made. Its occurrence is the local day of the chase, so an item is chased at most once a day.
inline constexpr std::string_view kChaseRule = "chase";

/// A chase of one item ("send reminder now", SPEC 4.6; issue 8): one reminder to each owner of `subject`
/// (lead first, then co-owners; an inactive owner's goes to their active line manager, flagged
/// ownerInactive), rule kChaseRule, occurrence and send day `today`, sent at `now`, days to due counted
/// from `today`. Empty when the subject's status gets no reminders (getsReminders) or no owner and no
/// line manager is active; chaseSkipReason then says why.
std::vector<Reminder> chaseReminders(const ReminderSubject& subject, const ReminderDirectory& directory, Date today,
                                     std::chrono::sys_seconds now);

/// Why chaseReminders gives nothing for `subject`, in words ("implemented: it gets no reminders",
/// "no active owner or line manager"); "" when it gives at least one reminder.
std::string chaseSkipReason(const ReminderSubject& subject, const ReminderDirectory& directory);

/// Who asked for a digest outside the daily schedule, and what they wrote: a chase's message names them
/// and carries the note.
struct DigestRequest {
    std::string requestedBy;  ///< role title of the person who chased, e.g. "Governance Officer"
    std::string note;         ///< optional, multi-line
};

/// One recipient's digest for one day (SPEC 4.6: one message per recipient per day).
struct ReminderDigest {
    Id recipientId;
    std::string recipientEmail;
    std::string recipientRoleTitle;
    Date day;
    std::span<const Reminder> reminders;  ///< all identities covered (an item may appear under two rules)
    std::string subject;
    std::string textBody;
    std::string htmlBody;
};

/// Calls `sink` with one digest per recipient of `reminders` (ordered as dueReminders orders them), built one
/// at a time so that the bodies of fifty thousand digests are never all in memory. The digest's reminders
/// view `reminders`. Text as buildDigests; with `request` (a chase) the subject and the opening name who
/// asked, their note follows, and the items not overdue are listed as "Open" rather than "Due soon".
void forEachDigest(std::span<const Reminder> reminders, const ReminderDirectory& directory, Date day,
                   const std::string& webBaseUrl, const std::function<void(const ReminderDigest&)>& sink,
                   const DigestRequest* request = nullptr);

/// Groups `reminders` (as dueReminders orders them) into one digest per recipient, with the message text:
/// overdue items first, then items due soon; each item once, linked to actionPageUrl(webBaseUrl, id).
/// `day` is the sweep's local date. Recipients without an e-mail address still get a digest (the in-app
/// inbox shows it); the delivery worker parks those as failed with a clear reason. The digests view
/// `reminders`, which must outlive them.
std::vector<ReminderDigest> buildDigests(const std::vector<Reminder>& reminders, const ReminderDirectory& directory,
                                         Date day, const std::string& webBaseUrl);

/// The web UI's page of an action, for links in mails and calendar feeds: `webBaseUrl` (trailing slashes
/// dropped) + "/#/actions/" + id, e.g. "https://govtrack.example.org/#/actions/5d0c...". The UI routes in
/// the fragment; a path "/actions/{id}" is no page of the server (it would be a 404).
std::string actionPageUrl(std::string_view webBaseUrl, const Id& actionId);

/// The ISO date plus weekday, e.g. "Fri 27/03/2026", as digests print send and due days.
std::string describeDay(Date day);

}  // namespace govtrack::domain
