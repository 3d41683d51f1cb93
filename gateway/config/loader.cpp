// load_file / load_string: YAML text -> validated Config, or every problem.
#include "gateway/config/loader.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "gateway/config/cross_references.hpp"
#include "gateway/config/faults_section.hpp"
#include "gateway/config/photocell_section.hpp"
#include "gateway/config/sections.hpp"
#include "gateway/config/yaml_document.hpp"
#include "gateway/config/yaml_reading.hpp"

namespace lykta::config {
namespace {

const std::vector<std::string> top_level_keys{"version",  "gateway",    "site",         "mqtt",   "store",
                                              "log",      "dali",       "luminaires",   "areas",  "profiles",
                                              "calendar", "holidays",   "safety_flags", "modbus", "control",
                                              "faults",   "statistics", "photocells", "http"};

LoadResult load_document(const std::string& text, const std::string& name,
                         const std::filesystem::path& base_dir) {
    ParseContext ctx(name, base_dir);
    LoadResult result;
    auto root = parse_yaml_document(ctx, text);
    if (!root) {
        result.diagnostics = ctx.take_diagnostics();
        return result;
    }
    Config config;
    config.source_file = name;
    MapReader top(ctx, *root, "", top_level_keys);
    if (!top.is_map()) {
        result.diagnostics = ctx.take_diagnostics();
        return result;
    }
    if (top.read("version", config.version, -1'000'000, 1'000'000, Need::required) && config.version != 1)
        ctx.error(top.pos_of("version"), "version",
                  std::to_string(config.version) + " is not supported (this gateway reads version 1)");
    if (top.require("gateway")) parse_gateway(ctx, top.node("gateway"), config.gateway);
    if (top.require("site")) parse_site(ctx, top.node("site"), config.site);
    parse_mqtt(ctx, top.node("mqtt"), config.gateway.id, config.mqtt);
    parse_store(ctx, top.node("store"), config.store);
    parse_log(ctx, top.node("log"), config.log);
    parse_control(ctx, top.node("control"), config.control);
    parse_http(ctx, top.node("http"), config.http);
    parse_dali(ctx, top.node("dali"), config.dali);
    parse_luminaires(ctx, top.node("luminaires"), config.luminaires);
    parse_areas(ctx, top.node("areas"), config.areas);
    parse_profiles(ctx, top.node("profiles"), config.schedule.profiles);
    parse_holidays(ctx, top.node("holidays"), config.schedule.holidays);
    parse_calendar(ctx, top.node("calendar"), config.schedule.calendar);
    parse_safety_flags(ctx, top.node("safety_flags"), config.site.timezone, config.safety_flags);
    parse_modbus(ctx, top.node("modbus"), config.modbus);
    parse_faults(ctx, top.node("faults"), config.faults);
    parse_statistics(ctx, top.node("statistics"), config.statistics);
    parse_photocells(ctx, top.node("photocells"), config.photocells);
    check_references(ctx, config);
    check_photocells(ctx, config);
    result.diagnostics = ctx.take_diagnostics();
    if (result.diagnostics.empty()) result.config = std::move(config);
    return result;
}

}  // namespace

LoadResult load_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        const int error = errno;
        LoadResult result;
        Diagnostic unreadable;
        unreadable.pos.file = path;
        unreadable.message = std::string("cannot read the file: ") + std::strerror(error);
        result.diagnostics.push_back(std::move(unreadable));
        return result;
    }
    std::ostringstream text;
    text << in.rdbuf();
    std::error_code ec;
    auto absolute = std::filesystem::absolute(path, ec);
    return load_document(text.str(), path, ec ? std::filesystem::current_path() : absolute.parent_path());
}

LoadResult load_string(const std::string& yaml, const std::string& name) {
    std::error_code ec;
    auto cwd = std::filesystem::current_path(ec);
    return load_document(yaml, name, cwd);
}

}  // namespace lykta::config
