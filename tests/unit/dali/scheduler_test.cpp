#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <catch2/catch.hpp>
#include <deque>

#include "drivers/dali/scheduler.hpp"
#include "lykta-sim/dali/sim_transport.hpp"

using namespace lykta::dali;

namespace {
// Records what was sent; answers from a script (default: no answer), always later on the loop.
class ScriptedTransport final : public Transport {
public:
    explicit ScriptedTransport(asio::io_context& io) : io_(io) {}
    void open() override {}
    void close() override {}
    void transact(ForwardFrame f, TransactOptions o, Done done) override {
        ++outstanding;
        max_outstanding = std::max(max_outstanding, outstanding);
        sent.push_back({f, o});
        Reply r = script.empty() ? Reply::none() : script.front();
        if (!script.empty()) script.pop_front();
        asio::post(io_, [this, done = std::move(done), r] {
            --outstanding;
            done(r);
        });
    }
    std::string describe() const override { return "scripted"; }
    bool pipelines() const override { return pipelining; }
    bool pipelining = false;
    std::vector<std::pair<ForwardFrame, TransactOptions>> sent;
    std::deque<Reply> script;
    int outstanding = 0, max_outstanding = 0;

private:
    asio::io_context& io_;
};
}  // namespace

TEST_CASE("scheduler: priorities, job atomicity, one frame at a time", "[dali][scheduler]") {
    asio::io_context io;
    ScriptedTransport t(io);
    Scheduler s(t);
    std::vector<std::string> order;
    auto q = [](int a) { return step_for(command(Address::short_address(a), op::query_actual_level)); };
    s.submit(Priority::polling, {q(1)}, [&](auto&) { order.push_back("poll1"); });
    s.submit(Priority::polling, {q(2)}, [&](auto&) { order.push_back("poll2"); });
    s.submit(Priority::config,
             {step_for(special_command(special::dtr0, 10)),
              step_for(command(Address::short_address(3), op::set_power_on_level))},
             [&](auto& r) {
                 CHECK(r.size() == 2);
                 order.push_back("config");
             });
    s.submit(Priority::actuation, {step_for(dapc(Address::broadcast(), 200))},
             [&](auto&) { order.push_back("dapc"); });
    CHECK(s.queued() == 3);  // poll1 is already on the bus
    io.run();
    CHECK(order == std::vector<std::string>{"poll1", "dapc", "config", "poll2"});
    CHECK(t.max_outstanding == 1);
    REQUIRE(t.sent.size() == 5);
    CHECK(t.sent[2].first == special_command(special::dtr0, 10));  // the DTR0 + SET pair back to back
    CHECK(t.sent[3].first == command(Address::short_address(3), op::set_power_on_level));
    CHECK(t.sent[3].second.send_twice);
    CHECK(s.counters().frames == 6);  // the send-twice counts as two frames on the wire
}

TEST_CASE("scheduler: retries value queries on collision, not yes/no queries", "[dali][scheduler]") {
    asio::io_context io;
    ScriptedTransport t(io);
    Scheduler s(t);
    t.script = {Reply::framing(), Reply::framing(), Reply::answer(42)};
    std::vector<Reply> got;
    s.submit(Priority::polling, {step_for(command(Address::short_address(1), op::query_actual_level))},
             [&](auto& r) { got = r; });
    io.run();
    CHECK(got == std::vector<Reply>{Reply::answer(42)});
    CHECK(t.sent.size() == 3);
    CHECK(s.counters().collisions == 2);
    CHECK(s.counters().retries == 2);

    t.sent.clear();
    t.script = {Reply::framing(), Reply::framing(), Reply::framing(), Reply::framing()};
    s.submit(Priority::polling, {step_for(command(Address::short_address(1), op::query_status))},
             [&](auto& r) { got = r; });
    io.restart();
    io.run();
    CHECK(got[0].outcome == Outcome::framing_error);  // bounded: 1 + 2 retries
    CHECK(t.sent.size() == 3);

    t.sent.clear();
    t.script = {Reply::framing()};
    s.submit(Priority::polling, {step_for(command(Address::broadcast(), op::query_lamp_failure))},
             [&](auto& r) { got = r; });
    io.restart();
    io.run();
    CHECK(t.sent.size() == 1);
    CHECK(got[0].yes());
}

TEST_CASE("scheduler: distinct outcomes, a bus error ends the job", "[dali][scheduler]") {
    asio::io_context io;
    ScriptedTransport t(io);
    Scheduler s(t);
    t.script = {Reply::none(), Reply::failed(BusError::timeout), Reply::failed(BusError::timeout),
                Reply::failed(BusError::timeout), Reply::failed(BusError::interface)};
    std::vector<Reply> first, second;
    auto q = [](int a) { return step_for(command(Address::short_address(a), op::query_actual_level)); };
    s.submit(Priority::polling, {q(1), q(2), q(3)}, [&](auto& r) { first = r; });
    s.submit(Priority::polling, {q(4), q(5)}, [&](auto& r) { second = r; });
    io.run();
    REQUIRE(first.size() == 3);
    CHECK(first[0] == Reply::none());
    CHECK(first[1] == Reply::failed(BusError::timeout));
    CHECK(first[2] == Reply::failed(BusError::timeout));  // not sent: the job ended
    CHECK(second == std::vector<Reply>(2, Reply::failed(BusError::interface)));
    CHECK(s.counters().no_answers == 1);
    CHECK(s.counters().timeouts == 3);
    CHECK(s.counters().interface_errors == 1);
    CHECK(t.sent.size() == 5);
}

TEST_CASE("scheduler: a pipelining transport gets the next step ahead, never behind a retryable one",
          "[dali][scheduler]") {
    asio::io_context io;
    ScriptedTransport t(io);
    t.pipelining = true;
    Scheduler s(t);
    const auto search_h = step_for(special_command(special::search_address_h, 0x12));
    const auto compare = step_for(special_command(special::compare));
    const auto level = step_for(command(Address::short_address(3), op::query_actual_level));
    const auto off = step_for(command(Address::short_address(3), op::off));
    // LEVEL collides once (retried), then answers.
    t.script = {Reply::none(), Reply::answer(0xFF), Reply::framing(), Reply::answer(7), Reply::none()};
    std::vector<Reply> got;
    s.submit(Priority::config, {search_h, compare, level, off}, [&](auto& r) { got = r; });
    io.run();
    CHECK(got == std::vector<Reply>{Reply::none(), Reply::answer(0xFF), Reply::answer(7), Reply::none()});
    CHECK(t.max_outstanding == 2);
    // The retry of LEVEL went out before OFF: nothing was sent ahead of a step that may be retried.
    REQUIRE(t.sent.size() == 5);
    CHECK(t.sent[0].first == search_h.frame);
    CHECK(t.sent[1].first == compare.frame);
    CHECK(t.sent[2].first == level.frame);
    CHECK(t.sent[3].first == level.frame);
    CHECK(t.sent[4].first == off.frame);
    CHECK(s.counters().frames == 5);

    // Without pipelining: one at a time, same replies.
    ScriptedTransport one(io);
    Scheduler s1(one);
    one.script = {Reply::none(), Reply::answer(0xFF), Reply::framing(), Reply::answer(7), Reply::none()};
    std::vector<Reply> got1;
    s1.submit(Priority::config, {search_h, compare, level, off}, [&](auto& r) { got1 = r; });
    io.restart();
    io.run();
    CHECK(got1 == got);
    CHECK(one.max_outstanding == 1);
}

TEST_CASE("scheduler: after a bus error the frame sent ahead does not answer the next job",
          "[dali][scheduler]") {
    asio::io_context io;
    ScriptedTransport t(io);
    t.pipelining = true;
    Scheduler s(t);
    const auto cmd = [](int a) { return step_for(command(Address::short_address(a), op::off)); };
    t.script = {Reply::failed(BusError::interface), Reply::none(), Reply::answer(5)};
    std::vector<Reply> first, second;
    s.submit(Priority::polling, {cmd(1), cmd(2)}, [&](auto& r) { first = r; });
    s.submit(Priority::polling, {step_for(command(Address::short_address(4), op::query_actual_level))},
             [&](auto& r) { second = r; });
    io.run();
    CHECK(first == std::vector<Reply>(2, Reply::failed(BusError::interface)));
    CHECK(second == std::vector<Reply>{Reply::answer(5)});
    CHECK(t.sent.size() == 3);
}

TEST_CASE("scheduler over the simulated bus", "[dali][scheduler]") {
    asio::io_context io;
    SimBus bus;
    bus.add_gear(2, true);
    SimTransport t(io, bus);
    t.open();
    Scheduler s(t);
    std::vector<Reply> got;
    s.submit(Priority::config,
             {step_for(special_command(special::dtr0, 77)),
              step_for(command(Address::short_address(1), op::set_power_on_level)),
              step_for(command(Address::short_address(1), op::query_power_on_level))},
             [&](auto& r) { got = r; });
    io.run();
    REQUIRE(got.size() == 3);
    CHECK(got[2] == Reply::answer(77));
    t.drop_next = 1;
    s.submit(Priority::polling, {step_for(command(Address::short_address(0), op::query_actual_level))},
             [&](auto& r) { got = r; });
    io.restart();
    io.run();
    CHECK(got[0] == Reply::answer(0));  // the timeout was retried
    CHECK(s.counters().timeouts == 1);
}
