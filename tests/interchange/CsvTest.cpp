#include <gtest/gtest.h>

#include "govtrack/domain/Error.h"
#include "govtrack/interchange/Csv.h"

namespace govtrack::interchange {
namespace {

using Fields = std::vector<std::string>;

TEST(Csv, ParsesSimpleRecordsWithLineNumbers) {
    const auto records = parseCsv("a,b,c\n1,2,3\n", "t.csv");
    ASSERT_EQ(records.size(), 2U);
    EXPECT_EQ(records[0].fields, (Fields{"a", "b", "c"}));
    EXPECT_EQ(records[0].line, 1U);
    EXPECT_EQ(records[1].fields, (Fields{"1", "2", "3"}));
    EXPECT_EQ(records[1].line, 2U);
}

TEST(Csv, SkipsUtf8ByteOrderMark) {
    const auto records = parseCsv("\xEF\xBB\xBFPriority,Status\r\nHigh,Open\r\n", "t.csv");
    ASSERT_EQ(records.size(), 2U);
    EXPECT_EQ(records[0].fields, (Fields{"Priority", "Status"}));
}

TEST(Csv, AcceptsCrlfAndLfAndLoneCr) {
    const auto records = parseCsv("a,b\r\nc,d\ne,f\rg,h", "t.csv");
    ASSERT_EQ(records.size(), 4U);
    EXPECT_EQ(records[1].fields, (Fields{"c", "d"}));
    EXPECT_EQ(records[2].line, 3U);
    EXPECT_EQ(records[3].fields, (Fields{"g", "h"}));
    EXPECT_EQ(records[3].line, 4U);
}

TEST(Csv, QuotedFieldsHoldCommasDoubledQuotesAndLineBreaks) {
    const std::string text =
        "rec,owners\r\n"
        "1,\"Head of Performance, Analysis and Strategy\"\r\n"
        "2,\"Chief Data Officer\r\nProduct Owner\"\r\n"
        "3,\"the \"\"Performance Forum\"\"\"\r\n";
    const auto records = parseCsv(text, "t.csv");
    ASSERT_EQ(records.size(), 4U);
    EXPECT_EQ(records[1].fields[1], "Head of Performance, Analysis and Strategy");
    EXPECT_EQ(records[2].fields[1], "Chief Data Officer\nProduct Owner");  // CRLF inside a cell becomes LF
    EXPECT_EQ(records[2].line, 3U);
    EXPECT_EQ(records[3].fields[1], "the \"Performance Forum\"");
    EXPECT_EQ(records[3].line, 5U);  // the cell on line 3 spans two physical lines
}

TEST(Csv, EmptyFieldsAndTrailingComma) {
    const auto records = parseCsv("a,,c,\n\"\",x,,\n", "t.csv");
    ASSERT_EQ(records.size(), 2U);
    EXPECT_EQ(records[0].fields, (Fields{"a", "", "c", ""}));
    EXPECT_EQ(records[1].fields, (Fields{"", "x", "", ""}));
}

TEST(Csv, SkipsBlankAndTrailingEmptyLines) {
    const auto records = parseCsv("a,b\n\n1,2\n\r\n", "t.csv");
    ASSERT_EQ(records.size(), 2U);
    EXPECT_EQ(records[1].fields, (Fields{"1", "2"}));
    EXPECT_EQ(records[1].line, 3U);
    EXPECT_TRUE(parseCsv("", "t.csv").empty());
    EXPECT_TRUE(parseCsv("\xEF\xBB\xBF", "t.csv").empty());
}

TEST(Csv, UnterminatedQuoteNamesTheLineWhereItOpened) {
    try {
        parseCsv("a,b\n1,2\n3,\"never closed\n4,5\n", "tracker.csv");
        FAIL() << "expected ValidationError";
    } catch (const domain::ValidationError& e) {
        ASSERT_EQ(e.errors().size(), 1U);
        EXPECT_EQ(e.errors()[0].where, "tracker.csv:3");
        EXPECT_NE(e.errors()[0].message.find("unterminated"), std::string::npos);
        EXPECT_EQ(std::string(e.what()).rfind("tracker.csv:3: unterminated", 0), 0U) << e.what();
    }
}

TEST(Csv, TextAfterClosingQuoteIsAnError) {
    try {
        parseCsv("a,b\n\"x\"y,2\n", "t.csv");
        FAIL() << "expected ValidationError";
    } catch (const domain::ValidationError& e) {
        ASSERT_EQ(e.errors().size(), 1U);
        EXPECT_EQ(e.errors()[0].where, "t.csv:2");
    }
}

TEST(Csv, RefusesUtf16) {
    EXPECT_THROW(parseCsv("\xFF\xFE"
                          "a\0,\0b\0",
                          "t.csv"),
                 domain::ValidationError);
}

TEST(CsvEscape, LeavesPlainCellsAlone) {
    EXPECT_EQ(csvEscapeCell("Head of People & Place"), "Head of People & Place");
    EXPECT_EQ(csvEscapeCell(""), "");
}

TEST(CsvEscape, QuotesCommasQuotesAndLineBreaks) {
    EXPECT_EQ(csvEscapeCell("Head of Performance, Analysis and Strategy"),
              "\"Head of Performance, Analysis and Strategy\"");
    EXPECT_EQ(csvEscapeCell("the \"Forum\""), "\"the \"\"Forum\"\"\"");
    EXPECT_EQ(csvEscapeCell("a\nb"), "\"a\nb\"");
    EXPECT_EQ(csvEscapeCell(" padded"), "\" padded\"");
}

TEST(CsvEscape, NeutralisesFormulaInjection) {
    EXPECT_EQ(csvEscapeCell("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
    EXPECT_EQ(csvEscapeCell("+1"), "'+1");
    EXPECT_EQ(csvEscapeCell("-1"), "'-1");
    EXPECT_EQ(csvEscapeCell("@SUM(A1)"), "'@SUM(A1)");
    EXPECT_EQ(csvEscapeCell("\tx"), "'\tx");
    EXPECT_EQ(csvEscapeCell("\rx"), "\"'\rx\"");
    EXPECT_EQ(csvEscapeCell("a=b"), "a=b");
}

TEST(CsvEscape, RecordsRoundTripThroughTheParser) {
    const Fields cells{"1", "Head of Performance, Analysis and Strategy", "two\nlines", "say \"hi\"", ""};
    const std::string text = csvFormatRecord(cells) + csvFormatRecord({"x"});
    EXPECT_TRUE(text.ends_with("\r\n"));
    const auto records = parseCsv(text, "t.csv");
    ASSERT_EQ(records.size(), 2U);
    EXPECT_EQ(records[0].fields, cells);
    EXPECT_EQ(records[1].line, 3U);
}

}  // namespace
}  // namespace govtrack::interchange
