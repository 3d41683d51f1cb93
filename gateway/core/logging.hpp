#pragma once
// Logging setup: one thread-safe stderr sink (the loop and the Modbus network
// workers log from their threads). Under journald (JOURNAL_STREAM matches
// stderr) lines go out without timestamps, since journald stamps them itself,
// and start with the syslog priority ("<3>") so `journalctl -p err` and
// coloured output work; otherwise with local timestamps.
#include <memory>
#include <string>

#include <spdlog/formatter.h>

namespace lykta {

// Throws std::invalid_argument naming the bad level.
void setup_logging(const std::string& level);
void set_log_level(const std::string& level);
bool stderr_is_journal();
// The formatter used under journald: "<PRIORITY>LEVEL: message".
std::unique_ptr<spdlog::formatter> journal_formatter();

}  // namespace lykta
