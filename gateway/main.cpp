// lyktad: parses the command line, validates the config, runs the App.
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <iostream>

#include "gateway/app/app.hpp"
#include "gateway/app/config_check.hpp"
#include "gateway/app/stop_and_reload_signals.hpp"
#include "gateway/core/logging.hpp"
#include "gateway/http/mhd_api.hpp"
#include "gateway/mqtt/connect_options.hpp"
#include "lykta/version.hpp"

#if defined(__SANITIZE_THREAD__)
// Only under the `tsan` preset (docs/reliability.md, "ThreadSanitizer").
// Debian's Paho C++ (libpaho-mqttpp3) is not instrumented. The tokens it
// shares with us (shared_ptr<mqtt::token>) are released on Paho's threads in
// async_client::remove_token, after token::on_success5 broadcast the token's
// condition variable (and filled a subscribe_response), with reference-count
// atomics compiled into that library, which TSan cannot see: the free there,
// or our last release destroying what Paho's thread wrote, looks unordered
// with the other side. Named by those Paho functions and type only;
// `called_from_lib` (the whole library) made TSan miss Paho C's unlocks and
// report double locks instead. Cost: a race inside one of our token
// listeners (run from on_success5) would not be shown.
extern "C" const char* __tsan_default_suppressions() {
    return "race:mqtt::async_client::remove_token\nrace:mqtt::token::on_success5\n"
           "race:mqtt::subscribe_response\n";
}
#endif

int main(int argc, char** argv) {
    CLI::App cli{"lyktad: street-lighting gateway daemon (DALI, Modbus, MQTT)", "lyktad"};
    std::string config_path = "/etc/lykta/lykta.yaml";
    std::string check_path;
    std::string log_level;
    cli.add_option("-c,--config", config_path, "Configuration file")->capture_default_str();
    cli.add_option("--check", check_path,
                   "Validate FILE fully, print every problem as FILE:LINE:COL, and exit");
    cli.add_option("--log-level", log_level, "Override log.level (trace, debug, info, warn, error, off)");
    cli.set_version_flag("-V,--version", std::string("lyktad ") + lykta::version);
    CLI11_PARSE(cli, argc, argv);

    if (!check_path.empty()) {
        auto checked = lykta::check_config_file(check_path);
        for (const auto& d : checked.diagnostics) std::cerr << d.to_string() << "\n";
        if (!checked.config) return 1;
        // Warnings, not errors: a box being provisioned can be checked before its
        // secrets arrive, and the daemon runs the lighting without them.
        for (const auto& problem : lykta::mqtt::unreadable_credential_files(checked.config->mqtt))
            std::cerr
                << check_path << ": warning: " << problem
                << " (lyktad runs the lighting; the uplink stays offline with an uplink_credentials fault "
                   "until the file can be read)\n";
        if (const auto& http = checked.config->http; http && !http->loopback() && !http->tls())
            std::cerr << check_path << ": warning: http.listen " << http->host << ":" << http->port
                      << " is reachable from the network without tls: passwords and session cookies "
                         "travel in clear text (add http.tls, or listen on 127.0.0.1)\n";
        std::cout << lykta::summarize(*checked.config) << "\n";
        return 0;
    }

    auto checked = lykta::check_config_file(config_path);
    try {
        lykta::setup_logging(!log_level.empty() ? log_level
                             : checked.config   ? checked.config->log.level
                                                : "info");
    } catch (const std::exception& e) {
        std::cerr << "lyktad: " << e.what() << "\n";
        return 2;
    }
    if (!checked.config) {
        spdlog::critical("refusing to start: {} has {} problem(s)", config_path, checked.diagnostics.size());
        for (const auto& d : checked.diagnostics) spdlog::critical("{}", d.to_string());
        return 1;
    }

    auto config = std::move(*checked.config);
    try {
        // Before any thread exists (they inherit its signal mask): from here on
        // SIGHUP/SIGTERM/SIGINT wait in the kernel until the running App reads
        // them, also between one App and the next on a reload.
        lykta::StopAndReloadSignals signals;
        lykta::http::keep_tls_uninitialised();  // also single-threaded: it sets the environment
        for (;;) {
            lykta::App app(std::move(config), config_path, signals);
            auto outcome = app.run();
            if (outcome != lykta::RunOutcome::reload) return outcome == lykta::RunOutcome::stopped ? 0 : 1;
            config = std::move(*app.reloaded_config());
            if (log_level.empty()) lykta::set_log_level(config.log.level);
            spdlog::info("reloading with the new configuration from {}", config_path);
        }
    } catch (const std::exception& e) {
        spdlog::critical("lyktad stopped: {}", e.what());
        return 1;
    }
}
