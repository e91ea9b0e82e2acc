#include "govtrack/domain/AuditCodec.h"

#include <algorithm>
#include <charconv>
#include <deque>
#include <map>
#include <string_view>

#include "govtrack/domain/Error.h"

/// The canonical form (AuditCodec.h): "key=value\n" per field, in the fixed order written below. An absent
/// optional has no line; a list is a count line "key=N" followed by "key.0=...", "key.1=..." (or, for a
/// list of records, "key.0.field=..."). Values escape backslash as "\\", newline as "\n" and carriage
/// return as "\r", so a value never spans lines and the text reads back exactly.
namespace govtrack::domain {

std::string escapeCanonicalValue(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    for (char c : value) {
        switch (c) {
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            default:
                out += c;
        }
    }
    return out;
}

namespace {

[[noreturn]] void unreadable(const std::string& why) {
    throw Error(ErrorCode::kInternal, "an audit event's recorded state cannot be read", {}, "audit codec: " + why);
}

std::string unescape(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    for (std::size_t i = 0; i < value.size(); ++i) {
        if (value[i] != '\\') {
            out += value[i];
            continue;
        }
        if (++i == value.size()) unreadable("dangling escape");
        switch (value[i]) {
            case '\\':
                out += '\\';
                break;
            case 'n':
                out += '\n';
                break;
            case 'r':
                out += '\r';
                break;
            default:
                unreadable(std::string("unknown escape \\") + value[i]);
        }
    }
    return out;
}

/// Builds the canonical text, one field at a time, in the order called.
class Writer {
public:
    void text(std::string_view key, std::string_view value) {
        out_.append(key).append("=").append(escapeCanonicalValue(value)).append("\n");
    }
    void optText(std::string_view key, const std::optional<std::string>& value) {
        if (value) text(key, *value);
    }
    void integer(std::string_view key, std::int64_t value) { text(key, std::to_string(value)); }
    template <typename I>
    void optInteger(std::string_view key, const std::optional<I>& value) {
        if (value) integer(key, *value);
    }
    void boolean(std::string_view key, bool value) { text(key, value ? "true" : "false"); }
    void date(std::string_view key, Date value) { text(key, formatIso(value)); }
    void optDate(std::string_view key, const std::optional<Date>& value) {
        if (value) date(key, *value);
    }
    void targetDate(std::string_view key, const TargetDate& value) { text(key, value.iso()); }
    void optTargetDate(std::string_view key, const std::optional<TargetDate>& value) {
        if (value) targetDate(key, *value);
    }
    template <typename E>
    void enumeration(std::string_view key, E value) {
        text(key, toString(value));
    }
    template <typename E>
    void optEnumeration(std::string_view key, const std::optional<E>& value) {
        if (value) enumeration(key, *value);
    }
    /// "key=N" then each element written by `each(writer, prefix, element)` with prefix "key.i".
    template <typename T, typename F>
    void list(std::string_view key, const std::vector<T>& items, F each) {
        integer(key, static_cast<std::int64_t>(items.size()));
        for (std::size_t i = 0; i < items.size(); ++i)
            each(*this, std::string(key) + "." + std::to_string(i), items[i]);
    }
    void textList(std::string_view key, const std::vector<std::string>& items) {
        list(key, items, [](Writer& w, const std::string& k, const std::string& v) { w.text(k, v); });
    }

    std::string take() { return std::move(out_); }

private:
    std::string out_;
};

/// Reads the canonical text back. A missing key gives the field's default (a state recorded before the
/// field existed); a malformed line or value throws Error(kInternal). The fields are views into `text` (which
/// must outlive the reader) sorted by key, so reading a state allocates only the strings it returns: the
/// dashboard's trend decodes hundreds of thousands of them.
class Reader {
public:
    Reader(const std::string& text, const char* entity) : entity_(entity) {
        std::size_t start = 0;
        while (start < text.size()) {
            std::size_t end = text.find('\n', start);
            if (end == std::string::npos) unreadable(std::string(entity_) + ": last line has no newline");
            const std::string_view line(text.data() + start, end - start);
            const auto eq = line.find('=');
            if (eq == std::string_view::npos || eq == 0) unreadable(std::string(entity_) + ": line without key");
            std::string_view value = line.substr(eq + 1);
            if (value.find('\\') != std::string_view::npos) {
                unescaped_.push_back(unescape(value));  // a deque: earlier elements stay where they are
                value = unescaped_.back();
            }
            fields_.emplace_back(line.substr(0, eq), value);
            start = end + 1;
        }
        std::sort(fields_.begin(), fields_.end(), [](const Field& a, const Field& b) { return a.first < b.first; });
        for (std::size_t i = 1; i < fields_.size(); ++i) {
            if (fields_[i - 1].first == fields_[i].first)
                unreadable(std::string(entity_) + ": key '" + std::string(fields_[i].first) + "' repeated");
        }
        if (!has("id")) unreadable(std::string(entity_) + ": no id");
    }

    bool has(const std::string& key) const { return find(key) != nullptr; }
    std::string text(const std::string& key) const {
        const auto* v = find(key);
        return v ? std::string(*v) : std::string();
    }
    std::optional<std::string> optText(const std::string& key) const {
        const auto* v = find(key);
        return v ? std::optional<std::string>(std::string(*v)) : std::nullopt;
    }
    std::int64_t integer(const std::string& key, std::int64_t fallback = 0) const {
        const auto* v = find(key);
        if (!v) return fallback;
        return parseInteger(key, *v);
    }
    std::optional<int> optInt(const std::string& key) const {
        const auto* v = find(key);
        if (!v) return std::nullopt;
        return static_cast<int>(parseInteger(key, *v));
    }
    bool boolean(const std::string& key, bool fallback) const {
        const auto* v = find(key);
        if (!v) return fallback;
        if (*v == "true") return true;
        if (*v == "false") return false;
        bad(key, *v);
    }
    Date date(const std::string& key) const {
        const auto* v = find(key);
        if (!v) return Date{};
        auto d = parseIsoDate(*v);
        if (!d) bad(key, *v);
        return *d;
    }
    std::optional<Date> optDate(const std::string& key) const {
        if (!has(key)) return std::nullopt;
        return date(key);
    }
    TargetDate targetDate(const std::string& key) const {
        const auto* v = find(key);
        if (!v) return TargetDate{};
        auto d = parseTargetDate(*v);
        if (!d || d->iso() != *v) bad(key, *v);
        return *d;
    }
    std::optional<TargetDate> optTargetDate(const std::string& key) const {
        if (!has(key)) return std::nullopt;
        return targetDate(key);
    }
    template <typename E, typename Parse>
    E enumeration(const std::string& key, E fallback, Parse parse) const {
        const auto* v = find(key);
        if (!v) return fallback;
        auto e = parse(*v);
        if (!e) bad(key, *v);
        return *e;
    }
    template <typename E, typename Parse>
    std::optional<E> optEnumeration(const std::string& key, Parse parse) const {
        if (!has(key)) return std::nullopt;
        return enumeration<E>(key, E{}, parse);
    }
    template <typename T, typename F>
    std::vector<T> list(const std::string& key, F each) const {
        const std::int64_t n = integer(key, 0);
        if (n < 0) bad(key, text(key));
        std::vector<T> out;
        for (std::int64_t i = 0; i < n; ++i) out.push_back(each(*this, key + "." + std::to_string(i)));
        return out;
    }
    std::vector<std::string> textList(const std::string& key) const {
        return list<std::string>(key, [](const Reader& r, const std::string& k) {
            if (!r.has(k)) unreadable("list element " + k + " missing");
            return r.text(k);
        });
    }

private:
    using Field = std::pair<std::string_view, std::string_view>;  ///< key, unescaped value

    const std::string_view* find(std::string_view key) const {
        const auto it = std::lower_bound(fields_.begin(), fields_.end(), key,
                                         [](const Field& f, std::string_view k) { return f.first < k; });
        return it != fields_.end() && it->first == key ? &it->second : nullptr;
    }
    std::int64_t parseInteger(const std::string& key, std::string_view value) const {
        std::int64_t v = 0;
        const auto* end = value.data() + value.size();
        auto [ptr, ec] = std::from_chars(value.data(), end, v);
        if (ec != std::errc() || ptr != end || value.empty()) bad(key, value);
        return v;
    }
    [[noreturn]] void bad(const std::string& key, std::string_view value) const {
        unreadable(std::string(entity_) + ": bad value '" + std::string(value) + "' for " + key);
    }

    const char* entity_;
    std::vector<Field> fields_;
    std::deque<std::string> unescaped_;  ///< values that had escapes, unescaped
};

void writeDecision(Writer& w, const std::string& prefix, const GroupDecision& d) {
    w.text(prefix + ".group_id", d.groupId);
    w.optText(prefix + ".decided_by_id", d.decidedById);
    w.date(prefix + ".date", d.date);
    w.enumeration(prefix + ".power", d.power);
    w.text(prefix + ".reference", d.reference);
}

std::optional<GroupDecision> readDecision(const Reader& r, const std::string& prefix) {
    if (!r.has(prefix + ".group_id")) return std::nullopt;
    GroupDecision d;
    d.groupId = r.text(prefix + ".group_id");
    d.decidedById = r.optText(prefix + ".decided_by_id");
    d.date = r.date(prefix + ".date");
    d.power = r.enumeration(prefix + ".power", d.power, parsePowerKind);
    d.reference = r.text(prefix + ".reference");
    return d;
}

}  // namespace

// ---- encode ----

std::string encode(const OrganisationUnit& v) {
    Writer w;
    w.text("id", v.id);
    w.text("name", v.name);
    w.enumeration("kind", v.kind);
    w.optText("parent_id", v.parentId);
    return w.take();
}

std::string encode(const Person& v) {
    Writer w;
    w.text("id", v.id);
    w.text("role_title", v.roleTitle);
    w.text("email", v.email);
    w.optText("unit_id", v.unitId);
    w.optText("line_manager_id", v.lineManagerId);
    w.boolean("active", v.active);
    w.list("roles", v.roles, [](Writer& x, const std::string& k, Role role) { x.enumeration(k, role); });
    return w.take();
}

std::string encode(const GovernanceGroup& v) {
    Writer w;
    w.text("id", v.id);
    w.text("name", v.name);
    w.enumeration("kind", v.kind);
    w.optText("parent_id", v.parentId);
    w.text("purpose", v.purpose);
    w.text("remit", v.remit);
    w.text("meeting_frequency", v.meetingFrequency);
    w.text("quorum", v.quorum);
    w.optTargetDate("effective_from", v.effectiveFrom);
    w.optTargetDate("effective_to", v.effectiveTo);
    w.optText("superseded_by_id", v.supersededById);
    w.list("members", v.members, [](Writer& x, const std::string& k, const GroupMember& m) {
        x.text(k + ".person_id", m.personId);
        x.enumeration(k + ".role", m.role);
    });
    w.list("powers", v.powers, [](Writer& x, const std::string& k, const DelegatedPower& p) {
        x.enumeration(k + ".kind", p.kind);
        x.optEnumeration(k + ".max_priority", p.maxPriority);
        x.optInteger(k + ".max_total_slip_days", p.maxTotalSlipDays);
    });
    return w.take();
}

std::string encode(const Risk& v) {
    Writer w;
    w.text("id", v.id);
    w.text("reference", v.reference);
    w.text("title", v.title);
    w.text("description", v.description);
    w.text("level", v.level);
    w.optText("register_id", v.registerId);
    w.text("cause", v.cause);
    w.text("event", v.event);
    w.text("effect", v.effect);
    w.textList("owner_ids", v.ownerIds);
    w.text("category", v.category);
    auto rating = [&](const std::string& key, const std::optional<RiskRating>& r) {
        if (!r) return;
        w.integer(key + "_likelihood", r->likelihood);
        w.integer(key + "_impact", r->impact);
    };
    rating("inherent", v.inherent);
    rating("current", v.current);
    rating("target", v.target);
    w.text("target_reason", v.targetReason);
    w.textList("controls", v.controls);
    w.textList("linked_recommendations", v.linkedRecommendations);
    w.textList("linked_actions", v.linkedActions);
    w.optDate("last_review", v.lastReview);
    w.optDate("next_review", v.nextReview);
    w.enumeration("status", v.status);
    w.optText("parent_id", v.parentId);
    return w.take();
}

std::string encode(const RiskRegister& v) {
    Writer w;
    w.text("id", v.id);
    w.text("name", v.name);
    w.enumeration("level", v.level);
    w.optText("owner_unit_id", v.ownerUnitId);
    w.optText("owner_group_id", v.ownerGroupId);
    w.integer("escalation_threshold", v.escalationThreshold);
    w.list("tolerances", v.tolerances, [](Writer& x, const std::string& k, const RiskTolerance& t) {
        x.text(k + ".category", t.category);
        x.enumeration(k + ".appetite", t.appetite);
    });
    w.integer("review_frequency_days", v.reviewFrequencyDays);
    return w.take();
}

std::string encode(const Engagement& v) {
    Writer w;
    w.text("id", v.id);
    w.text("reference", v.reference);
    w.text("title", v.title);
    w.text("audit_year", v.auditYear);
    w.text("scope", v.scope);
    w.textList("remit_items", v.remitItems);
    w.textList("key_risks", v.keyRisks);
    w.optTargetDate("fieldwork_start", v.fieldworkStart);
    w.optTargetDate("fieldwork_end", v.fieldworkEnd);
    w.optTargetDate("draft_report_date", v.draftReportDate);
    w.optTargetDate("final_report_date", v.finalReportDate);
    w.optInteger("resource_days", v.resourceDays);
    w.optTargetDate("issue_date", v.issueDate);
    w.optEnumeration("assurance_level", v.assuranceLevel);
    w.enumeration("status", v.status);
    w.optText("follows_up_id", v.followsUpId);
    w.integer("version", v.version);
    return w.take();
}

std::string encode(const Finding& v) {
    Writer w;
    w.text("id", v.id);
    w.text("engagement_id", v.engagementId);
    w.text("number", v.number);
    w.enumeration("kind", v.kind);
    w.text("text", v.text);
    w.optInteger("recommendation_number", v.recommendationNumber);
    return w.take();
}

std::string encode(const Recommendation& v) {
    Writer w;
    w.text("id", v.id);
    w.text("engagement_id", v.engagementId);
    w.integer("number", v.number);
    w.text("title", v.title);
    w.text("issue", v.issue);
    w.text("risk", v.risk);
    w.text("text", v.text);
    w.enumeration("priority", v.priority);
    w.enumeration("management_response", v.managementResponse);
    w.text("response_text", v.responseText);
    w.textList("linked_risk_references", v.linkedRiskReferences);
    w.integer("version", v.version);
    return w.take();
}

std::string encode(const ProgressUpdate& v) {
    Writer w;
    w.text("id", v.id);
    w.text("action_id", v.actionId);
    w.date("date", v.date);
    w.optText("author_id", v.authorId);
    w.text("text", v.text);
    w.optInteger("percent", v.percent);
    return w.take();
}

std::string encode(const Action& v) {
    Writer w;
    w.text("id", v.id);
    w.text("recommendation_id", v.recommendationId);
    w.integer("number", v.number);
    w.text("description", v.description);
    w.optText("lead_owner_id", v.leadOwnerId);
    w.textList("co_owner_ids", v.coOwnerIds);
    w.optTargetDate("original_target_date", v.originalTargetDate);
    w.list("revisions", v.revisions, [](Writer& x, const std::string& k, const RevisedTargetDate& r) {
        x.targetDate(k + ".new_date", r.newDate);
        x.text(k + ".reason", r.reason);
        x.optText(k + ".requested_by_id", r.requestedById);
        x.text(k + ".approved_by", r.approvedBy);
        x.optDate(k + ".decision_date", r.decisionDate);
    });
    w.enumeration("status", v.status);
    w.optEnumeration("pillar", v.pillar);
    w.optEnumeration("line_of_defence", v.lineOfDefence);
    w.text("auditor_assessment", v.auditorAssessment);
    w.optText("responsible_group_id", v.responsibleGroupId);
    w.optText("superseded_by_action_id", v.supersededByActionId);
    if (v.closure) writeDecision(w, "closure", *v.closure);
    w.integer("version", v.version);
    return w.take();
}

std::string encode(const RevisionRequest& v) {
    Writer w;
    w.text("id", v.id);
    w.text("action_id", v.actionId);
    w.targetDate("requested_date", v.requestedDate);
    w.text("reason", v.reason);
    w.optText("requested_by_id", v.requestedById);
    w.date("requested_on", v.requestedOn);
    w.optText("routed_to_group_id", v.routedToGroupId);
    w.enumeration("status", v.status);
    if (v.decision) writeDecision(w, "decision", *v.decision);
    w.text("decision_note", v.decisionNote);
    w.integer("version", v.version);
    return w.take();
}

std::string encode(const Evidence& v) {
    Writer w;
    w.text("id", v.id);
    w.text("action_id", v.actionId);
    w.optText("progress_update_id", v.progressUpdateId);
    w.text("file_name", v.fileName);
    w.text("media_type", v.mediaType);
    w.integer("size_bytes", v.sizeBytes);
    w.text("sha256", v.sha256);
    w.date("added_on", v.addedOn);
    w.optText("added_by_id", v.addedById);
    w.text("note", v.note);
    return w.take();
}

// ---- decode ----

OrganisationUnit decodeUnit(const std::string& text) {
    const Reader r(text, "unit");
    OrganisationUnit v;
    v.id = r.text("id");
    v.name = r.text("name");
    v.kind = r.enumeration("kind", v.kind, parseUnitKind);
    v.parentId = r.optText("parent_id");
    return v;
}

Person decodePerson(const std::string& text) {
    const Reader r(text, "person");
    Person v;
    v.id = r.text("id");
    v.roleTitle = r.text("role_title");
    v.email = r.text("email");
    v.unitId = r.optText("unit_id");
    v.lineManagerId = r.optText("line_manager_id");
    v.active = r.boolean("active", true);
    v.roles = r.list<Role>(
        "roles", [](const Reader& x, const std::string& k) { return x.enumeration(k, Role::kViewer, parseRole); });
    return v;
}

GovernanceGroup decodeGroup(const std::string& text) {
    const Reader r(text, "group");
    GovernanceGroup v;
    v.id = r.text("id");
    v.name = r.text("name");
    v.kind = r.enumeration("kind", v.kind, parseGroupKind);
    v.parentId = r.optText("parent_id");
    v.purpose = r.text("purpose");
    v.remit = r.text("remit");
    v.meetingFrequency = r.text("meeting_frequency");
    v.quorum = r.text("quorum");
    v.effectiveFrom = r.optTargetDate("effective_from");
    v.effectiveTo = r.optTargetDate("effective_to");
    v.supersededById = r.optText("superseded_by_id");
    v.members = r.list<GroupMember>("members", [](const Reader& x, const std::string& k) {
        GroupMember m;
        m.personId = x.text(k + ".person_id");
        m.role = x.enumeration(k + ".role", m.role, parseMemberRole);
        return m;
    });
    v.powers = r.list<DelegatedPower>("powers", [](const Reader& x, const std::string& k) {
        DelegatedPower p;
        p.kind = x.enumeration(k + ".kind", p.kind, parsePowerKind);
        p.maxPriority = x.optEnumeration<Priority>(k + ".max_priority", parsePriority);
        p.maxTotalSlipDays = x.optInt(k + ".max_total_slip_days");
        return p;
    });
    return v;
}

Risk decodeRisk(const std::string& text) {
    const Reader r(text, "risk");
    Risk v;
    v.id = r.text("id");
    v.reference = r.text("reference");
    v.title = r.text("title");
    v.description = r.text("description");
    if (r.has("level")) v.level = r.text("level");
    v.registerId = r.optText("register_id");
    v.cause = r.text("cause");
    v.event = r.text("event");
    v.effect = r.text("effect");
    v.ownerIds = r.textList("owner_ids");
    v.category = r.text("category");
    auto rating = [&](const std::string& key) -> std::optional<RiskRating> {
        auto l = r.optInt(key + "_likelihood");
        auto i = r.optInt(key + "_impact");
        if (!l || !i) return std::nullopt;
        return RiskRating{*l, *i};
    };
    v.inherent = rating("inherent");
    v.current = rating("current");
    v.target = rating("target");
    v.targetReason = r.text("target_reason");
    v.controls = r.textList("controls");
    v.linkedRecommendations = r.textList("linked_recommendations");
    v.linkedActions = r.textList("linked_actions");
    v.lastReview = r.optDate("last_review");
    v.nextReview = r.optDate("next_review");
    v.status = r.enumeration("status", RiskStatus::kOpen, parseRiskStatus);
    v.parentId = r.optText("parent_id");
    return v;
}

RiskRegister decodeRiskRegister(const std::string& text) {
    const Reader r(text, "risk register");
    RiskRegister v;
    v.id = r.text("id");
    v.name = r.text("name");
    v.level = r.enumeration("level", RiskLevel::kDivisional, parseRiskLevel);
    v.ownerUnitId = r.optText("owner_unit_id");
    v.ownerGroupId = r.optText("owner_group_id");
    v.escalationThreshold = static_cast<int>(r.integer("escalation_threshold", 15));
    v.tolerances = r.list<RiskTolerance>("tolerances", [](const Reader& x, const std::string& k) {
        RiskTolerance t;
        t.category = x.text(k + ".category");
        t.appetite = x.enumeration(k + ".appetite", Appetite::kCautious, parseAppetite);
        return t;
    });
    v.reviewFrequencyDays = static_cast<int>(r.integer("review_frequency_days", 91));
    return v;
}

Engagement decodeEngagement(const std::string& text) {
    const Reader r(text, "engagement");
    Engagement v;
    v.id = r.text("id");
    v.reference = r.text("reference");
    v.title = r.text("title");
    v.auditYear = r.text("audit_year");
    v.scope = r.text("scope");
    v.remitItems = r.textList("remit_items");
    v.keyRisks = r.textList("key_risks");
    v.fieldworkStart = r.optTargetDate("fieldwork_start");
    v.fieldworkEnd = r.optTargetDate("fieldwork_end");
    v.draftReportDate = r.optTargetDate("draft_report_date");
    v.finalReportDate = r.optTargetDate("final_report_date");
    v.resourceDays = r.optInt("resource_days");
    v.issueDate = r.optTargetDate("issue_date");
    v.assuranceLevel = r.optEnumeration<AssuranceLevel>("assurance_level", parseAssuranceLevel);
    v.status = r.enumeration("status", v.status, parseEngagementStatus);
    v.followsUpId = r.optText("follows_up_id");
    v.version = r.integer("version", 1);
    return v;
}

Finding decodeFinding(const std::string& text) {
    const Reader r(text, "finding");
    Finding v;
    v.id = r.text("id");
    v.engagementId = r.text("engagement_id");
    v.number = r.text("number");
    v.kind = r.enumeration("kind", v.kind, parseFindingKind);
    v.text = r.text("text");
    v.recommendationNumber = r.optInt("recommendation_number");
    return v;
}

Recommendation decodeRecommendation(const std::string& text) {
    const Reader r(text, "recommendation");
    Recommendation v;
    v.id = r.text("id");
    v.engagementId = r.text("engagement_id");
    v.number = static_cast<int>(r.integer("number"));
    v.title = r.text("title");
    v.issue = r.text("issue");
    v.risk = r.text("risk");
    v.text = r.text("text");
    v.priority = r.enumeration("priority", v.priority, parsePriority);
    v.managementResponse = r.enumeration("management_response", v.managementResponse, parseManagementResponse);
    v.responseText = r.text("response_text");
    v.linkedRiskReferences = r.textList("linked_risk_references");
    v.version = r.integer("version", 1);
    return v;
}

ProgressUpdate decodeProgressUpdate(const std::string& text) {
    const Reader r(text, "progress_update");
    ProgressUpdate v;
    v.id = r.text("id");
    v.actionId = r.text("action_id");
    v.date = r.date("date");
    v.authorId = r.optText("author_id");
    v.text = r.text("text");
    v.percent = r.optInt("percent");
    return v;
}

Action decodeAction(const std::string& text) {
    const Reader r(text, "action");
    Action v;
    v.id = r.text("id");
    v.recommendationId = r.text("recommendation_id");
    v.number = static_cast<int>(r.integer("number", 1));
    v.description = r.text("description");
    v.leadOwnerId = r.optText("lead_owner_id");
    v.coOwnerIds = r.textList("co_owner_ids");
    v.originalTargetDate = r.optTargetDate("original_target_date");
    v.revisions = r.list<RevisedTargetDate>("revisions", [](const Reader& x, const std::string& k) {
        RevisedTargetDate rev;
        rev.newDate = x.targetDate(k + ".new_date");
        rev.reason = x.text(k + ".reason");
        rev.requestedById = x.optText(k + ".requested_by_id");
        rev.approvedBy = x.text(k + ".approved_by");
        rev.decisionDate = x.optDate(k + ".decision_date");
        return rev;
    });
    v.status = r.enumeration("status", v.status, parseActionStatus);
    v.pillar = r.optEnumeration<Pillar>("pillar", parsePillar);
    v.lineOfDefence = r.optEnumeration<LineOfDefence>("line_of_defence", parseLineOfDefence);
    v.auditorAssessment = r.text("auditor_assessment");
    v.responsibleGroupId = r.optText("responsible_group_id");
    v.supersededByActionId = r.optText("superseded_by_action_id");
    v.closure = readDecision(r, "closure");
    v.version = r.integer("version", 1);
    return v;
}

RevisionRequest decodeRevisionRequest(const std::string& text) {
    const Reader r(text, "revision_request");
    RevisionRequest v;
    v.id = r.text("id");
    v.actionId = r.text("action_id");
    v.requestedDate = r.targetDate("requested_date");
    v.reason = r.text("reason");
    v.requestedById = r.optText("requested_by_id");
    v.requestedOn = r.date("requested_on");
    v.routedToGroupId = r.optText("routed_to_group_id");
    v.status = r.enumeration("status", v.status, parseRequestStatus);
    v.decision = readDecision(r, "decision");
    v.decisionNote = r.text("decision_note");
    v.version = r.integer("version", 1);
    return v;
}

Evidence decodeEvidence(const std::string& text) {
    const Reader r(text, "evidence");
    Evidence v;
    v.id = r.text("id");
    v.actionId = r.text("action_id");
    v.progressUpdateId = r.optText("progress_update_id");
    v.fileName = r.text("file_name");
    v.mediaType = r.text("media_type");
    v.sizeBytes = r.integer("size_bytes");
    v.sha256 = r.text("sha256");
    v.addedOn = r.date("added_on");
    v.addedById = r.optText("added_by_id");
    v.note = r.text("note");
    return v;
}

}  // namespace govtrack::domain
