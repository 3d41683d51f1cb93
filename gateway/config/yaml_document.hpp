#pragma once
// Parses YAML text into a node tree, turning a syntax error into a diagnostic
// with the position yaml-cpp reports.
#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>

#include "gateway/config/parse_context.hpp"

namespace lykta::config {

// nullopt after reporting a syntax error or an empty document.
std::optional<YAML::Node> parse_yaml_document(ParseContext& ctx, const std::string& text);

}  // namespace lykta::config
