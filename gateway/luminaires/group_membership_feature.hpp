#pragma once
// DALI group membership in the daemon (docs/dali.md, "Group membership"): the
// actuation planner sends one group frame when all members of an area's DALI
// group share a target, which only works if the gear really are in that group.
// Lykta programs groups when it commissions; gear commissioned elsewhere are
// checked here. At every bus ready (start, after commissioning, after the bus
// was unreachable) it is the bus's ready gate: each configured gear's membership
// is read at group priority (above all but actuation) and, under
// `dali.group_membership: repair`, fixed before the bus-ready observers (the
// policy's levels, the inventory) hear of the bus and before bulk reads start; a
// gear that answers again after missing its check is read alone. Until a group is
// verified (or when it cannot be fixed) the bus addresses its members one by
// one. A gear whose membership differs is logged and published once
// (`dali.group_mismatch` event) per distinct finding. Loop thread only.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "drivers/dali/group_check.hpp"
#include "gateway/api/feature.hpp"
#include "gateway/api/uplink.hpp"
#include "gateway/config/model.hpp"
#include "gateway/luminaires/luminaires_feature.hpp"

namespace lykta::luminaires {

enum class GroupOutcome { ok, repaired, reported, repair_failed, unreadable, absent };
const char* to_string(GroupOutcome outcome);
GroupOutcome group_outcome(const dali::GroupCheck& check, config::GroupMembership policy);

class GroupMembershipFeature final : public Feature {
public:
    GroupMembershipFeature(const config::Config& config, LuminairesFeature& luminaires, Uplink& uplink);
    ~GroupMembershipFeature() override;
    // From construction until the first check, every configured group goes member by
    // member (policies repair and report).
    void start() override;
    void stop() override;

    // Checks the bus now (also what a bus ready does), or `only` these addresses;
    // `done` after the bus's unverified groups are updated. While a check runs,
    // another request makes the whole bus be checked again after it.
    void check(const std::string& bus_id, std::function<void(std::vector<dali::GroupCheck>)> done = {},
               std::vector<int> only = {});

private:
    void on_checked(const std::string& bus_id, const std::vector<dali::GroupCheck>& checks);
    void open_gates(const std::string& bus_id);
    void report(const std::string& bus_id, const dali::GroupCheck& check, GroupOutcome outcome,
                std::uint16_t unverified);

    const config::Config& config_;
    LuminairesFeature& luminaires_;
    Uplink& uplink_;
    std::set<std::string> checking_, again_;
    std::set<std::string> checked_;  // buses with a finished check (the first result is always logged)
    std::map<std::string, std::vector<std::function<void()>>>
        gates_;  // opened when the bus's full check ends
    std::map<std::string, std::map<int, std::uint16_t>>
        unsafe_;                                   // by bus and address: GroupCheck::unsafe_groups
    std::map<std::string, std::set<int>> absent_;  // by bus: gear that did not answer their last check
    // Last reported finding per bus and address ("outcome/have"): log and publish once per finding.
    std::map<std::string, std::map<int, std::string>> reported_;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace lykta::luminaires
