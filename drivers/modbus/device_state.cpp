#include "drivers/modbus/device_state.hpp"

#include <cmath>

namespace lykta::modbus {

DeviceState::DeviceState(const DeviceTemplate& device_template, int offline_after, double full_publish_s)
    : template_(device_template),
      offline_after_(offline_after),
      full_publish_s_(full_publish_s),
      values_(device_template.values.size()),
      published_(device_template.values.size()),
      bad_(device_template.values.size(), false) {}

std::vector<Transition> DeviceState::apply(const ReadRequest& request, const ReadResult& result,
                                           SystemTime now) {
    std::vector<Transition> out;
    ++counters_.reads;
    if (result.outcome == Outcome::exception) {
        ++counters_.exceptions;
        if (!failing_) out.push_back({result.error, true});
        failing_ = true;
        return out;
    }
    if (result.outcome != Outcome::ok) {
        ++counters_.failed_reads;
        if (!failing_) out.push_back({result.error, true});
        failing_ = true;
        if (++consecutive_failures_ >= offline_after_ && available_) {
            available_ = false;
            out.push_back(
                {"unavailable after " + std::to_string(consecutive_failures_) + " failed reads", true});
        }
        return out;
    }
    if (failing_) out.push_back({"reads succeed again", false});
    failing_ = false;
    consecutive_failures_ = 0;
    if (!available_) {
        available_ = true;
        out.push_back({"available", false});
    }
    last_good_ = now;
    for (std::size_t index : request.values) {
        const ValueSpec& spec = template_.values[index];
        const auto offset = static_cast<std::size_t>(spec.address - request.address);
        if (is_bit_table(spec.table)) {
            if (offset >= result.bits.size()) {
                set_value(index, {0, DecodeError::short_data}, out);
                continue;
            }
            set_value(index, decode_bit(spec, result.bits[offset] != 0), out);
        } else {
            std::span<const std::uint16_t> words(result.words);
            set_value(index,
                      decode_registers(spec, offset <= words.size() ? words.subspan(offset) : words.last(0)),
                      out);
        }
    }
    return out;
}

void DeviceState::set_value(std::size_t index, const Decoded& decoded, std::vector<Transition>& out) {
    const auto& name = template_.values[index].name;
    if (!decoded.ok()) {
        ++counters_.bad_values;
        if (!bad_[index]) {
            std::string detail = decoded.error == DecodeError::out_of_range
                                     ? " (" + std::to_string(decoded.value) + ")"
                                     : std::string();
            out.push_back({name + ": " + std::string(to_string(decoded.error)) + detail, true});
        }
        bad_[index] = true;
        return;  // the last good value stays; a bad one is never published
    }
    if (bad_[index]) out.push_back({name + ": good again", false});
    bad_[index] = false;
    values_[index] = decoded.value;
}

void DeviceState::store(std::size_t index, double value, SystemTime now) {
    values_[index] = value;
    bad_[index] = false;
    last_good_ = now;
}

bool DeviceState::should_publish(SystemTime now) const {
    if (!ever_published_) return true;
    if (available_ != published_available_) return true;
    if (std::chrono::duration<double>(now - last_publish_).count() >= full_publish_s_) return true;
    for (std::size_t i = 0; i < values_.size(); ++i) {
        const auto& v = values_[i];
        const auto& p = published_[i];
        if (!v) continue;
        if (!p) return true;
        double deadband = template_.values[i].deadband;
        if (deadband > 0 ? std::fabs(*v - *p) > deadband : *v != *p) return true;
    }
    return false;
}

void DeviceState::mark_published(SystemTime now) {
    published_ = values_;
    published_available_ = available_;
    ever_published_ = true;
    last_publish_ = now;
    ++counters_.publishes;
}

}  // namespace lykta::modbus
