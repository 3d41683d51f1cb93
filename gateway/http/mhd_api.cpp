#include "gateway/http/mhd_api.hpp"

#include <dlfcn.h>

#include <stdexcept>
#include <string>

namespace lykta::http {
namespace {

// The soname of Debian 12's libmicrohttpd12 (0.9.75); the package depends on it.
constexpr const char* library = "libmicrohttpd.so.12";

template <typename F>
void bind(void* handle, F& out, const char* name) {
    void* symbol = ::dlsym(handle, name);
    if (!symbol) throw std::runtime_error(std::string(library) + " has no " + name);
    out = reinterpret_cast<F>(symbol);
}

MhdApi load() {
    void* handle = ::dlopen(library, RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        const char* why = ::dlerror();
        throw std::runtime_error(std::string("cannot load ") + library + ": " +
                                 (why ? why : "unknown reason") + " (install libmicrohttpd12)");
    }
    MhdApi api{};
    bind(handle, api.start_daemon, "MHD_start_daemon");
    bind(handle, api.stop_daemon, "MHD_stop_daemon");
    bind(handle, api.quiesce_daemon, "MHD_quiesce_daemon");
    bind(handle, api.run, "MHD_run");
    bind(handle, api.get_timeout, "MHD_get_timeout");
    bind(handle, api.get_daemon_info, "MHD_get_daemon_info");
    bind(handle, api.get_connection_info, "MHD_get_connection_info");
    bind(handle, api.lookup_connection_value, "MHD_lookup_connection_value");
    bind(handle, api.create_response_from_buffer, "MHD_create_response_from_buffer");
    bind(handle, api.create_response_from_callback, "MHD_create_response_from_callback");
    bind(handle, api.add_response_header, "MHD_add_response_header");
    bind(handle, api.queue_response, "MHD_queue_response");
    bind(handle, api.destroy_response, "MHD_destroy_response");
    bind(handle, api.suspend_connection, "MHD_suspend_connection");
    bind(handle, api.resume_connection, "MHD_resume_connection");
    return api;
}

}  // namespace

const MhdApi& mhd() {
    static const MhdApi api = load();  // a failed load throws and is tried again next time
    return api;
}

}  // namespace lykta::http
