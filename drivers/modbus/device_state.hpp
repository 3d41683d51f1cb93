#pragma once
// What is known about one polled device: its last good values, whether it is
// available, and what to publish when. Pure: read results and the time come
// in, decisions come out; the poller feeds it and the meters room publishes.
//
// Availability: `offline_after` consecutive failed reads (timeout, bad
// response, link down) make the device unavailable; one good read makes it
// available again. An exception response means the device is there but
// refused the request: counted, not held against availability.
// Publishing: when a value moved beyond its deadband since it was last
// published, when availability changed, and at least every full_publish_s.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "drivers/modbus/decoding.hpp"
#include "drivers/modbus/request_plan.hpp"
#include "drivers/modbus/transaction.hpp"
#include "gateway/core/clock.hpp"

namespace lykta::modbus {

struct DeviceCounters {
    std::uint64_t reads = 0;
    std::uint64_t failed_reads = 0;  // timeouts, bad responses, link down
    std::uint64_t exceptions = 0;
    std::uint64_t bad_values = 0;  // NaN/inf, out of range
    std::uint64_t publishes = 0;
};

// A change worth one log line: something started or stopped going wrong.
struct Transition {
    std::string what;     // "unavailable: unit 1 input 0+76: timeout", "voltage_l1: not a finite number", ...
    bool problem = true;  // false when it recovered
};

class DeviceState {
public:
    DeviceState(const DeviceTemplate& device_template, int offline_after, double full_publish_s);

    // One read's result. Returns the transitions it caused (for logging).
    std::vector<Transition> apply(const ReadRequest& request, const ReadResult& result, SystemTime now);
    // A value read back after a write: stored like a polled one.
    void store(std::size_t index, double value, SystemTime now);

    bool available() const { return available_; }
    // Last good value of template value `index` (none before the first good read).
    const std::optional<double>& value(std::size_t index) const { return values_[index]; }
    SystemTime last_good() const { return last_good_; }

    bool should_publish(SystemTime now) const;
    void mark_published(SystemTime now);

    const DeviceCounters& counters() const { return counters_; }
    const DeviceTemplate& device_template() const { return template_; }

private:
    void set_value(std::size_t index, const Decoded& decoded, std::vector<Transition>& out);

    const DeviceTemplate& template_;
    int offline_after_;
    double full_publish_s_;
    std::vector<std::optional<double>> values_;
    std::vector<std::optional<double>> published_;
    std::vector<bool> bad_;  // per value: last decode failed (for once-per-transition logging)
    bool available_ = false;
    bool published_available_ = false;
    bool ever_published_ = false;
    bool failing_ = false;  // last read failed (for once-per-transition logging)
    int consecutive_failures_ = 0;
    SystemTime last_good_{};
    SystemTime last_publish_{};
    DeviceCounters counters_;
};

}  // namespace lykta::modbus
