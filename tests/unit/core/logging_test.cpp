#include "gateway/core/logging.hpp"

#include <spdlog/details/log_msg.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <regex>
#include <string>
#include <thread>

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

// lyktad logs from the loop thread and from the Modbus network workers at the
// same time: the sink must take its lock (spdlog's *_mt sinks). With the
// single-threaded sink the formatter's buffers are shared unguarded: torn or
// mixed lines, and a data race ThreadSanitizer reports (scripts/test.sh tsan).
TEST_CASE("the daemon's logger takes whole lines from several threads at once", "[core][logging]") {
    char path[] = "/tmp/lykta-log-test-XXXXXX";
    const int file = ::mkstemp(path);
    REQUIRE(file >= 0);
    std::fflush(stderr);
    const int saved_stderr = ::dup(2);
    ::dup2(file, 2);

    lykta::setup_logging("info");
    auto logger = spdlog::default_logger();
    REQUIRE(logger->sinks().size() == 1);
    CHECK(dynamic_cast<spdlog::sinks::stderr_sink_mt*>(logger->sinks()[0].get()) != nullptr);

    constexpr int lines_per_thread = 2000;
    auto write = [](char who) {
        for (int i = 0; i < lines_per_thread; ++i)
            spdlog::info("thread {} line {:05} {}", who, i, std::string(40, who));
    };
    std::thread loop(write, 'L');
    std::thread worker(write, 'W');
    loop.join();
    worker.join();
    logger->flush();
    std::fflush(stderr);
    ::dup2(saved_stderr, 2);
    ::close(saved_stderr);
    spdlog::drop("lykta");
    spdlog::set_default_logger(std::make_shared<spdlog::logger>("test"));

    std::ifstream in(path);
    const std::regex whole(R"(.* info thread ([LW]) line (\d{5}) (L{40}|W{40}))");
    std::map<char, int> counted;
    std::string line;
    int torn = 0;
    while (std::getline(in, line)) {
        std::smatch m;
        if (std::regex_match(line, m, whole) && m[3].str()[0] == m[1].str()[0])
            ++counted[m[1].str()[0]];
        else
            ++torn;
    }
    ::close(file);
    ::unlink(path);
    CHECK(torn == 0);
    CHECK(counted['L'] == lines_per_thread);
    CHECK(counted['W'] == lines_per_thread);
}
