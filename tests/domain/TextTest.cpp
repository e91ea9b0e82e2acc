// Text checks at the door (domain/Text.h) and the names evidence files are downloaded under
// (domain/ActionService.h); both from the attack run on chase notes and evidence uploads.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "govtrack/domain/ActionService.h"
#include "govtrack/domain/Text.h"

namespace d = govtrack::domain;

TEST(TextProblem, RefusesInvisibleDirectionCharactersThatDisguiseText) {
    // "Minutes<RLO>fdp.hta" shows as "Minutesath.pdf".
    const auto rlo = d::textProblem("Minutes\xE2\x80\xAE" "fdp.hta", d::TextKind::kKey);
    ASSERT_TRUE(rlo);
    EXPECT_EQ(*rlo, "contains the invisible direction character U+202E, which can make text read differently "
                    "from what it is");
    for (const char* bidi : {"\xE2\x80\xAA", "\xE2\x80\xAB", "\xE2\x80\xAC", "\xE2\x80\xAD", "\xE2\x81\xA6",
                             "\xE2\x81\xA7", "\xE2\x81\xA8", "\xE2\x81\xA9"}) {
        for (auto kind : {d::TextKind::kKey, d::TextKind::kLine, d::TextKind::kMultiLine}) {
            EXPECT_TRUE(d::textProblem(std::string("a") + bidi + "b", kind)) << bidi;
        }
    }
}

TEST(TextProblem, RefusesC1ControlsAndUnicodeLineSeparatorsOutsideMultiLineText) {
    EXPECT_EQ(d::textProblem("next\xC2\x85line", d::TextKind::kMultiLine), "contains the control character U+0085");
    EXPECT_EQ(d::textProblem("a\xE2\x80\xA8" "b", d::TextKind::kLine), "contains the line separator U+2028");
    EXPECT_EQ(d::textProblem("a\xE2\x80\xA9" "b", d::TextKind::kKey), "contains the line separator U+2029");
    EXPECT_FALSE(d::textProblem("a\xE2\x80\xA8" "b", d::TextKind::kMultiLine));
}

TEST(TextProblem, KeepsOrdinaryTextIncludingAccentsDashesAndNoBreakSpaces) {
    for (const char* ok : {"Caf\xC3\xA9 na\xC3\xAFve", "Head of People \xE2\x80\x94 Place", "10\xC2\xA0%",
                           "\xE2\x80\x9Cquoted\xE2\x80\x9D \xE2\x80\xA2 bullet \xE2\x82\xAC" "5",
                           "\xD8\xA7\xD9\x84\xD8\xB9\xD8\xB1\xD8\xA8\xD9\x8A\xD8\xA9"}) {
        EXPECT_FALSE(d::textProblem(ok, d::TextKind::kKey)) << ok;
    }
}

TEST(EvidenceDownloadName, KeepsANameThatFitsItsTypeElseAppendsTheTypesExtension) {
    auto name = [](const std::string& file, const std::string& type) {
        d::Evidence e;
        e.fileName = file;
        e.mediaType = type;
        return d::evidenceDownloadName(e);
    };
    EXPECT_EQ(name("minutes.pdf", "application/pdf"), "minutes.pdf");
    EXPECT_EQ(name("Minutes.PDF", "application/pdf"), "Minutes.PDF");
    EXPECT_EQ(name("minutes.txt", "application/pdf"), "minutes.txt.pdf");
    EXPECT_EQ(name("payload.hta", "text/plain"), "payload.hta.txt");
    EXPECT_EQ(name("x.html", "text/plain"), "x.html.txt");
    EXPECT_EQ(name("board.docm", "application/zip"), "board.docm.zip");
    EXPECT_EQ(name("board.docx", "application/zip"), "board.docx");
    EXPECT_EQ(name("photo.jpeg", "image/jpeg"), "photo.jpeg");
    EXPECT_EQ(name("noextension", "image/png"), "noextension.png");
    EXPECT_EQ(name("tracker.csv", "text/plain"), "tracker.csv");
}

namespace {

/// A ZIP archive of empty stored members with these names (PKWARE APPNOTE: local headers, central directory,
/// end record), as Office and zip tools write them.
std::string zipOf(const std::vector<std::string>& names) {
    auto le16 = [](std::string& out, unsigned v) {
        out += static_cast<char>(v & 0xFF);
        out += static_cast<char>((v >> 8) & 0xFF);
    };
    auto le32 = [&](std::string& out, unsigned v) {
        le16(out, v & 0xFFFF);
        le16(out, v >> 16);
    };
    std::string body, directory;
    for (const auto& name : names) {
        const auto offset = static_cast<unsigned>(body.size());
        body += std::string("PK\x03\x04", 4);
        le16(body, 20);
        for (int i = 0; i < 4; ++i) le16(body, 0);   // flags, method, time, date
        for (int i = 0; i < 3; ++i) le32(body, 0);   // crc, sizes
        le16(body, static_cast<unsigned>(name.size()));
        le16(body, 0);
        body += name;
        directory += std::string("PK\x01\x02", 4);
        le16(directory, 20);
        le16(directory, 20);
        for (int i = 0; i < 4; ++i) le16(directory, 0);
        for (int i = 0; i < 3; ++i) le32(directory, 0);
        le16(directory, static_cast<unsigned>(name.size()));
        for (int i = 0; i < 4; ++i) le16(directory, 0);  // extra, comment, disk, internal attributes
        le32(directory, 0);                              // external attributes
        le32(directory, offset);
        directory += name;
    }
    std::string zip = body + directory + std::string("PK\x05\x06", 4);
    le16(zip, 0);
    le16(zip, 0);
    le16(zip, static_cast<unsigned>(names.size()));
    le16(zip, static_cast<unsigned>(names.size()));
    le32(zip, static_cast<unsigned>(directory.size()));
    le32(zip, static_cast<unsigned>(body.size()));
    le16(zip, 0);
    return zip;
}

}  // namespace

TEST(ArchiveProblem, AcceptsOfficeDocumentsAndPlainArchives) {
    EXPECT_FALSE(d::archiveProblem(zipOf({"[Content_Types].xml", "word/document.xml", "word/media/image1.png"})));
    EXPECT_FALSE(d::archiveProblem(zipOf({"minutes/2025-09.pdf", "minutes/2025-10.docx"})));
    EXPECT_FALSE(d::archiveProblem(zipOf({})));
}

TEST(ArchiveProblem, RefusesProgramsAndMacrosWhereverTheyAre) {
    EXPECT_EQ(d::archiveProblem(zipOf({"minutes.pdf", "tools/Setup.EXE"})),
              "holds a program (tools/Setup.EXE); programs are not accepted as evidence");
    EXPECT_TRUE(d::archiveProblem(zipOf({"a\\run.bat"})));
    EXPECT_TRUE(d::archiveProblem(zipOf({"invoice.pdf.js"})));
    EXPECT_EQ(d::archiveProblem(zipOf({"[Content_Types].xml", "word/vbaProject.bin"})),
              "holds Office macros (word/vbaProject.bin): save it without macros (.docx, .xlsx, .pptx) and upload that");
}

TEST(ArchiveProblem, RefusesAnArchiveWhoseTableOfContentsCannotBeRead) {
    const std::string unreadable = "is a ZIP file whose table of contents cannot be read";
    EXPECT_EQ(d::archiveProblem(std::string("PK\x03\x04rest", 8)), unreadable);
    std::string cut = zipOf({"a.pdf", "b.pdf"});
    cut[cut.size() - 6] = '\x7F';  // the directory offset now points past the end
    EXPECT_EQ(d::archiveProblem(cut), unreadable);
}
