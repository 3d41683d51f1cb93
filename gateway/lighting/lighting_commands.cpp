// The lighting commands of the MQTT API (docs/mqtt-api.md). A command that
// changes state is applied to the policy's inputs, persisted, then answered;
// luminaire/set, area/set and override/clear decide only the luminaires they
// name, queue their frames before the write and answer after both, with the
// read-back levels.
#include <spdlog/spdlog.h>

#include <cmath>
#include <optional>

#include "gateway/config/date_parsing.hpp"
#include "gateway/config/schedule_parser.hpp"
#include "gateway/lighting/lighting_feature.hpp"
#include "gateway/lighting/schedule_json.hpp"
#include "gateway/policy/policy_json.hpp"
#include "gateway/policy/requests.hpp"

namespace lykta::lighting {
namespace ec = mqtt::error_code;
namespace {

const config::Luminaire* find_luminaire(const config::Config& c, const std::string& id) {
    for (const auto& l : c.luminaires)
        if (l.id == id) return &l;
    return nullptr;
}
const config::Area* find_area(const config::Config& c, const std::string& id) {
    for (const auto& a : c.areas)
        if (a.id == id) return &a;
    return nullptr;
}

// Reads the one of "luminaire"/"area" the request names. False: answered with the error.
bool read_scope(const nlohmann::json& args, const config::Config& c, policy::Scope& scope, std::string& id,
                mqtt::Responder& responder) {
    const bool has_l = args.contains("luminaire"), has_a = args.contains("area");
    if (has_l == has_a) {
        responder.error(ec::bad_request, "give exactly one of 'luminaire' or 'area'",
                        has_l ? "area" : "luminaire");
        return false;
    }
    const char* key = has_l ? "luminaire" : "area";
    if (!args[key].is_string()) {
        responder.error(ec::bad_request, std::string("'") + key + "' must be a string", key);
        return false;
    }
    id = args[key].get<std::string>();
    scope = has_l ? policy::Scope::luminaire : policy::Scope::area;
    if (has_l && !find_luminaire(c, id)) {
        responder.error(ec::unknown_luminaire, "no luminaire '" + id + "' in the config", key);
        return false;
    }
    if (!has_l && !find_area(c, id)) {
        responder.error(ec::unknown_area, "no area '" + id + "' in the config", key);
        return false;
    }
    return true;
}

nlohmann::json levels_json(const LightingFeature::Levels& levels) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [id, level] : levels)
        out[id] = level ? nlohmann::json(std::round(*level * 10) / 10) : nlohmann::json(nullptr);
    return out;
}

// The answer of a command whose frames go out before its store write: given
// once both the read-back levels are in and the write is done, whichever is
// last. The bus hears the command without waiting for SQLite (command -> first
// frame, docs/benchmarks.md); the acknowledgement still follows the write, so
// an acknowledged change survives a crash. A crash between frames and write
// loses only an unacknowledged command; the restarted daemon sends the
// policy's levels again.
class LateAnswer {
public:
    using Body = std::function<nlohmann::json(const LightingFeature::Levels&)>;
    LateAnswer(mqtt::Responder responder, Body body)
        : responder_(std::move(responder)), body_(std::move(body)) {}
    void levels(LightingFeature::Levels levels) {
        levels_ = std::move(levels);
        if (persisted_) responder_.ok(body_(*levels_));
    }
    void persisted() {
        persisted_ = true;
        if (levels_) responder_.ok(body_(*levels_));
    }

private:
    mqtt::Responder responder_;
    Body body_;
    bool persisted_ = false;
    std::optional<LightingFeature::Levels> levels_;
};

}  // namespace

void LightingFeature::register_commands() {
    using namespace std::placeholders;
    uplink_.add_command("luminaire/set", [this](const nlohmann::json& a, mqtt::Responder r) {
        handle_set(a, std::move(r), policy::Scope::luminaire);
    });
    uplink_.add_command("area/set", [this](const nlohmann::json& a, mqtt::Responder r) {
        handle_set(a, std::move(r), policy::Scope::area);
    });
    uplink_.add_command("override/clear", std::bind(&LightingFeature::handle_override_clear, this, _1, _2));
    uplink_.add_command("area/safety", std::bind(&LightingFeature::handle_safety, this, _1, _2));
    uplink_.add_command("area/safety/clear", std::bind(&LightingFeature::handle_safety_clear, this, _1, _2));
    // The flags themselves (config and MQTT), so a platform can tell what it set:
    // `lyktactl fleet safety` plans against them (docs/operations.md).
    uplink_.add_command("area/safety/list", [this](const nlohmann::json& args, mqtt::Responder responder) {
        std::string area;
        if (args.contains("area")) {
            if (!args["area"].is_string())
                return responder.error(ec::bad_request, "'area' must be a string", "area");
            area = args["area"];
            if (!find_area(effective_, area))
                return responder.error(ec::unknown_area, "no area '" + area + "'", "area");
        }
        nlohmann::json flags = nlohmann::json::array();
        for (const auto& f : inputs_.flags)
            if (area.empty() || f.area == area) flags.push_back(policy::to_json(f, inputs_.place));
        responder.ok({{"flags", std::move(flags)}});
    });
    uplink_.add_command("luminaire/identify", std::bind(&LightingFeature::handle_identify, this, _1, _2));
    uplink_.add_command("explain", std::bind(&LightingFeature::handle_explain, this, _1, _2));
    uplink_.add_command("schedule/get", std::bind(&LightingFeature::handle_schedule_get, this, _1, _2));
    uplink_.add_command("schedule/set", std::bind(&LightingFeature::handle_schedule_set, this, _1, _2));
}

void LightingFeature::handle_set(const nlohmann::json& args, mqtt::Responder responder, policy::Scope scope) {
    const auto now = clock_.now();
    // One override per target: a new one replaces the old (same id).
    const char* key = scope == policy::Scope::luminaire ? "luminaire" : "area";
    const std::string target =
        args.contains(key) && args[key].is_string() ? args[key].get<std::string>() : "";
    auto parsed = policy::override_from_request(args, scope, effective_, inputs_.place, now,
                                                std::string("override-") + key + "-" + target);
    if (!parsed.ok()) return responder.error(parsed.error.code, parsed.error.message, parsed.error.field);
    const auto o = *parsed.value;
    std::optional<policy::Override> replaced;  // put back if the write fails
    for (const auto& x : inputs_.overrides)
        if (x.id == o.id) replaced = x;
    std::erase_if(inputs_.overrides, [&](const policy::Override& x) { return x.id == o.id; });
    inputs_.overrides.push_back(o);

    const auto named = luminaires_of(scope, o.target);
    auto answer = std::make_shared<LateAnswer>(std::move(responder), [this, o](const Levels& levels) {
        return nlohmann::json{{"override", policy::to_json(o, inputs_.place)},
                              {"levels", levels_json(levels)}};
    });
    evaluate_luminaires(named, [answer](Levels levels) { answer->levels(std::move(levels)); });
    try {
        store_.put_override(o);
    } catch (const std::exception& e) {
        // Not durable, so not in force: memory and bus go back to what a restart would do.
        spdlog::error("lighting: override '{}' not stored, undone: {}", o.id, e.what());
        std::erase_if(inputs_.overrides, [&](const policy::Override& x) { return x.id == o.id; });
        if (replaced) inputs_.overrides.push_back(*replaced);
        evaluate_luminaires(named, nullptr);
        throw;  // the command router answers with the error
    }
    auto event = policy::to_json(o, inputs_.place);
    event["type"] = "override.set";
    uplink_.publish_event(std::move(event));
    answer->persisted();
}

void LightingFeature::handle_override_clear(const nlohmann::json& args, mqtt::Responder responder) {
    policy::Scope scope{};
    std::string id;
    if (!read_scope(args, effective_, scope, id, responder)) return;
    std::vector<policy::Override> removed;
    for (const auto& o : inputs_.overrides)
        if (o.scope == scope && o.target == id) removed.push_back(o);
    std::erase_if(inputs_.overrides,
                  [&](const policy::Override& o) { return o.scope == scope && o.target == id; });
    nlohmann::json cleared = nlohmann::json::array();
    for (const auto& o : removed) cleared.push_back(o.id);
    // Frames, then the deletes, then the answer (LateAnswer).
    const auto named = luminaires_of(scope, id);
    auto answer = std::make_shared<LateAnswer>(std::move(responder), [cleared](const Levels& levels) {
        return nlohmann::json{{"cleared", cleared}, {"levels", levels_json(levels)}};
    });
    evaluate_luminaires(named, [answer](Levels levels) { answer->levels(std::move(levels)); });
    try {
        store_.remove_overrides(cleared.get<std::vector<std::string>>());
    } catch (const std::exception& e) {
        // Still on disk, so still in force after a restart: in force now too.
        spdlog::error("lighting: overrides of {} '{}' not removed from the store, kept: {}",
                      scope == policy::Scope::area ? "area" : "luminaire", id, e.what());
        for (const auto& o : removed) inputs_.overrides.push_back(o);
        evaluate_luminaires(named, nullptr);
        throw;  // the command router answers with the error
    }
    answer->persisted();
}

void LightingFeature::handle_safety(const nlohmann::json& args, mqtt::Responder responder) {
    const auto now = clock_.now();
    const std::string new_id =
        "flag-" +
        (args.contains("area") && args["area"].is_string() ? args["area"].get<std::string>()
                                                           : std::string()) +
        "-" +
        std::to_string(
            std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count()) +
        "-" + std::to_string(next_id_++);
    auto parsed = policy::safety_flag_from_request(args, effective_, inputs_.place, now, new_id);
    if (!parsed.ok()) return responder.error(parsed.error.code, parsed.error.message, parsed.error.field);
    auto flag = *parsed.value;
    for (const auto& f : inputs_.flags)
        if (f.id == flag.id && f.origin == "config")
            return responder.error(ec::conflict, "flag '" + flag.id + "' is defined in the config", "id");
    store_.put_flag(flag);
    std::erase_if(inputs_.flags, [&](const policy::SafetyFlag& f) { return f.id == flag.id; });
    inputs_.flags.push_back(flag);
    evaluate();  // emits safety.started when it is in force now
    responder.ok({{"flag", policy::to_json(flag, inputs_.place)}});
}

void LightingFeature::handle_safety_clear(const nlohmann::json& args, mqtt::Responder responder) {
    if (!args.contains("area") || !args["area"].is_string())
        return responder.error(ec::bad_request, "'area' (an area id) is required", "area");
    const std::string area = args["area"];
    if (!find_area(effective_, area))
        return responder.error(ec::unknown_area, "no area '" + area + "'", "area");
    std::string flag_id;
    if (args.contains("flag")) {
        if (!args["flag"].is_string())
            return responder.error(ec::bad_request, "'flag' must be a string", "flag");
        flag_id = args["flag"];
    }
    nlohmann::json removed = nlohmann::json::array();
    for (const auto& f : inputs_.flags) {
        if (f.area != area || (!flag_id.empty() && f.id != flag_id)) continue;
        if (f.origin == "config") {
            if (!flag_id.empty())
                return responder.error(
                    ec::conflict, "flag '" + flag_id + "' is defined in the config; change it there", "flag");
            continue;  // config flags stay; only the ones set over MQTT are cleared
        }
        removed.push_back(f.id);
    }
    if (!flag_id.empty() && removed.empty())
        return responder.error(ec::bad_request, "area '" + area + "' has no flag '" + flag_id + "'", "flag");
    for (const auto& id : removed) store_.remove_flag(id.get<std::string>());
    std::erase_if(inputs_.flags, [&](const policy::SafetyFlag& f) {
        return std::find(removed.begin(), removed.end(), f.id) != removed.end();
    });
    evaluate();  // emits safety.ended (flag_removed) for flags that were in force
    responder.ok({{"removed", removed}});
}

void LightingFeature::handle_identify(const nlohmann::json& args, mqtt::Responder responder) {
    if (!args.contains("luminaire") || !args["luminaire"].is_string())
        return responder.error(ec::bad_request, "'luminaire' (a luminaire id) is required", "luminaire");
    const std::string id = args["luminaire"];
    if (!find_luminaire(effective_, id))
        return responder.error(ec::unknown_luminaire, "no luminaire '" + id + "'", "luminaire");
    double seconds = 30;
    if (args.contains("seconds")) {
        if (!args["seconds"].is_number())
            return responder.error(ec::bad_request, "'seconds' must be a number", "seconds");
        seconds = args["seconds"].get<double>();
        if (!(seconds >= 1 && seconds <= 600))
            return responder.error(ec::out_of_range, "'seconds' must be 1..600", "seconds");
    }
    const auto now = clock_.now();
    policy::Maintenance m;
    m.id = "identify-" + id;
    m.kind = policy::Maintenance::Kind::identify;
    m.scope = policy::Scope::luminaire;
    m.target = id;
    m.level = 100;
    m.until = now + std::chrono::duration_cast<SystemTime::duration>(std::chrono::duration<double>(seconds));
    m.created = now;
    m.reason = "identify for crews on site";
    std::erase_if(inputs_.maintenance, [&](const policy::Maintenance& x) { return x.id == m.id; });
    inputs_.maintenance.push_back(m);
    evaluate_luminaires(luminaires_of(policy::Scope::luminaire, id), nullptr);
    blink();
    responder.ok({{"luminaire", id}, {"until", policy::rfc3339_local(*m.until, inputs_.place)}});
}

// Identify alternates 100 % and 10 % once a second (real time) while any
// identify layer lasts; its expiry is a policy transition like any other.
void LightingFeature::blink() {
    blink_timer_.expires_after(std::chrono::seconds(1));
    std::weak_ptr<bool> alive = alive_;
    blink_timer_.async_wait([this, alive](std::error_code e) {
        if (auto a = alive.lock(); e || !a || !*a) return;
        bool any = false;
        for (auto& m : inputs_.maintenance)
            if (m.kind == policy::Maintenance::Kind::identify && m.active_at(clock_.now())) {
                m.level = m.level > 50 ? 10 : 100;
                any = true;
            }
        evaluate();
        if (any) blink();
    });
}

void LightingFeature::handle_explain(const nlohmann::json& args, mqtt::Responder responder) {
    policy::Scope scope{};
    std::string id;
    if (!read_scope(args, effective_, scope, id, responder)) return;
    auto at = clock_.now();
    if (args.contains("at")) {
        if (!args["at"].is_string())
            return responder.error(ec::bad_request, "'at' must be a time string", "at");
        std::string error;
        auto t = config::parse_flag_time(args["at"].get<std::string>(), inputs_.place.zone, false, error);
        if (!t) return responder.error(ec::bad_request, error, "at");
        at = SystemTime{*t};
    }
    nlohmann::json out;
    if (scope == policy::Scope::luminaire) {
        out = policy::to_json(policy::decide(inputs_, *find_luminaire(effective_, id), at), inputs_.place);
    } else {
        out = policy::to_json(policy::decide_area(inputs_, *find_area(effective_, id), at), inputs_.place);
        nlohmann::json lums = nlohmann::json::array();
        for (const auto& l : effective_.luminaires)
            if (l.area == id) lums.push_back(policy::to_json(policy::decide(inputs_, l, at), inputs_.place));
        out["luminaires"] = std::move(lums);
    }
    out["at"] = policy::rfc3339_local(at, inputs_.place);
    // The photocell's latest reading and verdict (the decision used it only if it holds at `at`).
    if (auto photocell = photocells_.describe(out["area"].get<std::string>()); !photocell.is_null())
        out["photocell"] = std::move(photocell);
    responder.ok(std::move(out));
}

void LightingFeature::handle_schedule_get(const nlohmann::json&, mqtt::Responder responder) {
    auto out = schedule_json(effective_);
    out["revision"] = revision_;
    responder.ok(std::move(out));
}

void LightingFeature::handle_schedule_set(const nlohmann::json& args, mqtt::Responder responder) {
    if (!args.contains("revision") || !args["revision"].is_number_integer())
        return responder.error(ec::bad_request, "'revision' (the revision you edited) is required",
                               "revision");
    const auto expected = args["revision"].get<std::int64_t>();
    if (expected != revision_)
        return responder.error(ec::conflict,
                               "schedule is at revision " + std::to_string(revision_) + ", not " +
                                   std::to_string(expected) + "; get it again and reapply your change",
                               "revision");
    // Partial: sections not given keep their current content.
    auto document = schedule_json(effective_);
    for (const char* key : {"profiles", "calendar", "holidays"})
        if (args.contains(key)) document[key] = args[key];
    document.erase("areas");
    const auto text = document.dump(1);  // JSON is YAML: the config's own parsers check it
    auto result = config::parse_schedule(text, config_, "schedule");
    if (!result.ok()) {
        const auto problem = schedule_problem(result.diagnostics, text);
        return responder.error(problem.code, problem.message, problem.field);
    }
    std::int64_t revision = 0;
    try {
        revision = store_.save_schedule(text, clock_.now());
    } catch (const policy::RevisionConflict& e) {
        return responder.error(ec::conflict, e.what(), "revision");
    }
    effective_.schedule = std::move(*result.schedule);
    inputs_.config = &effective_;
    inputs_.nights = std::make_shared<policy::NightCache>();
    revision_ = revision;
    uplink_.publish_event({{"type", "schedule.changed"}, {"revision", revision}});
    evaluate();
    responder.ok({{"revision", revision}});
}

}  // namespace lykta::lighting
