#pragma once
// The last payload of every retained sub-topic, what still has to go out, and
// the persisted index of every retained topic this gateway ever published (so
// topics of ids removed from the config are cleared after a restart).
// Coalescing: set() only marks a topic dirty; a burst of sets before the next
// flush leaves one dirty entry holding the last payload.
#include <functional>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "gateway/config/model.hpp"
#include "gateway/store/database.hpp"

namespace lykta::mqtt {

class RetainedState {
public:
    using Entry = std::pair<std::string, std::string>;  // sub-topic, payload ("" = cleared)
    explicit RetainedState(store::Database& db);

    // Records a payload; a payload equal to the published one is not re-sent.
    void set(const std::string& subtopic, std::string payload);
    // Records a payload built by `render` whenever it is taken (take_dirty, take_all):
    // for states whose owner keeps their parts anyway, so the text is not held twice.
    // Always marks the topic dirty: the owner calls this only on a change.
    using Render = std::function<std::string()>;
    void set_rendered(const std::string& subtopic, Render render);
    // Marks the topic for an empty retained payload.
    void clear(const std::string& subtopic);
    // The dirty entries in the order they first became dirty; clears the dirty set.
    std::vector<Entry> take_dirty();
    // Everything to send on (re)connect or republish: current payloads and pending clears.
    std::vector<Entry> take_all();
    bool has_dirty() const { return !dirty_.empty(); }
    std::size_t size() const { return payloads_.size(); }

    // Call once the broker has the entry: keeps the persisted index in step.
    void published(const Entry& entry);

    // Indexed luminaire/area/meter sub-topics whose id is not in `config` and
    // that nothing has set in this run.
    std::vector<std::string> stale(const config::Config& config) const;

private:
    struct Slot;
    void mark_dirty(const std::string& subtopic);
    // The slot of `subtopic`, made on first use (taking its place in the index with it).
    Slot& slot(const std::string& subtopic);

    // The current payload and whether the broker has taken exactly it. A flag, not
    // a second copy of the payload: 1,024 luminaire states are ~0.5 MB of text.
    struct Slot {
        std::string payload;  // "" = clear pending (unless render is set)
        Render render;        // set: the payload is rendered when taken
        bool sent = false;
        bool indexed = false;  // in the persisted index (mqtt_retained)
        std::string text() const { return render ? render() : payload; }
    };

    store::Database& db_;
    std::map<std::string, Slot> payloads_;
    std::vector<std::string> dirty_order_;
    std::set<std::string> dirty_;
    // Indexed topics without a slot in this run (a topic with a slot keeps its
    // `indexed` flag instead: 1,000 topic names are not held twice).
    std::set<std::string> indexed_only_;
};

}  // namespace lykta::mqtt
