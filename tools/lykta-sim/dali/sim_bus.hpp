#pragma once
// An in-process DALI bus of simulated gear on a virtual clock: delivers each
// forward frame to every gear and merges the answers like the wire does
// (0 -> no answer, 1 -> answer, >1 -> framing error). Fault knobs for tests and
// for `lykta-sim dali`. Not thread-safe; one owner.
#include <cstdint>
#include <optional>
#include <random>
#include <vector>

#include "drivers/dali/transport.hpp"
#include "lykta-sim/dali/sim_gear.hpp"

namespace lykta::dali {

struct SimBusFaults {
    double no_answer_rate = 0;  // chance that an answer is lost
    double collision_rate = 0;  // chance that an answer arrives garbled
    bool power = true;          // bus power supply on
};

struct SimBusCounters {
    std::uint64_t frames = 0, answers = 0, no_answers = 0, collisions = 0;
};

class SimBus {
public:
    explicit SimBus(std::uint64_t seed = 1);

    // Gear with short addresses 0..n-1, or unaddressed ones, each with a random address.
    void add_gear(int count, bool addressed);
    SimGear& add_gear(std::optional<std::uint8_t> short_address);

    // Sends `frame` (twice when asked) and advances the clock by its DALI cost.
    Reply transact(ForwardFrame frame, TransactOptions options);

    void set_power(bool on);  // off: every gear goes to its SYSTEM FAILURE LEVEL
    double now() const { return now_; }
    void advance(double seconds) { now_ += seconds; }

    std::vector<SimGear>& gears() { return gears_; }
    SimGear* gear_at(int short_address);  // first gear with that short address
    SimBusFaults faults;
    const SimBusCounters& counters() const { return counters_; }
    // The device type enabled for the next frame, for frame-log decoding.
    std::uint8_t enabled_device_type() const { return enabled_device_type_; }

private:
    std::optional<Reply> deliver(ForwardFrame frame);

    std::vector<SimGear> gears_;
    std::mt19937_64 rng_;
    double now_ = 0;
    std::optional<ForwardFrame> last_frame_;
    double last_frame_at_ = -1;
    bool last_was_second_ = false;
    std::uint8_t enabled_device_type_ = 0;
    SimBusCounters counters_;
};

}  // namespace lykta::dali
