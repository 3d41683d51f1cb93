#pragma once
// A real libmodbus TCP server on a free loopback port for the Modbus tests.
#include <modbus/modbus.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

namespace lykta::test {

// A libmodbus server (unit 1: 8 coils, 4 holding and 16 input registers) on a
// free port, serving one client at a time in its own thread. It records the
// function code of every request and can refuse the single-item writes (FC05,
// FC06) as "illegal function", like devices that implement only FC15/FC16.
class TestServer {
public:
    TestServer() : mapping_(modbus_mapping_new(8, 0, 4, 16)) {
        ctx_ = modbus_new_tcp("127.0.0.1", 0);
        listen_ = modbus_tcp_listen(ctx_, 1);
        sockaddr_in addr{};
        socklen_t len = sizeof addr;
        getsockname(listen_, reinterpret_cast<sockaddr*>(&addr), &len);
        port_ = ntohs(addr.sin_port);
        thread_ = std::thread([this] { serve(); });
    }
    ~TestServer() {
        stop_ = true;
        thread_.join();
        ::close(listen_);
        modbus_free(ctx_);
        modbus_mapping_free(mapping_);
    }
    int port() const { return port_; }
    void set_input(int address, std::uint16_t value) {
        std::lock_guard lock(mutex_);
        mapping_->tab_input_registers[address] = value;
    }
    void refuse_single_writes(bool refuse) { refuse_single_ = refuse; }
    std::vector<int> functions() {
        std::lock_guard lock(mutex_);
        return functions_;
    }
    std::uint16_t holding(int address) {
        std::lock_guard lock(mutex_);
        return mapping_->tab_registers[address];
    }

private:
    void serve() {
        int client = -1;
        while (!stop_) {
            pollfd p{client >= 0 ? client : listen_, POLLIN, 0};
            if (::poll(&p, 1, 20) <= 0) continue;
            if (client < 0) {
                client = ::accept(listen_, nullptr, nullptr);
                continue;
            }
            std::uint8_t query[MODBUS_TCP_MAX_ADU_LENGTH];
            modbus_set_socket(ctx_, client);
            int rc = modbus_receive(ctx_, query);
            if (rc < 0) {
                ::close(client);
                client = -1;
                continue;
            }
            std::lock_guard lock(mutex_);
            if (rc <= 0) continue;
            const int function = query[modbus_get_header_length(ctx_)];
            functions_.push_back(function);
            if (refuse_single_ && (function == 0x05 || function == 0x06))
                modbus_reply_exception(ctx_, query, MODBUS_EXCEPTION_ILLEGAL_FUNCTION);
            else
                modbus_reply(ctx_, query, rc, mapping_);
        }
        if (client >= 0) ::close(client);
    }

    modbus_mapping_t* mapping_;
    modbus_t* ctx_ = nullptr;
    int listen_ = -1;
    int port_ = 0;
    std::mutex mutex_;
    std::vector<int> functions_;
    std::atomic<bool> refuse_single_{false};
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

}  // namespace lykta::test
