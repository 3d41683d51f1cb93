#pragma once
// A schedule document on its own, as the schedule/set command receives it
// (YAML or JSON text): `profiles` (required), `calendar`, `holidays`. It is
// validated exactly like those sections of the config file, plus against the
// running config: calendar areas must exist, and every profile the areas and
// standing safety flags name must still be defined.
#include <optional>
#include <string>

#include "gateway/config/model.hpp"
#include "gateway/core/diagnostic.hpp"

namespace lykta::config {

struct ScheduleResult {
    std::optional<Schedule> schedule;  // set only when diagnostics is empty
    Diagnostics diagnostics;
    bool ok() const { return schedule.has_value() && diagnostics.empty(); }
};

ScheduleResult parse_schedule(const std::string& text, const Config& config,
                              const std::string& name = "<schedule>");

}  // namespace lykta::config
