#include "gateway/policy/policy_store.hpp"

#include <algorithm>

namespace lykta::policy {
namespace {

// Instants are whole seconds since the Unix epoch, UTC.
std::int64_t to_db(SystemTime t) {
    return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}
SystemTime from_db(std::int64_t s) {
    return SystemTime{std::chrono::seconds{s}};
}

store::Value optional_time(const std::optional<SystemTime>& t) {
    if (!t) return nullptr;
    return to_db(*t);
}
std::optional<SystemTime> optional_time(const store::Statement& q, int col) {
    if (q.column_is_null(col)) return std::nullopt;
    return from_db(q.column_int(col));
}

std::string weekdays_text(const config::WeekdaySet& days) {
    std::string s;
    for (bool d : days) s += d ? '1' : '0';
    return s;
}
config::WeekdaySet weekdays_from(const std::string& s) {
    config::WeekdaySet days{};
    for (std::size_t i = 0; i < days.size() && i < s.size(); ++i) days[i] = s[i] == '1';
    return days;
}

const std::vector<std::string> migrations{
    "CREATE TABLE policy_overrides (id TEXT PRIMARY KEY, scope TEXT NOT NULL, target TEXT NOT NULL,"
    " level REAL NOT NULL, fade_s REAL NOT NULL, until INTEGER, created INTEGER NOT NULL, reason TEXT NOT "
    "NULL);"
    "CREATE TABLE policy_flags (id TEXT PRIMARY KEY, area TEXT NOT NULL, source TEXT NOT NULL,"
    " reason TEXT NOT NULL, valid_from INTEGER, valid_until INTEGER, rec_weekdays TEXT, rec_from INTEGER,"
    " rec_to INTEGER, profile TEXT NOT NULL, origin TEXT NOT NULL, created INTEGER);"
    "CREATE TABLE policy_schedule_revisions (revision INTEGER PRIMARY KEY, text TEXT NOT NULL,"
    " created INTEGER NOT NULL);"
    "CREATE TABLE policy_flag_states (flag_id TEXT PRIMARY KEY, area TEXT NOT NULL,"
    " in_force INTEGER NOT NULL, changed_at INTEGER NOT NULL);",
};

Override read_override(const store::Statement& q) {
    Override o;
    o.id = q.column_text(0);
    o.scope = q.column_text(1) == "area" ? Scope::area : Scope::luminaire;
    o.target = q.column_text(2);
    o.level = q.column_double(3);
    o.fade_s = q.column_double(4);
    o.until = optional_time(q, 5);
    o.created = from_db(q.column_int(6));
    o.reason = q.column_text(7);
    return o;
}

constexpr const char* override_columns = "id, scope, target, level, fade_s, until, created, reason";

}  // namespace

RevisionConflict::RevisionConflict(std::int64_t expected_revision, std::int64_t current_revision)
    : std::runtime_error("schedule revision is " + std::to_string(current_revision) + ", not the expected " +
                         std::to_string(expected_revision)),
      expected(expected_revision),
      current(current_revision) {}

PolicyStore::PolicyStore(store::Database& db) : db_(db) {
    db_.migrate("policy", migrations);
}

void PolicyStore::put_override(const Override& o) {
    auto q = db_.prepare(std::string("INSERT OR REPLACE INTO policy_overrides(") + override_columns +
                         ") VALUES(?, ?, ?, ?, ?, ?, ?, ?)");
    q.bind_all(o.id, std::string(o.scope == Scope::area ? "area" : "luminaire"), o.target, o.level, o.fade_s);
    q.bind(6, optional_time(o.until));
    q.bind(7, to_db(o.created));
    q.bind(8, o.reason);
    q.step();
}

bool PolicyStore::remove_override(const std::string& id) {
    auto q = db_.prepare("DELETE FROM policy_overrides WHERE id = ?");
    q.bind_all(id);
    q.step();
    return db_.changes() > 0;
}

void PolicyStore::remove_overrides(const std::vector<std::string>& ids) {
    db_.transaction([&] {
        for (const auto& id : ids) remove_override(id);
    });
}

std::vector<Override> PolicyStore::overrides() {
    auto q = db_.prepare(std::string("SELECT ") + override_columns +
                         " FROM policy_overrides ORDER BY created, id");
    std::vector<Override> out;
    while (q.step()) out.push_back(read_override(q));
    return out;
}

std::vector<Override> PolicyStore::take_expired_overrides(SystemTime now) {
    std::vector<Override> out;
    db_.transaction([&] {
        auto q =
            db_.prepare(std::string("SELECT ") + override_columns +
                        " FROM policy_overrides WHERE until IS NOT NULL AND until <= ? ORDER BY until, id");
        q.bind_all(to_db(now));
        while (q.step()) out.push_back(read_override(q));
        auto del = db_.prepare("DELETE FROM policy_overrides WHERE until IS NOT NULL AND until <= ?");
        del.bind_all(to_db(now));
        del.step();
    });
    return out;
}

void PolicyStore::put_flag(const SafetyFlag& f) {
    auto q = db_.prepare(
        "INSERT OR REPLACE INTO policy_flags(id, area, source, reason, valid_from, valid_until, rec_weekdays,"
        " rec_from, rec_to, profile, origin, created) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    q.bind_all(f.id, f.area, f.source, f.reason);
    q.bind(5, optional_time(f.from));
    q.bind(6, optional_time(f.until));
    if (f.recurrence) {
        q.bind(7, weekdays_text(f.recurrence->weekdays));
        q.bind(8, std::int64_t{f.recurrence->from_minutes});
        q.bind(9, std::int64_t{f.recurrence->to_minutes});
    } else {
        for (int i : {7, 8, 9}) q.bind(i, nullptr);
    }
    q.bind(10, f.profile);
    q.bind(11, f.origin);
    q.bind(12, optional_time(f.created));
    q.step();
}

bool PolicyStore::remove_flag(const std::string& id) {
    auto q = db_.prepare("DELETE FROM policy_flags WHERE id = ?");
    q.bind_all(id);
    q.step();
    return db_.changes() > 0;
}

std::vector<SafetyFlag> PolicyStore::flags() {
    auto q = db_.prepare(
        "SELECT id, area, source, reason, valid_from, valid_until, rec_weekdays, rec_from, rec_to, profile,"
        " origin, created FROM policy_flags ORDER BY id");
    std::vector<SafetyFlag> out;
    while (q.step()) {
        SafetyFlag f;
        f.id = q.column_text(0);
        f.area = q.column_text(1);
        f.source = q.column_text(2);
        f.reason = q.column_text(3);
        f.from = optional_time(q, 4);
        f.until = optional_time(q, 5);
        if (!q.column_is_null(6))
            f.recurrence =
                config::Recurrence{weekdays_from(q.column_text(6)), static_cast<int>(q.column_int(7)),
                                   static_cast<int>(q.column_int(8))};
        f.profile = q.column_text(9);
        f.origin = q.column_text(10);
        f.created = optional_time(q, 11);
        out.push_back(std::move(f));
    }
    return out;
}

std::int64_t PolicyStore::schedule_revision() {
    auto q = db_.prepare("SELECT COALESCE(MAX(revision), 0) FROM policy_schedule_revisions");
    q.step();
    return q.column_int(0);
}

std::int64_t PolicyStore::save_schedule(const std::string& text, SystemTime now,
                                        std::optional<std::int64_t> expected) {
    std::int64_t revision = 0;
    db_.transaction([&] {
        const auto current = schedule_revision();
        if (expected && *expected != current) throw RevisionConflict(*expected, current);
        revision = current + 1;
        auto q =
            db_.prepare("INSERT INTO policy_schedule_revisions(revision, text, created) VALUES(?, ?, ?)");
        q.bind_all(revision, text, to_db(now));
        q.step();
    });
    return revision;
}

std::optional<ScheduleRevision> PolicyStore::latest_schedule() {
    auto q = db_.prepare(
        "SELECT revision, text, created FROM policy_schedule_revisions ORDER BY revision DESC LIMIT 1");
    if (!q.step()) return std::nullopt;
    return ScheduleRevision{q.column_int(0), q.column_text(1), from_db(q.column_int(2))};
}

const std::vector<FlagState>& PolicyStore::flag_states() {
    if (flag_states_) return *flag_states_;
    auto q =
        db_.prepare("SELECT flag_id, area, in_force, changed_at FROM policy_flag_states ORDER BY flag_id");
    std::vector<FlagState> out;
    while (q.step())
        out.push_back({q.column_text(0), q.column_text(1), q.column_int(2) != 0, from_db(q.column_int(3))});
    return flag_states_.emplace(std::move(out));
}

void PolicyStore::record(const TransitionResult& result) {
    db_.transaction([&] {
        for (const auto& s : result.states) {
            auto q = db_.prepare(
                "INSERT OR REPLACE INTO policy_flag_states(flag_id, area, in_force, changed_at) VALUES(?, ?, "
                "?, ?)");
            q.bind_all(s.flag_id, s.area, std::int64_t{s.in_force ? 1 : 0}, to_db(s.changed_at));
            q.step();
        }
        for (const auto& id : result.forget) {
            auto q = db_.prepare("DELETE FROM policy_flag_states WHERE flag_id = ?");
            q.bind_all(id);
            q.step();
        }
    });
    if (!flag_states_) return;  // read from the table on first use
    auto& states = *flag_states_;
    auto find = [&](const std::string& id) {
        return std::lower_bound(states.begin(), states.end(), id,
                                [](const FlagState& s, const std::string& key) { return s.flag_id < key; });
    };
    for (const auto& s : result.states) {  // INSERT OR REPLACE, kept in flag id order
        auto it = find(s.flag_id);
        if (it != states.end() && it->flag_id == s.flag_id)
            *it = s;
        else
            states.insert(it, s);
    }
    for (const auto& id : result.forget)
        if (auto it = find(id); it != states.end() && it->flag_id == id) states.erase(it);
}

}  // namespace lykta::policy
