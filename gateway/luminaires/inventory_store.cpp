#include "gateway/luminaires/inventory_store.hpp"

#include <nlohmann/json.hpp>

#include "gateway/luminaires/inventory_json.hpp"

namespace lykta::luminaires {
namespace {

const std::vector<std::string> migrations = {
    "CREATE TABLE inventory ("
    " luminaire TEXT PRIMARY KEY,"
    " bus TEXT NOT NULL, address INTEGER NOT NULL, area TEXT NOT NULL,"
    " lat REAL, lon REAL, street TEXT,"
    " first_gtin INTEGER, first_identification TEXT, first_firmware INTEGER, first_read_at INTEGER,"
    " gtin INTEGER, identification TEXT, firmware INTEGER, last_bank INTEGER, luminaire_data TEXT,"
    " read_at INTEGER, attempted_at INTEGER, problem TEXT NOT NULL DEFAULT '',"
    " swaps INTEGER NOT NULL DEFAULT 0, changed_at INTEGER)",
};

// 64-bit identification numbers do not fit SQLite's signed integers: stored as 16 hex digits.
store::Value identification_value(const std::optional<std::uint64_t>& v, const std::string& text) {
    return v ? store::Value(text) : store::Value(nullptr);
}

template <class T>
store::Value int_value(const std::optional<T>& v) {
    return v ? store::Value(static_cast<std::int64_t>(*v)) : store::Value(nullptr);
}

store::Value time_value(const std::optional<SystemTime>& t) {
    if (!t) return nullptr;
    return static_cast<std::int64_t>(
        std::chrono::duration_cast<std::chrono::seconds>(t->time_since_epoch()).count());
}

std::optional<SystemTime> time_at(const store::Statement& st, int col) {
    if (st.column_is_null(col)) return std::nullopt;
    return SystemTime(std::chrono::seconds(st.column_int(col)));
}

template <class T>
std::optional<T> int_at(const store::Statement& st, int col) {
    if (st.column_is_null(col)) return std::nullopt;
    return static_cast<T>(st.column_int(col));
}

std::optional<std::uint64_t> hex_at(const store::Statement& st, int col) {
    if (st.column_is_null(col)) return std::nullopt;
    try {
        return std::stoull(st.column_text(col), nullptr, 16);
    } catch (const std::exception&) {
        return std::nullopt;  // a damaged value is "unknown", not a reason to lose the row
    }
}

const char* select_columns =
    "SELECT luminaire, bus, address, area, lat, lon, street, first_gtin, first_identification, "
    "first_firmware, first_read_at, gtin, identification, firmware, last_bank, luminaire_data, read_at, "
    "attempted_at, problem, swaps, changed_at FROM inventory";

InventoryRecord record_at(const store::Statement& st) {
    InventoryRecord r;
    r.luminaire = st.column_text(0);
    r.bus = st.column_text(1);
    r.address = static_cast<int>(st.column_int(2));
    r.area = st.column_text(3);
    if (!st.column_is_null(4) && !st.column_is_null(5)) {
        r.location.present = true;
        r.location.lat = st.column_double(4);
        r.location.lon = st.column_double(5);
        r.location.street = st.column_text(6);
    }
    r.first.address = r.current.address = r.address;
    r.first.gtin = int_at<std::uint64_t>(st, 7);
    r.first.identification = hex_at(st, 8);
    r.first.firmware = int_at<std::uint16_t>(st, 9);
    r.first_read_at = time_at(st, 10);
    r.first.answered = r.first_read_at.has_value();
    r.current.gtin = int_at<std::uint64_t>(st, 11);
    r.current.identification = hex_at(st, 12);
    r.current.firmware = int_at<std::uint16_t>(st, 13);
    r.current.last_bank = int_at<std::uint8_t>(st, 14);
    if (!st.column_is_null(15)) {
        auto j = nlohmann::json::parse(st.column_text(15), nullptr, false);
        if (!j.is_discarded() && j.is_object()) r.current.luminaire = luminaire_data_from_json(j);
    }
    r.read_at = time_at(st, 16);
    r.current.answered = r.read_at.has_value();
    r.attempted_at = time_at(st, 17);
    r.problem = st.column_text(18);
    r.swaps = static_cast<int>(st.column_int(19));
    r.changed_at = time_at(st, 20);
    return r;
}

}  // namespace

InventoryStore::InventoryStore(store::Database& db) : db_(db) {
    db_.migrate("inventory", migrations);
}

std::map<std::string, InventoryRecord> InventoryStore::load() {
    auto st = db_.prepare(std::string(select_columns));
    std::map<std::string, InventoryRecord> out;
    while (st.step()) {
        auto r = record_at(st);
        out.emplace(r.luminaire, std::move(r));
    }
    return out;
}

std::optional<InventoryRecord> InventoryStore::find(const std::string& luminaire) {
    auto st = db_.prepare(std::string(select_columns) + " WHERE luminaire = ?");
    st.bind_all(luminaire);
    if (!st.step()) return std::nullopt;
    return record_at(st);
}

void InventoryStore::save(const std::vector<InventoryRecord>& records) {
    if (records.empty()) return;
    db_.transaction([&] {
        auto st = db_.prepare(
            "INSERT OR REPLACE INTO inventory(luminaire, bus, address, area, lat, lon, street, first_gtin, "
            "first_identification, first_firmware, first_read_at, gtin, identification, firmware, last_bank, "
            "luminaire_data, read_at, attempted_at, problem, swaps, changed_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        for (const auto& r : records) {
            st.reset();
            const bool located = r.location.present;
            st.bind_all(r.luminaire, r.bus, static_cast<std::int64_t>(r.address), r.area);
            st.bind(5, located ? store::Value(r.location.lat) : store::Value(nullptr));
            st.bind(6, located ? store::Value(r.location.lon) : store::Value(nullptr));
            st.bind(7, located ? store::Value(r.location.street) : store::Value(nullptr));
            st.bind(8, int_value(r.first.gtin));
            st.bind(9, identification_value(r.first.identification, r.first.identification_text()));
            st.bind(10, int_value(r.first.firmware));
            st.bind(11, time_value(r.first_read_at));
            st.bind(12, int_value(r.current.gtin));
            st.bind(13, identification_value(r.current.identification, r.current.identification_text()));
            st.bind(14, int_value(r.current.firmware));
            st.bind(15, int_value(r.current.last_bank));
            st.bind(16, r.current.luminaire ? store::Value(luminaire_data_json(*r.current.luminaire).dump())
                                            : store::Value(nullptr));
            st.bind(17, time_value(r.read_at));
            st.bind(18, time_value(r.attempted_at));
            st.bind(19, r.problem);
            st.bind(20, static_cast<std::int64_t>(r.swaps));
            st.bind(21, time_value(r.changed_at));
            st.step();
        }
    });
}

}  // namespace lykta::luminaires
