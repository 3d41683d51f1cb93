#include "lykta-sim/dali/control_commands.hpp"

#include "lykta-sim/dali/gear_identity.hpp"

#include <sstream>
#include <vector>

namespace lykta::sim {
namespace {

std::vector<std::string> words(const std::string& line) {
    std::istringstream in(line);
    std::vector<std::string> out;
    for (std::string w; in >> w;) out.push_back(w);
    return out;
}

std::optional<bool> on_off(const std::vector<std::string>& w, std::size_t i, bool dflt) {
    if (w.size() <= i) return dflt;
    if (w[i] == "on" || w[i] == "1" || w[i] == "true") return true;
    if (w[i] == "off" || w[i] == "0" || w[i] == "false") return false;
    return std::nullopt;
}

}  // namespace

std::optional<std::uint16_t> parse_group_list(const std::string& text) {
    if (text == "none") return 0;
    std::uint16_t mask = 0;
    std::istringstream in(text);
    for (std::string item; std::getline(in, item, ',');) {
        if (item.empty() || item.size() > 2 || item.find_first_not_of("0123456789") != std::string::npos)
            return std::nullopt;
        const int g = std::stoi(item);
        if (g > 15) return std::nullopt;
        mask = static_cast<std::uint16_t>(mask | 1u << g);
    }
    return mask;
}

std::string control_help() {
    return "commands: lamp-failure A on|off, gear-failure A on|off, missing A [on|off], stuck A L|off, "
           "no-answer-rate X, "
           "collision-rate X, set-level A L, bus-power on|off, garbage, disconnect, silent on|off, level? A, "
           "status? A, "
           "power-on? A, system-failure? A, groups? A, set-groups A G,G|none, groups-locked A on|off, fade? "
           "A, "
           "addresses?, frames?, refused?, " +
           identity_help();
}

std::string run_control_command(const std::string& line, dali::SimBus& bus, dali::FoxtronServer& server) {
    auto w = words(line);
    if (w.empty()) return "error: empty command";
    const std::string& cmd = w[0];
    server.sync_clock();
    const double now = bus.now();
    auto gear = [&](std::size_t i) -> dali::SimGear* {
        if (w.size() <= i) return nullptr;
        try {
            return bus.gear_at(std::stoi(w[i]));
        } catch (const std::exception&) {
            return nullptr;
        }
    };
    if (cmd == "help") return control_help();
    if (cmd == "addresses?") {
        std::string out = "addresses";
        for (auto& g : bus.gears()) out += g.short_address ? " " + std::to_string(*g.short_address) : " -";
        return out;
    }
    if (cmd == "frames?") {
        const auto& c = bus.counters();
        return "frames " + std::to_string(c.frames) + " answers " + std::to_string(c.answers) +
               " no_answers " + std::to_string(c.no_answers) + " collisions " + std::to_string(c.collisions);
    }
    if (cmd == "refused?") {  // what the Foxtron side turned down (events 5, 6, 4)
        const auto& r = server.refused();
        return "refused corrupt " + std::to_string(r.corrupt) + " invalid " + std::to_string(r.invalid) +
               " buffer_full " + std::to_string(r.buffer_full);
    }
    if (cmd == "no-answer-rate" || cmd == "collision-rate") {
        if (w.size() < 2) return "error: " + cmd + " needs a rate 0..1";
        double rate = 0;
        try {
            rate = std::stod(w[1]);
        } catch (const std::exception&) {
            return "error: '" + w[1] + "' is not a number";
        }
        if (rate < 0 || rate > 1) return "error: rate must be 0..1";
        (cmd == "no-answer-rate" ? bus.faults.no_answer_rate : bus.faults.collision_rate) = rate;
        return "ok";
    }
    if (cmd == "bus-power" || cmd == "silent") {
        auto v = on_off(w, 1, true);
        if (!v) return "error: expected on or off";
        if (cmd == "silent")
            server.silent = *v;
        else
            server.set_bus_power(*v);
        return "ok";
    }
    if (cmd == "garbage") {
        server.send_raw(
            "\x01ZZ\x17garbage\x01"
            "0D10");
        return "ok";
    }
    if (cmd == "disconnect") {
        server.disconnect_clients();
        return "ok";
    }
    if (auto answer = run_identity_command(w, bus)) return *answer;
    auto* g = gear(1);
    if (cmd == "lamp-failure" || cmd == "gear-failure" || cmd == "missing") {
        if (!g) return "error: no gear at short address '" + (w.size() > 1 ? w[1] : "") + "'";
        auto v = on_off(w, 2, true);
        if (!v) return "error: expected on or off";
        if (cmd == "lamp-failure")
            g->faults.lamp_failure = *v;
        else if (cmd == "gear-failure")
            g->faults.gear_failure = *v;
        else {
            const bool was_missing = g->faults.missing;
            g->faults.missing = *v;
            if (was_missing && !*v) g->mains_restored(now);  // comes back like after a power cut
        }
        return "ok";
    }
    if (cmd == "stuck") {  // goes to L (as set-level), then ignores every level change until "off"
        if (!g || w.size() < 3) return "error: stuck needs a short address and a level 0..254 or off";
        if (w[2] == "off") {
            g->faults.stuck = false;
            return "ok";
        }
        int level = -1;
        try {
            level = std::stoi(w[2]);
        } catch (const std::exception&) {
        }
        if (level < 0 || level > 254) return "error: level must be 0..254 or off";
        g->faults.stuck = false;
        g->receive(
            dali::dapc(dali::Address::short_address(*g->short_address), static_cast<std::uint8_t>(level)),
            now, false);
        g->faults.stuck = true;
        return "ok";
    }
    if (cmd == "set-groups") {  // as if another controller had programmed the membership
        if (!g || w.size() < 3) return "error: set-groups needs a short address and groups (1,4 or none)";
        auto mask = parse_group_list(w[2]);
        if (!mask) return "error: groups must be numbers 0..15 separated by commas, or none";
        g->groups = *mask;
        return "ok";
    }
    if (cmd == "groups-locked") {
        if (!g) return "error: no gear at short address '" + (w.size() > 1 ? w[1] : "") + "'";
        auto v = on_off(w, 2, true);
        if (!v) return "error: expected on or off";
        g->faults.groups_locked = *v;
        return "ok";
    }
    if (cmd == "set-level") {  // as if another master had sent DAPC to this gear
        if (!g || w.size() < 3) return "error: set-level needs a short address and a level 0..254";
        int level = -1;
        try {
            level = std::stoi(w[2]);
        } catch (const std::exception&) {
        }
        if (level < 0 || level > 254) return "error: level must be 0..254";
        g->receive(
            dali::dapc(dali::Address::short_address(*g->short_address), static_cast<std::uint8_t>(level)),
            now, false);
        return "ok";
    }
    if (cmd.back() == '?') {
        if (!g) return "error: no gear at short address '" + (w.size() > 1 ? w[1] : "") + "'";
        const std::string a = w[1];
        if (cmd == "level?") return "level " + a + " " + std::to_string(g->actual_level(now));
        if (cmd == "status?") return "status " + a + " " + g->status(now).to_string();
        if (cmd == "power-on?") return "power-on " + a + " " + std::to_string(g->power_on_level);
        if (cmd == "system-failure?")
            return "system-failure " + a + " " + std::to_string(g->system_failure_level);
        if (cmd == "groups?") return "groups " + a + " " + std::to_string(g->groups);
        if (cmd == "fade?") return "fade " + a + " " + std::to_string(g->fade_time);
    }
    return "error: unknown command '" + cmd + "' (try help)";
}

}  // namespace lykta::sim
