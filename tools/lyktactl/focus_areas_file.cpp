#include "focus_areas_file.hpp"

#include <yaml-cpp/yaml.h>

#include <regex>
#include <set>

#include "gateway/core/rfc3339.hpp"

namespace lykta::ctl {
namespace {

class Reader {
public:
    explicit Reader(FocusAreasFile& file) : file_(file) {}

    std::string at(const YAML::Node& node) const {
        const auto m = node.Mark();
        return file_.path + ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1);
    }
    void problem(const YAML::Node& node, const std::string& message) {
        file_.problems.push_back(at(node) + ": " + message);
    }
    // A required or optional scalar; "" when absent (a problem when required).
    std::string scalar(const YAML::Node& map, const char* key, bool required) {
        const auto node = map[key];
        if (!node) {
            if (required) problem(map, std::string("'") + key + "' is required");
            return "";
        }
        if (!node.IsScalar() || node.Scalar().empty()) {
            problem(node, std::string("'") + key + "' must be a non-empty text");
            return "";
        }
        return node.Scalar();
    }
    void only_keys(const YAML::Node& map, const std::set<std::string>& allowed) {
        for (const auto& entry : map) {
            const auto key = entry.first.as<std::string>();
            if (!allowed.count(key)) {
                std::string list;
                for (const auto& k : allowed) list += (list.empty() ? "" : ", ") + k;
                problem(entry.first, "unknown key '" + key + "' (expected " + list + ")");
            }
        }
    }
    // A date (YYYY-MM-DD, local to the gateway's site) or an RFC 3339 time, as area/safety takes them:
    // read by gateway/core/rfc3339 as the gateway reads them, so a day its month lacks is found here.
    std::string when(const YAML::Node& map, const char* key) {
        auto text = scalar(map, key, false);
        if (!text.empty() && !parse_full_date(text) && !parse_rfc3339(text)) {
            problem(map[key], std::string("'") + key +
                                  "' must be a date YYYY-MM-DD or an RFC 3339 time, not '" + text + "'");
            return "";
        }
        return text;
    }

private:
    FocusAreasFile& file_;
};

nlohmann::json recurrence_of(Reader& r, const YAML::Node& node) {
    if (!node.IsMap()) {
        r.problem(node,
                  "'recurrence' must be a mapping {weekdays: [fri, sat], from: \"20:00\", to: \"02:00\"}");
        return nullptr;
    }
    r.only_keys(node, {"weekdays", "from", "to"});
    static const std::set<std::string> days{"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    static const std::regex clock(R"(([01]\d|2[0-3]):[0-5]\d)");
    nlohmann::json out{{"weekdays", nlohmann::json::array()}};
    const auto weekdays = node["weekdays"];
    if (!weekdays || !weekdays.IsSequence() || weekdays.size() == 0)
        r.problem(weekdays ? weekdays : node,
                  "'weekdays' must be a list of mon, tue, wed, thu, fri, sat, sun");
    else
        for (const auto& d : weekdays) {
            if (!d.IsScalar() || !days.count(d.Scalar()))
                r.problem(d, "unknown weekday '" + (d.IsScalar() ? d.Scalar() : std::string("?")) +
                                 "' (mon, tue, wed, thu, fri, sat, sun)");
            else
                out["weekdays"].push_back(d.Scalar());
        }
    for (const char* key : {"from", "to"}) {
        const auto text = r.scalar(node, key, true);
        if (!text.empty() && !std::regex_match(text, clock))
            r.problem(node[key], std::string("'") + key + "' must be a clock time HH:MM, not '" + text + "'");
        out[key] = text;
    }
    return out;
}

}  // namespace

std::string slug_of(const std::string& text) {
    // Swedish letters keep their base letter so ids stay readable.
    static const std::pair<const char*, char> folded[] = {{"å", 'a'}, {"ä", 'a'}, {"ö", 'o'}, {"Å", 'a'},
                                                          {"Ä", 'a'}, {"Ö", 'o'}, {"é", 'e'}, {"ü", 'u'}};
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
        bool done = false;
        for (const auto& [utf8, base] : folded) {
            const std::string_view u(utf8);
            if (text.compare(i, u.size(), u) == 0) {
                out += base;
                i += u.size();
                done = true;
                break;
            }
        }
        if (done) continue;
        const unsigned char c = static_cast<unsigned char>(text[i++]);
        if (std::isalnum(c) && c < 0x80)
            out += static_cast<char>(std::tolower(c));
        else if (!out.empty() && out.back() != '-')
            out += '-';
    }
    while (!out.empty() && out.back() == '-') out.pop_back();
    return out;
}

FocusAreasFile read_focus_areas(const std::string& path) {
    FocusAreasFile file;
    file.path = path;
    Reader r(file);
    YAML::Node root;
    try {
        root = YAML::LoadFile(path);
    } catch (const YAML::BadFile&) {
        file.problems.push_back(path + ": cannot be read");
        return file;
    } catch (const YAML::ParserException& e) {
        file.problems.push_back(path + ":" + std::to_string(e.mark.line + 1) + ":" +
                                std::to_string(e.mark.column + 1) + ": " + e.msg);
        return file;
    }
    if (!root.IsMap()) {
        file.problems.push_back(path + ":1:1: expected a mapping with name, version and focus_areas");
        return file;
    }
    r.only_keys(root, {"name", "version", "focus_areas"});
    file.name = r.scalar(root, "name", true);
    file.version = r.scalar(root, "version", true);
    if (!file.name.empty() && slug_of(file.name) != file.name)
        r.problem(root["name"],
                  "'name' is part of every flag id: use lower-case letters, digits and '-' (e.g. '" +
                      slug_of(file.name) + "')");
    if (!file.version.empty() && slug_of(file.version) != file.version)
        r.problem(root["version"], "'version' is part of every flag id: use letters, digits and '-'");
    const auto list = root["focus_areas"];
    if (!list || !list.IsSequence()) {
        r.problem(list ? list : root, "'focus_areas' must be a list");
        return file;
    }
    std::set<std::string> slugs;
    std::set<std::pair<std::string, std::string>> covered;
    for (const auto& node : list) {
        if (!node.IsMap()) {
            r.problem(node, "a focus area is a mapping (name, reason, source, from, until, gateways, ...)");
            continue;
        }
        r.only_keys(node,
                    {"name", "id", "reason", "source", "from", "until", "recurrence", "profile", "gateways"});
        FocusArea area;
        area.name = r.scalar(node, "name", true);
        const auto id = r.scalar(node, "id", false);
        area.slug = id.empty() ? slug_of(area.name) : id;
        if (!id.empty() && slug_of(id) != id)
            r.problem(node["id"], "'id' must be lower-case letters, digits and '-'");
        if (!area.slug.empty() && !slugs.insert(area.slug).second)
            r.problem(node["name"], "a second focus area with the id '" + area.slug + "' (give one an 'id')");
        area.flag = {{"reason", r.scalar(node, "reason", true)}, {"source", r.scalar(node, "source", true)}};
        for (const char* key : {"from", "until"})
            if (auto text = r.when(node, key); !text.empty()) area.flag[key] = text;
        if (node["recurrence"]) area.flag["recurrence"] = recurrence_of(r, node["recurrence"]);
        if (auto profile = r.scalar(node, "profile", false); !profile.empty()) area.flag["profile"] = profile;
        const auto gateways = node["gateways"];
        if (!gateways || !gateways.IsSequence() || gateways.size() == 0) {
            r.problem(gateways ? gateways : node, "'gateways' must list {gateway: ID, areas: [AREA, ...]}");
        } else {
            for (const auto& g : gateways) {
                if (!g.IsMap()) {
                    r.problem(g, "expected {gateway: ID, areas: [AREA, ...]}");
                    continue;
                }
                r.only_keys(g, {"gateway", "areas"});
                const auto gateway = r.scalar(g, "gateway", true);
                const auto areas = g["areas"];
                if (!areas || !areas.IsSequence() || areas.size() == 0) {
                    r.problem(areas ? areas : g, "'areas' must list the gateway's area ids");
                    continue;
                }
                for (const auto& a : areas) {
                    if (!a.IsScalar() || a.Scalar().empty()) {
                        r.problem(a, "an area id is a text");
                        continue;
                    }
                    if (!covered.insert({gateway, a.Scalar()}).second)
                        r.problem(a, "area " + a.Scalar() + " of " + gateway +
                                         " is already in a focus area: one flag per area and file");
                    area.covers.push_back(
                        {gateway, a.Scalar(), r.at(a), r.at(g["gateway"] ? g["gateway"] : g)});
                }
            }
        }
        file.areas.push_back(std::move(area));
    }
    return file;
}

}  // namespace lykta::ctl
