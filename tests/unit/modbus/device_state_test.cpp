// DeviceState on virtual time: availability after N failures and on recovery,
// change-only publishing with deadbands, the periodic full publish, and bad
// data that is counted and reported once per transition, never published.
#include <catch2/catch.hpp>

#include <bit>

#include "drivers/modbus/device_state.hpp"

using namespace lykta;
using namespace lykta::modbus;
using namespace std::chrono_literals;

namespace {

DeviceTemplate meter() {
    DeviceTemplate t;
    ValueSpec v;
    v.name = "voltage";
    v.table = RegisterType::input;
    v.address = 0;
    v.type = DataType::f32;
    v.deadband = 0.5;
    v.min = 0;
    v.max = 1000;
    t.values.push_back(v);
    v.name = "energy";
    v.address = 2;
    v.deadband = 0;
    v.max.reset();
    t.values.push_back(v);
    return t;
}

const ReadRequest whole{RegisterType::input, 0, 4, {0, 1}};

std::vector<std::uint16_t> words(float voltage, float energy) {
    auto a = std::bit_cast<std::uint32_t>(voltage);
    auto b = std::bit_cast<std::uint32_t>(energy);
    return {static_cast<std::uint16_t>(a >> 16), static_cast<std::uint16_t>(a),
            static_cast<std::uint16_t>(b >> 16), static_cast<std::uint16_t>(b)};
}

ReadResult good(float voltage, float energy) {
    ReadResult r;
    r.words = words(voltage, energy);
    return r;
}

ReadResult failed(Outcome outcome) {
    ReadResult r;
    r.outcome = outcome;
    r.error = "unit 1 input 0+4: " + std::string(to_string(outcome));
    return r;
}

}  // namespace

TEST_CASE("a device becomes available on its first good read and publishes it") {
    auto t = meter();
    DeviceState s(t, 3, 300);
    ManualClock clock;
    CHECK_FALSE(s.available());
    auto tr = s.apply(whole, good(230, 1.5f), clock.now());
    CHECK(s.available());
    REQUIRE(tr.size() == 1);
    CHECK(tr[0].what == "available");
    CHECK(*s.value(0) == 230);
    CHECK(*s.value(1) == 1.5);
    CHECK(s.should_publish(clock.now()));
}

TEST_CASE("N consecutive failures make a device unavailable; a good read brings it back") {
    auto t = meter();
    DeviceState s(t, 3, 300);
    ManualClock clock;
    s.apply(whole, good(230, 1), clock.now());
    s.mark_published(clock.now());
    auto first = s.apply(whole, failed(Outcome::timeout), clock.now());
    REQUIRE(first.size() == 1);  // logged once when reads start failing
    CHECK(first[0].problem);
    CHECK(s.apply(whole, failed(Outcome::timeout), clock.now()).empty());
    CHECK(s.available());
    CHECK_FALSE(s.should_publish(clock.now()));
    auto third = s.apply(whole, failed(Outcome::bad_response), clock.now());
    CHECK_FALSE(s.available());
    REQUIRE(third.size() == 1);
    CHECK(third[0].what.find("unavailable") != std::string::npos);
    CHECK(s.should_publish(clock.now()));
    s.mark_published(clock.now());
    CHECK(s.apply(whole, failed(Outcome::link_down), clock.now()).empty());
    CHECK(*s.value(0) == 230);  // last good value kept
    auto back = s.apply(whole, good(231, 1), clock.now());
    CHECK(s.available());
    CHECK(back.size() == 2);  // "reads succeed again" + "available"
    CHECK(s.should_publish(clock.now()));
    CHECK(s.counters().failed_reads == 4);
}

TEST_CASE("exception responses are counted but do not make a device unavailable") {
    auto t = meter();
    DeviceState s(t, 1, 300);
    ManualClock clock;
    s.apply(whole, good(230, 1), clock.now());
    auto ex = failed(Outcome::exception);
    ex.exception_code = 2;
    for (int i = 0; i < 5; ++i) s.apply(whole, ex, clock.now());
    CHECK(s.available());
    CHECK(s.counters().exceptions == 5);
}

TEST_CASE("changes within the deadband are not published until the full publish is due") {
    auto t = meter();
    DeviceState s(t, 3, 300);
    ManualClock clock;
    s.apply(whole, good(230, 1), clock.now());
    s.mark_published(clock.now());
    clock.advance(1s);
    s.apply(whole, good(230.4f, 1), clock.now());
    CHECK_FALSE(s.should_publish(clock.now()));
    s.apply(whole, good(230.6f, 1), clock.now());
    CHECK(s.should_publish(clock.now()));  // 0.6 from the published 230
    s.mark_published(clock.now());
    s.apply(whole, good(230.6f, 1.01f), clock.now());
    CHECK(s.should_publish(clock.now()));  // deadband 0: any change
    s.mark_published(clock.now());
    clock.advance(299s);
    CHECK_FALSE(s.should_publish(clock.now()));
    clock.advance(1s);
    CHECK(s.should_publish(clock.now()));  // periodic full publish
}

TEST_CASE("NaN and out-of-range values are counted, reported once, and never replace the good value") {
    auto t = meter();
    DeviceState s(t, 3, 300);
    ManualClock clock;
    s.apply(whole, good(230, 1), clock.now());
    auto nan = s.apply(whole, good(std::numeric_limits<float>::quiet_NaN(), 1), clock.now());
    REQUIRE(nan.size() == 1);
    CHECK(nan[0].what == "voltage: not a finite number");
    CHECK(*s.value(0) == 230);
    CHECK(s.apply(whole, good(std::numeric_limits<float>::infinity(), 1), clock.now()).empty());
    auto range = s.apply(whole, good(5000, 1), clock.now());
    CHECK(range.empty());  // still bad: no new transition
    auto ok = s.apply(whole, good(229, 1), clock.now());
    REQUIRE(ok.size() == 1);
    CHECK_FALSE(ok[0].problem);
    CHECK(*s.value(0) == 229);
    CHECK(s.counters().bad_values == 3);
    CHECK(s.available());
}

TEST_CASE("a short response is bad data for the values it misses") {
    auto t = meter();
    DeviceState s(t, 3, 300);
    ReadResult r;
    r.words = {0x4366, 0x8000};
    s.apply(whole, r, SystemTime{});
    CHECK(*s.value(0) == 230.5);
    CHECK_FALSE(s.value(1).has_value());
    CHECK(s.counters().bad_values == 1);
}
