// The credential files are read at each connection attempt; one that cannot be
// read is a problem to report (uplink_credentials), never an exception.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>

#include "gateway/mqtt/connect_options.hpp"

using namespace lykta;

namespace {

struct TempDir {
    std::filesystem::path path;
    TempDir() {
        std::random_device rd;
        path = std::filesystem::temp_directory_path() / ("lykta-credentials-" + std::to_string(rd()));
        std::filesystem::create_directories(path);
    }
    ~TempDir() { std::filesystem::remove_all(path); }
    std::string write(const std::string& name, const std::string& text, std::filesystem::perms mode) {
        auto file = path / name;
        std::ofstream(file) << text;
        std::filesystem::permissions(file, mode);
        return file.string();
    }
};

}  // namespace

TEST_CASE("a missing password file is a problem naming it, and read again once it exists") {
    TempDir dir;
    config::MqttConfig mqtt;
    mqtt.password_file = (dir.path / "mqtt.pass").string();
    auto first = lykta::mqtt::read_credentials(mqtt);
    CHECK(first.password.empty());
    CHECK(first.problem ==
          "mqtt.password_file " + mqtt.password_file + " cannot be read: No such file or directory");
    CHECK(lykta::mqtt::unreadable_credential_files(mqtt) == std::vector<std::string>{first.problem});

    dir.write("mqtt.pass", "s3cret\r\n",
              std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    auto second = lykta::mqtt::read_credentials(mqtt);
    CHECK(second.problem.empty());
    CHECK(second.password == "s3cret");
    CHECK(second.warning.empty());
    CHECK(lykta::mqtt::unreadable_credential_files(mqtt).empty());
}

TEST_CASE("TLS files are checked only with TLS on, each named") {
    TempDir dir;
    config::MqttConfig mqtt;
    mqtt.tls.ca_file = (dir.path / "ca.pem").string();
    mqtt.tls.cert_file = dir.write("client.pem", "x", std::filesystem::perms::owner_read);
    mqtt.tls.key_file = (dir.path / "client.key").string();
    CHECK(lykta::mqtt::read_credentials(mqtt).problem.empty());  // TLS off: the files are not used
    mqtt.tls.enabled = true;
    auto problems = lykta::mqtt::unreadable_credential_files(mqtt);
    REQUIRE(problems.size() == 2);
    CHECK(problems[0].rfind("mqtt.tls.ca_file " + mqtt.tls.ca_file + " cannot be read", 0) == 0);
    CHECK(problems[1].rfind("mqtt.tls.key_file " + mqtt.tls.key_file + " cannot be read", 0) == 0);
    CHECK(lykta::mqtt::read_credentials(mqtt).problem == problems[0] + "; " + problems[1]);
}

TEST_CASE("a password file every user can read is still used, with a warning") {
    TempDir dir;
    config::MqttConfig mqtt;
    mqtt.password_file = dir.write("mqtt.pass", "pw\n",
                                   std::filesystem::perms::owner_read | std::filesystem::perms::others_read);
    auto credentials = lykta::mqtt::read_credentials(mqtt);
    CHECK(credentials.password == "pw");
    CHECK(credentials.warning.find("readable by every user") != std::string::npos);
}
