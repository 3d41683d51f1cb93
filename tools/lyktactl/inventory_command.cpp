#include "inventory_command.hpp"

#include <iostream>
#include <memory>

#include "render/inventory_table.hpp"

namespace lykta::ctl {
namespace {

struct InventoryOptions {
    std::string area;
    std::string luminaire;
    bool read = false;
    bool json = false;
    bool csv = false;
};

}  // namespace

void add_inventory_command(CLI::App& cli, const GatewayTarget& target, int& exit_code) {
    auto options = std::make_shared<InventoryOptions>();
    auto* inventory = cli.add_subcommand(
        "inventory", "List the luminaires' DALI gear: GTIN, serial, firmware, luminaire data");
    inventory->add_option("--area", options->area, "Only luminaires in this area");
    inventory->add_option("--luminaire", options->luminaire, "Only this luminaire");
    inventory->add_flag(
        "--read", options->read,
        "Read the gear's memory banks first (takes about a second per 20 gear on a real bus)");
    auto* json = inventory->add_flag("--json", options->json, "Print the records as JSON");
    inventory->add_flag("--csv", options->csv, "Print CSV (one row per luminaire, header first)")
        ->excludes(json);
    inventory->callback([&target, &exit_code, options] {
        nlohmann::json args = nlohmann::json::object();
        if (!options->area.empty()) args["area"] = options->area;
        if (!options->luminaire.empty()) args["luminaire"] = options->luminaire;
        if (options->read) {
            auto read = ask(target, "inventory/read", args, std::chrono::minutes(10));
            if (read.value("status", "") != "ok") {
                exit_code = report_error(read);
                return;
            }
            const auto& data = read["data"];
            std::cerr << "read " << data.value("read", 0) << " gear: " << data.value("mismatches", 0)
                      << " swapped, " << data.value("unreadable", 0) << " unreadable\n";
        }
        // The daemon pages its answer to stay under mqtt.max_payload; follow next_offset.
        nlohmann::json list = nlohmann::json::array();
        for (std::int64_t offset = 0;;) {
            args["offset"] = offset;
            auto response = ask(target, "inventory/get", args);
            if (response.value("status", "") != "ok") {
                exit_code = report_error(response);
                return;
            }
            auto& data = response["data"];
            for (auto& record : data["inventory"]) list.push_back(std::move(record));
            const auto next = data.value("next_offset", nlohmann::json(nullptr));
            if (!next.is_number_integer() || next.get<std::int64_t>() <= offset) break;
            offset = next.get<std::int64_t>();
        }
        if (options->json || target.json)
            std::cout << list.dump(2) << "\n";
        else if (options->csv)
            std::cout << inventory_csv(list);
        else
            std::cout << inventory_table(list);
        exit_code = 0;
    });
}

}  // namespace lykta::ctl
