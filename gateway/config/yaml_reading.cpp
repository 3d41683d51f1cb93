#include "gateway/config/yaml_reading.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <sstream>

#include "gateway/config/closest_name.hpp"

namespace lykta::config {

std::string describe(const YAML::Node& node) {
    if (!node.IsDefined() || node.IsNull()) return "nothing";
    if (node.IsMap()) return "a map";
    if (node.IsSequence()) return "a list";
    return "'" + node.Scalar() + "'";
}

std::string format_number(double value) {
    std::ostringstream out;
    out << value;
    return out.str();
}

namespace {

bool expect_scalar(ParseContext& ctx, const YAML::Node& node, const std::string& path, const char* what) {
    if (node.IsScalar()) return true;
    ctx.error(ctx.pos(node), path, std::string("expected ") + what + ", got " + describe(node));
    return false;
}

std::string_view without_plus(std::string_view s) {
    return !s.empty() && s[0] == '+' ? s.substr(1) : s;
}

}  // namespace

std::optional<std::string> read_string(ParseContext& ctx, const YAML::Node& node, const std::string& path) {
    if (!expect_scalar(ctx, node, path, "a string")) return std::nullopt;
    ctx.record(path, ctx.pos(node));
    return node.Scalar();
}

std::optional<long long> read_integer(ParseContext& ctx, const YAML::Node& node, const std::string& path,
                                      long long min, long long max) {
    if (!expect_scalar(ctx, node, path, "an integer")) return std::nullopt;
    ctx.record(path, ctx.pos(node));
    const std::string& text = node.Scalar();
    std::string_view s = without_plus(text);
    long long value = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size()) {
        ctx.error(ctx.pos(node), path, "expected an integer, got '" + text + "'");
        return std::nullopt;
    }
    if (value < min || value > max) {
        ctx.error(ctx.pos(node), path,
                  text + " is out of range " + std::to_string(min) + ".." + std::to_string(max));
        return std::nullopt;
    }
    return value;
}

std::optional<double> read_number(ParseContext& ctx, const YAML::Node& node, const std::string& path,
                                  double min, double max) {
    if (!expect_scalar(ctx, node, path, "a number")) return std::nullopt;
    ctx.record(path, ctx.pos(node));
    const std::string& text = node.Scalar();
    std::string_view s = without_plus(text);
    double value = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size() || !std::isfinite(value)) {
        ctx.error(ctx.pos(node), path, "expected a number, got '" + text + "'");
        return std::nullopt;
    }
    if (value < min || value > max) {
        ctx.error(ctx.pos(node), path,
                  text + " is out of range " + format_number(min) + ".." + format_number(max));
        return std::nullopt;
    }
    return value;
}

std::optional<double> read_positive(ParseContext& ctx, const YAML::Node& node, const std::string& path) {
    auto value = read_number(ctx, node, path, -HUGE_VAL, HUGE_VAL);
    if (!value) return std::nullopt;
    if (*value <= 0) {
        ctx.error(ctx.pos(node), path, node.Scalar() + " must be greater than 0");
        return std::nullopt;
    }
    return value;
}

std::optional<bool> read_bool(ParseContext& ctx, const YAML::Node& node, const std::string& path) {
    if (!expect_scalar(ctx, node, path, "true or false")) return std::nullopt;
    ctx.record(path, ctx.pos(node));
    const std::string& s = node.Scalar();
    if (s == "true" || s == "True" || s == "TRUE") return true;
    if (s == "false" || s == "False" || s == "FALSE") return false;
    ctx.error(ctx.pos(node), path, "expected true or false, got '" + s + "'");
    return std::nullopt;
}

std::vector<YAML::Node> read_list(ParseContext& ctx, const YAML::Node& node, const std::string& path) {
    std::vector<YAML::Node> items;
    if (!node.IsSequence()) {
        ctx.error(ctx.pos(node), path, "expected a list, got " + describe(node));
        return items;
    }
    ctx.record(path, ctx.pos(node));
    for (const auto& item : node) items.push_back(item);
    return items;
}

std::vector<std::string> read_string_list(ParseContext& ctx, const YAML::Node& node,
                                          const std::string& path) {
    std::vector<std::string> out;
    auto items = read_list(ctx, node, path);
    for (std::size_t i = 0; i < items.size(); ++i)
        if (auto s = read_string(ctx, items[i], path + "[" + std::to_string(i) + "]")) out.push_back(*s);
    return out;
}

bool is_valid_id(std::string_view id) {
    if (id.empty()) return false;
    for (char c : id) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                  c == '.' || c == '-';
        if (!ok) return false;
    }
    return true;
}

bool check_id(ParseContext& ctx, const std::string& id, const SourcePos& pos, const std::string& path) {
    if (is_valid_id(id)) return true;
    ctx.error(pos, path, "'" + id + "' is not a valid id (use letters, digits, '_', '.', '-')");
    return false;
}

// ---------------------------------------------------------------------------

MapReader::MapReader(ParseContext& ctx, const YAML::Node& node, std::string path,
                     std::vector<std::string> known)
    : ctx_(ctx), node_(node), path_(std::move(path)) {
    if (!node.IsMap()) {
        ctx_.error(ctx_.pos(node), path_, "expected a map, got " + describe(node));
        return;
    }
    is_map_ = true;
    ctx_.record(path_, ctx_.pos(node));
    for (auto it = node.begin(); it != node.end(); ++it) {
        // A copy, not a reference: yaml-cpp's iterator hands out a temporary
        // pair, and a reference into it dangles (found by fuzz_config).
        YAML::Node key = it->first;
        std::string name = key.IsScalar() ? key.Scalar() : describe(key);
        if (const Entry* first = find(name)) {
            ctx_.error(ctx_.pos(key), path_,
                       "duplicate key '" + name + "' (first at line " +
                           std::to_string(ctx_.pos(first->key_node).line) + ")");
            continue;
        }
        if (std::find(known.begin(), known.end(), name) == known.end()) {
            auto suggestion = closest_name(name, known);
            ctx_.error(
                ctx_.pos(key), path_,
                "unknown key '" + name + "'" + (suggestion ? " (did you mean '" + *suggestion + "'?)" : ""));
            if (suggestion) misspelt_.push_back(*suggestion);
            continue;
        }
        entries_.push_back({name, key, it->second});
    }
}

const MapReader::Entry* MapReader::find(std::string_view key) const {
    for (const auto& e : entries_)
        if (e.key == key) return &e;
    return nullptr;
}

std::string MapReader::path_of(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

SourcePos MapReader::pos() const {
    return ctx_.pos(node_);
}

SourcePos MapReader::pos_of(std::string_view key) const {
    const Entry* e = find(key);
    if (!e) return pos();
    if (e->value.IsNull()) return ctx_.pos(e->key_node);
    return ctx_.pos(e->value);
}

bool MapReader::has(std::string_view key) const {
    const Entry* e = find(key);
    return e && !e->value.IsNull();
}

YAML::Node MapReader::node(std::string_view key) const {
    const Entry* e = find(key);
    return e ? e->value : YAML::Node(YAML::NodeType::Undefined);
}

bool MapReader::require(std::string_view key) {
    if (!is_map_) return false;
    if (has(key)) return true;
    if (const Entry* e = find(key))
        ctx_.error(ctx_.pos(e->key_node), path_of(key), "needs a value");
    else if (std::find(misspelt_.begin(), misspelt_.end(), key) != misspelt_.end())
        return false;  // already reported as "unknown key 'adress' (did you mean 'address'?)"
    else
        ctx_.error(pos(), path_, "missing required key '" + std::string(key) + "'");
    return false;
}

bool MapReader::read(std::string_view key, std::string& out, Need need) {
    if (need == Need::required ? !require(key) : !has(key)) return false;
    auto v = read_string(ctx_, node(key), path_of(key));
    if (v) out = *v;
    return v.has_value();
}

bool MapReader::read(std::string_view key, int& out, int min, int max, Need need) {
    if (need == Need::required ? !require(key) : !has(key)) return false;
    auto v = read_integer(ctx_, node(key), path_of(key), min, max);
    if (v) out = static_cast<int>(*v);
    return v.has_value();
}

bool MapReader::read(std::string_view key, double& out, double min, double max, Need need) {
    if (need == Need::required ? !require(key) : !has(key)) return false;
    auto v = read_number(ctx_, node(key), path_of(key), min, max);
    if (v) out = *v;
    return v.has_value();
}

bool MapReader::read(std::string_view key, std::optional<double>& out, double min, double max) {
    if (!has(key)) return false;
    auto v = read_number(ctx_, node(key), path_of(key), min, max);
    if (v) out = *v;
    return v.has_value();
}

bool MapReader::read(std::string_view key, bool& out) {
    if (!has(key)) return false;
    auto v = read_bool(ctx_, node(key), path_of(key));
    if (v) out = *v;
    return v.has_value();
}

bool MapReader::read_positive(std::string_view key, double& out) {
    if (!has(key)) return false;
    auto v = config::read_positive(ctx_, node(key), path_of(key));
    if (v) out = *v;
    return v.has_value();
}

bool MapReader::read_positive(std::string_view key, int& out) {
    if (!has(key)) return false;
    auto v = read_integer(ctx_, node(key), path_of(key), -1'000'000'000, 1'000'000'000);
    if (!v) return false;
    if (*v <= 0) {
        ctx_.error(pos_of(key), path_of(key), std::to_string(*v) + " must be greater than 0");
        return false;
    }
    out = static_cast<int>(*v);
    return true;
}

bool MapReader::read_id(std::string_view key, std::string& out, Need need) {
    std::string value;
    if (!read(key, value, need)) return false;
    if (!check_id(ctx_, value, pos_of(key), path_of(key))) return false;
    out = value;
    return true;
}

}  // namespace lykta::config
