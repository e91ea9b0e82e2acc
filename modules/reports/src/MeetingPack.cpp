#include "govtrack/reports/MeetingPack.h"

#include <algorithm>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "govtrack/domain/AsOf.h"
#include "govtrack/domain/Error.h"

#include "Html.h"

namespace govtrack::reports {

namespace d = govtrack::domain;
using nlohmann::json;

namespace {

std::string label(std::string_view name) {
    std::string out(name);
    for (auto& c : out) {
        if (c == '_') c = ' ';
    }
    return out;
}

}  // namespace

MeetingPack buildMeetingPack(const FollowUpReport& report, const d::GroupChart& chart, const std::string& groupName,
                             const std::vector<d::RevisionRequest>& pending, const std::vector<d::Action>& actions,
                             const std::vector<d::Person>& people, const std::set<d::Id>& inheritedActionIds) {
    const d::GovernanceGroup* found = chart.findByName(groupName);
    if (!found) throw d::NotFoundError("no governance group is called '" + groupName + "'");
    const d::GovernanceGroup& group = chart.current(*found);

    MeetingPack pack;
    pack.group = group.name;
    pack.date = report.asOf;
    if (group.id != found->id) {
        pack.note = found->name + " was superseded" +
                    (found->effectiveTo ? " (in force until " + found->effectiveTo->display() + ")" : std::string()) +
                    "; this is the pack of " + group.name + ", which took over its items";
    }

    // The remit: the group and every group that reports to it, directly or not, with their predecessors.
    std::map<d::Id, std::string> remit;  // group id -> name
    for (const auto& g : chart.groups()) {
        const auto chain = chart.chainFrom(g.id);
        if (std::any_of(chain.begin(), chain.end(), [&](const d::GovernanceGroup* c) { return c->id == group.id; })) {
            remit[g.id] = g.name;
            if (chart.current(g).id != group.id && g.id != group.id && !g.supersededById)
                pack.subgroups.push_back(g.name);
            if (g.supersededById && chart.current(g).id == group.id) {
                pack.predecessors.push_back(g.name +
                                            (g.effectiveTo ? " (until " + g.effectiveTo->display() + ")" : ""));
            }
        }
    }

    for (const auto& rec : report.recommendations) {
        for (const auto& action : rec.actions) {
            if (!action.responsibleGroupId || !remit.count(*action.responsibleGroupId)) continue;
            if (!d::isOpen(action.status)) continue;
            ++pack.openActions;
            PackItem item{rec.engagement, rec.number, rec.title,
                          rec.priority,   action,     remit[*action.responsibleGroupId]};
            if (action.rag == d::Rag::kRed)
                pack.overdue.push_back(item);
            else if (action.rag == d::Rag::kAmber)
                pack.dueSoon.push_back(item);
            else
                ++pack.onTrack;
            if (inheritedActionIds.count(action.id)) pack.inherited.push_back(item);
        }
    }
    std::stable_sort(pack.overdue.begin(), pack.overdue.end(),
                     [](const PackItem& a, const PackItem& b) { return a.action.daysOverdue > b.action.daysOverdue; });
    std::stable_sort(pack.dueSoon.begin(), pack.dueSoon.end(), [](const PackItem& a, const PackItem& b) {
        const auto da = a.action.currentTargetDate, db = b.action.currentTargetDate;
        if (!da || !db) return static_cast<bool>(da);
        return std::chrono::sys_days{da->date} < std::chrono::sys_days{db->date};
    });

    std::map<d::Id, const d::Action*> actionById;
    for (const auto& a : actions) actionById[a.id] = &a;
    std::map<d::Id, std::pair<const RecommendationRow*, const ActionRow*>> rowById;
    for (const auto& rec : report.recommendations) {
        for (const auto& a : rec.actions) rowById[a.id] = {&rec, &a};
    }
    std::map<d::Id, std::string> titles;
    for (const auto& p : people) titles[p.id] = p.roleTitle;

    for (const auto& request : pending) {
        if (!request.routedToGroupId) continue;
        const d::GovernanceGroup* routed = chart.find(*request.routedToGroupId);
        if (!routed) continue;
        const auto row = rowById.find(request.actionId);
        const auto action = actionById.find(request.actionId);
        if (row == rowById.end() || action == actionById.end()) continue;
        const bool routedHere = chart.current(*routed).id == group.id;
        const bool inRemit = action->second->responsibleGroupId && remit.count(*action->second->responsibleGroupId);
        if (!routedHere && !inRemit) continue;
        PackDecision decision;
        decision.request = request;
        decision.action = row->second.first->engagement + " " + std::to_string(row->second.first->number) + "." +
                          std::to_string(row->second.second->number);
        decision.actionDescription = row->second.second->description;
        decision.priority = row->second.first->priority;
        decision.totalSlipDays =
            action->second->originalTargetDate
                ? d::daysBetween(action->second->originalTargetDate->date, request.requestedDate.date)
                : 0;
        if (request.requestedById) decision.requestedBy = titles[*request.requestedById];
        if (!routedHere) {
            // One of its actions, waiting for a group higher up: the committee sees where it went.
            decision.escalateTo = chart.current(*routed).name;
            pack.decisionsToEscalate.push_back(decision);
        } else if (d::GroupChart::coveringPower(group, d::PowerKind::kApproveRevisedDate, decision.priority,
                                                decision.totalSlipDays)) {
            pack.decisionsToTake.push_back(decision);
        } else {
            const d::GovernanceGroup* up = group.parentId
                                               ? chart.route(*group.parentId, d::PowerKind::kApproveRevisedDate,
                                                             decision.priority, decision.totalSlipDays)
                                               : nullptr;
            decision.escalateTo = up ? up->name : "";
            pack.decisionsToEscalate.push_back(decision);
        }
    }
    return pack;
}

MeetingPack meetingPackFor(d::StoreSession& session, const std::string& groupName, d::Date date,
                           const std::optional<std::string>& pastCutoffUtc) {
    std::set<d::Id> inherited;
    for (std::int64_t from = 1;;) {
        const auto page = session.events().list(from, 5000);
        for (const auto& e : page) {
            if (pastCutoffUtc && !(e.at < *pastCutoffUtc)) continue;
            if (e.entityType == "action" && e.change == "reassign") inherited.insert(e.entityId);
        }
        if (page.size() < 5000) break;
        from = page.back().seq + 1;
    }
    if (pastCutoffUtc) {
        const auto snapshot = d::loadActionPlanAsOf(session.events(), *pastCutoffUtc, date, {});
        const auto governance = d::loadGovernanceAsOf(session.events(), *pastCutoffUtc);
        return buildMeetingPack(buildFollowUpReport(snapshot, date), d::GroupChart(governance.groups), groupName,
                                governance.pending, snapshot.actions, snapshot.people, inherited);
    }
    const auto snapshot = session.loadActionPlan({});
    const auto report = buildFollowUpReport(snapshot, date);
    const d::GroupChart chart(session.groups().list());
    return buildMeetingPack(report, chart, groupName, session.revisionRequests().listPending(std::nullopt),
                            snapshot.actions, snapshot.people, inherited);
}

namespace {

json itemJson(const PackItem& item) {
    const ActionRow& a = item.action;
    std::vector<std::string> owners{a.leadOwner};
    owners.insert(owners.end(), a.coOwners.begin(), a.coOwners.end());
    return {{"action", item.engagement + " " + std::to_string(item.recommendation) + "." + std::to_string(a.number)},
            {"recommendation_title", item.recommendationTitle},
            {"priority", std::string(d::toString(item.priority))},
            {"description", a.description},
            {"owners", owners},
            {"group", item.group},
            {"status", std::string(d::toString(a.status))},
            {"rag", std::string(d::toString(a.rag))},
            {"current_target_date", a.currentTargetDate ? json(a.currentTargetDate->iso()) : json(nullptr)},
            {"days_overdue", a.daysOverdue},
            {"revisions", a.revisions},
            {"last_update",
             a.lastUpdate ? json(d::formatIso(a.lastUpdate->date) + ": " + a.lastUpdate->text) : json(nullptr)}};
}

json decisionJson(const PackDecision& decision) {
    return {{"request_id", decision.request.id},
            {"action", decision.action},
            {"description", decision.actionDescription},
            {"priority", std::string(d::toString(decision.priority))},
            {"requested_date", decision.request.requestedDate.iso()},
            {"total_slip_days", decision.totalSlipDays},
            {"reason", decision.request.reason},
            {"requested_by", decision.requestedBy},
            {"requested_on", d::formatIso(decision.request.requestedOn)},
            {"escalate_to", decision.escalateTo.empty() ? json(nullptr) : json(decision.escalateTo)}};
}

}  // namespace

std::string renderMeetingPackJson(const MeetingPack& pack) {
    json overdue = json::array(), dueSoon = json::array(), take = json::array(), escalate = json::array(),
         inherited = json::array();
    for (const auto& i : pack.overdue) overdue.push_back(itemJson(i));
    for (const auto& i : pack.dueSoon) dueSoon.push_back(itemJson(i));
    for (const auto& i : pack.inherited) inherited.push_back(itemJson(i));
    for (const auto& dcs : pack.decisionsToTake) take.push_back(decisionJson(dcs));
    for (const auto& dcs : pack.decisionsToEscalate) escalate.push_back(decisionJson(dcs));
    const json out = {{"report", "meeting_pack"},
                      {"group", pack.group},
                      {"date", d::formatIso(pack.date)},
                      {"note", pack.note.empty() ? json(nullptr) : json(pack.note)},
                      {"covers", {{"subgroups", pack.subgroups}, {"predecessors", pack.predecessors}}},
                      {"counts",
                       {{"open_actions", pack.openActions},
                        {"overdue", pack.overdue.size()},
                        {"due_soon", pack.dueSoon.size()},
                        {"on_track", pack.onTrack},
                        {"decisions_to_take", pack.decisionsToTake.size()},
                        {"decisions_to_escalate", pack.decisionsToEscalate.size()},
                        {"inherited", pack.inherited.size()}}},
                      {"overdue", overdue},
                      {"due_soon", dueSoon},
                      {"decisions_to_take", take},
                      {"decisions_to_escalate", escalate},
                      {"inherited", inherited}};
    return out.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string renderMeetingPackHtml(const MeetingPack& pack) {
    std::ostringstream o;
    o << "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n<title>Meeting pack — "
      << htmlEscape(pack.group) << " — " << d::formatUk(pack.date) << "</title>\n<style>\n"
      << "body{font-family:system-ui,sans-serif;margin:2em;color:#111;max-width:60em}\n"
         "table{border-collapse:collapse;width:100%;margin:.5em 0 1.5em;font-size:.9em}\n"
         "th,td{border:1px solid #999;padding:.3em .5em;text-align:left;vertical-align:top}th{background:#eee}\n"
         ".counts{display:flex;gap:1em;flex-wrap:wrap;padding:0;list-style:none}\n"
         ".counts li{border:1px solid #999;padding:.4em .8em}.counts strong{font-size:1.4em;display:block}\n"
         "@media print{body{margin:0;font-size:10pt}table{font-size:8.5pt}tr{page-break-inside:avoid}}\n"
      << "</style>\n</head>\n<body>\n";
    o << "<h1>" << htmlEscape(pack.group) << " — meeting pack, " << d::formatUk(pack.date) << "</h1>\n";
    if (!pack.note.empty()) o << "<p><strong>Note:</strong> " << htmlEscape(pack.note) << ".</p>\n";
    if (!pack.subgroups.empty() || !pack.predecessors.empty()) {
        o << "<p>Covers items of ";
        std::string covers;
        for (const auto& s : pack.subgroups) covers += (covers.empty() ? "" : ", ") + htmlEscape(s);
        o << (covers.empty() ? "this group only" : "this group and " + covers);
        if (!pack.predecessors.empty()) {
            std::string pre;
            for (const auto& s : pack.predecessors) pre += (pre.empty() ? "" : ", ") + htmlEscape(s);
            o << "; it replaced " << pre;
        }
        o << ".</p>\n";
    }
    o << "<ul class=\"counts\">"
      << "<li><strong>" << pack.overdue.size() << "</strong>overdue</li>"
      << "<li><strong>" << pack.dueSoon.size() << "</strong>due within 30 days or revised twice</li>"
      << "<li><strong>" << pack.decisionsToTake.size() << "</strong>decisions for this group</li>"
      << "<li><strong>" << pack.decisionsToEscalate.size() << "</strong>to escalate</li>"
      << "<li><strong>" << pack.inherited.size() << "</strong>inherited</li>"
      << "<li><strong>" << pack.onTrack << "</strong>on track (not listed)</li></ul>\n";

    auto items = [&](const char* title, const std::vector<PackItem>& list) {
        o << "<h2>" << title << "</h2>\n";
        if (list.empty()) {
            o << "<p>None.</p>\n";
            return;
        }
        o << "<table><thead><tr><th scope=\"col\">Action</th><th scope=\"col\">What</th><th scope=\"col\">Owners</th>"
             "<th scope=\"col\">Status</th><th scope=\"col\">Due</th><th scope=\"col\">Days overdue</th>"
             "<th scope=\"col\">Revisions</th>"
             "<th scope=\"col\">Last update</th></tr></thead><tbody>\n";
        for (const auto& i : list) {
            const ActionRow& a = i.action;
            std::string owners = a.leadOwner;
            for (const auto& co : a.coOwners) owners += "; " + co;
            o << "<tr><td>" << htmlEscape(i.engagement) << " " << i.recommendation << "." << a.number << " ("
              << label(d::toString(i.priority)) << ")</td><td>" << htmlEscape(a.description) << "</td><td>"
              << htmlEscape(owners) << "</td><td>"
              << (a.status == d::ActionStatus::kImplemented ? std::string("claimed implemented, awaiting audit")
                                                            : label(d::toString(a.status)))
              << "</td><td>" << (a.currentTargetDate ? htmlEscape(a.currentTargetDate->display()) : "-") << "</td><td>"
              << a.daysOverdue << "</td><td>" << a.revisions << "</td><td>"
              << (a.lastUpdate ? htmlEscape(d::formatUk(a.lastUpdate->date) + ": " + a.lastUpdate->text) : "-")
              << "</td></tr>\n";
        }
        o << "</tbody></table>\n";
    };
    auto decisions = [&](const char* title, const std::vector<PackDecision>& list, bool escalate) {
        o << "<h2>" << title << "</h2>\n";
        if (list.empty()) {
            o << "<p>None.</p>\n";
            return;
        }
        o << "<table><thead><tr><th scope=\"col\">Request</th><th scope=\"col\">Action</th>"
             "<th scope=\"col\">New date asked</th><th scope=\"col\">Total slip</th><th scope=\"col\">Reason</th>"
             "<th scope=\"col\">Asked by</th>"
          << (escalate ? "<th scope=\"col\">Decided by</th>" : "") << "</tr></thead><tbody>\n";
        for (const auto& dcs : list) {
            o << "<tr><td><code>" << htmlEscape(dcs.request.id.substr(0, 8)) << "</code></td><td>"
              << htmlEscape(dcs.action) << " (" << label(d::toString(dcs.priority)) << ")</td><td>"
              << htmlEscape(dcs.request.requestedDate.display()) << "</td><td>" << dcs.totalSlipDays << " days</td><td>"
              << htmlEscape(dcs.request.reason) << "</td><td>" << htmlEscape(dcs.requestedBy) << "</td>";
            if (escalate)
                o << "<td>" << (dcs.escalateTo.empty() ? "no group holds the power" : htmlEscape(dcs.escalateTo))
                  << "</td>";
            o << "</tr>\n";
        }
        o << "</tbody></table>\n";
    };
    items("Overdue", pack.overdue);
    decisions("Decisions within this group's authority", pack.decisionsToTake, false);
    decisions("Decisions to escalate", pack.decisionsToEscalate, true);
    items("Due soon or revised twice", pack.dueSoon);
    items("Inherited from a superseded group", pack.inherited);
    o << "</body>\n</html>\n";
    return o.str();
}

}  // namespace govtrack::reports
