// The answers of a simulated gateway to every command of docs/mqtt-api.md
// ("Command list"), in the shapes the daemon answers with. Arguments are
// checked as the daemon checks them where a platform would notice (unknown
// ids, levels out of range, missing fields); the effects are a toy.
#include "gateway/api/command.hpp"
#include "gateway/core/rfc3339.hpp"
#include "lykta-sim/fleet/sim_gateway.hpp"

namespace lykta::sim {
namespace {

using api::Responder;
using nlohmann::json;
namespace code = api::error_code;

std::string now_utc() {
    return rfc3339_utc(std::chrono::system_clock::now());
}

// A level argument: number in 0..100, or the error is sent and nullopt returned.
std::optional<double> level_arg(const json& args, Responder& r) {
    if (!args.contains("level") || !args["level"].is_number()) {
        r.error(code::bad_request, "level must be a number", "level");
        return std::nullopt;
    }
    double level = args["level"].get<double>();
    if (level < 0 || level > 100) {
        r.error(code::out_of_range, "level " + args["level"].dump() + " is outside 0..100", "level");
        return std::nullopt;
    }
    return level;
}

std::optional<std::string> string_arg(const json& args, const char* key, Responder& r) {
    if (!args.contains(key) || !args[key].is_string()) {
        r.error(code::bad_request, std::string(key) + " must be a string", key);
        return std::nullopt;
    }
    return args[key].get<std::string>();
}

}  // namespace

void SimGateway::add_commands() {
    auto known_luminaire = [this](const std::string& id) { return levels_.count(id) != 0; };
    auto area_levels = [this] {
        json levels = json::object();
        for (const auto& [id, level] : levels_) levels[id] = level;
        return levels;
    };
    auto publish_states = [this] {
        for (const auto& l : config_.luminaires)
            publish(topics_.at(mqtt::Topics::luminaire_state(l.id)), luminaire_state(l), true, options_.qos);
        publish(topics_.at(mqtt::Topics::area_state("area1")), area_state(), true, options_.qos);
    };
    auto event = [this](json e) {
        e["seq"] = ++seq_;
        e["ts"] = now_utc();
        publish(topics_.event(), e, false, 1);
    };

    router_.add("republish", [this](const json&, Responder r) {
        r.ok({{"topics", config_.luminaires.size() + 2}});
        publish_retained_all();
    });
    router_.add("luminaire/set", [=, this](const json& args, Responder r) {
        auto id = string_arg(args, "luminaire", r);
        if (!id) return;
        if (!known_luminaire(*id))
            return r.error(code::unknown_luminaire, "no luminaire '" + *id + "'", "luminaire");
        auto level = level_arg(args, r);
        if (!level) return;
        levels_[*id] = *level;
        auto o = override_object("luminaire/" + *id, *level, args);
        event({{"type", "override.set"}, {"override", o}});
        publish_states();
        r.ok({{"override", o}, {"levels", {{*id, *level}}}});
    });
    router_.add("area/set", [=, this](const json& args, Responder r) {
        auto id = string_arg(args, "area", r);
        if (!id) return;
        if (*id != "area1") return r.error(code::unknown_area, "no area '" + *id + "'", "area");
        auto level = level_arg(args, r);
        if (!level) return;
        for (auto& [lid, l] : levels_) l = *level;
        override_ = override_object("area/" + *id, *level, args);
        event({{"type", "override.set"}, {"override", override_}});
        publish_states();
        r.ok({{"override", override_}, {"levels", area_levels()}});
    });
    router_.add("override/clear", [=, this](const json& args, Responder r) {
        json cleared = json::array();
        if (args.contains("area")) {
            if (args["area"] != "area1") return r.error(code::unknown_area, "no such area", "area");
            if (!override_.is_null()) cleared.push_back("area1");
            override_ = nullptr;
        } else if (args.contains("luminaire")) {
            auto id = string_arg(args, "luminaire", r);
            if (!id) return;
            if (!known_luminaire(*id))
                return r.error(code::unknown_luminaire, "no such luminaire", "luminaire");
            cleared.push_back(*id);
        } else {
            return r.error(code::bad_request, "give area or luminaire", "area");
        }
        publish_states();
        r.ok({{"cleared", cleared}, {"levels", area_levels()}});
    });
    router_.add("area/safety", [=, this](const json& args, Responder r) {
        auto area = string_arg(args, "area", r);
        if (!area) return;
        if (*area != "area1") return r.error(code::unknown_area, "no area '" + *area + "'", "area");
        for (const char* key : {"from", "until", "reason", "source"})
            if (!args.contains(key)) return r.error(code::bad_request, std::string(key) + " is missing", key);
        json flag{{"id", args.value("id", "f-" + std::to_string(flags_.size() + 1))},
                  {"area", *area},
                  {"from", args["from"]},
                  {"until", args["until"]},
                  {"reason", args["reason"]},
                  {"source", args["source"]},
                  {"profile", args.value("profile", "safe")}};
        flags_.push_back(flag);
        event({{"type", "safety.started"}, {"flag", flag}});
        publish_states();
        r.ok({{"flag", flag}});
    });
    router_.add("area/safety/clear", [=, this](const json& args, Responder r) {
        auto area = string_arg(args, "area", r);
        if (!area) return;
        json removed = json::array();
        json kept = json::array();
        for (const auto& f : flags_)
            (args.contains("flag") && f["id"] != args["flag"] ? kept : removed).push_back(f["id"]);
        json left = json::array();
        for (const auto& f : flags_)
            if (std::find(kept.begin(), kept.end(), f["id"]) != kept.end()) left.push_back(f);
        flags_ = left;
        publish_states();
        r.ok({{"removed", removed}});
    });
    auto schedule = [this] {
        return json{{"revision", revision_},
                    {"profiles",
                     {{"night",
                       {{"steps", json::array({{{"at", "sunset"}, {"level", 100}},
                                               {{"at", "sunrise"}, {"level", 0}}})}}}}},
                    {"calendar", json::array()},
                    {"holidays", json::object()},
                    {"areas", {{"area1", {{"profile", "night"}, {"safety_profile", nullptr}}}}}};
    };
    router_.add("schedule/get", [=](const json&, Responder r) { r.ok(schedule()); });
    router_.add("schedule/set", [=, this](const json& args, Responder r) {
        if (!args.contains("revision") || !args["revision"].is_number_integer())
            return r.error(code::bad_request, "revision must be an integer", "revision");
        if (args["revision"].get<std::int64_t>() != revision_)
            return r.error(code::conflict, "revision is " + std::to_string(revision_), "revision");
        ++revision_;
        event({{"type", "schedule.changed"}, {"revision", revision_}});
        r.ok({{"revision", revision_}});
    });
    router_.add("luminaire/identify", [=](const json& args, Responder r) {
        auto id = string_arg(args, "luminaire", r);
        if (!id) return;
        if (!known_luminaire(*id)) return r.error(code::unknown_luminaire, "no such luminaire", "luminaire");
        int seconds = args.value("seconds", 30);
        r.ok({{"luminaire", *id},
              {"until", rfc3339_utc(std::chrono::system_clock::now() + std::chrono::seconds(seconds))}});
    });
    router_.add("faults/list", [](const json&, Responder r) {
        r.ok({{"faults", json::array()}, {"ts", now_utc()}});
    });
    router_.add("faults/ack", [](const json& args, Responder r) {
        r.error("unknown_fault", "no fault '" + args.value("fault", std::string()) + "'", "fault");
    });
    router_.add("faults/report", [this](const json&, Responder r) {
        r.ok({{"gateway", {{"id", config_.gateway.id}, {"name", config_.gateway.name}}},
              {"active", json::array()},
              {"ts", now_utc()}});
    });
    router_.add("report/get", [this](const json& args, Responder r) {
        for (const char* key : {"from", "to"})
            if (!args.contains(key) || !args[key].is_string())
                return r.error(code::bad_request, std::string(key) + " must be a date", key);
        r.ok({{"from", args["from"]},
              {"to", args["to"]},
              {"granularity", args.value("granularity", "day")},
              {"areas", {{"area1", {{"rows", json::array()}}}}},
              {"gateway", {{"id", config_.gateway.id}, {"name", config_.gateway.name}}}});
    });
    router_.add("explain", [=, this](const json& args, Responder r) {
        std::string area = "area1";
        if (args.contains("luminaire")) {
            auto id = string_arg(args, "luminaire", r);
            if (!id) return;
            if (!known_luminaire(*id))
                return r.error(code::unknown_luminaire, "no such luminaire", "luminaire");
        } else if (args.value("area", std::string()) != "area1") {
            return r.error(code::unknown_area, "no such area", "area");
        }
        double level = levels_.begin()->second;
        r.ok({{"area", area},
              {"level", level},
              {"reason", {{"source", override_.is_null() ? "schedule" : "override"}}},
              {"stack", json::array()},
              {"at", now_utc()}});
    });
    router_.add("inventory/get", [this](const json&, Responder r) {
        json list = json::array();
        for (const auto& l : config_.luminaires)
            list.push_back({{"luminaire", l.id},
                            {"bus", l.bus},
                            {"address", l.address},
                            {"area", l.area},
                            {"identity", nullptr},
                            {"first", nullptr},
                            {"read_at", nullptr}});
        r.ok({{"inventory", list}, {"total", list.size()}, {"offset", 0}, {"next_offset", nullptr}});
    });
    router_.add("inventory/read", [](const json&, Responder r) {
        r.ok({{"read", 0}, {"mismatches", 0}, {"unreadable", 0}, {"results", json::array()}});
    });
    router_.add("modbus/write", [](const json& args, Responder r) {
        r.error(code::unknown_meter, "no device '" + args.value("device", std::string()) + "'", "device");
    });
}

}  // namespace lykta::sim
