#pragma once
// The crew page's users: one "name:role:hash" line per user, like /etc/shadow
// (the hash is a crypt(5) string, which never holds ':'). Blank lines and
// lines starting with '#' are kept as they are. Written by `lyktactl http
// passwd`, read by lyktad at start and at each login attempt when the file
// changed (a new user needs no restart).
#include <optional>
#include <string>
#include <vector>

#include "gateway/core/diagnostic.hpp"
#include "gateway/http/roles.hpp"

namespace lykta::http {

struct User {
    std::string name;
    Role role = Role::viewer;
    std::string hash;
};

struct UsersFile {
    std::vector<User> users;
    std::vector<Diagnostic> problems;  // FILE:LINE:COL each; the line is skipped
    const User* find(const std::string& name) const;
};

// Names: 1..64 of [A-Za-z0-9_.@-].
bool is_valid_user_name(const std::string& name);
UsersFile parse_users(const std::string& text, const std::string& file_name);
// `text` with the line of `user` replaced (or appended), other lines as they were.
std::string set_user_line(const std::string& text, const User& user);

}  // namespace lykta::http
