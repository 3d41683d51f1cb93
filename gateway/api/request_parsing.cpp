#include "gateway/api/request_parsing.hpp"

#include <algorithm>

namespace lykta::api {

bool is_valid_utf8(std::string_view text) {
    std::size_t i = 0;
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    while (i < text.size()) {
        unsigned char c = byte(i);
        if (c < 0x80) {
            ++i;
            continue;
        }
        int extra = 0;
        unsigned min = 0;
        unsigned cp = 0;
        if ((c & 0xE0) == 0xC0) {
            extra = 1, min = 0x80, cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            extra = 2, min = 0x800, cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            extra = 3, min = 0x10000, cp = c & 0x07;
        } else {
            return false;
        }
        if (i + extra >= text.size()) return false;  // truncated sequence
        for (int k = 1; k <= extra; ++k) {
            unsigned char cc = byte(i + k);
            if ((cc & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (cc & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
        i += extra + 1;
    }
    return true;
}

int nesting_depth(std::string_view text, int limit) {
    int depth = 0;
    int deepest = 0;
    bool in_string = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (in_string) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                in_string = false;
            continue;
        }
        if (c == '"') {
            in_string = true;
        } else if (c == '{' || c == '[') {
            deepest = std::max(deepest, ++depth);
            if (deepest > limit) return deepest;
        } else if (c == '}' || c == ']') {
            --depth;
        }
    }
    return deepest;
}

std::variant<nlohmann::json, ParseFailure> parse_request(std::string_view payload, int max_depth) {
    if (payload.empty()) return ParseFailure{"empty payload (expected a JSON object)"};
    if (!is_valid_utf8(payload)) return ParseFailure{"payload is not valid UTF-8"};
    if (nesting_depth(payload, max_depth) > max_depth)
        return ParseFailure{"JSON nested deeper than " + std::to_string(max_depth) + " levels"};
    auto parsed = nlohmann::json::parse(payload, nullptr, false);
    if (parsed.is_discarded()) return ParseFailure{"payload is not valid JSON"};
    if (!parsed.is_object())
        return ParseFailure{std::string("payload is JSON ") + parsed.type_name() + ", expected an object"};
    return parsed;
}

}  // namespace lykta::api
