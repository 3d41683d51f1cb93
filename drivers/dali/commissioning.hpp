#pragma once
// Commissioning of one bus (IEC 62386-102 random-address search, as in
// python-dali sequences.Commissioning): find gear without a short address (or
// all gear, on request) by binary search over their 24-bit random addresses,
// give each a short address (configured-but-absent addresses first), then
// program and verify the groups the config wants. Idempotent: a second run on
// a commissioned bus finds nothing new and changes nothing.
#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "drivers/dali/planner.hpp"
#include "drivers/dali/scheduler.hpp"

namespace lykta::dali {

struct CommissionOptions {
    bool all = false;      // re-address every gear, not only those without a short address
    int max_restarts = 5;  // re-RANDOMISE rounds when two gear drew the same random address
};

struct FoundGear {
    int address = 0;
    std::uint32_t random_address = 0;
    int device_type = -1;  // -1: did not answer
};

struct CommissionReport {
    bool ok = false;
    std::vector<FoundGear> found;        // newly addressed gear
    std::vector<int> present;            // short addresses on the bus afterwards
    std::vector<int> absent;             // configured but not on the bus
    std::vector<int> unexpected;         // on the bus but not configured
    std::vector<int> groups_programmed;  // addresses whose group membership was changed
    std::vector<std::string> problems;
};

class Commissioning {
public:
    Commissioning(asio::io_context& io, Scheduler& scheduler, BusLayout layout, CommissionOptions options);
    ~Commissioning();
    void run(std::function<void(CommissionReport)> done);

private:
    using Then = std::function<void(const std::vector<Reply>&)>;
    void submit(std::vector<Step> steps, Then then);
    void scan_presence(int from);
    void initialise();
    void after(double seconds, std::function<void()> then);
    void search_from(std::uint32_t low);
    void bisect(std::uint32_t lo, std::uint32_t hi);
    void check_leaf(std::uint32_t random);
    void program(std::uint32_t random);
    void rerandomise();
    void check_groups(std::size_t index);
    void finish();
    std::vector<Step> search_steps(std::uint32_t address);
    std::optional<int> next_free_address();

    asio::io_context& io_;
    Scheduler& scheduler_;
    BusLayout layout_;
    CommissionOptions options_;
    std::function<void(CommissionReport)> done_;
    CommissionReport report_;
    std::set<int> present_;
    std::set<int> used_;
    std::optional<std::uint32_t> search_sent_;
    std::uint32_t search_low_ = 0;
    int restarts_ = 0;
    std::vector<int> group_targets_;
    asio::steady_timer timer_;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace lykta::dali
