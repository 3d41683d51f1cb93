#include "gateway/cabinet/contactor_control.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "gateway/cabinet/meter_state.hpp"
#include "gateway/core/rfc3339.hpp"

namespace lykta::cabinet {
namespace {

constexpr double max_retry_s = 60;

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
    return out;
}

const char* on_off(bool on) {
    return on ? "on" : "off";
}

}  // namespace

bool contactor_wanted(const std::vector<std::string>& areas,
                      const std::vector<lighting::LuminaireTarget>& targets) {
    return std::any_of(targets.begin(), targets.end(), [&](const lighting::LuminaireTarget& t) {
        return t.target > 0 && std::find(areas.begin(), areas.end(), t.area) != areas.end();
    });
}

ContactorControl::ContactorControl(Timers& timers, std::vector<Output> outputs, Write write, Changed changed,
                                   const Clock& clock, std::chrono::milliseconds first_poll_wait)
    : timers_(timers),
      write_(std::move(write)),
      changed_(std::move(changed)),
      clock_(clock),
      first_poll_wait_(first_poll_wait) {
    slots_.reserve(outputs.size());
    for (auto& o : outputs) {
        Slot slot;
        slot.output = std::move(o);
        slot.retry_s = slot.output.config.retry_s;
        slots_.push_back(std::move(slot));
    }
}

ContactorControl::~ContactorControl() {
    stop();
}

void ContactorControl::start() {
    started_ = true;
    alive_ = std::make_shared<bool>(true);
    for (auto& slot : slots_) apply(slot);
}

void ContactorControl::stop() {
    // The contactors stay as they are: the lights keep burning (or not) while
    // the daemon restarts, and DALI gear fall back to their own levels.
    started_ = false;
    alive_.reset();
    for (auto& slot : slots_) {
        slot.retry.cancel();
        slot.power_up.cancel();
        slot.first_poll.cancel();
        slot.awaiting_first_poll = false;
        slot.in_flight = false;
    }
}

void ContactorControl::on_targets(SystemTime, const std::vector<lighting::LuminaireTarget>& targets) {
    for (auto& slot : slots_) {
        const bool wanted = contactor_wanted(slot.output.config.areas, targets);
        if (slot.wanted == wanted) continue;
        slot.wanted = wanted;
        spdlog::info("contactor {}/{}: {} (areas {} {})", slot.output.config.device, slot.output.value_name,
                     on_off(wanted), joined(slot.output.config.areas), wanted ? "to be lit" : "all dark");
        // A new wish is tried at once, whatever the backoff of the old one.
        slot.retry.cancel();
        slot.retry_s = slot.output.config.retry_s;
        apply(slot);
        if (changed_) changed_(slot.output.config.device);
    }
}

void ContactorControl::on_polled(const std::string& device, std::size_t value_index, std::optional<bool> on) {
    for (auto& slot : slots_) {
        if (slot.output.config.device != device || slot.output.value_index != value_index) continue;
        // A poll that ran before a write in flight would undo its readback.
        if (slot.in_flight || slot.actual == on) continue;
        set_actual(slot, on, false);
        if (on && slot.wanted && *on != *slot.wanted) {
            // A module that keeps dropping its output would log at the poll
            // rate: at most one line a minute, with how often it happened.
            const auto now = clock_.now();
            if (slot.revert_logged == SystemTime{} || now - slot.revert_logged >= std::chrono::minutes(1)) {
                spdlog::warn("contactor {}/{}: the device reports {}, commanded {}; switching it again{}",
                             device, slot.output.value_name, on_off(*on), on_off(*slot.wanted),
                             slot.reverts_unlogged > 0 ? " (" + std::to_string(slot.reverts_unlogged) +
                                                             " more times since the last report)"
                                                       : std::string());
                slot.revert_logged = now;
                slot.reverts_unlogged = 0;
            } else {
                ++slot.reverts_unlogged;
            }
        }
        apply(slot);
        if (changed_) changed_(device);
    }
}

void ContactorControl::apply(Slot& slot) {
    if (!started_ || !slot.wanted || slot.in_flight) return;
    if (slot.actual == slot.wanted && !slot.failing) return;
    const bool on = *slot.wanted;
    if (on && !slot.last_known && !slot.first_poll_waited) {
        // Whether the gear need their levels again depends on whether they had
        // mains before: learn it from the first poll (on_polled applies again).
        if (slot.awaiting_first_poll) return;
        slot.awaiting_first_poll = true;
        slot.first_poll = timers_.after(first_poll_wait_, [this, &slot] {
            slot.awaiting_first_poll = false;
            slot.first_poll_waited = true;
            apply(slot);
        });
        return;
    }
    slot.in_flight = true;
    std::weak_ptr<bool> alive = alive_;
    write_(slot.output.config.device, slot.output.value_index, on ? 1 : 0,
           [this, alive, &slot, on](modbus::WriteOutcome outcome) {
               if (alive.expired()) return;
               on_written(slot, on, outcome);
           });
}

void ContactorControl::set_actual(Slot& slot, std::optional<bool> on, bool written) {
    if (slot.actual == on) return;
    // Known off before (also across an unknown spell), or switched on by us
    // without ever having read it: the gear may have been without mains.
    const bool came_on = on == true && (slot.last_known == false || (written && !slot.last_known));
    slot.actual = on;
    if (on) slot.last_known = on;
    slot.since = clock_.now();
    // Off or unknown again before the gear were told: the next "on" starts over.
    slot.power_up.cancel();
    if (!came_on || !started_) return;
    slot.power_up = timers_.after(seconds_to_duration(slot.output.config.power_up_s), [this, &slot] {
        if (slot.actual != true) return;
        spdlog::info("contactor {}/{}: on for {} s; sending the levels of areas {} again",
                     slot.output.config.device, slot.output.value_name, slot.output.config.power_up_s,
                     joined(slot.output.config.areas));
        if (powered_up_) powered_up_(slot.output.config.areas);
    });
}

void ContactorControl::on_written(Slot& slot, bool on, const modbus::WriteOutcome& outcome) {
    slot.in_flight = false;
    const auto& name = slot.output.config.device + "/" + slot.output.value_name;
    if (outcome.kind == modbus::WriteOutcome::Kind::ok) {
        const bool back = outcome.read_back != 0;
        set_actual(slot, back, true);
        if (slot.failing) spdlog::info("contactor {}: switched {}; writes succeed again", name, on_off(back));
        slot.failing = false;
        slot.error.clear();
        slot.retry_s = slot.output.config.retry_s;
        if (changed_) changed_(slot.output.config.device);
        apply(slot);  // the wish may have changed while the write was on its way
        return;
    }
    if (slot.wanted != on) {  // a newer wish goes out at once; this failure is moot
        apply(slot);
        return;
    }
    if (!slot.failing)
        spdlog::warn("contactor {}: switching {} failed ({}); retrying with backoff", name, on_off(on),
                     outcome.message);
    const bool first = !slot.failing;
    slot.failing = true;
    slot.error = outcome.message;
    if (first && changed_) changed_(slot.output.config.device);
    slot.retry = timers_.after(seconds_to_duration(slot.retry_s), [this, &slot] { apply(slot); });
    slot.retry_s = std::min(slot.retry_s * 2, max_retry_s);
}

nlohmann::json ContactorControl::describe(const std::string& device) const {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& slot : slots_) {
        if (slot.output.config.device != device) continue;
        nlohmann::json entry{{"areas", slot.output.config.areas}};
        entry["wanted"] = slot.wanted ? nlohmann::json(*slot.wanted) : nlohmann::json();
        std::string state = "unknown";
        if (slot.failing)
            state = "failing";
        else if (slot.in_flight || (slot.wanted && slot.actual != slot.wanted))
            state = "switching";
        else if (slot.actual)
            state = on_off(*slot.actual);
        entry["state"] = state;
        if (slot.since != SystemTime{}) entry["since"] = rfc3339_utc_ms(slot.since);
        if (slot.failing) entry["error"] = slot.error;
        out[slot.output.value_name] = std::move(entry);
    }
    return out;
}

std::vector<std::string> ContactorControl::unpowered_areas(const std::string& device) const {
    std::vector<std::string> out;
    for (const auto& slot : slots_)
        if (slot.output.config.device == device && slot.wanted == false && slot.actual == false)
            out.insert(out.end(), slot.output.config.areas.begin(), slot.output.config.areas.end());
    return out;
}

}  // namespace lykta::cabinet
