// bench_modbus: polling cost of the Modbus driver. N SDM630-class devices
// (the shipped sdm630 template: one 76-register FC04 read per poll) at a
// fixed refresh against any Modbus TCP server on loopback; prints polls/s,
// CPU-ms per 1,000 polls (this process: loop + workers) and RSS. Prints,
// never asserts: machines are noisy (ARCHITECTURE.md, performance targets).
#include <modbus/modbus.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <CLI/CLI.hpp>

#include <asio.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <thread>

#include "drivers/modbus/network.hpp"
#include "drivers/modbus/poller.hpp"
#include "drivers/modbus/template_loader.hpp"

namespace {

// Context switches of this process so far (voluntary: a thread blocked and
// was woken; involuntary: preempted): a blocking request/response costs one
// voluntary switch per wait.
long context_switches() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_nvcsw + u.ru_nivcsw;
}

double cpu_seconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

long rss_kib() {
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);)
        if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
    return -1;
}

// The floor on this machine: the same reads from one thread with a bare
// libmodbus context, no scheduling, decoding or threads. What bench_modbus
// costs above this is the driver's own overhead.
int run_floor(const std::string& host, int port, int devices, int unit, double refresh_s, double seconds) {
    modbus_t* ctx = modbus_new_tcp(host.c_str(), port);
    if (!ctx || modbus_connect(ctx) == -1) {
        std::cerr << "bench_modbus: cannot connect to " << host << ":" << port << "\n";
        return 1;
    }
    modbus_set_slave(ctx, unit);
    std::uint16_t regs[80];
    std::uint64_t polls = 0, failed = 0;
    const auto period = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        std::chrono::duration<double>(refresh_s));
    const long switches0 = context_switches();
    const double cpu0 = cpu_seconds();
    const auto t0 = std::chrono::steady_clock::now();
    auto next = t0;
    while (std::chrono::steady_clock::now() - t0 < std::chrono::duration<double>(seconds)) {
        for (int d = 0; d < devices; ++d) {
            failed += modbus_read_input_registers(ctx, 0, 76, regs) != 76;
            ++polls;
        }
        next += period;
        std::this_thread::sleep_until(next);
    }
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const double cpu = cpu_seconds() - cpu0;
    modbus_close(ctx);
    modbus_free(ctx);
    std::printf("floor (bare libmodbus loop, one thread): %d devices, refresh %.0f ms, %.1f s\n", devices,
                refresh_s * 1000, wall);
    std::printf("  polls/s            %10.0f\n", static_cast<double>(polls) / wall);
    std::printf("  CPU-ms/1000 polls  %10.2f\n", cpu * 1e6 / static_cast<double>(polls));
    std::printf("  switches/poll      %10.2f\n",
                static_cast<double>(context_switches() - switches0) / static_cast<double>(polls));
    std::printf("  failed reads       %10llu\n", static_cast<unsigned long long>(failed));
    std::printf("  requests (run)     %10llu   (for system calls per poll: divide strace/perf counts)\n",
                static_cast<unsigned long long>(polls));
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App cli{"bench_modbus: polls/s and CPU per 1,000 polls of the Modbus driver", "bench_modbus"};
    std::string host = "127.0.0.1";
    int port = 1502;
    int devices = 10;
    int networks = 1;
    int unit = 1;
    double refresh_s = 0.01;
    double seconds = 5;
    std::string templates = LYKTA_TEMPLATE_DIR;
    std::string label = "server";
    bool floor = false;
    int pipeline = 1;
    cli.add_option("--host", host)->capture_default_str();
    cli.add_option("--port", port)->required();
    cli.add_option("--devices", devices, "SDM630-class devices polled")->capture_default_str();
    cli.add_option("--networks", networks, "TCP connections the devices are spread over")
        ->capture_default_str();
    cli.add_option("--unit", unit, "Unit id every device uses")->capture_default_str();
    cli.add_option("--refresh", refresh_s, "Poll interval per device, seconds")->capture_default_str();
    cli.add_option("--seconds", seconds, "Measured run time")->capture_default_str();
    cli.add_option("--templates", templates)->capture_default_str();
    cli.add_option("--label", label, "Name of the server in the output")->capture_default_str();
    cli.add_option("--pipeline", pipeline, "Requests outstanding at once per connection (network `pipeline`)")
        ->capture_default_str()
        ->check(CLI::Range(1, 16));
    cli.add_flag("--floor", floor, "Measure a bare libmodbus read loop instead of the driver");
    CLI11_PARSE(cli, argc, argv);
    if (floor) return run_floor(host, port, devices, unit, refresh_s, seconds);

    spdlog::set_level(spdlog::level::warn);
    auto loaded = lykta::modbus::load_template_file(templates + "/sdm630.yaml");
    if (!loaded.device_template) {
        for (const auto& d : loaded.diagnostics) std::cerr << d.to_string() << "\n";
        return 1;
    }
    const auto& sdm630 = *loaded.device_template;
    lykta::SystemClock clock;
    asio::io_context io;
    // Job outcomes arrive by post from the workers: keep the loop alive between them.
    auto guard = asio::make_work_guard(io);
    std::vector<std::unique_ptr<lykta::modbus::Network>> nets;
    for (int n = 0; n < networks; ++n) {
        lykta::modbus::NetworkConfig net;
        net.id = "bench" + std::to_string(n);
        net.link = lykta::modbus::TcpSettings{host, port, pipeline};
        nets.push_back(std::make_unique<lykta::modbus::Network>(io, net));
    }
    std::vector<std::unique_ptr<lykta::modbus::Poller>> pollers;
    std::uint64_t publishes = 0;
    for (int d = 0; d < devices; ++d) {
        lykta::modbus::DeviceConfig dev;
        dev.id = "m" + std::to_string(d);
        dev.unit = unit;
        dev.poll_s = refresh_s;
        auto poller = std::make_unique<lykta::modbus::Poller>(
            io, *nets[static_cast<std::size_t>(d % networks)], dev, sdm630, clock);
        poller->on_publish([&](const lykta::modbus::DeviceState&) { ++publishes; });
        pollers.push_back(std::move(poller));
    }
    for (auto& n : nets) n->start();
    for (auto& p : pollers) p->start();

    auto reads = [&] {
        std::uint64_t total = 0;
        for (auto& n : nets) total += n->counters().requests;
        return total;
    };
    auto failed = [&] {
        std::uint64_t total = 0;
        for (auto& n : nets) {
            auto c = n->counters();
            total += c.timeouts + c.exceptions + c.bad_responses + c.link_errors;
        }
        return total;
    };
    // Warm up (connect, first cycles), then measure.
    io.run_for(std::chrono::milliseconds(500));
    const auto reads0 = reads();
    auto unchanged_total = [&] {
        std::uint64_t total = 0;
        for (auto& n : nets) total += n->counters().unchanged;
        return total;
    };
    const auto unchanged0 = unchanged_total();
    const long switches0 = context_switches();
    const double cpu0 = cpu_seconds();
    const auto t0 = std::chrono::steady_clock::now();
    io.run_for(std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::duration<double>(seconds)));
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const double cpu = cpu_seconds() - cpu0;
    const long switches = context_switches() - switches0;
    const auto polls = reads() - reads0;  // one FC04 read per SDM630 power-group poll
    const auto unchanged = unchanged_total() - unchanged0;
    for (auto& p : pollers) p->stop();
    for (auto& n : nets) n->stop();

    std::printf("%s: %d devices on %d connection(s), pipeline %d, refresh %.0f ms, %.1f s\n", label.c_str(),
                devices, networks, pipeline, refresh_s * 1000, wall);
    std::printf("  polls/s            %10.0f   (asked: %.0f)\n", static_cast<double>(polls) / wall,
                devices / refresh_s);
    std::printf("  CPU-ms/1000 polls  %10.2f   (target <= 11)\n",
                polls ? cpu * 1e6 / static_cast<double>(polls) : 0.0);
    std::printf("  CPU %% of one core  %10.1f\n", cpu / wall * 100);
    std::printf("  switches/poll      %10.2f\n",
                polls ? static_cast<double>(switches) / static_cast<double>(polls) : 0.0);
    std::printf("  failed reads       %10llu\n", static_cast<unsigned long long>(failed()));
    std::uint64_t skipped = 0;
    for (auto& n : nets) skipped += n->counters().skipped_cycles;
    std::printf("  skipped cycles     %10llu   (polls that could not keep the refresh)\n",
                static_cast<unsigned long long>(skipped));
    std::printf("  unchanged results  %10llu   (not delivered to the loop)\n",
                static_cast<unsigned long long>(unchanged));
    std::printf("  state publishes    %10llu\n", static_cast<unsigned long long>(publishes));
    std::printf("  RSS                %10ld KiB\n", rss_kib());
    std::printf("  requests (run)     %10llu   (with warm-up: divide strace/perf counts by this)\n",
                static_cast<unsigned long long>(reads()));
    return 0;
}
