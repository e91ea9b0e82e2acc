#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "govtrack/domain/AuditTrail.h"
#include "govtrack/domain/Authority.h"
#include "govtrack/reports/FollowUpReport.h"

/// The secretariat's meeting pack for one governance group and meeting date (SPEC 4.7): exception-first,
/// a few pages, counts up front. Pure: built from the follow-up report of the same date, the group chart
/// and the pending revised-date requests.
namespace govtrack::reports {

/// One action in the pack, copied out of the follow-up report (the pack owns its data).
struct PackItem {
    std::string engagement;  ///< engagement reference
    int recommendation = 0;  ///< recommendation number
    std::string recommendationTitle;
    domain::Priority priority = domain::Priority::kMedium;
    ActionRow action;
    std::string group;  ///< the responsible group's name (the pack's group or one reporting to it)
};

struct PackDecision {
    domain::RevisionRequest request;
    std::string action;  ///< "IA-2024-25-PM 2.1"
    std::string actionDescription;
    domain::Priority priority = domain::Priority::kMedium;
    int totalSlipDays = 0;
    std::string requestedBy;  ///< role title
    std::string escalateTo;   ///< for requests beyond the group's power: the group that holds it ("" = none)
};

struct MeetingPack {
    std::string group;
    domain::Date date;
    std::string note;  ///< e.g. when the group asked for was superseded and this is its successor's pack
    std::vector<std::string> subgroups;             ///< groups reporting to it, whose items the pack covers too
    std::vector<std::string> predecessors;          ///< groups it superseded ("Performance Forum (until 30/06/2025)")
    std::vector<PackItem> overdue;                  ///< red, most days overdue first
    std::vector<PackItem> dueSoon;                  ///< amber, soonest first
    std::vector<PackDecision> decisionsToTake;      ///< pending requests it holds the power for
    std::vector<PackDecision> decisionsToEscalate;  ///< pending requests beyond its power
    std::vector<PackItem> inherited;                ///< open items that moved to it from a superseded group
    int openActions = 0;                            ///< open actions in its remit
    int onTrack = 0;                                ///< green open actions (not listed, counted)
};

/// Builds the pack. `inheritedActionIds`: actions moved to the group from a superseded one (from the
/// audit trail). Throws NotFoundError if no group has that name.
MeetingPack buildMeetingPack(const FollowUpReport& report, const domain::GroupChart& chart,
                             const std::string& groupName, const std::vector<domain::RevisionRequest>& pending,
                             const std::vector<domain::Action>& actions, const std::vector<domain::Person>& people,
                             const std::set<domain::Id>& inheritedActionIds);

/// Loads what the pack needs through one session (read only) and builds it: the follow-up report as of
/// `date`, the group chart, pending requests, and the actions moved by supersessions (the audit trail's
/// "reassign" events). Used by `govtrack report meeting-pack` and GET /api/v1/groups/{name}/meeting-pack.
/// With `pastCutoffUtc` (the end of `date` in UTC, for a date before today) everything is rebuilt from the
/// audit trail as it stood then: the plan, the groups and the pending requests.
MeetingPack meetingPackFor(domain::StoreSession& session, const std::string& groupName, domain::Date date,
                           const std::optional<std::string>& pastCutoffUtc = std::nullopt);

std::string renderMeetingPackJson(const MeetingPack& pack);
/// Printable HTML: counts first, then each exception list; no scripts, all text escaped.
std::string renderMeetingPackHtml(const MeetingPack& pack);

}  // namespace govtrack::reports
