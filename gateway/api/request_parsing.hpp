#pragma once
// Turns request bytes into a JSON object or a precise bad_json reason. Guards
// the parser against input that is valid JSON but hostile (deep nesting).
#include <string>
#include <string_view>
#include <variant>

#include <nlohmann/json.hpp>

namespace lykta::api {

struct ParseFailure {
    std::string message;
};

// Returns the object, or why it is not one: empty payload, invalid UTF-8, not
// JSON, nesting deeper than `max_depth`, a number outside double range, or
// JSON that is not an object.
std::variant<nlohmann::json, ParseFailure> parse_request(std::string_view payload, int max_depth);

// The deepest [ / { nesting outside strings; stops counting past `limit`.
int nesting_depth(std::string_view text, int limit);

// Strict UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool is_valid_utf8(std::string_view text);

}  // namespace lykta::api
