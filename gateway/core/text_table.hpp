#pragma once
// Plain-text tables and CSV for the command-line views (inventory, fleet).
// Pure functions, no locale.
#include <string>
#include <vector>

namespace lykta {

// Columns padded to their widest cell (in UTF-8 characters) plus two spaces;
// the first row is the header. Trailing blanks are trimmed.
std::string aligned_table(const std::vector<std::vector<std::string>>& rows);

// RFC 4180 quoting: a field with a comma, quote or line break is quoted and its quotes doubled.
std::string csv_field(const std::string& text);
// One CSV record ending in LF.
std::string csv_line(const std::vector<std::string>& fields);

}  // namespace lykta
