#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "govtrack/domain/Clock.h"
#include "govtrack/domain/Reminders.h"

namespace govtrack::platform {

/// The local calendar date at `instant` in IANA time zone `zone` (e.g. "Europe/London"), using the
/// system tz database through Howard Hinnant's date/tz. 23:30 UTC on a summer day is already the
/// next day in London (BST, UTC+1). Throws domain::ValidationError naming the zone if it is unknown.
domain::Date localDateAt(std::chrono::system_clock::time_point instant, const std::string& zone);

/// The first instant of the day after `date` in `zone`, as UTC text "2024-07-01T23:00:00Z": events with
/// at < this happened on or before `date` there (as-of reports, SPEC 4.7). A day that starts in a DST gap
/// starts at the first valid local time. Throws domain::ValidationError naming the zone if it is unknown.
std::string endOfDayUtc(domain::Date date, const std::string& zone);

/// True if `zone` names a time zone in the system tz database.
bool isKnownTimeZone(const std::string& zone);

/// The organisation's time zone for reminders (SPEC 4.6), from the system tz database via Howard Hinnant's
/// date/tz. instantOf resolves a local time in a DST gap to the first instant after the gap and an
/// ambiguous one (the hour repeated in autumn) to its first occurrence.
class TzRules final : public domain::TimeZoneRules {
public:
    /// Throws domain::ValidationError if `zone` is unknown.
    explicit TzRules(const std::string& zone = "Europe/London");
    domain::Date localDate(std::chrono::sys_seconds instant) const override;
    std::chrono::sys_seconds instantOf(domain::Date day, std::chrono::minutes timeOfDay) const override;

private:
    std::string zone_;
};

/// The real clock: today's date in the organisation's time zone (SPEC 4.2; default Europe/London).
/// If the environment variable GOVTRACK_FIXED_NOW holds a UTC instant ("2026-01-05T12:00:00Z"), the clock
/// stands still at it: for end-to-end tests and demonstrations, so that imports, audit events and
/// "today" agree on one day whatever the machine's date.
class ZonedClock final : public domain::Clock {
public:
    /// Throws domain::ValidationError if `zone` is unknown or GOVTRACK_FIXED_NOW is set but malformed.
    explicit ZonedClock(std::string zone = "Europe/London");
    domain::Date today() const override;
    std::chrono::sys_seconds now() const override;
    const std::string& zone() const noexcept { return zone_; }

private:
    std::string zone_;
    std::optional<std::chrono::sys_seconds> fixedNow_;
};

}  // namespace govtrack::platform
