#include "http_command.hpp"

#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "gateway/config/loader.hpp"
#include "gateway/http/password_hash.hpp"
#include "gateway/http/users_file.hpp"

namespace lykta::ctl {
namespace {

struct PasswdOptions {
    std::string user;
    std::string role;
    std::string file;
};

std::string read_password_line(const char* prompt) {
    const bool tty = ::isatty(STDIN_FILENO);
    termios old{};
    if (tty) {
        std::cerr << prompt << std::flush;
        ::tcgetattr(STDIN_FILENO, &old);
        termios quiet = old;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    std::string line;
    std::getline(std::cin, line);
    if (tty) {
        ::tcsetattr(STDIN_FILENO, TCSANOW, &old);
        std::cerr << "\n";
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
}

int run_passwd(const PasswdOptions& o, const GatewayTarget& target) {
    std::string file = o.file;
    if (file.empty()) {
        auto loaded = config::load_file(target.config_path);
        if (!loaded.config || !loaded.config->http) {
            std::cerr << "lyktactl: " << target.config_path
                      << " has no valid http: section; name the users file with --file\n";
            return 2;
        }
        file = loaded.config->http->users_file;
    }
    if (!http::is_valid_user_name(o.user)) {
        std::cerr << "lyktactl: user name '" << o.user << "' is not 1..64 of A-Z a-z 0-9 _ . @ -\n";
        return 2;
    }
    std::string text;
    if (std::ifstream in(file, std::ios::binary); in) {
        std::ostringstream s;
        s << in.rdbuf();
        text = s.str();
    }
    auto existing = http::parse_users(text, file);
    http::User user{o.user, http::Role::viewer, {}};
    if (const auto* old = existing.find(o.user)) user.role = old->role;
    if (!o.role.empty()) user.role = *http::role_from_name(o.role);
    std::string password = read_password_line("New password: ");
    if (::isatty(STDIN_FILENO) && read_password_line("Again: ") != password) {
        std::cerr << "lyktactl: the passwords differ; nothing changed\n";
        return 1;
    }
    if (password.size() < 8) {
        std::cerr << "lyktactl: a password needs at least 8 characters; nothing changed\n";
        return 1;
    }
    user.hash = http::hash_password(password);
    const std::string temp = file + ".tmp";
    {
        std::ofstream out(temp, std::ios::binary | std::ios::trunc);
        out << http::set_user_line(text, user);
        if (!out.flush()) {
            std::cerr << "lyktactl: cannot write " << temp << "\n";
            return 1;
        }
    }
    ::chmod(temp.c_str(), 0640);  // the hashes are for the daemon's group only
    std::error_code ec;
    std::filesystem::rename(temp, file, ec);
    if (ec) {
        std::cerr << "lyktactl: cannot replace " << file << ": " << ec.message() << "\n";
        return 1;
    }
    std::cout << (existing.find(o.user) ? "updated " : "added ") << o.user << " ("
              << http::role_name(user.role) << ") in " << file << "\n";
    return 0;
}

}  // namespace

void add_http_command(CLI::App& cli, const GatewayTarget& target, int& exit_code) {
    auto* http = cli.add_subcommand("http", "The crew's local web page");
    http->require_subcommand(1);
    auto options = std::make_shared<PasswdOptions>();
    auto* passwd = http->add_subcommand("passwd", "Add a user of the crew page or set a new password");
    passwd->add_option("user", options->user, "User name")->required();
    passwd
        ->add_option("--role", options->role,
                     "viewer (reads) or crew (also acknowledges, identifies, overrides)")
        ->check(CLI::IsMember({"viewer", "crew"}));
    passwd->add_option("--file", options->file, "Users file (default: http.users_file of the config)");
    passwd->callback([&target, &exit_code, options] { exit_code = run_passwd(*options, target); });
}

}  // namespace lykta::ctl
