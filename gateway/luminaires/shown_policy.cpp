#include "gateway/luminaires/shown_policy.hpp"

namespace lykta::luminaires {
namespace {

std::string text_member(const nlohmann::json& object, const char* name) {
    auto it = object.find(name);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

ShownPolicy ShownPolicy::from_json(nlohmann::json target, const nlohmann::json& reason) {
    ShownPolicy p;
    p.target = std::move(target);
    if (!reason.is_object()) return p;
    p.has_reason = true;
    p.source = text_member(reason, "source");
    p.id = text_member(reason, "id");
    p.detail = text_member(reason, "detail");
    p.until = text_member(reason, "until");
    return p;
}

nlohmann::json ShownPolicy::reason_json() const {
    if (!has_reason) return nullptr;
    return {{"source", source},
            {"id", id},
            {"detail", detail},
            {"until", until.empty() ? nlohmann::json(nullptr) : nlohmann::json(until)}};
}

}  // namespace lykta::luminaires
