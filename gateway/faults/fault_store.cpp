#include "gateway/faults/fault_store.hpp"

#include "gateway/faults/time_text.hpp"

namespace lykta::faults {
namespace {

const std::vector<std::string> migrations = {
    "CREATE TABLE faults ("
    " number INTEGER PRIMARY KEY AUTOINCREMENT,"
    " kind TEXT NOT NULL, target TEXT NOT NULL, area TEXT NOT NULL, detail TEXT NOT NULL,"
    " raised_at INTEGER NOT NULL, cleared_at INTEGER,"
    " acknowledged_at INTEGER, acknowledged_by TEXT NOT NULL DEFAULT '', note TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX faults_open ON faults(cleared_at);"
    "CREATE INDEX faults_raised ON faults(raised_at);",
    "ALTER TABLE faults ADD COLUMN cleared_reason TEXT NOT NULL DEFAULT '';",
};

const char* columns =
    "SELECT number, kind, target, area, detail, raised_at, cleared_at, acknowledged_at, acknowledged_by, "
    "note, cleared_reason "
    "FROM faults ";

std::optional<SystemTime> optional_time(const store::Statement& st, int col) {
    if (st.column_is_null(col)) return std::nullopt;
    return from_unix_seconds(st.column_int(col));
}

}  // namespace

FaultStore::FaultStore(store::Database& db) : db_(db) {
    db_.migrate("faults", migrations);
}

std::int64_t FaultStore::insert(const Fault& fault) {
    auto st = db_.prepare("INSERT INTO faults(kind, target, area, detail, raised_at) VALUES (?, ?, ?, ?, ?)");
    st.bind_all(std::string(to_string(fault.kind)), fault.target, fault.area, fault.detail,
                unix_seconds(fault.since));
    st.step();
    return db_.last_insert_id();
}

std::int64_t FaultStore::next_number() {
    auto st = db_.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'faults'");
    return st.step() ? st.column_int(0) + 1 : 1;
}

void FaultStore::set_cleared(std::int64_t number, SystemTime at, const std::string& reason) {
    auto st = db_.prepare("UPDATE faults SET cleared_at = ?, cleared_reason = ? WHERE number = ?");
    st.bind_all(unix_seconds(at), reason, number);
    st.step();
}

void FaultStore::set_acknowledged(std::int64_t number, SystemTime at, const std::string& by,
                                  const std::string& note) {
    auto st =
        db_.prepare("UPDATE faults SET acknowledged_at = ?, acknowledged_by = ?, note = ? WHERE number = ?");
    st.bind_all(unix_seconds(at), by, note, number);
    st.step();
}

std::vector<Fault> FaultStore::query(const std::string& where, const std::vector<store::Value>& params) {
    auto st = db_.prepare(std::string(columns) + where);
    for (std::size_t i = 0; i < params.size(); ++i) st.bind(static_cast<int>(i + 1), params[i]);
    std::vector<Fault> out;
    while (st.step()) {
        auto kind = parse_kind(st.column_text(1));
        if (!kind) continue;  // written by a newer version; not ours to show
        Fault f;
        f.number = st.column_int(0);
        f.kind = *kind;
        f.target = st.column_text(2);
        f.area = st.column_text(3);
        f.detail = st.column_text(4);
        f.severity = base_severity(*kind);
        f.since = from_unix_seconds(st.column_int(5));
        f.cleared_at = optional_time(st, 6);
        f.acknowledged_at = optional_time(st, 7);
        f.acknowledged_by = st.column_text(8);
        f.note = st.column_text(9);
        f.cleared_reason = st.column_text(10);
        out.push_back(std::move(f));
    }
    return out;
}

std::optional<Fault> FaultStore::find(std::int64_t number) {
    auto rows = query("WHERE number = ?", {number});
    if (rows.empty()) return std::nullopt;
    return rows.front();
}

std::vector<Fault> FaultStore::active() {
    return query("WHERE cleared_at IS NULL ORDER BY number", {});
}

std::vector<Fault> FaultStore::history(const std::string& area, std::size_t limit) {
    auto n = static_cast<std::int64_t>(limit);
    if (area.empty()) return query("ORDER BY raised_at DESC, number DESC LIMIT ?", {n});
    return query("WHERE area = ? ORDER BY raised_at DESC, number DESC LIMIT ?", {area, n});
}

std::vector<Fault> FaultStore::raised_between(SystemTime from, SystemTime to) {
    return query("WHERE raised_at >= ? AND raised_at < ? ORDER BY number",
                 {unix_seconds(from), unix_seconds(to)});
}

int FaultStore::prune(SystemTime cutoff) {
    auto st = db_.prepare("DELETE FROM faults WHERE cleared_at IS NOT NULL AND cleared_at < ?");
    st.bind_all(unix_seconds(cutoff));
    st.step();
    return db_.changes();
}

}  // namespace lykta::faults
