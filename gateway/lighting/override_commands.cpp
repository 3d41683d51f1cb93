// luminaire/set, area/set and override/clear decide only the luminaires they
// name, queue their frames before the store write and answer after both, with
// the read-back levels.
#include <spdlog/spdlog.h>

#include <cmath>
#include <memory>
#include <optional>

#include "gateway/lighting/lighting_commands.hpp"

namespace lykta::lighting {
namespace {

nlohmann::json levels_json(const Actuator::Levels& levels) {
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
    using Body = std::function<nlohmann::json(const Actuator::Levels&)>;
    LateAnswer(api::Responder responder, Body body)
        : responder_(std::move(responder)), body_(std::move(body)) {}
    void levels(Actuator::Levels levels) {
        levels_ = std::move(levels);
        if (persisted_) responder_.ok(body_(*levels_));
    }
    void persisted() {
        persisted_ = true;
        if (levels_) responder_.ok(body_(*levels_));
    }

private:
    api::Responder responder_;
    Body body_;
    bool persisted_ = false;
    std::optional<Actuator::Levels> levels_;
};

}  // namespace

void set_override(CommandParts& parts, const nlohmann::json& args, api::Responder responder,
                  policy::Scope scope) {
    auto& inputs = parts.policy.inputs();
    // One override per target: a new one replaces the old (same id).
    auto parsed =
        policy::override_from_request(args, scope, parts.policy.config(), inputs.place, parts.policy.now());
    if (!parsed.ok()) return answer(responder, parsed.error);
    const auto o = *parsed.value;
    std::optional<policy::Override> replaced;  // put back if the write fails
    for (const auto& x : inputs.overrides)
        if (x.id == o.id) replaced = x;
    std::erase_if(inputs.overrides, [&](const policy::Override& x) { return x.id == o.id; });
    inputs.overrides.push_back(o);

    const auto named = parts.policy.luminaires_of(scope, o.target);
    auto answer =
        std::make_shared<LateAnswer>(std::move(responder), [o, place = inputs.place](const auto& levels) {
            return nlohmann::json{{"override", policy::to_json(o, place)}, {"levels", levels_json(levels)}};
        });
    parts.changes.evaluate_luminaires(
        named, [answer](Actuator::Levels levels) { answer->levels(std::move(levels)); });
    try {
        parts.policy.store().put_override(o);
    } catch (const std::exception& e) {
        // Not durable, so not in force: memory and bus go back to what a restart would do.
        spdlog::error("lighting: override '{}' not stored, undone: {}", o.id, e.what());
        std::erase_if(inputs.overrides, [&](const policy::Override& x) { return x.id == o.id; });
        if (replaced) inputs.overrides.push_back(*replaced);
        parts.changes.evaluate_luminaires(named, nullptr);
        throw;  // the command router answers with the error
    }
    auto event = policy::to_json(o, inputs.place);
    event["type"] = "override.set";
    parts.uplink.publish_event(std::move(event));
    answer->persisted();
}

void clear_overrides(CommandParts& parts, const nlohmann::json& args, api::Responder responder) {
    auto parsed = policy::named_from_request(args, parts.policy.config());
    if (!parsed.ok()) return answer(responder, parsed.error);
    const auto scope = parsed.value->scope;
    const auto id = parsed.value->id;
    auto& inputs = parts.policy.inputs();
    std::vector<policy::Override> removed;
    for (const auto& o : inputs.overrides)
        if (o.scope == scope && o.target == id) removed.push_back(o);
    std::erase_if(inputs.overrides,
                  [&](const policy::Override& o) { return o.scope == scope && o.target == id; });
    nlohmann::json cleared = nlohmann::json::array();
    for (const auto& o : removed) cleared.push_back(o.id);
    // Frames, then the deletes, then the answer (LateAnswer).
    const auto named = parts.policy.luminaires_of(scope, id);
    auto answer = std::make_shared<LateAnswer>(std::move(responder), [cleared](const auto& levels) {
        return nlohmann::json{{"cleared", cleared}, {"levels", levels_json(levels)}};
    });
    parts.changes.evaluate_luminaires(
        named, [answer](Actuator::Levels levels) { answer->levels(std::move(levels)); });
    try {
        parts.policy.store().remove_overrides(cleared.get<std::vector<std::string>>());
    } catch (const std::exception& e) {
        // Still on disk, so still in force after a restart: in force now too.
        spdlog::error("lighting: overrides of {} '{}' not removed from the store, kept: {}",
                      scope == policy::Scope::area ? "area" : "luminaire", id, e.what());
        for (const auto& o : removed) inputs.overrides.push_back(o);
        parts.changes.evaluate_luminaires(named, nullptr);
        throw;  // the command router answers with the error
    }
    answer->persisted();
}

}  // namespace lykta::lighting
