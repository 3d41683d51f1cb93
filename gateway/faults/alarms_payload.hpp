#pragma once
// The retained P/alarms payload, bounded in bytes. A storm (a dead cabinet
// feeding hundreds of luminaires) must not produce a retained message the
// broker or the platform refuses, which would leave the old list in place:
// the list is cut after the most severe faults that fit, and says so.
#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gateway/faults/fault.hpp"

namespace lykta::faults {

// {"active":[fault…],"total":N,"truncated":bool,"ts"} with `active` the
// longest prefix of `faults` (already in alarm order: most severe first) whose
// serialisation — as the uplink serialises it — is at most `max_bytes`.
// `total` counts every active fault. max_bytes 0 = no limit. Only the
// envelope itself can exceed a limit too small to hold it.
nlohmann::json alarms_payload(const std::vector<Fault>& faults, const std::string& ts, std::size_t max_bytes);

// The byte size of `j` as the uplink publishes it (compact, invalid UTF-8 replaced).
std::size_t wire_size(const nlohmann::json& j);

}  // namespace lykta::faults
