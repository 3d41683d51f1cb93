// modbus/write argument checking: every error names its code and field.
#include <catch2/catch.hpp>

#include "drivers/modbus/template_loader.hpp"
#include "gateway/cabinet/write_request.hpp"

using namespace lykta;
using namespace lykta::cabinet;
using nlohmann::json;

namespace {

const modbus::DeviceTemplate& io_template() {
    static const auto t =
        *modbus::load_template_file(std::string(LYKTA_SOURCE_DIR) + "/config/templates/relay-di-8.yaml")
             .device_template;
    return t;
}

std::variant<WriteRequest, api::CommandError> parse(const json& args) {
    return parse_write_request(args, [](const std::string& id) -> const modbus::DeviceTemplate* {
        return id == "io1" ? &io_template() : nullptr;
    });
}

void require_error(const json& args, const std::string& code, const std::string& field) {
    auto r = parse(args);
    INFO(args.dump());
    REQUIRE(std::holds_alternative<api::CommandError>(r));
    CHECK(std::get<api::CommandError>(r).code == code);
    CHECK(std::get<api::CommandError>(r).field == field);
}

}  // namespace

TEST_CASE("a valid write names the device, the value and the number to set") {
    auto r = parse({{"device", "io1"}, {"value", "contactor"}, {"set", true}});
    REQUIRE(std::holds_alternative<WriteRequest>(r));
    const auto& w = std::get<WriteRequest>(r);
    CHECK(w.device == "io1");
    CHECK(io_template().values[w.value_index].name == "contactor");
    CHECK(w.set == 1);
    auto off = parse({{"device", "io1"}, {"value", "relay_3"}, {"set", 0}});
    REQUIRE(std::holds_alternative<WriteRequest>(off));
    CHECK(std::get<WriteRequest>(off).set == 0);
}

TEST_CASE("write errors: codes and field paths") {
    require_error(json::object(), "bad_request", "device");
    require_error({{"device", 3}}, "bad_request", "device");
    require_error({{"device", "meter9"}, {"value", "contactor"}, {"set", true}}, "unknown_meter", "device");
    require_error({{"device", "io1"}, {"set", true}}, "bad_request", "value");
    require_error({{"device", "io1"}, {"value", "nope"}, {"set", true}}, "bad_request", "value");
    require_error({{"device", "io1"}, {"value", "door_open"}, {"set", true}}, "bad_request", "value");
    require_error({{"device", "io1"}, {"value", "contactor"}}, "bad_request", "set");
    require_error({{"device", "io1"}, {"value", "contactor"}, {"set", "on"}}, "bad_request", "set");
}
