#include "gateway/mqtt/retained_state.hpp"

#include "gateway/mqtt/schema.hpp"
#include "gateway/mqtt/topics.hpp"

#include <utility>

namespace lykta::mqtt {

RetainedState::RetainedState(store::Database& db) : db_(db) {
    migrate_schema(db_);
    auto q = db_.prepare("SELECT subtopic FROM mqtt_retained");
    while (q.step()) indexed_only_.insert(q.column_text(0));
}

RetainedState::Slot& RetainedState::slot(const std::string& subtopic) {
    auto [it, made] = payloads_.try_emplace(subtopic);
    if (made) it->second.indexed = indexed_only_.erase(subtopic) > 0;
    return it->second;
}

void RetainedState::mark_dirty(const std::string& subtopic) {
    if (dirty_.insert(subtopic).second) dirty_order_.push_back(subtopic);
}

void RetainedState::set(const std::string& subtopic, std::string payload) {
    auto& slot = this->slot(subtopic);
    // Unchanged and either on its way or already taken by the broker: nothing to do.
    if (!slot.render && slot.payload == payload && (slot.sent || dirty_.count(subtopic))) return;
    slot.payload = std::move(payload);
    slot.render = nullptr;
    slot.sent = false;
    mark_dirty(subtopic);
}

void RetainedState::set_rendered(const std::string& subtopic, Render render) {
    auto& slot = this->slot(subtopic);
    slot.payload.clear();
    slot.payload.shrink_to_fit();
    slot.render = std::move(render);
    slot.sent = false;
    mark_dirty(subtopic);
}

void RetainedState::clear(const std::string& subtopic) {
    set(subtopic, std::string());
}

std::vector<RetainedState::Entry> RetainedState::take_dirty() {
    std::vector<Entry> out;
    out.reserve(dirty_order_.size());
    for (const auto& s : dirty_order_) out.emplace_back(s, slot(s).text());
    dirty_order_.clear();
    dirty_.clear();
    return out;
}

std::vector<RetainedState::Entry> RetainedState::take_all() {
    dirty_order_.clear();
    dirty_.clear();
    std::vector<Entry> out;
    out.reserve(payloads_.size());
    for (const auto& [subtopic, slot] : payloads_) out.emplace_back(subtopic, slot.text());
    return out;
}

void RetainedState::published(const Entry& entry) {
    const auto& [subtopic, payload] = entry;
    if (payload.empty()) {
        // A clear goes out once; afterwards the topic is simply unknown again.
        auto it = payloads_.find(subtopic);
        bool indexed = indexed_only_.erase(subtopic) > 0;
        if (it != payloads_.end()) {
            indexed = indexed || it->second.indexed;
            payloads_.erase(it);
        }
        if (indexed) {
            auto del = db_.prepare("DELETE FROM mqtt_retained WHERE subtopic = ?");
            del.bind_all(subtopic);
            del.step();
        }
        return;
    }
    // An older payload arriving after a newer set() leaves the newer one unsent.
    // (A rendered slot is re-sent only when its owner sets it again: no flag to keep.)
    auto it = payloads_.find(subtopic);
    if (it != payloads_.end() && !it->second.render && it->second.payload == payload) it->second.sent = true;
    const bool added = it != payloads_.end() ? !std::exchange(it->second.indexed, true)
                                             : indexed_only_.insert(subtopic).second;
    if (added) {
        auto add = db_.prepare("INSERT OR IGNORE INTO mqtt_retained (subtopic) VALUES (?)");
        add.bind_all(subtopic);
        add.step();
    }
}

std::vector<std::string> RetainedState::stale(const config::Config& config) const {
    std::vector<std::string> out;
    for (const auto& subtopic : indexed_only_) {  // indexed, and nothing set it in this run
        auto parsed = parse_state_subtopic(subtopic);
        if (!parsed) continue;
        bool known = false;
        if (parsed->kind == "luminaire")
            known = config.find_luminaire(parsed->id) != nullptr;
        else if (parsed->kind == "area")
            known = config.find_area(parsed->id) != nullptr;
        else if (parsed->kind == "meter")
            for (const auto& d : config.modbus.devices) known = known || d.id == parsed->id;
        if (!known) out.push_back(subtopic);
    }
    return out;
}

}  // namespace lykta::mqtt
