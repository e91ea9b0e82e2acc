#pragma once

#include "govtrack/domain/Dates.h"

namespace govtrack::domain {

/// The source of "today" for every time-dependent rule. Implementations give the local date in the
/// organisation's time zone (SPEC 4.2); the platform module provides the real one, tests a FixedClock.
class Clock {
public:
    virtual ~Clock() = default;
    /// Today's calendar date in the organisation's time zone.
    virtual Date today() const = 0;
    /// The current instant, UTC, to the second (audit event timestamps; SPEC 4.8).
    virtual std::chrono::sys_seconds now() const = 0;
};

/// A clock that always answers the same date and instant (tests, and reports run "as of" a date).
class FixedClock final : public Clock {
public:
    /// Today is `today`; now is 12:00 UTC that day (the same calendar day in Europe/London all year).
    explicit FixedClock(Date today) : today_(today), now_(std::chrono::sys_days{today} + std::chrono::hours{12}) {}
    FixedClock(Date today, std::chrono::sys_seconds now) : today_(today), now_(now) {}
    Date today() const override { return today_; }
    std::chrono::sys_seconds now() const override { return now_; }

private:
    Date today_;
    std::chrono::sys_seconds now_;
};

}  // namespace govtrack::domain
