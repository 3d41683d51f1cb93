#pragma once
// Which reads fetch a set of values: values of one table are sorted by
// address and merged into one request while the request stays within the
// protocol limits (Modbus Application Protocol V1.1b3: FC03/FC04 at most 125
// registers, FC01/FC02 at most 2000 bits) and the device's own limit.
#include <cstddef>
#include <span>
#include <vector>

#include "drivers/modbus/device_template.hpp"

namespace lykta::modbus {

inline constexpr int max_read_registers = 125;
inline constexpr int max_read_bits = 2000;

struct ReadRequest {
    RegisterType table = RegisterType::input;
    int address = 0;
    int count = 0;                    // registers or bits
    std::vector<std::size_t> values;  // indices into DeviceTemplate::values
    friend bool operator==(const ReadRequest&, const ReadRequest&) = default;
};

// Requests for the template values at `indices` (any order), ordered by table
// then address. Runs closer than the template's max_gap are merged too.
std::vector<ReadRequest> plan_reads(const DeviceTemplate& device_template,
                                    std::span<const std::size_t> indices);

// Indices of the template's values in poll group `group`.
std::vector<std::size_t> values_in_group(const DeviceTemplate& device_template, const std::string& group);

}  // namespace lykta::modbus
