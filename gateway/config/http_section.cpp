// The `http:` section: the crew's local web page (docs/crew-page.md).
#include <arpa/inet.h>

#include <charconv>

#include "gateway/config/sections.hpp"
#include "gateway/config/yaml_reading.hpp"

namespace lykta::config {
namespace {

// "127.0.0.1:8080", "[::1]:8080", "0.0.0.0:443". Literal addresses only: a
// name would be resolved at start, and the box may have no resolver.
bool split_listen(const std::string& text, std::string& host, int& port, std::string& why) {
    std::string port_text;
    if (!text.empty() && text.front() == '[') {
        auto close = text.find("]:");
        if (close == std::string::npos) {
            why = "expected [IPv6]:PORT";
            return false;
        }
        host = text.substr(1, close - 1);
        port_text = text.substr(close + 2);
    } else {
        auto colon = text.rfind(':');
        if (colon == std::string::npos) {
            why = "expected ADDRESS:PORT, e.g. 127.0.0.1:8080";
            return false;
        }
        host = text.substr(0, colon);
        port_text = text.substr(colon + 1);
    }
    unsigned char buf[16];
    if (::inet_pton(AF_INET, host.c_str(), buf) != 1 && ::inet_pton(AF_INET6, host.c_str(), buf) != 1) {
        why = "'" + host + "' is not an IPv4 or IPv6 address";
        return false;
    }
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (port_text.empty() || ec != std::errc() || end != port_text.data() + port_text.size() || port < 1 ||
        port > 65535) {
        why = "port '" + port_text + "' is out of range 1..65535";
        return false;
    }
    return true;
}

}  // namespace

bool HttpConfig::loopback() const {
    unsigned char v4[4];
    if (::inet_pton(AF_INET, host.c_str(), v4) == 1) return v4[0] == 127;
    return host == "::1";
}

void parse_http(ParseContext& ctx, const YAML::Node& node, std::optional<HttpConfig>& out) {
    if (!node.IsDefined() || node.IsNull()) return;
    MapReader map(ctx, node, "http", {"listen", "users_file", "tls"});
    if (!map.is_map()) return;
    HttpConfig http;
    bool ok = true;
    std::string listen;
    if (map.read("listen", listen)) {
        std::string why;
        if (!split_listen(listen, http.host, http.port, why)) {
            ctx.error(map.pos_of("listen"), "http.listen", "'" + listen + "': " + why);
            ok = false;
        }
    } else if (map.has("listen")) {
        ok = false;
    }
    // No anonymous access, ever: without users nobody could log in, so the
    // section is incomplete rather than "open".
    if (map.read("users_file", http.users_file, Need::required) && !http.users_file.empty())
        http.users_file = ctx.resolve_path(http.users_file);
    else
        ok = false;
    if (map.has("tls")) {
        MapReader tls(ctx, map.node("tls"), "http.tls", {"cert_file", "key_file"});
        if (!tls.is_map()) {
            ok = false;
        } else {
            bool both = tls.read("cert_file", http.tls_cert_file, Need::required);
            both = tls.read("key_file", http.tls_key_file, Need::required) && both;
            if (!both) {
                ok = false;
            } else {
                http.tls_cert_file = ctx.resolve_path(http.tls_cert_file);
                http.tls_key_file = ctx.resolve_path(http.tls_key_file);
            }
        }
    }
    if (ok) out = std::move(http);
}

}  // namespace lykta::config
