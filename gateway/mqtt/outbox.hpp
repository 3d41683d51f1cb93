#pragma once
// Store-and-forward for events and telemetry: every message is committed to
// SQLite (WAL) before append() returns, gets a persisted monotonic seq, and is
// deleted only when the broker acknowledged it (PUBACK). So a kill -9 after
// the domain handed an event over loses nothing; a crash between PUBACK and
// the delete re-sends it (at-least-once; `seq` lets the platform de-duplicate).
// Bounded by bytes: over the budget the oldest telemetry is dropped (counted);
// events are never dropped: they stay over budget and that is logged loudly.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gateway/store/database.hpp"

namespace lykta::mqtt {

enum class OutboxKind { event = 0, telemetry = 1 };

struct OutboxEntry {
    std::int64_t seq = 0;
    std::string subtopic;  // "event", "telemetry"
    std::string payload;   // serialised JSON object, without seq/historical
    bool historical = false;
};

class Outbox {
public:
    Outbox(store::Database& db, std::size_t max_bytes);

    // Persists one message; returns its seq. `historical` = produced while the uplink was down.
    std::int64_t append(OutboxKind kind, const std::string& subtopic, const nlohmann::json& message,
                        bool historical);
    // Up to `limit` entries with seq > after, in seq order.
    std::vector<OutboxEntry> next(std::int64_t after, std::size_t limit);
    void remove(std::int64_t seq) { remove(std::vector<std::int64_t>{seq}); }
    // One transaction for a batch of acknowledged messages (the drain rate after
    // an outage is bounded by commits, not by the broker).
    void remove(const std::vector<std::int64_t>& seqs);

    std::size_t depth() const { return depth_; }
    std::size_t bytes() const { return bytes_; }
    std::int64_t last_seq();
    std::uint64_t telemetry_dropped() const { return telemetry_dropped_; }
    bool over_budget() const { return bytes_ > max_bytes_; }

private:
    void enforce_budget();

    store::Database& db_;
    std::size_t max_bytes_;
    std::size_t depth_ = 0;
    std::size_t bytes_ = 0;
    std::uint64_t telemetry_dropped_ = 0;
    bool warned_over_budget_ = false;
};

}  // namespace lykta::mqtt
