#pragma once
// The lighting policy's view of one luminaire as its state payload shows it:
// "target" and the "reason" members of policy::to_json(Reason). Kept as plain
// strings rather than a json tree: for 1,024 luminaires the trees were ~0.6 MB
// of the daemon's heap, these are ~0.2 MB.
#include <nlohmann/json.hpp>
#include <string>

namespace lykta::luminaires {

struct ShownPolicy {
    nlohmann::json target;  // percent or null
    bool has_reason = false;
    std::string source;  // "maintenance", "override", "safety", "schedule", "default"
    std::string id;
    std::string detail;
    std::string until;  // RFC 3339; "" = null (no instant by itself)

    // From the json the policy hands over ({"source","id","detail","until"} or null);
    // a member of another type than string reads as empty.
    static ShownPolicy from_json(nlohmann::json target, const nlohmann::json& reason);
    nlohmann::json reason_json() const;  // null without a reason
    friend bool operator==(const ShownPolicy&, const ShownPolicy&) = default;
};

}  // namespace lykta::luminaires
