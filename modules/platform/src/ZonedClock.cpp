#include "govtrack/platform/ZonedClock.h"

#include <cstdlib>
#include <sstream>

#include <date/tz.h>

#include "govtrack/domain/AuditTrail.h"
#include "govtrack/domain/Error.h"

namespace govtrack::platform {

namespace {

const date::time_zone* findZone(const std::string& zone) {
    try {
        return date::locate_zone(zone);
    } catch (const std::exception&) {
        throw domain::ValidationError("unknown time zone '" + zone + "' (expected an IANA name such as Europe/London)",
                                      {{"time_zone", "unknown time zone '" + zone + "'"}});
    }
}

}  // namespace

domain::Date localDateAt(std::chrono::system_clock::time_point instant, const std::string& zone) {
    const auto local = findZone(zone)->to_local(date::floor<std::chrono::seconds>(instant));
    const auto days = date::floor<date::days>(local);
    const date::year_month_day ymd{days};
    return domain::Date{std::chrono::year{static_cast<int>(ymd.year())},
                        std::chrono::month{static_cast<unsigned>(ymd.month())},
                        std::chrono::day{static_cast<unsigned>(ymd.day())}};
}

std::string endOfDayUtc(domain::Date date, const std::string& zone) {
    const auto next = std::chrono::sys_days{date} + std::chrono::days{1};
    const date::local_days local{date::days{next.time_since_epoch().count()}};
    // choose::earliest: a midnight that falls in a DST gap or overlap resolves to the earliest instant.
    const auto utc = findZone(zone)->to_sys(local, date::choose::earliest);
    return domain::formatUtc(
        std::chrono::sys_seconds{std::chrono::floor<std::chrono::seconds>(utc).time_since_epoch()});
}

bool isKnownTimeZone(const std::string& zone) {
    try {
        date::locate_zone(zone);
        return true;
    } catch (const std::exception&) {
        return false;
    }
}

TzRules::TzRules(const std::string& zone) : zone_(zone) {
    findZone(zone_);
}

domain::Date TzRules::localDate(std::chrono::sys_seconds instant) const {
    return localDateAt(std::chrono::system_clock::time_point{instant}, zone_);
}

std::chrono::sys_seconds TzRules::instantOf(domain::Date day, std::chrono::minutes timeOfDay) const {
    const auto* tz = findZone(zone_);
    const date::local_seconds local{date::days{std::chrono::sys_days{day}.time_since_epoch().count()} +
                                    std::chrono::duration_cast<std::chrono::seconds>(timeOfDay)};
    const auto info = tz->get_info(local);
    date::sys_seconds utc;
    if (info.result == date::local_info::nonexistent) {
        utc = date::sys_seconds{info.second.begin.time_since_epoch()};  // the first instant after the gap
    } else {
        utc = tz->to_sys(local, date::choose::earliest);
    }
    return std::chrono::sys_seconds{utc.time_since_epoch()};
}

ZonedClock::ZonedClock(std::string zone) : zone_(std::move(zone)) {
    findZone(zone_);
    if (const char* fixed = std::getenv("GOVTRACK_FIXED_NOW"); fixed && *fixed) {
        std::istringstream in(fixed);
        date::sys_seconds instant;
        in >> date::parse("%Y-%m-%dT%H:%M:%SZ", instant);
        if (in.fail() || in.peek() != std::char_traits<char>::eof()) {
            throw domain::ValidationError(std::string("GOVTRACK_FIXED_NOW: '") + fixed +
                                          "' is not a UTC instant such as 2026-01-05T12:00:00Z");
        }
        fixedNow_ = std::chrono::sys_seconds{instant.time_since_epoch()};
    }
}

domain::Date ZonedClock::today() const {
    return localDateAt(now(), zone_);
}

std::chrono::sys_seconds ZonedClock::now() const {
    if (fixedNow_) return *fixedNow_;
    return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

}  // namespace govtrack::platform
