// DALI benchmark: lyktad's real Foxtron client against the simulator's server in
// real-time mode (DALI wire timing) over loopback TCP. Prints wall times next to the
// physical floor from DALI timing; asserts nothing.
// Usage: dali_bench                 sweep, healthy-bus check, area change (~10 s)
//        dali_bench --commission N  commissioning of N unaddressed gear (64: ~3 min)
#include <asio/io_context.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>

#include "drivers/dali/bus.hpp"
#include "drivers/dali/commands.hpp"
#include "drivers/dali/foxtron_transport.hpp"
#include "drivers/dali/timing.hpp"
#include "lykta-sim/dali/foxtron_server.hpp"

using namespace lykta::dali;
using Clock = std::chrono::steady_clock;

namespace {
template <class T, class Start>
T await(asio::io_context& io, Start start) {
    std::optional<T> got;
    start([&](T v) { got = std::move(v); });
    while (!got) io.run_one();
    return std::move(*got);
}
double since(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}
}  // namespace

// Commissioning of `gear` unaddressed gear (random addresses from a fixed seed),
// half of them into group 1. The physical floor is the bus time of exactly the
// frames this binary search sent (each frame's DALI cost from timing.hpp, as the
// simulator charges it) plus the 100 ms every RANDOMISE must be given: what the
// same search would take with zero software and transport overhead.
int commission(int gear) {
    asio::io_context io;
    SimBus sim(7);
    sim.add_gear(gear, false);
    FoxtronServer server(io, sim, {true});
    double floor_s = 0;
    std::size_t frames = 0, randomise = 0;
    server.on_frame = [&](const FrameRecord& r) {
        ++frames;
        const bool answered = r.reply.outcome == Outcome::answer || r.reply.outcome == Outcome::framing_error;
        floor_s += timing::transaction_s(r.options.expect_answer, answered, r.options.send_twice);
        if (r.frame.address_byte() == special::randomise) ++randomise;
    };
    const auto port = server.listen_tcp("127.0.0.1", 0);
    BusLayout layout;
    for (int a = 0; a < gear; ++a) layout.addresses.push_back(a);
    for (int a = 0; a < gear / 2; ++a) layout.groups[1].push_back(a);
    Bus bus(io, "bench", std::make_unique<FoxtronTransport>(io, StreamEndpoint{"127.0.0.1", port, {}}),
            layout);
    bus.start();
    while (!static_cast<FoxtronTransport&>(bus.transport()).connected()) io.run_one();
    std::printf("DALI commissioning benchmark: %d unaddressed gear, real-time simulator over loopback TCP\n",
                gear);
    const auto t0 = Clock::now();
    auto report = await<CommissionReport>(io, [&](auto cb) { bus.commission({}, cb); });
    const double took = since(t0);
    floor_s += static_cast<double>(randomise) * 0.1;
    std::printf(
        "commissioning:                 %6.1f s, %4zu frames, %zu found, %zu grouped, ok %s (physical floor "
        "%.1f s; %.1f frames per gear)\n",
        took, frames, report.found.size(), report.groups_programmed.size(), report.ok ? "yes" : "no", floor_s,
        gear ? static_cast<double>(frames) / gear : 0.0);
    const auto& rt = server.realtime_stats();
    std::printf(
        "  overhead beyond the floor:   %.2f ms per frame (server reply timers late %.2f ms, bus idle "
        "waiting for the client %.2f ms; per reply); %llu jobs\n",
        frames ? (took - floor_s) * 1e3 / static_cast<double>(frames) : 0.0,
        rt.replies ? rt.late_s * 1e3 / static_cast<double>(rt.replies) : 0.0,
        rt.replies ? rt.idle_s * 1e3 / static_cast<double>(rt.replies) : 0.0,
        static_cast<unsigned long long>(bus.counters().jobs));
    for (const auto& p : report.problems) std::printf("  problem: %s\n", p.c_str());
    bus.stop();
    return report.ok && static_cast<int>(report.found.size()) == gear ? 0 : 1;
}

int main(int argc, char** argv) {
    if (argc == 3 && std::strcmp(argv[1], "--commission") == 0) return commission(std::atoi(argv[2]));
    asio::io_context io;
    SimBus sim;
    sim.add_gear(64, true);
    FoxtronServer server(io, sim, {true});
    const auto port = server.listen_tcp("127.0.0.1", 0);
    BusLayout layout;
    for (int a = 0; a < 64; ++a) layout.addresses.push_back(a);
    for (int a = 0; a < 32; ++a) layout.groups[1].push_back(a);
    for (int a = 0; a < 32; ++a) sim.gear_at(a)->groups = 1 << 1;
    Bus bus(io, "bench", std::make_unique<FoxtronTransport>(io, StreamEndpoint{"127.0.0.1", port, {}}),
            layout);
    bus.start();
    while (!static_cast<FoxtronTransport&>(bus.transport()).connected()) io.run_one();

    std::printf("DALI benchmark: 64 gear, Foxtron protocol over loopback TCP, simulator in real-time mode\n");
    auto frames = [&] { return sim.counters().frames; };

    auto t0 = Clock::now();
    auto f0 = frames();
    await<std::optional<Bus::Health>>(io, [&](auto cb) { bus.health_check(cb); });
    std::printf("healthy-bus check:             %6.3f s, %3llu frames (physical floor %.3f s)\n", since(t0),
                static_cast<unsigned long long>(frames() - f0), 2 * timing::query_unanswered_s);

    t0 = Clock::now();
    f0 = frames();
    await<std::vector<GearStatus>>(io, [&](auto cb) { bus.sweep(cb); });
    double floor = 3 * timing::query_unanswered_s + 64 * timing::query_answered_s;
    std::printf(
        "status sweep, no failures:     %6.2f s, %3llu frames (physical floor %.2f s; naive STATUS+LEVEL "
        "floor %.2f s)\n",
        since(t0), static_cast<unsigned long long>(frames() - f0), floor, 128 * timing::query_answered_s);

    sim.gear_at(7)->faults.lamp_failure = true;
    t0 = Clock::now();
    f0 = frames();
    await<std::vector<GearStatus>>(io, [&](auto cb) { bus.sweep(cb); });
    floor = 3 * timing::query_answered_s + 128 * timing::query_answered_s;
    std::printf("status sweep, one lamp failed: %6.2f s, %3llu frames (physical floor %.2f s)\n", since(t0),
                static_cast<unsigned long long>(frames() - f0), floor);

    std::vector<Target> area;
    for (int a = 0; a < 32; ++a) area.push_back({a, 40, 0});
    await<std::vector<GearStatus>>(io, [&](auto cb) { bus.apply(area, cb); });  // fade time now known
    area = {};
    for (int a = 0; a < 32; ++a) area.push_back({a, 70, 0});
    t0 = Clock::now();
    await<std::vector<GearStatus>>(io, [&](auto cb) { bus.apply(area, cb); });
    const auto group_frames = bus.last_apply_frames();
    const double group_s = since(t0);
    for (int a = 0; a < 32; ++a) area[a].percent = a % 2 ? 70 : 80;  // members differ: per address
    t0 = Clock::now();
    await<std::vector<GearStatus>>(io, [&](auto cb) { bus.apply(area, cb); });
    std::printf(
        "area change, 32 luminaires:    by group %zu frame(s), per address %zu frames "
        "(each call %.2f s / %.2f s incl. 32 read-backs)\n",
        group_frames, bus.last_apply_frames(), group_s, since(t0));
    std::printf("counters: frames %llu answers %llu no-answers %llu collisions %llu\n",
                static_cast<unsigned long long>(bus.counters().frames),
                static_cast<unsigned long long>(bus.counters().answers),
                static_cast<unsigned long long>(bus.counters().no_answers),
                static_cast<unsigned long long>(bus.counters().collisions));
    bus.stop();
    return 0;
}
