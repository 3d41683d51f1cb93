#include "gateway/http/sessions.hpp"

#include <sys/random.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace lykta::http {

std::string random_token() {
    unsigned char bytes[32];
    std::size_t have = 0;
    while (have < sizeof bytes) {
        auto n = ::getrandom(bytes + have, sizeof bytes - have, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw std::runtime_error(std::string("getrandom: ") + std::strerror(errno));
        }
        have += static_cast<std::size_t>(n);
    }
    static const char hex[] = "0123456789abcdef";
    std::string out;
    for (auto b : bytes) {
        out += hex[b >> 4];
        out += hex[b & 15];
    }
    return out;
}

const Session& Sessions::create(const std::string& user, Role role, Clock::time_point now) {
    while (by_id_.size() >= limits_.max_sessions) {
        auto oldest = std::min_element(by_id_.begin(), by_id_.end(), [](const auto& a, const auto& b) {
            return a.second.last_used < b.second.last_used;
        });
        by_id_.erase(oldest);
    }
    Session s{random_token(), random_token(), user, role, now, now};
    auto id = s.id;
    return by_id_.emplace(id, std::move(s)).first->second;
}

bool Sessions::alive(const std::string& id, Clock::time_point now) const {
    auto it = by_id_.find(id);
    return it != by_id_.end() && !expired(it->second, now);
}

bool Sessions::expired(const Session& s, Clock::time_point now) const {
    return now - s.last_used > limits_.idle || now - s.created > limits_.lifetime;
}

const Session* Sessions::find(const std::string& id, Clock::time_point now) {
    auto it = by_id_.find(id);
    if (it == by_id_.end()) return nullptr;
    auto& s = it->second;
    if (expired(s, now)) {
        by_id_.erase(it);
        return nullptr;
    }
    s.last_used = now;
    return &s;
}

void Sessions::remove(const std::string& id) {
    by_id_.erase(id);
}

void Sessions::remove_user(const std::string& user) {
    std::erase_if(by_id_, [&](const auto& entry) { return entry.second.user == user; });
}

bool Sessions::csrf_matches(const Session& session, const std::string& token) {
    if (token.size() != session.csrf.size()) return false;
    unsigned char diff = 0;
    for (std::size_t i = 0; i < token.size(); ++i)
        diff |= static_cast<unsigned char>(token[i] ^ session.csrf[i]);
    return diff == 0;
}

}  // namespace lykta::http
