// Hidden benchmark (run with: build/bin/unit_stats "[.bench]"): prints CPU
// numbers for a full gateway's statistics (1,024 luminaires, 16 areas);
// asserts only the results, never durations (ARCHITECTURE.md: benchmarks
// print numbers). The faults' sweep cost: tests/unit/faults/sweep_bench_test.cpp.
#include <catch2/catch.hpp>

#include <ctime>
#include <iostream>

#include "gateway/core/rfc3339.hpp"
#include "gateway/stats/stats_commands.hpp"
#include "gateway/stats/stats_recorder.hpp"

using namespace lykta;
using namespace std::chrono_literals;

namespace {

double cpu_ms() {
    return 1000.0 * static_cast<double>(std::clock()) / CLOCKS_PER_SEC;
}

}  // namespace

TEST_CASE("bench: 1,024 luminaires, a year of statistics", "[.bench]") {
    store::Database db(":memory:");
    ManualClock clock(lykta::parse_rfc3339("2026-01-01T12:00:00Z").value());
    stats::StatsRecorder recorder(db, "Europe/Stockholm");
    const int n = 1024;
    auto id = [](int i) { return "L-" + std::to_string(i); };
    auto area = [](int i) { return "area" + std::to_string(i / 64); };

    // A year of nights: on at 100, dim to 50, off; a flag on area0 every Friday.
    double start = cpu_ms();
    auto night = lykta::parse_rfc3339("2026-01-01T16:00:00Z").value();
    for (int d = 0; d < 365; ++d, night += 24h) {
        if (d % 7 == 0) recorder.safety(night, "area0", true);
        for (auto [offset, level] : {std::pair{0h, 100.0}, {6h, 50.0}, {14h, 0.0}})
            for (int i = 0; i < n; ++i)
                recorder.luminaire(night + offset, {id(i), area(i), 60, level, level, level});
        if (d % 7 == 0) recorder.safety(night + 14h, "area0", false);
        recorder.flush(night + 15h);
    }
    double year_ms = cpu_ms() - start;

    start = cpu_ms();
    std::optional<nlohmann::json> answer;
    stats::handle_report_get(recorder, clock, nullptr,
                             {{"from", "2026-01-01"}, {"to", "2026-12-31"}, {"granularity", "month"}},
                             api::Responder([&](nlohmann::json b) { answer = std::move(b); }));
    double report_ms = cpu_ms() - start;
    REQUIRE(answer);
    CHECK((*answer)["data"]["areas"].size() == 16);
    auto lit = (*answer)["data"]["areas"][0]["total"]["lit_hours"].get<double>();
    CHECK(lit == Approx(365 * 14).epsilon(0.01));

    std::cout << "stats: a year of 3 transitions/night × " << n << " luminaires + daily flush: " << year_ms
              << " CPU-ms\n"
              << "stats: report/get, a year by month, 16 areas: " << report_ms << " CPU-ms\n";
}
