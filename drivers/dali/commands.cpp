#include "drivers/dali/commands.hpp"

#include <array>
#include <cstdio>

namespace lykta::dali {
namespace {

using R = Response;
constexpr std::uint8_t D0 = uses_dtr0, D1 = uses_dtr1, D2 = uses_dtr2, ND = uses_none;

// IEC 62386-102 clause 11 command set (via python-dali gear/general.py).
constexpr std::array commands{
    CommandInfo{op::off, 1, "OFF", false, ND, R::none, 0},
    CommandInfo{op::up, 1, "UP", false, ND, R::none, 0},
    CommandInfo{op::down, 1, "DOWN", false, ND, R::none, 0},
    CommandInfo{op::step_up, 1, "STEP UP", false, ND, R::none, 0},
    CommandInfo{op::step_down, 1, "STEP DOWN", false, ND, R::none, 0},
    CommandInfo{op::recall_max_level, 1, "RECALL MAX LEVEL", false, ND, R::none, 0},
    CommandInfo{op::recall_min_level, 1, "RECALL MIN LEVEL", false, ND, R::none, 0},
    CommandInfo{op::step_down_and_off, 1, "STEP DOWN AND OFF", false, ND, R::none, 0},
    CommandInfo{op::on_and_step_up, 1, "ON AND STEP UP", false, ND, R::none, 0},
    CommandInfo{op::go_to_last_active_level, 1, "GO TO LAST ACTIVE LEVEL", false, ND, R::none, 0},
    CommandInfo{op::go_to_scene, 16, "GO TO SCENE", false, ND, R::none, 0},
    CommandInfo{op::reset, 1, "RESET", true, ND, R::none, 0},
    CommandInfo{op::store_actual_level_in_dtr0, 1, "STORE ACTUAL LEVEL IN DTR0", true, D0, R::none, 0},
    CommandInfo{op::save_persistent_variables, 1, "SAVE PERSISTENT VARIABLES", true, ND, R::none, 0},
    CommandInfo{op::identify_device, 1, "IDENTIFY DEVICE", true, ND, R::none, 0},
    CommandInfo{op::set_max_level, 1, "SET MAX LEVEL", true, D0, R::none, 0},
    CommandInfo{op::set_min_level, 1, "SET MIN LEVEL", true, D0, R::none, 0},
    CommandInfo{op::set_system_failure_level, 1, "SET SYSTEM FAILURE LEVEL", true, D0, R::none, 0},
    CommandInfo{op::set_power_on_level, 1, "SET POWER ON LEVEL", true, D0, R::none, 0},
    CommandInfo{op::set_fade_time, 1, "SET FADE TIME", true, D0, R::none, 0},
    CommandInfo{op::set_fade_rate, 1, "SET FADE RATE", true, D0, R::none, 0},
    CommandInfo{op::set_extended_fade_time, 1, "SET EXTENDED FADE TIME", true, D0, R::none, 0},
    CommandInfo{op::set_scene, 16, "SET SCENE", true, D0, R::none, 0},
    CommandInfo{op::remove_from_scene, 16, "REMOVE FROM SCENE", true, ND, R::none, 0},
    CommandInfo{op::add_to_group, 16, "ADD TO GROUP", true, ND, R::none, 0},
    CommandInfo{op::remove_from_group, 16, "REMOVE FROM GROUP", true, ND, R::none, 0},
    CommandInfo{op::set_short_address, 1, "SET SHORT ADDRESS", true, D0, R::none, 0},
    CommandInfo{op::enable_write_memory, 1, "ENABLE WRITE MEMORY", true, ND, R::none, 0},
    CommandInfo{op::query_status, 1, "QUERY STATUS", false, ND, R::bitmap, 0},
    CommandInfo{op::query_control_gear_present, 1, "QUERY CONTROL GEAR PRESENT", false, ND, R::yes_no, 0},
    CommandInfo{op::query_lamp_failure, 1, "QUERY LAMP FAILURE", false, ND, R::yes_no, 0},
    CommandInfo{op::query_lamp_power_on, 1, "QUERY LAMP POWER ON", false, ND, R::yes_no, 0},
    CommandInfo{op::query_limit_error, 1, "QUERY LIMIT ERROR", false, ND, R::yes_no, 0},
    CommandInfo{op::query_reset_state, 1, "QUERY RESET STATE", false, ND, R::yes_no, 0},
    CommandInfo{op::query_missing_short_address, 1, "QUERY MISSING SHORT ADDRESS", false, ND, R::yes_no, 0},
    CommandInfo{op::query_version_number, 1, "QUERY VERSION NUMBER", false, ND, R::value, 0},
    CommandInfo{op::query_content_dtr0, 1, "QUERY CONTENT DTR0", false, D0, R::value, 0},
    CommandInfo{op::query_device_type, 1, "QUERY DEVICE TYPE", false, ND, R::value, 0},
    CommandInfo{op::query_physical_minimum, 1, "QUERY PHYSICAL MINIMUM", false, ND, R::value, 0},
    CommandInfo{op::query_power_failure, 1, "QUERY POWER FAILURE", false, ND, R::yes_no, 0},
    CommandInfo{op::query_content_dtr1, 1, "QUERY CONTENT DTR1", false, D1, R::value, 0},
    CommandInfo{op::query_content_dtr2, 1, "QUERY CONTENT DTR2", false, D2, R::value, 0},
    CommandInfo{op::query_actual_level, 1, "QUERY ACTUAL LEVEL", false, ND, R::value_or_mask, 0},
    CommandInfo{op::query_max_level, 1, "QUERY MAX LEVEL", false, ND, R::value, 0},
    CommandInfo{op::query_min_level, 1, "QUERY MIN LEVEL", false, ND, R::value, 0},
    CommandInfo{op::query_power_on_level, 1, "QUERY POWER ON LEVEL", false, ND, R::value_or_mask, 0},
    CommandInfo{op::query_system_failure_level, 1, "QUERY SYSTEM FAILURE LEVEL", false, ND, R::value_or_mask,
                0},
    CommandInfo{op::query_fade_time_fade_rate, 1, "QUERY FADE TIME/FADE RATE", false, ND, R::value, 0},
    CommandInfo{op::query_next_device_type, 1, "QUERY NEXT DEVICE TYPE", false, ND, R::value_or_mask, 0},
    CommandInfo{op::query_extended_fade_time, 1, "QUERY EXTENDED FADE TIME", false, ND, R::value, 0},
    CommandInfo{op::query_control_gear_failure, 1, "QUERY CONTROL GEAR FAILURE", false, ND, R::yes_no, 0},
    CommandInfo{op::query_scene_level, 16, "QUERY SCENE LEVEL", false, ND, R::value_or_mask, 0},
    CommandInfo{op::query_groups_0_7, 1, "QUERY GROUPS 0-7", false, ND, R::bitmap, 0},
    CommandInfo{op::query_groups_8_15, 1, "QUERY GROUPS 8-15", false, ND, R::bitmap, 0},
    CommandInfo{op::query_random_address_h, 1, "QUERY RANDOM ADDRESS (H)", false, ND, R::value, 0},
    CommandInfo{op::query_random_address_m, 1, "QUERY RANDOM ADDRESS (M)", false, ND, R::value, 0},
    CommandInfo{op::query_random_address_l, 1, "QUERY RANDOM ADDRESS (L)", false, ND, R::value, 0},
    CommandInfo{op::read_memory_location, 1, "READ MEMORY LOCATION", false, D0 | D1, R::value, 0},
    CommandInfo{op::query_extended_version_number, 1, "QUERY EXTENDED VERSION NUMBER", false, ND, R::value,
                0},
    CommandInfo{op::select_dimming_curve, 1, "SELECT DIMMING CURVE", true, D0, R::none, 6},
    CommandInfo{op::query_dimming_curve, 1, "QUERY DIMMING CURVE", false, ND, R::value, 6},
};

constexpr std::array specials{
    CommandInfo{special::terminate, 1, "TERMINATE", false, ND, R::none, 0},
    CommandInfo{special::dtr0, 1, "DTR0", false, D0, R::none, 0},
    CommandInfo{special::initialise, 1, "INITIALISE", true, ND, R::none, 0},
    CommandInfo{special::randomise, 1, "RANDOMISE", true, ND, R::none, 0},
    CommandInfo{special::compare, 1, "COMPARE", false, ND, R::yes_no, 0},
    CommandInfo{special::withdraw, 1, "WITHDRAW", false, ND, R::none, 0},
    CommandInfo{special::ping, 1, "PING", false, ND, R::none, 0},
    CommandInfo{special::search_address_h, 1, "SEARCHADDRH", false, ND, R::none, 0},
    CommandInfo{special::search_address_m, 1, "SEARCHADDRM", false, ND, R::none, 0},
    CommandInfo{special::search_address_l, 1, "SEARCHADDRL", false, ND, R::none, 0},
    CommandInfo{special::program_short_address, 1, "PROGRAM SHORT ADDRESS", false, ND, R::none, 0},
    CommandInfo{special::verify_short_address, 1, "VERIFY SHORT ADDRESS", false, ND, R::yes_no, 0},
    CommandInfo{special::query_short_address, 1, "QUERY SHORT ADDRESS", false, ND, R::value_or_mask, 0},
    CommandInfo{special::enable_device_type, 1, "ENABLE DEVICE TYPE", false, ND, R::none, 0},
    CommandInfo{special::dtr1, 1, "DTR1", false, D1, R::none, 0},
    CommandInfo{special::dtr2, 1, "DTR2", false, D2, R::none, 0},
    CommandInfo{special::write_memory_location, 1, "WRITE MEMORY LOCATION", false, D0 | D1, R::value, 0},
    CommandInfo{special::write_memory_location_no_reply, 1, "WRITE MEMORY LOCATION NO REPLY", false, D0 | D1,
                R::none, 0},
};

}  // namespace

const CommandInfo* command_info(std::uint8_t opcode, std::uint8_t enabled_device_type) {
    for (const auto& c : commands) {
        if (c.device_type != 0 && c.device_type != enabled_device_type) continue;
        if (opcode >= c.opcode && opcode < c.opcode + c.count) return &c;
    }
    return nullptr;
}

const CommandInfo* special_info(std::uint8_t address_byte) {
    for (const auto& c : specials)
        if (c.opcode == address_byte) return &c;
    return nullptr;
}

ForwardFrame command(Address to, std::uint8_t opcode) {
    return make_frame(to.byte(true), opcode);
}

ForwardFrame special_command(std::uint8_t opcode, std::uint8_t data) {
    return make_frame(opcode, data);
}

FrameShape shape_of(ForwardFrame frame, std::uint8_t enabled_device_type) {
    const CommandInfo* info = nullptr;
    if (auto a = decode_address(frame.address_byte())) {
        if (!a->command) return {};  // DAPC
        info = command_info(frame.data(), enabled_device_type);
    } else {
        info = special_info(frame.address_byte());
    }
    if (!info) return {};
    return {info->response != Response::none, info->send_twice, info->response};
}

std::string describe(ForwardFrame frame, std::uint8_t enabled_device_type) {
    char buf[64];
    auto a = decode_address(frame.address_byte());
    if (a && !a->command) {
        std::snprintf(buf, sizeof buf, "DAPC(%s, %u)", a->address.to_string().c_str(), frame.data());
        return buf;
    }
    if (a) {
        const auto* info = command_info(frame.data(), enabled_device_type);
        std::string name = info ? info->name : "RESERVED " + std::to_string(frame.data());
        if (info && info->count > 1) name += " " + std::to_string(frame.data() - info->opcode);
        return name + "(" + a->address.to_string() + ")";
    }
    const auto* info = special_info(frame.address_byte());
    if (!info) {
        std::snprintf(buf, sizeof buf, "RESERVED SPECIAL %02X(0x%02X)", frame.address_byte(), frame.data());
        return buf;
    }
    std::snprintf(buf, sizeof buf, "%s(0x%02X)", info->name, frame.data());
    return buf;
}

}  // namespace lykta::dali
