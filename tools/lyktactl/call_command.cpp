#include "call_command.hpp"

#include <iostream>
#include <memory>

namespace lykta::ctl {

void add_call_command(CLI::App& cli, const GatewayTarget& target, int& exit_code) {
    auto* sub = cli.add_subcommand("call", "Send one API command to the running daemon and print its answer");
    auto command = std::make_shared<std::string>();
    auto args_text = std::make_shared<std::string>("{}");
    sub->add_option("command", *command, "Command path, e.g. explain or faults/list")->required();
    sub->add_option("args", *args_text, "Arguments as one JSON object, e.g. '{\"area\":\"torget\"}'");
    sub->callback([&target, &exit_code, command, args_text] {
        auto args = nlohmann::json::parse(*args_text, nullptr, false);
        if (args.is_discarded() || !args.is_object()) {
            std::cerr << "lyktactl: the arguments must be one JSON object, got: " << *args_text << "\n";
            exit_code = 2;
            return;
        }
        auto response = ask(target, *command, args);
        if (response.value("status", "") != "ok") {
            exit_code = report_error(response);
            return;
        }
        std::cout << response.value("data", nlohmann::json::object()).dump(2) << "\n";
        exit_code = 0;
    });
}

}  // namespace lykta::ctl
