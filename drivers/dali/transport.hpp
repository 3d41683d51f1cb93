#pragma once
// The one seam between the bus logic and a DALI interface: send one forward
// frame (twice when asked, back to back, nothing in between) and report what
// came back. Implementations live on the event loop and never block; one
// transaction is outstanding at a time (the Scheduler guarantees it), two when the
// transport pipelines().
#include <cstdint>
#include <functional>
#include <string>

#include "drivers/dali/frame.hpp"

namespace lykta::dali {

enum class Outcome : std::uint8_t {
    answer,         // one backward frame: `value`
    no_answer,      // nothing within the backward-frame window (a query's "NO"; a command's normal end)
    framing_error,  // a garbled backward frame: usually several gear answered at once
    bus_error,      // the frame may not have reached the bus; see `error`
};

enum class BusError : std::uint8_t { none, power_loss, interface, timeout };

struct Reply {
    Outcome outcome = Outcome::no_answer;
    std::uint8_t value = 0;
    BusError error = BusError::none;

    static Reply answer(std::uint8_t v) { return {Outcome::answer, v, BusError::none}; }
    static Reply none() { return {Outcome::no_answer, 0, BusError::none}; }
    static Reply framing() { return {Outcome::framing_error, 0, BusError::none}; }
    static Reply failed(BusError e) { return {Outcome::bus_error, 0, e}; }

    // Yes/no queries: any bus activity is YES (IEC 62386-102; python-dali YesNoResponse).
    bool yes() const { return outcome == Outcome::answer || outcome == Outcome::framing_error; }
    bool has_value() const { return outcome == Outcome::answer; }
    std::string to_string() const;  // "0xFE", "no answer", "framing error", "bus error (timeout)"
    friend bool operator==(const Reply&, const Reply&) = default;
};

struct TransactOptions {
    bool expect_answer = false;
    bool send_twice = false;
};

class Transport {
public:
    using Done = std::function<void(Reply)>;
    virtual ~Transport() = default;
    // Starts connecting; transactions before the link is up fail with BusError::interface.
    virtual void open() = 0;
    virtual void close() = 0;
    // `done` is called exactly once, later, on the loop thread (never inline).
    virtual void transact(ForwardFrame frame, TransactOptions options, Done done) = 0;
    virtual std::string describe() const = 0;  // "foxtron tcp 127.0.0.1:5000"
    // True when the interface queues requests and sends them back to back in order,
    // so a second transact() may follow before the first one's done: the next frame
    // is then already waiting when the bus frees up (no round trip between frames).
    virtual bool pipelines() const { return false; }
};

}  // namespace lykta::dali
