#include <gtest/gtest.h>

#include "govtrack/domain/Dates.h"

namespace d = govtrack::domain;
using namespace std::chrono;

namespace {
d::Date ymd(int y, unsigned m, unsigned day) {
    return d::Date{year{y}, month{m}, std::chrono::day{day}};
}
}  // namespace

TEST(TargetDate, MonthOnlyMeansLastDayOfMonth) {
    EXPECT_EQ(d::TargetDate::monthOnly(2025, 12).date, ymd(2025, 12, 31));
    EXPECT_EQ(d::TargetDate::monthOnly(2025, 6).date, ymd(2025, 6, 30));
    EXPECT_EQ(d::TargetDate::monthOnly(2025, 2).date, ymd(2025, 2, 28));
    EXPECT_EQ(d::TargetDate::monthOnly(2024, 2).date, ymd(2024, 2, 29));  // leap year
}

TEST(TargetDate, KeepsPrecisionForDisplay) {
    const auto month = d::TargetDate::monthOnly(2025, 12);
    EXPECT_EQ(month.iso(), "2025-12");
    EXPECT_EQ(month.display(), "Dec 2025");
    const auto day = d::TargetDate::day(ymd(2026, 1, 5));
    EXPECT_EQ(day.iso(), "2026-01-05");
    EXPECT_EQ(day.display(), "05/01/2026");
}

TEST(ParseTargetDate, AcceptsTheFormsTrackersUse) {
    EXPECT_EQ(d::parseTargetDate("December 2025"), d::TargetDate::monthOnly(2025, 12));
    EXPECT_EQ(d::parseTargetDate("Dec 2025"), d::TargetDate::monthOnly(2025, 12));
    EXPECT_EQ(d::parseTargetDate("  june 2025 "), d::TargetDate::monthOnly(2025, 6));
    EXPECT_EQ(d::parseTargetDate("Sept 2025"), d::TargetDate::monthOnly(2025, 9));
    EXPECT_EQ(d::parseTargetDate("2025-12"), d::TargetDate::monthOnly(2025, 12));
    EXPECT_EQ(d::parseTargetDate("31/12/2025"), d::TargetDate::day(ymd(2025, 12, 31)));
    EXPECT_EQ(d::parseTargetDate("5/1/2026"), d::TargetDate::day(ymd(2026, 1, 5)));
    EXPECT_EQ(d::parseTargetDate("2026-01-05"), d::TargetDate::day(ymd(2026, 1, 5)));
    EXPECT_EQ(d::parseTargetDate("29/02/2024"), d::TargetDate::day(ymd(2024, 2, 29)));
    // What Excel writes when a tracker is saved as CSV.
    EXPECT_EQ(d::parseTargetDate("Dec-25"), d::TargetDate::monthOnly(2025, 12));
    EXPECT_EQ(d::parseTargetDate("Dec-2025"), d::TargetDate::monthOnly(2025, 12));
    EXPECT_EQ(d::parseTargetDate("31 Dec 2025"), d::TargetDate::day(ymd(2025, 12, 31)));
    EXPECT_EQ(d::parseTargetDate("31-Dec-2025"), d::TargetDate::day(ymd(2025, 12, 31)));
    EXPECT_EQ(d::parseTargetDate("1 June 2026"), d::TargetDate::day(ymd(2026, 6, 1)));
}

TEST(ParseTargetDate, RefusesImpossibleAndMalformedDates) {
    for (const char* bad : {"31/02/2025", "29/02/2025", "2025-02-30", "2025-13", "13/13/2025", "Smarch 2025", "",
                            "December", "2025", "12/2025", "1/1/25", "2025-1-5", "31-12-2025", "Ma 2025", "31 Feb 2025",
                            "Dec-5", "Dec 25 2025", "0025-12-31", "31/12/0025"}) {
        EXPECT_FALSE(d::parseTargetDate(bad).has_value()) << bad;
    }
}

TEST(ParseIsoDate, IsStrict) {
    EXPECT_EQ(d::parseIsoDate("2024-02-29"), ymd(2024, 2, 29));
    EXPECT_FALSE(d::parseIsoDate("2025-02-29"));
    EXPECT_FALSE(d::parseIsoDate("05/01/2026"));
    EXPECT_FALSE(d::parseIsoDate("2026-1-05"));
}

TEST(DaysBetween, CountsCalendarDaysAcrossLeapDayAndYearEnd) {
    EXPECT_EQ(d::daysBetween(ymd(2024, 2, 28), ymd(2024, 3, 1)), 2);
    EXPECT_EQ(d::daysBetween(ymd(2025, 12, 31), ymd(2026, 1, 5)), 5);
    EXPECT_EQ(d::daysBetween(ymd(2026, 1, 5), ymd(2025, 12, 31)), -5);
}
