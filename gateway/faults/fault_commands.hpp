#pragma once
// Command handlers of the fault book (docs/mqtt-api.md: faults/list,
// faults/ack; docs/faults.md: faults/report). Registered by the faults feature on
// the uplink and the control socket:
//   for (auto& [path, handler] : fault_commands(book, config_source))
//       uplink.add_command(path, handler);
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "gateway/api/command.hpp"
#include "gateway/config/model.hpp"
#include "gateway/faults/fault_book.hpp"

namespace lykta::faults {

// API extension: faults/ack of an id the gateway never raised (or pruned).
inline constexpr const char* unknown_fault = "unknown_fault";

// The config in force now (it changes on SIGHUP reload); may return null.
using ConfigSource = std::function<const config::Config*()>;

// faults/list {area?, active_only? (default true), limit? (default 500, history)}
void handle_faults_list(FaultBook& book, const ConfigSource& config, const nlohmann::json& args,
                        api::Responder responder);
// faults/ack {fault, by?, note?}
void handle_faults_ack(FaultBook& book, const ConfigSource& config, const nlohmann::json& args,
                       api::Responder responder);
// faults/report {} → maintenance_data()
void handle_faults_report(FaultBook& book, const ConfigSource& config, const nlohmann::json& args,
                          api::Responder responder);

// The three handlers bound to `book` (which must outlive them).
std::vector<std::pair<std::string, api::CommandHandler>> fault_commands(FaultBook& book, ConfigSource config);

}  // namespace lykta::faults
