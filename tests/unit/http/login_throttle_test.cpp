#include <catch2/catch.hpp>

#include "gateway/http/login_throttle.hpp"

using namespace lykta::http;
using namespace std::chrono_literals;

TEST_CASE("login throttle: each wrong password doubles the wait of its address") {
    LoginThrottle t;
    auto now = LoginThrottle::Clock::time_point{} + 1h;
    CHECK(t.wait_for("10.0.0.5", now) == 0ms);
    CHECK(t.failed("10.0.0.5", now) == 500ms);
    CHECK(t.wait_for("10.0.0.5", now) == 500ms);
    CHECK(t.wait_for("10.0.0.5", now + 499ms) == 1ms);
    CHECK(t.wait_for("10.0.0.5", now + 500ms) == 0ms);
    CHECK(t.failed("10.0.0.5", now + 1s) == 1000ms);
    CHECK(t.failed("10.0.0.5", now + 3s) == 2000ms);
    CHECK(t.failed("10.0.0.5", now + 6s) == 4000ms);
    CHECK(t.failures("10.0.0.5") == 4);
    // Another address is not slowed by this one.
    CHECK(t.wait_for("10.0.0.6", now + 6s) == 0ms);
}

TEST_CASE("login throttle: capped, reset by a success, forgotten after a quiet time") {
    LoginThrottle t;
    auto now = LoginThrottle::Clock::time_point{} + 1h;
    std::chrono::milliseconds last{};
    for (int i = 0; i < 40; ++i) last = t.failed("a", now);
    CHECK(last == 60'000ms);
    t.succeeded("a");
    CHECK(t.wait_for("a", now) == 0ms);
    CHECK(t.failed("a", now) == 500ms);
    CHECK(t.failed("b", now) == 500ms);
    CHECK(t.failed("b", now + 16min) == 500ms);  // quiet for longer than forget_after: starts over
}

TEST_CASE("login throttle: tracks a bounded number of addresses") {
    LoginThrottle t(LoginThrottle::Limits{500ms, 60s, 15min, 3});
    auto now = LoginThrottle::Clock::time_point{} + 1h;
    t.failed("a", now);
    t.failed("b", now + 1s);
    t.failed("c", now + 2s);
    t.failed("d", now + 3s);
    CHECK(t.tracked() == 3);
    CHECK(t.failures("a") == 0);  // the quietest went
    CHECK(t.failures("d") == 1);
}
