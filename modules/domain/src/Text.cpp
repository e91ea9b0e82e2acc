#include "govtrack/domain/Text.h"

#include <cstdio>

namespace govtrack::domain {

bool isValidUtf8(std::string_view text) noexcept {
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const auto* end = p + text.size();
    while (p < end) {
        const unsigned char c = *p;
        std::size_t length = 0;
        char32_t code = 0;
        if (c < 0x80) {
            ++p;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            length = 2;
            code = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            length = 3;
            code = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            length = 4;
            code = c & 0x07;
        } else {
            return false;
        }
        if (static_cast<std::size_t>(end - p) < length) return false;
        for (std::size_t i = 1; i < length; ++i) {
            if ((p[i] & 0xC0) != 0x80) return false;
            code = (code << 6) | (p[i] & 0x3F);
        }
        const bool overlong =
            (length == 2 && code < 0x80) || (length == 3 && code < 0x800) || (length == 4 && code < 0x10000);
        if (overlong || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return false;
        p += length;
    }
    return true;
}

std::optional<std::string> textProblem(std::string_view text, TextKind kind) {
    const std::size_t limit = kind == TextKind::kKey ? kMaxKeyBytes : kMaxTextBytes;
    if (text.size() > limit) return "is longer than " + std::to_string(limit) + " bytes";
    if (!isValidUtf8(text)) return std::string("is not valid UTF-8 (save the file as UTF-8)");
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        const bool control = c < 0x20 || c == 0x7F;
        if (!control) continue;
        if (c == '\t' && kind != TextKind::kKey) continue;
        if ((c == '\n' || c == '\r') && kind == TextKind::kMultiLine) continue;
        char code[8];
        std::snprintf(code, sizeof code, "U+%04X", c);
        return std::string("contains the control character ") + code;
    }
    // Characters that are invisible but change how text reads (Trojan Source, CVE-2021-42574): a file
    // name "Minutes<U+202E>fdp.hta" shows as "Minutesath.pdf". Also the C1 controls (NEL, U+0085), and the
    // Unicode line and paragraph separators outside multi-line text. Valid UTF-8 is established above.
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto b0 = static_cast<unsigned char>(text[i]);
        unsigned codePoint = 0;
        if (b0 == 0xC2 && i + 1 < text.size()) {
            codePoint = static_cast<unsigned char>(text[i + 1]);  // U+0080..U+00BF
            if (codePoint >= 0xA0) codePoint = 0;
        } else if (b0 == 0xE2 && i + 2 < text.size()) {
            codePoint = 0x2000u + ((static_cast<unsigned char>(text[i + 1]) & 0x3Fu) << 6) +
                        (static_cast<unsigned char>(text[i + 2]) & 0x3Fu);
        }
        if (codePoint == 0) continue;
        char code[8];
        std::snprintf(code, sizeof code, "U+%04X", codePoint);
        if (codePoint >= 0x80 && codePoint <= 0x9F) return std::string("contains the control character ") + code;
        const bool bidi = (codePoint >= 0x202A && codePoint <= 0x202E) || (codePoint >= 0x2066 && codePoint <= 0x2069);
        if (bidi) {
            return std::string("contains the invisible direction character ") + code +
                   ", which can make text read differently from what it is";
        }
        if ((codePoint == 0x2028 || codePoint == 0x2029) && kind != TextKind::kMultiLine)
            return std::string("contains the line separator ") + code;
    }
    return std::nullopt;
}

std::string htmlEscape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

}  // namespace govtrack::domain
