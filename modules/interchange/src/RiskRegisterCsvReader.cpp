#include "govtrack/interchange/RiskRegisterCsvReader.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <optional>

#include <nlohmann/json.hpp>

#include "govtrack/domain/Dates.h"
#include "govtrack/domain/Error.h"
#include "govtrack/interchange/Csv.h"

#include "ReaderSupport.h"

namespace govtrack::interchange {

namespace {

namespace d = govtrack::domain;
using detail::inQuotes;
using detail::normaliseHeading;
using detail::parseWholeNumber;
using detail::Problems;
using detail::splitList;
using detail::trim;

enum class Col {
    kRegister,
    kRegisterLevel,
    kOwnerUnit,
    kOwnerGroup,
    kThreshold,
    kReviewFrequency,
    kTolerance,
    kReference,
    kTitle,
    kDescription,
    kCause,
    kEvent,
    kEffect,
    kOwners,
    kCategory,
    kInherentLikelihood,
    kInherentImpact,
    kCurrentLikelihood,
    kCurrentImpact,
    kTargetLikelihood,
    kTargetImpact,
    kTargetReason,
    kControls,
    kLinkedRecommendations,
    kLinkedActions,
    kLastReview,
    kNextReview,
    kStatus,
    kParent,
};

struct Spec {
    Col col;
    const char* name;                  ///< as documented (underscores)
    std::vector<std::string> aliases;  ///< normalised (spaces)
};

const std::vector<Spec>& specs() {
    static const std::vector<Spec> s = {
        {Col::kRegister, "register", {"register name", "risk register"}},
        {Col::kRegisterLevel, "register_level", {"level"}},
        {Col::kOwnerUnit, "register_owner_unit", {"owning unit", "register unit"}},
        {Col::kOwnerGroup, "register_owner_group", {"owning group", "register group"}},
        {Col::kThreshold, "escalation_threshold", {"threshold"}},
        {Col::kReviewFrequency, "review_frequency", {"review frequency days", "review cycle"}},
        {Col::kTolerance, "tolerance", {"tolerances", "appetite", "risk appetite"}},
        {Col::kReference, "reference", {"risk reference", "risk ref", "ref", "risk id"}},
        {Col::kTitle, "title", {"risk title", "risk"}},
        {Col::kDescription, "description", {"risk description"}},
        {Col::kCause, "cause", {"causes"}},
        {Col::kEvent, "event", {"risk event"}},
        {Col::kEffect, "effect", {"effects", "consequence", "consequences"}},
        {Col::kOwners, "owners", {"owner", "owner(s)", "risk owner", "risk owners", "risk owner(s)"}},
        {Col::kCategory, "category", {"risk category"}},
        {Col::kInherentLikelihood, "inherent_likelihood", {}},
        {Col::kInherentImpact, "inherent_impact", {}},
        {Col::kCurrentLikelihood, "current_likelihood", {"residual likelihood"}},
        {Col::kCurrentImpact, "current_impact", {"residual impact"}},
        {Col::kTargetLikelihood, "target_likelihood", {}},
        {Col::kTargetImpact, "target_impact", {}},
        {Col::kTargetReason, "target_reason", {"reason for target"}},
        {Col::kControls, "controls", {"existing controls", "controls in place"}},
        {Col::kLinkedRecommendations, "linked_recommendations", {"recommendations"}},
        {Col::kLinkedActions, "linked_actions", {"actions"}},
        {Col::kLastReview, "last_review", {"last reviewed", "last review date"}},
        {Col::kNextReview, "next_review", {"next review date", "review due"}},
        {Col::kStatus, "status", {"risk status"}},
        {Col::kParent, "parent", {"parent risk", "escalates to", "strategic risk"}},
    };
    return s;
}

std::optional<Col> columnFor(std::string_view heading) {
    const std::string key = normaliseHeading(heading);
    for (const auto& s : specs()) {
        if (normaliseHeading(s.name) == key) return s.col;
        if (std::find(s.aliases.begin(), s.aliases.end(), key) != s.aliases.end()) return s.col;
    }
    return std::nullopt;
}

const char* nameOf(Col c) {
    for (const auto& s : specs()) {
        if (s.col == c) return s.name;
    }
    return "?";
}

}  // namespace

bool looksLikeRiskRegisterCsv(std::string_view content, const std::string& fileName) {
    std::vector<CsvRecord> records;
    try {
        records = parseCsv(content, fileName);
    } catch (const d::Error&) {
        return false;  // the tracker reader reports the file's problem
    }
    if (records.empty()) return false;
    for (const auto& h : records.front().fields) {
        auto c = columnFor(h);
        if (c == Col::kRegister || c == Col::kCurrentLikelihood || c == Col::kInherentLikelihood) return true;
    }
    return false;
}

d::RiskRegisterDocument readRiskRegisterCsv(std::string_view content, const std::string& fileName,
                                            const d::ScoringMatrix& matrix) {
    Problems problems(fileName);
    const auto records = parseCsv(content, fileName);
    d::RiskRegisterDocument doc;
    if (records.empty()) {
        problems.add("", "the file is empty; expected a header row and one row per risk");
        problems.throwIfAny();
    }
    std::map<Col, std::size_t> index;
    const auto& header = records.front();
    for (std::size_t i = 0; i < header.fields.size(); ++i) {
        if (auto c = columnFor(header.fields[i])) {
            if (index.count(*c)) {
                problems.add(std::to_string(header.line), "column " + std::string(nameOf(*c)) + " appears twice");
            } else {
                index[*c] = i;
            }
        }
    }
    for (Col required : {Col::kRegister, Col::kReference}) {
        if (!index.count(required)) {
            problems.add(std::to_string(header.line),
                         std::string("missing column ") + nameOf(required) +
                             "; a risk register file needs at least register and reference");
        }
    }
    problems.throwIfAny();

    struct RegisterSeen {
        std::size_t recordIndex;
        std::map<Col, std::pair<std::string, std::size_t>> values;  // column -> value, line
    };
    std::map<std::string, RegisterSeen> registers;  // folded name

    for (std::size_t r = 1; r < records.size(); ++r) {
        const auto& row = records[r];
        const std::string line = std::to_string(row.line);
        auto cell = [&](Col c) -> std::string {
            auto it = index.find(c);
            if (it == index.end() || it->second >= row.fields.size()) return {};
            return std::string(trim(row.fields[it->second]));
        };
        bool blank = true;
        for (const auto& f : row.fields) blank = blank && trim(f).empty();
        if (blank) continue;

        // ---- the register's settings ----
        const std::string regName = cell(Col::kRegister);
        if (regName.empty()) {
            problems.add(line, "register: every row names its risk register");
        } else {
            const std::string key = d::foldNaturalKey(regName);
            auto it = registers.find(key);
            if (it == registers.end()) {
                d::RiskRegisterRecord rec;
                rec.origin = fileName + ":" + line;
                rec.name = regName;
                doc.registers.push_back(rec);
                it = registers.emplace(key, RegisterSeen{doc.registers.size() - 1, {}}).first;
            }
            d::RiskRegisterRecord& rec = doc.registers[it->second.recordIndex];
            for (Col c : {Col::kRegisterLevel, Col::kOwnerUnit, Col::kOwnerGroup, Col::kThreshold,
                          Col::kReviewFrequency, Col::kTolerance}) {
                const std::string v = cell(c);
                if (v.empty()) continue;
                auto seen = it->second.values.find(c);
                if (seen != it->second.values.end()) {
                    if (d::foldNaturalKey(seen->second.first) != d::foldNaturalKey(v)) {
                        problems.add(line, std::string(nameOf(c)) + " of register '" + regName + "' is " + inQuotes(v) +
                                               " here but " + inQuotes(seen->second.first) + " on line " +
                                               std::to_string(seen->second.second));
                    }
                    continue;
                }
                it->second.values[c] = {v, row.line};
                switch (c) {
                    case Col::kRegisterLevel:
                        if (auto level = d::parseRiskLevel(v)) {
                            rec.level = level;
                        } else {
                            problems.add(line,
                                         "register_level: " + inQuotes(v) + " is not one of " + d::allowedRiskLevels());
                        }
                        break;
                    case Col::kOwnerUnit:
                        rec.ownerUnitName = v;
                        break;
                    case Col::kOwnerGroup:
                        rec.ownerGroupName = v;
                        break;
                    case Col::kThreshold:
                        if (auto n = parseWholeNumber(v)) {
                            rec.escalationThreshold = n;
                        } else {
                            problems.add(line, "escalation_threshold: " + inQuotes(v) + " is not a whole number 1-" +
                                                   std::to_string(matrix.maxLikelihood() * matrix.maxImpact()));
                        }
                        break;
                    case Col::kReviewFrequency:
                        if (auto n = d::parseReviewFrequency(v)) {
                            rec.reviewFrequencyDays = n;
                        } else {
                            problems.add(line, "review_frequency: " + inQuotes(v) +
                                                   " is not a number of days nor one of monthly, quarterly, "
                                                   "six-monthly, annually");
                        }
                        break;
                    case Col::kTolerance:
                        for (const auto& part : splitList(v, ";\n")) {
                            const auto sep = part.find_first_of(":=");
                            const std::string category =
                                sep == std::string::npos ? std::string() : std::string(trim(part.substr(0, sep)));
                            const std::string appetite =
                                sep == std::string::npos ? std::string() : std::string(trim(part.substr(sep + 1)));
                            auto parsed = d::parseAppetite(appetite);
                            if (category.empty() || !parsed) {
                                problems.add(line, "tolerance: " + inQuotes(part) +
                                                       " is not CATEGORY: APPETITE with APPETITE one of " +
                                                       d::allowedAppetites());
                            } else {
                                rec.tolerances.push_back({category, *parsed});
                            }
                        }
                        break;
                    default:
                        break;
                }
            }
        }

        // ---- the risk ----
        d::RiskImportRecord rec;
        rec.origin = fileName + ":" + line;
        rec.registerName = regName;
        d::Risk& risk = rec.risk;
        risk.reference = cell(Col::kReference);
        if (risk.reference.empty()) problems.add(line, "reference: every row needs a risk reference (e.g. DR-CSD-01)");
        risk.title = cell(Col::kTitle);
        risk.description = cell(Col::kDescription);
        risk.cause = cell(Col::kCause);
        risk.event = cell(Col::kEvent);
        risk.effect = cell(Col::kEffect);
        risk.category = cell(Col::kCategory);
        risk.targetReason = cell(Col::kTargetReason);
        rec.ownerRoleTitles = splitList(cell(Col::kOwners), ";\n");
        risk.controls = splitList(cell(Col::kControls), ";\n");
        risk.linkedRecommendations = splitList(cell(Col::kLinkedRecommendations), ";,\n");
        risk.linkedActions = splitList(cell(Col::kLinkedActions), ";,\n");
        if (const auto parent = cell(Col::kParent); !parent.empty()) rec.parentReference = parent;
        auto rating = [&](Col lc, Col ic, const std::string& prefix) -> std::optional<d::RiskRating> {
            const std::string l = cell(lc), i = cell(ic);
            if (l.empty() && i.empty()) return std::nullopt;
            if (l.empty() || i.empty()) {
                problems.add(line, (l.empty() ? prefix + "_likelihood" : prefix + "_impact") + ": missing (" +
                                       (l.empty() ? prefix + "_impact" : prefix + "_likelihood") +
                                       " is given); give both or neither");
                return std::nullopt;
            }
            d::RiskRating out;
            bool ok = true;
            try {
                out.likelihood = matrix.parseLikelihood(l, prefix + "_likelihood");
            } catch (const d::ValidationError& e) {
                problems.add(line, e.what());
                ok = false;
            }
            try {
                out.impact = matrix.parseImpact(i, prefix + "_impact");
            } catch (const d::ValidationError& e) {
                problems.add(line, e.what());
                ok = false;
            }
            return ok ? std::optional(out) : std::nullopt;
        };
        risk.inherent = rating(Col::kInherentLikelihood, Col::kInherentImpact, "inherent");
        risk.current = rating(Col::kCurrentLikelihood, Col::kCurrentImpact, "current");
        risk.target = rating(Col::kTargetLikelihood, Col::kTargetImpact, "target");
        auto date = [&](Col c) -> std::optional<d::Date> {
            const std::string v = cell(c);
            if (v.empty()) return std::nullopt;
            auto parsed = d::parseTargetDate(v);
            if (!parsed) {
                problems.add(line, std::string(nameOf(c)) + ": " + inQuotes(v) +
                                       " is not a date (dd/mm/yyyy, yyyy-mm-dd or a month such as Dec 2025)");
                return std::nullopt;
            }
            return parsed->date;
        };
        risk.lastReview = date(Col::kLastReview);
        risk.nextReview = date(Col::kNextReview);
        if (const auto status = cell(Col::kStatus); !status.empty()) {
            if (auto s = d::parseRiskStatus(status)) {
                risk.status = *s;
                rec.statusGiven = true;
            } else {
                problems.add(line, "status: " + inQuotes(status) + " is not one of " + d::allowedRiskStatuses());
            }
        }
        doc.risks.push_back(std::move(rec));
    }
    // A register named only by its risks (no settings on any row) must already exist: leave it out.
    std::vector<d::RiskRegisterRecord> described;
    for (auto& r : doc.registers) {
        const auto& seen = registers.at(d::foldNaturalKey(r.name));
        if (!seen.values.empty()) described.push_back(std::move(r));
    }
    doc.registers = std::move(described);
    problems.throwIfAny();
    return doc;
}

d::ScoringMatrix readScoringMatrix(std::string_view text, const std::string& fileName) {
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        throw d::ValidationError(fileName + ": not valid JSON (byte " + std::to_string(e.byte) + ")");
    }
    if (!j.is_object()) throw d::ValidationError(fileName + ": a scoring matrix is a JSON object");
    d::ScoringMatrix m = d::ScoringMatrix::standard();
    auto fail = [&](const std::string& what) { throw d::ValidationError(fileName + ": " + what); };
    auto labels = [&](const char* key, std::vector<std::string>& out) {
        if (!j.contains(key)) return;
        const auto& v = j.at(key);
        if (!v.is_array()) fail(std::string(key) + " must be a list of labels, lowest first");
        out.clear();
        for (const auto& l : v) {
            if (!l.is_string()) fail(std::string(key) + " must be a list of labels (strings)");
            out.push_back(l.get<std::string>());
        }
    };
    try {
        labels("likelihood", m.likelihoodLabels);
        labels("impact", m.impactLabels);
        if (j.contains("bands")) {
            const auto& bands = j.at("bands");
            if (!bands.is_array()) fail("bands must be a list of {level, min, max}");
            m.bands.clear();
            for (const auto& b : bands) {
                if (!b.is_object() || !b.contains("level") || !b.contains("min") || !b.contains("max") ||
                    !b.at("level").is_string() || !b.at("min").is_number_integer() ||
                    !b.at("max").is_number_integer()) {
                    fail("bands: each band is {\"level\": TEXT, \"min\": N, \"max\": N}");
                }
                m.bands.push_back({b.at("level").get<std::string>(), b.at("min").get<int>(), b.at("max").get<int>()});
            }
        }
        if (j.contains("cells")) {
            const auto& cells = j.at("cells");
            if (!cells.is_array()) fail("cells must be a list of rows (one per likelihood, lowest first)");
            m.cells.clear();
            for (const auto& row : cells) {
                if (!row.is_array()) fail("cells: each row is a list of level names (one per impact)");
                std::vector<std::string> out;
                for (const auto& c : row) {
                    if (!c.is_string()) fail("cells: each cell names a level");
                    out.push_back(c.get<std::string>());
                }
                m.cells.push_back(std::move(out));
            }
        }
        if (j.contains("appetite")) {
            const auto& a = j.at("appetite");
            if (!a.is_object()) fail("appetite must be an object {\"averse\": N, ...}");
            for (const auto& [key, value] : a.items()) {
                auto appetite = d::parseAppetite(key);
                if (!appetite) fail("appetite: '" + key + "' is not one of " + d::allowedAppetites());
                if (!value.is_number_integer()) fail("appetite: " + key + " must be a whole number (a score)");
                m.appetiteMaxScore[*appetite] = value.get<int>();
            }
        }
    } catch (const nlohmann::json::exception& e) {
        fail(std::string("unreadable: ") + e.what());
    }
    m.validate(fileName);
    return m;
}

}  // namespace govtrack::interchange
