#include "govtrack/domain/ICalendar.h"

#include <map>
#include <sstream>

#include "govtrack/domain/Error.h"
#include "govtrack/domain/Outbox.h"
#include "govtrack/domain/Reminders.h"
#include "govtrack/domain/Rules.h"

namespace govtrack::domain {

namespace {

/// RFC 5545 3.3.11: backslash, semicolon, comma and newline are escaped in TEXT values.
std::string escapeText(const std::string& s) {
    std::string out;
    for (char c : s) {
        switch (c) {
            case '\\':
                out += "\\\\";
                break;
            case ';':
                out += "\\;";
                break;
            case ',':
                out += "\\,";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                break;
            default:
                out += c;
        }
    }
    return out;
}

/// RFC 5545 3.1: lines longer than 75 octets are folded (CRLF + one space), never inside a UTF-8 sequence.
void line(std::ostringstream& out, const std::string& content) {
    std::size_t start = 0, width = 75;
    while (content.size() - start > width) {
        std::size_t cut = start + width;
        while (cut > start && (static_cast<unsigned char>(content[cut]) & 0xC0) == 0x80) --cut;
        out << content.substr(start, cut - start) << "\r\n ";
        start = cut;
        width = 74;  // the leading space counts
    }
    out << content.substr(start) << "\r\n";
}

std::string basicDate(Date d) {
    std::string iso = formatIso(d);
    return iso.substr(0, 4) + iso.substr(5, 2) + iso.substr(8, 2);
}

}  // namespace

std::string renderPersonalCalendar(const ActionPlanSnapshot& plan, const Id& personId, std::chrono::sys_seconds now,
                                   const std::string& webBaseUrl) {
    std::string base = webBaseUrl;
    while (!base.empty() && base.back() == '/') base.pop_back();
    std::map<Id, const Engagement*> engagements;
    for (const auto& e : plan.engagements) engagements[e.id] = &e;
    std::map<Id, const Recommendation*> recommendations;
    for (const auto& r : plan.recommendations) recommendations[r.id] = &r;
    std::string stamp = formatUtc(now);  // 2026-01-05T12:00:00Z -> 20260105T120000Z
    std::string dtstamp;
    for (char c : stamp)
        if (c != '-' && c != ':') dtstamp += c;

    std::ostringstream out;
    line(out, "BEGIN:VCALENDAR");
    line(out, "VERSION:2.0");
    line(out, "PRODID:-//govtrack//action due dates//EN");
    line(out, "CALSCALE:GREGORIAN");
    line(out, "METHOD:PUBLISH");
    line(out, "X-WR-CALNAME:govtrack actions");
    for (const auto& a : plan.actions) {
        if (!isOpen(a.status)) continue;
        bool mine = a.leadOwnerId && *a.leadOwnerId == personId;
        for (const auto& co : a.coOwnerIds) mine = mine || co == personId;
        if (!mine) continue;
        const auto due = effectiveDueDate(a);
        if (!due) continue;
        const auto rit = recommendations.find(a.recommendationId);
        if (rit == recommendations.end()) continue;
        const auto eit = engagements.find(rit->second->engagementId);
        const std::string reference = (eit == engagements.end() ? std::string() : eit->second->reference) + "/" +
                                      std::to_string(rit->second->number) + "." + std::to_string(a.number);
        line(out, "BEGIN:VEVENT");
        line(out, "UID:" + a.id + "@govtrack");
        line(out, "DTSTAMP:" + dtstamp);
        line(out, "DTSTART;VALUE=DATE:" + basicDate(due->date));
        line(out, "DTEND;VALUE=DATE:" + basicDate(Date{std::chrono::sys_days{due->date} + std::chrono::days{1}}));
        line(out, "SUMMARY:" + escapeText(reference + " " + rit->second->title + ": " + a.description));
        line(out, "DESCRIPTION:" + escapeText("Status: " + std::string(toString(a.status)) +
                                              ". Priority: " + std::string(toString(rit->second->priority)) + "."));
        line(out, "URL:" + actionPageUrl(base, a.id));
        line(out, "TRANSP:TRANSPARENT");
        line(out, "END:VEVENT");
    }
    line(out, "END:VCALENDAR");
    return out.str();
}

std::optional<std::string> calendarForToken(StoreSession& session, Hasher& hasher, const std::string& token,
                                            std::chrono::sys_seconds now, const std::string& webBaseUrl) {
    if (token.size() != 64) return std::nullopt;
    const auto person = session.reminders().feedTokenOwner(hasher.sha256Hex(token));
    if (!person) return std::nullopt;
    ActionPlanFilter filter;
    filter.includeTexts = false;
    return renderPersonalCalendar(session.loadActionPlan(filter), *person, now, webBaseUrl);
}

std::string issueFeedToken(StoreSession& session, Hasher& hasher, const Id& personId, const std::string& randomBytes,
                           std::chrono::sys_seconds now, bool revokeOthers) {
    static const char* kHex = "0123456789abcdef";
    if (randomBytes.size() < 32) throw Error(ErrorCode::kInternal, "not enough random bytes for a feed token");
    std::string token;
    for (std::size_t i = 0; i < 32; ++i) {
        const auto b = static_cast<unsigned char>(randomBytes[i]);
        token += kHex[b >> 4];
        token += kHex[b & 15];
    }
    session.transaction([&] {
        if (revokeOthers) session.reminders().revokeFeedTokens(personId, formatUtc(now));
        session.reminders().addFeedToken(FeedToken{hasher.sha256Hex(token), personId, formatUtc(now), std::nullopt});
    });
    return token;
}

}  // namespace govtrack::domain
