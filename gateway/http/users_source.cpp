#include "gateway/http/users_source.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace lykta::http {
namespace {

std::runtime_error cannot_read(const std::string& path, int error) {
    return std::runtime_error("cannot read " + path + ": " + std::strerror(error));
}

}  // namespace

std::string read_file(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw cannot_read(path, errno);
    std::string text;
    char buffer[4096];
    for (;;) {
        ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            int error = errno;  // EISDIR for a directory
            ::close(fd);
            throw cannot_read(path, error);
        }
        if (n == 0) break;
        text.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return text;
}

bool UsersSource::Version::operator==(const Version& o) const {
    return device == o.device && inode == o.inode && size == o.size && mtime.tv_sec == o.mtime.tv_sec &&
           mtime.tv_nsec == o.mtime.tv_nsec && ctime.tv_sec == o.ctime.tv_sec &&
           ctime.tv_nsec == o.ctime.tv_nsec;
}

UsersFile UsersSource::load() {
    seen_ = false;
    auto change = changed();
    if (change && change->error) throw std::runtime_error(*change->error);
    return change ? std::move(change->users) : UsersFile{};
}

std::optional<UsersSource::Change> UsersSource::changed() {
    struct stat st {};
    std::optional<Version> version;
    int stat_error = 0;
    if (::stat(path_.c_str(), &st) == 0)
        version = Version{st.st_dev, st.st_ino, st.st_size, st.st_mtim, st.st_ctim};
    else
        stat_error = errno;
    if (seen_ && version == version_) return std::nullopt;
    seen_ = true;
    version_ = version;
    Change change;
    if (!version) {
        change.error = std::string("users_file: ") + cannot_read(path_, stat_error).what();
        return change;
    }
    try {
        change.users = parse_users(read_file(path_), path_);
    } catch (const std::exception& e) {
        change.error = std::string("users_file: ") + e.what();
    }
    return change;
}

}  // namespace lykta::http
