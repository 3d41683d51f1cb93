#include "drivers/dali/energy_reading.hpp"

#include <cmath>

namespace lykta::dali {
namespace {

struct Run {
    std::uint8_t bank, offset, length;
};
// Order matters: decode walks the replies in the same order.
constexpr Run runs[] = {{202, 0x04, 7}, {202, 0x0B, 5}, {205, 0x04, 4}, {205, 0x08, 3}};

}  // namespace

std::vector<std::vector<Step>> energy_read_jobs(int address) {
    std::vector<std::vector<Step>> jobs;
    const auto read = command(Address::short_address(address), op::read_memory_location);
    for (const auto& r : runs) {
        std::vector<Step> steps{step_for(special_command(special::dtr1, r.bank)),
                                step_for(special_command(special::dtr0, r.offset))};
        for (int i = 0; i < r.length; ++i) steps.push_back(step_for(read));
        jobs.push_back(std::move(steps));
    }
    return jobs;
}

EnergyReading decode_energy_read(int address, const std::vector<Reply>& replies) {
    EnergyReading out{address, {}, {}, {}, {}};
    std::size_t i = 0;
    auto value_of = [&](int length) -> std::optional<std::uint64_t> {
        std::uint64_t v = 0;
        bool ok = true;
        for (int k = 0; k < length; ++k, ++i) {
            if (i >= replies.size() || !replies[i].has_value())
                ok = false;
            else
                v = v << 8 | replies[i].value;
        }
        if (!ok) return std::nullopt;
        return v;
    };
    auto scaled = [](std::uint64_t raw, std::uint8_t scale_byte, int width) -> std::optional<double> {
        if (raw == (width == 6 ? 0xFFFFFFFFFFFFULL : 0xFFFFFFFFULL))
            return std::nullopt;  // MASK: not available
        return static_cast<double>(raw) * std::pow(10.0, static_cast<std::int8_t>(scale_byte));
    };
    for (const auto& r : runs) {
        i += 2;  // DTR1, DTR0
        if (r.bank == 202 && r.offset == 0x04) {
            auto scale = value_of(1);
            auto raw = value_of(6);
            if (scale && raw) out.energy_wh = scaled(*raw, static_cast<std::uint8_t>(*scale), 6);
        } else if (r.bank == 202) {
            auto scale = value_of(1);
            auto raw = value_of(4);
            if (scale && raw) out.power_w = scaled(*raw, static_cast<std::uint8_t>(*scale), 4);
        } else if (r.offset == 0x04) {
            if (auto v = value_of(4); v && *v != 0xFFFFFFFFULL) out.operating_s = static_cast<double>(*v);
        } else {
            if (auto v = value_of(3); v && *v != 0xFFFFFFULL) out.starts = static_cast<std::uint32_t>(*v);
        }
    }
    return out;
}

}  // namespace lykta::dali
