#include "lykta-sim/modbus/control.hpp"

#include <charconv>
#include <sstream>
#include <vector>

namespace lykta::sim {
namespace {

bool number(const std::string& text, int& out, int min, int max) {
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && end == text.data() + text.size() && out >= min && out <= max;
}

}  // namespace

std::string apply_control(SimCabinet& cabinet, const std::string& line) {
    std::istringstream in(line);
    std::vector<std::string> w;
    for (std::string word; in >> word;) w.push_back(word);
    if (w.empty()) return "error empty command";
    const std::string& verb = w[0];
    int unit = 0;
    int n = 0;
    auto state = [&] { cabinet.update(std::chrono::steady_clock::now()); };
    if (verb == "door" && w.size() == 2 && (w[1] == "open" || w[1] == "closed")) {
        cabinet.door_open = w[1] == "open";
        state();
        return "ok door " + w[1];
    }
    if (verb == "photocell" && w.size() == 2 && (w[1] == "on" || w[1] == "off")) {
        cabinet.photocell = w[1] == "on";
        state();
        return "ok photocell " + w[1];
    }
    if (verb == "lux" && w.size() == 2 && number(w[1], n, 0, 200000)) {
        cabinet.set_lux(static_cast<std::uint32_t>(n));
        return "ok lux " + w[1];
    }
    if (verb == "feedback" && w.size() == 2 && (w[1] == "auto" || w[1] == "on" || w[1] == "off")) {
        cabinet.feedback_forced = w[1] == "auto" ? -1 : w[1] == "on" ? 1 : 0;
        state();
        return "ok feedback " + w[1];
    }
    if ((verb == "offline" || verb == "online") && w.size() == 2 && number(w[1], unit, 0, 255)) {
        cabinet.faults(unit).offline = verb == "offline";
        return "ok unit " + w[1] + " " + verb;
    }
    if (verb == "exception" && w.size() == 3 && number(w[1], unit, 0, 255) && number(w[2], n, 0, 255)) {
        cabinet.faults(unit).exception = n;
        return "ok unit " + w[1] + " exception " + w[2];
    }
    if (verb == "slow" && w.size() == 3 && number(w[1], unit, 0, 255) && number(w[2], n, 0, 60000)) {
        cabinet.faults(unit).delay_ms = n;
        return "ok unit " + w[1] + " slow " + w[2] + " ms";
    }
    if (verb == "ignore-writes" && w.size() == 3 && number(w[1], unit, 0, 255) &&
        (w[2] == "on" || w[2] == "off")) {
        cabinet.faults(unit).ignore_writes = w[2] == "on";
        return "ok unit " + w[1] + " ignore-writes " + w[2];
    }
    if (verb == "multiple-writes-only" && w.size() == 3 && number(w[1], unit, 0, 255) &&
        (w[2] == "on" || w[2] == "off")) {
        cabinet.faults(unit).multiple_writes_only = w[2] == "on";
        return "ok unit " + w[1] + " multiple-writes-only " + w[2];
    }
    if ((verb == "hold" || verb == "move") && w.size() == 1) {
        state();
        cabinet.hold = verb == "hold";
        return "ok " + verb;
    }
    if (verb == "get" && w.size() == 2 && number(w[1], unit, 0, 255)) {
        state();
        return "ok " + cabinet.describe(unit);
    }
    return "error unknown command '" + line +
           "' (door open|closed, feedback auto|on|off, photocell on|off, lux 0..200000, offline N, online N, "
           "exception N "
           "CODE, "
           "slow N MS, ignore-writes N on|off, multiple-writes-only N on|off, hold, move, get N)";
}

}  // namespace lykta::sim
