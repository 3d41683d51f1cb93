#pragma once
// Writes to a device whose write() blocks (hidraw: until the USB interrupt transfer
// is done, seconds when the device stalls, O_NONBLOCK or not), on a thread of its
// own so the event loop never waits. One write at a time, in order; each result is
// posted back to the loop.
#include <asio/io_context.hpp>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <system_error>
#include <thread>

namespace lykta::dali {

class BlockingWriter {
public:
    using Done = std::function<void(std::error_code)>;
    // A descriptor that keeps saying "later" (EAGAIN) fails a write with ETIMEDOUT after
    // `stall_limit`: the hasseb USB transfer timeout, as long as a hidraw write may block.
    explicit BlockingWriter(asio::io_context& io,
                            std::chrono::milliseconds stall_limit = std::chrono::seconds(5));
    // Waits for a blocking write() in progress; a write waiting for EAGAIN to clear is abandoned.
    ~BlockingWriter();
    BlockingWriter(const BlockingWriter&) = delete;
    BlockingWriter& operator=(const BlockingWriter&) = delete;

    // Writes go to a duplicate of `fd` from now on (-1: nowhere); queued writes for the
    // previous one, and one waiting there for EAGAIN to clear, are dropped without a callback.
    void attach(int fd);
    // `done` runs on the loop thread once the bytes are written or failed.
    void write(std::string bytes, Done done);
    // Writes that found the descriptor saying "later" (EAGAIN) and had to wait.
    std::uint64_t stalled_writes() const { return stalled_writes_.load(); }

private:
    struct Fd;
    struct Job {
        std::shared_ptr<Fd> fd;
        std::string bytes;
        Done done;
    };
    void run();
    std::optional<std::error_code> write_all(const Job& job);  // nullopt: abandoned
    bool abandoned(const Job& job);
    void wake_poll();

    asio::io_context& io_;
    std::chrono::milliseconds stall_limit_;
    int wake_fd_ = -1;  // eventfd: interrupts a poll() on EAGAIN when stopping or re-attached
    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Job> jobs_;
    std::shared_ptr<Fd> fd_;
    bool stopping_ = false;
    std::atomic<std::uint64_t> stalled_writes_{0};
    std::thread thread_;  // started on the first attach
};

}  // namespace lykta::dali
