#include "gateway/http/state_feed.hpp"

namespace lykta::http {

void StateFeed::publish_state(const std::string& subtopic, nlohmann::json payload) {
    state_[subtopic] = Entry{payload, nullptr};
    inner_.publish_state(subtopic, std::move(payload));
    changed(subtopic);
}

void StateFeed::publish_rendered_state(const std::string& subtopic, std::function<nlohmann::json()> render) {
    state_[subtopic] = Entry{nullptr, render};
    inner_.publish_rendered_state(subtopic, std::move(render));
    changed(subtopic);
}

void StateFeed::clear_state(const std::string& subtopic) {
    state_.erase(subtopic);
    inner_.clear_state(subtopic);
    changed(subtopic);
}

nlohmann::json StateFeed::current(const std::string& subtopic) const {
    auto it = state_.find(subtopic);
    if (it == state_.end()) return nullptr;
    return it->second.render ? it->second.render() : it->second.payload;
}

std::vector<std::string> StateFeed::subtopics(const std::string& prefix) const {
    std::vector<std::string> out;
    for (auto it = state_.lower_bound(prefix); it != state_.end() && it->first.rfind(prefix, 0) == 0; ++it)
        out.push_back(it->first);
    return out;
}

void StateFeed::changed(const std::string& subtopic) {
    if (listener_) listener_(subtopic);
}

}  // namespace lykta::http
