#pragma once
// Diagnostics as text for a failing check's INFO.
#include <string>

#include "gateway/core/diagnostic.hpp"

namespace lykta::test {

inline std::string dump(const Diagnostics& diagnostics) {
    std::string out;
    for (const auto& d : diagnostics) out += "  " + d.to_string() + "\n";
    return out;
}

}  // namespace lykta::test
