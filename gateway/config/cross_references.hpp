#pragma once
// Checks that need more than one section: unique ids, references that
// resolve (luminaire -> bus/area, area -> profile, calendar -> profile/area/
// holiday list, flag -> area/profile, device -> network/area) and resources
// that must not be shared (short addresses and group numbers on one bus).
// Runs after all sections are parsed; positions come from the context's record.
#include "gateway/config/model.hpp"
#include "gateway/config/parse_context.hpp"

namespace lykta::config {

void check_references(ParseContext& ctx, const Config& config);

// The calendar's references into `schedule` (profiles, holiday lists) and to
// `areas`; shared with the schedule/set parser.
void check_calendar_references(ParseContext& ctx, const Schedule& schedule, const std::vector<Area>& areas);

}  // namespace lykta::config
