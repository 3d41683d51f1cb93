#pragma once
// Writes to a device whose write() blocks (hidraw: until the USB interrupt transfer
// is done, seconds when the device stalls, O_NONBLOCK or not), on a thread of its
// own so the event loop never waits. One write at a time, in order; each result is
// posted back to the loop.
#include <asio/io_context.hpp>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>

namespace lykta::dali {

class BlockingWriter {
public:
    using Done = std::function<void(std::error_code)>;
    explicit BlockingWriter(asio::io_context& io) : io_(io) {}
    ~BlockingWriter();  // waits for a write in progress
    BlockingWriter(const BlockingWriter&) = delete;
    BlockingWriter& operator=(const BlockingWriter&) = delete;

    // Writes go to a duplicate of `fd` from now on (-1: nowhere); queued writes for the
    // previous one are dropped without a callback.
    void attach(int fd);
    // `done` runs on the loop thread once the bytes are written or failed.
    void write(std::string bytes, Done done);

private:
    struct Fd;
    struct Job {
        std::shared_ptr<Fd> fd;
        std::string bytes;
        Done done;
    };
    void run();

    asio::io_context& io_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Job> jobs_;
    std::shared_ptr<Fd> fd_;
    bool stopping_ = false;
    std::thread thread_;  // started on the first attach
};

}  // namespace lykta::dali
