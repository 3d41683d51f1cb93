#include "gateway/config/parse_context.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>

namespace lykta::config {

ParseContext::ParseContext(std::string file, std::filesystem::path base_dir)
    : file_(std::move(file)), base_dir_(std::move(base_dir)) {}

SourcePos ParseContext::pos(const YAML::Mark& mark) const {
    if (mark.is_null()) return {file_, 0, 0};
    return {file_, mark.line + 1, mark.column + 1};  // yaml-cpp counts from 0
}

SourcePos ParseContext::pos(const YAML::Node& node) const {
    return pos(node.Mark());
}

void ParseContext::error(const SourcePos& pos, const std::string& path, const std::string& message) {
    diagnostics_.push_back({pos, path.empty() ? message : path + ": " + message});
}

void ParseContext::record(const std::string& path, const SourcePos& pos) {
    positions_[path] = pos;
}

SourcePos ParseContext::where(const std::string& path) const {
    std::string p = path;
    for (;;) {
        if (auto it = positions_.find(p); it != positions_.end()) return it->second;
        auto cut = p.find_last_of(".[");
        if (cut == std::string::npos || cut == 0) return {file_, 0, 0};
        p.resize(cut);
    }
}

std::string ParseContext::resolve_path(const std::string& path) const {
    if (path.empty()) return path;
    std::filesystem::path p(path);
    if (p.is_absolute()) return p.lexically_normal().string();
    return (base_dir_ / p).lexically_normal().string();
}

Diagnostics ParseContext::take_diagnostics() {
    // Report in file order: section parsers and the cross-reference pass run
    // in a fixed order that has nothing to do with where things are written.
    std::stable_sort(diagnostics_.begin(), diagnostics_.end(), [](const Diagnostic& a, const Diagnostic& b) {
        if (a.pos.line != b.pos.line) return a.pos.line < b.pos.line;
        return a.pos.col < b.pos.col;
    });
    return std::move(diagnostics_);
}

}  // namespace lykta::config
