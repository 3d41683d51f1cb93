#include "gateway/faults/fault_commands.hpp"

#include "gateway/core/rfc3339.hpp"
#include "gateway/faults/maintenance_data.hpp"

namespace lykta::faults {
namespace {

namespace code = api::error_code;

// Reads an optional string argument; false (and an answered responder) when it has the wrong type.
bool optional_string(const nlohmann::json& args, const char* name, std::string& out,
                     api::Responder& responder) {
    if (!args.contains(name) || args[name].is_null()) return true;
    if (!args[name].is_string()) {
        responder.error(code::bad_request, std::string(name) + " must be a string", name);
        return false;
    }
    out = args[name].get<std::string>();
    return true;
}

}  // namespace

void handle_faults_list(FaultBook& book, const ConfigSource& config, const nlohmann::json& args,
                        api::Responder responder) {
    if (!args.is_object()) return responder.error(code::bad_request, "arguments must be an object");
    std::string area;
    if (!optional_string(args, "area", area, responder)) return;
    bool active_only = true;
    if (args.contains("active_only")) {
        if (!args["active_only"].is_boolean())
            return responder.error(code::bad_request, "active_only must be true or false", "active_only");
        active_only = args["active_only"].get<bool>();
    }
    std::int64_t limit = 500;
    if (args.contains("limit")) {
        if (!args["limit"].is_number_integer())
            return responder.error(code::bad_request, "limit must be an integer", "limit");
        limit = args["limit"].get<std::int64_t>();
        if (limit < 1 || limit > 10000)
            return responder.error(code::out_of_range, "limit must be 1..10000", "limit");
    }
    const auto* cfg = config ? config() : nullptr;
    if (!area.empty() && cfg && !cfg->find_area(area))
        return responder.error(code::unknown_area, "no area '" + area + "' in the configuration", "area");

    auto list = nlohmann::json::array();
    auto faults = active_only ? book.active(area) : book.history(area, static_cast<std::size_t>(limit));
    for (const auto& f : faults) list.push_back(fault_record_json(f, cfg));
    responder.ok({{"faults", std::move(list)}, {"ts", rfc3339_utc(book.clock().now())}});
}

void handle_faults_ack(FaultBook& book, const ConfigSource& config, const nlohmann::json& args,
                       api::Responder responder) {
    if (!args.is_object()) return responder.error(code::bad_request, "arguments must be an object");
    if (!args.contains("fault")) return responder.error(code::bad_request, "fault is required", "fault");
    if (!args["fault"].is_string())
        return responder.error(code::bad_request, "fault must be a string", "fault");
    std::string by, note;
    if (!optional_string(args, "by", by, responder) || !optional_string(args, "note", note, responder))
        return;
    if (by.size() > 200) return responder.error(code::out_of_range, "by is longer than 200 characters", "by");
    if (note.size() > 2000)
        return responder.error(code::out_of_range, "note is longer than 2000 characters", "note");

    auto id = args["fault"].get<std::string>();
    auto result = book.acknowledge(id, by, note);
    const auto* cfg = config ? config() : nullptr;
    switch (result.status) {
        case AckStatus::unknown:
            return responder.error(unknown_fault, "no fault '" + id + "' (never raised, or pruned)", "fault");
        case AckStatus::cleared:
            return responder.error(code::conflict, "fault " + id + " is already cleared", "fault");
        case AckStatus::already:
        case AckStatus::done:
            return responder.ok({{"fault", fault_record_json(result.fault, cfg)},
                                 {"already_acknowledged", result.status == AckStatus::already}});
    }
}

void handle_faults_report(FaultBook& book, const ConfigSource& config, const nlohmann::json& args,
                          api::Responder responder) {
    if (!args.is_object()) return responder.error(code::bad_request, "arguments must be an object");
    const auto* cfg = config ? config() : nullptr;
    if (!cfg) return responder.error(code::internal, "no configuration loaded");
    responder.ok(maintenance_data(book, *cfg));
}

std::vector<std::pair<std::string, api::CommandHandler>> fault_commands(FaultBook& book,
                                                                        ConfigSource config) {
    auto bind = [&book, config](auto fn) -> api::CommandHandler {
        return [&book, config, fn](const nlohmann::json& args, api::Responder responder) {
            fn(book, config, args, std::move(responder));
        };
    };
    return {{"faults/list", bind(handle_faults_list)},
            {"faults/ack", bind(handle_faults_ack)},
            {"faults/report", bind(handle_faults_report)}};
}

}  // namespace lykta::faults
