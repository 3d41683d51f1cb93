// Any byte string read as the crew page's users_file yields users and
// problems, never a crash; every user found survives set_user_line: writing
// it back and reading again finds it unchanged, and no other user is lost.
#include <cstddef>
#include <cstdint>
#include <string>

#include "gateway/http/users_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace lykta::http;
    std::string text(reinterpret_cast<const char*>(data), size);
    auto parsed = parse_users(text, "users");
    for (const auto& p : parsed.problems) (void)p.to_string();
    for (const auto& user : parsed.users) {
        if (!is_valid_user_name(user.name) || user.hash.empty() || user.hash[0] != '$') __builtin_trap();
        auto again = parse_users(set_user_line(text, user), "users");
        const auto* found = again.find(user.name);
        if (!found || found->hash != user.hash || found->role != user.role) __builtin_trap();
        if (again.users.size() < parsed.users.size()) __builtin_trap();
    }
    return 0;
}
