#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

/// Reading fields of a JSON request body (Exchange::jsonBody), with one clear 400 per mistake: the field
/// named, and what it must be. Shared by every handler that takes a JSON body.
namespace govtrack::http {

/// The string `field`, nullopt when absent or null. Throws domain::ValidationError if it is not a string.
std::optional<std::string> optionalText(const nlohmann::json& body, const char* field);

/// The string `field`. Throws domain::ValidationError if absent, null or not a string.
std::string requiredText(const nlohmann::json& body, const char* field);

/// The boolean `field`, nullopt when absent or null. Throws domain::ValidationError if it is not a boolean.
std::optional<bool> optionalBool(const nlohmann::json& body, const char* field);

/// The array of strings `field`, nullopt when absent or null. Throws domain::ValidationError if it is not
/// an array of strings or has more than `maxItems` items.
std::optional<std::vector<std::string>> optionalTextList(const nlohmann::json& body, const char* field,
                                                         std::size_t maxItems);

/// Only known fields: a typo ("reasn") must not silently drop what the user meant to send. Throws
/// domain::ValidationError naming the unknown field and the allowed ones.
void onlyFields(const nlohmann::json& body, std::initializer_list<const char*> allowed);

}  // namespace govtrack::http
