#include "QueryParameters.h"

#include <algorithm>
#include <charconv>

#include <Poco/Exception.h>
#include <Poco/URI.h>

namespace govtrack::http {
namespace {

/// Percent-decodes one name or value of an application/x-www-form-urlencoded query ('+' is a space).
std::string decode(std::string raw, bool& ok) {
    std::replace(raw.begin(), raw.end(), '+', ' ');  // Poco 1.11's plusAsSpace does not apply here
    std::string out;
    try {
        Poco::URI::decode(raw, out);
    } catch (const Poco::Exception&) {
        ok = false;
        return raw;
    }
    return out;
}

/// Quotes a caller's value for an error message, bounded so a huge value is not echoed back.
std::string quoted(const std::string& value) {
    constexpr std::size_t kMax = 40;
    return "'" + (value.size() > kMax ? value.substr(0, kMax) + "..." : value) + "'";
}

/// A caller-supplied parameter name, bounded for error messages.
std::string bounded(const std::string& name) {
    constexpr std::size_t kMax = 40;
    return name.size() > kMax ? name.substr(0, kMax) + "..." : name;
}

std::string joinNames(std::initializer_list<std::string_view> names) {
    std::string out;
    for (auto name : names) {
        if (!out.empty()) out += ", ";
        out += name;
    }
    return out;
}

}  // namespace

QueryParameters::QueryParameters(const std::string& rawQuery, std::initializer_list<std::string_view> allowed) {
    std::size_t start = 0;
    while (start <= rawQuery.size()) {
        const auto end = std::min(rawQuery.find('&', start), rawQuery.size());
        const std::string pair = rawQuery.substr(start, end - start);
        start = end + 1;
        if (pair.empty()) continue;
        const auto equals = pair.find('=');
        bool ok = true;
        const std::string name = decode(pair.substr(0, equals), ok);
        const std::string value = equals == std::string::npos ? std::string() : decode(pair.substr(equals + 1), ok);
        if (!ok) {
            errors_.push_back({bounded(name), "is not correctly percent-encoded"});
            continue;
        }
        if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
            errors_.push_back({bounded(name), allowed.size() == 0
                                                  ? "is not a known parameter; this route takes none"
                                                  : "is not a known parameter; allowed: " + joinNames(allowed)});
            continue;
        }
        if (!values_.emplace(name, value).second) errors_.push_back({name, "is given more than once"});
    }
}

std::optional<std::string> QueryParameters::find(std::string_view name) const {
    const auto it = values_.find(name);
    if (it == values_.end()) return std::nullopt;
    return it->second;
}

void QueryParameters::addError(std::string_view name, const std::string& message, const std::string& got) {
    errors_.push_back({std::string(name), message + " (got " + quoted(got) + ")"});
}

std::optional<std::string> QueryParameters::text(std::string_view name) {
    auto value = find(name);
    if (value && value->empty()) {
        addError(name, "must not be empty", *value);
        return std::nullopt;
    }
    return value;
}

std::optional<bool> QueryParameters::boolean(std::string_view name) {
    const auto raw = find(name);
    if (!raw) return std::nullopt;
    if (*raw == "true") return true;
    if (*raw == "false") return false;
    addError(name, "must be one of true, false", *raw);
    return std::nullopt;
}

int QueryParameters::integer(std::string_view name, int fallback, int min, int max) {
    const auto raw = find(name);
    if (!raw) return fallback;
    int value = 0;
    const char* first = raw->data();
    const char* last = first + raw->size();
    const auto [end, error] = std::from_chars(first, last, value);
    if (raw->empty() || error != std::errc() || end != last || value < min || value > max) {
        addError(name, "must be a whole number from " + std::to_string(min) + " to " + std::to_string(max), *raw);
        return fallback;
    }
    return value;
}

std::optional<domain::Date> QueryParameters::date(std::string_view name) {
    const auto raw = find(name);
    if (!raw) return std::nullopt;
    if (auto value = domain::parseIsoDate(*raw)) return value;
    addError(name, "must be a calendar date YYYY-MM-DD", *raw);
    return std::nullopt;
}

std::string QueryParameters::choice(std::string_view name, const std::string& fallback,
                                    std::initializer_list<std::string_view> choices) {
    const auto raw = find(name);
    if (!raw) return fallback;
    if (std::find(choices.begin(), choices.end(), *raw) != choices.end()) return *raw;
    addError(name, "must be one of " + joinNames(choices), *raw);
    return fallback;
}

void QueryParameters::throwIfInvalid() const {
    if (errors_.empty()) return;
    std::string detail = errors_.size() == 1 ? "Invalid query parameter: " : "Invalid query parameters: ";
    for (std::size_t i = 0; i < errors_.size(); ++i) {
        if (i > 0) detail += "; ";
        detail += "'" + errors_[i].where + "' " + errors_[i].message;
    }
    detail += ".";
    throw domain::ValidationError(std::move(detail), errors_);
}

}  // namespace govtrack::http
