#include "gateway/http/users_file.hpp"

#include <algorithm>
#include <sstream>

namespace lykta::http {
namespace {

bool is_hash_char(char c) {
    // crypt(5): hashes are printable ASCII without ':' and whitespace.
    return c > ' ' && c < 127 && c != ':';
}

}  // namespace

const User* UsersFile::find(const std::string& name) const {
    auto it = std::find_if(users.begin(), users.end(), [&](const User& u) { return u.name == name; });
    return it == users.end() ? nullptr : &*it;
}

bool is_valid_user_name(const std::string& name) {
    if (name.empty() || name.size() > 64) return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
               c == '.' || c == '@' || c == '-';
    });
}

UsersFile parse_users(const std::string& text, const std::string& file_name) {
    UsersFile out;
    std::istringstream in(text);
    std::string line;
    int number = 0;
    auto problem = [&](int col, std::string message) {
        out.problems.push_back({{file_name, number, col}, std::move(message)});
    };
    while (std::getline(in, line)) {
        ++number;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty() || line[0] == '#') continue;
        auto first = line.find(':');
        auto second = first == std::string::npos ? first : line.find(':', first + 1);
        if (second == std::string::npos) {
            problem(1, "expected NAME:ROLE:HASH (lyktactl http passwd NAME writes one)");
            continue;
        }
        User user;
        user.name = line.substr(0, first);
        std::string role = line.substr(first + 1, second - first - 1);
        user.hash = line.substr(second + 1);
        if (!is_valid_user_name(user.name)) {
            problem(1, "user name '" + user.name + "' is not 1..64 of A-Z a-z 0-9 _ . @ -");
            continue;
        }
        auto parsed = role_from_name(role);
        if (!parsed) {
            problem(static_cast<int>(first) + 2, "role '" + role + "' is not viewer or crew");
            continue;
        }
        user.role = *parsed;
        const int hash_col = static_cast<int>(second) + 2;
        if (user.hash.size() < 4 || user.hash[0] != '$' ||
            !std::all_of(user.hash.begin(), user.hash.end(), is_hash_char)) {
            problem(hash_col,
                    "not a crypt(5) hash (\"$y$...\"); make one with lyktactl http passwd " + user.name);
            continue;
        }
        if (out.find(user.name)) {
            problem(1, "user '" + user.name + "' is listed twice; the first line counts");
            continue;
        }
        out.users.push_back(std::move(user));
    }
    return out;
}

std::string set_user_line(const std::string& text, const User& user) {
    const std::string wanted = user.name + ":" + role_name(user.role) + ":" + user.hash;
    std::istringstream in(text);
    std::string line, out;
    bool replaced = false;
    while (std::getline(in, line)) {
        if (!replaced && line.rfind(user.name + ":", 0) == 0) {
            out += wanted + "\n";
            replaced = true;
        } else {
            out += line + "\n";
        }
    }
    if (!replaced) out += wanted + "\n";
    return out;
}

}  // namespace lykta::http
