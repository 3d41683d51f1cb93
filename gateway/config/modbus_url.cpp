#include "gateway/config/modbus_url.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <functional>
#include <vector>

namespace lykta::config {
namespace {

constexpr std::string_view rtu_scheme = "modbus+rtu://";
constexpr std::string_view tcp_scheme = "modbus+tcp://";

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// `text` (starting at `offset` in the URL) with %XX decoded.
std::optional<UrlProblem> decode(std::string_view text, std::size_t offset, std::string& out) {
    out.clear();
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            out += text[i];
            continue;
        }
        const int hi = i + 2 < text.size() ? hex_digit(text[i + 1]) : -1;
        const int lo = hi >= 0 ? hex_digit(text[i + 2]) : -1;
        if (lo < 0) return UrlProblem{"'%' must be followed by two hex digits", offset + i};
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
    }
    return std::nullopt;
}

std::optional<long> whole_number(const std::string& text) {
    long value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

std::optional<double> positive_number(const std::string& text) {
    double value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value) ||
        value <= 0)
        return std::nullopt;
    return value;
}

// One query key: how its value is read into the network; an error message when it is not.
struct QueryKey {
    std::string_view name;
    std::function<std::optional<std::string>(const std::string&, ModbusNetwork&)> read;
};

QueryKey whole(std::string_view name, long min, long max, int ModbusNetwork::*field) {
    return {name, [=](const std::string& text, ModbusNetwork& n) -> std::optional<std::string> {
                auto v = whole_number(text);
                if (!v || *v < min || *v > max)
                    return "must be a whole number " + std::to_string(min) + ".." + std::to_string(max);
                n.*field = static_cast<int>(*v);
                return std::nullopt;
            }};
}

QueryKey positive(std::string_view name, double ModbusNetwork::*field) {
    return {name, [=](const std::string& text, ModbusNetwork& n) -> std::optional<std::string> {
                auto v = positive_number(text);
                if (!v) return std::string("must be a number > 0");
                n.*field = *v;
                return std::nullopt;
            }};
}

const std::vector<QueryKey>& query_keys(bool tcp) {
    static const std::vector<QueryKey> common{
        positive("response_timeout_s", &ModbusNetwork::response_timeout_s),
        positive("reopen_after_s", &ModbusNetwork::reopen_after_s)};
    static const std::vector<QueryKey> rtu = [] {
        auto keys = common;
        keys.push_back(whole("baud", 1, 10000000, &ModbusNetwork::baud));
        keys.push_back(
            {"parity", [](const std::string& text, ModbusNetwork& n) -> std::optional<std::string> {
                 if (text != "N" && text != "E" && text != "O") return std::string("must be N, E or O");
                 n.parity = text[0];
                 return std::nullopt;
             }});
        keys.push_back(whole("data_bits", 5, 8, &ModbusNetwork::data_bits));
        keys.push_back(whole("stop_bits", 1, 2, &ModbusNetwork::stop_bits));
        keys.push_back({"rs485", [](const std::string& text, ModbusNetwork& n) -> std::optional<std::string> {
                            if (text != "true" && text != "false")
                                return std::string("must be true or false");
                            n.rs485 = text == "true";
                            return std::nullopt;
                        }});
        keys.push_back(positive("byte_timeout_s", &ModbusNetwork::byte_timeout_s));
        return keys;
    }();
    static const std::vector<QueryKey> tcp_keys = [] {
        auto keys = common;
        keys.push_back(whole("pipeline", 1, 16, &ModbusNetwork::pipeline));
        return keys;
    }();
    return tcp ? tcp_keys : rtu;
}

std::string key_list(const std::vector<QueryKey>& keys) {
    std::string out;
    for (const auto& k : keys) out += (out.empty() ? "" : ", ") + std::string(k.name);
    return out;
}

std::optional<UrlProblem> parse_query(std::string_view query, std::size_t offset, ModbusNetwork& out) {
    const bool tcp = out.type == "tcp";
    const auto& keys = query_keys(tcp);
    std::vector<std::string> seen;
    std::size_t at = 0;
    while (at <= query.size()) {
        const std::size_t end = std::min(query.find('&', at), query.size());
        const std::string_view pair = query.substr(at, end - at);
        const std::size_t where = offset + at;
        const std::size_t eq = pair.find('=');
        if (eq == std::string_view::npos || eq == 0)
            return UrlProblem{"'" + std::string(pair) + "' in the query is not KEY=VALUE", where};
        const std::string key(pair.substr(0, eq));
        auto known = std::find_if(keys.begin(), keys.end(), [&](const QueryKey& k) { return k.name == key; });
        if (known == keys.end())
            return UrlProblem{"unknown " + std::string(tcp ? "tcp" : "rtu") + " setting '" + key +
                                  "' (known: " + key_list(keys) + ")",
                              where};
        if (std::find(seen.begin(), seen.end(), key) != seen.end())
            return UrlProblem{"'" + key + "' is given twice", where};
        seen.push_back(key);
        std::string value;
        if (auto problem = decode(pair.substr(eq + 1), where + eq + 1, value)) return problem;
        if (auto error = known->read(value, out))
            return UrlProblem{"'" + key + "' " + *error + ", not '" + value + "'", where + eq + 1};
        at = end + 1;
    }
    return std::nullopt;
}

std::optional<UrlProblem> parse_tcp_authority(std::string_view authority, std::size_t offset,
                                              ModbusNetwork& out) {
    std::string_view host = authority;
    std::string_view port;
    if (!authority.empty() && authority[0] == '[') {  // [IPv6]:port (RFC 3986, 3.2.2)
        const std::size_t close = authority.find(']');
        if (close == std::string_view::npos)
            return UrlProblem{"'[' without ']' around an IPv6 address", offset};
        host = authority.substr(1, close - 1);
        const std::string_view rest = authority.substr(close + 1);
        if (!rest.empty() && rest[0] != ':')
            return UrlProblem{"expected ':PORT' after the IPv6 address", offset + close + 1};
        if (!rest.empty()) port = rest.substr(1);
    } else if (const std::size_t colon = authority.rfind(':'); colon != std::string_view::npos) {
        host = authority.substr(0, colon);
        port = authority.substr(colon + 1);
        if (port.empty()) return UrlProblem{"':' without a port", offset + colon};
    }
    if (host.empty()) return UrlProblem{"a modbus+tcp URL needs a host: modbus+tcp://HOST[:PORT]", offset};
    if (authority.find('@') != std::string_view::npos)
        return UrlProblem{"a modbus+tcp URL has no user part", offset + authority.find('@')};
    out.host = std::string(host);
    if (!port.empty()) {
        const std::size_t at = offset + static_cast<std::size_t>(port.data() - authority.data());
        auto value = whole_number(std::string(port));
        if (!value || *value < 1 || *value > 65535)
            return UrlProblem{"port '" + std::string(port) + "' is not 1..65535", at};
        out.port = static_cast<int>(*value);
    }
    return std::nullopt;
}

}  // namespace

std::optional<UrlProblem> parse_modbus_url(std::string_view url, ModbusNetwork& out) {
    const bool tcp = url.starts_with(tcp_scheme);
    if (!tcp && !url.starts_with(rtu_scheme)) {
        const std::size_t sep = url.find("://");
        return UrlProblem{
            sep == std::string_view::npos
                ? "not a Modbus URL (modbus+rtu:///DEVICE?... or modbus+tcp://HOST:PORT?...)"
                : "unknown scheme '" + std::string(url.substr(0, sep)) + "' (modbus+rtu or modbus+tcp)",
            0};
    }
    out.type = tcp ? "tcp" : "rtu";
    const std::size_t start = (tcp ? tcp_scheme : rtu_scheme).size();
    if (const std::size_t hash = url.find('#'); hash != std::string_view::npos)
        return UrlProblem{"a Modbus URL has no '#fragment'", hash};
    const std::size_t question = std::min(url.find('?'), url.size());
    const std::string_view place = url.substr(start, question - start);
    if (tcp) {
        const std::size_t slash = std::min(place.find('/'), place.size());
        if (slash < place.size() && place.substr(slash) != "/")
            return UrlProblem{"a modbus+tcp URL has no path", start + slash};
        if (auto problem = parse_tcp_authority(place.substr(0, slash), start, out)) return problem;
    } else {
        if (place.empty() || place[0] != '/')
            return UrlProblem{"a modbus+rtu URL names a serial device: modbus+rtu:///dev/ttyUSB0", start};
        if (place == "/") return UrlProblem{"no serial device after 'modbus+rtu://'", start};
        if (auto problem = decode(place, start, out.device)) return problem;
    }
    if (question < url.size()) return parse_query(url.substr(question + 1), question + 1, out);
    return std::nullopt;
}

}  // namespace lykta::config
