// hasseb USB DALI Master reports, byte for byte. The maker prints no hex examples:
// each vector below is the field list of its README section filled in
// (hasseb/python-dali dali/driver/hasseb_firmware/README.md, commit 1ee5f4e), and the
// same bytes the maker's driver packs (dali/driver/hasseb.py, same commit: construct()
// l.119-141, readFirmwareVersion() l.205-221) or reads (extract() l.143-173).
#include <catch2/catch.hpp>

#include "drivers/dali/commands.hpp"
#include "drivers/dali/hasseb_protocol.hpp"

using namespace lykta::dali;
namespace h = lykta::dali::hasseb;

namespace {
template <std::size_t N>
std::optional<h::Incoming> parse(const std::uint8_t (&bytes)[N]) {
    return h::parse_report(std::span<const std::uint8_t>(bytes, N));
}
}  // namespace

TEST_CASE("hasseb: requests as README 'Reports from host to interface' lays them out", "[dali][hasseb]") {
    // "0x02, Read firmware version": preamble, command, sequence; hasseb.py l.209-210.
    CHECK(h::firmware_request(1) == h::Report{0xAA, 0x02, 0x01, 0, 0, 0, 0, 0, 0, 0});
    // "0x07, Send frame": 16 bits, answer expected, reserved, once, frame 0x0390 (QUERY
    // STATUS to short address 1), as construct() packs it for a query.
    CHECK(h::frame_report(7, command(Address::short_address(1), op::query_status), true, false) ==
          h::Report{0xAA, 0x07, 0x07, 0x10, 0x01, 0x00, 0x00, 0x03, 0x90, 0x00});
    // A send-twice command (SET FADE TIME, broadcast 0xFF2E): no answer, byte 6 = 10 ms
    // between the two frames (construct(): send_twice = 10).
    CHECK(h::frame_report(8, command(Address::broadcast(), op::set_fade_time), false, true) ==
          h::Report{0xAA, 0x07, 0x08, 0x10, 0x00, 0x00, 0x0A, 0xFF, 0x2E, 0x00});
    // DAPC 100 to short address 3, once, no answer.
    CHECK(h::frame_report(255, dapc(Address::short_address(3), 100), false, false) ==
          h::Report{0xAA, 0x07, 0xFF, 0x10, 0x00, 0x00, 0x00, 0x06, 0x64, 0x00});
}

TEST_CASE("hasseb: the firmware version report and the 2.3 minimum", "[dali][hasseb]") {
    // README "Firmware version": byte 3 major, byte 4 minor; hasseb.py l.218 f"{data[3]}.{data[4]}".
    // These are the bytes the 2.3 binary writes (new_firmware.bin 0x1714-0x174e).
    const std::uint8_t v23[] = {0xAA, 0x02, 0x01, 0x02, 0x03, 0, 0, 0, 0, 0};
    auto in = parse(v23);
    REQUIRE(in);
    CHECK(in->kind == h::Incoming::Kind::firmware);
    CHECK(in->sequence == 1);
    CHECK(in->firmware.major == 2);
    CHECK(in->firmware.minor == 3);
    CHECK(in->firmware.supported());
    CHECK_FALSE(h::Firmware{2, 2}.supported());
    CHECK_FALSE(h::Firmware{1, 9}.supported());
    CHECK(h::Firmware{2, 10}.supported());
    CHECK(h::Firmware{3, 0}.supported());
}

TEST_CASE("hasseb: every transmission report status (README 'Transmission report')", "[dali][hasseb]") {
    const std::uint8_t answer[] = {0xAA, 0x07, 0x07, 0x02, 0x08, 0xFE, 0, 0, 0, 0};  // 2: 8-bit answer 0xFE
    auto in = parse(answer);
    REQUIRE(in);
    CHECK(in->kind == h::Incoming::Kind::transmission);
    CHECK(in->sequence == 7);
    CHECK(in->reply == Reply::answer(0xFE));
    // The README gives the length in bits (8); the 2.3 binary writes bytes (1, at
    // 0x7e4-0x842) and hasseb.py extract() l.156 tests "data[4] == 1". Any length of at
    // least 1 carries the answer in byte 5.
    const std::uint8_t answer_len1[] = {0xAA, 0x07, 0x07, 0x02, 0x01, 0x64, 0, 0, 0, 0};
    CHECK(parse(answer_len1)->reply == Reply::answer(0x64));
    const std::uint8_t answer_len0[] = {0xAA, 0x07, 0x07, 0x02, 0x00, 0x64, 0, 0, 0, 0};
    CHECK_FALSE(parse(answer_len0));
    const std::uint8_t none[] = {0xAA, 0x07, 0x09, 0x01, 0, 0, 0, 0, 0, 0};
    CHECK(parse(none)->reply == Reply::none());
    const std::uint8_t invalid[] = {0xAA, 0x07, 0x09, 0x03, 0, 0, 0, 0, 0, 0};
    CHECK(parse(invalid)->reply == Reply::framing());
    const std::uint8_t early[] = {0xAA, 0x07, 0x09, 0x04, 0, 0, 0, 0, 0, 0};
    CHECK(parse(early)->reply == Reply::framing());
    // 5 sniffing byte and 6 sniffing byte error (sequence 0): reports, no reply.
    for (std::uint8_t s : {h::status::sniffer_byte, h::status::sniffer_error}) {
        const std::uint8_t r[] = {0xAA, 0x07, 0x00, s, 0x08, 0x12, 0, 0, 0, 0};
        auto p = parse(r);
        REQUIRE(p);
        CHECK_FALSE(p->reply);
    }
    // 0 is not in the README's list (hasseb.py's NO_DATA_AVAILABLE = 0 is a report type,
    // byte 1): a failed transmission, not "nothing to report".
    const std::uint8_t zero[] = {0xAA, 0x07, 0x09, 0x00, 0, 0, 0, 0, 0, 0};
    REQUIRE(parse(zero));
    CHECK(parse(zero)->undocumented_status());
    CHECK(parse(zero)->reply == Reply::failed(BusError::interface));
    CHECK_FALSE(parse(answer)->undocumented_status());
    const std::uint8_t unknown[] = {0xAA, 0x07, 0x09, 0x07, 0, 0, 0, 0, 0, 0};
    CHECK_FALSE(parse(unknown));
}

TEST_CASE("hasseb: a read that is not one 10-byte AA report is refused whole", "[dali][hasseb]") {
    const std::uint8_t short_read[] = {0xAA, 0x07, 0x09};
    CHECK_FALSE(parse(short_read));
    const std::uint8_t long_read[] = {0xAA, 0x07, 0x09, 0x01, 0, 0, 0, 0, 0, 0, 0xAA};
    CHECK_FALSE(parse(long_read));
    const std::uint8_t no_preamble[] = {0x00, 0x07, 0x09, 0x01, 0, 0, 0, 0, 0, 0};
    CHECK_FALSE(parse(no_preamble));
    const std::uint8_t old_protocol[] = {0x00, 0x00};  // firmware 1.x: [status][data]
    CHECK_FALSE(parse(old_protocol));
    const std::uint8_t nop[] = {0xAA, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0};  // "No operation": ignored
    auto p = parse(nop);
    REQUIRE(p);
    CHECK(p->kind == h::Incoming::Kind::other);
}
