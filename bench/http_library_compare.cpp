// Side-by-side footprint of the three Debian HTTP libraries the crew page could
// use (docs/crew-page.md, "Choosing the HTTP library"). One build per library
// (-DUSE_MHD, -DUSE_HTTPLIB, -DUSE_CIVETWEB, or none for the bare process);
// each serves "ok" on 127.0.0.1:PORT, is asked 200 times over loopback by
// itself, and prints its VmRSS and thread count before the server starts, once
// it listens, and after the requests. Loopback only; stops by itself.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>

#if defined(USE_MHD)
#include <microhttpd.h>
#elif defined(USE_HTTPLIB)
#include <httplib.h>
#elif defined(USE_CIVETWEB)
#include <civetweb.h>
#endif

static void report(const char* when) {
    std::ifstream in("/proc/self/status");
    std::string line, rss, threads;
    while (std::getline(in, line)) {
        if (line.rfind("VmRSS:", 0) == 0) rss = line.substr(6);
        if (line.rfind("Threads:", 0) == 0) threads = line.substr(8);
    }
    std::printf("%-10s rss %s threads %s\n", when, rss.c_str(), threads.c_str());
}

static bool get_once(int port) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) return ::close(fd), false;
    const char req[] = "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    if (::write(fd, req, sizeof req - 1) < 0) return ::close(fd), false;
    char buf[512];
    bool ok = false;
    ssize_t n;
    while ((n = ::read(fd, buf, sizeof buf)) > 0)
        if (std::strstr(buf, "200")) ok = true;
    ::close(fd);
    return ok;
}

#if defined(USE_MHD)
static MHD_Result answer(void*, MHD_Connection* c, const char*, const char*, const char*, const char*,
                         size_t*, void**) {
    static char body[] = "ok";
    auto* r = MHD_create_response_from_buffer(2, body, MHD_RESPMEM_PERSISTENT);
    auto ret = MHD_queue_response(c, 200, r);
    MHD_destroy_response(r);
    return ret;
}
#elif defined(USE_CIVETWEB)
static int answer(mg_connection* c, void*) {
    mg_printf(c, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
    return 200;
}
#endif

int main(int argc, char** argv) {
    int port = argc > 1 ? std::atoi(argv[1]) : 18080;
    report("before");
#if defined(USE_MHD)
    // The mode the daemon uses: no thread of its own, driven by the caller's loop
    // (here a plain loop over MHD_run; lyktad waits on MHD's epoll fd with Asio).
    auto* d = MHD_start_daemon(MHD_USE_EPOLL, port, nullptr, nullptr, &answer, nullptr, MHD_OPTION_END);
    std::thread client([port] {
        for (int i = 0; i < 200; ++i) get_once(port);
    });
    report("listening");
    bool done = false;
    std::thread stopper([&] {
        client.join();
        done = true;
    });
    while (!done) {
        MHD_run(d);
        usleep(200);
    }
    stopper.join();
    report("after200");
    MHD_stop_daemon(d);
#elif defined(USE_HTTPLIB)
    httplib::Server s;
    s.Get("/", [](const httplib::Request&, httplib::Response& r) { r.set_content("ok", "text/plain"); });
    std::thread t([&] { s.listen("127.0.0.1", port); });
    while (!s.is_running()) std::this_thread::yield();
    report("listening");
    for (int i = 0; i < 200; ++i) get_once(port);
    report("after200");
    s.stop();
    t.join();
#elif defined(USE_CIVETWEB)
    std::string p = "127.0.0.1:" + std::to_string(port);
    const char* options[] = {"listening_ports", p.c_str(), "num_threads", "2", nullptr};
    mg_init_library(0);
    auto* ctx = mg_start(nullptr, nullptr, options);
    mg_set_request_handler(ctx, "/", answer, nullptr);
    report("listening");
    for (int i = 0; i < 200; ++i) get_once(port);
    report("after200");
    mg_stop(ctx);
#else
    report("listening");
#endif
    return 0;
}
