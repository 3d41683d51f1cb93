// Hidden benchmarks (run with: build/bin/unit_faults "[.bench]"): a whole
// gateway going dark at once (1,024 luminaires, each raise republishing a
// capped P/alarms) and a start that retires them all; ordinary sweeps of
// 1,024 gear through the detectors and the book. Prints CPU numbers;
// asserts only results, never durations.
#include <catch2/catch.hpp>

#include <ctime>
#include <iostream>

#include "gateway/faults/alarms_payload.hpp"
#include "gateway/faults/detectors.hpp"
#include "gateway/faults/fault_book.hpp"
#include "gateway/faults/time_text.hpp"

using namespace lykta;
using namespace lykta::faults;

namespace {

double cpu_ms() {
    return 1000.0 * static_cast<double>(std::clock()) / CLOCKS_PER_SEC;
}

}  // namespace

TEST_CASE("bench: 1,024 night outages raised in one sweep, then retired", "[.bench]") {
    store::Database db(":memory:");
    ManualClock clock(from_unix_seconds(1'795'000'000));
    std::size_t publishes = 0, largest = 0;
    nlohmann::json last;
    FaultSettings s;
    s.alarms_max_bytes = 64 * 1024;
    s.debounce.set(FaultKind::night_outage, {1, 1});
    FaultBook book(db, clock, s,
                   {[&](nlohmann::json a) {
                        ++publishes;
                        largest = std::max(largest, wire_size(a));
                        last = std::move(a);
                    },
                    nullptr, nullptr, nullptr});
    const int n = 1024;
    std::vector<Observation> sweep;
    for (int i = 0; i < n; ++i)
        sweep.push_back({clock.now(), FaultKind::night_outage, "luminaire/L-" + std::to_string(i),
                         "area" + std::to_string(i / 64), true, "level 0.0% far below target 100.0%"});
    double start = cpu_ms();
    book.observe(sweep);
    double raised_ms = cpu_ms() - start;
    CHECK(publishes == 1);
    REQUIRE(book.active().size() == n);
    CHECK(largest <= s.alarms_max_bytes);
    CHECK(last["total"] == n);
    CHECK(last["truncated"] == true);

    start = cpu_ms();
    CHECK(book.retire_if([](const Fault&) { return true; }, clock.now()) == n);
    double retired_ms = cpu_ms() - start;
    CHECK(publishes == 2);
    CHECK(book.active().empty());
    std::cout << "1,024 raises in one sweep (one capped P/alarms): " << raised_ms << " CPU-ms (" << publishes
              << " publishes, largest " << largest << " bytes, " << last["active"].size()
              << " listed of 1,024 at the end)\n"
              << "retiring 1,024 faults at start: " << retired_ms << " CPU-ms\n";
}

TEST_CASE("bench: 1,024 gear swept through detectors and book", "[.bench]") {
    using namespace std::chrono_literals;
    store::Database db(":memory:");
    ManualClock clock(from_unix_seconds(1'767'268'800));  // 2026-01-01 12:00Z
    FaultBook book(db, clock, {}, {});
    const int n = 1024;
    auto id = [](int i) { return "L-" + std::to_string(i); };
    auto area = [](int i) { return "area" + std::to_string(i / 64); };

    // 100 sweeps over every gear, 3 % with lamp failures.
    double start = cpu_ms();
    for (int s = 0; s < 100; ++s) {
        for (int i = 0; i < n; ++i) {
            bool failed = i % 33 == 0;
            book.observe(observe_gear(clock.now(), {id(i), area(i), true, failed, false, failed ? 0.0 : 80.0},
                                      {80, clock.now() - 1h}, {}));
        }
        clock.advance(1min);
    }
    double sweep_ms = (cpu_ms() - start) / 100;
    CHECK(book.active().size() == 32);

    std::cout << "faults: one sweep of " << n << " gear through detectors and book: " << sweep_ms
              << " CPU-ms\n";
}
