#pragma once
// Pages of shared libraries that only loading them touched. dlopen() reads a
// library's symbol and relocation tables and runs its constructors; the
// kernel maps every page touched, and up to 15 neighbours of each
// (fault-around, 64 KiB by default). For libmicrohttpd and the GnuTLS stack
// it links that is about 1.4 MB of RSS (docs/benchmarks.md, "Crew page")
// that an HTTP page without TLS never uses again.
//
// release_load_only_pages() drops those pages from this process's page
// tables with MADV_DONTNEED, but only in mappings that are read-only, private
// and hold no page of their own (smaps "Anonymous: 0"): for such a mapping
// the kernel reads a dropped page back from the file on the next access
// (madvise(2), MADV_DONTNEED: "private file-backed mappings ... repopulating
// the memory contents from the up-to-date contents of the underlying mapped
// file"). Relocated data (RELRO, GOT, .data) is copied on write, so it has
// anonymous pages and is never touched; nothing in a library changes.
#include <cstddef>
#include <set>
#include <string>

namespace lykta::http {

// Paths of the files mapped into this process now (/proc/self/maps).
std::set<std::string> mapped_files();

// Drops the resident pages of the clean read-only mappings of files that are
// not in `mapped_before`; returns the KiB of RSS given back. Reading
// /proc/self/smaps failing gives back nothing.
std::size_t release_load_only_pages(const std::set<std::string>& mapped_before);

}  // namespace lykta::http
