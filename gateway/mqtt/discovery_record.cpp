#include "gateway/mqtt/discovery_record.hpp"

namespace lykta::mqtt {

DiscoveryRecord::DiscoveryRecord(store::Database& db) : db_(db) {
    db_.migrate("mqtt_discovery", {"CREATE TABLE mqtt_discovery (topic TEXT PRIMARY KEY);"});
    auto q = db_.prepare("SELECT topic FROM mqtt_discovery");
    while (q.step()) topics_.insert(q.column_text(0));
}

std::vector<DiscoveryRecord::Message> DiscoveryRecord::messages(
    const std::vector<DiscoveryConfig>& configs) const {
    std::vector<Message> out;
    std::set<std::string> current;
    for (const auto& c : configs) {
        current.insert(c.topic);
        out.emplace_back(c.topic, c.payload.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    }
    for (const auto& topic : topics_)
        if (!current.count(topic)) out.emplace_back(topic, std::string());
    return out;
}

void DiscoveryRecord::sending(const Message& message) {
    const auto& [topic, payload] = message;
    if (payload.empty() || !topics_.insert(topic).second) return;
    auto add = db_.prepare("INSERT OR IGNORE INTO mqtt_discovery (topic) VALUES (?)");
    add.bind_all(topic);
    add.step();
}

void DiscoveryRecord::removal_acknowledged(const std::string& topic) {
    if (topics_.erase(topic) == 0) return;
    auto del = db_.prepare("DELETE FROM mqtt_discovery WHERE topic = ?");
    del.bind_all(topic);
    del.step();
}

}  // namespace lykta::mqtt
