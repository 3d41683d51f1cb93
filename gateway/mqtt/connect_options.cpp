#include "gateway/mqtt/connect_options.hpp"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include <mqtt/ssl_options.h>

namespace lykta::mqtt {

std::string read_password_file(const std::string& path, std::string* warning) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("mqtt.password_file " + path + " cannot be read");
    std::string password;
    std::getline(in, password);
    while (!password.empty() && (password.back() == '\r' || password.back() == '\n')) password.pop_back();
    struct stat st {};
    if (warning && ::stat(path.c_str(), &st) == 0 && (st.st_mode & S_IROTH))
        *warning = "mqtt.password_file " + path + " is readable by every user; chmod 600 it";
    return password;
}

std::vector<std::string> unreadable_credential_files(const config::MqttConfig& mqtt) {
    std::vector<std::pair<const char*, const std::string*>> files{
        {"mqtt.password_file", &mqtt.password_file}};
    if (mqtt.tls.enabled)
        files.insert(files.end(), {{"mqtt.tls.ca_file", &mqtt.tls.ca_file},
                                   {"mqtt.tls.cert_file", &mqtt.tls.cert_file},
                                   {"mqtt.tls.key_file", &mqtt.tls.key_file}});
    std::vector<std::string> out;
    for (const auto& [key, path] : files) {
        if (path->empty()) continue;
        std::ifstream in(*path);  // as the daemon's user: what Paho/OpenSSL will be able to open
        if (!in) out.push_back(std::string(key) + " " + *path + " cannot be read: " + std::strerror(errno));
    }
    return out;
}

Credentials read_credentials(const config::MqttConfig& mqtt) {
    Credentials out;
    auto unreadable = unreadable_credential_files(mqtt);
    for (const auto& problem : unreadable) out.problem += (out.problem.empty() ? "" : "; ") + problem;
    if (out.problem.empty() && !mqtt.password_file.empty()) {
        try {
            out.password = read_password_file(mqtt.password_file, &out.warning);
        } catch (const std::runtime_error& e) {  // went away between the two reads
            out.problem = e.what();
        }
    }
    return out;
}

::mqtt::connect_options make_connect_options(const config::MqttConfig& mqtt, const std::string& password,
                                             ::mqtt::message will, const std::string& server_uri,
                                             int version) {
    ::mqtt::connect_options_builder builder;
    // One node per attempt (Paho would otherwise walk the whole list in one
    // go, without our backoff between nodes and without telling which one answered).
    builder.servers(::mqtt::string_collection::create({server_uri}));
    builder.keep_alive_interval(std::chrono::seconds(mqtt.keepalive_s))
        .connect_timeout(std::chrono::seconds(10))
        .will(std::move(will));
    // Reconnects are ours (link.cpp): each one needs a will with a new session number.
    builder.automatic_reconnect(false);
    if (version == 5)
        builder.mqtt_version(MQTTVERSION_5).clean_start(true);
    else
        builder.mqtt_version(MQTTVERSION_3_1_1).clean_session(true);
    if (!mqtt.username.empty()) builder.user_name(mqtt.username);
    if (!password.empty()) builder.password(password);
    if (mqtt.tls.enabled) {
        ::mqtt::ssl_options_builder ssl;
        if (!mqtt.tls.ca_file.empty()) ssl.trust_store(mqtt.tls.ca_file);
        if (!mqtt.tls.cert_file.empty()) ssl.key_store(mqtt.tls.cert_file).private_key(mqtt.tls.key_file);
        // enable_server_cert_auth checks the chain against the CA; verify checks
        // that the certificate names the host we dialled (Paho's "verify").
        ssl.enable_server_cert_auth(true).verify(mqtt.tls.verify_hostname);
        ssl.error_handler([](const std::string& message) { spdlog::warn("mqtt tls: {}", message); });
        builder.ssl(ssl.finalize());
    }
    return builder.finalize();
}

}  // namespace lykta::mqtt
