#pragma once
// Libraries the crew page loads with dlopen when it needs them rather than
// linking them: a daemon without `http:` maps none of their pages (every
// library mapped costs RSS for its symbol tables, relocated data and the
// code its constructors run, 64 KiB fault-around included; docs/benchmarks.md).
// Used for libmicrohttpd (mhd_api.hpp) and libcrypt (password_hash.cpp).
#include <string>

namespace lykta::http {

// dlopen(soname, RTLD_NOW | RTLD_LOCAL); the library stays loaded for the
// process's life. Throws std::runtime_error naming the library, dlerror()'s
// reason and the Debian package that ships it.
void* load_library(const char* soname, const char* package);

// dlerror()'s reason for the last failure, or "unknown reason".
std::string dl_error();

// The address of `name` in the library `handle` (loaded as `soname`); throws
// std::runtime_error naming both when it is missing.
void* find_symbol(void* handle, const char* soname, const char* name);

template <typename F>
void bind(void* handle, const char* soname, F& out, const char* name) {
    out = reinterpret_cast<F>(find_symbol(handle, soname, name));
}

}  // namespace lykta::http
