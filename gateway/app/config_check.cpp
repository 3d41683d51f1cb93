#include "gateway/app/config_check.hpp"

namespace lykta {

config::LoadResult check_config_file(const std::string& path) {
    auto result = config::load_file(path);
    return result;
}

std::string summarize(const config::Config& c) {
    return "ok: " + std::to_string(c.dali.buses.size()) + " buses, " + std::to_string(c.luminaires.size()) +
           " luminaires, " + std::to_string(c.areas.size()) + " areas, " +
           std::to_string(c.schedule.profiles.size()) + " profiles, " + std::to_string(c.modbus.devices.size()) +
           " modbus devices";
}

}  // namespace lykta
