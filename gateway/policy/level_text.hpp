#pragma once
// How explain texts and reasons write a level: "80 %", "12.5 %" (shortest form,
// so reasons read the same wherever a level is quoted).
#include <string>

namespace lykta::policy {

std::string level_text(double percent);

}  // namespace lykta::policy
