#include <catch2/catch.hpp>

#include "gateway/http/sessions.hpp"

using namespace lykta::http;
using namespace std::chrono_literals;

TEST_CASE("sessions: random ids and CSRF tokens, found until idle or too old") {
    Sessions s;
    auto t0 = Sessions::Clock::time_point{} + 1h;
    const auto& a = s.create("anna", Role::crew, t0);
    auto id = a.id;
    auto csrf = a.csrf;
    CHECK(id.size() == 64);
    CHECK(csrf.size() == 64);
    CHECK(id != csrf);
    CHECK(s.create("anna", Role::crew, t0).id != id);
    CHECK(s.alive(id, t0 + 7h));
    CHECK_FALSE(s.alive(id, t0 + 9h));        // alive() is no use: not refreshed
    REQUIRE(s.find(id, t0 + 7h) != nullptr);  // refreshed
    CHECK(s.find(id, t0 + 14h)->user == "anna");
    CHECK(s.find(id, t0 + 25h) == nullptr);  // lifetime over, however busy
    const auto& b = s.create("bo", Role::viewer, t0);
    auto bid = b.id;
    CHECK(s.find(bid, t0 + 8h + 1s) == nullptr);  // idle too long
    CHECK(s.find("not-a-session", t0) == nullptr);
}

TEST_CASE("sessions: CSRF token must match exactly") {
    Sessions s;
    const auto& a = s.create("anna", Role::crew, Sessions::Clock::now());
    CHECK(Sessions::csrf_matches(a, a.csrf));
    CHECK_FALSE(Sessions::csrf_matches(a, ""));
    CHECK_FALSE(Sessions::csrf_matches(a, a.id));
    CHECK_FALSE(Sessions::csrf_matches(a, a.csrf.substr(1)));
}

TEST_CASE("sessions: bounded, the least recently used goes, logout and user removal end sessions") {
    Sessions s(Sessions::Limits{8h, 24h, 2});
    auto t0 = Sessions::Clock::time_point{} + 1h;
    auto a = s.create("anna", Role::crew, t0).id;
    auto b = s.create("bo", Role::viewer, t0 + 1s).id;
    s.find(a, t0 + 2s);
    auto c = s.create("carl", Role::viewer, t0 + 3s).id;
    CHECK(s.size() == 2);
    CHECK(s.find(b, t0 + 4s) == nullptr);
    CHECK(s.find(a, t0 + 4s) != nullptr);
    s.remove_user("anna");
    CHECK(s.find(a, t0 + 5s) == nullptr);
    s.remove(c);
    CHECK(s.size() == 0);
}
