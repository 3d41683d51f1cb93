#pragma once
// Paho connect options from the config: protocol version, keepalive, clean
// session, the will, credentials and TLS. Kept apart from the link so the
// security-relevant choices are in one short file.
#include <string>
#include <vector>

#include <mqtt/connect_options.h>
#include <mqtt/message.h>

#include "gateway/config/model.hpp"

namespace lykta::mqtt {

// Reads the first line of `path` (trailing CR/LF stripped). Throws
// std::runtime_error naming the file when it cannot be read. `warning` is set
// when the file is readable by other users. The password is never logged.
std::string read_password_file(const std::string& path, std::string* warning);

// What a connection attempt needs from files, read afresh at each attempt so a
// file provisioned (or rotated) later is used without a restart.
struct Credentials {
    std::string password;  // empty when no password_file is configured
    std::string problem;   // why the uplink cannot connect: a file cannot be read; empty when fine
    std::string warning;   // e.g. a password file every user can read
};
Credentials read_credentials(const config::MqttConfig& mqtt);
// The credential, CA, certificate and key files that cannot be read now, one
// sentence each ("mqtt.tls.ca_file /etc/x cannot be read: No such file or directory").
std::vector<std::string> unreadable_credential_files(const config::MqttConfig& mqtt);

// `password` is empty when no password_file is configured. `server_uri` is
// the broker node to dial and `version` the MQTT version to speak there (5 or
// 3 for 3.1.1), both chosen by the link's BrokerList.
::mqtt::connect_options make_connect_options(const config::MqttConfig& mqtt, const std::string& password,
                                             ::mqtt::message will, const std::string& server_uri,
                                             int version);

}  // namespace lykta::mqtt
