#include "govtrack/domain/ReminderService.h"

#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include "govtrack/domain/AuditTrail.h"
#include "govtrack/domain/Error.h"
#include "govtrack/domain/Rules.h"
#include "govtrack/domain/Text.h"

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

/// Records `due` (in order) each under the message id of its recipient (made on first sight, in
/// `messageIds`); returns those this call recorded -- an identity already recorded, by anyone, is skipped.
std::vector<Reminder> recordReminders(StoreSession& session, IdGenerator& ids, const std::vector<Reminder>& due,
                                      const std::string& createdAt, std::map<Id, Id>& messageIds) {
    std::vector<Reminder> recorded;
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
        if (session.reminders().record(s)) recorded.push_back(r);
    }
    return recorded;
}

/// Puts `digest` in the outbox as message `messageId`, due for delivery at once.
void addDigestMessage(StoreSession& session, const ReminderDigest& digest, const Id& messageId,
                      const std::string& createdAt) {
    OutboxMessage m;
    m.id = messageId;
    m.recipientId = digest.recipientId;
    m.recipientEmail = digest.recipientEmail;
    m.digestDay = digest.day;
    m.subject = digest.subject;
    m.textBody = digest.textBody;
    m.htmlBody = digest.htmlBody;
    m.status = OutboxStatus::kPending;
    m.nextAttemptAt = createdAt;
    m.createdAt = createdAt;
    session.reminders().addMessage(m);
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
        std::map<Id, Id> messageIds;  // recipient -> the id of today's new digest
        const std::vector<Reminder> fresh = recordReminders(session, ids, due, createdAt, messageIds);
        result.remindersRecorded = fresh.size();
        forEachDigest(fresh, directory, result.day, settings.webBaseUrl, [&](const ReminderDigest& d) {
            ++result.digests;
            addDigestMessage(session, d, messageIds.at(d.recipientId), createdAt);
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

std::string_view toString(ChaseOutcome v) noexcept {
    switch (v) {
        case ChaseOutcome::kChased:
            return "chased";
        case ChaseOutcome::kAlreadyChased:
            return "already_chased";
        case ChaseOutcome::kSkipped:
            return "skipped";
    }
    return "skipped";
}

int ChaseResult::count(ChaseOutcome outcome) const {
    return static_cast<int>(
        std::count_if(actions.begin(), actions.end(), [&](const ChasedAction& a) { return a.outcome == outcome; }));
}

namespace {

void checkChaseRequest(const ChaseRequest& request) {
    if (request.actionIds.size() > kMaxChaseActions) {
        throw ValidationError("a chase covers at most " + std::to_string(kMaxChaseActions) + " actions, got " +
                                  std::to_string(request.actionIds.size()) + "; narrow the filters",
                              {{"action_ids", "at most " + std::to_string(kMaxChaseActions)}});
    }
    std::set<Id> seen;
    for (const auto& id : request.actionIds) {
        if (!seen.insert(id).second) {
            throw ValidationError("action id '" + id + "' is given twice", {{"action_ids", "each id once"}});
        }
    }
    if (request.note.size() > kMaxChaseNoteBytes) {
        throw ValidationError("note is longer than " + std::to_string(kMaxChaseNoteBytes) + " bytes",
                              {{"note", "at most " + std::to_string(kMaxChaseNoteBytes) + " bytes"}});
    }
    if (auto problem = textProblem(request.note, TextKind::kMultiLine)) {
        throw ValidationError("note " + *problem, {{"note", *problem}});
    }
}

}  // namespace

ChaseResult chaseActions(StoreSession& session, AuditTrail& audit, IdGenerator& ids, const Actor& by,
                         const ChaseRequest& asked, Date today, std::chrono::sys_seconds now,
                         const std::string& webBaseUrl) {
    checkChaseRequest(asked);
    // Line ends as one LF each: a lone CR means nothing to a reader and only confuses mail (SMTP wants CRLF,
    // which the transport writes).
    ChaseRequest request = asked;
    std::string note;
    for (std::size_t i = 0; i < request.note.size(); ++i) {
        if (request.note[i] == '\r') {
            note += '\n';
            if (i + 1 < request.note.size() && request.note[i + 1] == '\n') ++i;
        } else {
            note += request.note[i];
        }
    }
    request.note = std::move(note);
    ChaseResult result;
    result.day = today;
    result.recorded = request.record;

    auto run = [&] {
        result.actions.clear();
        result.recipients.clear();
        result.reminders = 0;
        result.digests = 0;
        const std::vector<Person> people = session.people().list();
        ReminderDirectory directory;  // a chase goes to owners and line managers: no groups needed
        for (const auto& p : people) directory.people[p.id] = &p;
        std::map<Id, std::string> engagementRefs;
        for (const auto& e : session.engagements().list()) engagementRefs[e.id] = e.reference;


        std::vector<Reminder> fresh;
        for (const auto& id : request.actionIds) {
            const auto action = session.actions().findById(id);
            if (!action) throw NotFoundError("No action has the id '" + id + "'.");
            const auto rec = session.recommendations().findById(action->recommendationId);
            if (!rec) throw NotFoundError("No recommendation has the id '" + action->recommendationId + "'.");
            ReminderSubject s;
            s.id = action->id;
            s.reference = engagementRefs[rec->engagementId] + "/" + std::to_string(rec->number) + "." +
                          std::to_string(action->number);
            s.title = rec->title + ": " + action->description;
            s.priority = rec->priority;
            s.status = action->status;
            if (const auto due = effectiveDueDate(*action)) s.dueDate = due->date;
            if (action->leadOwnerId) s.ownerIds.push_back(*action->leadOwnerId);
            for (const auto& co : action->coOwnerIds) s.ownerIds.push_back(co);
            s.responsibleGroupId = action->responsibleGroupId;

            ChasedAction chased;
            chased.actionId = action->id;
            chased.reference = s.reference;
            chased.status = action->status;
            auto reminders = chaseReminders(s, directory, today, now);
            if (reminders.empty()) {
                chased.outcome = ChaseOutcome::kSkipped;
                chased.reason = chaseSkipReason(s, directory);
                result.actions.push_back(std::move(chased));
                continue;
            }
            std::vector<ChaseRecipient> had;
            for (auto& r : reminders) {
                const Person* p = directory.people.at(r.recipientId);
                ChaseRecipient who{r.recipientId, p->roleTitle, r.as};
                // Chased earlier today (by anyone)? One indexed look-up per identity.
                if (session.reminders().isRecorded(ReminderIdentity{r.recipientId, r.itemId(), r.rule, r.occurrence})) {
                    had.push_back(std::move(who));
                } else {
                    chased.recipients.push_back(std::move(who));
                    fresh.push_back(std::move(r));
                }
            }
            if (chased.recipients.empty()) {
                chased.outcome = ChaseOutcome::kAlreadyChased;
                chased.recipients = std::move(had);
            }
            result.actions.push_back(std::move(chased));
        }
        ReminderPlanner::sort(fresh);

        const std::string createdAt = formatUtc(now);
        std::map<Id, Id> messageIds;  // recipient -> the id of their message
        if (request.record) {
            // Another chase may have recorded some since we looked: those are not sent again.
            fresh = recordReminders(session, ids, fresh, createdAt, messageIds);
        }
        result.reminders = fresh.size();

        std::map<Id, ChasePerson> persons;
        for (const auto& r : fresh) {
            auto& person = persons[r.recipientId];
            const Person* p = directory.people.at(r.recipientId);
            person.personId = p->id;
            person.roleTitle = p->roleTitle;
            person.hasEmail = !p->email.empty();
            ++person.actions;
        }
        for (auto& [id, person] : persons) result.recipients.push_back(std::move(person));
        std::sort(result.recipients.begin(), result.recipients.end(),
                  [](const ChasePerson& a, const ChasePerson& b) { return a.roleTitle < b.roleTitle; });

        const DigestRequest digestRequest{request.requestedBy.empty() ? by.name : request.requestedBy, request.note};
        forEachDigest(
            fresh, directory, today, webBaseUrl,
            [&](const ReminderDigest& d) {
                ++result.digests;
                if (request.record) addDigestMessage(session, d, messageIds.at(d.recipientId), createdAt);
            },
            &digestRequest);

        if (!request.record) return;
        // One audit event per action chased now, naming who it went to (a race may have left fewer).
        std::set<std::pair<Id, Id>> sent;
        for (const auto& r : fresh) sent.emplace(r.itemId(), r.recipientId);
        for (auto& a : result.actions) {
            if (a.outcome != ChaseOutcome::kChased) continue;
            std::erase_if(a.recipients,
                          [&](const ChaseRecipient& who) { return sent.count({a.actionId, who.personId}) == 0; });
            if (a.recipients.empty()) {
                a.outcome = ChaseOutcome::kAlreadyChased;
                continue;
            }
            std::string reason = "reminder sent now to ";
            for (std::size_t i = 0; i < a.recipients.size(); ++i) {
                if (i > 0) reason += ", ";
                reason += a.recipients[i].roleTitle;
                if (a.recipients[i].as != "owner") reason += " (" + a.recipients[i].as + ")";
            }
            if (!request.note.empty()) reason += "; note: " + request.note;
            audit.record(by, audit_entity::kReminder, a.actionId, "chase", "", "", reason);
        }
    };
    if (request.record) {
        session.transaction(run);
    } else {
        run();
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
