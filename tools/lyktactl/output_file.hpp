#pragma once
// Where a verb's output goes: --out FILE, or standard output when empty or "-".
#include <string>

namespace lykta::ctl {

// False, with a message on stderr, when the file cannot be written.
bool write_output(const std::string& out, const std::string& text);

}  // namespace lykta::ctl
