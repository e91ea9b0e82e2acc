#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "govtrack/domain/Repositories.h"
#include "govtrack/domain/RiskRules.h"

/// Reading risks for reports, the API and the CLI (SPEC 4.5, 4.7 "a 5x5 risk heat map"): every risk with
/// its register, owners, levels, escalation flag and both directions of the escalation route. Reads only.
namespace govtrack::domain {

/// A lower-level risk that escalates to (has as parent) a higher-level one.
struct RiskContributor {
    std::string reference;
    std::string title;
    std::string registerName;
    std::optional<RiskRating> current;
    std::string currentLevel;  ///< "" when not scored
    bool escalated = false;
    bool escalationDue = false;
};

/// A register as shown: its owner by name.
struct RiskRegisterView {
    RiskRegister reg;
    std::string ownerName;  ///< the owning unit or group ("" if none)
};

/// One risk as reports and the API show it.
struct RiskView {
    Risk risk;
    std::string registerName;  ///< "" when on no register
    std::optional<RiskLevel> registerLevel;
    std::vector<std::string> ownerRoleTitles;
    std::string inherentLevel;  ///< the matrix level ("high"); "" when not scored
    std::string currentLevel;
    std::string targetLevel;
    std::optional<Appetite> tolerance;  ///< the register's appetite for this risk's category
    std::optional<int> toleranceMaxScore;
    bool aboveTolerance = false;
    bool reviewOverdue = false;
    EscalationStatus escalation;
    std::string escalationGroupName;             ///< the group of the latest decision
    std::optional<std::string> parentReference;  ///< route upward
    std::vector<std::string> routeUpward;        ///< parent, grandparent, ... references
    std::vector<RiskContributor> contributors;   ///< route downward: risks whose parent this is
};

/// Which risks to read. `visible` (nullopt = all) is where row rules (who may see a risk) plug in.
struct RiskFilter {
    std::optional<std::string> registerName;  ///< matched with foldNaturalKey
    std::optional<std::function<bool(const Risk&)>> visible;
};

struct RiskPortfolio {
    std::vector<RiskRegisterView> registers;  ///< by name
    std::vector<RiskView> risks;              ///< by register level (strategic first), register name, reference
};

/// Loads every risk matching `filter` with what it shows. Throws NotFoundError for an unknown register.
RiskPortfolio loadRiskPortfolio(StoreSession& session, const ScoringMatrix& matrix, Date today,
                                const RiskFilter& filter = {});

/// Which rating a heat map places risks by.
enum class HeatMapBasis { kInherent, kCurrent, kTarget };
std::string_view toString(HeatMapBasis basis) noexcept;
std::optional<HeatMapBasis> parseHeatMapBasis(std::string_view text);

struct HeatMapCell {
    int likelihood = 1;
    int impact = 1;
    int score = 1;
    std::string level;
    std::vector<std::string> references;  ///< the open risks in this cell, by reference
};

/// Counts and references per cell (SPEC 4.7). cells[l-1][i-1]; closed and unscored risks are left out.
struct HeatMap {
    HeatMapBasis basis = HeatMapBasis::kCurrent;
    std::vector<std::string> likelihoodLabels;
    std::vector<std::string> impactLabels;
    std::vector<std::vector<HeatMapCell>> cells;
    int placed = 0;    ///< risks placed on the map
    int unscored = 0;  ///< open risks without a rating on this basis
};

HeatMap buildHeatMap(const std::vector<RiskView>& risks, const ScoringMatrix& matrix, HeatMapBasis basis);

/// One risk's score history, oldest first, with the risk (NotFoundError if unknown; matched exactly, then
/// with foldNaturalKey).
struct RiskHistory {
    Risk risk;
    std::vector<RiskScoreChange> changes;
    std::vector<EscalationDecision> decisions;
};
RiskHistory loadRiskHistory(StoreSession& session, const std::string& reference);

/// Finds a risk by reference: exactly, else by foldNaturalKey. nullopt if none.
std::optional<Risk> findRisk(RiskRepository& risks, const std::string& reference);

}  // namespace govtrack::domain
