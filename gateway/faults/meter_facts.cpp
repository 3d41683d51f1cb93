#include "gateway/faults/meter_facts.hpp"

namespace lykta::faults {

MeterStatus fault_meter_status(const cabinet::MeterStatus& status) {
    MeterStatus out;
    out.meter = status.meter;
    out.area = status.areas.empty() ? std::string() : status.areas.front();
    out.available = status.available;
    out.door_open = status.door_open;
    out.contactor_commanded = status.contactor_commanded;
    out.contactor_feedback = status.contactor_feedback;
    out.active_power_w = status.active_power_w;
    return out;
}

}  // namespace lykta::faults
