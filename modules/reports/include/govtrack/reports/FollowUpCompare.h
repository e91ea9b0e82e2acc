#pragma once

#include <optional>
#include <string>
#include <vector>

#include "govtrack/reports/FollowUpReport.h"

/// Two follow-up reports side by side, e.g. this year against two years ago (SPEC 4.7 "As-of",
/// issue 3 item 7: `report follow-up --compare DATE1,DATE2`).
namespace govtrack::reports {

/// One difference between the earlier ("from") and the later ("to") report.
struct FollowUpChange {
    std::string engagement;     ///< engagement reference
    int recommendation = 0;     ///< recommendation number
    std::optional<int> action;  ///< action number; nullopt when the change is the recommendation's own
    std::string field;          ///< "added", "removed", "status", "current_target_date", "revisions", "owners"
    std::string from;           ///< "" when added
    std::string to;             ///< "" when removed

    friend bool operator==(const FollowUpChange&, const FollowUpChange&) = default;
};

/// What changed, by recommendation and action (matched by engagement reference and number), in the
/// later report's order, removed ones last. Compares status, current target date, revisions (count)
/// and owners (lead then co-owners). Pure.
std::vector<FollowUpChange> compareFollowUp(const FollowUpReport& from, const FollowUpReport& to);

/// {"from": report, "to": report, "changes": [{engagement, recommendation, action, field, from, to}]},
/// each report as renderJson() gives it.
std::string renderCompareJson(const FollowUpReport& from, const FollowUpReport& to,
                              const std::vector<FollowUpChange>& changes);

/// Totals of both side by side, then one line per change.
std::string renderCompareTable(const FollowUpReport& from, const FollowUpReport& to,
                               const std::vector<FollowUpChange>& changes);

}  // namespace govtrack::reports
