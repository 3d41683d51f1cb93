// inventory/get and inventory/read (docs/mqtt-api.md).
#include "gateway/luminaires/inventory_feature.hpp"
#include "gateway/luminaires/inventory_json.hpp"

namespace lykta::luminaires {

std::optional<std::vector<const config::Luminaire*>> InventoryFeature::select(
    const nlohmann::json& args, mqtt::Responder& responder) const {
    for (const char* key : {"luminaire", "area", "bus"})
        if (args.contains(key) && !args[key].is_string()) {
            responder.error(mqtt::error_code::bad_request, std::string("'") + key + "' must be a string",
                            key);
            return std::nullopt;
        }
    const std::string luminaire = args.value("luminaire", ""), area = args.value("area", ""),
                      bus = args.value("bus", "");
    auto configured = [](const auto& list, const std::string& id) {
        for (const auto& x : list)
            if (x.id == id) return true;
        return false;
    };
    if (!luminaire.empty() && !configured(config_.luminaires, luminaire)) {
        responder.error(mqtt::error_code::unknown_luminaire, "no luminaire '" + luminaire + "'", "luminaire");
        return std::nullopt;
    }
    if (!area.empty() && !configured(config_.areas, area)) {
        responder.error(mqtt::error_code::unknown_area, "no area '" + area + "'", "area");
        return std::nullopt;
    }
    if (!bus.empty() && !configured(config_.dali.buses, bus)) {
        responder.error(mqtt::error_code::bad_request, "no DALI bus '" + bus + "'", "bus");
        return std::nullopt;
    }
    std::vector<const config::Luminaire*> out;
    for (const auto& l : config_.luminaires)
        if ((luminaire.empty() || l.id == luminaire) && (area.empty() || l.area == area) &&
            (bus.empty() || l.bus == bus))
            out.push_back(&l);
    return out;
}

void InventoryFeature::handle_get(const nlohmann::json& args, mqtt::Responder responder) {
    auto selected = select(args, responder);
    if (!selected) return;
    nlohmann::json list = nlohmann::json::array();
    if (selected->size() == 1) {  // the common single-luminaire look-up reads one row
        auto record = store_.find(selected->front()->id);
        list.push_back(record ? record_json(*record) : unread_json(*selected->front()));
    } else if (!selected->empty()) {
        const auto records = store_.load();
        for (const auto* l : *selected) {
            auto it = records.find(l->id);
            list.push_back(it == records.end() ? unread_json(*l) : record_json(it->second));
        }
    }
    responder.ok({{"inventory", std::move(list)}});
}

void InventoryFeature::handle_read(const nlohmann::json& args, mqtt::Responder responder) {
    auto selected = select(args, responder);
    if (!selected) return;
    for (const auto* l : *selected)
        if (luminaires_.commissioning(l->bus))
            return responder.error(mqtt::error_code::too_busy,
                                   "commissioning is running on DALI bus '" + l->bus + "'; read afterwards");
    auto shared = std::make_shared<mqtt::Responder>(std::move(responder));
    read(std::move(*selected), [shared](std::vector<InventoryUpdate> updates) {
        nlohmann::json results = nlohmann::json::array();
        std::size_t mismatches = 0, unreadable = 0;
        for (const auto& u : updates) {
            mismatches += u.outcome == ReadOutcome::mismatch;
            unreadable += u.outcome == ReadOutcome::unreadable;
            nlohmann::json entry{{"luminaire", u.record.luminaire},
                                 {"bus", u.record.bus},
                                 {"address", u.record.address},
                                 {"result", to_string(u.outcome)},
                                 {"differences", u.differences}};
            entry["problem"] =
                u.record.problem.empty() ? nlohmann::json(nullptr) : nlohmann::json(u.record.problem);
            const auto identity = identity_json(u.record.current);
            entry["gtin"] = identity["gtin"];
            entry["identification"] = identity["identification"];
            results.push_back(std::move(entry));
        }
        shared->ok({{"read", updates.size()},
                    {"mismatches", mismatches},
                    {"unreadable", unreadable},
                    {"results", std::move(results)}});
    });
}

}  // namespace lykta::luminaires
