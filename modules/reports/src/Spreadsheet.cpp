#include "govtrack/reports/Spreadsheet.h"

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <Poco/TemporaryFile.h>
#include <xlsxwriter.h>

#include "govtrack/domain/Error.h"
#include "govtrack/interchange/Csv.h"

namespace govtrack::reports {
namespace {

void check(lxw_error error, const char* what) {
    if (error != LXW_NO_ERROR) {
        throw domain::Error(domain::ErrorCode::kInternal, "Cannot create the spreadsheet.", {},
                            std::string(what) + ": " + lxw_strerror(error));
    }
}

/// A whole decimal number ("12", "-3"); nullopt for anything else, so "007" stays text only if it is not.
std::optional<double> number(const std::string& cell) {
    if (cell.empty() || cell.size() > 15) return std::nullopt;
    long value = 0;
    const auto [end, error] = std::from_chars(cell.data(), cell.data() + cell.size(), value);
    if (error != std::errc() || end != cell.data() + cell.size()) return std::nullopt;
    return static_cast<double>(value);
}

}  // namespace

std::string renderTableCsv(const Table& table, bool withBom) {
    std::string out = withBom ? "\xEF\xBB\xBF" : "";
    out += interchange::csvFormatRecord(table.header);
    for (const auto& row : table.rows) out += interchange::csvFormatRecord(row);
    return out;
}

std::string renderTableXlsx(const Table& table) {
    // libxlsxwriter 1.1 writes only to a named file (no memory buffer). Poco::TemporaryFile names it and
    // deletes it on scope exit; createFile() makes it with O_EXCL, so nobody else's file is written through.
    Poco::TemporaryFile file;
    if (!file.createFile()) {
        throw domain::Error(domain::ErrorCode::kInternal, "Cannot create the spreadsheet.", {},
                            "temporary file " + file.path() + " already exists");
    }
    lxw_workbook_options options{};
    options.constant_memory = LXW_FALSE;
    options.tmpdir = nullptr;
    options.use_zip64 = LXW_FALSE;
    lxw_workbook* workbook = workbook_new_opt(file.path().c_str(), &options);
    if (!workbook)
        throw domain::Error(domain::ErrorCode::kInternal, "Cannot create the spreadsheet.", {}, "workbook_new");
    const std::string sheetName = table.sheetName.empty() ? "Sheet1" : table.sheetName.substr(0, 31);
    lxw_worksheet* sheet = workbook_add_worksheet(workbook, sheetName.c_str());
    lxw_format* bold = workbook_add_format(workbook);
    format_set_bold(bold);
    lxw_format* wrap = workbook_add_format(workbook);
    format_set_text_wrap(wrap);
    format_set_align(wrap, LXW_ALIGN_VERTICAL_TOP);
    if (!sheet || !bold || !wrap) {
        workbook_close(workbook);
        throw domain::Error(domain::ErrorCode::kInternal, "Cannot create the spreadsheet.", {}, "worksheet");
    }
    for (std::size_t c = 0; c < table.header.size(); ++c) {
        worksheet_write_string(sheet, 0, static_cast<lxw_col_t>(c), table.header[c].c_str(), bold);
        worksheet_set_column(sheet, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c),
                             table.numericColumns.count(c) ? 10 : 22, nullptr);
    }
    lxw_row_t r = 1;
    for (const auto& row : table.rows) {
        for (std::size_t c = 0; c < row.size(); ++c) {
            const auto col = static_cast<lxw_col_t>(c);
            if (row[c].empty()) continue;
            const auto value = table.numericColumns.count(c) ? number(row[c]) : std::nullopt;
            if (value) {
                worksheet_write_number(sheet, r, col, *value, nullptr);
            } else {
                // write_string never interprets the text: "=1+2" stays text, no formula-injection guard needed.
                worksheet_write_string(sheet, r, col, row[c].c_str(), wrap);
            }
        }
        ++r;
    }
    if (!table.header.empty()) {
        worksheet_freeze_panes(sheet, 1, 0);
        worksheet_autofilter(sheet, 0, 0, r - 1, static_cast<lxw_col_t>(table.header.size() - 1));
    }
    check(workbook_close(workbook), "workbook_close");

    std::ifstream in(file.path(), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) {
        throw domain::Error(domain::ErrorCode::kInternal, "Cannot create the spreadsheet.", {}, "read back");
    }
    return bytes;
}

}  // namespace govtrack::reports
