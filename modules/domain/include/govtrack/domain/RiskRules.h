#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "govtrack/domain/Model.h"

/// The risk rules of SPEC 4.5 (issue 4): the scoring matrix as configuration, levels of a rating,
/// escalation flags and the parent-risk rules. Pure functions; time comes in as `today`.
namespace govtrack::domain {

/// A band of scores for a product matrix: scores minScore..maxScore have level `level`.
struct ScoreBand {
    std::string level;  ///< e.g. "low", "medium", "high", "very high"
    int minScore = 1;
    int maxScore = 1;

    friend bool operator==(const ScoreBand&, const ScoreBand&) = default;
};

/// The scoring matrix (SPEC 4.5: "banded low/medium/high/very high by a configurable matrix").
/// Either a product matrix (level = the band holding likelihood x impact) or, when `cells` is set, a
/// cell-by-cell matrix in which cells[likelihood-1][impact-1] names the level, so the same product may
/// be different levels in different cells. The score itself is always likelihood x impact.
struct ScoringMatrix {
    std::vector<std::string> likelihoodLabels;    ///< [0] is likelihood 1, e.g. "Rare"
    std::vector<std::string> impactLabels;        ///< [0] is impact 1, e.g. "Negligible"
    std::vector<ScoreBand> bands;                 ///< product matrix; also orders the levels, lowest first
    std::vector<std::vector<std::string>> cells;  ///< cell matrix, rows by likelihood; empty = product
    std::map<Appetite, int> appetiteMaxScore;     ///< the highest acceptable score per appetite level

    /// Default 5x5: Rare, Unlikely, Possible, Likely, Almost certain x Negligible, Minor, Moderate, Major,
    /// Severe; bands low 1-4, medium 5-9, high 10-16, very high 20-25; appetite averse 4, minimal 6,
    /// cautious 9, open 12, eager 16.
    static ScoringMatrix standard();

    int maxLikelihood() const noexcept { return static_cast<int>(likelihoodLabels.size()); }
    int maxImpact() const noexcept { return static_cast<int>(impactLabels.size()); }
    bool isCellMatrix() const noexcept { return !cells.empty(); }
    /// The level names, lowest first (the bands' order).
    std::vector<std::string> levels() const;

    /// Throws ValidationError (`where`: "likelihood must be 1-5, got 6") unless 1 <= v <= maxLikelihood.
    void checkLikelihood(int value, const std::string& field) const;
    void checkImpact(int value, const std::string& field) const;
    /// Checks both parts of a rating; the field names are `prefix` + "_likelihood" / "_impact".
    void check(const RiskRating& rating, const std::string& prefix) const;

    /// A likelihood written as a number ("4") or a label ("likely", case-insensitive). Throws
    /// ValidationError naming `field`, the allowed range and the labels when it is neither.
    int parseLikelihood(std::string_view text, const std::string& field) const;
    int parseImpact(std::string_view text, const std::string& field) const;

    /// The level of a rating ("high"). Throws ValidationError if the rating is outside the matrix.
    std::string levelOf(const RiskRating& rating) const;

    /// The highest acceptable score for an appetite level (SPEC 3 "appetite per category").
    int maxAcceptable(Appetite appetite) const;

    /// Checks the matrix itself: 1-10 labels each way, unique labels, bands that cover every product
    /// without overlapping, every cell naming a band's level, a score for every appetite. Throws
    /// ValidationError listing every problem (`source` names the file).
    void validate(const std::string& source) const;
};

/// The escalation flag of one risk (SPEC 4.5), computed, never stored.
struct EscalationStatus {
    bool due = false;                  ///< `escalation_due`
    bool escalated = false;            ///< the latest decision escalated it and none de-escalated it since
    std::vector<std::string> reasons;  ///< why it is due (or would be, had a decision not been recorded)
    std::optional<EscalationDecision> latestDecision;
};

/// Is `risk` due for escalation on `today`? A risk on a divisional or programme register, open, is flagged
/// when its current score reaches the register's escalation threshold (equal escalates), or when its
/// current score is above the tolerance for its category and its next review date has passed. It is not
/// due once escalated, nor when a decision (no escalation, de-escalation) was recorded at or after the
/// last score change. `decisions` are the risk's decisions, oldest first; `lastScoreChangeAt` the UTC
/// instant of its last score change ("" if none).
EscalationStatus assessEscalation(const Risk& risk, const RiskRegister& reg, const ScoringMatrix& matrix,
                                  const std::vector<EscalationDecision>& decisions,
                                  const std::string& lastScoreChangeAt, Date today);

/// The tolerance a register sets for a category (categories compared with foldNaturalKey), if any.
std::optional<Appetite> toleranceFor(const RiskRegister& reg, const std::string& category);

/// Is the review overdue? Open and nextReview < today (SPEC 4.5 "overdue risk reviews").
bool reviewOverdue(const Risk& risk, Date today);

/// The parent rules (issue 4 "Bad input"): `parentRef` must not lead back to `childRef` through the
/// parents (a cycle), and must sit on a higher-level register than `childLevel`. `parentOf` maps a risk
/// reference to its parent's reference and `levelOf` a reference to its register level, as they will be
/// after the change. Returns the problem ("parent: ...") or nullopt.
std::optional<std::string> parentProblem(const std::string& childRef, RiskLevel childLevel,
                                         const std::string& parentRef,
                                         const std::map<std::string, std::string>& parentOf,
                                         const std::map<std::string, RiskLevel>& levelOf);

/// "target score 12 (3x4) is above the current score 9 (3x3): give a reason" when the target is above
/// the current score and `reason` is blank; nullopt otherwise.
std::optional<std::string> targetProblem(const std::optional<RiskRating>& current,
                                         const std::optional<RiskRating>& target, const std::string& reason);

/// "4x3" for a rating.
std::string formatRating(const RiskRating& rating);

/// The review frequency written as days ("91") or a word: monthly (30), quarterly (91), six-monthly /
/// half-yearly (182), annually / yearly (365). nullopt otherwise.
std::optional<int> parseReviewFrequency(std::string_view text);

}  // namespace govtrack::domain
