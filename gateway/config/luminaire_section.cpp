// luminaires: one entry per luminaire, or a compact entry for a run of
// identical luminaires on consecutive (or listed) short addresses:
//   { id: "L-{n:03}", bus: bus1, addresses: 0..11, first: 1, area: torget, rated_w: 39 }
// expands to L-001 (address 0) .. L-012 (address 11).
#include <algorithm>
#include <charconv>

#include "gateway/config/discovery_entity.hpp"
#include "gateway/config/sections.hpp"
#include "gateway/config/yaml_reading.hpp"

namespace lykta::config {
namespace {

const std::vector<std::string> single_keys{"id",      "bus",      "address",  "area",
                                           "rated_w", "location", "discovery"};
const std::vector<std::string> compact_keys{"id",   "bus",     "addresses", "first",
                                            "area", "rated_w", "location",  "discovery"};

// "{n}" or "{n:03}" (zero-padded to 3 digits) inside an id template.
struct IdTemplate {
    std::string before;
    std::string after;
    int width = 0;
    std::string expand(int n) const {
        std::string digits = std::to_string(n);
        if (static_cast<int>(digits.size()) < width) digits.insert(0, width - digits.size(), '0');
        return before + digits + after;
    }
};

std::optional<IdTemplate> parse_id_template(const std::string& text, std::string& error) {
    auto open = text.find("{n");
    if (open == std::string::npos) {
        error = "'" + text + "' has no {n} placeholder for the running number (e.g. \"L-{n:03}\")";
        return std::nullopt;
    }
    auto close = text.find('}', open);
    if (close == std::string::npos) {
        error = "unterminated placeholder in '" + text + "'";
        return std::nullopt;
    }
    IdTemplate t;
    std::string spec = text.substr(open + 2, close - open - 2);  // "" or ":03"
    if (!spec.empty()) {
        if (spec[0] != ':' || spec.size() < 2) {
            error = "placeholder in '" + text + "' must be {n} or {n:0W}";
            return std::nullopt;
        }
        auto [end, ec] = std::from_chars(spec.data() + 1, spec.data() + spec.size(), t.width);
        if (ec != std::errc() || end != spec.data() + spec.size() || t.width > 9) {
            error = "placeholder in '" + text + "' must be {n} or {n:0W} with a width of 1..9";
            return std::nullopt;
        }
    }
    t.before = text.substr(0, open);
    t.after = text.substr(close + 1);
    if (t.after.find("{n") != std::string::npos) {
        error = "'" + text + "' has more than one {n} placeholder";
        return std::nullopt;
    }
    return t;
}

// "0..11" or a plain address.
struct AddressRun {
    std::vector<int> addresses;
    bool ok = true;
};

void read_address_item(ParseContext& ctx, const YAML::Node& node, const std::string& path, AddressRun& run,
                       std::vector<std::string>& paths) {
    if (node.IsScalar()) {
        const std::string& s = node.Scalar();
        if (auto dots = s.find(".."); dots != std::string::npos) {
            int a = -1;
            int b = -1;
            auto r1 = std::from_chars(s.data(), s.data() + dots, a);
            auto r2 = std::from_chars(s.data() + dots + 2, s.data() + s.size(), b);
            bool parsed = r1.ec == std::errc() && r1.ptr == s.data() + dots && r2.ec == std::errc() &&
                          r2.ptr == s.data() + s.size();
            ctx.record(path, ctx.pos(node));
            if (!parsed) {
                ctx.error(ctx.pos(node), path,
                          "'" + s + "' is not an address range (expected FIRST..LAST, e.g. 0..11)");
                run.ok = false;
            } else if (a < 0 || b > 63 || a > b) {
                ctx.error(ctx.pos(node), path, "range '" + s + "' is not within 0..63 in ascending order");
                run.ok = false;
            } else {
                for (int x = a; x <= b; ++x) {
                    run.addresses.push_back(x);
                    paths.push_back(path);
                }
            }
            return;
        }
    }
    if (auto a = read_integer(ctx, node, path, 0, 63)) {
        run.addresses.push_back(static_cast<int>(*a));
        paths.push_back(path);
    } else {
        run.ok = false;
    }
}

void read_location(ParseContext& ctx, MapReader& map, Location& out) {
    if (!map.has("location")) return;
    MapReader loc(ctx, map.node("location"), map.path_of("location"), {"lat", "lon", "street"});
    if (!loc.is_map()) return;
    bool ok = loc.read("lat", out.lat, -90, 90, Need::required);
    ok = loc.read("lon", out.lon, -180, 180, Need::required) && ok;
    loc.read("street", out.street);
    out.present = ok;
}

void parse_single(ParseContext& ctx, MapReader& map, std::vector<Luminaire>& out) {
    Luminaire l;
    map.read_id("id", l.id);
    map.read_id("bus", l.bus);
    // -1 until read: keeps an unreadable address out of the duplicate check.
    l.address = -1;
    map.read("address", l.address, 0, 63, Need::required);
    map.read_id("area", l.area);
    map.read("rated_w", l.rated_w, 0, 10000);
    read_location(ctx, map, l.location);
    read_discovery_entity(ctx, map, "discovery", l.discovery);
    out.push_back(std::move(l));
    ctx.entries.luminaires.push_back(map.path());
    ctx.entries.luminaire_addresses.push_back(map.path_of("address"));
}

void parse_compact(ParseContext& ctx, MapReader& map, std::vector<Luminaire>& out) {
    Luminaire shape;
    std::string id_text;
    std::optional<IdTemplate> id_template;
    if (map.read("id", id_text, Need::required)) {
        std::string error;
        id_template = parse_id_template(id_text, error);
        if (!id_template) ctx.error(map.pos_of("id"), map.path_of("id"), error);
    }
    map.read_id("bus", shape.bus);
    map.read_id("area", shape.area);
    map.read("rated_w", shape.rated_w, 0, 10000);
    read_location(ctx, map, shape.location);
    read_discovery_entity(ctx, map, "discovery", shape.discovery);
    int first = 1;
    map.read("first", first, 0, 1'000'000);

    AddressRun run;
    std::vector<std::string> address_paths;
    const YAML::Node addresses = map.node("addresses");
    const std::string path = map.path_of("addresses");
    if (!map.require("addresses")) return;
    if (addresses.IsSequence()) {
        auto items = read_list(ctx, addresses, path);
        for (std::size_t i = 0; i < items.size(); ++i)
            read_address_item(ctx, items[i], path + "[" + std::to_string(i) + "]", run, address_paths);
    } else {
        read_address_item(ctx, addresses, path, run, address_paths);
    }
    if (!run.ok || !id_template) return;
    if (run.addresses.empty()) {
        ctx.error(map.pos_of("addresses"), path, "list of addresses is empty");
        return;
    }
    for (std::size_t i = 0; i < run.addresses.size(); ++i) {
        Luminaire l = shape;
        l.id = id_template->expand(first + static_cast<int>(i));
        l.address = run.addresses[i];
        if (!check_id(ctx, l.id, map.pos_of("id"), map.path_of("id"))) return;
        out.push_back(std::move(l));
        ctx.entries.luminaires.push_back(map.path());
        ctx.entries.luminaire_addresses.push_back(address_paths[i]);
    }
}

}  // namespace

void parse_luminaires(ParseContext& ctx, const YAML::Node& node, std::vector<Luminaire>& out) {
    if (!node.IsDefined() || node.IsNull()) return;
    auto items = read_list(ctx, node, "luminaires");
    for (std::size_t i = 0; i < items.size(); ++i) {
        std::string path = "luminaires[" + std::to_string(i) + "]";
        const YAML::Node& item = items[i];  // const: operator[] must not insert keys
        const bool compact = item.IsMap() && item["addresses"].IsDefined();
        if (compact && item["address"].IsDefined()) {
            ctx.error(ctx.pos(item), path,
                      "give either 'address' (one luminaire) or 'addresses' (a run), not both");
            continue;
        }
        MapReader map(ctx, item, path, compact ? compact_keys : single_keys);
        if (!map.is_map()) continue;
        if (compact)
            parse_compact(ctx, map, out);
        else
            parse_single(ctx, map, out);
    }
}

}  // namespace lykta::config
