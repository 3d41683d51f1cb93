#include "call_command.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <vector>

namespace lykta::ctl {

void add_call_command(CLI::App& cli, const GatewayTarget& target, int& exit_code) {
    auto* sub = cli.add_subcommand("call", "Send one API command to the running daemon and print its answer");
    auto command = std::make_shared<std::string>();
    auto args_text = std::make_shared<std::string>("{}");
    sub->add_option("command", *command, "Command path, e.g. explain or faults/list")->required();
    sub->add_option("args", *args_text, "Arguments as one JSON object, e.g. '{\"area\":\"torget\"}'");
    auto repeat = std::make_shared<int>(1);
    sub->add_option("--repeat", *repeat,
                    "Send it this many times over one connection and print the round-trip times "
                    "(p50/p99/max) on stderr: a latency check")
        ->check(CLI::Range(1, 100000));
    sub->callback([&target, &exit_code, command, args_text, repeat] {
        auto args = nlohmann::json::parse(*args_text, nullptr, false);
        if (args.is_discarded() || !args.is_object()) {
            std::cerr << "lyktactl: the arguments must be one JSON object, got: " << *args_text << "\n";
            exit_code = 2;
            return;
        }
        auto response = ask(target, *command, args);  // also connects: not in the timings
        if (*repeat > 1) {
            std::vector<double> ms;
            for (int i = 1; i < *repeat; ++i) {
                const auto t0 = std::chrono::steady_clock::now();
                response = ask(target, *command, args);
                ms.push_back(
                    std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
            }
            std::sort(ms.begin(), ms.end());
            auto at = [&](double p) {
                return ms[std::min(ms.size() - 1, static_cast<std::size_t>(p * ms.size()))];
            };
            std::fprintf(stderr, "%zu round trips after the first: p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
                         ms.size(), at(0.50), at(0.99), ms.back());
        }
        if (response.value("status", "") != "ok") {
            exit_code = report_error(response);
            return;
        }
        std::cout << response.value("data", nlohmann::json::object()).dump(2) << "\n";
        exit_code = 0;
    });
}

}  // namespace lykta::ctl
