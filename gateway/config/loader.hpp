#pragma once
// Reads and validates a configuration file. Every problem is reported (not just
// the first), each as FILE:LINE:COL with the key path; nothing is half-applied.
#include <string>
#include <variant>

#include "gateway/config/model.hpp"
#include "gateway/core/diagnostic.hpp"

namespace lykta::config {

struct LoadResult {
    std::optional<Config> config;  // set only when diagnostics is empty
    Diagnostics diagnostics;
    bool ok() const { return config.has_value() && diagnostics.empty(); }
};

LoadResult load_file(const std::string& path);
// `name` is used in diagnostics in place of a file name.
LoadResult load_string(const std::string& yaml, const std::string& name = "<string>");

}  // namespace lykta::config
