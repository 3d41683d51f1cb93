#include "gateway/core/diagnostic.hpp"

namespace lykta {

std::string Diagnostic::to_string() const {
    std::string out = pos.file;
    if (pos.line > 0) out += ":" + std::to_string(pos.line) + ":" + std::to_string(pos.col);
    return out + ": " + message;
}

}  // namespace lykta
