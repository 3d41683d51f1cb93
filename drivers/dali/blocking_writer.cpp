#include "drivers/dali/blocking_writer.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <asio/post.hpp>
#include <cerrno>
#include <cstdint>

namespace lykta::dali {

struct BlockingWriter::Fd {
    int fd;
    bool socket = false;  // the SOCK_SEQPACKET stand-in: send() without SIGPIPE when the peer is gone
    explicit Fd(int f) : fd(f) {
        struct stat st {};
        socket = fd >= 0 && ::fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode);
    }
    ~Fd() {
        if (fd >= 0) ::close(fd);
    }
};

BlockingWriter::BlockingWriter(asio::io_context& io, std::chrono::milliseconds stall_limit)
    : io_(io), stall_limit_(stall_limit), wake_fd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {}

BlockingWriter::~BlockingWriter() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        jobs_.clear();
    }
    wake_.notify_all();
    wake_poll();
    if (thread_.joinable()) thread_.join();
    if (wake_fd_ >= 0) ::close(wake_fd_);
}

void BlockingWriter::attach(int fd) {
    {
        std::lock_guard lock(mutex_);
        jobs_.clear();
        fd_ = fd >= 0 ? std::make_shared<Fd>(::fcntl(fd, F_DUPFD_CLOEXEC, 0)) : nullptr;
        if (fd_ && !thread_.joinable()) thread_ = std::thread([this] { run(); });
    }
    wake_poll();  // a write waiting on the previous descriptor gives up
}

void BlockingWriter::write(std::string bytes, Done done) {
    {
        std::lock_guard lock(mutex_);
        if (!fd_) return;
        jobs_.push_back(Job{fd_, std::move(bytes), std::move(done)});
    }
    wake_.notify_one();
}

void BlockingWriter::wake_poll() {
    if (wake_fd_ < 0) return;
    const std::uint64_t one = 1;
    [[maybe_unused]] const ssize_t n = ::write(wake_fd_, &one, sizeof one);
}

bool BlockingWriter::abandoned(const Job& job) {
    std::lock_guard lock(mutex_);
    return stopping_ || job.fd != fd_;
}

void BlockingWriter::run() {
    for (;;) {
        Job job;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
            if (stopping_) return;
            job = std::move(jobs_.front());
            jobs_.pop_front();
        }
        const auto ec = write_all(job);
        if (!ec) continue;  // stopping, or the link it was for is gone: nobody waits for it
        asio::post(io_, [done_cb = std::move(job.done), ec = *ec] {
            if (done_cb) done_cb(ec);
        });
    }
}

std::optional<std::error_code> BlockingWriter::write_all(const Job& job) {
    using clock = std::chrono::steady_clock;
    std::optional<clock::time_point> stalled_since;
    std::size_t done = 0;
    while (done < job.bytes.size()) {
        const char* from = job.bytes.data() + done;
        const std::size_t left = job.bytes.size() - done;
        const ssize_t n =
            job.fd->socket ? ::send(job.fd->fd, from, left, MSG_NOSIGNAL) : ::write(job.fd->fd, from, left);
        if (n > 0) {
            done += static_cast<std::size_t>(n);
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            // The descriptor shares the loop's O_NONBLOCK; a stand-in socket may say "later"
            // for as long as its peer does not read. Wait here (this thread may block), but
            // no longer than a real device's USB timeout, and not for a link that is gone.
            const auto now = clock::now();
            if (!stalled_since) {
                stalled_since = now;
                ++stalled_writes_;
            }
            const auto wait =
                std::chrono::ceil<std::chrono::milliseconds>(stall_limit_ - (now - *stalled_since));
            if (abandoned(job)) return std::nullopt;
            if (wait.count() <= 0) return std::error_code(ETIMEDOUT, std::system_category());
            pollfd p[2]{{job.fd->fd, POLLOUT, 0}, {wake_fd_, POLLIN, 0}};
            ::poll(p, wake_fd_ >= 0 ? 2 : 1, static_cast<int>(wait.count()));
            if (p[1].revents & POLLIN) {
                std::uint64_t count;
                [[maybe_unused]] const ssize_t r = ::read(wake_fd_, &count, sizeof count);
            }
            continue;
        }
        return std::error_code(n < 0 ? errno : EIO, std::system_category());
    }
    return std::error_code{};
}

}  // namespace lykta::dali
