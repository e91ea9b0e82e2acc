#include "govtrack/domain/Dates.h"

#include <array>
#include <cctype>
#include <cstdio>
#include <vector>

namespace govtrack::domain {

namespace {

constexpr std::array<const char*, 12> kMonthAbbrev = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::array<const char*, 12> kMonthNames = {"january",   "february", "march",    "april",
                                                     "may",       "june",     "july",     "august",
                                                     "september", "october",  "november", "december"};

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

/// Parses 1..maxDigits ASCII digits exactly; nullopt otherwise.
std::optional<int> parseNumber(std::string_view s, std::size_t minDigits, std::size_t maxDigits) {
    if (s.size() < minDigits || s.size() > maxDigits) return std::nullopt;
    int value = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + (c - '0');
    }
    return value;
}

std::optional<Date> makeDate(int y, int m, int d) {
    if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1 || d > 31) return std::nullopt;
    Date date{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(m)},
              std::chrono::day{static_cast<unsigned>(d)}};
    if (!date.ok()) return std::nullopt;
    return date;
}

/// Month name or abbreviation ("Dec", "Sept", "December"), case-insensitive -> 1..12.
std::optional<unsigned> parseMonthName(std::string_view s) {
    std::string lower;
    for (char c : s) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    if (lower.size() > 1 && lower.back() == '.') lower.pop_back();
    if (lower.size() < 3) return std::nullopt;
    for (unsigned i = 0; i < kMonthNames.size(); ++i) {
        std::string_view full = kMonthNames[i];
        if (lower == full) return i + 1;
        if (lower.size() <= full.size() && full.substr(0, lower.size()) == lower && lower.size() <= 4) return i + 1;
    }
    return std::nullopt;
}

}  // namespace

TargetDate TargetDate::monthOnly(int year, unsigned month) {
    using namespace std::chrono;
    const year_month_day_last last{std::chrono::year{year} / std::chrono::month{month} / std::chrono::last};
    return TargetDate{Date{last}, DatePrecision::kMonth};
}

std::string TargetDate::iso() const {
    if (precision == DatePrecision::kMonth) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "%04d-%02u", static_cast<int>(date.year()), static_cast<unsigned>(date.month()));
        return buf;
    }
    return formatIso(date);
}

std::string TargetDate::display() const {
    if (precision == DatePrecision::kMonth) {
        return std::string(kMonthAbbrev[static_cast<unsigned>(date.month()) - 1]) + " " +
               std::to_string(static_cast<int>(date.year()));
    }
    return formatUk(date);
}

std::string formatIso(Date d) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                  static_cast<unsigned>(d.day()));
    return buf;
}

std::string formatUk(Date d) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02u/%02u/%04d", static_cast<unsigned>(d.day()), static_cast<unsigned>(d.month()),
                  static_cast<int>(d.year()));
    return buf;
}

std::optional<Date> parseIsoDate(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
    auto y = parseNumber(text.substr(0, 4), 4, 4);
    auto m = parseNumber(text.substr(5, 2), 2, 2);
    auto d = parseNumber(text.substr(8, 2), 2, 2);
    if (!y || !m || !d) return std::nullopt;
    return makeDate(*y, *m, *d);
}

std::optional<TargetDate> parseTargetDate(std::string_view raw) {
    const std::string_view text = trim(raw);
    if (text.empty()) return std::nullopt;
    // yyyy-mm-dd or yyyy-mm
    if (text.size() == 10 && text[4] == '-') {
        if (auto d = parseIsoDate(text)) return TargetDate::day(*d);
        return std::nullopt;
    }
    if (text.size() == 7 && text[4] == '-') {
        auto y = parseNumber(text.substr(0, 4), 4, 4);
        auto m = parseNumber(text.substr(5, 2), 2, 2);
        if (!y || !m || *m < 1 || *m > 12 || *y < 1900 || *y > 2999) return std::nullopt;
        return TargetDate::monthOnly(*y, static_cast<unsigned>(*m));
    }
    // dd/mm/yyyy
    if (const auto slash1 = text.find('/'); slash1 != std::string_view::npos) {
        const auto slash2 = text.find('/', slash1 + 1);
        if (slash2 == std::string_view::npos) return std::nullopt;
        auto d = parseNumber(text.substr(0, slash1), 1, 2);
        auto m = parseNumber(text.substr(slash1 + 1, slash2 - slash1 - 1), 1, 2);
        auto y = parseNumber(text.substr(slash2 + 1), 4, 4);
        if (!d || !m || !y) return std::nullopt;
        if (auto date = makeDate(*y, *m, *d)) return TargetDate::day(*date);
        return std::nullopt;
    }
    // Words: "December 2025", "Dec 2025", "31 Dec 2025", "31 December 2025", and Excel's "Dec-25",
    // "Dec-2025", "31-Dec-2025" (a two-digit year is 20yy).
    std::vector<std::string_view> parts;
    for (std::size_t start = 0; start < text.size();) {
        const auto end = text.find_first_of(" -", start);
        const auto part = text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
        if (!part.empty()) parts.push_back(part);
        if (end == std::string_view::npos) break;
        start = end + 1;
    }
    auto year = [](std::string_view s) -> std::optional<int> {
        if (auto four = parseNumber(s, 4, 4); four && *four >= 1900 && *four <= 2999) return four;
        if (auto two = parseNumber(s, 2, 2)) return 2000 + *two;
        return std::nullopt;
    };
    if (parts.size() == 2) {
        const auto month = parseMonthName(parts[0]);
        const auto y = year(parts[1]);
        if (!month || !y) return std::nullopt;
        return TargetDate::monthOnly(*y, *month);
    }
    if (parts.size() == 3) {
        const auto d = parseNumber(parts[0], 1, 2);
        const auto month = parseMonthName(parts[1]);
        const auto y = year(parts[2]);
        if (!d || !month || !y) return std::nullopt;
        if (auto date = makeDate(*y, static_cast<int>(*month), *d)) return TargetDate::day(*date);
    }
    return std::nullopt;
}

int daysBetween(Date from, Date to) {
    return static_cast<int>((std::chrono::sys_days{to} - std::chrono::sys_days{from}).count());
}

}  // namespace govtrack::domain
