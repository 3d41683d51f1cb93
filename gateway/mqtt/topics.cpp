#include "gateway/mqtt/topics.hpp"

namespace lykta::mqtt {

Topics::Topics(std::string_view prefix, std::string_view gateway_id) {
    root_.append(prefix).append("/").append(gateway_id);
}

std::string Topics::at(std::string_view subtopic) const {
    std::string t = root_;
    t.append("/").append(subtopic);
    return t;
}

std::string Topics::response(std::string_view command) const {
    std::string t = root_;
    t.append("/response/").append(command);
    return t;
}

std::optional<std::string> Topics::request_command(std::string_view topic) const {
    std::string request_root = root_ + "/request/";
    if (topic.size() <= request_root.size() || topic.substr(0, request_root.size()) != request_root)
        return std::nullopt;
    return std::string(topic.substr(request_root.size()));
}

std::string Topics::luminaire_state(std::string_view id) {
    return "luminaire/" + std::string(id) + "/state";
}
std::string Topics::area_state(std::string_view id) {
    return "area/" + std::string(id) + "/state";
}
std::string Topics::meter_state(std::string_view id) {
    return "meter/" + std::string(id) + "/state";
}

std::optional<StateTopicId> parse_state_subtopic(std::string_view subtopic) {
    auto first = subtopic.find('/');
    if (first == std::string_view::npos) return std::nullopt;
    auto second = subtopic.find('/', first + 1);
    if (second == std::string_view::npos || subtopic.substr(second) != "/state") return std::nullopt;
    StateTopicId parsed{std::string(subtopic.substr(0, first)),
                        std::string(subtopic.substr(first + 1, second - first - 1))};
    if (parsed.id.empty()) return std::nullopt;
    if (parsed.kind != "luminaire" && parsed.kind != "area" && parsed.kind != "meter") return std::nullopt;
    return parsed;
}

bool is_publishable_topic(std::string_view topic) {
    if (topic.empty() || topic.size() > 65535) return false;
    return topic.find_first_of(std::string_view("+#\0", 3)) == std::string_view::npos;
}

}  // namespace lykta::mqtt
