#include "gateway/http/mhd_api.hpp"

#include <dlfcn.h>
#include <spdlog/spdlog.h>
#include <stdlib.h>

#include <atomic>
#include <stdexcept>
#include <string>

#include "gateway/http/dynamic_library.hpp"
#include "gateway/http/library_pages.hpp"

namespace lykta::http {
namespace {

// The soname of Debian 12's libmicrohttpd12 (0.9.75); the package depends on it.
constexpr const char* library = "libmicrohttpd.so.12";
// The soname of Debian 12's libgnutls30 (3.7.9), which libmicrohttpd12 links.
constexpr const char* tls_library = "libgnutls.so.30";

// True while libmicrohttpd is being loaded: its constructor's call of
// gnutls_global_init() lands in ours (below) and is not passed on.
std::atomic<bool> loading_mhd{false};

using GlobalInit = int (*)();

// GnuTLS's own gnutls_global_init(), from the library itself (a handle's
// lookup scope is that library and its dependencies, never our definition).
GlobalInit real_global_init() {
    void* handle = ::dlopen(tls_library, RTLD_NOW | RTLD_LOCAL | RTLD_NOLOAD);
    if (!handle) throw std::runtime_error(std::string(tls_library) + " is not loaded: " + dl_error());
    void* symbol = ::dlsym(handle, "gnutls_global_init");
    ::dlclose(handle);  // NOLOAD took a reference; libmicrohttpd keeps the library loaded
    if (!symbol) throw std::runtime_error(std::string(tls_library) + " has no gnutls_global_init");
    return reinterpret_cast<GlobalInit>(symbol);
}

MhdApi load() {
    // GnuTLS initialises itself in its library constructor unless
    // GNUTLS_NO_IMPLICIT_INIT=1 (GnuTLS manual, 6.2.2 "Initialization", and
    // gnutls_global_init(3)), and libmicrohttpd's constructor MHD_init calls
    // gnutls_global_init() again, unconditionally (0.9.75; seen in its
    // disassembly). Without `tls:` nothing of GnuTLS is ever called, and the
    // initialisation alone costs about 0.8 MB of RSS (docs/benchmarks.md,
    // "Crew page"): init_tls() does it when a page with TLS starts.
    const auto mapped_before = mapped_files();
    // GnuTLS's own constructor reads GNUTLS_NO_IMPLICIT_INIT, which main set
    // before any thread existed (keep_tls_uninitialised).
    struct Loading {  // also ends when the load throws
        Loading() { loading_mhd = true; }
        ~Loading() { loading_mhd = false; }
    };
    void* handle = [] {
        Loading during;
        return load_library(library, "libmicrohttpd12");
    }();
    MhdApi api{};
    bind(handle, library, api.start_daemon, "MHD_start_daemon");
    bind(handle, library, api.stop_daemon, "MHD_stop_daemon");
    bind(handle, library, api.quiesce_daemon, "MHD_quiesce_daemon");
    bind(handle, library, api.run, "MHD_run");
    bind(handle, library, api.get_timeout, "MHD_get_timeout");
    bind(handle, library, api.get_daemon_info, "MHD_get_daemon_info");
    bind(handle, library, api.get_connection_info, "MHD_get_connection_info");
    bind(handle, library, api.lookup_connection_value, "MHD_lookup_connection_value");
    bind(handle, library, api.create_response_from_buffer, "MHD_create_response_from_buffer");
    bind(handle, library, api.create_response_from_callback, "MHD_create_response_from_callback");
    bind(handle, library, api.add_response_header, "MHD_add_response_header");
    bind(handle, library, api.queue_response, "MHD_queue_response");
    bind(handle, library, api.destroy_response, "MHD_destroy_response");
    bind(handle, library, api.suspend_connection, "MHD_suspend_connection");
    bind(handle, library, api.resume_connection, "MHD_resume_connection");
    auto released = release_load_only_pages(mapped_before);
    spdlog::debug("{} loaded; {} KiB of pages only loading it touched given back", library, released);
    return api;
}

}  // namespace

const MhdApi& mhd() {
    static const MhdApi api = load();  // a failed load throws and is tried again next time
    return api;
}

void init_tls() {
    mhd();
    // Once: GnuTLS counts initialisations, and a failed one fails again the
    // same way (gnutls_global_init(3)).
    static const int result = real_global_init()();
    if (result < 0)
        throw std::runtime_error(std::string(tls_library) + ": gnutls_global_init failed (" +
                                 std::to_string(result) + ")");
}

void keep_tls_uninitialised() {
    ::setenv("GNUTLS_NO_IMPLICIT_INIT", "1", 0);
}

}  // namespace lykta::http

// Exported from the executable (CMake: --export-dynamic-symbol), so the
// dynamic linker binds libmicrohttpd's call to this one before GnuTLS's: the
// executable comes first in every lookup scope (System V gABI, "Shared
// Object Dependencies"; glibc dlopen: the global scope, then the object's
// own). Only the call made while libmicrohttpd loads is skipped; any other
// caller gets GnuTLS's own function.
extern "C" __attribute__((visibility("default"))) int gnutls_global_init() noexcept {
    if (lykta::http::loading_mhd) return 0;  // GNUTLS_E_SUCCESS
    try {
        return lykta::http::real_global_init()();
    } catch (const std::exception& e) {  // nothing may unwind into C
        spdlog::error("gnutls_global_init: {}", e.what());
        return -59;  // GNUTLS_E_INTERNAL_ERROR (gnutls/gnutls.h)
    }
}
