#include "gateway/luminaires/inventory_feature.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "drivers/dali/inventory.hpp"

namespace lykta::luminaires {

InventoryFeature::InventoryFeature(const config::Config& config, LuminairesFeature& luminaires,
                                   Uplink& uplink, store::Database& db, const Clock& clock)
    : config_(config), luminaires_(luminaires), uplink_(uplink), store_(db), clock_(clock) {
    std::weak_ptr<bool> alive = alive_;
    // A bus that becomes ready may carry other gear than before (commissioned, or
    // repaired while it was unreachable): read it at its next sweep, when we know
    // which gear answer, so absent ones cost no frames.
    luminaires_.add_bus_ready_observer([this, alive](const std::string& bus_id) {
        if (auto a = alive.lock(); a && *a) pending_.insert(bus_id);
    });
    luminaires_.add_status_observer([this, alive](const Sweep& sweep) {
        if (auto a = alive.lock(); a && *a) on_sweep(sweep.bus->id, sweep.statuses, sweep.reachable);
    });
    uplink_.add_command("inventory/get", [this](const nlohmann::json& args, api::Responder r) {
        handle_get(args, std::move(r));
    });
    uplink_.add_command("inventory/read", [this](const nlohmann::json& args, api::Responder r) {
        handle_read(args, std::move(r));
    });
}

InventoryFeature::~InventoryFeature() {
    *alive_ = false;
}

void InventoryFeature::stop() {
    *alive_ = false;
}

void InventoryFeature::on_sweep(const std::string& bus_id, const std::vector<dali::GearStatus>& statuses,
                                bool reachable) {
    if (!reachable || !pending_.count(bus_id) || reading_.count(bus_id) || luminaires_.commissioning(bus_id))
        return;
    std::vector<const config::Luminaire*> answering;
    for (const auto& l : config_.luminaires) {
        if (l.bus != bus_id) continue;
        for (const auto& s : statuses)
            if (s.address == l.address && s.available) answering.push_back(&l);
    }
    if (answering.empty()) return;  // stays pending until some gear answers
    pending_.erase(bus_id);
    reading_.insert(bus_id);
    std::weak_ptr<bool> alive = alive_;
    read(std::move(answering), [this, alive, bus_id](std::vector<InventoryUpdate> updates) {
        if (auto a = alive.lock(); !a || !*a) return;
        reading_.erase(bus_id);
        std::size_t first = 0, mismatch = 0, unreadable = 0;
        for (const auto& u : updates) {
            first += u.outcome == ReadOutcome::first;
            mismatch += u.outcome == ReadOutcome::mismatch;
            unreadable += u.outcome == ReadOutcome::unreadable;
        }
        spdlog::info(
            "DALI bus {}: inventory of {} gear read: {} recorded for the first time, {} swapped, {} "
            "unreadable",
            bus_id, updates.size(), first, mismatch, unreadable);
    });
}

void InventoryFeature::read(std::vector<const config::Luminaire*> luminaires, ReadDone done) {
    std::map<std::string, std::vector<std::size_t>> by_bus;  // indexes into `luminaires`
    for (std::size_t i = 0; i < luminaires.size(); ++i) by_bus[luminaires[i]->bus].push_back(i);
    // Updates are kept from when a bus finishes, not preallocated for the whole read:
    // at start all buses read at once, and 1,024 idle records cost 0.5 MB of heap peak.
    struct Collect {
        std::vector<const config::Luminaire*> luminaires;
        std::vector<std::pair<std::size_t, InventoryUpdate>> finished;  // index into luminaires, update
        std::size_t buses_left = 0;
        ReadDone done;
        void finish() {
            std::sort(finished.begin(), finished.end(),
                      [](const auto& a, const auto& b) { return a.first < b.first; });
            std::vector<InventoryUpdate> updates;
            updates.reserve(finished.size());
            for (auto& f : finished) updates.push_back(std::move(f.second));
            finished = {};
            done(std::move(updates));
        }
    };
    auto collect = std::make_shared<Collect>();
    collect->luminaires = std::move(luminaires);
    collect->buses_left = by_bus.size();
    collect->done = std::move(done);
    if (by_bus.empty()) return collect->done({});
    std::weak_ptr<bool> alive = alive_;
    for (auto& [bus_id, indexes] : by_bus) {
        std::vector<int> addresses;
        std::vector<const config::Luminaire*> on_bus;
        for (std::size_t i : indexes) {
            addresses.push_back(collect->luminaires[i]->address);
            on_bus.push_back(collect->luminaires[i]);
        }
        auto finish = [this, alive, collect, indexes,
                       on_bus](const std::vector<dali::GearInventory>& readings) {
            if (auto a = alive.lock(); !a || !*a) return;
            auto updates = fold(on_bus, readings);
            for (std::size_t k = 0; k < indexes.size() && k < updates.size(); ++k)
                collect->finished.emplace_back(indexes[k], std::move(updates[k]));
            if (--collect->buses_left == 0) collect->finish();
        };
        dali::Bus* bus = luminaires_.bus(bus_id);
        if (!bus) {
            std::vector<dali::GearInventory> none(addresses.size());
            for (std::size_t k = 0; k < none.size(); ++k) {
                none[k].address = addresses[k];
                none[k].problem = "DALI bus '" + bus_id + "' is not configured";
            }
            finish(none);
            continue;
        }
        dali::read_inventory(*bus, std::move(addresses), std::move(finish));
    }
}

std::vector<InventoryUpdate> InventoryFeature::fold(const std::vector<const config::Luminaire*>& luminaires,
                                                    const std::vector<dali::GearInventory>& readings) {
    const auto now = clock_.now();
    std::vector<InventoryUpdate> updates;
    std::vector<InventoryRecord> changed;
    for (std::size_t k = 0; k < luminaires.size() && k < readings.size(); ++k) {
        const auto& l = *luminaires[k];
        auto update = fold_read(store_.find(l.id), l, readings[k], now);
        changed.push_back(update.record);
        updates.push_back(std::move(update));
    }
    // Before the events: a mismatch is announced once it is recorded. A failing store
    // (disk full) loses this read's record, not the read: the next read compares again.
    try {
        store_.save(changed);
    } catch (const store::StoreError& e) {
        spdlog::error("inventory of {} luminaires not stored: {}", changed.size(), e.what());
    }
    for (const auto& u : updates) {
        if (u.outcome != ReadOutcome::mismatch) continue;
        std::string what;
        for (const auto& d : u.differences) what += (what.empty() ? "" : ", ") + d;
        spdlog::warn("luminaire {} (DALI bus {} address {}): other gear than recorded: {}",
                     u.record.luminaire, u.record.bus, u.record.address, what);
        uplink_.publish_event(u.event);
    }
    return updates;
}

}  // namespace lykta::luminaires
