#include "lykta-sim/dali/sim_bus.hpp"

#include "drivers/dali/commands.hpp"
#include "drivers/dali/timing.hpp"

namespace lykta::dali {

SimBus::SimBus(std::uint64_t seed) : rng_(seed) {}

SimGear& SimBus::add_gear(std::optional<std::uint8_t> short_address) {
    const auto random = static_cast<std::uint32_t>(rng_() & 0xFFFFFF);
    gears_.emplace_back(short_address, random, rng_());
    return gears_.back();
}

void SimBus::add_gear(int count, bool addressed) {
    for (int i = 0; i < count; ++i)
        add_gear(addressed ? std::optional<std::uint8_t>(static_cast<std::uint8_t>(i)) : std::nullopt);
}

SimGear* SimBus::gear_at(int short_address) {
    for (auto& g : gears_)
        if (g.short_address == short_address) return &g;
    return nullptr;
}

void SimBus::set_power(bool on) {
    if (faults.power && !on)
        for (auto& g : gears_)
            if (!g.faults.missing) g.bus_power_lost(now_);
    faults.power = on;
}

std::optional<Reply> SimBus::deliver(ForwardFrame frame) {
    // IEC 62386-102: a configuration command counts only if the identical frame
    // arrives again within 100 ms with nothing in between; a third copy starts a new pair.
    const bool repeated =
        last_frame_ == frame && now_ - last_frame_at_ <= timing::send_twice_window_s && !last_was_second_;
    last_was_second_ = repeated;
    last_frame_ = frame;
    last_frame_at_ = now_;
    ++counters_.frames;
    int answers = 0;
    std::uint8_t value = 0;
    for (auto& g : gears_)
        if (auto a = g.receive(frame, now_, repeated)) {
            ++answers;
            value = *a;
        }
    enabled_device_type_ = frame.address_byte() == special::enable_device_type ? frame.data() : 0;
    if (answers == 0) return std::nullopt;
    if (answers > 1) return Reply::framing();
    return Reply::answer(value);
}

Reply SimBus::transact(ForwardFrame frame, TransactOptions options) {
    if (!faults.power) {
        now_ += timing::command_s;
        return Reply::failed(BusError::power_loss);
    }
    auto reply = deliver(frame);
    if (options.send_twice) {
        now_ += timing::send_twice_s / 2;
        reply = deliver(frame);
        now_ += timing::send_twice_s / 2;
    } else {
        now_ += timing::transaction_s(options.expect_answer, reply.has_value(), false);
    }
    std::uniform_real_distribution<double> chance(0, 1);
    if (reply && faults.no_answer_rate > 0 && chance(rng_) < faults.no_answer_rate) reply.reset();
    if (reply && faults.collision_rate > 0 && chance(rng_) < faults.collision_rate) reply = Reply::framing();
    Reply out = reply.value_or(Reply::none());
    if (out.outcome == Outcome::answer) ++counters_.answers;
    if (out.outcome == Outcome::framing_error) ++counters_.collisions;
    if (out.outcome == Outcome::no_answer && options.expect_answer) ++counters_.no_answers;
    return out;
}

}  // namespace lykta::dali
