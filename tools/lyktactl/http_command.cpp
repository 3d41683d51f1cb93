#include "http_command.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <optional>
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

// Writes `text` to `file` atomically: a temp file created O_EXCL with mode
// 0600 (the hashes are never readable by others, not even for a moment),
// given the existing file's owner, group and mode (a new file: 0640, for the
// daemon's group), flushed to disk, then renamed over `file`. Run as root for
// a users file owned by the daemon's user, the daemon can still read it.
std::optional<std::string> replace_users_file(const std::string& file, const std::string& text,
                                              const struct stat* existing) {
    const std::string temp = file + ".tmp";
    int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return "cannot create " + temp + ": " + std::strerror(errno) +
               (errno == EEXIST ? " (another lyktactl at work, or left over: remove it)" : "");
    auto fail = [&](const std::string& what) {
        std::string error = what + " " + temp + ": " + std::strerror(errno);
        ::close(fd);
        ::unlink(temp.c_str());
        return error;
    };
    for (std::size_t done = 0; done < text.size();) {
        ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return fail("cannot write");
        done += static_cast<std::size_t>(n);
    }
    if (existing && ::fchown(fd, existing->st_uid, existing->st_gid) != 0 && errno != EPERM)
        return fail("cannot set the owner of");
    if (::fchmod(fd, existing ? existing->st_mode & 07777 : 0640) != 0) return fail("cannot set the mode of");
    if (::fsync(fd) != 0) return fail("cannot flush");
    if (::close(fd) != 0) {
        ::unlink(temp.c_str());
        return "cannot write " + temp + ": " + std::strerror(errno);
    }
    if (::rename(temp.c_str(), file.c_str()) != 0) {
        std::string error = "cannot replace " + file + ": " + std::strerror(errno);
        ::unlink(temp.c_str());
        return error;
    }
    return std::nullopt;
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
    // An existing file that cannot be read is an error, never "no users":
    // writing over it would drop every other user.
    std::string text;
    struct stat existing_stat {};
    const bool exists = ::stat(file.c_str(), &existing_stat) == 0;
    if (exists) {
        std::ifstream in(file, std::ios::binary);
        std::ostringstream s;
        if (!in || !(s << in.rdbuf())) {
            if (existing_stat.st_size > 0 || !in) {
                std::cerr << "lyktactl: cannot read " << file << ": " << std::strerror(errno)
                          << "; nothing changed\n";
                return 1;
            }
        }
        text = s.str();
    } else if (errno != ENOENT) {
        std::cerr << "lyktactl: cannot read " << file << ": " << std::strerror(errno)
                  << "; nothing changed\n";
        return 1;
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
    if (auto error =
            replace_users_file(file, http::set_user_line(text, user), exists ? &existing_stat : nullptr)) {
        std::cerr << "lyktactl: " << *error << "; nothing changed\n";
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
