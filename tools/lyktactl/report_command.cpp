#include "report_command.hpp"

#include <fstream>
#include <iostream>
#include <memory>

#include "output_file.hpp"
#include "render/maintenance_page.hpp"
#include "render/stats_render.hpp"

namespace lykta::ctl {
namespace {

struct ReportOptions {
    std::string out;
    std::string from;
    std::string to;
    std::vector<std::string> areas;
    std::string granularity = "day";
    bool csv = false;
    bool json = false;
    bool html = false;
};

std::string gateway_name(const nlohmann::json& data) {
    const auto& g = data.value("gateway", nlohmann::json::object());
    auto name = g.value("name", "");
    return name.empty() ? g.value("id", "gateway") : name;
}

}  // namespace

void add_report_command(CLI::App& cli, const GatewayTarget& target, int& exit_code) {
    auto options = std::make_shared<ReportOptions>();
    auto* report = cli.add_subcommand("report", "Reports for crews and the municipality");
    report->require_subcommand(1);

    auto* maintenance =
        report->add_subcommand("maintenance", "Self-contained HTML page for the maintenance crew");
    maintenance->add_option("--out", options->out, "HTML file to write")->required();
    maintenance->callback([&target, &exit_code, options] {
        auto response = ask(target, "faults/report", nlohmann::json::object());
        if (response.value("status", "") != "ok") {
            exit_code = report_error(response);
            return;
        }
        const auto& data = response["data"];
        exit_code = write_output(options->out, maintenance_page(data, gateway_name(data))) ? 0 : 1;
    });

    auto* stats = report->add_subcommand("stats", "Lighting and safety statistics per area");
    stats->add_option("--from", options->from, "First lighting day, YYYY-MM-DD")->required();
    stats->add_option("--to", options->to, "Last lighting day, YYYY-MM-DD")->required();
    stats->add_option("--area", options->areas, "Only this area (repeatable)");
    stats->add_option("--granularity", options->granularity, "day or month")
        ->check(CLI::IsMember({"day", "month"}))
        ->capture_default_str();
    auto* csv = stats->add_flag("--csv", options->csv, "CSV, one row per area and period (default)");
    auto* json = stats->add_flag("--json", options->json, "The report/get answer as JSON");
    auto* html = stats->add_flag("--html", options->html, "Self-contained HTML page with plots");
    csv->excludes(json)->excludes(html);
    json->excludes(html);
    stats->add_option("--out", options->out, "Write to this file instead of standard output");
    stats->callback([&target, &exit_code, options] {
        nlohmann::json args{
            {"from", options->from}, {"to", options->to}, {"granularity", options->granularity}};
        if (!options->areas.empty()) args["areas"] = options->areas;
        auto response = ask(target, "report/get", args);
        if (response.value("status", "") != "ok") {
            exit_code = report_error(response);
            return;
        }
        const auto& data = response["data"];
        std::string text = (options->json || target.json) ? data.dump(2) + "\n"
                           : options->html                ? stats_html(data, gateway_name(data))
                                                          : stats_csv(data);
        exit_code = write_output(options->out, text) ? 0 : 1;
    });
}

}  // namespace lykta::ctl
