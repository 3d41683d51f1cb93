#pragma once
// libmicrohttpd, loaded when the crew page starts (dlopen), not linked: the
// Debian build links GnuTLS, whose libraries cost the process about 2.6 MB of
// RSS the moment they are loaded (docs/crew-page.md, "Choosing the HTTP
// library"). A daemon without `http:` must not pay that, so the library and
// its dependencies are mapped only when the page is on, and a page without
// `tls:` leaves GnuTLS uninitialised. The types and constants come from
// <microhttpd.h> as usual.
#include <microhttpd.h>

namespace lykta::http {

struct MhdApi {
    decltype(&::MHD_start_daemon) start_daemon;
    decltype(&::MHD_stop_daemon) stop_daemon;
    decltype(&::MHD_quiesce_daemon) quiesce_daemon;
    decltype(&::MHD_run) run;
    decltype(&::MHD_get_timeout) get_timeout;
    decltype(&::MHD_get_daemon_info) get_daemon_info;
    decltype(&::MHD_get_connection_info) get_connection_info;
    decltype(&::MHD_lookup_connection_value) lookup_connection_value;
    decltype(&::MHD_create_response_from_buffer) create_response_from_buffer;
    decltype(&::MHD_create_response_from_callback) create_response_from_callback;
    decltype(&::MHD_add_response_header) add_response_header;
    decltype(&::MHD_queue_response) queue_response;
    decltype(&::MHD_destroy_response) destroy_response;
    decltype(&::MHD_suspend_connection) suspend_connection;
    decltype(&::MHD_resume_connection) resume_connection;
};

// Loads libmicrohttpd.so.12 on first use (kept loaded for the process's life)
// without initialising GnuTLS, and gives back the pages only loading touched
// (library_pages.hpp). Throws std::runtime_error naming the library and
// dlerror()'s reason.
const MhdApi& mhd();

// Initialises GnuTLS (once) for a page with `tls:`; loads libmicrohttpd if
// needed. Throws std::runtime_error when GnuTLS cannot be initialised.
void init_tls();

// Sets GNUTLS_NO_IMPLICIT_INIT=1 (unless the environment already says) so
// that GnuTLS, when libmicrohttpd loads it, does not initialise itself; call
// it while the process has one thread: setenv beside a thread's getenv (tzset
// in a log line's localtime_r) is a data race.
void keep_tls_uninitialised();

}  // namespace lykta::http
