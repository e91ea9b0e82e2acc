#include "JsonBody.h"

#include "govtrack/domain/Error.h"

namespace govtrack::http {

namespace d = govtrack::domain;
using nlohmann::json;

std::optional<std::string> optionalText(const json& body, const char* field) {
    const auto it = body.find(field);
    if (it == body.end() || it->is_null()) return std::nullopt;
    if (!it->is_string()) throw d::ValidationError(std::string(field) + " must be a string", {{field, "a string"}});
    return it->get<std::string>();
}

std::string requiredText(const json& body, const char* field) {
    auto text = optionalText(body, field);
    if (!text) throw d::ValidationError(std::string(field) + " is required (a string)", {{field, "required, a string"}});
    return *text;
}

std::optional<bool> optionalBool(const json& body, const char* field) {
    const auto it = body.find(field);
    if (it == body.end() || it->is_null()) return std::nullopt;
    if (!it->is_boolean()) {
        throw d::ValidationError(std::string(field) + " must be true or false", {{field, "true or false"}});
    }
    return it->get<bool>();
}

std::optional<std::vector<std::string>> optionalTextList(const json& body, const char* field, std::size_t maxItems) {
    const auto it = body.find(field);
    if (it == body.end() || it->is_null()) return std::nullopt;
    const std::string what = "an array of at most " + std::to_string(maxItems) + " strings";
    if (!it->is_array() || it->size() > maxItems) {
        throw d::ValidationError(std::string(field) + " must be " + what, {{field, what}});
    }
    std::vector<std::string> out;
    out.reserve(it->size());
    for (const auto& item : *it) {
        if (!item.is_string()) throw d::ValidationError(std::string(field) + " must be " + what, {{field, what}});
        out.push_back(item.get<std::string>());
    }
    return out;
}

void onlyFields(const json& body, std::initializer_list<const char*> allowed) {
    for (auto it = body.begin(); it != body.end(); ++it) {
        bool known = false;
        std::string names;
        for (const char* name : allowed) {
            known = known || it.key() == name;
            names += names.empty() ? name : std::string(", ") + name;
        }
        if (!known) {
            throw d::ValidationError("unknown field '" + it.key() + "'; allowed: " + names,
                                     {{it.key(), "unknown; allowed: " + names}});
        }
    }
}

}  // namespace govtrack::http
