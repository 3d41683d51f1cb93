#include "drivers/modbus/poller.hpp"

#include <spdlog/spdlog.h>

#include <cmath>
#include <cstdio>

namespace lykta::modbus {
namespace {
std::string format_value(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}
}  // namespace

Poller::Poller(asio::io_context& io, Network& network, config::ModbusDevice device,
               const DeviceTemplate& device_template, const Clock& clock)
    : io_(io),
      network_(network),
      device_(std::move(device)),
      clock_(clock),
      state_(device_template, device_.offline_after, device_.full_publish_s) {
    for (const auto& g : device_template.groups) {
        auto indices = values_in_group(device_template, g.name);
        if (indices.empty()) continue;
        auto group = std::make_unique<Group>();
        group->name = g.name;
        group->interval = std::chrono::duration<double>(g.interval_s.value_or(device_.poll_s));
        group->requests = plan_reads(device_template, indices);
        group->timer = std::make_unique<asio::steady_timer>(io_);
        groups_.push_back(std::move(group));
    }
}

Poller::~Poller() {
    stop();
}

void Poller::start() {
    for (auto& group : groups_) {
        group->next = std::chrono::steady_clock::now();
        run_cycle(*group);
    }
}

void Poller::stop() {
    alive_ = std::make_shared<bool>(false);
    for (auto& group : groups_) group->timer->cancel();
}

void Poller::schedule(Group& group) {
    auto now = std::chrono::steady_clock::now();
    group.next += std::chrono::duration_cast<std::chrono::steady_clock::duration>(group.interval);
    if (group.next < now) {
        // Overran (slow device, long timeouts): skip the missed cycles rather than bursting.
        auto missed = static_cast<std::uint64_t>((now - group.next) / group.interval) + 1;
        skipped_cycles_ += missed;
        group.next +=
            std::chrono::duration_cast<std::chrono::steady_clock::duration>(group.interval * missed);
    }
    group.timer->expires_at(group.next);
    std::weak_ptr<bool> alive = alive_;
    group.timer->async_wait([this, alive, &group](const asio::error_code& ec) {
        if (ec || alive.expired()) return;
        run_cycle(group);
    });
}

void Poller::run_cycle(Group& group) {
    group.outstanding = static_cast<int>(group.requests.size());
    std::weak_ptr<bool> alive = alive_;
    for (const auto& request : group.requests) {
        network_.read(device_.unit, request, [this, alive, &group, &request](ReadResult result) {
            if (alive.expired()) return;
            finish_read(group, request, result);
        });
    }
}

void Poller::finish_read(Group& group, const ReadRequest& request, const ReadResult& result) {
    for (const auto& t : state_.apply(request, result, clock_.now())) {
        if (t.problem)
            spdlog::warn("modbus device {}: {}", device_.id, t.what);
        else
            spdlog::info("modbus device {}: {}", device_.id, t.what);
    }
    if (--group.outstanding > 0) return;
    maybe_publish();
    schedule(group);
}

void Poller::maybe_publish() {
    auto now = clock_.now();
    if (!state_.should_publish(now)) return;
    if (publish_) publish_(state_);
    state_.mark_published(now);
}

void Poller::write(std::size_t index, double value, WriteDone done) {
    const ValueSpec& spec = state_.device_template().values.at(index);
    auto encoded = encode_value(spec, value);
    if (!encoded.ok()) {
        done({WriteOutcome::Kind::out_of_range, 0, spec.name + ": " + encoded.error});
        return;
    }
    WriteRequest request{spec.table, spec.address, encoded.words, encoded.bit};
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
