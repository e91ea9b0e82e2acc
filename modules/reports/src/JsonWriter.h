#pragma once

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "govtrack/domain/Text.h"

namespace govtrack::reports {

/// A streaming JSON writer (RFC 8259) for large reports, indented two spaces per level.
/// Why not nlohmann_json here: building its DOM for an organisation-wide follow-up report (16,000
/// recommendations, 40,000 actions), dumping and freeing it took ~1 s of a 2.5 s report; writing the
/// same document straight into a string takes ~0.2 s (docs/performance.md). Small documents keep using
/// nlohmann. Strings are escaped per RFC 8259 section 7; invalid UTF-8 becomes U+FFFD.
class JsonWriter {
public:
    explicit JsonWriter(std::string& out) : out_(out) {}

    void beginObject() { open('{'); }
    void endObject() { close('}'); }
    void beginArray() { open('['); }
    void endArray() { close(']'); }

    void key(std::string_view name) {
        separate();
        string(name);
        out_ += ": ";
        afterKey_ = true;
    }

    void value(std::string_view s) {
        separate();
        string(s);
    }
    void value(const char* s) { value(std::string_view(s)); }
    void value(const std::string& s) { value(std::string_view(s)); }
    void value(bool b) {
        separate();
        out_ += b ? "true" : "false";
    }
    void value(int n) { integer(n); }
    void value(std::int64_t n) { integer(n); }
    void value(std::size_t n) { integer(static_cast<std::int64_t>(n)); }
    void value(double d) {
        separate();
        char buf[32];
        auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
        std::string_view text(buf, static_cast<std::size_t>(end - buf));
        out_ += text;
        if (text.find_first_of(".eE") == std::string_view::npos) out_ += ".0";
    }
    void null() {
        separate();
        out_ += "null";
    }

    template <typename T>
    void field(std::string_view name, const T& v) {
        key(name);
        value(v);
    }
    void nullField(std::string_view name) {
        key(name);
        null();
    }
    void stringArray(std::string_view name, const std::vector<std::string>& items) {
        key(name);
        beginArray();
        for (const auto& i : items) value(i);
        endArray();
    }

private:
    template <typename N>
    void integer(N n) {
        separate();
        char buf[24];
        auto [end, ec] = std::to_chars(buf, buf + sizeof buf, n);
        out_.append(buf, end);
    }

    void open(char c) {
        separate();
        out_ += c;
        first_.push_back(true);
    }
    void close(char c) {
        const bool empty = first_.back();
        first_.pop_back();
        if (!empty) newline();
        out_ += c;
    }
    /// Comma and newline before every element but the first of its container; nothing after a key.
    void separate() {
        if (afterKey_) {
            afterKey_ = false;
            return;
        }
        if (first_.empty()) return;
        if (!first_.back()) out_ += ',';
        first_.back() = false;
        newline();
    }
    void newline() {
        out_ += '\n';
        out_.append(2 * first_.size(), ' ');
    }

    /// Writes a JSON string in one pass: runs of plain characters are appended whole, control
    /// characters and quotes escaped, and each byte that does not start a valid UTF-8 sequence becomes
    /// U+FFFD. (The report's hot path: a per-character append took a quarter of the report's time.)
    void string(std::string_view s) {
        out_ += '"';
        const char* p = s.data();
        const char* const end = p + s.size();
        const char* run = p;
        while (p < end) {
            const auto c = static_cast<unsigned char>(*p);
            if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
                ++p;
                continue;
            }
            if (c >= 0x80) {
                if (const std::size_t len = sequenceLength(p, end)) {
                    p += len;
                    continue;
                }
                out_.append(run, p);
                out_ += "\xEF\xBF\xBD";
                run = ++p;
                continue;
            }
            out_.append(run, p);
            switch (c) {
                case '"':
                    out_ += "\\\"";
                    break;
                case '\\':
                    out_ += "\\\\";
                    break;
                case '\n':
                    out_ += "\\n";
                    break;
                case '\r':
                    out_ += "\\r";
                    break;
                case '\t':
                    out_ += "\\t";
                    break;
                default: {
                    static const char* hex = "0123456789abcdef";
                    out_ += "\\u00";
                    out_ += hex[c >> 4];
                    out_ += hex[c & 0xF];
                }
            }
            run = ++p;
        }
        out_.append(run, p);
        out_ += '"';
    }

    /// Length of the valid UTF-8 sequence starting at p (2..4), or 0 if it is not one.
    static std::size_t sequenceLength(const char* p, const char* end) {
        const auto c = static_cast<unsigned char>(*p);
        std::size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
        if (len == 0 || static_cast<std::size_t>(end - p) < len) return 0;
        return domain::isValidUtf8(std::string_view(p, len)) ? len : 0;
    }

    std::string& out_;
    std::vector<bool> first_;  ///< per open container: no element written yet
    bool afterKey_ = false;
};

}  // namespace govtrack::reports
