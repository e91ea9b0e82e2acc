#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace govtrack::domain {

/// A calendar date in the organisation's time zone (no time of day). SPEC 4.2.
using Date = std::chrono::year_month_day;

/// How precisely a source document gave a date. A month-only date ("December 2025") means the
/// last day of that month but is displayed as the month ("Dec 2025"). SPEC 4.2.
enum class DatePrecision { kDay, kMonth };

/// A target date with the precision the source gave.
struct TargetDate {
    Date date;  ///< for kMonth, the last day of the month
    DatePrecision precision = DatePrecision::kDay;

    /// Month-only date for year/month (1-12): the month's last day with kMonth precision.
    static TargetDate monthOnly(int year, unsigned month);
    static TargetDate day(Date d) { return TargetDate{d, DatePrecision::kDay}; }

    /// "2025-12" for month precision, "2025-12-31" for day precision (ISO 8601 reduced precision).
    std::string iso() const;
    /// As an organisation writes it: "Dec 2025" for month precision, "31/12/2025" for a day.
    std::string display() const;

    friend bool operator==(const TargetDate&, const TargetDate&) = default;
};

/// "YYYY-MM-DD". Precondition: d.ok().
std::string formatIso(Date d);
/// "DD/MM/YYYY" (UK order). Precondition: d.ok().
std::string formatUk(Date d);

/// Strict "YYYY-MM-DD"; nullopt if malformed or impossible (2025-02-30).
std::optional<Date> parseIsoDate(std::string_view text);

/// Parses a date as written in trackers and plans. Accepts, after trimming:
/// "2025-12-31", "31/12/2025" (dd/mm/yyyy, 1- or 2-digit day and month), "2025-12" (month),
/// "December 2025", "Dec 2025", "Sept 2025", Excel's "Dec-25" / "Dec-2025" (months; a two-digit year
/// is 20yy), and "31 Dec 2025", "31-Dec-2025" (days). Month names are case-insensitive.
/// Returns nullopt for anything else, including impossible dates such as 31/02/2025. SPEC 4.2, 5.
std::optional<TargetDate> parseTargetDate(std::string_view text);

/// Calendar days from `from` to `to` (negative if `to` is earlier).
int daysBetween(Date from, Date to);

}  // namespace govtrack::domain
