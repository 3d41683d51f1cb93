#pragma once
// Logging setup: one stderr sink. Under journald (JOURNAL_STREAM matches
// stderr) lines go out without timestamps, since journald stamps them itself;
// otherwise with local timestamps.
#include <string>

namespace lykta {

// Throws std::invalid_argument naming the bad level.
void setup_logging(const std::string& level);
void set_log_level(const std::string& level);
bool stderr_is_journal();

}  // namespace lykta
