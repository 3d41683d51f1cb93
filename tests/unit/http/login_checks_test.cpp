#include <catch2/catch.hpp>

#include "gateway/http/login_checks.hpp"

using namespace lykta::http;
using Admission = LoginChecks::Admission;

TEST_CASE("login checks: one per address, whatever the others do") {
    LoginChecks checks(8);
    CHECK(checks.admit("10.0.0.1") == Admission::admitted);
    CHECK(checks.admit("10.0.0.1") == Admission::address_busy);
    CHECK(checks.admit("10.0.0.2") == Admission::admitted);
    checks.finished("10.0.0.1");
    CHECK(checks.admit("10.0.0.1") == Admission::admitted);
    CHECK(checks.checking() == 2);
}

TEST_CASE("login checks: the global cap trips when many addresses log in at once") {
    LoginChecks checks(8);
    for (int i = 1; i <= 8; ++i) CHECK(checks.admit("10.0.0." + std::to_string(i)) == Admission::admitted);
    // A ninth address is not busy itself: the cap over all addresses refuses it.
    CHECK(checks.admit("10.0.0.9") == Admission::all_busy);
    CHECK(checks.checking() == 8);
    // An address already waiting hears about its own check, not the cap.
    CHECK(checks.admit("10.0.0.3") == Admission::address_busy);
    checks.finished("10.0.0.5");
    CHECK(checks.admit("10.0.0.9") == Admission::admitted);
    CHECK(checks.admit("10.0.0.10") == Admission::all_busy);
    checks.clear();
    CHECK(checks.checking() == 0);
    CHECK(checks.admit("10.0.0.10") == Admission::admitted);
}
