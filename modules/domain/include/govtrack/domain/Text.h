#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

/// Checks on text that enters the store from files and requests. Bad bytes stored once break every
/// later report (a JSON encoder refuses invalid UTF-8; a NUL cuts C strings short), so they are refused
/// at the door with the field named.
namespace govtrack::domain {

/// Longest natural key (reference, role title, unit or group name), in bytes.
inline constexpr std::size_t kMaxKeyBytes = 200;
/// Longest free text (description, scope, progress update), in bytes.
inline constexpr std::size_t kMaxTextBytes = 100'000;

/// True if `text` is well-formed UTF-8 (RFC 3629: no overlongs, no surrogates, at most U+10FFFF).
bool isValidUtf8(std::string_view text) noexcept;

/// Text made safe for HTML element content and attribute values (& < > " '): report pages and the HTML
/// part of reminder digests.
std::string htmlEscape(std::string_view text);

enum class TextKind {
    kKey,        ///< one line, no control characters, at most kMaxKeyBytes
    kLine,       ///< one line, tab allowed, at most kMaxTextBytes
    kMultiLine,  ///< line breaks and tabs allowed, at most kMaxTextBytes
};

/// Why `text` may not be stored as `kind`, e.g. "is not valid UTF-8", "contains the control character
/// U+0000", "is longer than 200 bytes"; nullopt if it may.
std::optional<std::string> textProblem(std::string_view text, TextKind kind);

}  // namespace govtrack::domain
