#include "govtrack/domain/ReminderService.h"

#include <algorithm>
#include <map>

#include "govtrack/domain/AuditTrail.h"
#include "govtrack/domain/Error.h"
#include "govtrack/domain/Rules.h"

namespace govtrack::domain {

std::string_view toString(OutboxStatus v) noexcept {
    switch (v) {
        case OutboxStatus::kPending: return "pending";
        case OutboxStatus::kSending: return "sending";
        case OutboxStatus::kSent: return "sent";
        case OutboxStatus::kFailed: return "failed";
    }
    return "pending";
}

std::optional<OutboxStatus> parseOutboxStatus(std::string_view s) {
    for (auto v : {OutboxStatus::kPending, OutboxStatus::kSending, OutboxStatus::kSent, OutboxStatus::kFailed}) {
        if (toString(v) == s) return v;
    }
    return std::nullopt;
}

std::vector<ReminderSubject> reminderSubjects(const ActionPlanSnapshot& plan) {
    std::map<Id, const Engagement*> engagements;
    for (const auto& e : plan.engagements) engagements[e.id] = &e;
    std::map<Id, const Recommendation*> recommendations;
    for (const auto& r : plan.recommendations) recommendations[r.id] = &r;

    std::vector<ReminderSubject> out;
    out.reserve(plan.actions.size());
    for (const auto& a : plan.actions) {
        if (!getsReminders(a.status)) continue;
        const auto due = effectiveDueDate(a);
        if (!due) continue;
        const auto rit = recommendations.find(a.recommendationId);
        if (rit == recommendations.end()) continue;
        const Recommendation& r = *rit->second;
        const auto eit = engagements.find(r.engagementId);
        ReminderSubject s;
        s.id = a.id;
        s.reference = (eit == engagements.end() ? std::string() : eit->second->reference) + "/" +
                      std::to_string(r.number) + "." + std::to_string(a.number);
        s.title = r.title + ": " + a.description;
        s.priority = r.priority;
        s.status = a.status;
        s.dueDate = due->date;
        if (a.leadOwnerId) s.ownerIds.push_back(*a.leadOwnerId);
        for (const auto& co : a.coOwnerIds) {
            if (std::find(s.ownerIds.begin(), s.ownerIds.end(), co) == s.ownerIds.end()) s.ownerIds.push_back(co);
        }
        s.responsibleGroupId = a.responsibleGroupId;
        out.push_back(std::move(s));
    }
    return out;
}

SweepResult sweepReminders(StoreSession& session, IdGenerator& ids, const ReminderSettings& settings,
                           const TimeZoneRules& zone, std::chrono::sys_seconds now, bool record) {
    ActionPlanFilter filter;
    filter.includeTexts = false;
    const ActionPlanSnapshot plan = session.loadActionPlan(filter);
    const std::vector<GovernanceGroup> groups = session.groups().list();
    ReminderDirectory directory;
    for (const auto& p : plan.people) directory.people[p.id] = &p;
    for (const auto& g : groups) directory.groups[g.id] = &g;

    SweepResult result;
    result.day = zone.localDate(now);
    const std::vector<Reminder> due =
        dueReminders(reminderSubjects(plan), directory, settings.policy, settings.calendar, zone, now);
    result.remindersDue = due.size();

    if (!record) {
        // A dry run reports what a sweep would record now: the due reminders not recorded yet.
        std::vector<Reminder> fresh;
        std::map<Id, std::vector<StoredReminder>> recordedByRecipient;
        for (const auto& r : due) {
            auto it = recordedByRecipient.find(r.recipientId);
            if (it == recordedByRecipient.end()) {
                it = recordedByRecipient.emplace(r.recipientId, session.reminders().listForRecipient(r.recipientId, false, 100000))
                         .first;
            }
            const bool known = std::any_of(it->second.begin(), it->second.end(), [&](const StoredReminder& s) {
                return s.itemId == r.itemId && s.rule == r.rule && s.occurrence == r.occurrence;
            });
            if (!known) fresh.push_back(r);
        }
        result.remindersRecorded = fresh.size();
        result.digests = buildDigests(fresh, directory, result.day, settings.webBaseUrl);
        return result;
    }

    const std::string createdAt = formatUtc(now);
    session.transaction([&] {
        result.remindersRecorded = 0;
        result.digests.clear();
        std::vector<Reminder> fresh;
        std::map<Id, Id> messageIds;  // recipient -> the id of today's new digest
        for (const auto& r : due) {
            auto mit = messageIds.find(r.recipientId);
            if (mit == messageIds.end()) mit = messageIds.emplace(r.recipientId, ids.next()).first;
            StoredReminder s;
            s.id = ids.next();
            s.recipientId = r.recipientId;
            s.itemKind = r.itemKind;
            s.itemId = r.itemId;
            s.rule = r.rule;
            s.occurrence = r.occurrence;
            s.messageId = mit->second;
            s.sendDay = r.sendDay;
            s.reference = r.reference;
            s.title = r.title;
            s.dueDate = r.dueDate;
            s.daysOverdue = r.daysOverdue;
            s.ownerInactive = r.ownerInactive;
            s.as = r.as;
            s.createdAt = createdAt;
            if (session.reminders().record(s)) fresh.push_back(r);
        }
        result.remindersRecorded = fresh.size();
        result.digests = buildDigests(fresh, directory, result.day, settings.webBaseUrl);
        for (const auto& d : result.digests) {
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
        }
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
    session.transaction([&] {
        claimed = session.reminders().claimDue(formatUtc(now), formatUtc(now + policy.lease), policy.batch);
    });
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
            const bool exists = std::any_of(mine.begin(), mine.end(),
                                            [&](const StoredReminder& s) { return s.id == notificationId; });
            if (!exists)
                throw NotFoundError("No notification '" + notificationId + "' for person '" + personId + "'.");
        }
    });
    return changed;
}

}  // namespace govtrack::domain
