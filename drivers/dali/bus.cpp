#include "drivers/dali/bus.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <asio/post.hpp>

#include "drivers/dali/level_curve.hpp"

namespace lykta::dali {
namespace {

std::string problem_of(const Reply& r) {
    return r.outcome == Outcome::no_answer ? "no answer" : r.to_string();
}

// Collects per-address results of independent jobs and reports once all are in.
struct Collector {
    std::vector<GearStatus> results;
    std::size_t remaining = 0;
    Bus::StatusDone done;
};

}  // namespace

Bus::Bus(asio::io_context& io, std::string id, std::unique_ptr<Transport> transport, BusLayout layout)
    : io_(io),
      id_(std::move(id)),
      transport_(std::move(transport)),
      layout_(std::move(layout)),
      planning_layout_(layout_),
      scheduler_(*transport_) {}

void Bus::set_unverified_groups(std::uint16_t mask) {
    unverified_groups_ = mask;
    planning_layout_ = layout_;
    for (int g = 0; g < 16; ++g)
        if (mask & (1u << g)) planning_layout_.groups.erase(g);
}

Bus::~Bus() {
    *alive_ = false;
}

void Bus::start() {
    transport_->open();
}

void Bus::stop() {
    commissioning_.reset();
    scheduler_.fail_queued();
    transport_->close();
}

void Bus::apply(std::vector<Target> targets, StatusDone done) {
    auto plan = plan_actuation(targets, planning_layout_);
    std::vector<int> addresses;
    for (const auto& t : targets) addresses.push_back(t.address);
    last_apply_frames_ = 0;
    for (const auto& p : plan) {
        std::vector<Step> steps;
        // FADE TIME is per gear; set it only where it is not known to hold the wanted code.
        const bool fade_known = std::all_of(p.members.begin(), p.members.end(), [&](int a) {
            return a >= 0 && a < 64 && fade_code_[a] == p.fade_code;
        });
        if (!fade_known) {
            steps.push_back(step_for(special_command(special::dtr0, p.fade_code)));
            steps.push_back(step_for(command(p.to, op::set_fade_time)));
            for (int a : p.members)
                if (a >= 0 && a < 64) fade_code_[a] = p.fade_code;
        }
        steps.push_back(step_for(dapc(p.to, p.level)));
        last_apply_frames_ += steps.size();
        std::weak_ptr<bool> alive = alive_;
        scheduler_.submit(Priority::actuation, std::move(steps),
                          [this, alive, members = p.members](auto& replies) {
                              if (auto a = alive.lock(); !a || !*a) return;
                              if (!replies.empty() && replies.front().outcome == Outcome::bus_error)
                                  for (int m : members)  // unknown whether the fade time arrived
                                      if (m >= 0 && m < 64) fade_code_[m].reset();
                          });
    }
    read_back(std::move(addresses), false, Priority::actuation, std::move(done));
}

void Bus::read_back(std::vector<int> addresses, bool with_status, Priority priority, StatusDone done) {
    auto c = std::make_shared<Collector>();
    c->results.resize(addresses.size());
    c->remaining = addresses.size();
    c->done = std::move(done);
    if (addresses.empty()) {
        asio::post(io_, [c] { c->done({}); });
        return;
    }
    std::weak_ptr<bool> alive = alive_;
    for (std::size_t i = 0; i < addresses.size(); ++i) {
        const int a = addresses[i];
        std::vector<Step> steps{step_for(command(Address::short_address(a), op::query_actual_level))};
        if (with_status) steps.push_back(step_for(command(Address::short_address(a), op::query_status)));
        scheduler_.submit(priority, std::move(steps), [alive, c, i, a](const std::vector<Reply>& r) {
            if (auto al = alive.lock(); !al || !*al) return;
            GearStatus& s = c->results[i];
            s.address = a;
            s.available = r[0].has_value() || r[0].outcome == Outcome::framing_error;
            if (r[0].has_value() && r[0].value != mask) {
                s.level = r[0].value;
                s.percent = percent_from_level(r[0].value);
            }
            if (r.size() > 1 && r[1].has_value()) {
                s.available = true;
                s.bits = GearStatusBits::decode(r[1].value);
                s.lamp_failure = s.bits->lamp_failure;
                s.gear_failure = s.bits->gear_failure;
            }
            if (!s.available) s.problem = problem_of(r[0]);
            if (--c->remaining == 0) c->done(std::move(c->results));
        });
    }
}

void Bus::sweep(StatusDone done) {
    std::weak_ptr<bool> alive = alive_;
    std::vector<Step> checks{step_for(command(Address::broadcast(), op::query_control_gear_present)),
                             step_for(command(Address::broadcast(), op::query_lamp_failure)),
                             step_for(command(Address::broadcast(), op::query_control_gear_failure))};
    scheduler_.submit(
        Priority::polling, std::move(checks), [this, alive, done = std::move(done)](auto& r) mutable {
            if (auto a = alive.lock(); !a || !*a) return;
            if (!r[0].yes()) {  // nobody answers at all (bus power, wiring, interface): no per-gear polling
                std::vector<GearStatus> out;
                for (int addr : layout_.addresses)
                    out.push_back(GearStatus{addr, false, {}, {}, false, false, {}, problem_of(r[0])});
                done(std::move(out));
                return;
            }
            // Any answer to the broadcast failure queries, even a garbled one, means "someone has
            // a failure": only then is QUERY STATUS worth its frame for every gear.
            read_back(layout_.addresses, r[1].yes() || r[2].yes(), Priority::polling, std::move(done));
        });
}

void Bus::health_check(std::function<void(std::optional<Health>)> done) {
    std::weak_ptr<bool> alive = alive_;
    scheduler_.submit(Priority::polling,
                      {step_for(command(Address::broadcast(), op::query_lamp_failure)),
                       step_for(command(Address::broadcast(), op::query_control_gear_failure))},
                      [alive, done = std::move(done)](auto& r) {
                          if (auto a = alive.lock(); !a || !*a) return;
                          if (r[0].outcome == Outcome::bus_error) return done(std::nullopt);
                          done(Health{r[0].yes(), r[1].yes()});
                      });
}

void Bus::program_fail_safe(std::vector<FailSafeLevels> levels,
                            std::function<void(std::vector<FailSafeResult>)> done) {
    struct State {
        std::vector<FailSafeResult> results;
        std::size_t remaining = 0;
        std::function<void(std::vector<FailSafeResult>)> done;
    };
    auto st = std::make_shared<State>();
    st->results.resize(levels.size());
    st->remaining = levels.size();
    st->done = std::move(done);
    if (levels.empty()) {
        asio::post(io_, [st] { st->done({}); });
        return;
    }
    std::weak_ptr<bool> alive = alive_;
    for (std::size_t i = 0; i < levels.size(); ++i) {
        const auto want = levels[i];
        const auto to = Address::short_address(want.address);
        auto queries = std::vector<Step>{step_for(command(to, op::query_power_on_level)),
                                         step_for(command(to, op::query_system_failure_level))};
        auto finish = [st, i](FailSafeResult r) {
            st->results[i] = std::move(r);
            if (--st->remaining == 0) st->done(std::move(st->results));
        };
        scheduler_.submit(Priority::config, queries, [this, alive, want, to, queries, finish](auto& r) {
            if (auto a = alive.lock(); !a || !*a) return;
            if (!r[0].has_value() || !r[1].has_value())
                return finish(
                    {want.address, false, false, "cannot read fail-safe levels: " + problem_of(r[0])});
            if (r[0].value == want.power_on && r[1].value == want.system_failure)
                return finish({want.address, true, false, {}});
            std::vector<Step> write{step_for(special_command(special::dtr0, want.power_on)),
                                    step_for(command(to, op::set_power_on_level)),
                                    step_for(special_command(special::dtr0, want.system_failure)),
                                    step_for(command(to, op::set_system_failure_level))};
            write.insert(write.end(), queries.begin(), queries.end());
            scheduler_.submit(Priority::config, std::move(write), [alive, want, finish](auto& v) {
                if (auto a = alive.lock(); !a || !*a) return;
                const Reply& po = v[4];
                const Reply& sf = v[5];
                if (po.has_value() && sf.has_value() && po.value == want.power_on &&
                    sf.value == want.system_failure)
                    return finish({want.address, true, true, {}});
                finish({want.address, false, true,
                        "verify failed: power on " + po.to_string() + ", system failure " + sf.to_string()});
            });
        });
    }
}

void Bus::read_energy(std::vector<int> addresses, std::function<void(std::vector<EnergyReading>)> done) {
    struct State {
        std::vector<EnergyReading> results;
        std::size_t remaining = 0;
        std::function<void(std::vector<EnergyReading>)> done;
    };
    auto st = std::make_shared<State>();
    st->results.resize(addresses.size());
    st->remaining = addresses.size();
    st->done = std::move(done);
    if (addresses.empty()) {
        asio::post(io_, [st] { st->done({}); });
        return;
    }
    for (std::size_t i = 0; i < addresses.size(); ++i)
        read_energy_job(addresses[i], 0, std::make_shared<std::vector<Reply>>(),
                        [st, i](EnergyReading reading) {
                            st->results[i] = std::move(reading);
                            if (--st->remaining == 0) st->done(std::move(st->results));
                        });
}

// A gear's jobs one after the other, each queued when the one before is done: one
// job per gear waits at a time (16 buses × 64 gear would otherwise hold 4,096).
void Bus::read_energy_job(int address, std::size_t job, std::shared_ptr<std::vector<Reply>> replies,
                          std::function<void(EnergyReading)> done) {
    auto jobs = energy_read_jobs(address);
    const bool last = job + 1 >= jobs.size();
    std::weak_ptr<bool> alive = alive_;
    scheduler_.submit(Priority::bulk, std::move(jobs[job]),
                      [this, alive, address, job, last, replies,
                       done = std::move(done)](const std::vector<Reply>& r) mutable {
                          if (auto a = alive.lock(); !a || !*a) return;
                          replies->insert(replies->end(), r.begin(), r.end());
                          if (last) return done(decode_energy_read(address, *replies));
                          read_energy_job(address, job + 1, std::move(replies), std::move(done));
                      });
}

void Bus::commission(CommissionOptions options, std::function<void(CommissionReport)> done) {
    if (commissioning_) {
        CommissionReport busy;
        busy.problems.push_back("commissioning already running on bus " + id_);
        asio::post(io_, [done = std::move(done), busy] { done(busy); });
        return;
    }
    std::weak_ptr<bool> alive = alive_;
    commissioning_ = std::make_shared<Commissioning>(io_, scheduler_, layout_, options);
    commissioning_->run([this, alive, done = std::move(done)](CommissionReport report) {
        if (auto a = alive.lock(); !a || !*a) return;
        // The procedure is still on the stack: free it later, but mark the bus free now.
        asio::post(io_, [keep = std::move(commissioning_)] {});
        fade_code_.fill(std::nullopt);
        done(std::move(report));
    });
}

}  // namespace lykta::dali
