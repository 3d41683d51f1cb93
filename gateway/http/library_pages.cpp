#include "gateway/http/library_pages.hpp"

#include <sys/mman.h>

#include <fstream>
#include <sstream>

namespace lykta::http {
namespace {

// One mapping of /proc/self/smaps (proc(5)): the header line
// "start-end perms offset dev inode path", then "Key: value kB" lines, the
// last of which is "VmFlags:".
struct Mapping {
    std::uintptr_t start = 0, end = 0;
    std::string perms, path;
    long rss_kib = 0;
    long anonymous_kib = -1;  // -1: not seen
};

bool parse_header(const std::string& line, Mapping& m) {
    std::istringstream in(line);
    std::string range, offset, device, inode;
    if (!(in >> range >> m.perms >> offset >> device >> inode)) return false;
    auto dash = range.find('-');
    if (dash == std::string::npos || range.back() == ':') return false;
    m.start = std::stoull(range.substr(0, dash), nullptr, 16);
    m.end = std::stoull(range.substr(dash + 1), nullptr, 16);
    std::getline(in >> std::ws, m.path);
    return true;
}

bool load_only(const Mapping& m, const std::set<std::string>& mapped_before) {
    return !m.path.empty() && m.path[0] == '/' && !mapped_before.count(m.path) && m.perms.size() == 4 &&
           m.perms[1] != 'w' && m.perms[3] == 'p' && m.anonymous_kib == 0 && m.rss_kib > 0;
}

}  // namespace

std::set<std::string> mapped_files() {
    std::set<std::string> files;
    std::ifstream maps("/proc/self/maps");
    std::string line;
    Mapping m;
    while (std::getline(maps, line))
        if (parse_header(line, m) && !m.path.empty() && m.path[0] == '/') files.insert(m.path);
    return files;
}

std::size_t release_load_only_pages(const std::set<std::string>& mapped_before) {
    std::ifstream smaps("/proc/self/smaps");
    std::string line;
    Mapping m;
    std::size_t released = 0;
    while (std::getline(smaps, line)) {
        if (line.rfind("Rss:", 0) == 0) {
            m.rss_kib = std::stol(line.substr(4));
        } else if (line.rfind("Anonymous:", 0) == 0) {
            m.anonymous_kib = std::stol(line.substr(10));
        } else if (line.rfind("VmFlags:", 0) == 0) {
            if (load_only(m, mapped_before) &&
                ::madvise(reinterpret_cast<void*>(m.start), m.end - m.start, MADV_DONTNEED) == 0)
                released += static_cast<std::size_t>(m.rss_kib);
            m = Mapping{};
        } else if (line.find(':') == std::string::npos || line.find('-') < line.find(' ')) {
            Mapping next;
            if (parse_header(line, next)) m = next;
        }
    }
    return released;
}

}  // namespace lykta::http
