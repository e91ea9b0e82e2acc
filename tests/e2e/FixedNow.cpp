// Every govtrack process the end-to-end tests start runs on one fixed instant (platform::ZonedClock,
// GOVTRACK_FIXED_NOW): imports, audit events and "today" fall on 5 January 2026 whatever the machine's date,
// so `--as-of 2026-01-05` is "today" (the current state) and earlier dates are rebuilt from the audit trail.
#include <cstdlib>

namespace {
const bool kFixedNow = ::setenv("GOVTRACK_FIXED_NOW", "2026-01-05T12:00:00Z", 0) == 0;
}  // namespace
