#include "govtrack/interchange/Csv.h"

#include "govtrack/domain/Error.h"

namespace govtrack::interchange {

namespace {

[[noreturn]] void throwAt(const std::string& fileName, std::size_t line, const std::string& message) {
    std::string where = fileName + ":" + std::to_string(line);
    throw domain::ValidationError(where + ": " + message, {domain::FieldError{where, message}});
}

bool isLineEnd(char c) {
    return c == '\r' || c == '\n';
}

}  // namespace

std::vector<CsvRecord> parseCsv(std::string_view content, const std::string& fileName) {
    if (content.starts_with("\xEF\xBB\xBF")) content.remove_prefix(3);
    if (content.starts_with("\xFF\xFE") || content.starts_with("\xFE\xFF")) {
        throwAt(fileName, 1, "the file is UTF-16 encoded; save it as \"CSV UTF-8\"");
    }

    std::vector<CsvRecord> records;
    const std::size_t n = content.size();
    std::size_t i = 0;
    std::size_t line = 1;

    // Consumes one line end at content[i] (CRLF, LF or CR) and counts it.
    auto skipLineEnd = [&] {
        if (content[i] == '\r' && i + 1 < n && content[i + 1] == '\n') ++i;
        ++i;
        ++line;
    };

    while (i < n) {
        CsvRecord record;
        record.line = line;
        while (true) {
            std::string field;
            if (content[i] == '"') {  // i < n here: a field starts only where input remains
                const std::size_t openLine = line;
                ++i;
                bool closed = false;
                while (i < n) {
                    const char c = content[i];
                    if (c == '"') {
                        if (i + 1 < n && content[i + 1] == '"') {
                            field += '"';
                            i += 2;
                            continue;
                        }
                        ++i;
                        closed = true;
                        break;
                    }
                    if (isLineEnd(c)) {
                        field += '\n';
                        skipLineEnd();
                        continue;
                    }
                    field += c;
                    ++i;
                }
                if (!closed) {
                    throwAt(fileName, openLine,
                            "unterminated quoted field: the quote opened on this line is never closed");
                }
                if (i < n && content[i] != ',' && !isLineEnd(content[i])) {
                    throwAt(fileName, line,
                            std::string("unexpected character '") + content[i] +
                                "' after a closing quote; inside a quoted field write a quote as \"\"");
                }
            } else {
                while (i < n && content[i] != ',' && !isLineEnd(content[i])) field += content[i++];
            }
            record.fields.push_back(std::move(field));
            if (i >= n) break;
            if (content[i] == ',') {
                ++i;
                if (i >= n) {
                    record.fields.emplace_back();  // "a,b," ends with an empty field
                    break;
                }
                continue;
            }
            skipLineEnd();
            break;
        }
        const bool blank = record.fields.size() == 1 && record.fields.front().empty();
        if (!blank) records.push_back(std::move(record));
    }
    return records;
}

std::string csvEscapeCell(std::string_view cell) {
    std::string value;
    if (!cell.empty()) {
        const char first = cell.front();
        if (first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r') value = "'";
    }
    value.append(cell);
    const bool needsQuotes = value.find_first_of(",\"\r\n") != std::string::npos ||
                             (!value.empty() && (value.front() == ' ' || value.back() == ' '));
    if (!needsQuotes) return value;
    std::string out = "\"";
    for (char c : value) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
    return out;
}

std::string csvFormatRecord(const std::vector<std::string>& cells) {
    std::string out;
    for (std::size_t k = 0; k < cells.size(); ++k) {
        if (k > 0) out += ',';
        out += csvEscapeCell(cells[k]);
    }
    out += "\r\n";
    return out;
}

}  // namespace govtrack::interchange
