#pragma once
// The users file as the running page sees it (docs/crew-page.md, "Users and
// roles"): read at start, then re-read only when its version changed. The
// version is what stat(2) says about it (device, inode, size, mtime and
// ctime; ctime catches a chmod that makes an unreadable file readable again),
// so the check on every request is one stat. A change is reported once per
// version: a file that stays gone or unreadable is reported once, not on
// every request (each report is a log line).
#include <sys/stat.h>

#include <optional>
#include <string>

#include "gateway/http/users_file.hpp"

namespace lykta::http {

// The whole file; throws std::runtime_error naming the file and the reason
// (a directory or a file that cannot be read is an error, never empty text).
std::string read_file(const std::string& path);

class UsersSource {
public:
    explicit UsersSource(std::string path) : path_(std::move(path)) {}

    // At start: the users, or std::runtime_error (a page without a readable
    // users file does not start).
    UsersFile load();

    struct Change {
        UsersFile users;                   // empty when the file is gone or unreadable
        std::optional<std::string> error;  // why it is gone or unreadable
    };
    // nullopt while the file is the version seen last; else what it holds now.
    std::optional<Change> changed();

    const std::string& path() const { return path_; }

private:
    struct Version {
        dev_t device = 0;
        ino_t inode = 0;
        off_t size = -1;
        timespec mtime{}, ctime{};
        bool operator==(const Version& o) const;
    };
    std::string path_;
    bool seen_ = false;
    std::optional<Version> version_;  // nullopt: no file (stat failed)
};

}  // namespace lykta::http
