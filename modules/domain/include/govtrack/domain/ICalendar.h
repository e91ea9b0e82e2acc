#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "govtrack/domain/AuditTrail.h"
#include "govtrack/domain/Repositories.h"

/// Per-person iCalendar feeds of action due dates (SPEC 4.6; RFC 5545).
namespace govtrack::domain {

/// An RFC 5545 VCALENDAR with one all-day VEVENT per open action (ActionStatus not_started, in_progress or
/// implemented) that `personId` leads or co-owns and that has a due date: UID "<action id>@govtrack" (stable
/// across revisions, so a calendar moves the event when the date is revised), DTSTAMP `now` (UTC),
/// DTSTART;VALUE=DATE the effective due date and DTEND the day after, SUMMARY "<reference> <recommendation
/// title>: <action description>", URL `webBaseUrl`/actions/<id>. Text is escaped (RFC 5545 3.3.11), lines
/// end in CRLF and are folded at 75 octets without splitting a UTF-8 character (3.1).
std::string renderPersonalCalendar(const ActionPlanSnapshot& plan, const Id& personId, std::chrono::sys_seconds now,
                                   const std::string& webBaseUrl);

/// The feed of the person whose live token is `token` (only its SHA-256 is stored), or nullopt if the
/// token is unknown or revoked.
std::optional<std::string> calendarForToken(StoreSession& session, Hasher& hasher, const std::string& token,
                                            std::chrono::sys_seconds now, const std::string& webBaseUrl);

/// Issues a new feed token for `personId`: 32 random bytes from `randomBytes` as 64 hex digits. Stores only
/// its hash; with `revokeOthers` the person's earlier tokens stop working. Returns the token, which cannot be
/// recovered later.
std::string issueFeedToken(StoreSession& session, Hasher& hasher, const Id& personId, const std::string& randomBytes,
                           std::chrono::sys_seconds now, bool revokeOthers);

}  // namespace govtrack::domain
