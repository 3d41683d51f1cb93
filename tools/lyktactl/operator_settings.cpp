#include "operator_settings.hpp"

#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <filesystem>

namespace lykta::ctl {
namespace {

std::string where(const std::string& path, const YAML::Mark& mark) {
    return path + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1) + ": ";
}

}  // namespace

std::string operator_settings_path() {
    if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg)
        return std::string(xdg) + "/lykta/lyktactl.yaml";
    if (const char* home = std::getenv("HOME"); home && *home)
        return std::string(home) + "/.config/lykta/lyktactl.yaml";
    return "";
}

std::vector<std::string> load_operator_settings(const std::string& path, OperatorSettings& settings) {
    std::vector<std::string> problems;
    std::error_code ec;
    if (path.empty() || !std::filesystem::exists(path, ec)) return problems;
    YAML::Node root;
    try {
        root = YAML::LoadFile(path);
    } catch (const YAML::ParserException& e) {
        problems.push_back(where(path, e.mark) + e.msg);
        return problems;
    } catch (const YAML::Exception& e) {
        problems.push_back(path + ": " + e.what());
        return problems;
    }
    if (root.IsNull()) return problems;
    if (!root.IsMap()) {
        problems.push_back(where(path, root.Mark()) + "expected a mapping of settings (broker: URI, ...)");
        return problems;
    }
    auto& broker = settings.broker;
    for (const auto& entry : root) {
        const auto key = entry.first.as<std::string>();
        const auto& value = entry.second;
        const auto at = where(path, value.Mark());
        if (!value.IsScalar()) {
            problems.push_back(at + key + " must be a single value");
            continue;
        }
        const auto text = value.as<std::string>();
        if (key == "broker")
            broker.uri = text;
        else if (key == "username")
            broker.username = text;
        else if (key == "password_file")
            broker.password_file = text;
        else if (key == "ca_file")
            broker.ca_file = text;
        else if (key == "cert_file")
            broker.cert_file = text;
        else if (key == "key_file")
            broker.key_file = text;
        else if (key == "prefix")
            broker.prefix = text;
        else if (key == "verify_hostname") {
            if (text == "true" || text == "false")
                broker.verify_hostname = text == "true";
            else
                problems.push_back(at + "verify_hostname must be true or false, not " + text);
        } else if (key == "mqtt_version") {
            if (text == "auto")
                broker.mqtt_version = 0;
            else if (text == "5" || text == "3")
                broker.mqtt_version = std::stoi(text);
            else
                problems.push_back(at + "mqtt_version must be auto, 5 or 3, not " + text);
        } else if (key == "timeout_s") {
            char* end = nullptr;
            const double s = std::strtod(text.c_str(), &end);
            if (end == text.c_str() || *end || !(s > 0 && s <= 3600))
                problems.push_back(at + "timeout_s must be a number of seconds in (0, 3600], not " + text);
            else
                settings.timeout = std::chrono::milliseconds(static_cast<long>(s * 1000));
        } else {
            problems.push_back(where(path, entry.first.Mark()) + "unknown setting '" + key +
                               "' (broker, username, password_file, ca_file, cert_file, key_file, "
                               "verify_hostname, prefix, mqtt_version, timeout_s)");
        }
    }
    return problems;
}

}  // namespace lykta::ctl
