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
