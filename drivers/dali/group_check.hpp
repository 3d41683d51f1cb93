#pragma once
// Group membership of configured gear against what the config wants
// (IEC 62386-102: QUERY GROUPS 0-7 / 8-15 answer a bitmap; ADD TO GROUP g /
// REMOVE FROM GROUP g are configuration commands, sent twice within 100 ms).
// A group frame reaches whoever holds the group, so one gear outside its group
// (or inside another area's) silently misses or wrongly follows area commands.
// Reads (and repairs) run one gear after the other at group priority, above
// everything but actuation (the result decides how every later command is
// addressed), in short jobs, so actuation waits at most one of them (≤ 3
// send-twice frames ≈ 180 ms). Only the banks (0-7, 8-15) that hold a group the
// bus addresses are read: membership of a group no frame goes to cannot misroute
// one, and skipping the other bank halves the check (64 gear: ≈ 3 s, not 6 s).
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "drivers/dali/scheduler.hpp"

namespace lykta::dali {

class Bus;

struct GroupWant {
    int address = 0;
    std::uint16_t groups = 0;  // bit g: member of DALI group g
};

struct GroupCheck {
    int address = 0;
    std::uint16_t want = 0;
    bool answered = false;                // the gear answered the first read
    bool bus_failed = false;              // the bus could not be asked (interface down, power lost)
    std::optional<std::uint16_t> before;  // membership as first read
    std::optional<std::uint16_t> after;   // membership at the end (re-read after a repair)
    bool written = false;                 // ADD/REMOVE frames were sent
    std::string problem;                  // why not verified ("no answer", "framing error", ...)
    bool verified() const { return after && *after == want; }
    // Groups a group frame cannot be trusted for because of this gear: where its
    // membership differs from the config, or every wanted one when it is unknown.
    std::uint16_t unsafe_groups() const;
};

// Pure parts, tested without a bus.
// The groups whose membership a read of `groups` learns: whole banks (QUERY GROUPS
// 0-7 answers for all of 0-7); bank 0-7 when `groups` is empty.
std::uint16_t read_banks(std::uint16_t groups);
// QUERY GROUPS 0-7 and/or 8-15, the banks of read_banks(groups).
std::vector<Step> group_query_steps(int address, std::uint16_t groups = 0xFFFF);
// Membership from the replies of group_query_steps(address, groups) (the last one
// or two of `replies`); groups of a bank not read are 0.
std::optional<std::uint16_t> decode_groups(const std::vector<Reply>& replies, std::uint16_t groups = 0xFFFF);
// ADD TO GROUP / REMOVE FROM GROUP frames turning `have` into `want`.
std::vector<Step> group_repair_steps(int address, std::uint16_t have, std::uint16_t want);
// "1, 4" / "none": group numbers for logs and events.
std::vector<int> group_list(std::uint16_t mask);

// Reads each gear's membership of the banks holding `groups` or a wanted group
// (0xFFFF: all sixteen); with `repair`, writes the differences and reads again.
// `done` gets one record per entry, in order, on the loop (inside the call when
// `wanted` is empty). Queued reads fail when the bus stops.
void check_group_membership(Bus& bus, std::vector<GroupWant> wanted, bool repair, std::uint16_t groups,
                            std::function<void(std::vector<GroupCheck>)> done);

}  // namespace lykta::dali
