// The shipped configs load, and what they load is what they say.
#include <filesystem>
#include <fstream>

#include "config_test_support.hpp"

using namespace lykta::config;
using namespace lykta::config::test;

namespace {
std::string source(const std::string& relative) {
    return std::string(LYKTA_SOURCE_DIR) + "/" + relative;
}
}  // namespace

TEST_CASE("config/example.yaml loads completely", "[config]") {
    auto result = load_file(source("config/example.yaml"));
    REQUIRE_LOADS(result);
    const Config& c = *result.config;
    CHECK(c.gateway.id == "bastad-c01");
    CHECK(c.site.timezone == "Europe/Stockholm");
    CHECK(c.site.latitude == Approx(56.4296));
    CHECK(c.dali.buses.size() == 2);
    CHECK(c.luminaires.size() == 42);
    CHECK(c.areas.size() == 4);
    CHECK(c.schedule.profiles.size() == 3);
    CHECK(c.modbus.devices.size() == 2);
    CHECK(c.safety_flags.size() == 1);
    CHECK(c.mqtt.tls.enabled);
    CHECK(c.mqtt.tls.ca_file == "/etc/lykta/ca.pem");
    CHECK(c.dali.buses[1].interface.protocol == "hasseb");
    CHECK(c.dali.buses[1].interface.device == "/dev/hidraw0");

    // Compact runs expand in address order, numbered from `first`.
    REQUIRE(c.find_luminaire("L-003"));
    CHECK(c.find_luminaire("L-003")->address == 2);
    CHECK(c.find_luminaire("L-012")->address == 11);
    CHECK(c.find_luminaire("H-16")->address == 27);
    CHECK(c.find_luminaire("V-07")->address == 20);
    CHECK(c.find_luminaire("L-001")->location.present);
    CHECK(c.find_luminaire("L-001")->location.street == "Torget 1");

    const auto* trygg = c.find_profile("trygg");
    REQUIRE(trygg);
    CHECK(trygg->floor == 80);
    CHECK(c.find_area("stationen")->power_on_level == 100);
    CHECK(c.schedule.holidays.at("helgdagar").size() == 11);

    const SafetyFlag& flag = c.safety_flags.at(0);
    CHECK(flag.area == "stationen");
    REQUIRE(flag.recurrence);
    CHECK(flag.recurrence->from_minutes == 20 * 60);
    CHECK(flag.recurrence->to_minutes == 4 * 60);
    CHECK(flag.recurrence->weekdays == WeekdaySet{false, false, false, false, true, true, false});

    // Template dirs are resolved against the config file's folder.
    REQUIRE(c.modbus.template_dirs.size() == 2);
    CHECK(std::filesystem::path(c.modbus.template_dirs[0]) ==
          std::filesystem::path(source("config/templates")).lexically_normal());
}

TEST_CASE("config/demo.yaml loads and points at loopback", "[config]") {
    auto result = load_file(source("config/demo.yaml"));
    REQUIRE_LOADS(result);
    const Config& c = *result.config;
    CHECK(c.mqtt.uri == "tcp://127.0.0.1:1883");
    CHECK_FALSE(c.mqtt.tls.enabled);
    CHECK(c.dali.buses.at(0).interface.to_string() == "foxtron://127.0.0.1:55825");
    CHECK(c.dali.buses.at(1).interface.to_string() == "foxtron://127.0.0.1:55826");
    CHECK(c.modbus.networks.at(0).type == "tcp");
    CHECK(c.modbus.networks.at(0).port == 1502);
    CHECK(c.luminaires.size() == 42);
}

TEST_CASE("defaults fill what a minimal config leaves out", "[config]") {
    auto result = load_with("");
    REQUIRE_LOADS(result);
    const Config& c = *result.config;
    CHECK(c.mqtt.client_id == "gw1");
    CHECK(c.mqtt.uri == "tcp://127.0.0.1:1883");
    CHECK(c.mqtt.uris == std::vector<std::string>{"tcp://127.0.0.1:1883"});
    CHECK(c.mqtt.version == 0);  // auto
    CHECK(c.mqtt.qos == 1);
    CHECK_FALSE(c.mqtt.tls.enabled);
    CHECK(c.store.path == "/var/lib/lykta/lykta.db");
    CHECK(c.log.level == "info");
    CHECK(c.dali.buses.at(0).sweep_s == 60);
    CHECK(c.areas.at(0).name == "torget");
    CHECK_FALSE(c.areas.at(0).power_on_level);
    REQUIRE(c.modbus.template_dirs.size() == 2);
    CHECK(c.modbus.template_dirs[1] == "/usr/share/lykta/templates");
}

TEST_CASE("relative paths resolve against the config file's folder", "[config]") {
    auto dir = std::filesystem::temp_directory_path() / "lykta-config-test";
    std::filesystem::create_directories(dir / "etc");
    auto file = dir / "etc" / "lykta.yaml";
    {
        std::ofstream out(file);
        out << base_config << "store: { path: ../var/lykta.db }\n"
            << "mqtt: { uri: \"ssl://broker:8883\", password_file: mqtt.pass, tls: { ca_file: ca.pem } }\n"
            << "modbus: { template_dirs: [tpl, /opt/t] }\n";
    }
    auto result = load_file(file.string());
    REQUIRE_LOADS(result);
    const Config& c = *result.config;
    auto abs_dir = std::filesystem::absolute(dir).lexically_normal();
    CHECK(c.store.path == (abs_dir / "var" / "lykta.db").string());
    CHECK(c.mqtt.password_file == (abs_dir / "etc" / "mqtt.pass").string());
    CHECK(c.mqtt.tls.ca_file == (abs_dir / "etc" / "ca.pem").string());
    CHECK(c.mqtt.tls.enabled);  // by the tls section and by ssl://
    CHECK(c.modbus.template_dirs == std::vector<std::string>{(abs_dir / "etc" / "tpl").string(), "/opt/t"});
    std::filesystem::remove_all(dir);
}

TEST_CASE("a missing file is one diagnostic naming the file", "[config]") {
    auto result = load_file("/nonexistent/lykta.yaml");
    REQUIRE_FALSE(result.ok());
    REQUIRE(result.diagnostics.size() == 1);
    CHECK(result.diagnostics[0].to_string().rfind("/nonexistent/lykta.yaml: cannot read the file", 0) == 0);
}
