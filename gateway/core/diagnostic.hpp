#pragma once
// A problem found in an input file, pointing at the place it was found.
#include <string>
#include <vector>

namespace lykta {

struct SourcePos {
    std::string file;
    int line = 0;  // 1-based; 0 when unknown
    int col = 0;   // 1-based
};

struct Diagnostic {
    SourcePos pos;
    std::string message;

    // "FILE:LINE:COL: message", the form editors and CI logs understand.
    std::string to_string() const;
};

using Diagnostics = std::vector<Diagnostic>;

}  // namespace lykta
