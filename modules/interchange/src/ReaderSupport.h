#pragma once

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "govtrack/domain/Error.h"

/// Helpers shared by the CSV tracker and JSON plan readers (private to the interchange module).
namespace govtrack::interchange::detail {

/// Leading and trailing ASCII white space removed.
inline std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())) != 0) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())) != 0) s.remove_suffix(1);
    return s;
}

/// A column heading as matched: lower-case, runs of white space / underscores folded to one space,
/// trimmed ("Target  Date", "target_date" -> "target date").
inline std::string normaliseHeading(std::string_view heading) {
    std::string out;
    bool pendingSpace = false;
    for (char c : trim(heading)) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isspace(u) != 0 || c == '_') {
            pendingSpace = !out.empty();
            continue;
        }
        if (pendingSpace) out += ' ';
        pendingSpace = false;
        out += static_cast<char>(std::tolower(u));
    }
    return out;
}

/// Splits a cell (owners, risk references, dates) on any of `separators`; parts trimmed, empty ones dropped.
inline std::vector<std::string> splitList(std::string_view cell, std::string_view separators) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (start <= cell.size()) {
        const std::size_t end = std::min(cell.find_first_of(separators, start), cell.size());
        const std::string_view part = trim(cell.substr(start, end - start));
        if (!part.empty()) parts.emplace_back(part);
        start = end + 1;
    }
    return parts;
}

/// "12" (spaces around allowed) -> 12; nullopt for anything else ("12a", "", "1.5").
inline std::optional<int> parseWholeNumber(std::string_view text) {
    text = trim(text);
    int value = 0;
    const auto* end = text.data() + text.size();
    const auto result = std::from_chars(text.data(), end, value);
    if (text.empty() || result.ec != std::errc{} || result.ptr != end) return std::nullopt;
    return value;
}

inline std::string toLower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

/// Every problem found in one input file; thrown together as one ValidationError (all-or-nothing).
class Problems {
public:
    explicit Problems(std::string fileName) : fileName_(std::move(fileName)) {}

    /// Records a problem at `location` (a line number or a JSON pointer), giving where "FILE:location".
    void add(const std::string& location, std::string message) {
        errors_.push_back(
            domain::FieldError{location.empty() ? fileName_ : fileName_ + ":" + location, std::move(message)});
    }
    bool empty() const { return errors_.empty(); }
    std::size_t size() const { return errors_.size(); }

    /// Throws domain::ValidationError "FILE: N problems found; nothing was imported" carrying every
    /// problem, if any was recorded.
    void throwIfAny() const {
        if (errors_.empty()) return;
        std::string detail = fileName_ + ": " + std::to_string(errors_.size()) +
                             (errors_.size() == 1 ? " problem" : " problems") + " found; nothing was imported";
        throw domain::ValidationError(std::move(detail), errors_);
    }

private:
    std::string fileName_;
    std::vector<domain::FieldError> errors_;
};

/// "'text'" for messages, with control characters shown as spaces and long values shortened.
inline std::string inQuotes(std::string_view value) {
    std::string out = "'";
    std::size_t n = 0;
    for (char c : value) {
        if (++n > 60) {
            out += "...";
            break;
        }
        out += (static_cast<unsigned char>(c) < 0x20) ? ' ' : c;
    }
    return out + "'";
}

}  // namespace govtrack::interchange::detail
