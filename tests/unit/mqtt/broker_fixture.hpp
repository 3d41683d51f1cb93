#pragma once
// Real-broker fixtures for the in-process link tests and the bench: a private
// mosquitto on a free loopback port, a platform-side Paho client that records
// what arrives, and the daemon's event loop on a thread.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mqtt/async_client.h>
#include <asio.hpp>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace lykta::test {

inline int free_port() {
    int s = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    ::getsockname(s, reinterpret_cast<sockaddr*>(&addr), &len);
    ::close(s);
    return ntohs(addr.sin_port);
}

inline bool port_open(int port) {
    int s = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bool ok = ::connect(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    ::close(s);
    return ok;
}

class Broker {
public:
    Broker(const std::filesystem::path& dir, int port, const std::string& extra = "") {
        auto conf = dir / "mosquitto.conf";
        std::ofstream(conf) << "listener " << port << " 127.0.0.1\nallow_anonymous true\npersistence false\n"
                            << "max_queued_messages 100000\nset_tcp_nodelay true\n"
                            << extra;
        std::string bin = "/usr/sbin/mosquitto", c = "-c", path = conf.string();
        std::string log = (dir / "mosquitto.log").string();
        char* argv[] = {bin.data(), c.data(), path.data(), nullptr};
        // The broker dies with this process and writes to its own log, not to
        // our stdout: a test binary that aborts (an ASan report, a crash) must
        // not leave a broker behind holding ctest's output pipe open, which
        // made ctest wait out the whole test timeout (600 s) for each one.
        const pid_t parent = ::getpid();
        pid_ = ::fork();
        if (pid_ == 0) {  // only async-signal-safe calls until exec
            ::prctl(PR_SET_PDEATHSIG, SIGTERM);
            if (::getppid() != parent) ::_exit(1);
            int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            if (fd >= 0) {
                ::dup2(fd, STDOUT_FILENO);
                ::dup2(fd, STDERR_FILENO);
            }
            ::execve(bin.c_str(), argv, environ);
            ::_exit(127);
        }
        // bounded: 5 s
        for (int i = 0; i < 500 && !port_open(port); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ~Broker() {
        if (pid_ <= 0) return;  // fork failed: kill(-1 or 0) would hit far more than the broker
        ::kill(pid_, SIGTERM);
        ::waitpid(pid_, nullptr, 0);
    }

private:
    pid_t pid_ = 0;
};

// The platform side: subscribes `filter` at QoS 0 (no PUBACKs from this side,
// so timings are the daemon's) and records every message.
class Watcher : public ::mqtt::callback {
public:
    struct Message {
        std::string topic;
        std::string payload;
        bool retained;
        std::chrono::steady_clock::time_point at;
    };

    Watcher(int port, const std::string& filter)
        : client_("tcp://127.0.0.1:" + std::to_string(port), "watcher-" + std::to_string(::getpid())) {
        client_.set_callback(*this);
        client_.connect(::mqtt::connect_options_builder().clean_session(true).finalize())->wait();
        client_.subscribe(filter, 0)->wait();
    }
    ~Watcher() override {
        try {
            client_.disconnect()->wait_for(std::chrono::seconds(2));
        } catch (const ::mqtt::exception&) {
        }
    }
    void message_arrived(::mqtt::const_message_ptr msg) override {
        std::lock_guard lock(m_);
        messages_.push_back(
            {msg->get_topic(), msg->get_payload_str(), msg->is_retained(), std::chrono::steady_clock::now()});
        cv_.notify_all();
    }
    std::size_t count(const std::string& topic) {
        std::lock_guard lock(m_);
        std::size_t n = 0;
        for (const auto& m : messages_) n += m.topic == topic;
        return n;
    }
    std::size_t count_containing(const std::string& part) {
        std::lock_guard lock(m_);
        std::size_t n = 0;
        for (const auto& m : messages_) n += m.topic.find(part) != std::string::npos;
        return n;
    }
    std::vector<Message> on(const std::string& topic) {
        std::lock_guard lock(m_);
        std::vector<Message> out;
        for (const auto& m : messages_)
            if (m.topic == topic) out.push_back(m);
        return out;
    }
    // Waits until pred() holds or `limit` passed; pred may call the accessors above.
    template <class Pred>
    bool wait(Pred pred, std::chrono::seconds limit = std::chrono::seconds(20)) {
        auto deadline = std::chrono::steady_clock::now() + limit;
        while (!pred()) {
            if (std::chrono::steady_clock::now() > deadline) return false;
            std::unique_lock lock(m_);
            cv_.wait_for(lock, std::chrono::milliseconds(20));
        }
        return true;
    }
    void publish(const std::string& topic, const std::string& payload) {
        client_.publish(topic, payload, 1, false)->wait_for(std::chrono::seconds(5));
    }

private:
    std::mutex m_;
    std::condition_variable cv_;
    std::vector<Message> messages_;
    ::mqtt::async_client client_;
};

// The daemon's loop on a thread; run() executes a function on it and waits.
class LoopThread {
public:
    LoopThread() : work_(asio::make_work_guard(io_)), thread_([this] { io_.run(); }) {}
    ~LoopThread() {
        work_.reset();
        io_.stop();
        thread_.join();
    }
    asio::io_context& io() { return io_; }
    template <class Fn>
    void run(Fn fn) {
        std::promise<void> done;
        asio::post(io_, [&] {
            fn();
            done.set_value();
        });
        done.get_future().wait();
    }

    // Shuts `link` down on the loop, waits (bounded) until its drain and
    // DISCONNECT are done, and destroys it there: its timers belong to this
    // io_context, which must outlive it. (Destroying the loop first made the
    // link's timers touch the freed io_context: heap-use-after-free.)
    template <class Link>
    void shut_down(std::unique_ptr<Link>& link) {
        auto stopped = std::make_shared<std::promise<void>>();
        run([&] { link->shutdown([stopped] { stopped->set_value(); }); });
        stopped->get_future().wait_for(std::chrono::seconds(10));
        run([&] { link.reset(); });
    }

private:
    asio::io_context io_;
    asio::executor_work_guard<asio::io_context::executor_type> work_;
    std::thread thread_;
};

}  // namespace lykta::test
