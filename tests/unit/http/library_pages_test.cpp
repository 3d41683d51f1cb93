#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "gateway/http/library_pages.hpp"
#include "gateway/http/mhd_api.hpp"

using namespace lykta::http;
namespace fs = std::filesystem;

namespace {

// Rss (KiB) of this process's mappings of files whose name contains `name`,
// summed; `clean_only`: only read-only mappings without private copies.
long rss_of(const std::string& name, bool clean_only) {
    std::ifstream smaps("/proc/self/smaps");
    std::string line;
    bool match = false, writable = false;
    long rss = 0, anon = 0, total = 0;
    while (std::getline(smaps, line)) {
        if (line.rfind("Rss:", 0) == 0)
            rss = std::stol(line.substr(4));
        else if (line.rfind("Anonymous:", 0) == 0)
            anon = std::stol(line.substr(10));
        else if (line.rfind("VmFlags:", 0) == 0) {
            if (match && (!clean_only || (!writable && anon == 0))) total += rss;
            match = false;
        } else if (line.find('-') < line.find(' ') && line.find('/') != std::string::npos) {
            match = line.find(name) != std::string::npos;
            writable = line.find(" rw") != std::string::npos;
        }
    }
    return total;
}

struct MappedFile {
    std::string path;
    int fd = -1;
    std::size_t size = 64 * 4096;
    char* clean = nullptr;    // read-only, only read
    char* written = nullptr;  // private and written: pages of its own
    MappedFile() {
        path = (fs::temp_directory_path() / "lykta-pages-XXXXXX").string();
        fd = ::mkstemp(path.data());
        REQUIRE(fd >= 0);
        std::string text(size, 'x');
        REQUIRE(::write(fd, text.data(), size) == static_cast<ssize_t>(size));
        clean = static_cast<char*>(::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0));
        written = static_cast<char*>(::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0));
        REQUIRE(clean != MAP_FAILED);
        REQUIRE(written != MAP_FAILED);
    }
    ~MappedFile() {
        ::munmap(clean, size);
        ::munmap(written, size);
        ::close(fd);
        ::unlink(path.c_str());
    }
};

}  // namespace

TEST_CASE("library pages: clean read-only pages of new files are given back, private copies never") {
    auto before = mapped_files();
    MappedFile f;
    CHECK_FALSE(before.count(f.path));
    CHECK(mapped_files().count(f.path));
    long sum = 0;
    for (std::size_t i = 0; i < f.size; i += 4096) sum += f.clean[i];
    for (std::size_t i = 0; i < f.size; i += 4096) f.written[i] = 'w';
    CHECK(sum == 'x' * 64);
    CHECK(rss_of(f.path, true) >= 64 * 4);

    CHECK(release_load_only_pages(before) >= 64 * 4);
    CHECK(rss_of(f.path, true) == 0);
    // The written mapping kept its own pages and what was written into them.
    CHECK(rss_of(f.path, false) >= 64 * 4);
    for (std::size_t i = 0; i < f.size; i += 4096) REQUIRE(f.written[i] == 'w');
    // The clean one reads the file again.
    for (std::size_t i = 0; i < f.size; i += 4096) REQUIRE(f.clean[i] == 'x');
    // Files mapped before are left alone.
    auto now = mapped_files();
    CHECK(release_load_only_pages(now) == 0);
    CHECK(rss_of(f.path, true) > 0);
}

TEST_CASE("library pages: libmicrohttpd loads without GnuTLS's pages, and GnuTLS still initialises") {
    if (rss_of("libgnutls.so", false) > 0) {
        WARN("GnuTLS was loaded before this test; nothing to measure");
        return;
    }
    keep_tls_uninitialised();  // as lyktad's main does
    mhd();
    // Loading touched GnuTLS's symbol and relocation tables and, without
    // tls:, nothing since: its clean pages are all given back.
    CHECK(rss_of("libgnutls.so", true) == 0);
    CHECK(rss_of("libp11-kit.so", true) == 0);
    CHECK(rss_of("libgnutls.so", false) > 0);  // its relocated data stays
    // A page with tls: initialises GnuTLS, from pages read back in.
    CHECK_NOTHROW(init_tls());
    CHECK(rss_of("libgnutls.so", true) > 0);
    CHECK_NOTHROW(init_tls());  // once is enough; again is harmless
}
