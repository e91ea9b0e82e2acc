// Text checks at the door (domain/Text.h) and the names evidence files are downloaded under
// (domain/ActionService.h); both from the attack run on chase notes and evidence uploads.
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
