#pragma once

#include <string>
#include <string_view>

#include "govtrack/domain/ActionPlanDocument.h"

/// The CSV tracker import format: a management action plan as secretariats keep it in a
/// spreadsheet, one row per action. SPEC 5 "Import"; columns are described in docs/import-formats.md.
namespace govtrack::interchange {

/// Reads a CSV tracker into engagements with their recommendations and actions (units, people,
/// groups and risks stay empty; owners are named by role title and created on import).
///
/// - `content`: the file's bytes, UTF-8 with or without BOM, LF or CRLF (see parseCsv).
/// - `fileName`: used in every origin and error location, "FILE:LINE" with 1-based physical lines.
///
/// The first non-blank row is the header. Headings are matched case-insensitively after trimming
/// and folding runs of spaces, underscores and line breaks, and common aliases are accepted
/// ("Rec No", "Owner(s)", "Action date", ...). Unrecognised columns are ignored.
/// Required columns: engagement reference, recommendation number, priority, action description,
/// target date, and either lead owner or owners. Rows with the same engagement reference and
/// recommendation number are grouped into one EngagementRecord / RecommendationRecord; their
/// engagement and recommendation cells must agree where filled.
/// Dates are parsed by domain::parseTargetDate (dd/mm/yyyy, yyyy-mm-dd, "December 2025",
/// "Dec 2025"; empty = none). Owner cells hold several role titles separated by ";" or a line break.
///
/// All-or-nothing: every problem in the file is collected and thrown as one domain::ValidationError
/// whose what() is "FILE: N problems found; nothing was imported" and whose errors() each have
/// where = "FILE:LINE" and a message naming the field and the allowed values.
domain::ActionPlanDocument readCsvTracker(std::string_view content, const std::string& fileName);

}  // namespace govtrack::interchange
