#pragma once
// The IEC 62386-102 command set for control gear as data: one table row per
// command (opcode, send-twice, DTR use, kind of answer), so the encoder, the
// frame-log decoder, the scheduler and the simulated gear all read the same
// facts. Opcodes follow python-dali gear/general.py with DALI-2 names.
#include <cstdint>
#include <optional>
#include <string>

#include "drivers/dali/frame.hpp"

namespace lykta::dali {

enum class Response : std::uint8_t {
    none,           // a command: no backward frame
    value,          // 8-bit number
    value_or_mask,  // 8-bit number, 255 = MASK ("not set")
    yes_no,         // 0xFF = yes, no backward frame = no; a framing error also means yes
    bitmap,         // bit field (STATUS, GROUPS)
};

enum DtrUse : std::uint8_t { uses_none = 0, uses_dtr0 = 1, uses_dtr1 = 2, uses_dtr2 = 4 };

struct CommandInfo {
    std::uint8_t opcode;  // first opcode of the row
    std::uint8_t count;   // rows like GO TO SCENE cover opcode .. opcode+count-1
    const char* name;
    bool send_twice;
    std::uint8_t dtr;  // DtrUse bits
    Response response;
    std::uint8_t device_type;  // 0 = part 102; 6 = part 207 (needs ENABLE DEVICE TYPE 6 first)
};

// Opcodes of commands sent to an address (selector bit 1).
namespace op {
inline constexpr std::uint8_t off = 0x00, up = 0x01, down = 0x02, step_up = 0x03, step_down = 0x04,
                              recall_max_level = 0x05, recall_min_level = 0x06, step_down_and_off = 0x07,
                              on_and_step_up = 0x08, go_to_last_active_level = 0x0A, go_to_scene = 0x10,
                              reset = 0x20, store_actual_level_in_dtr0 = 0x21,
                              save_persistent_variables = 0x22, identify_device = 0x25, set_max_level = 0x2A,
                              set_min_level = 0x2B, set_system_failure_level = 0x2C,
                              set_power_on_level = 0x2D, set_fade_time = 0x2E, set_fade_rate = 0x2F,
                              set_extended_fade_time = 0x30, set_scene = 0x40, remove_from_scene = 0x50,
                              add_to_group = 0x60, remove_from_group = 0x70, set_short_address = 0x80,
                              enable_write_memory = 0x81, query_status = 0x90,
                              query_control_gear_present = 0x91, query_lamp_failure = 0x92,
                              query_lamp_power_on = 0x93, query_limit_error = 0x94, query_reset_state = 0x95,
                              query_missing_short_address = 0x96, query_version_number = 0x97,
                              query_content_dtr0 = 0x98, query_device_type = 0x99,
                              query_physical_minimum = 0x9A, query_power_failure = 0x9B,
                              query_content_dtr1 = 0x9C, query_content_dtr2 = 0x9D, query_actual_level = 0xA0,
                              query_max_level = 0xA1, query_min_level = 0xA2, query_power_on_level = 0xA3,
                              query_system_failure_level = 0xA4, query_fade_time_fade_rate = 0xA5,
                              query_next_device_type = 0xA7, query_extended_fade_time = 0xA8,
                              query_control_gear_failure = 0xAA, query_scene_level = 0xB0,
                              query_groups_0_7 = 0xC0, query_groups_8_15 = 0xC1,
                              query_random_address_h = 0xC2, query_random_address_m = 0xC3,
                              query_random_address_l = 0xC4, read_memory_location = 0xC5,
                              query_extended_version_number = 0xFF;
// Part 207 (device type 6, LED gear); only after ENABLE DEVICE TYPE 6.
inline constexpr std::uint8_t select_dimming_curve = 0xE3, query_dimming_curve = 0xEE;
}  // namespace op

// Special commands: the address byte is the opcode, the data byte its parameter.
namespace special {
inline constexpr std::uint8_t terminate = 0xA1, dtr0 = 0xA3, initialise = 0xA5, randomise = 0xA7,
                              compare = 0xA9, withdraw = 0xAB, ping = 0xAD, search_address_h = 0xB1,
                              search_address_m = 0xB3, search_address_l = 0xB5, program_short_address = 0xB7,
                              verify_short_address = 0xB9, query_short_address = 0xBB,
                              enable_device_type = 0xC1, dtr1 = 0xC3, dtr2 = 0xC5,
                              write_memory_location = 0xC7, write_memory_location_no_reply = 0xC9;
// INITIALISE parameters.
inline constexpr std::uint8_t initialise_all = 0x00, initialise_unaddressed = 0xFF;
}  // namespace special

// Table lookups; nullptr for opcodes not in the table (reserved or other device types).
const CommandInfo* command_info(std::uint8_t opcode, std::uint8_t enabled_device_type = 0);
const CommandInfo* special_info(std::uint8_t address_byte);

ForwardFrame command(Address to, std::uint8_t opcode);
ForwardFrame special_command(std::uint8_t opcode, std::uint8_t data = 0);
// Short-address parameter of PROGRAM/VERIFY SHORT ADDRESS and SET SHORT ADDRESS: 0AAAAAA1.
// Throws std::out_of_range outside 0..63, like Address::short_address.
inline std::uint8_t address_parameter(int short_address) {
    return static_cast<std::uint8_t>(Address::short_address(short_address).value << 1 | 1);
}

// What a frame needs from the transport, from the table; unknown frames are
// sent once and not expected to answer.
struct FrameShape {
    bool expect_answer = false;
    bool send_twice = false;
    Response response = Response::none;
};
FrameShape shape_of(ForwardFrame frame, std::uint8_t enabled_device_type = 0);

// Human-readable decoding for frame logs: "DAPC(short 5, 254)", "QUERY STATUS(short 1)",
// "DTR0(0x80)". Stateless; device-type commands decode as part 207 when `enabled_device_type` is 6.
std::string describe(ForwardFrame frame, std::uint8_t enabled_device_type = 0);

}  // namespace lykta::dali
