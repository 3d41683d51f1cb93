#include "plan_command.hpp"

#include <iostream>
#include <sstream>

#include "gateway/config/date_parsing.hpp"
#include "gateway/config/loader.hpp"
#include "gateway/policy/plan.hpp"
#include "gateway/policy/policy_json.hpp"

namespace lykta::ctl {

CLI::App* add_plan_command(CLI::App& cli, PlanOptions& options) {
    auto* plan = cli.add_subcommand("plan", "Show one area's resolved schedule for a night (noon to noon)");
    plan->add_option("--area", options.area, "Area id")->required();
    plan->add_option("--date", options.date, "Date the night starts on, YYYY-MM-DD")->required();
    plan->add_flag("--json", options.json, "Print JSON instead of text");
    return plan;
}

int run_plan(const PlanOptions& options, const std::string& config_path) {
    std::string error;
    auto day = config::parse_date_spec(options.date, &error);
    if (!day || day->year == 0) {
        std::cerr << "lyktactl plan: --date " << options.date << ": "
                  << (error.empty() ? "expected YYYY-MM-DD" : error) << "\n";
        return 2;
    }
    auto loaded = config::load_file(config_path);
    for (const auto& d : loaded.diagnostics) std::cerr << d.to_string() << "\n";
    if (!loaded.ok()) return 1;
    const auto& cfg = *loaded.config;
    if (!cfg.find_area(options.area)) {
        std::cerr << "lyktactl plan: no area '" << options.area << "' in " << config_path << "; areas:";
        for (const auto& a : cfg.areas) std::cerr << " " << a.id;
        std::cerr << "\n";
        return 2;
    }
    try {
        const auto inputs = policy::PolicyInputs::from_config(cfg);
        const date::local_days night{date::year{day->year} / day->month / day->day};
        const auto plan = policy::plan_area(inputs, options.area, night);
        if (options.json)
            std::cout << policy::to_json(plan, inputs.place).dump(2) << "\n";
        else
            std::cout << policy::render_plan_text(plan, inputs.place);
    } catch (const std::exception& e) {
        std::cerr << "lyktactl plan: " << e.what() << "\n";
        return 1;
    }
    return 0;
}

}  // namespace lykta::ctl
