#include "gateway/core/logging.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace lykta {
namespace {

// sd-daemon(3) priority prefixes, which journald strips and turns into the
// entry's PRIORITY (SyslogLevelPrefix= is on by default).
class SyslogPriorityFlag final : public spdlog::custom_flag_formatter {
public:
    void format(const spdlog::details::log_msg& msg, const std::tm&, spdlog::memory_buf_t& dest) override {
        const char* prefix = "<6>";
        switch (msg.level) {
            case spdlog::level::trace:
            case spdlog::level::debug:
                prefix = "<7>";
                break;
            case spdlog::level::info:
                prefix = "<6>";
                break;
            case spdlog::level::warn:
                prefix = "<4>";
                break;
            case spdlog::level::err:
                prefix = "<3>";
                break;
            case spdlog::level::critical:
                prefix = "<2>";
                break;
            default:
                break;
        }
        dest.append(prefix, prefix + 3);
    }
    std::unique_ptr<custom_flag_formatter> clone() const override {
        return std::make_unique<SyslogPriorityFlag>();
    }
};

}  // namespace

std::unique_ptr<spdlog::formatter> journal_formatter() {
    auto formatter = std::make_unique<spdlog::pattern_formatter>();
    formatter->add_flag<SyslogPriorityFlag>('*').set_pattern("%*%l: %v");
    return formatter;
}

bool stderr_is_journal() {
    const char* stream = std::getenv("JOURNAL_STREAM");
    if (!stream) return false;
    struct stat st {};
    if (fstat(2, &st) != 0) return false;
    unsigned long dev = 0;
    unsigned long ino = 0;
    if (std::sscanf(stream, "%lu:%lu", &dev, &ino) != 2) return false;
    return dev == static_cast<unsigned long>(st.st_dev) && ino == static_cast<unsigned long>(st.st_ino);
}

void set_log_level(const std::string& level) {
    auto parsed = spdlog::level::from_str(level);
    // from_str maps anything unknown to "off"; only accept "off" when asked for.
    if (parsed == spdlog::level::off && level != "off")
        throw std::invalid_argument("unknown log level '" + level +
                                    "' (trace, debug, info, warn, error, critical, off)");
    spdlog::set_level(parsed);
}

void setup_logging(const std::string& level) {
    // _mt: the sink locks per line. The loop and the Modbus network workers
    // log at the same time; the _st sink's no-op mutex let them share the
    // formatter's buffers (a data race, torn lines; docs/reliability.md, tsan).
    auto logger = spdlog::stderr_logger_mt("lykta");
    spdlog::set_default_logger(logger);
    if (stderr_is_journal()) {
        // journald adds its own timestamps; the level stays readable in the line.
        logger->set_formatter(journal_formatter());
    } else {
        spdlog::set_pattern("%Y-%m-%d %H:%M:%S.%e %^%l%$ %v");
    }
    set_log_level(level);
}

}  // namespace lykta
