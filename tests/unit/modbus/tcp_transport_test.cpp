// The Modbus TCP transport (TcpLink + mbap), against a
// real libmodbus server and against a scripted peer on loopback TCP that
// answers with whatever bytes a test gives it: out of order, late, with the
// wrong transaction id, short, too long, exceptions, garbage. Every case ends
// in an outcome with a message; none crashes or hangs.
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <atomic>
#include <functional>
#include <mutex>
#include <thread>

#include "drivers/modbus/mbap.hpp"
#include "drivers/modbus/network.hpp"
#include "drivers/modbus/tcp_transport.hpp"
#include "tests/unit/modbus/libmodbus_server.hpp"
#include "tests/unit/support/run_until.hpp"

using namespace lykta;
using namespace lykta::modbus;
using Bytes = std::vector<std::uint8_t>;

namespace {

// Accepts one client; collects `batch` request ADUs, then sends what
// `respond` makes of them (nothing: stays silent). Bounded: stops with the test.
class ScriptedPeer {
public:
    using Respond = std::function<Bytes(const std::vector<Bytes>& requests)>;
    ScriptedPeer(std::size_t batch, Respond respond) : batch_(batch), respond_(std::move(respond)) {
        listen_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof addr;
        REQUIRE(::bind(listen_, reinterpret_cast<sockaddr*>(&addr), len) == 0);
        REQUIRE(::listen(listen_, 1) == 0);
        ::getsockname(listen_, reinterpret_cast<sockaddr*>(&addr), &len);
        port_ = ntohs(addr.sin_port);
        thread_ = std::thread([this] { serve(); });
    }
    ~ScriptedPeer() {
        stop_ = true;
        thread_.join();
        ::close(listen_);
    }
    int port() const { return port_; }
    std::size_t requests_seen() const { return seen_; }
    // Closes the client connection after the next answer.
    void hang_up_after_answer() { hang_up_ = true; }

private:
    void serve() {
        int client = -1;
        Bytes in;
        std::vector<Bytes> requests;
        while (!stop_) {
            pollfd p{client >= 0 ? client : listen_, POLLIN, 0};
            if (::poll(&p, 1, 20) <= 0) continue;
            if (client < 0) {
                client = ::accept(listen_, nullptr, nullptr);
                continue;
            }
            std::uint8_t chunk[1024];
            ssize_t n = ::recv(client, chunk, sizeof chunk, 0);
            if (n <= 0) {
                ::close(client);
                client = -1;
                continue;
            }
            in.insert(in.end(), chunk, chunk + n);
            std::string error;
            for (long size; (size = mbap::frame_size(in, error)) > 0 && in.size() >= std::size_t(size);) {
                requests.emplace_back(in.begin(), in.begin() + size);
                in.erase(in.begin(), in.begin() + size);
                ++seen_;
            }
            if (requests.size() < batch_) continue;
            Bytes out = respond_(requests);
            requests.clear();
            if (!out.empty()) ::send(client, out.data(), out.size(), MSG_NOSIGNAL);
            if (hang_up_) {
                ::close(client);
                client = -1;
                hang_up_ = false;
            }
        }
        if (client >= 0) ::close(client);
    }

    std::size_t batch_;
    Respond respond_;
    int listen_ = -1;
    int port_ = 0;
    std::atomic<std::size_t> seen_{0};
    std::atomic<bool> hang_up_{false};
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

std::uint16_t transaction(const Bytes& request) {
    return mbap::transaction_of(request);
}

// The right answer to an FC04 request: register i holds address + i.
Bytes good_answer(const Bytes& request, std::uint16_t transaction_id) {
    const int address = request[8] << 8 | request[9];
    const int count = request[10] << 8 | request[11];
    Bytes out{std::uint8_t(transaction_id >> 8),
              std::uint8_t(transaction_id),
              0,
              0,
              0,
              std::uint8_t(3 + 2 * count),
              request[6],
              0x04,
              std::uint8_t(2 * count)};
    for (int i = 0; i < count; ++i) {
        out.push_back(std::uint8_t((address + i) >> 8));
        out.push_back(std::uint8_t(address + i));
    }
    return out;
}

NetworkConfig tcp(int port, int pipeline = 1) {
    NetworkConfig n;
    n.id = "test";
    n.link = TcpSettings{"127.0.0.1", port, pipeline};
    n.response_timeout_s = 0.2;
    return n;
}

// A transport for the endpoint `tcp(...)` names.
TcpTransport transport(const NetworkConfig& network) {
    return TcpTransport(std::get<TcpSettings>(network.link), network.response_timeout_s);
}

ReadRequest input(int address, int count) {
    return {RegisterType::input, address, count, {}};
}

// One read through a fresh connection to `peer`.
ReadResult read_once(int port, ReadRequest request = input(4, 2)) {
    TcpTransport c = transport(tcp(port));
    std::string error;
    REQUIRE(c.open(error));
    return c.read(1, request);
}

}  // namespace

TEST_CASE("TCP reads and writes against a libmodbus server, one at a time and pipelined") {
    test::TestServer server;
    for (int i = 0; i < 16; ++i) server.set_input(i, std::uint16_t(100 + i));
    for (int pipeline : {1, 4}) {
        INFO("pipeline " << pipeline);
        TcpTransport c = transport(tcp(server.port(), pipeline));
        std::string error;
        REQUIRE(c.open(error));
        CHECK(describe(tcp(server.port())) == "tcp 127.0.0.1:" + std::to_string(server.port()));
        std::vector<ReadRequest> requests;
        for (int i = 0; i < 6; ++i) requests.push_back(input(i * 2, 2));
        requests.push_back(input(20, 2));  // the server has 16: exception 2
        std::vector<ReadResult> results(requests.size());
        std::vector<BatchRead> reads;
        for (std::size_t i = 0; i < requests.size(); ++i) reads.push_back({1, &requests[i], &results[i]});
        c.read(reads);
        for (int i = 0; i < 6; ++i) {
            REQUIRE(results[i].outcome == Outcome::ok);
            CHECK(results[i].words ==
                  std::vector<std::uint16_t>{std::uint16_t(100 + 2 * i), std::uint16_t(101 + 2 * i)});
        }
        CHECK(results[6].outcome == Outcome::exception);
        CHECK(results[6].exception_code == 2);
        CHECK(results[6].error == "unit 1 input 20+2: exception 2 (illegal data address)");
        WriteResult w = c.write(1, WriteRequest{RegisterType::holding, 2, {0xABCD}, false, false});
        REQUIRE(w.outcome == Outcome::ok);
        CHECK(w.readback.words == std::vector<std::uint16_t>{0xABCD});
        CHECK(c.stray_answers() == 0);
    }
}

TEST_CASE("pipelined answers are matched to their requests by transaction id, in any order") {
    ScriptedPeer peer(3, [](const std::vector<Bytes>& requests) {
        Bytes out;
        for (auto it = requests.rbegin(); it != requests.rend(); ++it) {
            Bytes a = good_answer(*it, transaction(*it));
            out.insert(out.end(), a.begin(), a.end());
        }
        return out;
    });
    TcpTransport c = transport(tcp(peer.port(), 3));
    std::string error;
    REQUIRE(c.open(error));
    std::vector<ReadRequest> requests{input(10, 1), input(20, 2), input(30, 1)};
    std::vector<ReadResult> results(3);
    std::vector<BatchRead> reads;
    for (std::size_t i = 0; i < 3; ++i) reads.push_back({1, &requests[i], &results[i]});
    c.read(reads);
    CHECK(results[0].words == std::vector<std::uint16_t>{10});
    CHECK(results[1].words == std::vector<std::uint16_t>{20, 21});
    CHECK(results[2].words == std::vector<std::uint16_t>{30});
    CHECK(peer.requests_seen() == 3);
}

TEST_CASE("a late answer to an earlier transaction is skipped, not taken for the current one") {
    int calls = 0;
    ScriptedPeer peer(1, [&](const std::vector<Bytes>& requests) {
        ++calls;
        if (calls == 1) return Bytes{};  // the first request times out ...
        // ... its answer comes with the second one's, first.
        Bytes out = good_answer(requests[0], std::uint16_t(transaction(requests[0]) - 1));
        out[9] = 0xEE;  // a stale value that must not be taken
        Bytes a = good_answer(requests[0], transaction(requests[0]));
        out.insert(out.end(), a.begin(), a.end());
        return out;
    });
    TcpTransport c = transport(tcp(peer.port()));
    std::string error;
    REQUIRE(c.open(error));
    ReadResult first = c.read(1, input(4, 2));
    CHECK(first.outcome == Outcome::timeout);
    CHECK(first.error == "unit 1 input 4+2: no answer within 0.2 s");
    ReadResult second = c.read(1, input(4, 2));
    REQUIRE(second.outcome == Outcome::ok);
    CHECK(second.words == std::vector<std::uint16_t>{4, 5});
    CHECK(c.stray_answers() == 1);
}

TEST_CASE("bad bytes from a TCP device end in a clear outcome, never a crash or a hang") {
    using Make = std::function<Bytes(const Bytes& request)>;
    struct Case {
        const char* name;
        Make make;
        Outcome outcome;
        std::string error;
    };
    const std::vector<Case> cases{
        {"exception", [](const Bytes& r) { return Bytes{r[0], r[1], 0, 0, 0, 3, 1, 0x84, 4}; },
         Outcome::exception, "unit 1 input 4+2: exception 4 (server device failure)"},
        {"wrong unit",
         [](const Bytes& r) {
             auto a = good_answer(r, transaction(r));
             a[6] = 9;
             return a;
         },
         Outcome::bad_response, "unit 1 input 4+2: answer from unit 9"},
        {"wrong byte count",
         [](const Bytes& r) {
             auto a = good_answer(r, transaction(r));
             a[8] = 2;
             return a;
         },
         Outcome::bad_response, "unit 1 input 4+2: byte count 2 in a 6-byte answer, expected 4"},
        {"wrong function",
         [](const Bytes& r) {
             auto a = good_answer(r, transaction(r));
             a[7] = 3;
             return a;
         },
         Outcome::bad_response, "unit 1 input 4+2: function 0x03, expected 0x04"},
        {"not Modbus",
         [](const Bytes& r) {
             auto a = good_answer(r, transaction(r));
             a[2] = 7;
             return a;
         },
         Outcome::bad_response, "unit 1 input 4+2: protocol id 1792, not Modbus (0)"},
        {"only wrong transaction ids",
         [](const Bytes& r) {
             Bytes out;
             for (int i = 1; i <= 20; ++i) {
                 auto a = good_answer(r, std::uint16_t(transaction(r) + 100 + i));
                 out.insert(out.end(), a.begin(), a.end());
             }
             return out;
         },
         Outcome::bad_response,
         "unit 1 input 4+2: 16 answers with transaction ids not asked for (last 117, expected 1)"},
        {"silence", [](const Bytes&) { return Bytes{}; }, Outcome::timeout,
         "unit 1 input 4+2: no answer within 0.2 s"},
        {"a short frame, then nothing",
         [](const Bytes& r) {
             auto a = good_answer(r, transaction(r));
             a.resize(a.size() - 2);
             return a;
         },
         Outcome::timeout, "unit 1 input 4+2: no answer within 0.2 s"},
    };
    for (const auto& test : cases) {
        INFO(test.name);
        ScriptedPeer peer(1, [&](const std::vector<Bytes>& requests) { return test.make(requests[0]); });
        ReadResult r = read_once(peer.port());
        CHECK(r.outcome == test.outcome);
        CHECK(r.error == test.error);
        CHECK(r.words.empty());
    }
}

TEST_CASE("a peer that closes the connection mid-answer is link down") {
    ScriptedPeer peer(1, [](const std::vector<Bytes>& requests) {
        auto a = good_answer(requests[0], transaction(requests[0]));
        a.resize(9);
        return a;
    });
    peer.hang_up_after_answer();
    ReadResult r = read_once(peer.port());
    CHECK(r.outcome == Outcome::link_down);
    CHECK(r.error == "unit 1 input 4+2: connection closed by the peer");
}

TEST_CASE("a TCP endpoint nobody listens on does not open, and says where") {
    int port = 0;
    {
        test::TestServer gone;
        port = gone.port();
    }
    TcpTransport c = transport(tcp(port));
    std::string error;
    CHECK_FALSE(c.open(error));
    CHECK(error == "cannot open tcp 127.0.0.1:" + std::to_string(port) + ": Connection refused");
    CHECK(c.read(1, input(0, 1)).outcome == Outcome::link_down);
}

TEST_CASE("a pipelined network sends the polls due together before it waits for any answer") {
    // The peer answers nothing until it holds three requests: one at a time
    // would end in timeouts.
    ScriptedPeer peer(3, [](const std::vector<Bytes>& requests) {
        Bytes out;
        for (auto it = requests.rbegin(); it != requests.rend(); ++it) {
            Bytes a = good_answer(*it, transaction(*it));
            out.insert(out.end(), a.begin(), a.end());
        }
        return out;
    });
    asio::io_context io;
    auto guard = asio::make_work_guard(io);
    Network network(io, tcp(peer.port(), 4));
    std::vector<std::uint16_t> delivered;
    for (int i = 1; i <= 3; ++i)
        network.add_poll(1, {input(10 * i, 1)}, std::chrono::seconds(10),
                         [&](const std::vector<ReadResult>& r) {
                             REQUIRE(r.at(0).outcome == Outcome::ok);
                             delivered.push_back(r[0].words.at(0));
                         });
    network.start();
    REQUIRE(test::run_until(io, [&] { return delivered.size() == 3; }));
    CHECK(delivered == std::vector<std::uint16_t>{10, 20, 30});
    CHECK(network.counters().timeouts == 0);
    network.stop();
}

TEST_CASE("a pipelined batch with an exception and a silent unit keeps the other answers") {
    // The first batch waits for all its answers at once; an exception is
    // shorter than the data it replaces and unit 3 never answers, so the wait
    // ends on the timeout with what came. The next batch waits answer by answer.
    int batch = 0;
    ScriptedPeer peer(3, [&](const std::vector<Bytes>& requests) {
        Bytes out = good_answer(requests[0], transaction(requests[0]));
        const Bytes refused{requests[1][0], requests[1][1], 0, 0, 0, 3, requests[1][6], 0x84, 2};
        if (++batch == 1) {
            out.insert(out.end(), refused.begin(), refused.end());
            return out;
        }
        for (std::size_t i = 1; i < requests.size(); ++i) {
            Bytes a = good_answer(requests[i], transaction(requests[i]));
            out.insert(out.end(), a.begin(), a.end());
        }
        return out;
    });
    TcpTransport c = transport(tcp(peer.port(), 3));
    std::string error;
    REQUIRE(c.open(error));
    std::vector<ReadRequest> requests{input(10, 2), input(20, 2), input(30, 2)};
    std::vector<ReadResult> results(3);
    const std::vector<BatchRead> reads{
        {1, &requests[0], &results[0]}, {2, &requests[1], &results[1]}, {3, &requests[2], &results[2]}};
    c.read(reads);
    CHECK(results[0].outcome == Outcome::ok);
    CHECK(results[0].words == std::vector<std::uint16_t>{10, 11});
    CHECK(results[1].outcome == Outcome::exception);
    CHECK(results[1].error == "unit 2 input 20+2: exception 2 (illegal data address)");
    CHECK(results[2].outcome == Outcome::timeout);
    CHECK(results[2].error == "unit 3 input 30+2: no answer within 0.2 s");
    c.read(reads);
    for (std::size_t i = 0; i < 3; ++i) {
        INFO(i);
        CHECK(results[i].outcome == Outcome::ok);
        CHECK(results[i].words.size() == 2);
    }
    CHECK(c.stray_answers() == 0);
}
