#pragma once
// The policy's levels on their way to the gear: remembers what each bus was
// last told per luminaire (only what changed goes out), knows which buses
// answer (a bus known down is not sent to until it is ready again), and hands
// the luminaires room one `apply` per bus. Loop thread only.
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "gateway/config/model.hpp"
#include "gateway/luminaires/luminaires_feature.hpp"
#include "gateway/policy/decision.hpp"

namespace lykta::lighting {

class Actuator {
public:
    // Read-back level (percent, null when the gear did not answer) by luminaire id.
    using Levels = std::map<std::string, std::optional<double>>;
    using Done = std::function<void(Levels)>;

    // `config`'s luminaires (decisions come in its order); both must outlive the actuator.
    Actuator(const config::Config& config, luminaires::LuminairesFeature& luminaires);
    ~Actuator();
    Actuator(const Actuator&) = delete;
    Actuator& operator=(const Actuator&) = delete;

    // Every luminaire decided (`decisions`, config order): sends the levels that
    // differ from what its bus was last told, on buses not known down, plus
    // those of `force` (luminaire ids) changed or not, down or not. `done` gets
    // the read-back levels of what was sent (at once, empty, when nothing was).
    void send_changed(const std::vector<policy::Decision>& decisions, const std::set<std::string>& force,
                      Done done);
    // Sends decisions[i] for these i, changed or not (a command's own luminaires).
    void send(const std::vector<policy::Decision>& decisions, const std::vector<std::size_t>& indices,
              Done done);

    // A sweep said whether the bus answers.
    void set_reachable(const std::string& bus_id, bool reachable) { reachable_[bus_id] = reachable; }
    // Known not to answer (a bus no sweep has reported yet is not).
    bool bus_down(const std::string& bus_id) const;
    // What the bus was last told for this luminaire (percent); none when nothing
    // was, or its gear did not answer since (it is sent again next time).
    std::optional<double> sent(const std::string& luminaire_id) const;

    // No read-back reaches `done` any more.
    void stop() { *alive_ = false; }

private:
    struct Sent {
        double level = -1;
        double fade_s = 0;
    };
    void send(const std::vector<std::pair<std::size_t, const policy::Decision*>>& sends, Done done);

    const config::Config& config_;
    luminaires::LuminairesFeature& luminaires_;
    std::map<std::string, Sent> sent_;       // by luminaire
    std::map<std::string, bool> reachable_;  // by bus, from the sweeps
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace lykta::lighting
