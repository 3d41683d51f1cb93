#pragma once
// Command arguments (MQTT API: area/safety, luminaire/set, area/set) turned
// into policy values, validated against the running config, and the JSON the
// policy's values and events are published as. Pure: the MQTT room owns the
// envelope, this only reads the args object. Errors use the API's codes
// (bad_request, out_of_range, unknown_area, unknown_luminaire) with the field.
#include <nlohmann/json.hpp>

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

// luminaire/set ({"luminaire", "level", "fade_s"?, "duration_s"?}) or
// area/set ({"area", "level", "fade_s"?, "duration_s"? | "until"?}).
Parsed<Override> override_from_request(const nlohmann::json& args, Scope scope, const config::Config& config,
                                       const Place& place, SystemTime now, const std::string& new_id);

nlohmann::json to_json(const SafetyFlag& flag, const Place& place);
nlohmann::json to_json(const Override& o, const Place& place);
// {"type": "safety.started"|"safety.ended", "ts", "flag", "area", "source", "reason", "removed"}
// `flag` may be null (deleted flags): source and reason are then omitted.
nlohmann::json safety_event(const SafetyTransition& transition, const SafetyFlag* flag, const Place& place);
// {"type": "override.expired", "ts": its expiry, "override", "scope", "target", "level"}
nlohmann::json override_expired_event(const Override& o, const Place& place);

}  // namespace lykta::policy
