#include "govtrack/reports/FollowUpCompare.h"

#include <algorithm>
#include <iomanip>
#include <map>
#include <sstream>
#include <tuple>

#include <nlohmann/json.hpp>

namespace govtrack::reports {

namespace d = govtrack::domain;
using nlohmann::json;

namespace {

std::string dateText(const std::optional<d::TargetDate>& t) {
    return t ? t->iso() : std::string("none");
}

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : "; ") + i;
    return out;
}

std::string actionOwners(const ActionRow& a) {
    std::vector<std::string> all;
    if (!a.leadOwner.empty()) all.push_back(a.leadOwner);
    all.insert(all.end(), a.coOwners.begin(), a.coOwners.end());
    return join(all);
}

using Key = std::tuple<std::string, int>;

}  // namespace

std::vector<FollowUpChange> compareFollowUp(const FollowUpReport& from, const FollowUpReport& to) {
    std::vector<FollowUpChange> out;
    std::map<Key, const RecommendationRow*> earlier;
    for (const auto& r : from.recommendations) earlier[{r.engagement, r.number}] = &r;
    auto add = [&](const RecommendationRow& r, std::optional<int> action, std::string field, std::string a,
                   std::string b) {
        if (a != b) out.push_back({r.engagement, r.number, action, std::move(field), std::move(a), std::move(b)});
    };
    for (const auto& r : to.recommendations) {
        auto it = earlier.find({r.engagement, r.number});
        if (it == earlier.end()) {
            out.push_back({r.engagement, r.number, std::nullopt, "added", "", r.title});
            continue;
        }
        const RecommendationRow& was = *it->second;
        earlier.erase(it);
        add(r, std::nullopt, "status", std::string(d::toString(was.status)), std::string(d::toString(r.status)));
        add(r, std::nullopt, "current_target_date", dateText(was.currentTargetDate), dateText(r.currentTargetDate));
        add(r, std::nullopt, "revisions", std::to_string(was.revisions), std::to_string(r.revisions));
        add(r, std::nullopt, "owners", join(was.owners), join(r.owners));
        std::map<int, const ActionRow*> wasActions;
        for (const auto& a : was.actions) wasActions[a.number] = &a;
        for (const auto& a : r.actions) {
            auto at = wasActions.find(a.number);
            if (at == wasActions.end()) {
                out.push_back({r.engagement, r.number, a.number, "added", "", a.description});
                continue;
            }
            const ActionRow& old = *at->second;
            wasActions.erase(at);
            add(r, a.number, "status", std::string(d::toString(old.status)), std::string(d::toString(a.status)));
            add(r, a.number, "current_target_date", dateText(old.currentTargetDate), dateText(a.currentTargetDate));
            add(r, a.number, "revisions", std::to_string(old.revisions), std::to_string(a.revisions));
            add(r, a.number, "owners", actionOwners(old), actionOwners(a));
        }
        for (const auto& [number, old] : wasActions)
            out.push_back({r.engagement, r.number, number, "removed", old->description, ""});
    }
    for (const auto& [key, was] : earlier)
        out.push_back({was->engagement, was->number, std::nullopt, "removed", was->title, ""});
    return out;
}

std::string renderCompareJson(const FollowUpReport& from, const FollowUpReport& to,
                              const std::vector<FollowUpChange>& changes) {
    json list = json::array();
    for (const auto& c : changes) {
        list.push_back({{"engagement", c.engagement},
                        {"recommendation", c.recommendation},
                        {"action", c.action ? json(*c.action) : json(nullptr)},
                        {"field", c.field},
                        {"from", c.from},
                        {"to", c.to}});
    }
    json out = {{"from", json::parse(renderJson(from))}, {"to", json::parse(renderJson(to))}, {"changes", list}};
    return out.dump(2) + "\n";
}

std::string renderCompareTable(const FollowUpReport& from, const FollowUpReport& to,
                               const std::vector<FollowUpChange>& changes) {
    std::ostringstream s;
    const std::string a = d::formatIso(from.asOf), b = d::formatIso(to.asOf);
    s << "Follow-up compared: " << a << " -> " << b;
    if (to.engagementFilter) s << " (" << *to.engagementFilter << ")";
    s << "\n\n";
    s << std::left << std::setw(28) << "" << std::setw(14) << a << b << "\n";
    auto row = [&](const std::string& name, const std::string& x, const std::string& y) {
        s << std::left << std::setw(28) << name << std::setw(14) << x << y << "\n";
    };
    row("recommendations", std::to_string(from.totals.recommendations), std::to_string(to.totals.recommendations));
    row("actions", std::to_string(from.totals.actions), std::to_string(to.totals.actions));
    for (const auto& [status, n] : to.totals.byStatus) {
        const auto it = from.totals.byStatus.find(status);
        row("  " + std::string(d::toString(status)), std::to_string(it == from.totals.byStatus.end() ? 0 : it->second),
            std::to_string(n));
    }
    auto pct = [](double p) {
        std::ostringstream o;
        o << std::fixed << std::setprecision(1) << p << "%";
        return o.str();
    };
    row("implemented", pct(from.totals.implementedPercent), pct(to.totals.implementedPercent));
    row("overdue actions", std::to_string(from.totals.overdue.actions), std::to_string(to.totals.overdue.actions));
    s << "\nChanges (" << changes.size() << "):\n";
    if (changes.empty()) s << "  none\n";
    for (const auto& c : changes) {
        s << "  " << c.engagement << " rec " << c.recommendation;
        if (c.action) s << " action " << c.recommendation << "." << *c.action;
        if (c.field == "added")
            s << ": added (" << c.to << ")\n";
        else if (c.field == "removed")
            s << ": not present on " << b << " (" << c.from << ")\n";
        else
            s << ": " << c.field << " " << (c.from.empty() ? "-" : c.from) << " -> " << (c.to.empty() ? "-" : c.to)
              << "\n";
    }
    return s.str();
}

}  // namespace govtrack::reports
