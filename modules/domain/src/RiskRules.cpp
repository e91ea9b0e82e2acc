#include "govtrack/domain/RiskRules.h"

#include <algorithm>
#include <charconv>
#include <set>

#include "govtrack/domain/Error.h"

namespace govtrack::domain {

namespace {

std::string joinLabels(const std::vector<std::string>& labels) {
    std::string out;
    for (std::size_t i = 0; i < labels.size(); ++i) {
        out += (i ? ", " : "") + std::to_string(i + 1) + " " + labels[i];
    }
    return out;
}

std::optional<int> parseNumber(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    int value = 0;
    if (text.empty()) return std::nullopt;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || p != text.data() + text.size()) return std::nullopt;
    return value;
}

int parseAxis(std::string_view text, const std::string& field, const std::vector<std::string>& labels) {
    const int max = static_cast<int>(labels.size());
    if (auto n = parseNumber(text)) {
        if (*n < 1 || *n > max) {
            throw ValidationError(field + " must be 1-" + std::to_string(max) + " (" + joinLabels(labels) + "), got " +
                                      std::to_string(*n),
                                  {{field, "allowed: 1-" + std::to_string(max) + " or " + joinLabels(labels)}});
        }
        return *n;
    }
    const std::string wanted = foldNaturalKey(text);
    for (int i = 0; i < max; ++i) {
        if (foldNaturalKey(labels[static_cast<std::size_t>(i)]) == wanted) return i + 1;
    }
    throw ValidationError(field + ": '" + std::string(text) + "' is not a number 1-" + std::to_string(max) +
                              " nor one of the labels " + joinLabels(labels),
                          {{field, "allowed: 1-" + std::to_string(max) + " or " + joinLabels(labels)}});
}

void checkAxis(int value, const std::string& field, const std::vector<std::string>& labels) {
    const int max = static_cast<int>(labels.size());
    if (value < 1 || value > max) {
        throw ValidationError(
            field + " must be 1-" + std::to_string(max) + " (" + joinLabels(labels) + "), got " + std::to_string(value),
            {{field, "allowed: 1-" + std::to_string(max)}});
    }
}

}  // namespace

ScoringMatrix ScoringMatrix::standard() {
    ScoringMatrix m;
    m.likelihoodLabels = {"Rare", "Unlikely", "Possible", "Likely", "Almost certain"};
    m.impactLabels = {"Negligible", "Minor", "Moderate", "Major", "Severe"};
    m.bands = {{"low", 1, 4}, {"medium", 5, 9}, {"high", 10, 16}, {"very high", 20, 25}};
    m.appetiteMaxScore = {{Appetite::kAverse, 4},
                          {Appetite::kMinimal, 6},
                          {Appetite::kCautious, 9},
                          {Appetite::kOpen, 12},
                          {Appetite::kEager, 16}};
    return m;
}

std::vector<std::string> ScoringMatrix::levels() const {
    std::vector<std::string> out;
    for (const auto& b : bands) out.push_back(b.level);
    return out;
}

void ScoringMatrix::checkLikelihood(int value, const std::string& field) const {
    checkAxis(value, field, likelihoodLabels);
}
void ScoringMatrix::checkImpact(int value, const std::string& field) const {
    checkAxis(value, field, impactLabels);
}
void ScoringMatrix::check(const RiskRating& rating, const std::string& prefix) const {
    checkLikelihood(rating.likelihood, prefix + "_likelihood");
    checkImpact(rating.impact, prefix + "_impact");
}

int ScoringMatrix::parseLikelihood(std::string_view text, const std::string& field) const {
    return parseAxis(text, field, likelihoodLabels);
}
int ScoringMatrix::parseImpact(std::string_view text, const std::string& field) const {
    return parseAxis(text, field, impactLabels);
}

std::string ScoringMatrix::levelOf(const RiskRating& rating) const {
    check(rating, "rating");
    if (isCellMatrix()) {
        return cells[static_cast<std::size_t>(rating.likelihood - 1)][static_cast<std::size_t>(rating.impact - 1)];
    }
    const int score = rating.score();
    for (const auto& b : bands) {
        if (score >= b.minScore && score <= b.maxScore) return b.level;
    }
    throw Error(ErrorCode::kInternal, "no band of the scoring matrix holds the score " + std::to_string(score));
}

int ScoringMatrix::maxAcceptable(Appetite appetite) const {
    auto it = appetiteMaxScore.find(appetite);
    if (it == appetiteMaxScore.end()) {
        throw Error(ErrorCode::kInternal,
                    "the scoring matrix gives no score for appetite '" + std::string(toString(appetite)) + "'");
    }
    return it->second;
}

void ScoringMatrix::validate(const std::string& source) const {
    std::vector<FieldError> problems;
    auto add = [&](std::string where, std::string what) { problems.push_back({std::move(where), std::move(what)}); };
    for (const auto* axis : {&likelihoodLabels, &impactLabels}) {
        const std::string name = axis == &likelihoodLabels ? "likelihood" : "impact";
        if (axis->empty() || axis->size() > 10)
            add(source, name + " needs 1-10 labels, got " + std::to_string(axis->size()));
        std::set<std::string> seen;
        for (const auto& label : *axis) {
            if (label.empty()) add(source, name + " has an empty label");
            if (!seen.insert(foldNaturalKey(label)).second) add(source, name + " label '" + label + "' appears twice");
        }
    }
    if (bands.empty()) add(source, "bands: at least one band (level, min, max) is needed");
    std::set<std::string> levelNames;
    for (const auto& b : bands) {
        if (b.level.empty()) add(source, "bands: a band has no level name");
        if (!levelNames.insert(b.level).second) add(source, "bands: level '" + b.level + "' appears twice");
        if (b.minScore > b.maxScore) {
            add(source, "bands: '" + b.level + "' has min " + std::to_string(b.minScore) + " above max " +
                            std::to_string(b.maxScore));
        }
    }
    if (problems.empty()) {
        for (int l = 1; l <= maxLikelihood(); ++l) {
            for (int i = 1; i <= maxImpact(); ++i) {
                const int score = l * i;
                int holding = 0;
                for (const auto& b : bands) holding += (score >= b.minScore && score <= b.maxScore) ? 1 : 0;
                if (!isCellMatrix() && holding != 1) {
                    add(source, "bands: the score " + std::to_string(score) + " is in " + std::to_string(holding) +
                                    " bands; every product must be in exactly one");
                    l = maxLikelihood();
                    break;
                }
            }
        }
    }
    if (isCellMatrix()) {
        if (static_cast<int>(cells.size()) != maxLikelihood()) {
            add(source, "cells: " + std::to_string(maxLikelihood()) + " rows (one per likelihood) expected, got " +
                            std::to_string(cells.size()));
        }
        for (std::size_t r = 0; r < cells.size(); ++r) {
            if (static_cast<int>(cells[r].size()) != maxImpact()) {
                add(source, "cells: row " + std::to_string(r + 1) + " needs " + std::to_string(maxImpact()) +
                                " cells (one per impact), got " + std::to_string(cells[r].size()));
            }
            for (const auto& c : cells[r]) {
                if (!levelNames.count(c)) {
                    std::string allowed;
                    for (const auto& b : bands) allowed += (allowed.empty() ? "" : ", ") + b.level;
                    add(source,
                        "cells: row " + std::to_string(r + 1) + " names level '" + c + "'; allowed: " + allowed);
                }
            }
        }
    }
    for (Appetite a : {Appetite::kAverse, Appetite::kMinimal, Appetite::kCautious, Appetite::kOpen, Appetite::kEager}) {
        if (!appetiteMaxScore.count(a)) add(source, "appetite: no score for '" + std::string(toString(a)) + "'");
    }
    if (!problems.empty()) {
        throw ValidationError(source + ": the scoring matrix is not valid: " + problems.front().message, problems);
    }
}

std::optional<Appetite> toleranceFor(const RiskRegister& reg, const std::string& category) {
    const std::string wanted = foldNaturalKey(category);
    if (wanted.empty()) return std::nullopt;
    for (const auto& t : reg.tolerances) {
        if (foldNaturalKey(t.category) == wanted) return t.appetite;
    }
    return std::nullopt;
}

bool reviewOverdue(const Risk& risk, Date today) {
    return risk.status == RiskStatus::kOpen && risk.nextReview && *risk.nextReview < today;
}

EscalationStatus assessEscalation(const Risk& risk, const RiskRegister& reg, const ScoringMatrix& matrix,
                                  const std::vector<EscalationDecision>& decisions,
                                  const std::string& lastScoreChangeAt, Date today) {
    EscalationStatus out;
    if (!decisions.empty()) out.latestDecision = decisions.back();
    out.escalated = out.latestDecision && out.latestDecision->kind == EscalationKind::kEscalate;
    if (reg.level == RiskLevel::kStrategic || risk.status != RiskStatus::kOpen || !risk.current) return out;
    const int score = risk.current->score();
    if (score >= reg.escalationThreshold) {
        out.reasons.push_back("current score " + std::to_string(score) + " (" + formatRating(*risk.current) +
                              ") reaches the register's escalation threshold " +
                              std::to_string(reg.escalationThreshold));
    }
    if (auto appetite = toleranceFor(reg, risk.category)) {
        const int max = matrix.maxAcceptable(*appetite);
        if (score > max && reviewOverdue(risk, today)) {
            out.reasons.push_back("current score " + std::to_string(score) + " is above the " +
                                  std::string(toString(*appetite)) + " tolerance (" + std::to_string(max) + ") for " +
                                  risk.category + " and the review due " + formatIso(*risk.nextReview) + " has passed");
        }
    }
    if (out.reasons.empty() || out.escalated) return out;
    if (out.latestDecision && out.latestDecision->at >= lastScoreChangeAt) return out;  // decided since
    out.due = true;
    return out;
}

std::optional<std::string> parentProblem(const std::string& childRef, RiskLevel childLevel,
                                         const std::string& parentRef,
                                         const std::map<std::string, std::string>& parentOf,
                                         const std::map<std::string, RiskLevel>& levelOf) {
    const std::string child = foldNaturalKey(childRef);
    std::string path = childRef + " > " + parentRef;
    std::set<std::string> seen{child};
    std::string at = parentRef;
    while (true) {
        if (foldNaturalKey(at) == child) {
            return "parent: " + parentRef + " would form a cycle of parents (" + path + ")";
        }
        if (!seen.insert(foldNaturalKey(at)).second) break;
        auto it = parentOf.find(at);
        if (it == parentOf.end() || it->second.empty()) break;
        at = it->second;
        path += " > " + at;
    }
    auto level = levelOf.find(parentRef);
    if (level != levelOf.end() && rankOf(level->second) >= rankOf(childLevel)) {
        return "parent: " + parentRef + " is on a " + std::string(toString(level->second)) +
               " register; the parent of a " + std::string(toString(childLevel)) +
               " risk must be on a higher-level register (strategic > divisional > programme)";
    }
    return std::nullopt;
}

std::optional<std::string> targetProblem(const std::optional<RiskRating>& current,
                                         const std::optional<RiskRating>& target, const std::string& reason) {
    if (!current || !target || target->score() <= current->score()) return std::nullopt;
    if (reason.find_first_not_of(" \t\r\n") != std::string::npos) return std::nullopt;
    return "target_reason: the target score " + std::to_string(target->score()) + " (" + formatRating(*target) +
           ") is above the current score " + std::to_string(current->score()) + " (" + formatRating(*current) +
           "); give a reason";
}

std::string formatRating(const RiskRating& rating) {
    return std::to_string(rating.likelihood) + "x" + std::to_string(rating.impact);
}

std::optional<int> parseReviewFrequency(std::string_view text) {
    if (auto n = parseNumber(text)) return *n > 0 ? std::optional(*n) : std::nullopt;
    const std::string word = foldNaturalKey(text);
    if (word == "monthly") return 30;
    if (word == "quarterly") return 91;
    if (word == "six-monthly" || word == "six monthly" || word == "half-yearly" || word == "half yearly") return 182;
    if (word == "annually" || word == "yearly" || word == "annual") return 365;
    return std::nullopt;
}

}  // namespace govtrack::domain
