// `lykta-sim dali`: a Foxtron DALInet (TCP) / DALI232 (pty) interface and/or a
// hasseb USB DALI Master (hasseb_server.hpp) with up to 64 simulated control gear,
// for tests, the demo and benchmarks.
#include "lykta-sim/dali/run_dali.hpp"

#include <unistd.h>
#include <CLI/CLI.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/posix/stream_descriptor.hpp>
#include <asio/read_until.hpp>
#include <asio/signal_set.hpp>
#include <asio/streambuf.hpp>
#include <asio/write.hpp>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "drivers/dali/commands.hpp"
#include "lykta-sim/dali/control_commands.hpp"
#include "lykta-sim/dali/foxtron_server.hpp"
#include "lykta-sim/dali/gear_identity.hpp"
#include "lykta-sim/dali/hasseb_server.hpp"

namespace lykta::sim {
namespace {

// "A[..B]:G,G" puts the gear at short addresses A..B into exactly those groups.
std::string apply_group_spec(dali::SimBus& bus, const std::string& spec) {
    const auto colon = spec.find(':');
    if (colon == std::string::npos) return "expected A[..B]:groups";
    const auto range = spec.substr(0, colon);
    auto mask = parse_group_list(spec.substr(colon + 1));
    if (!mask) return "groups must be numbers 0..15 separated by commas, or none";
    int from = -1, to = -1;
    try {
        const auto dots = range.find("..");
        from = std::stoi(range.substr(0, dots));
        to = dots == std::string::npos ? from : std::stoi(range.substr(dots + 2));
    } catch (const std::exception&) {
        return "addresses must be A or A..B";
    }
    if (from < 0 || to > 63 || from > to) return "addresses must be within 0..63";
    for (int a = from; a <= to; ++a)
        if (auto* g = bus.gear_at(a)) g->groups = *mask;
    return {};
}

// Serves control lines from any stream (a control-socket client or stdin) until EOF.
template <class Stream>
void serve_lines(std::shared_ptr<Stream> stream, dali::SimBus& bus, dali::FoxtronServer& server) {
    auto buffer = std::make_shared<asio::streambuf>(4096);
    asio::async_read_until(
        *stream, *buffer, '\n', [stream, buffer, &bus, &server](std::error_code ec, std::size_t n) {
            if (ec) return;
            std::string line(asio::buffers_begin(buffer->data()), asio::buffers_begin(buffer->data()) + n);
            buffer->consume(n);
            while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
            auto answer = std::make_shared<std::string>(run_control_command(line, bus, server) + "\n");
            asio::async_write(*stream, asio::buffer(*answer),
                              [stream, answer, &bus, &server](std::error_code ec2, std::size_t) {
                                  if (!ec2) serve_lines(stream, bus, server);
                              });
        });
}

std::pair<std::string, std::uint16_t> split_host_port(const std::string& text) {
    auto colon = text.rfind(':');
    if (colon == std::string::npos)
        throw CLI::ValidationError("--listen", "expected HOST:PORT, got '" + text + "'");
    return {text.substr(0, colon), static_cast<std::uint16_t>(std::stoi(text.substr(colon + 1)))};
}

}  // namespace

int run_dali(int argc, char** argv) {
    CLI::App app{"lykta-sim dali: a Foxtron DALInet/DALI232 interface with simulated DALI control gear"};
    std::string listen, control, frame_log;
    bool pty = false, unaddressed = false, realtime = false;
    int gear = 0;
    std::uint64_t seed = 1;
    double no_answer_rate = 0;
    std::vector<std::string> group_specs;
    std::string hasseb_path, hasseb_firmware = "2.3", send_twice_reports = "twice";
    app.add_option("--listen", listen,
                   "serve the Foxtron protocol on TCP HOST:PORT (port 0 = any free port)");
    app.add_flag("--pty", pty, "serve the Foxtron protocol on a new pty (prints its path)");
    app.add_option("--hasseb", hasseb_path,
                   "serve the hasseb USB DALI Master protocol on a Unix SOCK_SEQPACKET socket at PATH "
                   "(stands in for its /dev/hidraw node: lyktad's interface is hasseb://PATH)");
    app.add_option("--hasseb-firmware", hasseb_firmware,
                   "firmware version the hasseb side reports, MAJOR.MINOR (1.x answers in its old 2-byte "
                   "protocol)");
    app.add_option("--gear", gear, "number of control gear (short addresses 0..N-1)")
        ->check(CLI::Range(0, 64));
    app.add_flag("--unaddressed", unaddressed, "gear start without short addresses (for commissioning)");
    app.add_option("--seed", seed, "seed for random addresses and fault rates");
    app.add_flag("--realtime", realtime, "answer with DALI wire timing (1200 bit/s frames plus settling)");
    app.add_option("--send-twice-reports", send_twice_reports,
                   "how often the Foxtron side reports a send-twice frame (the document does not say; "
                   "default twice, one report per copy on the bus)")
        ->check(CLI::IsMember({"once", "twice"}));
    app.add_option("--frame-log", frame_log,
                   "append every transaction to FILE (bus time, frame, command, answer, @monotonic s)");
    app.add_option("--control", control, "line-based control socket on HOST:PORT (stdin works too)");
    app.add_option("--no-answer-rate", no_answer_rate, "chance that an answer is lost")
        ->check(CLI::Range(0.0, 1.0));
    app.add_option("--groups", group_specs,
                   "A[..B]:G[,G...] or A[..B]:none: gear at short addresses A..B start in these DALI groups "
                   "(repeatable; default none), e.g. as another controller left them");
    app.footer(control_help());
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    }
    if (listen.empty() && !pty && hasseb_path.empty()) {
        std::cerr << "lykta-sim dali: give --listen HOST:PORT, --pty and/or --hasseb PATH\n";
        return 2;
    }
    HassebServer::Options hasseb_options{realtime};
    if (std::sscanf(hasseb_firmware.c_str(), "%d.%d", &hasseb_options.firmware_major,
                    &hasseb_options.firmware_minor) != 2 ||
        hasseb_options.firmware_major < 0 || hasseb_options.firmware_major > 255 ||
        hasseb_options.firmware_minor < 0 || hasseb_options.firmware_minor > 255) {
        std::cerr << "lykta-sim dali: --hasseb-firmware must be MAJOR.MINOR (0..255 each)\n";
        return 2;
    }

    asio::io_context io;
    dali::SimBus bus(seed);
    bus.add_gear(gear, !unaddressed);
    give_identities(bus, seed);  // banks 0/1 for the asset inventory
    bus.faults.no_answer_rate = no_answer_rate;
    for (const auto& spec : group_specs) {
        if (auto problem = apply_group_spec(bus, spec); !problem.empty()) {
            std::cerr << "lykta-sim dali: --groups " << spec << ": " << problem << "\n";
            return 2;
        }
    }
    dali::FoxtronServer server(io, bus, {realtime, send_twice_reports == "once" ? 1 : 2});
    HassebServer hasseb(io, bus, hasseb_options);

    std::unique_ptr<std::ofstream> log;
    if (!frame_log.empty()) {
        log = std::make_unique<std::ofstream>(frame_log, std::ios::app);
        if (!*log) {
            std::cerr << "lykta-sim dali: cannot write " << frame_log << "\n";
            return 1;
        }
        server.on_frame = hasseb.on_frame = [&log](const dali::FrameRecord& r) {
            // Last column: CLOCK_MONOTONIC seconds when the frame reached the bus, the
            // clock other processes on the host share (benchmarks time MQTT command →
            // first frame with it; Python's time.monotonic() reads the same clock).
            timespec now{};
            ::clock_gettime(CLOCK_MONOTONIC, &now);
            char line[192];
            std::snprintf(line, sizeof line, "%10.4f %s%s %-40s -> %s  @%lld.%06ld\n", r.bus_time_s,
                          dali::hex(r.frame).c_str(), r.options.send_twice ? "x2" : "  ",
                          dali::describe(r.frame, r.enabled_device_type).c_str(), r.reply.to_string().c_str(),
                          static_cast<long long>(now.tv_sec), now.tv_nsec / 1000);
            *log << line << std::flush;
        };
        hasseb.on_dropped = [&log, &bus](dali::ForwardFrame f) {
            char line[96];
            std::snprintf(line, sizeof line, "%10.4f %s   DROPPED: hasseb input queue full\n", bus.now(),
                          dali::hex(f).c_str());
            *log << line << std::flush;
        };
    }

    try {
        if (!listen.empty()) {
            auto [host, port] = split_host_port(listen);
            auto bound = server.listen_tcp(host, port);
            std::cout << "listening " << host << ":" << bound << std::endl;
        }
        if (pty) std::cout << "pty " << server.open_pty() << std::endl;
        if (!hasseb_path.empty()) {
            hasseb.listen(hasseb_path);
            std::cout << "hasseb " << hasseb_path << std::endl;
        }
    } catch (const std::exception& e) {
        std::cerr << "lykta-sim dali: " << e.what() << "\n";
        return 1;
    }

    std::unique_ptr<asio::ip::tcp::acceptor> control_acceptor;
    std::function<void()> accept_control;
    if (!control.empty()) {
        auto [host, port] = split_host_port(control);
        control_acceptor = std::make_unique<asio::ip::tcp::acceptor>(
            io, asio::ip::tcp::endpoint(asio::ip::make_address(host), port));
        accept_control = [&] {
            control_acceptor->async_accept([&](std::error_code ec, asio::ip::tcp::socket s) {
                if (ec) return;
                serve_lines(std::make_shared<asio::ip::tcp::socket>(std::move(s)), bus, server);
                accept_control();
            });
        };
        accept_control();
        std::cout << "control " << host << ":" << control_acceptor->local_endpoint().port() << std::endl;
    }
    // stdin commands when stdin is something the loop can wait on (a pipe or a terminal).
    auto input = std::make_shared<asio::posix::stream_descriptor>(io);
    std::error_code ec;
    input->assign(::dup(STDIN_FILENO), ec);
    if (!ec) serve_lines(input, bus, server);

    std::cerr << "lykta-sim dali: " << bus.gears().size() << " gear" << (unaddressed ? " (unaddressed)" : "")
              << (realtime ? ", real-time timing" : ", fast mode") << "\n";
    asio::signal_set signals(io, SIGTERM, SIGINT);
    signals.async_wait([&](const std::error_code&, int) { io.stop(); });
    io.run();
    return 0;
}

}  // namespace lykta::sim
