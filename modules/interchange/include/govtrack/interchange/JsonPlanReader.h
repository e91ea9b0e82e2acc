#pragma once

#include <string>
#include <string_view>

#include "govtrack/domain/ActionPlanDocument.h"

/// The JSON plan import format: the full model (units, people, governance groups, risks, engagements
/// with findings, recommendations, actions, revised target dates and progress updates) keyed by
/// natural keys. SPEC 5 "Import"; every key is described in docs/import-formats.md.
namespace govtrack::interchange {

/// Value of the optional top-level "format" marker.
inline constexpr std::string_view kJsonPlanFormat = "govtrack.action-plan";
/// The only value of the optional top-level "version" marker this reader understands.
inline constexpr int kJsonPlanVersion = 1;

/// Reads a JSON plan document.
///
/// - `content`: UTF-8 JSON text (a BOM is tolerated); the top level is an object.
/// - `fileName`: used in every origin and error location.
/// Keys are snake_case; enumerations use the snake_case names of Model.h ("risk_tolerated",
/// "in_progress"; parsed with the domain parse functions, so "Risk tolerated" is also accepted);
/// dates are "YYYY-MM-DD", month-only "YYYY-MM" or "December 2025" (domain::parseTargetDate);
/// progress update and decision dates must be days.
///
/// Throws domain::ValidationError (all-or-nothing):
/// - malformed JSON: one error, where = "FILE:LINE:COLUMN" (1-based, column in bytes);
/// - otherwise every semantic problem, each with where = "FILE:/json/pointer" (RFC 6901), e.g. an
///   unknown enum value (message lists the allowed values), a missing required key, a wrong type,
///   an impossible date, a duplicate natural key, or an unknown key (catches typos; only the
///   top-level "format" and "version" markers are allowed besides the documented keys).
/// what() is "FILE: N problems found; nothing was imported". Record origins are "FILE:/pointer".
domain::ActionPlanDocument readJsonPlan(std::string_view content, const std::string& fileName);

}  // namespace govtrack::interchange
