#include <catch2/catch.hpp>

#include "gateway/config/faults_section.hpp"
#include "gateway/config/loader.hpp"
#include "gateway/faults/fault_settings.hpp"
#include "gateway/faults/target_tracker.hpp"
#include "gateway/faults/time_text.hpp"

using namespace lykta;
using namespace lykta::faults;
using namespace std::chrono_literals;

namespace {

const std::string base = R"(version: 1
gateway: { id: gw1 }
site: { latitude: 56.4, longitude: 12.8, timezone: Europe/Stockholm }
)";

std::string diagnostics(const config::LoadResult& r) {
    std::string out;
    for (const auto& d : r.diagnostics) out += d.to_string() + "\n";
    return out;
}

}  // namespace

TEST_CASE("the config's fault kind names are exactly the FaultKind names", "[faults][config]") {
    const auto& names = config::fault_kind_names();
    REQUIRE(names.size() == std::size(all_kinds));
    for (const auto& n : names) CHECK(parse_kind(n));
}

TEST_CASE("faults and statistics sections become settings", "[faults][config]") {
    auto r = config::load_string(base + R"(faults:
  history_days: 30
  fade_grace_s: 60
  night_outage_ratio: 0.3
  energy_tolerance_pct: 10
  debounce:
    lamp_failure: { raise_after: 4 }
    door_open: { raise_after: 1, clear_after: 5 }
statistics: { lit_ok_ratio: 0.8, flush_s: 60 }
)",
                                 "test.yaml");
    INFO(diagnostics(r));
    REQUIRE(r.config);
    auto s = fault_settings(r.config->faults);
    CHECK(s.history == std::chrono::hours(24 * 30));
    CHECK(s.detection.fade_grace_s == 60);
    CHECK(s.detection.night_outage_ratio == 0.3);
    CHECK(s.detection.energy_tolerance == Approx(0.1));
    CHECK(s.debounce.rule(FaultKind::lamp_failure).raise_after == 4);
    CHECK(s.debounce.rule(FaultKind::lamp_failure).clear_after ==
          default_debounce(FaultKind::lamp_failure).clear_after);
    CHECK(s.debounce.rule(FaultKind::door_open).clear_after == 5);
    CHECK(s.debounce.rule(FaultKind::no_answer).raise_after == 3);
    CHECK(r.config->statistics.lit_ok_ratio == 0.8);
}

TEST_CASE("bad faults sections are reported with their position", "[faults][config]") {
    auto r = config::load_string(base + R"(faults:
  history_days: 0
  debounce:
    lamp_failur: { raise_after: 2 }
    door_open: { raise_after: -1 }
)",
                                 "test.yaml");
    auto text = diagnostics(r);
    CHECK_FALSE(r.config);
    CHECK(text.find("test.yaml:5:17") != std::string::npos);  // history_days
    CHECK(text.find("did you mean 'lamp_failure'") != std::string::npos);
    CHECK(text.find("faults.debounce.door_open.raise_after") != std::string::npos);
}

TEST_CASE("the target tracker keeps the time of the last change", "[faults][detectors]") {
    TargetTracker tracker;
    auto t = from_unix_seconds(1'795'000'000);
    CHECK(tracker.update("L-1", 50, t).target_since == t);
    CHECK(tracker.update("L-1", 50, t + 10min).target_since == t);
    CHECK(tracker.update("L-1", 0, t + 20min).target_since == t + 20min);
    CHECK(tracker.get("L-1")->target == 0);
    tracker.forget("L-1");
    CHECK_FALSE(tracker.get("L-1"));
}

TEST_CASE("retiring a target clears its faults", "[faults][book]") {
    store::Database db(":memory:");
    ManualClock clock(from_unix_seconds(1'795'000'000));
    std::vector<nlohmann::json> events;
    FaultSettings s;
    s.debounce.set(FaultKind::lamp_failure, {1, 3});
    FaultBook book(db, clock, s, {nullptr, [&](nlohmann::json e) { events.push_back(e); }, nullptr, nullptr});
    book.observe({clock.now(), FaultKind::lamp_failure, "luminaire/L-9", "a", true, ""});
    REQUIRE(book.active().size() == 1);
    book.retire("luminaire/L-9", clock.now() + 1h);
    CHECK(book.active().empty());
    REQUIRE(events.back()["type"] == "fault.cleared");
    auto retired = events.back()["fault"]["id"].get<std::string>();
    // a new failure after re-adding is a new fault
    book.observe({clock.now() + 2h, FaultKind::lamp_failure, "luminaire/L-9", "a", true, ""});
    REQUIRE(book.active().size() == 1);
    CHECK(book.active()[0].id() != retired);
}

TEST_CASE("retired faults keep their reason in the history and are no repair", "[faults][book]") {
    store::Database db(":memory:");
    ManualClock clock(from_unix_seconds(1'795'000'000));
    std::vector<nlohmann::json> events, alarms;
    int repairs = 0;
    FaultSettings s;
    s.debounce.set(FaultKind::lamp_failure, {1, 1});
    FaultBook book(
        db, clock, s,
        {[&](nlohmann::json a) { alarms.push_back(a); }, [&](nlohmann::json e) { events.push_back(e); },
         nullptr, [&](const Fault&) { ++repairs; }});
    book.observe({clock.now(), FaultKind::lamp_failure, "luminaire/L-1", "a", true, ""});
    book.observe({clock.now(), FaultKind::lamp_failure, "luminaire/L-2", "b", true, ""});
    REQUIRE(book.active().size() == 2);

    CHECK(book.retire_if([](const Fault& f) { return f.area == "b"; }, clock.now() + 1h) == 1);
    REQUIRE(book.active().size() == 1);
    CHECK(book.active()[0].target == "luminaire/L-1");
    CHECK(alarms.back()["active"].size() == 1);
    REQUIRE(events.back()["type"] == "fault.cleared");
    CHECK(events.back()["reason"] == FaultBook::retired_reason);
    CHECK(events.back()["fault"]["target"] == "luminaire/L-2");
    CHECK(repairs == 0);

    auto history = book.history("b", 10);
    REQUIRE(history.size() == 1);
    CHECK(history[0].cleared_at == clock.now() + 1h);
    CHECK(history[0].cleared_reason == FaultBook::retired_reason);
    CHECK(fault_record_json(history[0], nullptr)["cleared_reason"] == FaultBook::retired_reason);

    // A normal clear has no reason and counts as a repair.
    book.observe({clock.now() + 2h, FaultKind::lamp_failure, "luminaire/L-1", "a", false, ""});
    CHECK(book.active().empty());
    CHECK(repairs == 1);
    CHECK_FALSE(events.back().contains("reason"));
    CHECK_FALSE(fault_record_json(book.history("a", 1)[0], nullptr).contains("cleared_reason"));
    CHECK(book.retire_if([](const Fault&) { return true; }, clock.now()) == 0);

    // A luminaire moved to another area: closed with that reason, raised anew in the new area.
    book.observe({clock.now() + 3h, FaultKind::lamp_failure, "luminaire/L-1", "a", true, ""});
    REQUIRE(book.active().size() == 1);
    CHECK(book.retire_if([](const Fault& f) { return f.area == "a"; }, clock.now() + 4h,
                         FaultBook::moved_reason) == 1);
    CHECK(events.back()["reason"] == FaultBook::moved_reason);
    CHECK(book.history("a", 1)[0].cleared_reason == FaultBook::moved_reason);
    CHECK(repairs == 1);
    book.observe({clock.now() + 5h, FaultKind::lamp_failure, "luminaire/L-1", "c", true, ""});
    REQUIRE(book.active().size() == 1);
    CHECK(book.active()[0].area == "c");
}
