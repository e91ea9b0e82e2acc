#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

/// Reading and writing comma-separated values as RFC 4180 defines them, with the tolerances real
/// spreadsheet exports need (UTF-8 byte order mark, LF or CRLF line ends).
namespace govtrack::interchange {

/// One CSV record (a row) and where it starts in the file.
struct CsvRecord {
    std::size_t line = 1;             ///< 1-based physical line on which the record starts
    std::vector<std::string> fields;  ///< cell values, unquoted; line breaks inside cells become "\n"
};

/// Parses CSV text into records. RFC 4180 section 2, plus:
/// - a UTF-8 byte order mark at the start is skipped;
/// - records end with CRLF, LF or a lone CR; the last record may lack a line end;
/// - quoted fields may hold commas, doubled quotes ("" -> ") and line breaks (each counted as a
///   physical line, so the next record's `line` is right);
/// - blank lines (a record that is a single empty field) are skipped, including a trailing one.
/// A quote inside an unquoted field is kept as a literal character.
/// `fileName` is only used in error locations.
/// Throws domain::ValidationError with one error whose where is "FILE:LINE" when a quoted field is
/// never closed (LINE is where the quote opened), when a closing quote is followed by anything
/// other than a comma or a line end, or when the text is UTF-16 (byte order mark FF FE / FE FF).
std::vector<CsvRecord> parseCsv(std::string_view content, const std::string& fileName);

/// One cell ready for a CSV file: formula injection is neutralised by prefixing a ' to a cell that
/// starts with = + - @ TAB or CR (OWASP "CSV Injection"), then the cell is quoted (doubling inner
/// quotes) when it holds a comma, quote, CR or LF, or starts or ends with a space. RFC 4180 2.6-2.7.
std::string csvEscapeCell(std::string_view cell);

/// One record: the cells escaped with csvEscapeCell, joined by commas, ended by CRLF (RFC 4180 2.1).
std::string csvFormatRecord(const std::vector<std::string>& cells);

}  // namespace govtrack::interchange
