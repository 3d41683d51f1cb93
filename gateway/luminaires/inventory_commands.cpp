// inventory/get and inventory/read (docs/mqtt-api.md).
#include "gateway/luminaires/inventory_feature.hpp"
#include "gateway/luminaires/inventory_json.hpp"

#include <algorithm>

namespace lykta::luminaires {

std::optional<std::vector<const config::Luminaire*>> InventoryFeature::select(
    const nlohmann::json& args, api::Responder& responder) const {
    for (const char* key : {"luminaire", "area", "bus"})
        if (args.contains(key) && !args[key].is_string()) {
            responder.error(api::error_code::bad_request, std::string("'") + key + "' must be a string", key);
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
        responder.error(api::error_code::unknown_luminaire, "no luminaire '" + luminaire + "'", "luminaire");
        return std::nullopt;
    }
    if (!area.empty() && !configured(config_.areas, area)) {
        responder.error(api::error_code::unknown_area, "no area '" + area + "'", "area");
        return std::nullopt;
    }
    if (!bus.empty() && !configured(config_.dali.buses, bus)) {
        responder.error(api::error_code::bad_request, "no DALI bus '" + bus + "'", "bus");
        return std::nullopt;
    }
    std::vector<const config::Luminaire*> out;
    for (const auto& l : config_.luminaires)
        if ((luminaire.empty() || l.id == luminaire) && (area.empty() || l.area == area) &&
            (bus.empty() || l.bus == bus))
            out.push_back(&l);
    return out;
}

namespace {

// Reads an optional non-negative integer argument no larger than `max`; false (and an answered
// responder) when it is malformed.
bool optional_count(const nlohmann::json& args, const char* key, std::int64_t max, std::int64_t& out,
                    api::Responder& responder) {
    if (!args.contains(key) || args[key].is_null()) return true;
    if (!args[key].is_number_integer()) {
        responder.error(api::error_code::bad_request, std::string("'") + key + "' must be an integer", key);
        return false;
    }
    out = args[key].get<std::int64_t>();
    if (out < 0 || out > max) {
        responder.error(api::error_code::out_of_range,
                        std::string("'") + key + "' must be 0.." + std::to_string(max), key);
        return false;
    }
    return true;
}

}  // namespace

// One answer holds as many records as fit in mqtt.max_payload (the same bound the gateway
// keeps P/alarms to): ~700 bytes a record would make 1,024 luminaires a 700 KB message, more
// than many platform brokers accept. `next_offset` says where the next page starts.
void InventoryFeature::handle_get(const nlohmann::json& args, api::Responder responder) {
    std::int64_t offset = 0, limit = 10000;
    if (!optional_count(args, "offset", 1000000, offset, responder) ||
        !optional_count(args, "limit", 10000, limit, responder))
        return;
    if (args.contains("limit") && limit == 0)
        return responder.error(api::error_code::out_of_range, "'limit' must be 1..10000", "limit");
    auto selected = select(args, responder);
    if (!selected) return;
    const std::size_t total = selected->size();
    const std::size_t first = std::min(total, static_cast<std::size_t>(offset));
    const std::size_t last = std::min(total, first + static_cast<std::size_t>(limit));
    // Envelope (status, id, the paging fields) plus room for the request id the platform chose.
    constexpr std::size_t envelope = 256;
    const std::size_t budget =
        static_cast<std::size_t>(std::max<std::int64_t>(config_.mqtt.max_payload, 1024));

    nlohmann::json list = nlohmann::json::array();
    std::size_t used = envelope, next = first;
    auto add = [&](nlohmann::json record) {
        const std::size_t size = record.dump().size() + 1;
        if (next > first && used + size > budget) return false;  // a page holds at least one record
        used += size;
        list.push_back(std::move(record));
        ++next;
        return true;
    };
    if (last - first == 1) {  // the common single-luminaire look-up reads one row
        const auto* l = (*selected)[first];
        auto record = store_.find(l->id);
        add(record ? record_json(*record) : unread_json(*l));
    } else if (last > first) {
        const auto records = store_.load();
        for (std::size_t i = first; i < last; ++i) {
            const auto* l = (*selected)[i];
            auto it = records.find(l->id);
            if (!add(it == records.end() ? unread_json(*l) : record_json(it->second))) break;
        }
    }
    responder.ok({{"inventory", std::move(list)},
                  {"total", total},
                  {"offset", first},
                  {"next_offset", next < total ? nlohmann::json(next) : nlohmann::json(nullptr)}});
}

void InventoryFeature::handle_read(const nlohmann::json& args, api::Responder responder) {
    auto selected = select(args, responder);
    if (!selected) return;
    for (const auto* l : *selected)
        if (luminaires_.commissioning(l->bus))
            return responder.error(api::error_code::too_busy,
                                   "commissioning is running on DALI bus '" + l->bus + "'; read afterwards");
    auto shared = std::make_shared<api::Responder>(std::move(responder));
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
