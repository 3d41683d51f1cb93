#pragma once
// State shared by the section parsers while one document is read: where the
// diagnostics go, where each key path was found (so the cross-reference pass,
// which only sees model values, can still point at the right line), and the
// folder relative paths are resolved against.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "gateway/core/diagnostic.hpp"

namespace YAML {
class Node;
class Mark;
}  // namespace YAML

namespace lykta::config {

// For every model list whose entries the cross-reference pass checks: the key
// path of the YAML entry each model entry came from ("luminaires[3]"). Kept
// parallel to the model vectors because one compact luminaire entry expands to
// many model luminaires.
struct EntryPaths {
    std::vector<std::string> buses;
    std::vector<std::string> luminaires;
    std::vector<std::string> luminaire_addresses;  // "luminaires[3].address", "luminaires[4].addresses[2]"
    std::vector<std::string> areas;
    std::vector<std::string> calendar;
    std::vector<std::string> safety_flags;
    std::vector<std::string> networks;
    std::vector<std::string> devices;
    std::vector<std::string> contactors;
    std::vector<std::string> photocells;
};

class ParseContext {
public:
    ParseContext(std::string file, std::filesystem::path base_dir);

    const std::string& file() const { return file_; }
    SourcePos pos(const YAML::Mark& mark) const;
    SourcePos pos(const YAML::Node& node) const;

    // "path: message" at pos.
    void error(const SourcePos& pos, const std::string& path, const std::string& message);

    // Remembers where the value at `path` sits; `where` falls back to the
    // nearest recorded parent ("a.b[2].c" -> "a.b[2]" -> "a.b" -> "a").
    void record(const std::string& path, const SourcePos& pos);
    SourcePos where(const std::string& path) const;
    // Line of a recorded path, for "first defined at line N" hints.
    int line_of(const std::string& path) const { return where(path).line; }

    // Relative paths in the config are relative to the config file's folder.
    std::string resolve_path(const std::string& path) const;

    EntryPaths entries;
    Diagnostics take_diagnostics();
    bool has_errors() const { return !diagnostics_.empty(); }

private:
    std::string file_;
    std::filesystem::path base_dir_;
    Diagnostics diagnostics_;
    std::map<std::string, SourcePos> positions_;
};

}  // namespace lykta::config
