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
};

/// A clock that always answers the same date (tests, and reports run "as of" a date).
class FixedClock final : public Clock {
public:
    explicit FixedClock(Date today) : today_(today) {}
    Date today() const override { return today_; }

private:
    Date today_;
};

}  // namespace govtrack::domain
