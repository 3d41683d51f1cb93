#pragma once
// The lighting commands' arguments (MQTT API: luminaire/set, area/set,
// override/clear, area/safety, area/safety/clear, area/safety/list,
// luminaire/identify, explain, schedule/set) turned into policy values,
// validated against the running config, and the JSON the policy's values and
// events are published as. Every argument the lighting commands read is read
// here; their handlers only check what depends on state (a config flag, the
// current revision). Pure: the MQTT room owns the envelope, this only reads the
// args object. Errors use the API's codes (bad_request, out_of_range,
// unknown_area, unknown_luminaire) with the field.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include "gateway/config/model.hpp"
#include "gateway/policy/manual_control.hpp"
#include "gateway/policy/safety_flag.hpp"
#include "gateway/policy/safety_transitions.hpp"

namespace lykta::policy {

struct RequestError {
    std::string code;
    std::string message;
    std::string field;
};

template <class T>
struct Parsed {
    std::optional<T> value;
    RequestError error;  // meaningful when !value
    bool ok() const { return value.has_value(); }
};

// area/safety: {"area", "from"?, "until"?, "recurrence"?: {"weekdays"?, "from", "to"},
// "reason"?, "source"?, "profile"?, "id"?}. `from`/`until` as in the config
// (local date or RFC 3339); at least one of until/recurrence; until after now.
// `new_id` is used when the request names none.
Parsed<SafetyFlag> safety_flag_from_request(const nlohmann::json& args, const config::Config& config,
                                            const Place& place, SystemTime now, const std::string& new_id);
// The same with the id the daemon gives a flag the request names none for:
// "flag-<area>-<milliseconds since the epoch>-<serial>".
Parsed<SafetyFlag> safety_flag_from_request(const nlohmann::json& args, const config::Config& config,
                                            const Place& place, SystemTime now, std::uint64_t serial);

// luminaire/set ({"luminaire", "level", "fade_s"?, "duration_s"?}) or
// area/set ({"area", "level", "fade_s"?, "duration_s"? | "until"?}).
Parsed<Override> override_from_request(const nlohmann::json& args, Scope scope, const config::Config& config,
                                       const Place& place, SystemTime now, const std::string& new_id);
// The same with the daemon's id, one per target ("override-area-torget"): a new
// override replaces the target's old one.
Parsed<Override> override_from_request(const nlohmann::json& args, Scope scope, const config::Config& config,
                                       const Place& place, SystemTime now);

// A configured luminaire or area, named by exactly one of "luminaire" or "area".
struct Named {
    Scope scope = Scope::luminaire;
    std::string id;
};
// override/clear: {"luminaire"} or {"area"}.
Parsed<Named> named_from_request(const nlohmann::json& args, const config::Config& config);

// explain: {"luminaire"} or {"area"}, "at"? (as the config's times; default `now`).
struct ExplainRequest {
    Named named;
    SystemTime at{};
};
Parsed<ExplainRequest> explain_from_request(const nlohmann::json& args, const config::Config& config,
                                            const Place& place, SystemTime now);

// area/safety/list: {"area"?}; the area, empty for all.
Parsed<std::string> area_filter_from_request(const nlohmann::json& args, const config::Config& config);

// area/safety/clear: {"area", "flag"?}; no flag: every flag of the area set over MQTT.
struct SafetyClear {
    std::string area;
    std::string flag;
};
Parsed<SafetyClear> safety_clear_from_request(const nlohmann::json& args, const config::Config& config);

// luminaire/identify: {"luminaire", "seconds"? (1..600, default 30)}: the
// identify layer it asks for, from `now`.
Parsed<Maintenance> identify_from_request(const nlohmann::json& args, const config::Config& config,
                                          SystemTime now);

// schedule/set: {"revision", "profiles"?, "calendar"?, "holidays"?}: the revision
// the caller edited and the sections it replaces (the others keep their content).
struct ScheduleEdit {
    std::int64_t revision = 0;
    nlohmann::json sections = nlohmann::json::object();
};
Parsed<ScheduleEdit> schedule_edit_from_request(const nlohmann::json& args);

nlohmann::json to_json(const SafetyFlag& flag, const Place& place);
nlohmann::json to_json(const Override& o, const Place& place);
// {"type": "safety.started"|"safety.ended", "ts", "flag", "area", "source", "reason", "removed"}
// `flag` may be null (deleted flags): source and reason are then omitted.
nlohmann::json safety_event(const SafetyTransition& transition, const SafetyFlag* flag, const Place& place);
// {"type": "override.expired", "ts": its expiry, "override", "scope", "target", "level"}
nlohmann::json override_expired_event(const Override& o, const Place& place);

}  // namespace lykta::policy
