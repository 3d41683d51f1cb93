#include "drivers/modbus/poller.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <utility>

#include "gateway/core/periodic.hpp"

namespace lykta::modbus {
namespace {
std::string format_value(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}
}  // namespace

Poller::Poller(asio::io_context& io, Network& network, DeviceConfig device,
               const DeviceTemplate& device_template, const Clock& clock)
    : io_(io),
      network_(network),
      device_(std::move(device)),
      clock_(clock),
      state_(device_template, device_.offline_after, device_.full_publish_s),
      full_publish_(io) {
    for (const auto& g : device_template.groups) {
        auto indices = values_in_group(device_template, g.name);
        if (indices.empty()) continue;
        auto group = std::make_unique<Group>();
        group->name = g.name;
        group->interval = std::chrono::duration<double>(g.interval_s.value_or(device_.poll_s));
        group->requests = plan_reads(device_template, indices);
        groups_.push_back(std::move(group));
    }
}

Poller::~Poller() {
    stop();
}

void Poller::start() {
    alive_ = std::make_shared<bool>(true);
    std::weak_ptr<bool> alive = alive_;
    for (auto& group : groups_) {
        const Group* g = group.get();
        group->poll_id = network_.add_poll(device_.unit, group->requests, group->interval,
                                           [this, alive, g](const std::vector<ReadResult>& results) {
                                               if (!alive.expired()) on_results(*g, results);
                                           });
    }
    schedule_full_publish();
}

void Poller::stop() {
    alive_.reset();
    for (auto& group : groups_)
        if (group->poll_id >= 0) network_.cancel_poll(std::exchange(group->poll_id, -1));
    full_publish_.cancel();
}

// Unchanged results are not delivered, so the periodic full publish needs its
// own timer. It wakes when the full publish would be due after the last
// publish; a publish in between only makes it sleep again for the rest (one
// wake per full_publish_s, not one per change).
void Poller::schedule_full_publish() {
    const double since_last = last_publish_ == SystemTime{}
                                  ? 0
                                  : std::chrono::duration<double>(clock_.now() - last_publish_).count();
    const double wait_s = std::clamp(device_.full_publish_s - since_last, 0.01, device_.full_publish_s);
    full_publish_.expires_after(std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        std::chrono::duration<double>(wait_s)));
    std::weak_ptr<bool> alive = alive_;
    full_publish_.async_wait([this, alive](const asio::error_code& ec) {
        if (ec || alive.expired()) return;
        run_period("modbus device " + device_.id + ": publish", [this] { maybe_publish(); });
        schedule_full_publish();
    });
}

void Poller::on_results(const Group& group, const std::vector<ReadResult>& results) {
    for (std::size_t i = 0; i < results.size() && i < group.requests.size(); ++i) {
        for (const auto& t : state_.apply(group.requests[i], results[i], clock_.now())) {
            if (t.problem)
                spdlog::warn("modbus device {}: {}", device_.id, t.what);
            else
                spdlog::info("modbus device {}: {}", device_.id, t.what);
        }
    }
    maybe_publish();
}

void Poller::maybe_publish() {
    auto now = clock_.now();
    if (!state_.should_publish(now)) return;
    if (publish_) publish_(state_);
    state_.mark_published(now);
    last_publish_ = now;
}

void Poller::write(std::size_t index, double value, WriteDone done) {
    const ValueSpec& spec = state_.device_template().values.at(index);
    auto encoded = encode_value(spec, value);
    if (!encoded.ok()) {
        done({WriteOutcome::Kind::out_of_range, 0, spec.name + ": " + encoded.error});
        return;
    }
    WriteRequest request{spec.table, spec.address, encoded.words, encoded.bit,
                         state_.device_template().write_multiple || device_.write_multiple};
    std::weak_ptr<bool> alive = alive_;
    network_.write(
        device_.unit, request, [this, alive, index, value, encoded, done = std::move(done)](WriteResult r) {
            if (alive.expired()) {
                done({WriteOutcome::Kind::bus_error, 0, "the meters are stopping"});
                return;
            }
            const ValueSpec& spec = state_.device_template().values[index];
            auto failed = [&](Outcome outcome, const std::string& error) {
                done({outcome == Outcome::timeout ? WriteOutcome::Kind::timeout
                                                  : WriteOutcome::Kind::bus_error,
                      0, error});
            };
            if (r.outcome != Outcome::ok) return failed(r.outcome, r.error);
            if (r.readback.outcome != Outcome::ok)
                return failed(r.readback.outcome, "readback: " + r.readback.error);
            Decoded back = is_bit_table(spec.table)
                               ? decode_bit(spec, !r.readback.bits.empty() && r.readback.bits[0] != 0)
                               : decode_registers(spec, r.readback.words);
            bool same = is_bit_table(spec.table)
                            ? (!r.readback.bits.empty() && (r.readback.bits[0] != 0) == encoded.bit)
                            : r.readback.words == encoded.words;
            if (back.ok()) state_.store(index, back.value, clock_.now());
            if (!same) {
                done({WriteOutcome::Kind::bus_error, back.value,
                      spec.name + ": wrote " + format_value(value) + " but read back " +
                          format_value(back.value)});
            } else {
                done({WriteOutcome::Kind::ok, back.value, {}});
            }
            maybe_publish();
        });
}

}  // namespace lykta::modbus
