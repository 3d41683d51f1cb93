#include "gateway/faults/alarms_payload.hpp"

namespace lykta::faults {

std::size_t wire_size(const nlohmann::json& j) {
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).size();
}

nlohmann::json alarms_payload(const std::vector<Fault>& faults, const std::string& ts,
                              std::size_t max_bytes) {
    nlohmann::json payload{
        {"active", nlohmann::json::array()}, {"total", faults.size()}, {"truncated", false}, {"ts", ts}};
    if (max_bytes == 0) {
        for (const auto& f : faults) payload["active"].push_back(fault_json(f));
        return payload;
    }
    // Sizes add up exactly: the envelope with "[]" plus each element plus one
    // comma between elements; "truncated" true and false differ by one byte,
    // so the budget is taken with the longer one (false).
    std::size_t size = wire_size(payload);
    std::size_t count = 0;
    for (const auto& f : faults) {
        auto item = fault_json(f);
        std::size_t grown = size + wire_size(item) + (count > 0 ? 1 : 0);
        if (grown > max_bytes) break;
        payload["active"].push_back(std::move(item));
        size = grown;
        ++count;
    }
    payload["truncated"] = count < faults.size();
    return payload;
}

}  // namespace lykta::faults
