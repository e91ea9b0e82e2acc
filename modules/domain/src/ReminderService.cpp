#include "govtrack/domain/ReminderService.h"

#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include "govtrack/domain/AuditTrail.h"
#include "govtrack/domain/Error.h"
#include "govtrack/domain/Rules.h"

namespace govtrack::domain {

std::string_view toString(OutboxStatus v) noexcept {
    switch (v) {
        case OutboxStatus::kPending:
            return "pending";
        case OutboxStatus::kSending:
            return "sending";
        case OutboxStatus::kSent:
            return "sent";
        case OutboxStatus::kFailed:
            return "failed";
    }
    return "pending";
}

std::optional<OutboxStatus> parseOutboxStatus(std::string_view s) {
    for (auto v : {OutboxStatus::kPending, OutboxStatus::kSending, OutboxStatus::kSent, OutboxStatus::kFailed}) {
        if (toString(v) == s) return v;
    }
    return std::nullopt;
}

namespace {

/// Streams the store's open actions through `planner`; texts are copied only for items with a reminder due.
std::vector<Reminder> dueFromStore(StoreSession& session, ReminderPlanner& planner) {
    std::vector<Reminder> due;
    ReminderSubject s;
    session.reminders().scanReminderCandidates([&](const ReminderCandidateView& row) {
        const auto dueDate = parseIsoDate(row.dueDate);
        const auto status = parseActionStatus(row.status);
        const auto priority = parsePriority(row.priority);
        if (!dueDate || !status || !priority) return;
        s.id.assign(row.actionId);
        s.status = *status;
        s.priority = *priority;
        s.dueDate = *dueDate;
        s.ownerIds.clear();
        if (!row.leadOwnerId.empty()) s.ownerIds.emplace_back(row.leadOwnerId);
        for (std::string_view rest = row.coOwnerIds; !rest.empty();) {
            const auto comma = rest.find(',');
            const std::string_view id = rest.substr(0, comma);
            if (!id.empty() && std::find(s.ownerIds.begin(), s.ownerIds.end(), id) == s.ownerIds.end())
                s.ownerIds.emplace_back(id);
            rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
        }
        s.responsibleGroupId =
            row.responsibleGroupId.empty() ? std::nullopt : std::optional<Id>(std::string(row.responsibleGroupId));
        const std::size_t before = due.size();
        planner.add(s, due);
        if (due.size() == before) return;
        // The texts are filled in only now, for the few items with a reminder due (one shared copy each).
        auto item = std::make_shared<ReminderItem>(*due[before].item);
        item->reference.assign(row.engagementReference);
        item->reference += "/" + std::to_string(row.recommendationNumber) + "." + std::to_string(row.actionNumber);
        item->title.assign(row.recommendationTitle);
        item->title += ": ";
        item->title += row.actionDescription;
        for (std::size_t i = before; i < due.size(); ++i) due[i].item = item;
    });
    ReminderPlanner::sort(due);
    return due;
}

}  // namespace

SweepResult sweepReminders(StoreSession& session, IdGenerator& ids, const ReminderSettings& settings,
                           const TimeZoneRules& zone, std::chrono::sys_seconds now, bool record,
                           const DigestSink& sink) {
    const std::vector<Person> people = session.people().list();
    const std::vector<GovernanceGroup> groups = session.groups().list();
    ReminderDirectory directory;
    for (const auto& p : people) directory.people[p.id] = &p;
    for (const auto& g : groups) directory.groups[g.id] = &g;

    ReminderPlanner planner(directory, settings.policy, settings.calendar, zone, now);
    SweepResult result;
    result.day = planner.today();
    std::vector<Reminder> due = dueFromStore(session, planner);
    result.remindersDue = due.size();

    if (!record) {
        // A dry run reports what a sweep would record now: the due reminders not recorded yet.
        Date earliest = result.day;
        for (const auto& r : due) earliest = std::min(earliest, r.sendDay);
        const auto known = session.reminders().recordedSince(earliest);
        const std::set<ReminderIdentity> recorded(known.begin(), known.end());
        if (!recorded.empty()) {
            std::erase_if(due, [&](const Reminder& r) {
                return recorded.count(ReminderIdentity{r.recipientId, r.itemId(), r.rule, r.occurrence}) > 0;
            });
        }
        std::vector<Reminder>& fresh = due;
        result.remindersRecorded = fresh.size();
        forEachDigest(fresh, directory, result.day, settings.webBaseUrl, [&](const ReminderDigest& d) {
            ++result.digests;
            if (sink) sink(d);
        });
        return result;
    }

    const std::string createdAt = formatUtc(now);
    session.transaction([&] {
        result.remindersRecorded = 0;
        result.digests = 0;
        std::vector<Reminder> fresh;
        std::map<Id, Id> messageIds;  // recipient -> the id of today's new digest
        for (const auto& r : due) {
            auto mit = messageIds.find(r.recipientId);
            if (mit == messageIds.end()) mit = messageIds.emplace(r.recipientId, ids.next()).first;
            StoredReminder s;
            s.id = ids.next();
            s.recipientId = r.recipientId;
            s.itemKind = r.itemKind();
            s.itemId = r.itemId();
            s.rule = r.rule;
            s.occurrence = r.occurrence;
            s.messageId = mit->second;
            s.sendDay = r.sendDay;
            s.reference = r.reference();
            s.title = r.title();
            s.dueDate = r.dueDate();
            s.daysOverdue = r.daysOverdue;
            s.ownerInactive = r.ownerInactive;
            s.as = r.as;
            s.createdAt = createdAt;
            if (session.reminders().record(s)) fresh.push_back(r);
        }
        result.remindersRecorded = fresh.size();
        forEachDigest(fresh, directory, result.day, settings.webBaseUrl, [&](const ReminderDigest& d) {
            ++result.digests;
            OutboxMessage m;
            m.id = messageIds.at(d.recipientId);
            m.recipientId = d.recipientId;
            m.recipientEmail = d.recipientEmail;
            m.digestDay = d.day;
            m.subject = d.subject;
            m.textBody = d.textBody;
            m.htmlBody = d.htmlBody;
            m.status = OutboxStatus::kPending;
            m.nextAttemptAt = createdAt;
            m.createdAt = createdAt;
            session.reminders().addMessage(m);
            if (sink) sink(d);
        });
    });
    return result;
}

std::chrono::seconds retryDelay(const DeliveryPolicy& policy, int failures) {
    std::chrono::seconds delay = policy.baseDelay;
    for (int i = 1; i < failures && delay < policy.maxDelay; ++i) delay *= 2;
    return std::min(delay, policy.maxDelay);
}

DeliveryResult deliverOutbox(StoreSession& session, MailTransport& transport, const DeliveryPolicy& policy,
                             std::chrono::sys_seconds now) {
    DeliveryResult result;
    std::vector<OutboxMessage> claimed;
    session.transaction(
        [&] { claimed = session.reminders().claimDue(formatUtc(now), formatUtc(now + policy.lease), policy.batch); });
    for (auto& m : claimed) {
        std::string error;
        if (m.recipientEmail.empty()) {
            error = "the recipient has no e-mail address";
            m.attempts = std::max(m.attempts, policy.maxAttempts - 1);
        } else {
            try {
                transport.send(m);
            } catch (const std::exception& e) {
                error = e.what();
                if (error.empty()) error = "the mail server refused the message";
            } catch (...) {
                error = "the mail server refused the message";
            }
        }
        if (error.empty()) {
            m.status = OutboxStatus::kSent;
            m.sentAt = formatUtc(now);
            m.lastError.clear();
            ++m.attempts;
            ++result.sent;
        } else {
            ++m.attempts;
            m.lastError = error.substr(0, 1000);
            if (m.attempts >= policy.maxAttempts) {
                m.status = OutboxStatus::kFailed;
                ++result.failed;
            } else {
                m.status = OutboxStatus::kPending;
                m.nextAttemptAt = formatUtc(now + retryDelay(policy, m.attempts));
                ++result.retrying;
            }
        }
        session.transaction([&] { session.reminders().saveDelivery(m); });
    }
    return result;
}

std::vector<StoredReminder> listNotifications(StoreSession& session, const Id& personId, bool unreadOnly,
                                              std::size_t limit) {
    if (!session.people().findById(personId)) throw NotFoundError("No person has the id '" + personId + "'.");
    return session.reminders().listForRecipient(personId, unreadOnly, limit);
}

bool markNotificationRead(StoreSession& session, const Id& personId, const Id& notificationId,
                          std::chrono::sys_seconds now) {
    bool changed = false;
    session.transaction([&] {
        changed = session.reminders().markRead(personId, notificationId, formatUtc(now));
        if (!changed) {
            const auto mine = session.reminders().listForRecipient(personId, false, 100000);
            const bool exists =
                std::any_of(mine.begin(), mine.end(), [&](const StoredReminder& s) { return s.id == notificationId; });
            if (!exists) throw NotFoundError("No notification '" + notificationId + "' for person '" + personId + "'.");
        }
    });
    return changed;
}

}  // namespace govtrack::domain
