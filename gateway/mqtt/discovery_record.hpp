#pragma once
// Which Home Assistant discovery configs the broker holds from this gateway,
// persisted in the store, so a config whose area or luminaire left the config
// (or all of them, when discovery is turned off or its prefix changes) is
// removed with an empty retained payload after a restart or reload.
//
// Why a record and not a read-back of `<prefix>/+/<node_id>/+/config` from the
// broker at connect: retained messages give no "that was all" marker (a
// read-back needs a guessed wait), the daemon subscribes only inside its own
// prefix (docs/mqtt-api.md; ACLs usually grant nothing else), and a cluster node
// may not hold the retained copies at all. The record is exact and local.
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "gateway/mqtt/ha_discovery.hpp"
#include "gateway/store/database.hpp"

namespace lykta::mqtt {

class DiscoveryRecord {
public:
    using Message = std::pair<std::string, std::string>;  // topic, payload ("" = remove)
    explicit DiscoveryRecord(store::Database& db);

    // Every config, then an empty payload for each recorded topic not among them.
    std::vector<Message> messages(const std::vector<DiscoveryConfig>& configs) const;
    // A config is recorded as it is handed to the client, before the broker has
    // it: a config the broker may hold is never missing from the record (a
    // removal of one it never got is harmless). A removal leaves the record only
    // once the broker acknowledged it; otherwise it is sent again next connect.
    void sending(const Message& message);
    void removal_acknowledged(const std::string& topic);

    const std::set<std::string>& topics() const { return topics_; }

private:
    store::Database& db_;
    std::set<std::string> topics_;
};

}  // namespace lykta::mqtt
