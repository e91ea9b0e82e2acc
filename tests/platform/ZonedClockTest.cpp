#include <set>

#include <gtest/gtest.h>

#include "govtrack/domain/Error.h"
#include "govtrack/platform/UuidGenerator.h"
#include "govtrack/platform/ZonedClock.h"

namespace d = govtrack::domain;
namespace p = govtrack::platform;
using namespace std::chrono;

namespace {
d::Date ymd(int y, unsigned m, unsigned day) {
    return d::Date{year{y}, month{m}, std::chrono::day{day}};
}
system_clock::time_point utc(int y, unsigned m, unsigned day, int h, int min) {
    return sys_days{ymd(y, m, day)} + hours{h} + minutes{min};
}
}  // namespace

TEST(LocalDateAt, SummerEveningInUtcIsTomorrowInLondon) {
    // 23:30 UTC on 15 July 2025 is 00:30 BST on 16 July.
    EXPECT_EQ(p::localDateAt(utc(2025, 7, 15, 23, 30), "Europe/London"), ymd(2025, 7, 16));
    EXPECT_EQ(p::localDateAt(utc(2025, 7, 15, 22, 59), "Europe/London"), ymd(2025, 7, 15));
}

TEST(LocalDateAt, WinterLondonIsUtc) {
    EXPECT_EQ(p::localDateAt(utc(2025, 12, 31, 23, 30), "Europe/London"), ymd(2025, 12, 31));
    EXPECT_EQ(p::localDateAt(utc(2026, 1, 1, 0, 0), "Europe/London"), ymd(2026, 1, 1));
}

TEST(LocalDateAt, DstChangeDays) {
    // Clocks go forward at 01:00 UTC on 30 March 2025 and back at 01:00 UTC on 26 October 2025.
    EXPECT_EQ(p::localDateAt(utc(2025, 3, 29, 23, 30), "Europe/London"), ymd(2025, 3, 29));
    EXPECT_EQ(p::localDateAt(utc(2025, 10, 25, 23, 30), "Europe/London"), ymd(2025, 10, 26));
    EXPECT_EQ(p::localDateAt(utc(2025, 10, 26, 23, 30), "Europe/London"), ymd(2025, 10, 26));
}

TEST(LocalDateAt, OtherZones) {
    EXPECT_EQ(p::localDateAt(utc(2025, 1, 1, 12, 0), "Pacific/Auckland"), ymd(2025, 1, 2));
    EXPECT_EQ(p::localDateAt(utc(2025, 1, 1, 3, 0), "America/New_York"), ymd(2024, 12, 31));
}

TEST(ZonedClock, RefusesUnknownZone) {
    EXPECT_THROW(p::ZonedClock("Europe/Atlantis"), d::ValidationError);
    EXPECT_FALSE(p::isKnownTimeZone("Mars/Olympus"));
    EXPECT_TRUE(p::isKnownTimeZone("Europe/London"));
}

TEST(UuidGenerator, GivesDistinctIds) {
    p::UuidGenerator ids;
    std::set<std::string> seen;
    for (int i = 0; i < 1000; ++i) seen.insert(ids.next());
    EXPECT_EQ(seen.size(), 1000u);
}
