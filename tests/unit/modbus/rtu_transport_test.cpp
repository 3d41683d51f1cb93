// RTU inter-frame silence (Modbus over Serial Line V1.02, 2.5.1.1) and the
// classification of libmodbus errno values into outcomes.
#include <catch2/catch.hpp>

#include <modbus/modbus.h>

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <cerrno>

#include "drivers/modbus/rtu_transport.hpp"

using namespace lykta;
using namespace lykta::modbus;

namespace {
RtuSettings rtu(int baud, char parity = 'N', int stop_bits = 1) {
    RtuSettings n;
    n.baud = baud;
    n.parity = parity;
    n.stop_bits = stop_bits;
    return n;
}
}  // namespace

TEST_CASE("t3.5 is 3.5 character times up to 19200 baud, 1.75 ms above") {
    // 9600 8N1: 10 bits per character, 1.0417 ms; t3.5 = 3.646 ms
    CHECK(inter_frame_silence(rtu(9600)).count() == Approx(3645833).margin(1));
    // 9600 8E1 and 8N2: 11 bits, t3.5 = 4.010 ms
    CHECK(inter_frame_silence(rtu(9600, 'E')).count() == Approx(4010416).margin(1));
    CHECK(inter_frame_silence(rtu(9600, 'N', 2)).count() == Approx(4010416).margin(1));
    CHECK(inter_frame_silence(rtu(19200)).count() == Approx(1822916).margin(1));
    CHECK(inter_frame_silence(rtu(38400)) == std::chrono::microseconds(1750));
    CHECK(inter_frame_silence(rtu(115200)) == std::chrono::microseconds(1750));
}

TEST_CASE("libmodbus errno values map to outcomes that availability tells apart") {
    CHECK(classify_errno(ETIMEDOUT) == Outcome::timeout);
    CHECK(classify_errno(EMBXILADD) == Outcome::exception);
    CHECK(classify_errno(EMBXGTAR) == Outcome::exception);
    CHECK(classify_errno(EMBBADCRC) == Outcome::bad_response);
    CHECK(classify_errno(EMBBADSLAVE) == Outcome::bad_response);
    CHECK(classify_errno(ECONNRESET) == Outcome::link_down);
    CHECK(classify_errno(EIO) == Outcome::link_down);
    CHECK(errno_text(EMBXILADD) == "exception 2 (illegal data address)");
    CHECK(errno_text(EMBBADCRC) == "invalid CRC");
}

TEST_CASE("an RTU port opens in RS-485 mode where the port has it, and regardless where it has not") {
    // A pty has no RS-485 mode (TIOCSRS485 answers "inappropriate ioctl", as
    // USB adapters that switch direction themselves do): the port still opens.
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    REQUIRE(master >= 0);
    REQUIRE(grantpt(master) == 0);
    REQUIRE(unlockpt(master) == 0);
    RtuSettings n = rtu(19200, 'E');
    n.device = ptsname(master);
    n.rs485 = true;
    RtuTransport pty(n, 0.5);
    std::string error;
    REQUIRE(pty.open(error));
    CHECK(pty.is_open());
    INFO(error);
    CHECK((error.empty() || error.find(n.device) != std::string::npos));
    CHECK(describe(n) == "rtu " + n.device + " 19200 8E1");
    pty.close();
    CHECK_FALSE(pty.is_open());
    ::close(master);

    n.device = "/dev/lykta-no-such-port";
    RtuTransport missing(n, 0.5);
    CHECK_FALSE(missing.open(error));
    CHECK(error.find("cannot open rtu /dev/lykta-no-such-port 19200 8E1") == 0);
    CHECK_FALSE(missing.is_open());
}
