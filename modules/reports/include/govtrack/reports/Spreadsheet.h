#pragma once

#include <set>
#include <string>
#include <vector>

#include "govtrack/reports/FollowUpReport.h"

/// Tabular exports: one header row and data rows of text, written as CSV (RFC 4180, formula-injection
/// safe) or as an XLSX workbook (libxlsxwriter). SPEC 5 "Export: CSV (formula-injection safe), XLSX".
namespace govtrack::reports {

struct Table {
    std::string sheetName;                       ///< XLSX worksheet name (at most 31 characters)
    std::vector<std::string> header;             ///< column headings
    std::vector<std::vector<std::string>> rows;  ///< each as long as `header`
    std::set<std::size_t> numericColumns;        ///< columns written as numbers in XLSX when the cell parses
};

/// RFC 4180 CSV with CRLF line ends; cells starting with = + - @ (or tab / CR) are prefixed with ' so
/// spreadsheets do not run them as formulas; `withBom` prepends a UTF-8 BOM for Excel.
std::string renderTableCsv(const Table& table, bool withBom = false);

/// The bytes of an .xlsx workbook with one worksheet: a bold, frozen header row with an autofilter, text
/// cells written as strings (never as formulas), numeric columns as numbers. Throws domain::Error
/// (kInternal) if libxlsxwriter fails (e.g. no writable temporary directory).
std::string renderTableXlsx(const Table& table);

/// The follow-up report as a table: the columns and rows of renderCsv() (one row per action).
Table followUpTable(const FollowUpReport& report);

/// The follow-up report as an .xlsx workbook (the CSV's columns; revisions, slip, days overdue and percent
/// as numbers).
std::string renderXlsx(const FollowUpReport& report);

}  // namespace govtrack::reports
