#include "govtrack/domain/Reminders.h"

#include <algorithm>
#include <functional>
#include <sstream>
#include <tuple>

#include "govtrack/domain/Error.h"
#include "govtrack/domain/Text.h"

namespace govtrack::domain {

namespace {

using std::chrono::days;
using std::chrono::sys_days;

Date addDays(Date d, int n) {
    return Date{sys_days{d} + days{n}};
}

}  // namespace

bool WorkingCalendar::isWorkingDay(Date day) const {
    const std::chrono::weekday wd{sys_days{day}};
    if (wd == std::chrono::Saturday || wd == std::chrono::Sunday) return false;
    return holidays_.count(day) == 0;
}

Date WorkingCalendar::onOrBefore(Date day) const {
    while (!isWorkingDay(day)) day = addDays(day, -1);
    return day;
}

Date WorkingCalendar::onOrAfter(Date day) const {
    while (!isWorkingDay(day)) day = addDays(day, 1);
    return day;
}

WorkingCalendar parseHolidays(std::string_view text, const std::string& source) {
    std::set<Date> days;
    std::size_t lineNo = 0;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        const std::size_t end = std::min(text.find('\n', pos), text.size());
        std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        ++lineNo;
        while (!line.empty() && (line.front() == ' ' || line.front() == '\t' || line.front() == '\r'))
            line.remove_prefix(1);
        while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r'))
            line.remove_suffix(1);
        if (line.empty() || line.front() == '#') {
            if (end == text.size()) break;
            continue;
        }
        const auto day = parseIsoDate(line.substr(0, std::min<std::size_t>(10, line.size())));
        if (!day || (line.size() > 10 && line[10] != ' ' && line[10] != '\t')) {
            throw ValidationError(source + ":" + std::to_string(lineNo) + ": '" + std::string(line) +
                                  "' does not start with a date YYYY-MM-DD");
        }
        days.insert(*day);
        if (end == text.size()) break;
    }
    return WorkingCalendar(std::move(days));
}

std::string_view toString(EscalationTarget v) noexcept {
    switch (v) {
        case EscalationTarget::kLineManager:
            return "line_manager";
        case EscalationTarget::kGroupSecretary:
            return "group_secretary";
        case EscalationTarget::kGroupChair:
            return "group_chair";
    }
    return "line_manager";
}

const ReminderRule& ReminderPolicy::ruleFor(Priority p) const {
    static const ReminderRule kDefault{};
    const auto it = byPriority.find(p);
    return it == byPriority.end() ? kDefault : it->second;
}

bool getsReminders(ActionStatus status) noexcept {
    return status == ActionStatus::kNotStarted || status == ActionStatus::kInProgress;
}

ReminderPlanner::ReminderPlanner(const ReminderDirectory& directory, const ReminderPolicy& policy,
                                 const WorkingCalendar& calendar, const TimeZoneRules& zone,
                                 std::chrono::sys_seconds now)
    : directory_(directory),
      policy_(policy),
      calendar_(calendar),
      zone_(zone),
      now_(now),
      today_(zone.localDate(now)),
      earliest_(addDays(today_, -std::max(0, policy.catchUpDays))) {}

std::chrono::sys_seconds ReminderPlanner::sendAt(Date day) {
    // Computed once per day: a sweep meets few distinct days.
    auto it = sendInstants_.find(day);
    if (it == sendInstants_.end()) it = sendInstants_.emplace(day, zone_.instantOf(day, policy_.sendTime)).first;
    return it->second;
}

bool ReminderPlanner::inWindow(Date sendDay) {
    return !(sendDay < earliest_) && !(today_ < sendDay) && sendAt(sendDay) <= now_;
}

void ReminderPlanner::add(const ReminderSubject& s, std::vector<Reminder>& out) {
    if (!getsReminders(s.status) || !s.dueDate.ok()) return;
    const Date today = today_;
    const ReminderPolicy& policy = policy_;
    const WorkingCalendar& calendar = calendar_;
    auto activePerson = [&](const std::optional<Id>& id) -> const Person* {
        if (!id) return nullptr;
        const auto it = directory_.people.find(*id);
        if (it == directory_.people.end() || !it->second || !it->second->active) return nullptr;
        return it->second;
    };
    auto person = [&](const Id& id) -> const Person* {
        const auto it = directory_.people.find(id);
        return it == directory_.people.end() ? nullptr : it->second;
    };
    auto inWindow = [&](Date sendDay) { return this->inWindow(sendDay); };
    auto sendAt = [&](Date day) { return this->sendAt(day); };
    {
        const ReminderRule& rule = policy.ruleFor(s.priority);
        const int toDue = daysBetween(today, s.dueDate);
        const std::size_t first = out.size();
        std::shared_ptr<const ReminderItem> item;  // made on the first reminder, shared by the rest

        auto emit = [&](const Id& recipient, const std::string& ruleName, Date occurrence, Date sendDay,
                        const std::string& as, bool ownerInactive) {
            for (std::size_t i = first; i < out.size(); ++i) {  // one per recipient, rule and occurrence
                if (out[i].recipientId == recipient && out[i].rule == ruleName && out[i].occurrence == occurrence)
                    return;
            }
            if (!item)
                item =
                    std::make_shared<const ReminderItem>(ReminderItem{s.kind, s.id, s.reference, s.title, s.dueDate});
            Reminder r;
            r.recipientId = recipient;
            r.rule = ruleName;
            r.occurrence = occurrence;
            r.item = item;
            r.sendDay = sendDay;
            r.sendAt = sendAt(sendDay);
            r.daysOverdue = std::max(0, -toDue);
            r.daysToDue = toDue;
            r.ownerInactive = ownerInactive;
            r.as = as;
            out.push_back(std::move(r));
        };
        auto toOwners = [&](const std::string& ruleName, Date occurrence, Date sendDay) {
            for (const auto& ownerId : s.ownerIds) {
                const Person* owner = person(ownerId);
                if (!owner) continue;
                if (owner->active) {
                    emit(owner->id, ruleName, occurrence, sendDay, "owner", false);
                } else if (const Person* manager = activePerson(owner->lineManagerId)) {
                    emit(manager->id, ruleName, occurrence, sendDay, "line_manager", true);
                }
            }
        };

        // Before the due date and on it: move to the previous working day.
        for (int before : rule.daysBefore) {
            if (before <= 0) continue;
            const Date occurrence = addDays(s.dueDate, -before);
            const Date sendDay = calendar.onOrBefore(occurrence);
            if (inWindow(sendDay)) toOwners("before_due_" + std::to_string(before), occurrence, sendDay);
        }
        if (rule.onDueDate) {
            const Date sendDay = calendar.onOrBefore(s.dueDate);
            if (inWindow(sendDay)) toOwners("on_due", s.dueDate, sendDay);
        }

        // Overdue (and escalations): every `step` days from the first, moved to the next working day. Only
        // occurrences whose send day can fall in the window are visited: a holiday run moves a day later by
        // at most a couple of weeks.
        const int step = rule.overdueEveryDays;
        auto overdueOccurrences = [&](int firstDay, const std::function<void(Date, Date)>& each) {
            if (step <= 0 && firstDay <= 0) return;
            const int overdueToday = -toDue;
            if (overdueToday < firstDay) return;
            const int windowStart = overdueToday - std::max(0, policy.catchUpDays) - 21;
            int k = 0;
            if (step > 0 && windowStart > firstDay) k = (windowStart - firstDay) / step;
            for (;; ++k) {
                const int n = firstDay + k * std::max(step, 1);
                if (n > overdueToday) break;
                const Date occurrence = addDays(s.dueDate, n);
                const Date sendDay = calendar.onOrAfter(occurrence);
                if (inWindow(sendDay)) each(occurrence, sendDay);
                if (step <= 0) break;
            }
        };
        if (step > 0) {
            overdueOccurrences(step, [&](Date occurrence, Date sendDay) { toOwners("overdue", occurrence, sendDay); });
        }
        for (const auto& escalation : rule.escalations) {
            const std::string ruleName = "escalation_" + std::to_string(escalation.afterDaysOverdue);
            overdueOccurrences(escalation.afterDaysOverdue, [&](Date occurrence, Date sendDay) {
                const Person* lead = s.ownerIds.empty() ? nullptr : person(s.ownerIds.front());
                const GovernanceGroup* group = nullptr;
                if (s.responsibleGroupId) {
                    const auto it = directory_.groups.find(*s.responsibleGroupId);
                    if (it != directory_.groups.end()) group = it->second;
                }
                for (auto target : escalation.targets) {
                    if (target == EscalationTarget::kLineManager) {
                        if (const Person* m = lead ? activePerson(lead->lineManagerId) : nullptr)
                            emit(m->id, ruleName, occurrence, sendDay, "line_manager", lead && !lead->active);
                        continue;
                    }
                    if (!group) continue;
                    const MemberRole wanted =
                        target == EscalationTarget::kGroupChair ? MemberRole::kChair : MemberRole::kSecretary;
                    for (const auto& m : group->members) {
                        if (m.role != wanted) continue;
                        if (const Person* p = activePerson(m.personId))
                            emit(p->id, ruleName, occurrence, sendDay, std::string(toString(target)), false);
                    }
                }
            });
        }
    }
}

void ReminderPlanner::sort(std::vector<Reminder>& out) {
    std::sort(out.begin(), out.end(), [](const Reminder& a, const Reminder& b) {
        if (int c = a.recipientId.compare(b.recipientId); c != 0) return c < 0;
        if (a.daysOverdue != b.daysOverdue) return a.daysOverdue > b.daysOverdue;
        if (a.dueDate() != b.dueDate()) return a.dueDate() < b.dueDate();
        if (int c = a.reference().compare(b.reference()); c != 0) return c < 0;
        if (int c = a.itemId().compare(b.itemId()); c != 0) return c < 0;
        if (int c = a.rule.compare(b.rule); c != 0) return c < 0;
        return a.occurrence < b.occurrence;
    });
}

namespace {

/// The people a chase of `s` goes to, with why: active owners as "owner", an inactive owner's active line
/// manager as "line_manager" (flagged), each person once.
std::vector<std::tuple<const Person*, std::string, bool>> chaseRecipients(const ReminderSubject& s,
                                                                          const ReminderDirectory& directory) {
    auto person = [&](const std::optional<Id>& id) -> const Person* {
        if (!id) return nullptr;
        const auto it = directory.people.find(*id);
        return it == directory.people.end() ? nullptr : it->second;
    };
    std::vector<std::tuple<const Person*, std::string, bool>> out;
    auto add = [&](const Person* p, const char* as, bool inactive) {
        for (const auto& [q, a, i] : out) {
            if (q->id == p->id) return;
        }
        out.emplace_back(p, as, inactive);
    };
    for (const auto& ownerId : s.ownerIds) {
        const Person* owner = person(ownerId);
        if (!owner) continue;
        if (owner->active) {
            add(owner, "owner", false);
        } else if (const Person* manager = person(owner->lineManagerId); manager && manager->active) {
            add(manager, "line_manager", true);
        }
    }
    return out;
}

}  // namespace

std::vector<Reminder> chaseReminders(const ReminderSubject& subject, const ReminderDirectory& directory, Date today,
                                     std::chrono::sys_seconds now) {
    std::vector<Reminder> out;
    if (!getsReminders(subject.status) || !subject.dueDate.ok()) return out;
    const auto recipients = chaseRecipients(subject, directory);
    if (recipients.empty()) return out;
    const auto item = std::make_shared<const ReminderItem>(
        ReminderItem{subject.kind, subject.id, subject.reference, subject.title, subject.dueDate});
    const int toDue = static_cast<int>((sys_days{subject.dueDate} - sys_days{today}).count());
    for (const auto& [p, as, inactive] : recipients) {
        Reminder r;
        r.recipientId = p->id;
        r.rule = std::string(kChaseRule);
        r.occurrence = today;
        r.item = item;
        r.sendDay = today;
        r.sendAt = now;
        r.daysOverdue = std::max(0, -toDue);
        r.daysToDue = toDue;
        r.ownerInactive = inactive;
        r.as = as;
        out.push_back(std::move(r));
    }
    return out;
}

std::string chaseSkipReason(const ReminderSubject& subject, const ReminderDirectory& directory) {
    if (!getsReminders(subject.status)) {
        std::string status(toString(subject.status));
        std::replace(status.begin(), status.end(), '_', ' ');
        return status + ": only not started and in progress actions are chased";
    }
    if (!subject.dueDate.ok()) return "it has no target date";
    if (chaseRecipients(subject, directory).empty()) return "no active owner or line manager to send it to";
    return "";
}

std::vector<Reminder> dueReminders(const std::vector<ReminderSubject>& subjects, const ReminderDirectory& directory,
                                   const ReminderPolicy& policy, const WorkingCalendar& calendar,
                                   const TimeZoneRules& zone, std::chrono::sys_seconds now) {
    ReminderPlanner planner(directory, policy, calendar, zone, now);
    std::vector<Reminder> out;
    for (const auto& s : subjects) planner.add(s, out);
    ReminderPlanner::sort(out);
    return out;
}

std::string actionPageUrl(std::string_view webBaseUrl, const Id& actionId) {
    while (!webBaseUrl.empty() && webBaseUrl.back() == '/') webBaseUrl.remove_suffix(1);
    return std::string(webBaseUrl) + "/#/actions/" + actionId;
}

std::string describeDay(Date day) {
    static const char* kNames[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    const std::chrono::weekday wd{sys_days{day}};
    return std::string(kNames[wd.c_encoding()]) + " " + formatUk(day);
}

void forEachDigest(std::span<const Reminder> reminders, const ReminderDirectory& directory, Date day,
                   const std::string& webBaseUrl, const std::function<void(const ReminderDigest&)>& sink,
                   const DigestRequest* request) {
    std::string base = webBaseUrl;
    while (!base.empty() && base.back() == '/') base.pop_back();
    for (std::size_t i = 0; i < reminders.size();) {
        std::size_t j = i;
        while (j < reminders.size() && reminders[j].recipientId == reminders[i].recipientId) ++j;
        ReminderDigest d;
        d.recipientId = reminders[i].recipientId;
        if (const auto it = directory.people.find(d.recipientId); it != directory.people.end() && it->second) {
            d.recipientEmail = it->second->email;
            d.recipientRoleTitle = it->second->roleTitle;
        }
        d.day = day;
        d.reminders = reminders.subspan(i, j - i);

        // Each item once (the first reminder for it, which has the most telling rule after sorting).
        std::vector<const Reminder*> overdue, soon;
        std::set<Id> seen;
        for (const auto& r : d.reminders) {
            if (!seen.insert(r.itemId()).second) continue;
            (r.overdue() ? overdue : soon).push_back(&r);
        }
        std::ostringstream subject;
        subject << "govtrack: ";
        if (request) {
            const std::size_t n = overdue.size() + soon.size();
            subject << request->requestedBy << " asks for an update on " << n << (n == 1 ? " action" : " actions");
            if (!overdue.empty()) subject << " (" << overdue.size() << " overdue)";
        } else {
            if (!overdue.empty()) subject << overdue.size() << " overdue";
            if (!overdue.empty() && !soon.empty()) subject << ", ";
            if (!soon.empty()) subject << soon.size() << " due soon";
        }
        subject << " (" << formatUk(day) << ")";
        d.subject = subject.str();

        std::ostringstream text, html;
        text << "Reminders for " << d.recipientRoleTitle << " on " << describeDay(day) << "\n";
        html << "<!DOCTYPE html><html><body><h1>Reminders for " << htmlEscape(d.recipientRoleTitle) << " on "
             << htmlEscape(describeDay(day)) << "</h1>\n";
        if (request) {
            text << "\n" << request->requestedBy << " asks you to update these actions now.\n";
            html << "<p>" << htmlEscape(request->requestedBy) << " asks you to update these actions now.</p>\n";
            if (!request->note.empty()) {
                text << "\nNote from " << request->requestedBy << ":\n" << request->note << "\n";
                html << "<p>Note from " << htmlEscape(request->requestedBy) << ":</p>\n<blockquote style=\"white-space: "
                     << "pre-wrap\">" << htmlEscape(request->note) << "</blockquote>\n";
            }
        }
        auto section = [&](const char* heading, const std::vector<const Reminder*>& items) {
            if (items.empty()) return;
            text << "\n" << heading << "\n";
            html << "<h2>" << heading << "</h2>\n<ul>\n";
            for (const Reminder* r : items) {
                const std::string link = actionPageUrl(base, r->itemId());
                std::string when = r->overdue()        ? std::to_string(r->daysOverdue) + " days overdue"
                                   : r->daysToDue == 0 ? std::string("due today")
                                                       : "due in " + std::to_string(r->daysToDue) + " days";
                std::string note;
                if (r->ownerInactive) note = " [owner inactive]";
                if (r->as != "owner" && r->as != "line_manager") note += " [escalation: " + r->as + "]";
                if (r->as == "line_manager" && !r->ownerInactive) note += " [escalation: line manager]";
                text << "- " << r->reference() << " " << r->title() << "\n  due " << describeDay(r->dueDate()) << ", "
                     << when << note << "\n  " << link << "\n";
                html << "<li><a href=\"" << htmlEscape(link) << "\">" << htmlEscape(r->reference()) << "</a> "
                     << htmlEscape(r->title()) << "<br>due " << htmlEscape(describeDay(r->dueDate())) << ", "
                     << htmlEscape(when) << htmlEscape(note) << "</li>\n";
            }
            html << "</ul>\n";
        };
        section("Overdue", overdue);
        section(request ? "Open" : "Due soon", soon);
        const char* what = request ? "This reminder was sent on request" : "This is one daily digest";
        text << "\n" << what << " from govtrack; open " << base << "/ to update your actions.\n";
        html << "<p>" << what << " from govtrack; open <a href=\"" << htmlEscape(base) << "/\">" << htmlEscape(base)
             << "/</a> to update your actions.</p></body></html>\n";
        d.textBody = text.str();
        d.htmlBody = html.str();
        sink(d);
        i = j;
    }
}

std::vector<ReminderDigest> buildDigests(const std::vector<Reminder>& reminders, const ReminderDirectory& directory,
                                         Date day, const std::string& webBaseUrl) {
    std::vector<ReminderDigest> out;
    forEachDigest(reminders, directory, day, webBaseUrl, [&](const ReminderDigest& d) { out.push_back(d); });
    return out;
}

}  // namespace govtrack::domain
