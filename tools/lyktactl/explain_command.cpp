#include "explain_command.hpp"

#include <cstdio>
#include <iostream>
#include <memory>
#include <sstream>

namespace lykta::ctl {
namespace {

struct ExplainOptions {
    std::string luminaire;
    std::string area;
    std::string at;
    bool json = false;
};

std::string level_text(const nlohmann::json& level) {
    if (!level.is_number()) return "-";
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.1f %%", level.get<double>());
    return buf;
}

std::string text_of(const nlohmann::json& v) {
    return v.is_string() ? v.get<std::string>() : "";
}

// One decision as the operator reads it: the level and why, then the stack
// (highest rank first), the layer that decided marked with '>'.
void print_decision(std::ostream& out, const nlohmann::json& d, const std::string& indent) {
    const auto& reason = d.value("reason", nlohmann::json::object());
    out << indent << level_text(d.value("level", nlohmann::json())) << "  "
        << text_of(reason.value("source", nlohmann::json())) << " "
        << text_of(reason.value("id", nlohmann::json())) << ": "
        << text_of(reason.value("detail", nlohmann::json()));
    if (reason.contains("until") && reason["until"].is_string())
        out << " (until " << reason["until"].get<std::string>() << ")";
    out << "\n";
    for (const auto& layer : d.value("stack", nlohmann::json::array())) {
        out << indent
            << (layer.value("applied", false) ? "  > " : (layer.value("active", false) ? "  * " : "    "))
            << text_of(layer.value("source", nlohmann::json())) << " "
            << text_of(layer.value("id", nlohmann::json())) << "  "
            << level_text(layer.value("level", nlohmann::json())) << "  "
            << text_of(layer.value("detail", nlohmann::json())) << "\n";
    }
}

}  // namespace

void add_explain_command(CLI::App& cli, const GatewayTarget& target, int& exit_code) {
    auto options = std::make_shared<ExplainOptions>();
    auto* explain =
        cli.add_subcommand("explain", "Why a luminaire or area has its level (the policy's layers)");
    auto* lum = explain->add_option("--luminaire", options->luminaire, "Luminaire id");
    auto* area = explain->add_option("--area", options->area, "Area id");
    lum->excludes(area);
    explain->add_option("--at", options->at, "Instant to explain (RFC 3339 or local date; default now)");
    explain->add_flag("--json", options->json, "Print the daemon's answer as JSON");
    explain->callback([&target, &exit_code, options] {
        if (options->luminaire.empty() == options->area.empty()) {
            std::cerr << "lyktactl: explain needs --luminaire ID or --area ID\n";
            exit_code = 2;
            return;
        }
        nlohmann::json args = nlohmann::json::object();
        if (!options->luminaire.empty()) args["luminaire"] = options->luminaire;
        if (!options->area.empty()) args["area"] = options->area;
        if (!options->at.empty()) args["at"] = options->at;
        auto response = ask(target, "explain", args);
        if (response.value("status", "") != "ok") {
            exit_code = report_error(response);
            return;
        }
        const auto& data = response["data"];
        exit_code = 0;
        if (options->json || target.json) {
            std::cout << data.dump(2) << "\n";
            return;
        }
        std::cout << (options->area.empty() ? "luminaire " + options->luminaire : "area " + options->area)
                  << " at " << text_of(data.value("at", nlohmann::json())) << "\n";
        print_decision(std::cout, data, "");
        for (const auto& l : data.value("luminaires", nlohmann::json::array())) {
            std::cout << text_of(l.value("luminaire", nlohmann::json())) << "\n";
            print_decision(std::cout, l, "  ");
        }
    });
}

}  // namespace lykta::ctl
