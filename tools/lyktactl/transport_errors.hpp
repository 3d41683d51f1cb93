#pragma once
// What can go wrong between lyktactl and a gateway, apart from the gateway's
// own error answers, and the exit status each one gives.
#include <stdexcept>

namespace lykta::ctl {

// Exit statuses of lyktactl (docs/operations.md, "Exit status").
enum Exit : int {
    exit_ok = 0,
    exit_failed = 1,       // the gateway answered with an error, or the verb found problems
    exit_usage = 2,        // bad arguments or input files
    exit_unreachable = 3,  // the daemon or the broker could not be reached
    exit_timeout = 4,      // the gateway did not answer in time
};

// The daemon's socket or the broker could not be reached, or the link broke.
class TransportError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The request went out but no answer came within the timeout.
class AnswerTimeout : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace lykta::ctl
