#pragma once
// The page's files, compiled into the daemon (gateway/http/assets/, embedded
// by CMake): the box serves them with no data directory to lose and no
// network beyond itself.
#include <string_view>

namespace lykta::http {

struct Asset {
    std::string_view path;  // "/app.js"
    std::string_view content_type;
    std::string_view body;
};

// nullptr when there is no such file.
const Asset* find_asset(std::string_view path);

}  // namespace lykta::http
