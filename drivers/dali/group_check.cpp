#include "drivers/dali/group_check.hpp"

#include <memory>

#include "drivers/dali/bus.hpp"
#include "drivers/dali/commands.hpp"

namespace lykta::dali {
namespace {
// Send-twice frames per repair job: 3 × 59.4 ms keeps a waiting light command under 0.2 s.
constexpr std::size_t repair_frames_per_job = 3;
}  // namespace

std::uint16_t GroupCheck::unsafe_groups() const {
    if (after) return static_cast<std::uint16_t>(*after ^ want);
    if (!answered && !bus_failed) return 0;  // absent: neither a group nor a short frame reaches it
    return want;
}

std::uint16_t read_banks(std::uint16_t groups) {
    std::uint16_t banks = 0;
    if (groups & 0x00FF) banks |= 0x00FF;
    if (groups & 0xFF00) banks |= 0xFF00;
    return banks ? banks : 0x00FF;
}

std::vector<Step> group_query_steps(int address, std::uint16_t groups) {
    const auto to = Address::short_address(address);
    const auto banks = read_banks(groups);
    std::vector<Step> steps;
    if (banks & 0x00FF) steps.push_back(step_for(command(to, op::query_groups_0_7)));
    if (banks & 0xFF00) steps.push_back(step_for(command(to, op::query_groups_8_15)));
    return steps;
}

std::optional<std::uint16_t> decode_groups(const std::vector<Reply>& replies, std::uint16_t groups) {
    const auto banks = read_banks(groups);
    const std::size_t n = (banks & 0x00FF ? 1 : 0) + (banks & 0xFF00 ? 1 : 0);
    if (replies.size() < n) return std::nullopt;
    std::uint16_t out = 0;
    std::size_t i = replies.size() - n;
    for (int shift : {0, 8}) {
        if (!(banks & (0xFF << shift))) continue;
        const Reply& r = replies[i++];
        if (!r.has_value()) return std::nullopt;
        out = static_cast<std::uint16_t>(out | r.value << shift);
    }
    return out;
}

std::vector<Step> group_repair_steps(int address, std::uint16_t have, std::uint16_t want) {
    const auto to = Address::short_address(address);
    std::vector<Step> steps;
    for (int g = 0; g < 16; ++g) {
        const bool w = want & (1u << g), h = have & (1u << g);
        if (w && !h) steps.push_back(step_for(command(to, static_cast<std::uint8_t>(op::add_to_group + g))));
        if (!w && h)
            steps.push_back(step_for(command(to, static_cast<std::uint8_t>(op::remove_from_group + g))));
    }
    return steps;
}

std::vector<int> group_list(std::uint16_t mask) {
    std::vector<int> out;
    for (int g = 0; g < 16; ++g)
        if (mask & (1u << g)) out.push_back(g);
    return out;
}

namespace {

struct MembershipCheck : std::enable_shared_from_this<MembershipCheck> {
    Scheduler* scheduler = nullptr;
    bool repair = false;
    std::uint16_t groups = 0xFFFF;  // what group_query_steps reads
    std::vector<GroupWant> wanted;
    std::vector<GroupCheck> results;
    std::size_t next = 0;
    std::function<void(std::vector<GroupCheck>)> done;

    void check_next() {
        if (next == wanted.size()) return done(std::move(results));
        auto self = shared_from_this();
        const GroupWant w = wanted[next];
        results[next].address = w.address;
        results[next].want = w.groups;
        scheduler->submit(
            Priority::groups, group_query_steps(w.address, groups), [self, w](const std::vector<Reply>& r) {
                GroupCheck& c = self->results[self->next];
                c.before = decode_groups(r, self->groups);
                c.answered = r[0].outcome != Outcome::no_answer && r[0].outcome != Outcome::bus_error;
                c.bus_failed = r[0].outcome == Outcome::bus_error;
                if (!c.before) {
                    c.problem = r[0].has_value() && r.size() > 1 ? r[1].to_string() : r[0].to_string();
                    return self->advance();
                }
                c.after = c.before;
                if (*c.before == w.groups || !self->repair) return self->advance();
                self->write(group_repair_steps(w.address, *c.before, w.groups), 0);
            });
    }

    // Repair frames in short jobs, then one read to verify.
    void write(std::vector<Step> steps, std::size_t from) {
        auto self = shared_from_this();
        GroupCheck& c = results[next];
        if (from >= steps.size()) {
            scheduler->submit(Priority::groups, group_query_steps(c.address, groups),
                              [self](const std::vector<Reply>& r) {
                                  GroupCheck& c = self->results[self->next];
                                  c.after = decode_groups(r, self->groups);
                                  if (!c.after)
                                      c.problem = "re-read after repair: " + r[0].to_string();
                                  else if (!c.verified())
                                      c.problem = "membership did not change";
                                  self->advance();
                              });
            return;
        }
        c.written = true;
        const std::size_t to = std::min(steps.size(), from + repair_frames_per_job);
        std::vector<Step> chunk(steps.begin() + static_cast<std::ptrdiff_t>(from),
                                steps.begin() + static_cast<std::ptrdiff_t>(to));
        scheduler->submit(Priority::groups, std::move(chunk),
                          [self, steps = std::move(steps), to](const std::vector<Reply>& r) mutable {
                              if (!r.empty() && r.back().outcome == Outcome::bus_error) {
                                  GroupCheck& c = self->results[self->next];
                                  c.after.reset();
                                  c.bus_failed = true;
                                  c.problem = "repair: " + r.back().to_string();
                                  return self->advance();
                              }
                              self->write(std::move(steps), to);
                          });
    }

    void advance() {
        ++next;
        check_next();
    }
};

}  // namespace

void check_group_membership(Bus& bus, std::vector<GroupWant> wanted, bool repair, std::uint16_t groups,
                            std::function<void(std::vector<GroupCheck>)> done) {
    auto check = std::make_shared<MembershipCheck>();
    check->scheduler = &bus.scheduler();
    check->repair = repair;
    check->groups = groups;
    for (const auto& w : wanted) check->groups = static_cast<std::uint16_t>(check->groups | w.groups);
    check->results.resize(wanted.size());
    check->wanted = std::move(wanted);
    check->done = std::move(done);
    check->check_next();
}

}  // namespace lykta::dali
