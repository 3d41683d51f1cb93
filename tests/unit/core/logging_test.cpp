#include "gateway/core/logging.hpp"

#include <spdlog/details/log_msg.h>
#include <catch2/catch.hpp>

#include <string>

namespace {

std::string journal_line(spdlog::level::level_enum level, const char* text) {
    spdlog::details::log_msg msg("lykta", level, text);
    spdlog::memory_buf_t out;
    lykta::journal_formatter()->format(msg, out);
    return std::string(out.data(), out.size());
}

}  // namespace

TEST_CASE("under journald each line starts with its syslog priority", "[core][logging]") {
    CHECK(journal_line(spdlog::level::err, "bus1: interface down") == "<3>error: bus1: interface down\n");
    CHECK(journal_line(spdlog::level::warn, "w") == "<4>warning: w\n");
    CHECK(journal_line(spdlog::level::info, "i") == "<6>info: i\n");
    CHECK(journal_line(spdlog::level::debug, "d") == "<7>debug: d\n");
    CHECK(journal_line(spdlog::level::critical, "c") == "<2>critical: c\n");
}

TEST_CASE("an unknown log level is refused with the accepted ones", "[core][logging]") {
    CHECK_THROWS_WITH(lykta::set_log_level("loud"),
                      Catch::Contains("unknown log level 'loud'") && Catch::Contains("trace, debug, info"));
}
