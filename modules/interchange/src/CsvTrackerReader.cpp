#include "govtrack/interchange/CsvTrackerReader.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "govtrack/domain/Dates.h"
#include "govtrack/domain/Error.h"
#include "govtrack/domain/Model.h"
#include "govtrack/interchange/Csv.h"

#include "ReaderSupport.h"

namespace govtrack::interchange {

namespace {

/// "plans/q3/tracker.csv" -> "tracker.csv".
std::string baseName(const std::string& path) {
    const auto slash = path.find_last_of('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

using detail::inQuotes;
using detail::normaliseHeading;
using detail::parseWholeNumber;
using detail::Problems;
using detail::splitList;
using detail::trim;

enum class Column {
    kEngagementReference,
    kEngagementTitle,
    kAuditYear,
    kAssuranceLevel,
    kRecommendationNumber,
    kRecommendationTitle,
    kPriority,
    kManagementResponse,
    kResponseText,
    kRecommendationText,
    kIssue,
    kRisk,
    kLinkedRisks,
    kActionNumber,
    kActionDescription,
    kLeadOwner,
    kCoOwners,
    kOwners,
    kTargetDate,
    kRevisedTargetDate,
    kRevisionReason,
    kRevisionApprovedBy,
    kStatus,
    kPillar,
    kLineOfDefence,
    kLastUpdate,
    kLastUpdateDate,
    kUpdatedBy,
    kPercent,
    kAuditorAssessment,
    kResponsibleGroup,
    kDecisionGroup,
    kDecisionDate,
    kDecisionReference,
};

/// A tracker column: its documented heading and the aliases secretariats use (normalised form).
struct ColumnSpec {
    Column column;
    std::string_view name;
    std::vector<std::string_view> aliases;
};

const std::vector<ColumnSpec>& columnSpecs() {
    static const std::vector<ColumnSpec> specs = {
        {Column::kEngagementReference,
         "engagement reference",
         {"engagement ref", "audit reference", "audit ref", "report reference", "report ref", "reference", "ref"}},
        {Column::kEngagementTitle,
         "engagement title",
         {"engagement", "engagement name", "audit title", "audit", "audit name", "review", "review title",
          "report title"}},
        {Column::kAuditYear, "audit year", {"year", "financial year"}},
        {Column::kAssuranceLevel, "assurance level", {"assurance", "assurance rating", "assurance opinion", "opinion"}},
        {Column::kRecommendationNumber,
         "recommendation number",
         {"rec no", "rec no.", "rec number", "rec num", "rec #", "rec", "recommendation no", "recommendation no.",
          "recommendation #", "no", "no."}},
        {Column::kRecommendationTitle, "recommendation title", {"rec title", "title", "issue title"}},
        {Column::kPriority, "priority", {"rec priority", "recommendation priority", "rating"}},
        {Column::kManagementResponse, "management response", {"response"}},
        {Column::kResponseText,
         "management response text",
         {"response text", "management comments", "management comment"}},
        {Column::kRecommendationText, "recommendation text", {"recommendation", "rec text"}},
        {Column::kIssue, "issue", {}},
        {Column::kRisk, "risk", {}},
        {Column::kLinkedRisks,
         "linked risks",
         {"linked risk", "risk references", "risk reference", "risk refs", "linked risk references"}},
        {Column::kActionNumber, "action number", {"action no", "action no.", "action #", "action num"}},
        {Column::kActionDescription,
         "action description",
         {"action", "actions", "agreed action", "management action", "action to be taken"}},
        {Column::kLeadOwner, "lead owner", {"lead action owner", "lead"}},
        {Column::kCoOwners, "co-owners", {"co owners", "co-owner", "co owner", "co-owner(s)", "supporting owners"}},
        {Column::kOwners,
         "owners",
         {"owner", "owner(s)", "action owner", "action owners", "action owner(s)", "responsible officer",
          "responsible officers"}},
        {Column::kTargetDate,
         "target date",
         {"action date", "due date", "original target date", "original date", "target", "deadline",
          "implementation date"}},
        {Column::kRevisedTargetDate,
         "revised target date",
         {"revised target dates", "revised date", "revised dates", "revised due date", "new target date"}},
        {Column::kRevisionReason, "revision reason", {"reason for revision", "reason for revised date"}},
        {Column::kRevisionApprovedBy, "revision approved by", {"revised date approved by", "approved by"}},
        {Column::kStatus, "status", {"action status", "progress status"}},
        {Column::kPillar, "pillar", {"pillars"}},
        {Column::kLineOfDefence, "line of defence", {"line of defense"}},
        {Column::kLastUpdate, "last update", {"latest update", "progress update", "update", "latest progress"}},
        {Column::kLastUpdateDate,
         "last update date",
         {"update date", "date of update", "date of last update", "last updated"}},
        {Column::kUpdatedBy, "updated by", {"update author", "last update by"}},
        {Column::kPercent,
         "percent",
         {"percent complete", "% complete", "%", "progress %", "percentage complete", "percentage"}},
        {Column::kAuditorAssessment,
         "auditor assessment",
         {"audit assessment", "follow-up assessment", "follow up assessment"}},
        {Column::kResponsibleGroup,
         "responsible group",
         {"group", "governance group", "oversight group", "overseeing group", "monitoring group"}},
        {Column::kDecisionGroup, "decision group", {"decided by group", "accepted by", "risk accepted by"}},
        {Column::kDecisionDate, "decision date", {"date of decision", "date accepted"}},
        {Column::kDecisionReference, "decision reference", {"minute reference", "minute ref", "decision ref"}},
    };
    return specs;
}

std::string_view columnName(Column column) {
    for (const auto& spec : columnSpecs()) {
        if (spec.column == column) return spec.name;
    }
    return "?";
}

std::optional<Column> columnForHeading(std::string_view heading) {
    const std::string key = normaliseHeading(heading);
    for (const auto& spec : columnSpecs()) {
        if (spec.name == key) return spec.column;
        if (std::find(spec.aliases.begin(), spec.aliases.end(), key) != spec.aliases.end()) return spec.column;
    }
    return std::nullopt;
}

/// "60", "60%" or "60 %" -> 60; nullopt unless a whole number 0-100.
std::optional<int> parsePercent(std::string_view text) {
    text = trim(text);
    if (text.ends_with('%')) text = trim(text.substr(0, text.size() - 1));
    const auto value = parseWholeNumber(text);
    if (!value || *value < 0 || *value > 100) return std::nullopt;
    return value;
}

/// Words trackers use for action states that are not the SPEC 4.1 names.
std::optional<domain::ActionStatus> parseTrackerStatus(std::string_view text) {
    const std::string key = detail::toLower(trim(text));
    if (key == "ongoing" || key == "open" || key == "started") return domain::ActionStatus::kInProgress;
    if (key == "complete" || key == "completed" || key == "done") return domain::ActionStatus::kImplemented;
    return domain::parseActionStatus(text);
}

template <typename E>
std::string allowedNames(std::initializer_list<E> values) {
    std::string out;
    for (E v : values) {
        if (!out.empty()) out += ", ";
        out += domain::toString(v);
    }
    return out;
}

constexpr std::string_view kDateForms = "use dd/mm/yyyy, yyyy-mm-dd, 'December 2025' or 'Dec 2025'";

/// First value seen for a set-once field (engagement or recommendation data repeated on each row).
struct Seen {
    std::string value;
    std::size_t line = 0;
};

struct RecommendationState {
    std::size_t index = 0;  ///< in EngagementRecord::recommendations
    std::size_t firstLine = 0;
    bool priorityGiven = false;  ///< some row had a priority cell (valid or not)
    std::map<Column, Seen> seen;
    std::map<int, std::size_t> actionLines;  ///< action number -> line
};

struct EngagementState {
    std::size_t index = 0;  ///< in ActionPlanDocument::engagements
    std::map<Column, Seen> seen;
    std::map<int, RecommendationState> recommendations;
};

class TrackerReader {
public:
    TrackerReader(std::string_view content, const std::string& fileName)
        : content_(content), fileName_(fileName), problems_(fileName) {}

    domain::ActionPlanDocument read() {
        std::vector<CsvRecord> records;
        try {
            records = parseCsv(content_, fileName_);
        } catch (const domain::ValidationError& e) {
            for (const auto& error : e.errors()) {
                problems_.add(error.where.substr(fileName_.size() + 1), error.message);
            }
            problems_.throwIfAny();
        }
        if (records.empty()) {
            problems_.add("1", "the file is empty; expected a header row naming the tracker columns");
            problems_.throwIfAny();
        }
        readHeader(records.front());
        problems_.throwIfAny();  // without the columns no row can be read

        std::size_t rows = 0;
        for (std::size_t k = 1; k < records.size(); ++k) {
            if (readRow(records[k])) ++rows;
        }
        if (rows == 0 && problems_.empty()) {
            problems_.add(std::to_string(records.front().line), "no action rows below the header");
        }
        for (auto& [reference, engagement] : engagements_) {
            for (auto& [number, recommendation] : engagement.recommendations) {
                if (!recommendation.priorityGiven) {
                    problems_.add(std::to_string(recommendation.firstLine),
                                  "recommendation " + std::to_string(number) + " of " + reference +
                                      " has no priority on any row; allowed: " + domain::allowedPriorities() +
                                      " (or H, M, L)");
                }
            }
        }
        problems_.throwIfAny();
        return std::move(document_);
    }

private:
    void readHeader(const CsvRecord& header) {
        headerWidth_ = header.fields.size();
        const std::string line = std::to_string(header.line);
        for (std::size_t k = 0; k < header.fields.size(); ++k) {
            const auto column = columnForHeading(header.fields[k]);
            if (!column) continue;  // extra columns (RAG, comments, ...) are ignored
            if (const auto it = columns_.find(*column); it != columns_.end()) {
                problems_.add(line, "columns " + std::to_string(it->second + 1) + " and " + std::to_string(k + 1) +
                                        " both give the " + std::string(columnName(*column)) + "; keep one of them");
                continue;
            }
            columns_.emplace(*column, k);
        }
        std::string missing;
        auto require = [&](bool present, std::string_view name) {
            if (present) return;
            if (!missing.empty()) missing += ", ";
            missing += name;
        };
        for (Column c : {Column::kEngagementReference, Column::kRecommendationNumber, Column::kPriority,
                         Column::kActionDescription, Column::kTargetDate}) {
            require(columns_.contains(c), columnName(c));
        }
        require(columns_.contains(Column::kLeadOwner) || columns_.contains(Column::kOwners), "lead owner or owners");
        if (!missing.empty()) {
            problems_.add(line, "the header lacks required columns: " + missing +
                                    " (headings are matched case-insensitively; see docs/import-formats.md)");
        }
    }

    std::string cell(const CsvRecord& row, Column column) const {
        const auto it = columns_.find(column);
        if (it == columns_.end() || it->second >= row.fields.size()) return {};
        return std::string(trim(row.fields[it->second]));
    }

    /// Records a set-once value; true if this is its first appearance. A different value from an
    /// earlier row of the same engagement/recommendation is a problem.
    bool agree(std::map<Column, Seen>& seen, Column column, const std::string& value, std::size_t line,
               const std::string& owner) {
        if (value.empty()) return false;
        const auto it = seen.find(column);
        if (it == seen.end()) {
            seen.emplace(column, Seen{value, line});
            return true;
        }
        if (it->second.value != value) {
            problems_.add(std::to_string(line), owner + " " + std::string(columnName(column)) + " " + inQuotes(value) +
                                                    " conflicts with " + inQuotes(it->second.value) + " on line " +
                                                    std::to_string(it->second.line));
        }
        return false;
    }

    std::optional<domain::TargetDate> date(const CsvRecord& row, Column column, const std::string& line) {
        const std::string text = cell(row, column);
        if (text.empty()) return std::nullopt;
        auto parsed = domain::parseTargetDate(text);
        if (!parsed) {
            problems_.add(line, std::string(columnName(column)) + " " + inQuotes(text) + " is not a valid date; " +
                                    std::string(kDateForms));
        }
        return parsed;
    }

    /// Returns true if the row was a data row (not blank).
    bool readRow(const CsvRecord& row) {
        const bool blank =
            std::all_of(row.fields.begin(), row.fields.end(), [](const std::string& f) { return trim(f).empty(); });
        if (blank) return false;
        const std::string line = std::to_string(row.line);
        if (row.fields.size() != headerWidth_) {
            problems_.add(line, "the row has " + std::to_string(row.fields.size()) + " cells but the header has " +
                                    std::to_string(headerWidth_) + " columns; check for an unquoted comma");
            return true;
        }

        // ---- keys ----
        const std::string reference = cell(row, Column::kEngagementReference);
        if (reference.empty()) problems_.add(line, "engagement reference is empty");
        // 0 = absent or invalid: a plain int, because GCC 12 -O2 falsely warns maybe-uninitialized
        // about std::optional<int> here.
        int recNumber = 0;
        if (const std::string text = cell(row, Column::kRecommendationNumber); text.empty()) {
            problems_.add(line, "recommendation number is empty");
        } else if (recNumber = parseWholeNumber(text).value_or(0); recNumber < 1) {
            problems_.add(line, "recommendation number " + inQuotes(text) + " is not a whole number of 1 or more");
            recNumber = 0;
        }

        // ---- engagement and recommendation cells (parsed even if the keys are bad, to report all) ----
        std::optional<domain::AssuranceLevel> assurance;
        if (const std::string text = cell(row, Column::kAssuranceLevel); !text.empty()) {
            assurance = domain::parseAssuranceLevel(text);
            if (!assurance) {
                problems_.add(
                    line, "assurance level " + inQuotes(text) + " is not one of: " + domain::allowedAssuranceLevels());
            }
        }
        std::optional<domain::Priority> priority;
        if (const std::string text = cell(row, Column::kPriority); !text.empty()) {
            priority = domain::parsePriority(text);
            if (!priority) {
                problems_.add(line, "priority " + inQuotes(text) + " is not one of: " + domain::allowedPriorities() +
                                        " (or H, M, L)");
            }
        }
        std::optional<domain::ManagementResponse> response;
        if (const std::string text = cell(row, Column::kManagementResponse); !text.empty()) {
            response = domain::parseManagementResponse(text);
            if (!response) {
                problems_.add(line, "management response " + inQuotes(text) +
                                        " is not one of: " + domain::allowedManagementResponses());
            }
        }

        // ---- action cells ----
        domain::ActionRecord action;
        action.origin = fileName_ + ":" + line;
        int actionNumber = 0;  // 0 = not given (see recNumber)
        if (const std::string text = cell(row, Column::kActionNumber); !text.empty()) {
            actionNumber = parseWholeNumber(text).value_or(0);
            if (actionNumber < 1) {
                problems_.add(line, "action number " + inQuotes(text) + " is not a whole number of 1 or more");
                actionNumber = 0;
            }
        }
        action.description = cell(row, Column::kActionDescription);
        if (action.description.empty()) problems_.add(line, "action description is empty");
        readOwners(row, line, action);
        action.originalTargetDate = date(row, Column::kTargetDate, line);
        readRevisions(row, line, action);
        if (const std::string text = cell(row, Column::kStatus); !text.empty()) {
            if (const auto status = parseTrackerStatus(text)) {
                action.status = *status;
            } else {
                problems_.add(line, "status " + inQuotes(text) + " is not one of: " + domain::allowedActionStatuses());
            }
        }
        if (const std::string text = cell(row, Column::kPillar); !text.empty()) {
            action.pillar = domain::parsePillar(text);
            if (!action.pillar) {
                using P = domain::Pillar;
                problems_.add(line, "pillar " + inQuotes(text) + " is not one of: " +
                                        allowedNames({P::kPrevent, P::kIdentify, P::kLearning,
                                                      P::kLeadershipAccountability, P::kResolution, P::kStandards}));
            }
        }
        if (const std::string text = cell(row, Column::kLineOfDefence); !text.empty()) {
            action.lineOfDefence = domain::parseLineOfDefence(text);
            if (!action.lineOfDefence) {
                using L = domain::LineOfDefence;
                problems_.add(line, "line of defence " + inQuotes(text) +
                                        " is not one of: " + allowedNames({L::kFirst, L::kSecond, L::kThird}));
            }
        }
        action.auditorAssessment = cell(row, Column::kAuditorAssessment);
        if (const std::string group = cell(row, Column::kResponsibleGroup); !group.empty()) {
            action.responsibleGroupName = group;
        }
        readDecision(row, line, action);
        readProgressUpdate(row, line, action);

        if (reference.empty() || recNumber == 0) return true;

        // ---- grouping ----
        auto [engIt, newEngagement] = engagements_.try_emplace(reference);
        EngagementState& engState = engIt->second;
        if (newEngagement) {
            engState.index = document_.engagements.size();
            domain::EngagementRecord record;
            record.origin = fileName_ + ":" + line;
            record.engagement.reference = reference;
            document_.engagements.push_back(std::move(record));
        }
        domain::EngagementRecord& engagement = document_.engagements[engState.index];
        const std::string engOwner = "engagement " + reference;
        if (const auto v = cell(row, Column::kEngagementTitle);
            agree(engState.seen, Column::kEngagementTitle, v, row.line, engOwner)) {
            engagement.engagement.title = v;
        }
        if (const auto v = cell(row, Column::kAuditYear);
            agree(engState.seen, Column::kAuditYear, v, row.line, engOwner)) {
            engagement.engagement.auditYear = v;
        }
        if (assurance && agree(engState.seen, Column::kAssuranceLevel, std::string(domain::toString(*assurance)),
                               row.line, engOwner)) {
            engagement.engagement.assuranceLevel = assurance;
        }

        auto [recIt, newRecommendation] = engState.recommendations.try_emplace(recNumber);
        RecommendationState& recState = recIt->second;
        if (newRecommendation) {
            recState.index = engagement.recommendations.size();
            recState.firstLine = row.line;
            domain::RecommendationRecord record;
            record.origin = fileName_ + ":" + line;
            record.number = recNumber;
            engagement.recommendations.push_back(std::move(record));
        }
        domain::RecommendationRecord& recommendation = engagement.recommendations[recState.index];
        const std::string recOwner = "recommendation " + std::to_string(recNumber);
        auto text = [&](Column column, std::string& target) {
            if (const auto v = cell(row, column); agree(recState.seen, column, v, row.line, recOwner)) target = v;
        };
        if (!cell(row, Column::kPriority).empty()) recState.priorityGiven = true;
        text(Column::kRecommendationTitle, recommendation.title);
        text(Column::kRecommendationText, recommendation.text);
        text(Column::kIssue, recommendation.issue);
        text(Column::kRisk, recommendation.risk);
        text(Column::kResponseText, recommendation.responseText);
        if (priority &&
            agree(recState.seen, Column::kPriority, std::string(domain::toString(*priority)), row.line, recOwner)) {
            recommendation.priority = *priority;
        }
        if (response && agree(recState.seen, Column::kManagementResponse, std::string(domain::toString(*response)),
                              row.line, recOwner)) {
            recommendation.managementResponse = *response;
        }
        if (const auto risks = splitList(cell(row, Column::kLinkedRisks), ";,\n"); !risks.empty()) {
            std::string joined;
            for (const auto& r : risks) joined += (joined.empty() ? "" : "; ") + r;
            if (agree(recState.seen, Column::kLinkedRisks, joined, row.line, recOwner)) {
                recommendation.linkedRiskReferences = risks;
            }
        }

        action.number = actionNumber > 0 ? actionNumber : static_cast<int>(recommendation.actions.size()) + 1;
        if (const auto it = recState.actionLines.find(action.number); it != recState.actionLines.end()) {
            problems_.add(line, "action " + std::to_string(action.number) + " of recommendation " +
                                    std::to_string(recNumber) + " is already given on line " +
                                    std::to_string(it->second) + "; number each action of a recommendation once");
        } else {
            recState.actionLines.emplace(action.number, row.line);
        }
        recommendation.actions.push_back(std::move(action));
        return true;
    }

    void readOwners(const CsvRecord& row, const std::string& line, domain::ActionRecord& action) {
        const std::string leadCell = cell(row, Column::kLeadOwner);
        const std::string ownersCell = cell(row, Column::kOwners);
        std::vector<std::string> coOwners = splitList(cell(row, Column::kCoOwners), ";\n");
        if (!leadCell.empty() && !ownersCell.empty()) {
            problems_.add(line,
                          "both lead owner and owners are filled; give the lead owner and co-owners, "
                          "or all owners in one owners cell with the lead first");
            return;
        }
        if (!leadCell.empty()) {
            const auto lead = splitList(leadCell, ";\n");
            if (lead.size() > 1) {
                problems_.add(line, "lead owner " + inQuotes(leadCell) +
                                        " names more than one person; put the others in co-owners");
                return;
            }
            action.leadOwnerRoleTitle = lead.front();
        } else {
            auto owners = splitList(ownersCell, ";\n");
            if (!owners.empty()) {
                action.leadOwnerRoleTitle = owners.front();
                coOwners.insert(coOwners.begin(), owners.begin() + 1, owners.end());
            } else if (!coOwners.empty()) {
                problems_.add(line, "co-owners are given but no lead owner");
                return;
            }
        }
        for (auto& owner : coOwners) {
            const bool duplicate = owner == action.leadOwnerRoleTitle ||
                                   std::find(action.coOwnerRoleTitles.begin(), action.coOwnerRoleTitles.end(), owner) !=
                                       action.coOwnerRoleTitles.end();
            if (!duplicate) action.coOwnerRoleTitles.push_back(std::move(owner));
        }
    }

    void readRevisions(const CsvRecord& row, const std::string& line, domain::ActionRecord& action) {
        const auto dates = splitList(cell(row, Column::kRevisedTargetDate), ";\n");
        for (const auto& text : dates) {
            const auto parsed = domain::parseTargetDate(text);
            if (!parsed) {
                problems_.add(
                    line, "revised target date " + inQuotes(text) + " is not a valid date; " + std::string(kDateForms));
                continue;
            }
            domain::RevisionRecord revision;
            revision.origin = action.origin;
            revision.newDate = *parsed;
            // A tracker records revisions without saying who approved them: say where they came from,
            // so the report never presents an untraced date change as an approval.
            revision.approvedBy = "as recorded in tracker " + baseName(fileName_);
            action.revisions.push_back(std::move(revision));
        }
        if (!action.revisions.empty()) {
            // A tracker keeps one reason/approval: it belongs to the latest revision.
            action.revisions.back().reason = cell(row, Column::kRevisionReason);
            if (const std::string approver = cell(row, Column::kRevisionApprovedBy); !approver.empty()) {
                action.revisions.back().approvedBy = approver;
            }
        } else if (dates.empty() && !cell(row, Column::kRevisionReason).empty()) {
            problems_.add(line, "a revision reason is given without a revised target date");
        }
    }

    /// The group decision that closed an action (risk accepted / withdrawn): group, date, reference.
    void readDecision(const CsvRecord& row, const std::string& line, domain::ActionRecord& action) {
        const std::string group = cell(row, Column::kDecisionGroup);
        const std::string date = cell(row, Column::kDecisionDate);
        if (group.empty() && date.empty()) return;
        if (group.empty() || date.empty()) {
            problems_.add(line, "a group decision needs both the decision group and the decision date");
            return;
        }
        const auto day = domain::parseTargetDate(date);
        if (!day || day->precision != domain::DatePrecision::kDay) {
            problems_.add(line, "decision date " + inQuotes(date) + " is not a day (dd/mm/yyyy or yyyy-mm-dd)");
            return;
        }
        domain::DecisionRecord decision;
        decision.groupName = group;
        decision.date = day->date;
        decision.reference = cell(row, Column::kDecisionReference);
        // The power follows from the status the row gives.
        decision.power = action.status == domain::ActionStatus::kWithdrawn ? domain::PowerKind::kWithdrawAction
                                                                           : domain::PowerKind::kAcceptRisk;
        action.closure = decision;
    }

    void readProgressUpdate(const CsvRecord& row, const std::string& line, domain::ActionRecord& action) {
        const std::string text = cell(row, Column::kLastUpdate);
        const std::string percentText = cell(row, Column::kPercent);
        const std::string dateText = cell(row, Column::kLastUpdateDate);
        std::optional<int> percent;
        if (!percentText.empty()) {
            percent = parsePercent(percentText);
            if (!percent)
                problems_.add(line, "percent " + inQuotes(percentText) + " is not a whole number from 0 to 100");
        }
        if (text.empty() && percentText.empty()) return;
        if (dateText.empty()) {
            problems_.add(line, "last update date is empty; a last update or percent needs the date it was given");
            return;
        }
        const auto parsed = domain::parseTargetDate(dateText);
        if (!parsed || parsed->precision != domain::DatePrecision::kDay) {
            problems_.add(line,
                          "last update date " + inQuotes(dateText) + " is not a day; use dd/mm/yyyy or yyyy-mm-dd");
            return;
        }
        domain::ProgressUpdateRecord update;
        update.origin = action.origin;
        update.date = parsed->date;
        update.text = text;
        update.percent = percent;
        if (const auto author = cell(row, Column::kUpdatedBy); !author.empty()) update.authorRoleTitle = author;
        action.progressUpdates.push_back(std::move(update));
    }

    std::string_view content_;
    std::string fileName_;
    Problems problems_;
    std::size_t headerWidth_ = 0;
    std::map<Column, std::size_t> columns_;
    std::map<std::string, EngagementState> engagements_;
    domain::ActionPlanDocument document_;
};

}  // namespace

domain::ActionPlanDocument readCsvTracker(std::string_view content, const std::string& fileName) {
    return TrackerReader(content, fileName).read();
}

}  // namespace govtrack::interchange
