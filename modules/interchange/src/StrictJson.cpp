#include "govtrack/interchange/StrictJson.h"

#include <vector>

#include "govtrack/domain/Error.h"

namespace govtrack::interchange {

nlohmann::json parseStrictJson(std::string_view text, std::set<std::string>& duplicateKeys) {
    using Json = nlohmann::json;
    // The parser callback tracks the keys of every open object, innermost last.
    std::vector<std::set<std::string>> openObjects;
    const Json::parser_callback_t track = [&](int depth, Json::parse_event_t event, Json& parsed) {
        if (depth >= kMaxJsonDepth &&
            (event == Json::parse_event_t::object_start || event == Json::parse_event_t::array_start)) {
            throw domain::ValidationError("the JSON nests objects and arrays deeper than " +
                                              std::to_string(kMaxJsonDepth) + " levels",
                                          {{"body", "nested at most " + std::to_string(kMaxJsonDepth) + " levels"}});
        }
        switch (event) {
            case Json::parse_event_t::object_start:
                openObjects.emplace_back();
                break;
            case Json::parse_event_t::object_end:
                if (!openObjects.empty()) openObjects.pop_back();
                break;
            case Json::parse_event_t::key:
                if (!openObjects.empty() && !openObjects.back().insert(parsed.get<std::string>()).second) {
                    duplicateKeys.insert(parsed.get<std::string>());
                }
                break;
            default:
                break;
        }
        return true;
    };
    return Json::parse(text.begin(), text.end(), track);
}

}  // namespace govtrack::interchange
