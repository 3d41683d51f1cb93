#include "gateway/mqtt/tcp_nodelay.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

namespace lykta::mqtt {
namespace {

int peer_port(int fd) {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    if (::getpeername(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return 0;
    if (addr.ss_family == AF_INET) return ntohs(reinterpret_cast<sockaddr_in*>(&addr)->sin_port);
    if (addr.ss_family == AF_INET6) return ntohs(reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port);
    return 0;
}

}  // namespace

int disable_nagle_towards(int broker_port) {
    if (broker_port <= 0) return 0;
    int changed = 0;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd", ec)) {
        int fd = std::atoi(entry.path().filename().c_str());
        int type = 0;
        socklen_t len = sizeof type;
        if (::getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) != 0 || type != SOCK_STREAM) continue;
        if (peer_port(fd) != broker_port) continue;
        int on = 1;
        if (::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on) == 0) ++changed;
    }
    return changed;
}

int port_of_uri(const char* uri) {
    std::string_view text(uri);
    auto scheme_end = text.find("://");
    if (scheme_end == std::string_view::npos) return 0;
    std::string_view scheme = text.substr(0, scheme_end);
    std::string_view rest = text.substr(scheme_end + 3);
    rest = rest.substr(0, rest.find('/'));
    auto colon = rest.rfind(':');
    if (colon == std::string_view::npos || rest.substr(colon).find(']') != std::string_view::npos) {
        if (scheme == "ssl" || scheme == "mqtts") return 8883;
        if (scheme == "ws") return 80;
        if (scheme == "wss") return 443;
        return 1883;
    }
    int port = 0;
    auto digits = rest.substr(colon + 1);
    std::from_chars(digits.data(), digits.data() + digits.size(), port);
    return port;
}

}  // namespace lykta::mqtt
