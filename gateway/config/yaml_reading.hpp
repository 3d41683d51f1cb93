#pragma once
// Typed reads from yaml-cpp nodes that never throw: every mismatch becomes a
// diagnostic at the node's position, named by its key path, and the caller
// gets nullopt/false and carries on so that all problems are found in one run.
#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/config/parse_context.hpp"

namespace lykta::config {

// "a map", "a list", "'text'", "nothing"; for "expected X, got Y" messages.
std::string describe(const YAML::Node& node);
std::string format_number(double value);

std::optional<std::string> read_string(ParseContext& ctx, const YAML::Node& node, const std::string& path);
std::optional<long long> read_integer(ParseContext& ctx, const YAML::Node& node, const std::string& path,
                                      long long min, long long max);
std::optional<double> read_number(ParseContext& ctx, const YAML::Node& node, const std::string& path,
                                  double min, double max);
// Strictly greater than zero (periods, sizes, timeouts).
std::optional<double> read_positive(ParseContext& ctx, const YAML::Node& node, const std::string& path);
std::optional<bool> read_bool(ParseContext& ctx, const YAML::Node& node, const std::string& path);
// A list node's items; reports (and returns empty) when the node is not a list.
std::vector<YAML::Node> read_list(ParseContext& ctx, const YAML::Node& node, const std::string& path);
std::vector<std::string> read_string_list(ParseContext& ctx, const YAML::Node& node, const std::string& path);

// Ids and names used as references: [A-Za-z0-9_.-]+, so they are safe in MQTT
// topics and file names. Reports and returns false otherwise.
bool is_valid_id(std::string_view id);
bool check_id(ParseContext& ctx, const std::string& id, const SourcePos& pos, const std::string& path);

enum class Need { optional, required };

// One YAML mapping whose keys form a fixed schema. Construction reports
// unknown keys (with the closest known one) and duplicate keys; the read
// methods report missing required keys and wrong values.
class MapReader {
public:
    MapReader(ParseContext& ctx, const YAML::Node& node, std::string path, std::vector<std::string> known);

    bool is_map() const { return is_map_; }
    const std::string& path() const { return path_; }
    std::string path_of(std::string_view key) const;
    SourcePos pos() const;
    SourcePos pos_of(std::string_view key) const;  // the value, or the key when the value is empty
    // Present with a non-null value.
    bool has(std::string_view key) const;
    YAML::Node node(std::string_view key) const;  // invalid/undefined when absent
    // Reports "missing required key" when absent; returns has(key).
    bool require(std::string_view key);

    bool read(std::string_view key, std::string& out, Need need = Need::optional);
    bool read(std::string_view key, int& out, int min, int max, Need need = Need::optional);
    bool read(std::string_view key, double& out, double min, double max, Need need = Need::optional);
    bool read(std::string_view key, std::optional<double>& out, double min, double max);
    bool read(std::string_view key, bool& out);
    bool read_positive(std::string_view key, double& out);
    bool read_positive(std::string_view key, int& out);
    // A required string that must also be a valid id.
    bool read_id(std::string_view key, std::string& out, Need need = Need::required);

private:
    struct Entry {
        std::string key;
        YAML::Node key_node;
        YAML::Node value;
    };
    const Entry* find(std::string_view key) const;

    ParseContext& ctx_;
    YAML::Node node_;
    std::string path_;
    bool is_map_ = false;
    std::vector<Entry> entries_;
    std::vector<std::string> misspelt_;  // known keys suggested for unknown ones
};

}  // namespace lykta::config
