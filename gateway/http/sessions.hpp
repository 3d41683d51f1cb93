#pragma once
// Logged-in browsers. A session is a 256-bit random id carried in an
// HttpOnly, SameSite=Strict cookie, plus a second random token the page
// sends back in a header on every POST (CSRF: another site can make the
// browser send the cookie, never read the token). Sessions live in memory
// only (a restart logs everyone out), expire after `idle` without a request
// and after `lifetime` in any case, and at most `max_sessions` exist (the
// least recently used goes first).
#include <chrono>
#include <map>
#include <optional>
#include <string>

#include "gateway/http/roles.hpp"

namespace lykta::http {

struct Session {
    std::string id;
    std::string csrf;
    std::string user;
    Role role = Role::viewer;
    std::chrono::steady_clock::time_point created{};
    std::chrono::steady_clock::time_point last_used{};
};

class Sessions {
public:
    using Clock = std::chrono::steady_clock;
    struct Limits {
        std::chrono::seconds idle{8 * 3600};  // a crew's shift
        std::chrono::seconds lifetime{24 * 3600};
        std::size_t max_sessions = 64;
    };
    Sessions() : Sessions(Limits{}) {}
    explicit Sessions(Limits limits) : limits_(limits) {}

    const Session& create(const std::string& user, Role role, Clock::time_point now);
    // The live session with this id (refreshing its idle time), or nullptr.
    const Session* find(const std::string& id, Clock::time_point now);
    // Whether `id` is a live session, without counting this as a use.
    bool alive(const std::string& id, Clock::time_point now) const;
    void remove(const std::string& id);
    // Every session of `user` (the user was removed or demoted in the users_file).
    void remove_user(const std::string& user);
    std::size_t size() const { return by_id_.size(); }

    // True when the token the page sent equals the session's (constant time).
    static bool csrf_matches(const Session& session, const std::string& token);

private:
    bool expired(const Session& s, Clock::time_point now) const;

    Limits limits_;
    std::map<std::string, Session> by_id_;
};

// 32 bytes from getrandom(2) as 64 hex digits.
std::string random_token();

}  // namespace lykta::http
