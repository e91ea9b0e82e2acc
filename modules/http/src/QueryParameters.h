#pragma once

#include <functional>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "govtrack/domain/Dates.h"
#include "govtrack/domain/Error.h"

namespace govtrack::http {

/// The query string of one request, validated parameter by parameter. Every problem is collected
/// (unknown or repeated names, bad values) and throwIfInvalid() reports them all in one
/// domain::ValidationError (HTTP 400) naming each parameter and what it allows.
class QueryParameters {
public:
    /// Parses a raw query ("a=1&b=x%20y"; '+' is a space) and records names not in `allowed` as errors.
    QueryParameters(const std::string& rawQuery, std::initializer_list<std::string_view> allowed);

    /// A free-text value; nullopt if absent; an empty value is an error.
    std::optional<std::string> text(std::string_view name);

    /// A value parsed by `parse` (e.g. domain::parsePriority); `allowedText` ("high, medium, low") is quoted
    /// in the error for an unknown value.
    template <typename T>
    std::optional<T> enumeration(std::string_view name, const std::function<std::optional<T>(std::string_view)>& parse,
                                 const std::string& allowedText) {
        const auto raw = find(name);
        if (!raw) return std::nullopt;
        if (auto value = parse(*raw)) return value;
        addError(name, "must be one of " + allowedText, *raw);
        return std::nullopt;
    }

    /// "true" or "false" (lower case); nullopt if absent.
    std::optional<bool> boolean(std::string_view name);

    /// A decimal integer in [min, max]; `fallback` if absent or invalid.
    int integer(std::string_view name, int fallback, int min, int max);

    /// A strict ISO date YYYY-MM-DD; nullopt if absent or invalid.
    std::optional<domain::Date> date(std::string_view name);

    /// One of `choices`; `fallback` if absent or invalid.
    std::string choice(std::string_view name, const std::string& fallback,
                       std::initializer_list<std::string_view> choices);

    /// Records a problem with a value already read (e.g. one element of a comma-separated list).
    void reject(std::string_view name, const std::string& message, const std::string& got) {
        addError(name, message, got);
    }

    /// Throws domain::ValidationError listing every problem found so far, if any.
    void throwIfInvalid() const;

private:
    std::optional<std::string> find(std::string_view name) const;
    void addError(std::string_view name, const std::string& message, const std::string& got);

    std::map<std::string, std::string, std::less<>> values_;
    std::vector<domain::FieldError> errors_;
};

}  // namespace govtrack::http
