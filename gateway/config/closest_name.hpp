#pragma once
// "Did you mean ...?" for unknown keys and dangling references: the candidate
// with the smallest edit distance, if it is close enough to be a likely typo.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lykta::config {

// Optimal string alignment distance (Levenshtein plus adjacent transpositions,
// so "adress" and "adderss" are both one or two edits from "address").
std::size_t edit_distance(std::string_view a, std::string_view b);

std::optional<std::string> closest_name(std::string_view wrong, const std::vector<std::string>& candidates);

// " (did you mean 'x'?)" or "" when nothing is close.
std::string did_you_mean(std::string_view wrong, const std::vector<std::string>& candidates);

}  // namespace lykta::config
