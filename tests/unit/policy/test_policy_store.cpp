// Persistence on a temporary store file, reopened to simulate restarts.
#include <catch2/catch.hpp>

#include <unistd.h>
#include <filesystem>

#include "gateway/policy/policy_store.hpp"
#include "policy_test_support.hpp"

using namespace lykta;
using namespace lykta::policy;
using namespace lykta::policy::test;
namespace fs = std::filesystem;

namespace {

struct TempStore {
    fs::path dir = fs::temp_directory_path() / ("lykta-policy-test-" + std::to_string(::getpid()));
    TempStore() { fs::create_directories(dir); }
    ~TempStore() { fs::remove_all(dir); }
    std::string path() const { return (dir / "lykta.db").string(); }
};

SafetyFlag weekend_flag(const Place& place) {
    SafetyFlag f;
    f.id = "mqtt-1";
    f.area = "stationen";
    f.source = "Polisen";
    f.reason = "incidents";
    f.from = local(place, 2025, 11, 1, 0, 0);
    f.recurrence = config::Recurrence{{false, false, false, false, true, true, false}, 20 * 60, 4 * 60};
    f.profile = "trygg";
    f.origin = "mqtt";
    f.created = local(place, 2025, 10, 30, 9, 0);
    return f;
}

// One daemon "run": load the last states, compute, record.
std::vector<SafetyTransition> run_at(const std::string& path, const std::vector<SafetyFlag>& flags,
                                     const Place& place, SystemTime now) {
    store::Database db(path);
    PolicyStore store(db);
    auto result = safety_transitions(store.flag_states(), flags, place, now);
    store.record(result);
    return result.events;
}

}  // namespace

TEST_CASE("overrides survive a restart and expire on time even when the daemon was down", "[store]") {
    TempStore tmp;
    const Place place = Place::of(bastad_site);
    const auto t0 = local(place, 2025, 11, 27, 20, 0);
    {
        store::Database db(tmp.path());
        PolicyStore store(db);
        store.put_override({"o1", Scope::luminaire, "L-001", 30, 5, t0 + std::chrono::hours{1}, t0, "test"});
        store.put_override({"o2", Scope::area, "torget", 60, 0, std::nullopt, t0, ""});
        CHECK(store.take_expired_overrides(t0 + std::chrono::minutes{59}).empty());
    }
    store::Database db(tmp.path());
    PolicyStore store(db);
    auto all = store.overrides();
    REQUIRE(all.size() == 2);
    CHECK(all[0].id == "o1");
    CHECK(all[0].until == t0 + std::chrono::hours{1});
    CHECK(all[0].level == 30);
    CHECK(all[1].scope == Scope::area);
    CHECK_FALSE(all[1].until);
    // Restarted two hours later: o1 expired meanwhile and is reported once.
    auto expired = store.take_expired_overrides(t0 + std::chrono::hours{2});
    REQUIRE(expired.size() == 1);
    CHECK(expired[0].id == "o1");
    CHECK(store.take_expired_overrides(t0 + std::chrono::hours{3}).empty());
    CHECK(store.overrides().size() == 1);
    CHECK(store.remove_override("o2"));
    CHECK_FALSE(store.remove_override("o2"));
}

TEST_CASE("MQTT flags round-trip through the store", "[store]") {
    TempStore tmp;
    const Place place = Place::of(bastad_site);
    const auto flag = weekend_flag(place);
    {
        store::Database db(tmp.path());
        PolicyStore(db).put_flag(flag);
    }
    store::Database db(tmp.path());
    PolicyStore store(db);
    auto flags = store.flags();
    REQUIRE(flags.size() == 1);
    const auto& f = flags[0];
    CHECK(f.id == flag.id);
    CHECK(f.source == "Polisen");
    CHECK(f.from == flag.from);
    CHECK_FALSE(f.until);
    REQUIRE(f.recurrence);
    CHECK(f.recurrence->weekdays == flag.recurrence->weekdays);
    CHECK(f.recurrence->from_minutes == 20 * 60);
    CHECK(f.recurrence->to_minutes == 4 * 60);
    CHECK(f.created == flag.created);
    CHECK(store.remove_flag(flag.id));
    CHECK(store.flags().empty());
}

TEST_CASE("safety transitions across restarts are neither duplicated nor lost", "[store][flags]") {
    TempStore tmp;
    const Place place = Place::of(bastad_site);
    const std::vector<SafetyFlag> flags{weekend_flag(place)};
    // Thursday: first run, nothing in force.
    CHECK(run_at(tmp.path(), flags, place, local(place, 2025, 11, 27, 12, 0)).empty());
    // Friday 20:00: started.
    auto e = run_at(tmp.path(), flags, place, local(place, 2025, 11, 28, 20, 0));
    REQUIRE(e.size() == 1);
    CHECK(e[0].started);
    CHECK(e[0].at == local(place, 2025, 11, 28, 20, 0));
    // Restart at 23:00 in the same window: nothing new.
    CHECK(run_at(tmp.path(), flags, place, local(place, 2025, 11, 28, 23, 0)).empty());
    // Down from 23:00 Friday until Monday: the missed changes, in order, with their real times.
    e = run_at(tmp.path(), flags, place, local(place, 2025, 12, 1, 9, 0));
    REQUIRE(e.size() == 3);
    CHECK_FALSE(e[0].started);
    CHECK(e[0].at == local(place, 2025, 11, 29, 4, 0));
    CHECK(e[1].started);
    CHECK(e[1].at == local(place, 2025, 11, 29, 20, 0));
    CHECK_FALSE(e[2].started);
    CHECK(e[2].at == local(place, 2025, 11, 30, 4, 0));
    CHECK(run_at(tmp.path(), flags, place, local(place, 2025, 12, 1, 10, 0)).empty());
    // In force again on Friday, then cleared while in force: one ended, flagged as removal.
    REQUIRE(run_at(tmp.path(), flags, place, local(place, 2025, 12, 5, 21, 0)).size() == 1);
    e = run_at(tmp.path(), {}, place, local(place, 2025, 12, 5, 22, 0));
    REQUIRE(e.size() == 1);
    CHECK_FALSE(e[0].started);
    CHECK(e[0].flag_removed);
    CHECK(run_at(tmp.path(), {}, place, local(place, 2025, 12, 5, 23, 0)).empty());
}

TEST_CASE("a long outage replays at most max_replay changes and stays consistent", "[store][flags]") {
    const Place place = Place::of(bastad_site);
    const std::vector<SafetyFlag> flags{weekend_flag(place)};
    std::vector<FlagState> last{{"mqtt-1", "stationen", true, local(place, 2025, 11, 28, 20, 0)}};
    auto r = safety_transitions(last, flags, place, local(place, 2026, 3, 2, 12, 0), 5);
    REQUIRE_FALSE(r.events.empty());
    CHECK(r.events.size() <= 5);
    CHECK_FALSE(r.events.front().started);  // the last announcement was a start
    for (std::size_t i = 1; i < r.events.size(); ++i) CHECK(r.events[i].started != r.events[i - 1].started);
    REQUIRE(r.states.size() == 1);
    CHECK_FALSE(r.states[0].in_force);
}

TEST_CASE("schedule revisions count up and an expected revision guards against lost updates", "[store]") {
    TempStore tmp;
    const auto t = utc(2025, 11, 25, 12, 0);
    store::Database db(tmp.path());
    PolicyStore store(db);
    CHECK(store.schedule_revision() == 0);
    CHECK_FALSE(store.latest_schedule());
    CHECK(store.save_schedule("profiles: {}", t) == 1);
    CHECK(store.save_schedule("profiles: {a: []}", t, 1) == 2);
    CHECK_THROWS_AS(store.save_schedule("profiles: {b: []}", t, 1), RevisionConflict);
    auto latest = store.latest_schedule();
    REQUIRE(latest);
    CHECK(latest->revision == 2);
    CHECK(latest->text == "profiles: {a: []}");
}

TEST_CASE("flag states kept in memory stay equal to the table across records", "[store][flags]") {
    TempStore tmp;
    const Place place = Place::of(bastad_site);
    auto second = weekend_flag(place);
    second.id = "mqtt-0";  // sorts before mqtt-1
    second.recurrence->from_minutes = 18 * 60;
    store::Database db(tmp.path());
    PolicyStore store(db);
    auto same_as_table = [&] {
        PolicyStore fresh(db);  // reads the table
        const auto& table = fresh.flag_states();
        const auto& memory = store.flag_states();
        REQUIRE(memory.size() == table.size());
        for (std::size_t i = 0; i < table.size(); ++i) {
            CHECK(memory[i].flag_id == table[i].flag_id);
            CHECK(memory[i].area == table[i].area);
            CHECK(memory[i].in_force == table[i].in_force);
            CHECK(memory[i].changed_at == table[i].changed_at);
        }
        return memory.size();
    };
    const std::vector<std::pair<std::vector<SafetyFlag>, SystemTime>> runs{
        {{weekend_flag(place)}, local(place, 2025, 11, 27, 12, 0)},
        {{weekend_flag(place), second}, local(place, 2025, 11, 28, 19, 0)},  // second starts
        {{weekend_flag(place), second}, local(place, 2025, 11, 28, 20, 30)},
        {{second}, local(place, 2025, 11, 28, 21, 0)},  // mqtt-1 gone while in force
        {{second}, local(place, 2025, 12, 1, 9, 0)},
        {{}, local(place, 2025, 12, 2, 9, 0)},
    };
    const std::vector<std::size_t> sizes{1, 2, 2, 1, 1, 0};
    for (std::size_t i = 0; i < runs.size(); ++i) {
        INFO("run " << i);
        store.record(safety_transitions(store.flag_states(), runs[i].first, place, runs[i].second));
        CHECK(same_as_table() == sizes[i]);
    }
}
