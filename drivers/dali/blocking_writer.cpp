#include "drivers/dali/blocking_writer.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <asio/post.hpp>
#include <cerrno>

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

BlockingWriter::~BlockingWriter() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        jobs_.clear();
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void BlockingWriter::attach(int fd) {
    std::lock_guard lock(mutex_);
    jobs_.clear();
    fd_ = fd >= 0 ? std::make_shared<Fd>(::fcntl(fd, F_DUPFD_CLOEXEC, 0)) : nullptr;
    if (fd_ && !thread_.joinable()) thread_ = std::thread([this] { run(); });
}

void BlockingWriter::write(std::string bytes, Done done) {
    {
        std::lock_guard lock(mutex_);
        if (!fd_) return;
        jobs_.push_back(Job{fd_, std::move(bytes), std::move(done)});
    }
    wake_.notify_one();
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
        std::error_code ec;
        std::size_t done = 0;
        while (done < job.bytes.size()) {
            const char* from = job.bytes.data() + done;
            const std::size_t left = job.bytes.size() - done;
            const ssize_t n = job.fd->socket ? ::send(job.fd->fd, from, left, MSG_NOSIGNAL)
                                             : ::write(job.fd->fd, from, left);
            if (n > 0) {
                done += static_cast<std::size_t>(n);
                continue;
            }
            if (n < 0 && errno == EINTR) continue;
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
                // The descriptor shares the loop's O_NONBLOCK; a stand-in socket may say
                // "later". Wait here (this thread may block) and try again.
                pollfd p{job.fd->fd, POLLOUT, 0};
                ::poll(&p, 1, 1000);
                continue;
            }
            ec = std::error_code(n < 0 ? errno : EIO, std::system_category());
            break;
        }
        asio::post(io_, [done_cb = std::move(job.done), ec] {
            if (done_cb) done_cb(ec);
        });
    }
}

}  // namespace lykta::dali
