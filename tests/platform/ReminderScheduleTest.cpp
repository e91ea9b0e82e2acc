// The reminder schedule (SPEC 4.6) with the real tz database (Europe/London) and the shipped Scottish
// holidays: every case of issue 5, each at a fixed instant.
#include <ctime>
#include <fstream>
#include <iomanip>
#include <sstream>

#include <gtest/gtest.h>

#include "govtrack/domain/AuditTrail.h"
#include "govtrack/domain/Error.h"
#include "govtrack/domain/Reminders.h"
#include "govtrack/platform/ZonedClock.h"

namespace d = govtrack::domain;
using namespace std::chrono_literals;

namespace {

d::Date day(int y, unsigned m, unsigned dd) {
    return d::Date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{dd}};
}

std::chrono::sys_seconds utc(const std::string& text) {
    std::istringstream in(text);
    std::tm tm{};
    in >> std::get_time(&tm, "%Y-%m-%dT%H:%M:%SZ");
    const auto date = day(tm.tm_year + 1900, static_cast<unsigned>(tm.tm_mon + 1), static_cast<unsigned>(tm.tm_mday));
    return std::chrono::sys_seconds{std::chrono::sys_days{date}} + std::chrono::hours{tm.tm_hour} +
           std::chrono::minutes{tm.tm_min} + std::chrono::seconds{tm.tm_sec};
}

d::WorkingCalendar scotland() {
    const std::string path = std::string(GOVTRACK_SOURCE_DIR) + "/data/holidays/scotland-2024-2028.txt";
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return d::parseHolidays(text.str(), path);
}

class Schedule : public ::testing::Test {
protected:
    Schedule() {
        owner.id = "owner";
        owner.roleTitle = "Head of People";
        owner.email = "owner@example.org";
        owner.lineManagerId = "manager";
        manager.id = "manager";
        manager.roleTitle = "Director of Corporate Services";
        manager.email = "manager@example.org";
        secretary.id = "secretary";
        secretary.roleTitle = "Committee Secretary";
        secretary.email = "secretary@example.org";
        chair.id = "chair";
        chair.roleTitle = "Committee Chair";
        chair.email = "chair@example.org";
        group.id = "group";
        group.name = "Audit and Risk Committee";
        group.members = {{"chair", d::MemberRole::kChair}, {"secretary", d::MemberRole::kSecretary}};
        dir.people = {{"owner", &owner}, {"manager", &manager}, {"secretary", &secretary}, {"chair", &chair}};
        dir.groups = {{"group", &group}};
    }

    d::ReminderSubject item(const std::string& id, d::Date due) const {
        d::ReminderSubject s;
        s.id = id;
        s.reference = "IA-1/1." + id;
        s.title = "Recommendation: action " + id;
        s.dueDate = due;
        s.ownerIds = {"owner"};
        s.responsibleGroupId = "group";
        return s;
    }

    std::vector<d::Reminder> at(const std::vector<d::ReminderSubject>& items, const std::string& instant) const {
        return d::dueReminders(items, dir, policy, calendar, zone, utc(instant));
    }

    static bool has(const std::vector<d::Reminder>& rs, const std::string& recipient, const std::string& rule) {
        for (const auto& r : rs)
            if (r.recipientId == recipient && r.rule == rule) return true;
        return false;
    }
    static const d::Reminder* find(const std::vector<d::Reminder>& rs, const std::string& rule) {
        for (const auto& r : rs)
            if (r.rule == rule) return &r;
        return nullptr;
    }

    d::Person owner, manager, secretary, chair;
    d::GovernanceGroup group;
    d::ReminderDirectory dir;
    d::ReminderPolicy policy;
    d::WorkingCalendar calendar = scotland();
    govtrack::platform::TzRules zone{"Europe/London"};
};

}  // namespace

TEST(WorkingCalendarFile, ParsesDatesCommentsAndRefusesBadLines) {
    const auto c = d::parseHolidays("# comment\n\n2026-12-25 Christmas\n2026-12-28\r\n", "h.txt");
    EXPECT_EQ(c.holidays().size(), 2u);
    EXPECT_FALSE(c.isWorkingDay(day(2026, 12, 25)));
    EXPECT_TRUE(c.isWorkingDay(day(2026, 12, 24)));
    try {
        d::parseHolidays("2026-12-25\n25/12/2026\n", "h.txt");
        FAIL() << "expected ValidationError";
    } catch (const d::ValidationError& e) {
        EXPECT_NE(std::string(e.what()).find("h.txt:2"), std::string::npos) << e.what();
    }
    EXPECT_EQ(scotland().holidays().size(), 45u);
}

TEST_F(Schedule, DueMondayAfterSpringForwardSendsFridayAtEightGmtAndMondayAtEightBst) {
    const auto items = std::vector{item("a", day(2026, 3, 30))};
    // before_due_1 falls on Sunday 29 March, moves to Friday 27 March: 08:00 GMT = 08:00 UTC.
    EXPECT_FALSE(has(at(items, "2026-03-27T07:59:59Z"), "owner", "before_due_1"));
    const auto friday = at(items, "2026-03-27T08:00:00Z");
    ASSERT_TRUE(find(friday, "before_due_1"));
    EXPECT_EQ(find(friday, "before_due_1")->sendDay, day(2026, 3, 27));
    EXPECT_EQ(find(friday, "before_due_1")->occurrence, day(2026, 3, 29));
    EXPECT_EQ(find(friday, "before_due_1")->sendAt, utc("2026-03-27T08:00:00Z"));
    // on_due on Monday 30 March, after the change to BST: 08:00 BST = 07:00 UTC.
    EXPECT_FALSE(has(at(items, "2026-03-30T06:59:59Z"), "owner", "on_due"));
    const auto monday = at(items, "2026-03-30T07:00:00Z");
    ASSERT_TRUE(find(monday, "on_due"));
    EXPECT_EQ(find(monday, "on_due")->sendAt, utc("2026-03-30T07:00:00Z"));
}

TEST_F(Schedule, AutumnChangeSendsAtEightGmtOnTheMondayAfter) {
    // London returns to GMT on Sunday 25 October 2026; due Monday 26: on_due at 08:00 GMT = 08:00 UTC.
    const auto items = std::vector{item("a", day(2026, 10, 26))};
    EXPECT_FALSE(has(at(items, "2026-10-26T07:59:59Z"), "owner", "on_due"));
    EXPECT_TRUE(has(at(items, "2026-10-26T08:00:00Z"), "owner", "on_due"));
    // before_due_1 (Sunday 25) moves to Friday 23 October, still BST: 07:00 UTC.
    EXPECT_TRUE(has(at(items, "2026-10-23T07:00:00Z"), "owner", "before_due_1"));
    EXPECT_FALSE(has(at(items, "2026-10-23T06:59:59Z"), "owner", "before_due_1"));
}

TEST_F(Schedule, DueSundayBeforeAndOnDueLandFridayOverdueMonday) {
    const auto items = std::vector{item("a", day(2026, 3, 15))};  // Sunday
    const auto friday = at(items, "2026-03-13T09:00:00Z");
    EXPECT_TRUE(has(friday, "owner", "before_due_1"));  // Saturday 14 -> Friday 13
    EXPECT_TRUE(has(friday, "owner", "on_due"));        // Sunday 15 -> Friday 13
    EXPECT_EQ(find(friday, "on_due")->sendDay, day(2026, 3, 13));
    // Nothing on the weekend itself: a sweep on Sunday 15 at noon adds nothing new for that day.
    for (const auto& r : at(items, "2026-03-15T12:00:00Z")) EXPECT_EQ(r.sendDay, day(2026, 3, 13)) << r.rule;
    // overdue at 7 days = Sunday 22 -> Monday 23.
    EXPECT_FALSE(has(at(items, "2026-03-22T12:00:00Z"), "owner", "overdue"));
    const auto monday = at(items, "2026-03-23T08:00:00Z");
    ASSERT_TRUE(find(monday, "overdue"));
    EXPECT_EQ(find(monday, "overdue")->sendDay, day(2026, 3, 23));
    EXPECT_EQ(find(monday, "overdue")->daysOverdue, 8);
}

TEST_F(Schedule, NoReminderIsSentOnAPublicHolidayOrWeekend) {
    std::vector<d::ReminderSubject> items{item("xmas", day(2026, 12, 25)), item("boxing", day(2026, 12, 28)),
                                          item("new", day(2027, 1, 4))};
    for (int i = 0; i < 60; ++i) {  // every day from 1 December, just after 08:00 local
        const auto when = std::chrono::sys_days{day(2026, 12, 1)} + std::chrono::days{i} + 8h + 1min;
        for (const auto& r : d::dueReminders(items, dir, policy, calendar, zone, when)) {
            EXPECT_TRUE(calendar.isWorkingDay(r.sendDay))
                << r.itemId() << " " << r.rule << " " << d::formatIso(r.sendDay);
        }
    }
    // Christmas Day's on_due and the substitute Boxing Day's on_due both go on Thursday 24 December.
    const auto eve = at(items, "2026-12-24T08:00:00Z");
    int onDue = 0;
    for (const auto& r : eve) onDue += r.rule == "on_due" ? 1 : 0;
    EXPECT_EQ(onDue, 2);
    for (const char* when : {"2026-12-25T12:00:00Z", "2026-12-28T12:00:00Z"}) {  // nothing sent on those days
        for (const auto& r : at(items, when)) {
            EXPECT_NE(r.sendDay, day(2026, 12, 25)) << r.rule;
            EXPECT_NE(r.sendDay, day(2026, 12, 28)) << r.rule;
        }
    }
}

TEST_F(Schedule, OverdueStartsAtLocalMidnightNotUtcMidnight) {
    const auto items = std::vector{item("a", day(2026, 5, 31))};
    // 22:30 UTC on 31 May is 23:30 BST: still the due date.
    const auto before = at(items, "2026-05-31T22:30:00Z");
    ASSERT_FALSE(before.empty());
    for (const auto& r : before) EXPECT_FALSE(r.overdue()) << r.rule;
    EXPECT_EQ(before.front().daysToDue, 0);
    // 23:30 UTC on 31 May is 00:30 BST on 1 June: overdue by one day.
    const auto after = at(items, "2026-05-31T23:30:00Z");
    ASSERT_FALSE(after.empty());
    for (const auto& r : after) EXPECT_EQ(r.daysOverdue, 1) << r.rule;
    EXPECT_EQ(zone.localDate(utc("2026-05-31T23:30:00Z")), day(2026, 6, 1));
}

TEST_F(Schedule, EscalatesToLineManagerAndSecretaryAt14DaysAndChairAt30) {
    const auto items = std::vector{item("a", day(2026, 2, 2))};  // Monday
    const auto day7 = at(items, "2026-02-09T09:00:00Z");
    EXPECT_TRUE(has(day7, "owner", "overdue"));
    EXPECT_FALSE(has(day7, "manager", "escalation_14"));
    const auto day14 = at(items, "2026-02-16T09:00:00Z");
    EXPECT_TRUE(has(day14, "owner", "overdue"));
    EXPECT_TRUE(has(day14, "manager", "escalation_14"));
    EXPECT_TRUE(has(day14, "secretary", "escalation_14"));
    EXPECT_FALSE(has(day14, "chair", "escalation_30"));
    const auto day30 = at(items, "2026-03-04T09:00:00Z");  // Wednesday, 30 days overdue
    EXPECT_TRUE(has(day30, "chair", "escalation_30"));
}

TEST_F(Schedule, InactiveOwnerGoesToLineManagerFlagged) {
    owner.active = false;
    const auto rs = at(std::vector{item("a", day(2026, 3, 30))}, "2026-03-30T07:00:00Z");
    EXPECT_FALSE(has(rs, "owner", "on_due"));
    ASSERT_TRUE(has(rs, "manager", "on_due"));
    EXPECT_TRUE(find(rs, "on_due")->ownerInactive);
    EXPECT_EQ(find(rs, "on_due")->as, "line_manager");
}

TEST_F(Schedule, ClosedItemsGetNothing) {
    for (auto status : {d::ActionStatus::kImplemented, d::ActionStatus::kVerified, d::ActionStatus::kRiskAccepted,
                        d::ActionStatus::kSuperseded, d::ActionStatus::kWithdrawn}) {
        auto s = item("a", day(2026, 3, 30));
        s.status = status;
        EXPECT_TRUE(at(std::vector{s}, "2026-03-30T09:00:00Z").empty()) << d::toString(status);
    }
    auto open = item("a", day(2026, 3, 30));
    open.status = d::ActionStatus::kInProgress;
    EXPECT_FALSE(at(std::vector{open}, "2026-03-30T09:00:00Z").empty());
}

TEST_F(Schedule, ThreeItemsForOneOwnerMakeOneDigestADay) {
    // Due Saturday 14, Sunday 15 and Monday 16 March: their before-due/on-due reminders all land on Friday 13.
    std::vector<d::ReminderSubject> items{item("sat", day(2026, 3, 14)), item("sun", day(2026, 3, 15)),
                                          item("mon", day(2026, 3, 16))};
    for (int i = 0; i < 14; ++i) {
        const auto when = std::chrono::sys_days{day(2026, 3, 9)} + std::chrono::days{i} + 9h;
        const auto today = zone.localDate(std::chrono::floor<std::chrono::seconds>(when));
        std::vector<d::Reminder> todays;
        for (const auto& r : d::dueReminders(items, dir, policy, calendar, zone, when))
            if (r.sendDay == today) todays.push_back(r);
        const auto digests = d::buildDigests(todays, dir, today, "https://govtrack.example.org/");
        EXPECT_LE(digests.size(), 1u) << d::formatIso(today);
    }
    const auto friday = at(items, "2026-03-13T09:00:00Z");
    const auto digests = d::buildDigests(friday, dir, day(2026, 3, 13), "https://govtrack.example.org/");
    ASSERT_EQ(digests.size(), 1u);
    const auto& digest = digests.front();
    EXPECT_EQ(digest.recipientEmail, "owner@example.org");
    EXPECT_EQ(digest.subject, "govtrack: 3 due soon (13/03/2026)");
    for (const char* id : {"sat", "sun", "mon"}) {
        EXPECT_NE(digest.textBody.find(std::string("https://govtrack.example.org/#/actions/") + id), std::string::npos);
        EXPECT_NE(digest.htmlBody.find(std::string("href=\"https://govtrack.example.org/#/actions/") + id),
                  std::string::npos);
    }
}

TEST_F(Schedule, DigestListsOverdueBeforeDueSoon) {
    std::vector<d::ReminderSubject> items{item("soon", day(2026, 3, 16)), item("late", day(2026, 3, 6))};
    const auto rs = at(items, "2026-03-13T09:00:00Z");  // late: 7 days overdue; soon: due in 3 days (Sun->Fri)
    const auto digests = d::buildDigests(rs, dir, day(2026, 3, 13), "http://x");
    ASSERT_EQ(digests.size(), 1u);
    const auto& text = digests.front().textBody;
    ASSERT_NE(text.find("Overdue"), std::string::npos) << text;
    EXPECT_LT(text.find("Overdue"), text.find("Due soon"));
    EXPECT_LT(text.find("IA-1/1.late"), text.find("IA-1/1.soon"));
    EXPECT_EQ(digests.front().subject, "govtrack: 1 overdue, 1 due soon (13/03/2026)");
}
