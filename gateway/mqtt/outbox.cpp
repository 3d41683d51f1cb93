#include "gateway/mqtt/outbox.hpp"

#include <spdlog/spdlog.h>

#include "gateway/mqtt/schema.hpp"

namespace lykta::mqtt {

Outbox::Outbox(store::Database& db, std::size_t max_bytes) : db_(db), max_bytes_(max_bytes) {
    migrate_schema(db_);
    auto q = db_.prepare("SELECT count(*), coalesce(sum(length(CAST(payload AS BLOB))), 0) FROM mqtt_outbox");
    if (q.step()) {
        depth_ = static_cast<std::size_t>(q.column_int(0));
        bytes_ = static_cast<std::size_t>(q.column_int(1));
    }
}

std::int64_t Outbox::append(OutboxKind kind, const std::string& subtopic, const nlohmann::json& message,
                            bool historical) {
    std::string text = message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    auto insert =
        db_.prepare("INSERT INTO mqtt_outbox (kind, subtopic, payload, historical) VALUES (?, ?, ?, ?)");
    insert.bind_all(static_cast<std::int64_t>(kind), subtopic, text, static_cast<std::int64_t>(historical));
    insert.step();
    std::int64_t seq = db_.last_insert_id();
    ++depth_;
    bytes_ += text.size();
    if (bytes_ > max_bytes_) enforce_budget();
    return seq;
}

void Outbox::enforce_budget() {
    auto oldest = db_.prepare(
        "SELECT seq, length(CAST(payload AS BLOB)) FROM mqtt_outbox WHERE kind = 1 ORDER BY seq LIMIT 64");
    while (bytes_ > max_bytes_) {
        std::vector<std::pair<std::int64_t, std::size_t>> victims;
        oldest.reset();
        while (oldest.step()) victims.emplace_back(oldest.column_int(0), oldest.column_int(1));
        if (victims.empty()) break;
        db_.transaction([&] {
            auto del = db_.prepare("DELETE FROM mqtt_outbox WHERE seq = ?");
            for (auto [seq, size] : victims) {
                if (bytes_ <= max_bytes_) break;
                del.reset();
                del.bind(1, seq);
                del.step();
                --depth_;
                bytes_ -= size;
                ++telemetry_dropped_;
            }
        });
    }
    if (bytes_ > max_bytes_ && !warned_over_budget_) {
        warned_over_budget_ = true;
        spdlog::error(
            "mqtt outbox: {} bytes in {} messages is over its budget of {} bytes and holds only "
            "events now; events are kept until the broker takes them",
            bytes_, depth_, max_bytes_);
    } else if (bytes_ <= max_bytes_) {
        warned_over_budget_ = false;
    }
}

std::vector<OutboxEntry> Outbox::next(std::int64_t after, std::size_t limit) {
    auto q = db_.prepare(
        "SELECT seq, subtopic, payload, historical FROM mqtt_outbox WHERE seq > ? ORDER BY seq LIMIT ?");
    q.bind_all(after, static_cast<std::int64_t>(limit));
    std::vector<OutboxEntry> out;
    while (q.step())
        out.push_back({q.column_int(0), q.column_text(1), q.column_text(2), q.column_int(3) != 0});
    return out;
}

void Outbox::remove(const std::vector<std::int64_t>& seqs) {
    if (seqs.empty()) return;
    db_.transaction([&] {
        auto size = db_.prepare("SELECT length(CAST(payload AS BLOB)) FROM mqtt_outbox WHERE seq = ?");
        auto del = db_.prepare("DELETE FROM mqtt_outbox WHERE seq = ?");
        for (auto seq : seqs) {
            size.reset();
            size.bind(1, seq);
            if (!size.step()) continue;  // already gone (duplicate PUBACK after a resend)
            auto bytes = static_cast<std::size_t>(size.column_int(0));
            del.reset();
            del.bind(1, seq);
            del.step();
            --depth_;
            bytes_ -= bytes;
        }
    });
}

std::int64_t Outbox::last_seq() {
    auto q = db_.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'mqtt_outbox'");
    return q.step() ? q.column_int(0) : 0;
}

}  // namespace lykta::mqtt
