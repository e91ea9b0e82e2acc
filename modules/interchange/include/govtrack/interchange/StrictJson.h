#pragma once

#include <set>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

/// JSON as govtrack reads it from files and request bodies. nlohmann keeps the last of duplicate keys
/// silently, so {"reference":"A","reference":"B"} would be read as "B" without a word; every reader of
/// untrusted JSON goes through parseStrictJson, which also reports such keys.
namespace govtrack::interchange {

/// Deepest nesting of objects and arrays accepted (a plan file needs about 6).
inline constexpr int kMaxJsonDepth = 64;

/// Parses `text` (RFC 8259). Keys that appear more than once in one object (at any depth) are added to
/// `duplicateKeys`; the caller refuses the document if any are. Throws nlohmann::json::parse_error (with
/// its byte offset) for malformed JSON, nlohmann::json::out_of_range for a number too large, and
/// domain::ValidationError for nesting deeper than kMaxJsonDepth (it stops reading there, so a hostile
/// "[[[[..." costs nothing).
nlohmann::json parseStrictJson(std::string_view text, std::set<std::string>& duplicateKeys);

}  // namespace govtrack::interchange
