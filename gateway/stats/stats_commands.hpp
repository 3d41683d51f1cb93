#pragma once
// report/get (docs/mqtt-api.md; arguments and answer in docs/statistics.md).
// Registered by the statistics feature:  uplink.add_command("report/get", report_command(recorder, clock,
// config));
#include <functional>

#include "gateway/api/command.hpp"
#include "gateway/config/model.hpp"
#include "gateway/core/clock.hpp"
#include "gateway/stats/stats_recorder.hpp"

namespace lykta::stats {

using ConfigSource = std::function<const config::Config*()>;

// Longest range answered, so one request cannot build a huge answer.
inline constexpr int max_report_days = 400;
inline constexpr int max_report_months = 120;

// {from, to: "YYYY-MM-DD" lighting days or RFC 3339 instants, areas?: [id...],
//  granularity?: "day"|"month"} → build_report(); flushes first so today's open
// intervals are included.
void handle_report_get(StatsRecorder& recorder, const Clock& clock, const ConfigSource& config,
                       const nlohmann::json& args, api::Responder responder);

api::CommandHandler report_command(StatsRecorder& recorder, const Clock& clock, ConfigSource config);

}  // namespace lykta::stats
