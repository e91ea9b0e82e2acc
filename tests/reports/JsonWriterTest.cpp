#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "../../modules/reports/src/JsonWriter.h"

using govtrack::reports::JsonWriter;

TEST(JsonWriter, WritesNestedDocumentsThatParseBack) {
    std::string out;
    JsonWriter w(out);
    w.beginObject();
    w.field("text", "quote \" backslash \\ newline \n tab \t bell \x07 é 🔑");
    w.field("n", 42);
    w.field("pct", 66.7);
    w.field("whole", 0.0);
    w.field("yes", true);
    w.nullField("none");
    w.key("empty");
    w.beginArray();
    w.endArray();
    w.stringArray("list", {"a", "b"});
    w.key("nested");
    w.beginObject();
    w.field("k", -1);
    w.endObject();
    w.endObject();
    const auto j = nlohmann::json::parse(out);
    EXPECT_EQ(j["text"], "quote \" backslash \\ newline \n tab \t bell \x07 é 🔑");
    EXPECT_EQ(j["n"], 42);
    EXPECT_DOUBLE_EQ(j["pct"].get<double>(), 66.7);
    EXPECT_TRUE(j["whole"].is_number_float());
    EXPECT_TRUE(j["yes"].get<bool>());
    EXPECT_TRUE(j["none"].is_null());
    EXPECT_TRUE(j["empty"].empty());
    EXPECT_EQ(j["list"][1], "b");
    EXPECT_EQ(j["nested"]["k"], -1);
    EXPECT_NE(out.find("\\u0007"), std::string::npos);
}

TEST(JsonWriter, ReplacesInvalidUtf8InsteadOfFailing) {
    std::string out;
    JsonWriter w(out);
    w.beginArray();
    w.value(std::string("ok \xFF\xFE done"));
    w.endArray();
    const auto j = nlohmann::json::parse(out);
    EXPECT_EQ(j[0], "ok \xEF\xBF\xBD\xEF\xBF\xBD done");
}
