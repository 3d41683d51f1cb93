#include "drivers/modbus/request_plan.hpp"

#include <algorithm>

namespace lykta::modbus {

std::vector<ReadRequest> plan_reads(const DeviceTemplate& t, std::span<const std::size_t> indices) {
    std::vector<std::size_t> sorted(indices.begin(), indices.end());
    std::sort(sorted.begin(), sorted.end(), [&](std::size_t a, std::size_t b) {
        const auto& va = t.values[a];
        const auto& vb = t.values[b];
        if (va.table != vb.table) return va.table < vb.table;
        return va.address < vb.address;
    });
    std::vector<ReadRequest> out;
    for (std::size_t index : sorted) {
        const ValueSpec& v = t.values[index];
        const int end = v.address + width_of(v.type);  // one past the value's last register
        if (!out.empty()) {
            ReadRequest& last = out.back();
            const int limit =
                is_bit_table(v.table) ? max_read_bits : std::min(max_read_registers, t.max_read_registers);
            const int gap = is_bit_table(v.table) ? 0 : t.max_gap;
            const int last_end = last.address + last.count;
            if (last.table == v.table && v.address <= last_end + gap &&
                std::max(end, last_end) - last.address <= limit) {
                last.count = std::max(end, last_end) - last.address;
                last.values.push_back(index);
                continue;
            }
        }
        out.push_back({v.table, v.address, end - v.address, {index}});
    }
    return out;
}

std::vector<std::size_t> values_in_group(const DeviceTemplate& t, const std::string& group) {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < t.values.size(); ++i)
        if (t.values[i].group == group) out.push_back(i);
    return out;
}

}  // namespace lykta::modbus
