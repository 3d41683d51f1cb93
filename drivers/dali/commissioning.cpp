#include "drivers/dali/commissioning.hpp"

#include <algorithm>
#include <asio/post.hpp>
#include <chrono>

#include "drivers/dali/commands.hpp"
#include "drivers/dali/group_check.hpp"

namespace lykta::dali {
namespace {
constexpr std::uint32_t top = 0xFFFFFF;
constexpr int scan_batch = 8;  // presence queries per job: actuation can still cut in between
}  // namespace

Commissioning::Commissioning(asio::io_context& io, Scheduler& scheduler, BusLayout layout,
                             CommissionOptions options)
    : io_(io), scheduler_(scheduler), layout_(std::move(layout)), options_(options), timer_(io) {}

Commissioning::~Commissioning() {
    *alive_ = false;
}

void Commissioning::run(std::function<void(CommissionReport)> done) {
    done_ = std::move(done);
    // A short address outside 0..63 would be programmed masked (64 as 0): refuse the run
    // before anything reaches the bus (the config loader rejects these; other callers may not).
    for (int a : layout_.addresses)
        if (a < 0 || a > 63)
            report_.problems.push_back("configured short address " + std::to_string(a) + " is outside 0..63");
    if (!report_.problems.empty()) {
        std::weak_ptr<bool> alive = alive_;
        asio::post(io_, [this, alive] {
            if (auto a = alive.lock(); a && *a) finish();
        });
        return;
    }
    if (options_.all) {
        // Everyone forgets its short address; then all are found by the search.
        submit({step_for(special_command(special::dtr0, mask)),
                step_for(command(Address::broadcast(), op::set_short_address))},
               [this](auto& r) {
                   if (r[0].outcome == Outcome::bus_error) {
                       report_.problems.push_back("bus error: " + r[0].to_string());
                       return finish();
                   }
                   initialise();
               });
    } else {
        scan_presence(0);
    }
}

void Commissioning::submit(std::vector<Step> steps, Then then) {
    std::weak_ptr<bool> alive = alive_;
    scheduler_.submit(Priority::config, std::move(steps),
                      [alive, then = std::move(then)](const std::vector<Reply>& r) {
                          if (auto a = alive.lock(); a && *a) then(r);
                      });
}

void Commissioning::after(double seconds, std::function<void()> then) {
    timer_.expires_after(std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        std::chrono::duration<double>(seconds)));
    std::weak_ptr<bool> alive = alive_;
    timer_.async_wait([alive, then = std::move(then)](std::error_code ec) {
        if (auto a = alive.lock(); a && *a && !ec) then();
    });
}

void Commissioning::scan_presence(int from) {
    if (from >= 64) return initialise();
    std::vector<Step> steps;
    for (int a = from; a < std::min(64, from + scan_batch); ++a)
        steps.push_back(step_for(command(Address::short_address(a), op::query_control_gear_present)));
    submit(std::move(steps), [this, from](auto& r) {
        for (std::size_t i = 0; i < r.size(); ++i) {
            const int a = from + static_cast<int>(i);
            if (r[i].outcome == Outcome::bus_error) {
                report_.problems.push_back("bus error during presence scan: " + r[i].to_string());
                return finish();
            }
            if (r[i].outcome == Outcome::framing_error)
                report_.problems.push_back("short address " + std::to_string(a) +
                                           " is used by more than one gear");
            if (r[i].yes()) present_.insert(a);
        }
        scan_presence(from + scan_batch);
    });
}

void Commissioning::initialise() {
    used_ = present_;
    const std::uint8_t who = options_.all ? special::initialise_all : special::initialise_unaddressed;
    submit(
        {step_for(special_command(special::terminate)), step_for(special_command(special::initialise, who)),
         step_for(special_command(special::randomise))},
        [this](auto& r) {
            if (r[1].outcome == Outcome::bus_error) {
                report_.problems.push_back("bus error: " + r[1].to_string());
                return finish();
            }
            after(0.1, [this] { search_from(0); });  // gear need up to 100 ms to RANDOMISE
        });
}

std::vector<Step> Commissioning::search_steps(std::uint32_t address) {
    // Only the SEARCHADDR bytes that changed (qqqlab set_searchaddr_diff).
    std::vector<Step> steps;
    const std::uint8_t opcodes[3] = {special::search_address_h, special::search_address_m,
                                     special::search_address_l};
    for (int i = 0; i < 3; ++i) {
        const int shift = 16 - 8 * i;
        const auto byte = static_cast<std::uint8_t>(address >> shift);
        if (!search_sent_ || static_cast<std::uint8_t>(*search_sent_ >> shift) != byte)
            steps.push_back(step_for(special_command(opcodes[i], byte)));
    }
    search_sent_ = address;
    return steps;
}

void Commissioning::search_from(std::uint32_t low) {
    search_low_ = low;
    auto steps = search_steps(top);
    steps.push_back(step_for(special_command(special::compare)));
    submit(std::move(steps), [this, low](auto& r) {
        const Reply& c = r.back();
        if (c.outcome == Outcome::bus_error) {
            report_.problems.push_back("bus error during search: " + c.to_string());
            return finish();
        }
        if (!c.yes()) {
            submit({step_for(special_command(special::terminate))}, [this](auto&) { check_groups(0); });
            return;
        }
        bisect(low, top);
    });
}

// Invariant: some unwithdrawn gear has its random address in [lo, hi], none below lo.
void Commissioning::bisect(std::uint32_t lo, std::uint32_t hi) {
    if (lo >= hi) return check_leaf(lo);
    const std::uint32_t mid = lo + (hi - lo) / 2;
    auto steps = search_steps(mid);
    steps.push_back(step_for(special_command(special::compare)));
    submit(std::move(steps), [this, lo, hi, mid](auto& r) {
        const Reply& c = r.back();
        if (c.outcome == Outcome::bus_error) {
            report_.problems.push_back("bus error during search: " + c.to_string());
            return finish();
        }
        if (c.yes())
            bisect(lo, mid);
        else
            bisect(mid + 1, hi);
    });
}

void Commissioning::check_leaf(std::uint32_t random) {
    // At the leaf only gear with exactly this random address answer; a garbled answer
    // means two of them drew the same number.
    auto steps = search_steps(random);
    steps.push_back(step_for(special_command(special::compare)));
    submit(std::move(steps), [this, random](auto& r) {
        const Reply& c = r.back();
        if (c.outcome == Outcome::framing_error) return rerandomise();
        if (!c.yes()) return search_from(search_low_);  // it went away meanwhile: look again
        program(random);
    });
}

std::optional<int> Commissioning::next_free_address() {
    for (int a : layout_.addresses)  // configured addresses not on the bus first
        if (!used_.count(a)) return a;
    for (int a = 0; a < 64; ++a)
        if (!used_.count(a)) return a;
    return std::nullopt;
}

void Commissioning::program(std::uint32_t random) {
    auto address = next_free_address();
    if (!address) {
        report_.problems.push_back("no free short address left for the gear with random address " +
                                   std::to_string(random));
        submit({step_for(special_command(special::terminate))}, [this](auto&) { check_groups(0); });
        return;
    }
    used_.insert(*address);
    const int a = *address;
    submit({step_for(special_command(special::program_short_address, address_parameter(a))),
            step_for(special_command(special::verify_short_address, address_parameter(a))),
            step_for(command(Address::short_address(a), op::query_device_type)),
            step_for(special_command(special::withdraw))},
           [this, a, random](auto& r) {
               if (!r[1].yes()) {
                   report_.problems.push_back("gear with random address " + std::to_string(random) +
                                              " did not verify short address " + std::to_string(a));
               } else {
                   report_.found.push_back({a, random, r[2].has_value() ? r[2].value : -1});
                   present_.insert(a);
               }
               if (random == top) {
                   submit({step_for(special_command(special::terminate))},
                          [this](auto&) { check_groups(0); });
                   return;
               }
               search_from(random + 1);
           });
}

void Commissioning::rerandomise() {
    if (++restarts_ > options_.max_restarts) {
        report_.problems.push_back("gear keep drawing the same random address; gave up after " +
                                   std::to_string(options_.max_restarts) + " rounds");
        submit({step_for(special_command(special::terminate))}, [this](auto&) { check_groups(0); });
        return;
    }
    submit({step_for(special_command(special::randomise))}, [this](auto&) {
        search_sent_.reset();
        after(0.1, [this] { search_from(0); });
    });
}

void Commissioning::check_groups(std::size_t index) {
    if (index == 0) {
        group_targets_.clear();
        for (int a : layout_.addresses)
            if (present_.count(a)) group_targets_.push_back(a);
    }
    if (index >= group_targets_.size()) return finish();
    const int a = group_targets_[index];
    submit(group_query_steps(a), [this, index, a](auto& r) {
        const auto have = decode_groups(r);
        if (!have) {
            report_.problems.push_back("cannot read groups of " + std::to_string(a) + ": " +
                                       r[0].to_string());
            return check_groups(index + 1);
        }
        const std::uint16_t want = layout_.groups_of(a);
        if (*have == want) return check_groups(index + 1);
        auto steps = group_repair_steps(a, *have, want);
        for (auto& q : group_query_steps(a)) steps.push_back(q);
        submit(std::move(steps), [this, index, a, want](auto& v) {
            if (decode_groups(v) == want)
                report_.groups_programmed.push_back(a);
            else
                report_.problems.push_back("groups of " + std::to_string(a) + " did not verify");
            check_groups(index + 1);
        });
    });
}

void Commissioning::finish() {
    report_.present.assign(present_.begin(), present_.end());
    for (int a : layout_.addresses)
        if (!present_.count(a)) report_.absent.push_back(a);
    for (int a : present_)
        if (std::find(layout_.addresses.begin(), layout_.addresses.end(), a) == layout_.addresses.end())
            report_.unexpected.push_back(a);
    report_.ok = report_.problems.empty();
    auto done = std::move(done_);
    if (done) done(std::move(report_));
}

}  // namespace lykta::dali
