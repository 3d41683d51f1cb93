// The control section: where lyktactl finds the daemon.
#include "config_test_support.hpp"

using namespace lykta::config;
using namespace lykta::config::test;

TEST_CASE("the control socket defaults to /run/lykta and can be moved", "[config]") {
    auto defaults = load_with("");
    REQUIRE_LOADS(defaults);
    CHECK(defaults.config->control.socket == "/run/lykta/lyktad.sock");

    auto moved = load_with("control: { socket: /tmp/lykta-test/ctl.sock }\n");
    REQUIRE_LOADS(moved);
    CHECK(moved.config->control.socket == "/tmp/lykta-test/ctl.sock");
}

TEST_CASE("a control socket path that cannot be bound is a config error", "[config][errors]") {
    auto r = load_with("control: { socket: /" + std::string(120, 'x') + ", sokcet: a }\n");
    REQUIRE_ERROR(r, 12, 20, "control.socket: '/xxx");
    REQUIRE_ERROR(r, 12, 20, "cannot be a socket path (1..107 characters");
    REQUIRE_ERROR(r, 12, 143, "unknown key 'sokcet' (did you mean 'socket'?)");
}
