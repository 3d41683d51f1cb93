#include "gateway/http/assets.hpp"

namespace lykta::http {

// Generated from gateway/http/assets/ by gateway/http/embed_assets.cmake.
extern const Asset embedded_assets[];
extern const std::size_t embedded_asset_count;

const Asset* find_asset(std::string_view path) {
    if (path == "/") path = "/index.html";
    for (std::size_t i = 0; i < embedded_asset_count; ++i)
        if (embedded_assets[i].path == path) return &embedded_assets[i];
    return nullptr;
}

}  // namespace lykta::http
