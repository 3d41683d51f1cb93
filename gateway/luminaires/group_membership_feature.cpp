#include "gateway/luminaires/group_membership_feature.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace lykta::luminaires {
namespace {

std::uint16_t used_groups(const dali::BusLayout& layout) {
    std::uint16_t mask = 0;
    for (const auto& [g, members] : layout.groups)
        if (!members.empty() && g >= 0 && g < 16) mask = static_cast<std::uint16_t>(mask | 1u << g);
    return mask;
}

std::string groups_text(std::uint16_t mask) {
    std::string out;
    for (int g : dali::group_list(mask)) out += (out.empty() ? "" : ", ") + std::to_string(g);
    return out.empty() ? "none" : out;
}

}  // namespace

const char* to_string(GroupOutcome outcome) {
    switch (outcome) {
        case GroupOutcome::ok:
            return "ok";
        case GroupOutcome::repaired:
            return "repaired";
        case GroupOutcome::reported:
            return "reported";
        case GroupOutcome::repair_failed:
            return "repair_failed";
        case GroupOutcome::unreadable:
            return "unreadable";
        case GroupOutcome::absent:
            return "absent";
    }
    return "ok";
}

GroupOutcome group_outcome(const dali::GroupCheck& c, config::GroupMembership policy) {
    if (!c.answered && !c.before) return GroupOutcome::absent;
    if (!c.before) return GroupOutcome::unreadable;
    if (c.verified()) return c.written ? GroupOutcome::repaired : GroupOutcome::ok;
    return policy == config::GroupMembership::repair ? GroupOutcome::repair_failed : GroupOutcome::reported;
}

GroupMembershipFeature::GroupMembershipFeature(const config::Config& config, LuminairesFeature& luminaires,
                                               Uplink& uplink)
    : config_(config), luminaires_(luminaires), uplink_(uplink) {
    if (config_.dali.group_membership == config::GroupMembership::trust) return;
    // Before anything is sent: a group frame goes out only for verified groups.
    for (const auto& b : config_.dali.buses)
        if (auto* bus = luminaires_.bus(b.id)) bus->set_unverified_groups(used_groups(bus->layout()));
    std::weak_ptr<bool> alive = alive_;
    luminaires_.set_ready_gate([this, alive](const std::string& bus_id, std::function<void()> open) {
        if (auto a = alive.lock(); !a || !*a) return;
        gates_[bus_id].push_back(std::move(open));
        check(bus_id);
    });
    // Gear that did not answer their check (mains off on their circuit) are read when they answer again.
    luminaires_.add_status_observer([this, alive](const Sweep& sweep) {
        const auto& bus = *sweep.bus;
        if (auto a = alive.lock(); !a || !*a || !sweep.reachable || luminaires_.commissioning(bus.id)) return;
        auto absent = absent_.find(bus.id);
        if (absent == absent_.end() || absent->second.empty()) return;
        std::vector<int> back;
        for (const auto& s : sweep.statuses)
            if (s.available && absent->second.count(s.address)) back.push_back(s.address);
        if (!back.empty()) check(bus.id, {}, back);
    });
}

GroupMembershipFeature::~GroupMembershipFeature() {
    *alive_ = false;
}

void GroupMembershipFeature::start() {}

void GroupMembershipFeature::stop() {
    *alive_ = false;
}

void GroupMembershipFeature::check(const std::string& bus_id,
                                   std::function<void(std::vector<dali::GroupCheck>)> done,
                                   std::vector<int> only) {
    dali::Bus* bus = luminaires_.bus(bus_id);
    if (!bus) {
        if (done) done({});
        return;
    }
    if (checking_.count(bus_id)) {  // the gear may have changed under the running check: look again after it
        again_.insert(bus_id);
        if (done) done({});
        return;
    }
    checking_.insert(bus_id);
    std::vector<dali::GroupWant> wanted;
    for (int a : bus->layout().addresses)
        if (only.empty() || std::find(only.begin(), only.end(), a) != only.end())
            wanted.push_back({a, bus->layout().groups_of(a)});
    const bool repair = config_.dali.group_membership == config::GroupMembership::repair;
    std::weak_ptr<bool> alive = alive_;
    dali::check_group_membership(
        *bus, std::move(wanted), repair, used_groups(bus->layout()),
        [this, alive, bus_id, done = std::move(done)](std::vector<dali::GroupCheck> checks) {
            if (auto a = alive.lock(); !a || !*a) return;
            checking_.erase(bus_id);
            on_checked(bus_id, checks);
            if (done) done(checks);
            if (again_.erase(bus_id))
                check(bus_id);  // the gates wait for this one
            else
                open_gates(bus_id);
        });
}

void GroupMembershipFeature::open_gates(const std::string& bus_id) {
    auto it = gates_.find(bus_id);
    if (it == gates_.end()) return;
    auto gates = std::move(it->second);
    gates_.erase(it);
    for (auto& open : gates) open();
}

void GroupMembershipFeature::on_checked(const std::string& bus_id,
                                        const std::vector<dali::GroupCheck>& checks) {
    dali::Bus* bus = luminaires_.bus(bus_id);
    if (!bus) return;
    const std::uint16_t used = used_groups(bus->layout());
    // Per gear, what its last check found; a partial check (gear back on the bus) updates only its own.
    auto& unsafe = unsafe_[bus_id];
    auto& absent = absent_[bus_id];
    for (const auto& c : checks) {
        unsafe[c.address] = c.unsafe_groups();
        if (group_outcome(c, config_.dali.group_membership) == GroupOutcome::absent && !c.bus_failed)
            absent.insert(c.address);
        else
            absent.erase(c.address);
    }
    std::uint16_t unverified = 0;
    for (const auto& [address, mask] : unsafe) unverified = static_cast<std::uint16_t>(unverified | mask);
    unverified = static_cast<std::uint16_t>(unverified & used);
    if (unverified != bus->unverified_groups() || checked_.insert(bus_id).second) {
        if (unverified)
            spdlog::warn(
                "DALI bus {}: group(s) {} addressed luminaire by luminaire until their membership "
                "is verified",
                bus_id, groups_text(unverified));
        else if (used && bus->unverified_groups())
            spdlog::info("DALI bus {}: group membership verified (groups {})", bus_id, groups_text(used));
    }
    bus->set_unverified_groups(unverified);
    std::size_t repaired = 0, wrong = 0;
    for (const auto& c : checks) {
        const auto outcome = group_outcome(c, config_.dali.group_membership);
        repaired += outcome == GroupOutcome::repaired;
        wrong += outcome == GroupOutcome::reported || outcome == GroupOutcome::repair_failed ||
                 outcome == GroupOutcome::unreadable;
        report(bus_id, c, outcome, unverified);
    }
    if (repaired || wrong)
        spdlog::info("DALI bus {}: group membership of {} gear checked: {} repaired, {} not as configured",
                     bus_id, checks.size(), repaired, wrong);
}

void GroupMembershipFeature::report(const std::string& bus_id, const dali::GroupCheck& c,
                                    GroupOutcome outcome, std::uint16_t unverified) {
    if (outcome == GroupOutcome::absent) return;  // nothing learnt: keep the last finding
    auto& last = reported_[bus_id][c.address];
    const std::string finding =
        std::string(to_string(outcome)) + "/" + (c.before ? std::to_string(*c.before) : std::string("?"));
    if (outcome == GroupOutcome::ok) {
        if (!last.empty() && last.rfind("ok/", 0) != 0 && last.rfind("repaired/", 0) != 0)
            spdlog::info("DALI bus {} address {}: group membership as configured again", bus_id, c.address);
        last = finding;
        return;
    }
    if (last == finding) return;  // once per finding, not once per check
    last = finding;
    const config::Luminaire* luminaire = nullptr;
    for (const auto& l : config_.luminaires)
        if (l.bus == bus_id && l.address == c.address) luminaire = &l;
    const std::string id = luminaire ? luminaire->id : "";
    const std::string have = c.before ? groups_text(*c.before) : "unknown";
    if (outcome == GroupOutcome::repaired)
        spdlog::warn("luminaire {} (DALI bus {} address {}): was in group(s) {}, configured {}: repaired", id,
                     bus_id, c.address, have, groups_text(c.want));
    else
        spdlog::warn("luminaire {} (DALI bus {} address {}): in group(s) {}, configured {}: {}{}", id, bus_id,
                     c.address, have, groups_text(c.want), to_string(outcome),
                     c.problem.empty() ? "" : " (" + c.problem + ")");
    nlohmann::json event = {
        {"type", "dali.group_mismatch"},
        {"luminaire", id},
        {"bus", bus_id},
        {"address", c.address},
        {"area", luminaire ? luminaire->area : ""},
        {"want", dali::group_list(c.want)},
        {"have", c.before ? nlohmann::json(dali::group_list(*c.before)) : nlohmann::json()},
        {"action", to_string(outcome)},
        {"individually",
         dali::group_list(static_cast<std::uint16_t>(unverified & (c.unsafe_groups() | c.want)))}};
    if (!c.problem.empty()) event["problem"] = c.problem;
    uplink_.publish_event(std::move(event));
}

}  // namespace lykta::luminaires
