#pragma once
// P/area/<id>/state for every configured area (docs/mqtt-api.md): which
// luminaires and buses each area has is worked out once, at construction; a
// publication builds each area's payload once from the policy's inputs and
// what the last sweeps said (failed luminaires, buses down), and sends it only
// when it differs from the last one sent. Loop thread only.
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gateway/api/uplink.hpp"
#include "gateway/config/model.hpp"
#include "gateway/luminaires/sweep.hpp"
#include "gateway/policy/arbitration.hpp"

namespace lykta::lighting {

class AreaStatePublisher {
public:
    // Known not to answer (a bus no sweep has reported yet is not).
    using BusDown = std::function<bool(const std::string& bus_id)>;
    // `config` must outlive the publisher.
    AreaStatePublisher(const config::Config& config, Uplink& uplink, BusDown bus_down);

    // Keeps which of the sweep's luminaires gives no light (the luminaires room's verdict).
    void take(const luminaires::Sweep& sweep);

    // Publishes the state of every area (only those in `only` when given) at `now`.
    void publish(const policy::PolicyInputs& inputs, SystemTime now,
                 const std::set<std::string>* only = nullptr);

    // How many payloads were built (one per area and publication): for tests.
    std::size_t built() const { return built_; }

private:
    struct Area {
        const config::Area* config = nullptr;
        std::vector<std::size_t> luminaires;  // indices into config.luminaires
        std::set<std::string> buses;          // the buses they hang on
        nlohmann::json last;                  // last published payload, without "ts"
    };

    const config::Config& config_;
    Uplink& uplink_;
    BusDown bus_down_;
    std::vector<Area> areas_;                   // config order
    std::vector<bool> failed_;                  // by luminaire index, from the sweeps
    std::map<std::string, std::size_t> by_id_;  // luminaire id -> index
    std::size_t built_ = 0;
};

}  // namespace lykta::lighting
