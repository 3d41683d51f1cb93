#pragma once
// Switches the configured contactors (`modbus.contactors`) with the lighting:
// a contactor is on while the policy wants any luminaire of its areas lit
// (target > 0) and off otherwise. It hears the targets as a LightingObserver,
// which the lighting feature tells before it sends any DALI frame, so mains
// are switched on independently of (and queued before) the DALI commands.
//
// Writes go through the device's poller with readback. A failed write is
// retried with backoff (`retry_s` doubling to 60 s) until it succeeds or the
// wish changes; a failure and the recovery are logged once each. The output
// as polled is compared with the wish too: a relay module that lost its coils
// (power cycle) or was switched by hand is switched back.
//
// Gear behind a contactor that just closed boot to their POWER ON LEVEL and
// miss the DALI frames sent while they were without mains: `power_up_s` after
// an output is read back on having last been known off, the power-up listener
// is told its areas so the lighting sends their levels again. An output first
// seen on (a daemon start with the lights burning) had mains all along and
// needs nothing. So that a start knows which it is, switching on an output
// whose state was never read waits for the device's first poll (at most
// `first_poll_wait`); a write that still had to go out blind counts as a
// power-up, as the gear may well have been without mains. Loop thread only.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "drivers/modbus/poller.hpp"
#include "gateway/config/model.hpp"
#include "gateway/core/clock.hpp"
#include "gateway/core/timers.hpp"
#include "gateway/lighting/lighting_observer.hpp"

namespace lykta::cabinet {

// Whether a contactor feeding `areas` must be on for these targets. Pure.
bool contactor_wanted(const std::vector<std::string>& areas,
                      const std::vector<lighting::LuminaireTarget>& targets);

class ContactorControl final : public lighting::LightingObserver {
public:
    // One configured contactor, resolved against its device's template.
    struct Output {
        config::ModbusContactor config;
        std::size_t value_index = 0;  // into the device template's values
        std::string value_name;
    };
    // Writes template value `index` of `device` (1 = on, 0 = off) with readback.
    using Write = std::function<void(const std::string& device, std::size_t index, double value,
                                     modbus::Poller::WriteDone done)>;
    // The commanded state of `device` changed (for its P/meter/<id>/state).
    using Changed = std::function<void(const std::string& device)>;
    // An output came on and its gear had `power_up_s` to boot: re-send the levels of `areas`.
    using PoweredUp = std::function<void(const std::vector<std::string>& areas)>;

    ContactorControl(Timers& timers, std::vector<Output> outputs, Write write, Changed changed,
                     const Clock& clock, std::chrono::milliseconds first_poll_wait = std::chrono::seconds(2));
    ~ContactorControl() override;

    // Wishes that arrive before start() are kept and written at start.
    void start();
    void stop();
    void set_power_up_listener(PoweredUp listener) { powered_up_ = std::move(listener); }

    void on_targets(SystemTime at, const std::vector<lighting::LuminaireTarget>& targets) override;
    void on_safety(SystemTime, const std::string&, bool) override {}

    // The output's value as the poller last read it (none while unknown).
    void on_polled(const std::string& device, std::size_t value_index, std::optional<bool> on);

    // {"contactor": {"wanted": true, "state": "on", "areas": [...], "since": "...", "error": "..."}}
    // for the outputs of `device`; empty object when it switches none.
    nlohmann::json describe(const std::string& device) const;
    // Areas behind an output of `device` that is known to be off (commanded and
    // read back off): their gear is without mains and does not answer.
    std::vector<std::string> unpowered_areas(const std::string& device) const;

private:
    struct Slot {
        Output output;
        std::optional<bool> wanted;        // from the last targets
        std::optional<bool> actual;        // read back after a write, or polled
        std::optional<bool> last_known;    // the last known `actual`, kept across unknown spells
        bool awaiting_first_poll = false;  // a blind "on" waits for the device's first poll
        bool first_poll_waited = false;    // gave up waiting to learn the state before switching on
        bool in_flight = false;
        bool failing = false;        // a failure was logged and not yet the recovery
        std::string error;           // the last failure, while failing
        double retry_s = 0;          // next backoff
        SystemTime since{};          // when `actual` last changed
        SystemTime revert_logged{};  // last "switching it again" line
        int reverts_unlogged = 0;    // since then
        Timer retry;
        Timer power_up;    // armed while the gear boot
        Timer first_poll;  // armed while a blind "on" waits for a poll
    };
    void apply(Slot& slot);
    // Records the output's state; a change to on from known off (or, for a
    // write, from never known) arms the power-up timer.
    void set_actual(Slot& slot, std::optional<bool> on, bool written);
    void on_written(Slot& slot, bool on, const modbus::WriteOutcome& outcome);

    Timers& timers_;
    std::vector<Slot> slots_;  // never resized after construction: timer callbacks hold a Slot&
    Write write_;
    Changed changed_;
    PoweredUp powered_up_;
    const Clock& clock_;
    std::chrono::milliseconds first_poll_wait_;
    bool started_ = false;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace lykta::cabinet
