#pragma once
// Full validation of a config file as `lyktad --check` and daemon start do it:
// the file itself, then what it references (device templates).
#include <string>

#include "gateway/config/loader.hpp"

namespace lykta {

config::LoadResult check_config_file(const std::string& path);
// "ok: 2 buses, 40 luminaires, 4 areas, 3 profiles, 2 modbus devices"
std::string summarize(const config::Config& config);

}  // namespace lykta
