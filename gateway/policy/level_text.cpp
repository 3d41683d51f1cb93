#include "gateway/policy/level_text.hpp"

#include <cstdio>

namespace lykta::policy {

std::string level_text(double percent) {
    char text[32];
    std::snprintf(text, sizeof text, "%g %%", percent);
    return text;
}

}  // namespace lykta::policy
