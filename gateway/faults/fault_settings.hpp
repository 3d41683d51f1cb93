#pragma once
// FaultSettings from the `faults:` config section (defaults where absent).
#include "gateway/config/model.hpp"
#include "gateway/faults/fault_book.hpp"

namespace lykta::faults {

FaultSettings fault_settings(const config::FaultsConfig& config);

}  // namespace lykta::faults
