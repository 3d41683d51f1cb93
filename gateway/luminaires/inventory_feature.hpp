#pragma once
// The asset inventory in the daemon (docs/dali.md): reads memory banks 0/1 of
// each luminaire's gear when its bus becomes ready (start, after
// commissioning, after the bus was unreachable) and on request, at polling
// priority so actuation always goes first; folds each read into the store
// (first identity kept, current identity updated) and publishes
// `inventory.mismatch` when another gear answers than the one recorded.
// Commands `inventory/get` and `inventory/read`. Loop thread only.
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "gateway/api/feature.hpp"
#include "gateway/api/uplink.hpp"
#include "gateway/config/model.hpp"
#include "gateway/core/clock.hpp"
#include "gateway/luminaires/inventory_record.hpp"
#include "gateway/luminaires/inventory_store.hpp"
#include "gateway/luminaires/luminaires_feature.hpp"

namespace lykta::luminaires {

class InventoryFeature final : public Feature {
public:
    InventoryFeature(const config::Config& config, LuminairesFeature& luminaires, Uplink& uplink,
                     store::Database& db, const Clock& clock);
    ~InventoryFeature() override;
    void start() override {}
    void stop() override;

    using ReadDone = std::function<void(std::vector<InventoryUpdate>)>;
    // Reads the gear of `luminaires` (one job per bank and gear on each one's
    // bus), stores the results and publishes mismatch events; `done` gets the
    // updates in the given order once every bus has answered. Luminaires on a
    // bus that is not configured come back unreadable.
    void read(std::vector<const config::Luminaire*> luminaires, ReadDone done);
    std::optional<InventoryRecord> record(const std::string& luminaire_id) {
        return store_.find(luminaire_id);
    }

private:
    void on_sweep(const std::string& bus_id, const std::vector<dali::GearStatus>& statuses, bool reachable);
    std::vector<InventoryUpdate> fold(const std::vector<const config::Luminaire*>& luminaires,
                                      const std::vector<dali::GearInventory>& readings);
    void handle_get(const nlohmann::json& args, api::Responder responder);
    void handle_read(const nlohmann::json& args, api::Responder responder);
    // The configured luminaires that `args` ("luminaire", "area", "bus", all optional) select, in
    // config order; nullopt after answering the responder with the error.
    std::optional<std::vector<const config::Luminaire*>> select(const nlohmann::json& args,
                                                                api::Responder& responder) const;

    const config::Config& config_;
    LuminairesFeature& luminaires_;
    Uplink& uplink_;
    InventoryStore store_;
    const Clock& clock_;
    std::set<std::string> pending_;  // buses to read at their next answering sweep
    std::set<std::string> reading_;  // buses with a ready-triggered read in flight
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace lykta::luminaires
