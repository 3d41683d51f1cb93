#pragma once
// The running schedule as the JSON document schedule/get returns and
// schedule/set takes: `profiles`, `calendar` and `holidays` in the config
// file's own form (so it parses back through the config's parsers), plus the
// area -> profile map. And schedule/set's diagnostics turned into API errors.
#include <nlohmann/json.hpp>
#include <string>

#include "gateway/config/model.hpp"
#include "gateway/core/diagnostic.hpp"

namespace lykta::lighting {

// {"profiles":{name:{"steps":[{"at","level","fade_s"}],"floor"?}},"calendar":[...],
//  "holidays":{name:[dates]},"areas":{id:{"profile","safety_profile"}}}
nlohmann::json schedule_json(const config::Config& config);

struct ScheduleProblem {
    std::string code;  // bad_request or out_of_range
    std::string message;
    std::string field;  // key path of the first problem ("profiles.centrum.steps.0.level"), when found
};
// The first diagnostic of parsing `text` (the JSON document as dumped, one line).
ScheduleProblem schedule_problem(const Diagnostics& diagnostics, const std::string& text);

}  // namespace lykta::lighting
