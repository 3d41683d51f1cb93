// The http section: the crew's local web page (docs/crew-page.md).
#include "config_test_support.hpp"

using namespace lykta::config;
using namespace lykta::config::test;

TEST_CASE("no http section: the crew page is off", "[config]") {
    auto r = load_with("");
    REQUIRE_LOADS(r);
    CHECK_FALSE(r.config->http.has_value());
}

TEST_CASE("http: listen defaults to loopback 8080, IPv6 and TLS too", "[config]") {
    auto plain = load_with("http: { users_file: /etc/lykta/http-users }\n");
    REQUIRE_LOADS(plain);
    REQUIRE(plain.config->http);
    CHECK(plain.config->http->host == "127.0.0.1");
    CHECK(plain.config->http->port == 8080);
    CHECK(plain.config->http->users_file == "/etc/lykta/http-users");
    CHECK_FALSE(plain.config->http->tls());

    auto tls = load_with(
        "http: { listen: \"[::]:8443\", users_file: /u, tls: { cert_file: /c.pem, key_file: /k.pem } }\n");
    REQUIRE_LOADS(tls);
    CHECK(tls.config->http->host == "::");
    CHECK(tls.config->http->port == 8443);
    CHECK(tls.config->http->tls());
    CHECK(tls.config->http->tls_key_file == "/k.pem");
}

TEST_CASE("http: bad values are errors at their place", "[config][errors]") {
    auto r = load_with("http: { listen: \"lampa:80\", tls: { cert_file: /c.pem }, user_file: /u }\n");
    REQUIRE_ERROR(r, 12, 17, "http.listen: 'lampa:80': 'lampa' is not an IPv4 or IPv6 address");
    REQUIRE_ERROR(r, 12, 34, "http.tls: missing required key 'key_file'");
    REQUIRE_ERROR(r, 12, 57, "unknown key 'user_file' (did you mean 'users_file'?)");
    // No users, no page: there is no anonymous mode.
    auto none = load_with("http: { listen: 127.0.0.1:8080 }\n");
    REQUIRE_ERROR(none, 12, 7, "http: missing required key 'users_file'");
    auto port = load_with("http: { listen: 127.0.0.1:70000, users_file: /u }\n");
    REQUIRE_ERROR(port, 12, 17, "port '70000' is out of range 1..65535");
}

TEST_CASE("http: loopback listen addresses are told from network ones (for --check's warning)", "[config]") {
    lykta::config::HttpConfig http;
    for (const char* host : {"127.0.0.1", "127.1.2.3", "::1"}) {
        http.host = host;
        CHECK(http.loopback());
    }
    for (const char* host : {"0.0.0.0", "192.168.1.10", "::", "fe80::1", "::ffff:10.0.0.1"}) {
        http.host = host;
        CHECK_FALSE(http.loopback());
    }
}
