#include "gateway/cabinet/meter_observer.hpp"

namespace lykta::cabinet {

std::optional<bool> contactor_mismatch(const MeterStatus& status) {
    if (!status.available || !status.contactor_commanded || !status.contactor_feedback) return std::nullopt;
    return *status.contactor_commanded != *status.contactor_feedback;
}

StatusEdges edges_between(const std::optional<MeterStatus>& before, const MeterStatus& now) {
    StatusEdges edges;
    if (!before || before->available != now.available) edges.availability = now.available;
    // Door and contactor are only known while the device answers: an
    // unavailable device keeps its last door state rather than "closing" it.
    if (now.available && now.door_open && (!before || before->door_open != now.door_open))
        edges.door_open = now.door_open;
    auto was = before ? contactor_mismatch(*before) : std::nullopt;
    auto is = contactor_mismatch(now);
    if (is && was != is) edges.contactor_mismatch = is;
    return edges;
}

}  // namespace lykta::cabinet
