
#include <iomanip>
#include <sstream>

#include "govtrack/interchange/Csv.h"
#include "govtrack/reports/FollowUpReport.h"
#include "govtrack/reports/Spreadsheet.h"

#include "Html.h"
#include "JsonWriter.h"

namespace govtrack::reports {

namespace d = govtrack::domain;

namespace {

std::string displayOrDash(const std::optional<d::TargetDate>& t) {
    return t ? t->display() : std::string("-");
}

std::string joinOwners(const std::vector<std::string>& owners, const char* sep) {
    std::string out;
    for (const auto& o : owners) {
        if (!out.empty()) out += sep;
        out += o;
    }
    return out;
}

/// Display width in a terminal: UTF-8 code points (continuation bytes do not count).
std::size_t displayWidth(const std::string& s) {
    std::size_t n = 0;
    for (unsigned char c : s) {
        if ((c & 0xC0) != 0x80) ++n;
    }
    return n;
}

/// Cuts to at most `width` code points, marking a cut with "…".
std::string truncate(const std::string& s, std::size_t width) {
    if (displayWidth(s) <= width) return s;
    std::string out;
    std::size_t n = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if ((c & 0xC0) != 0x80) {
            if (n == width - 1) break;
            ++n;
        }
        out += s[i];
    }
    return out + "…";
}

/// truncate(), then padded with spaces to exactly `width` code points (a table column).
std::string fit(const std::string& s, std::size_t width) {
    std::string out = truncate(s, width);
    return out + std::string(width - displayWidth(out), ' ');
}

std::string humanStatus(std::string_view s) {
    std::string out(s);
    for (auto& c : out) {
        if (c == '_') c = ' ';
    }
    return out;
}

/// "partially_accepted" -> "Partially accepted".
std::string label(std::string_view name) {
    std::string out = humanStatus(name);
    if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 'a' + 'A');
    return out;
}

std::string days(int n) {
    return std::to_string(n) + (n == 1 ? " day" : " days");
}

std::string percentText(double p) {
    std::ostringstream o;
    o << std::fixed << std::setprecision(1) << p;
    return o.str();
}

}  // namespace

std::string renderJson(const FollowUpReport& report) {
    std::string out;
    out.reserve(1024 + report.recommendations.size() * 2048);
    JsonWriter w(out);
    auto date = [&](std::string_view name, const std::optional<d::TargetDate>& t) {
        if (t)
            w.field(name, t->iso());
        else
            w.nullField(name);
    };
    auto display = [&](std::string_view name, const std::optional<d::TargetDate>& t) {
        if (t)
            w.field(name, t->display());
        else
            w.nullField(name);
    };
    auto counts = [&](std::string_view name, const auto& map) {
        w.key(name);
        w.beginObject();
        for (const auto& [k, n] : map) w.field(d::toString(k), n);
        w.endObject();
    };
    w.beginObject();
    w.field("report", "follow_up");
    w.field("as_of", d::formatIso(report.asOf));
    if (report.engagementFilter)
        w.field("engagement", *report.engagementFilter);
    else
        w.nullField("engagement");
    w.key("recommendations");
    w.beginArray();
    for (const auto& r : report.recommendations) {
        w.beginObject();
        w.field("engagement", r.engagement);
        w.field("engagement_title", r.engagementTitle);
        w.field("number", r.number);
        w.field("title", r.title);
        w.field("priority", d::toString(r.priority));
        w.field("management_response", d::toString(r.managementResponse));
        w.field("status", d::toString(r.status));
        w.stringArray("owners", r.owners);
        date("target_date", r.targetDate);
        display("target_date_display", r.targetDate);
        date("current_target_date", r.currentTargetDate);
        display("current_target_date_display", r.currentTargetDate);
        w.field("revisions", r.revisions);
        w.field("days_overdue", r.daysOverdue);
        w.key("actions");
        w.beginArray();
        for (const auto& a : r.actions) {
            w.beginObject();
            w.field("number", a.number);
            w.field("description", a.description);
            if (a.leadOwner.empty())
                w.nullField("lead_owner");
            else
                w.field("lead_owner", a.leadOwner);
            w.stringArray("co_owners", a.coOwners);
            if (a.unit.empty())
                w.nullField("unit");
            else
                w.field("unit", a.unit);
            date("target_date", a.targetDate);
            display("target_date_display", a.targetDate);
            date("current_target_date", a.currentTargetDate);
            display("current_target_date_display", a.currentTargetDate);
            w.field("revisions", a.revisions);
            w.field("total_slip_days", a.totalSlipDays);
            w.field("status", d::toString(a.status));
            w.field("rag", d::toString(a.rag));
            w.field("overdue", a.overdue);
            w.field("days_overdue", a.daysOverdue);
            w.field("auditor_assessment", a.auditorAssessment);
            w.key("revised_target_dates");
            w.beginArray();
            for (const auto& rev : a.revisionHistory) {
                w.beginObject();
                w.field("date", rev.newDate.iso());
                w.field("approved_by", rev.approvedBy);
                if (rev.decisionDate)
                    w.field("decision_date", d::formatIso(*rev.decisionDate));
                else
                    w.nullField("decision_date");
                w.field("reason", rev.reason);
                w.endObject();
            }
            w.endArray();
            if (a.lastUpdate) {
                w.key("last_update");
                w.beginObject();
                w.field("date", d::formatIso(a.lastUpdate->date));
                w.field("text", a.lastUpdate->text);
                if (a.lastUpdate->percent)
                    w.field("percent", *a.lastUpdate->percent);
                else
                    w.nullField("percent");
                w.endObject();
            } else {
                w.nullField("last_update");
            }
            w.endObject();
        }
        w.endArray();
        w.endObject();
    }
    w.endArray();
    const Totals& t = report.totals;
    w.key("totals");
    w.beginObject();
    w.field("recommendations", t.recommendations);
    w.field("actions", t.actions);
    counts("by_priority", t.byPriority);
    counts("by_status", t.byStatus);
    w.key("by_status_priority");
    w.beginObject();
    for (const auto& [s, row] : t.byStatusAndPriority) counts(d::toString(s), row);
    w.endObject();
    w.field("implemented_percent", t.implementedPercent);
    w.key("overdue");
    w.beginObject();
    w.field("actions", t.overdue.actions);
    w.field("recommendations", t.overdue.recommendations);
    w.key("by_owner");
    w.beginObject();
    for (const auto& [owner, n] : t.overdue.byOwner) w.field(owner, n);
    w.endObject();
    w.key("by_unit");
    w.beginObject();
    for (const auto& [unit, n] : t.overdue.byUnit) w.field(unit, n);
    w.endObject();
    w.endObject();
    w.endObject();
    w.endObject();
    out += '\n';
    return out;
}

Table followUpTable(const FollowUpReport& report) {
    Table table;
    table.sheetName = "Follow-up";
    table.header = {"Engagement",
                    "Recommendation",
                    "Title",
                    "Priority",
                    "Management response",
                    "Recommendation status",
                    "Action",
                    "Action description",
                    "Lead owner",
                    "Co-owners",
                    "Unit",
                    "Original target date",
                    "Current target date",
                    "Revisions",
                    "Total slip days",
                    "Action status",
                    "RAG",
                    "Days overdue",
                    "Last update date",
                    "Last update",
                    "Percent complete",
                    "Auditor assessment"};
    table.numericColumns = {1, 6, 13, 14, 17, 20};
    auto dateCell = [](const std::optional<d::TargetDate>& t) { return t ? t->display() : std::string(); };
    for (const auto& r : report.recommendations) {
        const std::vector<std::string> recCells = {r.engagement,
                                                   std::to_string(r.number),
                                                   r.title,
                                                   label(d::toString(r.priority)),
                                                   label(d::toString(r.managementResponse)),
                                                   label(d::toString(r.status))};
        if (r.actions.empty()) {
            auto cells = recCells;
            cells.resize(22);
            cells[8] = joinOwners(r.owners, "; ");
            table.rows.push_back(std::move(cells));
            continue;
        }
        for (const auto& a : r.actions) {
            auto cells = recCells;
            const auto& u = a.lastUpdate;
            cells.insert(cells.end(),
                         {std::to_string(a.number), a.description, a.leadOwner, joinOwners(a.coOwners, "; "), a.unit,
                          dateCell(a.targetDate), dateCell(a.currentTargetDate), std::to_string(a.revisions),
                          std::to_string(a.totalSlipDays), label(d::toString(a.status)), label(d::toString(a.rag)),
                          std::to_string(a.daysOverdue), u ? d::formatUk(u->date) : "", u ? u->text : "",
                          u && u->percent ? std::to_string(*u->percent) : "", a.auditorAssessment});
            table.rows.push_back(std::move(cells));
        }
    }
    return table;
}

std::string renderCsv(const FollowUpReport& report, bool withBom) {
    return renderTableCsv(followUpTable(report), withBom);
}

std::string renderXlsx(const FollowUpReport& report) {
    return renderTableXlsx(followUpTable(report));
}

std::string renderHtml(const FollowUpReport& report) {
    std::ostringstream o;
    const std::string scope =
        report.engagementFilter ? "engagement " + *report.engagementFilter : std::string("all engagements");
    o << "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n"
      << "<title>Follow-up report — " << htmlEscape(scope) << " — as of " << d::formatUk(report.asOf) << "</title>\n"
      << "<style>\n"
         "body{font-family:system-ui,sans-serif;margin:2em;color:#111}\n"
         "table{border-collapse:collapse;width:100%;margin:1em 0;font-size:.9em}\n"
         "th,td{border:1px solid #999;padding:.3em .5em;text-align:left;vertical-align:top}\n"
         "th{background:#eee}\n"
         ".rag-red{background:#f4c7c3}.rag-amber{background:#fce8b2}.rag-green{background:#d9ead3}\n"
         ".rag-complete{background:#fff;color:#555}\n"
         "@media print{body{margin:0}h1{font-size:14pt}table{font-size:8pt}tr{page-break-inside:avoid}"
         "thead{display:table-header-group}}\n"
         "</style>\n</head>\n<body>\n";
    o << "<h1>Follow-up report</h1>\n<p>Scope: " << htmlEscape(scope) << ". Position as of " << d::formatUk(report.asOf)
      << ". Overdue means open and past the current target date.</p>\n";
    o << "<table>\n<thead><tr><th scope=\"col\">Engagement</th><th scope=\"col\">Rec</th><th scope=\"col\">Title</th>"
         "<th scope=\"col\">Priority</th><th scope=\"col\">Response</th><th scope=\"col\">Status</th>"
         "<th scope=\"col\">Action</th><th scope=\"col\">Owners</th><th scope=\"col\">Original target</th>"
         "<th scope=\"col\">Current target</th><th scope=\"col\">Revisions</th><th scope=\"col\">Action status</th>"
         "<th scope=\"col\">Days overdue</th><th scope=\"col\">Last update</th><th scope=\"col\">Auditor "
         "assessment</th>"
         "</tr></thead>\n<tbody>\n";
    for (const auto& r : report.recommendations) {
        const auto recCells = [&] {
            std::ostringstream c;
            c << "<td>" << htmlEscape(r.engagement) << "</td><td>" << r.number << "</td><td>" << htmlEscape(r.title)
              << "</td><td>" << humanStatus(d::toString(r.priority)) << "</td><td>"
              << humanStatus(d::toString(r.managementResponse)) << "</td><td>" << humanStatus(d::toString(r.status))
              << "</td>";
            return c.str();
        }();
        if (r.actions.empty()) {
            o << "<tr>" << recCells << "<td colspan=\"9\">No action recorded</td></tr>\n";
            continue;
        }
        for (const auto& a : r.actions) {
            std::vector<std::string> owners{a.leadOwner};
            owners.insert(owners.end(), a.coOwners.begin(), a.coOwners.end());
            o << "<tr class=\"rag-" << d::toString(a.rag) << "\">" << recCells << "<td>" << a.number << ". "
              << htmlEscape(a.description) << "</td><td>" << htmlEscape(joinOwners(owners, "; ")) << "</td><td>"
              << htmlEscape(displayOrDash(a.targetDate)) << "</td><td>"
              << htmlEscape(displayOrDash(a.currentTargetDate)) << "</td><td>" << a.revisions << "</td><td>"
              << humanStatus(d::toString(a.status)) << " (" << d::toString(a.rag) << ")</td><td>" << a.daysOverdue
              << "</td><td>"
              << (a.lastUpdate ? htmlEscape(d::formatUk(a.lastUpdate->date) + ": " + a.lastUpdate->text)
                               : std::string("-"))
              << "</td><td>" << htmlEscape(a.auditorAssessment) << "</td></tr>\n";
        }
    }
    o << "</tbody>\n</table>\n";
    const Totals& t = report.totals;
    o << "<h2>Totals</h2>\n<table>\n<thead><tr><th scope=\"col\">Status</th><th scope=\"col\">High</th>"
         "<th scope=\"col\">Medium</th><th scope=\"col\">Low</th><th scope=\"col\">All</th></tr></thead>\n<tbody>\n";
    for (const auto& [s, row] : t.byStatusAndPriority) {
        o << "<tr><th scope=\"row\">" << humanStatus(d::toString(s)) << "</th>";
        for (const auto& [p, n] : row) o << "<td>" << n << "</td>";
        o << "<td>" << t.byStatus.at(s) << "</td></tr>\n";
    }
    o << "<tr><th scope=\"row\">All</th>";
    for (const auto& [p, n] : t.byPriority) o << "<td>" << n << "</td>";
    o << "<td>" << t.recommendations << "</td></tr>\n</tbody>\n</table>\n";
    o << "<p>Implemented: " << percentText(t.implementedPercent) << "% of " << t.recommendations
      << " recommendations. Overdue actions: " << t.overdue.actions << ".</p>\n";
    if (!t.overdue.byOwner.empty()) {
        o << "<h2>Overdue by owner</h2>\n<ul>\n";
        for (const auto& [owner, n] : t.overdue.byOwner) o << "<li>" << htmlEscape(owner) << ": " << n << "</li>\n";
        o << "</ul>\n<h2>Overdue by unit</h2>\n<ul>\n";
        for (const auto& [unit, n] : t.overdue.byUnit) o << "<li>" << htmlEscape(unit) << ": " << n << "</li>\n";
        o << "</ul>\n";
    }
    o << "</body>\n</html>\n";
    return o.str();
}

std::string renderTable(const FollowUpReport& report) {
    std::ostringstream o;
    o << "Follow-up report — "
      << (report.engagementFilter ? "engagement " + *report.engagementFilter : std::string("all engagements"))
      << " — as of " << d::formatUk(report.asOf) << "\n\n";
    const std::string rule(118, '-');
    o << fit("Engagement", 16) << " " << fit("Rec", 3) << " " << fit("Title", 26) << " " << fit("Priority", 8) << " "
      << fit("Response", 18) << " " << fit("Status", 21) << " " << fit("Target", 10) << " " << fit("Current", 10) << " "
      << fit("Rev", 3) << " Overdue\n"
      << rule << "\n";
    for (const auto& r : report.recommendations) {
        o << fit(r.engagement, 16) << " " << fit(std::to_string(r.number), 3) << " " << fit(r.title, 26) << " "
          << fit(humanStatus(d::toString(r.priority)), 8) << " "
          << fit(humanStatus(d::toString(r.managementResponse)), 18) << " "
          << fit(humanStatus(d::toString(r.status)), 21) << " " << fit(displayOrDash(r.targetDate), 10) << " "
          << fit(displayOrDash(r.currentTargetDate), 10) << " " << fit(std::to_string(r.revisions), 3) << " "
          << (r.daysOverdue > 0 ? days(r.daysOverdue) : std::string("-")) << "\n";
        for (const auto& a : r.actions) {
            std::vector<std::string> owners{a.leadOwner};
            owners.insert(owners.end(), a.coOwners.begin(), a.coOwners.end());
            o << "    action " << r.number << "." << a.number << "  " << humanStatus(d::toString(a.status)) << " ["
              << d::toString(a.rag) << "]";
            if (a.currentTargetDate && d::isOpen(a.status)) o << "  due " << a.currentTargetDate->display();
            if (a.daysOverdue > 0) o << ", " << days(a.daysOverdue) << " overdue";
            o << "  owners: " << joinOwners(owners, "; ") << "\n";
            for (const auto& rev : a.revisionHistory) {
                o << "      revised to " << rev.newDate.display() << " by " << rev.approvedBy;
                if (rev.decisionDate) o << " on " << d::formatUk(*rev.decisionDate);
                o << "\n";
            }
            if (a.lastUpdate) {
                o << "      last update " << d::formatUk(a.lastUpdate->date) << ": " << truncate(a.lastUpdate->text, 90)
                  << "\n";
            }
        }
    }
    const Totals& t = report.totals;
    o << rule << "\n"
      << "Recommendations: " << t.recommendations << " (high " << t.byPriority.at(d::Priority::kHigh) << ", medium "
      << t.byPriority.at(d::Priority::kMedium) << ", low " << t.byPriority.at(d::Priority::kLow) << ")\n";
    if (t.recommendations == 0) {
        o << "No recommendations match.\n";
        return o.str();
    }
    std::string byStatus;
    for (const auto& [s, n] : t.byStatus) {
        if (n > 0) byStatus += (byStatus.empty() ? "" : "; ") + humanStatus(d::toString(s)) + " " + std::to_string(n);
    }
    o << "By status: " << byStatus << "\n"
      << "Implemented: " << percentText(t.implementedPercent) << "%   Overdue actions: " << t.overdue.actions << " (in "
      << t.overdue.recommendations << (t.overdue.recommendations == 1 ? " recommendation)" : " recommendations)")
      << "\n";
    if (!t.overdue.byOwner.empty()) {
        o << "Overdue actions by owner (lead or co-owner):\n";
        for (const auto& [owner, n] : t.overdue.byOwner) o << "  " << owner << ": " << n << "\n";
        o << "Overdue actions by unit (lead owner's):\n";
        for (const auto& [unit, n] : t.overdue.byUnit) o << "  " << unit << ": " << n << "\n";
    }
    return o.str();
}

}  // namespace govtrack::reports
