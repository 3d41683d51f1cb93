#include "gateway/http/crew_server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include "gateway/api/command.hpp"
#include "gateway/http/assets.hpp"
#include "gateway/http/event_stream.hpp"
#include "gateway/http/login_checks.hpp"
#include "gateway/http/login_throttle.hpp"
#include "gateway/http/mhd_api.hpp"
#include "gateway/http/overview_json.hpp"
#include "gateway/http/password_hash.hpp"
#include "gateway/http/sessions.hpp"
#include "gateway/http/users_file.hpp"
#include "gateway/http/users_source.hpp"

namespace lykta::http {
namespace {

namespace error_code = api::error_code;

constexpr const char* cookie_name = "lykta_session";
constexpr const char* csrf_header = "X-Lykta-CSRF";
constexpr std::size_t max_body = 64 * 1024;     // the router's own payload limit
constexpr std::size_t max_password = 1024;      // yescrypt hashes all of it: bound the work
constexpr std::size_t max_logins_checking = 8;  // the hash queue, over all addresses

std::string error_body(const std::string& code, const std::string& message) {
    return nlohmann::json{
        {"id", nullptr}, {"status", "error"}, {"error", {{"code", code}, {"message", message}}}}
        .dump();
}

// The router's error codes (docs/mqtt-api.md) as HTTP statuses, so a browser's
// network tab and curl tell success from failure without reading the body.
unsigned status_of(const std::string& envelope) {
    auto j = nlohmann::json::parse(envelope, nullptr, false);
    if (j.is_discarded() || j.value("status", "") == "ok") return MHD_HTTP_OK;
    std::string code = j["error"].value("code", "");
    if (code == error_code::bad_json || code == error_code::bad_request || code == error_code::out_of_range)
        return MHD_HTTP_BAD_REQUEST;
    if (code.rfind("unknown_", 0) == 0) return MHD_HTTP_NOT_FOUND;
    if (code == error_code::conflict) return MHD_HTTP_CONFLICT;
    if (code == error_code::too_large) return MHD_HTTP_CONTENT_TOO_LARGE;
    if (code == error_code::too_busy) return MHD_HTTP_TOO_MANY_REQUESTS;
    if (code == error_code::forbidden) return MHD_HTTP_FORBIDDEN;
    if (code == error_code::timeout) return MHD_HTTP_GATEWAY_TIMEOUT;
    if (code == error_code::bus_error) return MHD_HTTP_BAD_GATEWAY;
    return MHD_HTTP_INTERNAL_SERVER_ERROR;
}

// The router's error envelope, answering the request's own id when it had one.
std::string forbidden_body(const nlohmann::json& args, const std::string& message) {
    nlohmann::json id = args.is_object() && args.contains("id") ? args["id"] : nlohmann::json(nullptr);
    return nlohmann::json{
        {"id", id}, {"status", "error"}, {"error", {{"code", error_code::forbidden}, {"message", message}}}}
        .dump();
}

std::string client_address(MHD_Connection* c) {
    auto* info = mhd().get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!info || !info->client_addr) return "unknown";
    char text[INET6_ADDRSTRLEN] = "unknown";
    if (info->client_addr->sa_family == AF_INET)
        ::inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(info->client_addr)->sin_addr, text,
                    sizeof text);
    else if (info->client_addr->sa_family == AF_INET6)
        ::inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(info->client_addr)->sin6_addr, text,
                    sizeof text);
    return text;
}

std::string header(MHD_Connection* c, MHD_ValueKind kind, const char* name) {
    const char* v = mhd().lookup_connection_value(c, kind, name);
    return v ? v : "";
}

}  // namespace

// One request from its first header to its answer. Owned by MHD's per-request
// pointer; answers that come later hold a weak reference, so an answer for a
// connection that went away is dropped.
struct Exchange {
    std::string method, url, body;
    bool too_large = false;
    bool suspended = false;
    bool ready = false;
    bool streaming = false;  // answered by an event stream
    MHD_Connection* connection = nullptr;
    unsigned status = 200;
    std::string content_type = "application/json";
    std::string answer;
    std::vector<std::pair<std::string, std::string>> headers;
};

class CrewServer::Impl {
public:
    Impl(asio::io_context& io, const config::Config& config, StateFeed& feed, Dispatch dispatch)
        : io_(io),
          config_(config),
          feed_(feed),
          dispatch_(std::move(dispatch)),
          epoll_(io),
          timer_(io),
          keepalive_(io),
          users_source_(config.http->users_file),
          streams_(feed) {}

    ~Impl() { stop(); }

    bool start(std::string* error) {
        const auto& http = *config_.http;
        try {
            load_users(true);
            decoy_hash();  // made once, here, not on the first login
            mhd();         // loads libmicrohttpd: a missing library is a clear error here
            if (http.tls()) {
                init_tls();
                cert_ = read_file(http.tls_cert_file);
                key_ = read_file(http.tls_key_file);
            }
        } catch (const std::exception& e) {
            *error = e.what();
            return false;
        }
        // Our own listening socket: a literal IPv4 or IPv6 address, and bind
        // errors in the daemon's words.
        asio::ip::tcp::acceptor acceptor(io_);
        asio::error_code ec;
        asio::ip::tcp::endpoint where(asio::ip::make_address(http.host, ec),
                                      static_cast<unsigned short>(http.port));
        if (!ec) acceptor.open(where.protocol(), ec);
        if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
        if (!ec) acceptor.bind(where, ec);
        if (!ec) acceptor.listen(64, ec);
        if (ec) {
            *error = "cannot listen on " + http.host + ":" + std::to_string(http.port) + ": " + ec.message();
            return false;
        }
        listen_fd_ = acceptor.release();
        unsigned flags = MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
        if (http.tls()) flags |= MHD_USE_TLS;
        daemon_ =
            mhd().start_daemon(flags, 0, nullptr, nullptr, &Impl::on_request, this, MHD_OPTION_LISTEN_SOCKET,
                               listen_fd_, MHD_OPTION_NOTIFY_COMPLETED, &Impl::on_completed, this,
                               MHD_OPTION_CONNECTION_LIMIT, 64u, MHD_OPTION_PER_IP_CONNECTION_LIMIT, 16u,
                               MHD_OPTION_CONNECTION_TIMEOUT, 60u, MHD_OPTION_EXTERNAL_LOGGER, &Impl::on_log,
                               this, http.tls() ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, cert_.c_str(),
                               MHD_OPTION_HTTPS_MEM_KEY, key_.c_str(), MHD_OPTION_END);
        if (!daemon_) {
            // libmicrohttpd's manual does not say whether a failed start closes
            // a socket given with MHD_OPTION_LISTEN_SOCKET: close it only if it
            // is still open, never twice.
            if (::fcntl(listen_fd_, F_GETFD) != -1) ::close(listen_fd_);
            listen_fd_ = -1;
            *error = "libmicrohttpd did not start (see the log above)";
            return false;
        }
        stopping_ = false;
        hasher_.emplace(1);
        epoll_.assign(mhd().get_daemon_info(daemon_, MHD_DAEMON_INFO_EPOLL_FD)->epoll_fd);
        streams_.on_wake([this] { poke(); });
        feed_.on_change([this](const std::string& subtopic) { streams_.changed(subtopic); });
        wait_readable();
        schedule_keepalive();
        spdlog::info("crew page on {}://{}:{} ({} users)", http.tls() ? "https" : "http", http.host,
                     http.port, users_.users.size());
        return true;
    }

    void stop() {
        if (!daemon_) return;
        // MHD_stop_daemon aborts the process while a connection is suspended
        // (libmicrohttpd 0.9.75, daemon.c close_all_connections: "MHD_stop_daemon()
        // called while we have suspended connections"). From here on nothing
        // suspends: requests are answered 503 at once, streams end, no new
        // connection is accepted, and the waiting ones are answered.
        stopping_ = true;
        feed_.on_change(nullptr);
        hasher_->stop();  // queued password checks are dropped; their requests get 503 below
        hasher_->join();
        hasher_.reset();
        // Quiescing hands the listening socket back to us: MHD_stop_daemon then
        // leaves it open and we close it, once. -1 (MHD could not): MHD closes it.
        const MHD_socket listening = mhd().quiesce_daemon(daemon_);
        streams_.close_all();
        answer_waiting(503, error_body(error_code::internal, "the crew page is stopping"));
        for (int round = 0; round < 16 && suspended() > 0; ++round) mhd().run(daemon_);
        mhd().run(daemon_);  // send what was answered
        if (auto left = suspended())
            spdlog::error("crew page: {} connections still suspended while stopping", left);
        asio::error_code ec;
        timer_.cancel();
        keepalive_.cancel();
        epoll_.cancel(ec);
        epoll_.release();  // MHD's own descriptor: MHD closes it
        mhd().stop_daemon(daemon_);
        daemon_ = nullptr;
        if (listening != MHD_INVALID_SOCKET) ::close(listening);
        listen_fd_ = -1;
        logins_checking_.clear();
    }

private:
    // ---- MHD in the loop -------------------------------------------------
    void wait_readable() {
        epoll_.async_wait(asio::posix::stream_descriptor::wait_read, [this](const asio::error_code& ec) {
            if (ec || !daemon_) return;
            run_mhd();
            wait_readable();
        });
    }

    void run_mhd() {
        if (!daemon_) return;
        mhd().run(daemon_);
        MHD_UNSIGNED_LONG_LONG ms = 0;
        if (mhd().get_timeout(daemon_, &ms) == MHD_YES) {
            // 0: connections MHD has not finished with (edge-triggered epoll
            // will not tell us about them again).
            if (ms == 0) return poke();
            timer_.expires_after(std::chrono::milliseconds(ms));
            timer_.async_wait([this](const asio::error_code& ec) {
                if (!ec) run_mhd();
            });
        }
    }

    void poke() {
        if (poke_queued_) return;
        poke_queued_ = true;
        asio::post(io_, [this, alive = std::weak_ptr<int>(alive_)] {
            if (alive.expired()) return;
            poke_queued_ = false;
            run_mhd();
        });
    }

    void schedule_keepalive() {
        // A comment line keeps idle event streams (and the proxies between) open
        // and notices browsers that went away.
        keepalive_.expires_after(std::chrono::seconds(20));
        keepalive_.async_wait([this](const asio::error_code& ec) {
            if (ec || !daemon_) return;
            load_users(false);
            streams_.keepalive(sessions_alive());
            schedule_keepalive();
        });
    }

    std::function<bool(const std::string&)> sessions_alive() {
        return [this](const std::string& id) {
            // A page left open does not keep its session alive: only requests do.
            return sessions_.alive(id, std::chrono::steady_clock::now());
        };
    }

    static MHD_Result on_request(void* cls, MHD_Connection* c, const char* url, const char* method,
                                 const char*, const char* upload, size_t* upload_size, void** context) {
        auto* self = static_cast<Impl*>(cls);
        auto** slot = reinterpret_cast<std::shared_ptr<Exchange>**>(context);
        if (!*slot) {
            auto ex = std::make_shared<Exchange>();
            ex->method = method;
            ex->url = url;
            ex->connection = c;
            *slot = new std::shared_ptr<Exchange>(std::move(ex));
            return MHD_YES;
        }
        auto& ex = **slot;
        if (*upload_size) {
            if (ex->body.size() + *upload_size > max_body)
                ex->too_large = true;
            else
                ex->body.append(upload, *upload_size);
            *upload_size = 0;
            return MHD_YES;
        }
        if (!ex->ready && !ex->suspended) {
            try {
                if (self->stopping_)
                    self->finish(*ex, 503, error_body(error_code::internal, "the crew page is stopping"));
                else
                    self->route(c, ex);
            } catch (const std::exception& e) {
                // The details are for the log, not for whoever sent the request.
                spdlog::error("crew page: {} {} failed: {}", ex->method, ex->url, e.what());
                self->finish(*ex, 500,
                             error_body(error_code::internal, "internal error (see the gateway's log)"));
            }
            // Nothing may suspend while stopping (see stop()).
            if (self->stopping_ && !ex->ready && !ex->streaming)
                self->finish(*ex, 503, error_body(error_code::internal, "the crew page is stopping"));
        }
        if (ex->streaming) return MHD_YES;
        if (ex->ready) return self->send(c, *ex);
        if (!ex->suspended) {
            ex->suspended = true;
            self->waiting_.push_back(ex);
            mhd().suspend_connection(c);
        }
        return MHD_YES;
    }

    static void on_completed(void*, MHD_Connection*, void** context, MHD_RequestTerminationCode) {
        auto** slot = reinterpret_cast<std::shared_ptr<Exchange>**>(context);
        delete *slot;
        *slot = nullptr;
    }

    static void on_log(void*, const char* format, va_list args) {
        char line[512];
        std::vsnprintf(line, sizeof line, format, args);
        std::string text(line);
        while (!text.empty() && text.back() == '\n') text.pop_back();
        spdlog::warn("crew page: {}", text);
    }

    MHD_Result send(MHD_Connection* c, Exchange& ex) {
        auto* response =
            mhd().create_response_from_buffer(ex.answer.size(), ex.answer.data(), MHD_RESPMEM_MUST_COPY);
        add_common_headers(response, ex.content_type);
        for (auto& [name, value] : ex.headers)
            mhd().add_response_header(response, name.c_str(), value.c_str());
        auto result = mhd().queue_response(c, ex.status, response);
        mhd().destroy_response(response);
        return result;
    }

    void add_common_headers(MHD_Response* response, const std::string& content_type) {
        mhd().add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, content_type.c_str());
        // Nothing from elsewhere, ever: the page works offline and cannot be framed.
        mhd().add_response_header(response, "Content-Security-Policy",
                                  "default-src 'self'; img-src 'self' data:; style-src 'self'; "
                                  "frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
        mhd().add_response_header(response, "X-Content-Type-Options", "nosniff");
        mhd().add_response_header(response, "Referrer-Policy", "no-referrer");
        mhd().add_response_header(response, "Cache-Control", "no-store");
    }

    // Answers `ex` now or later; resumes its connection if it was waiting.
    void finish(Exchange& ex, unsigned status, std::string body) {
        ex.status = status;
        ex.answer = std::move(body);
        ex.ready = true;
        if (ex.suspended && daemon_) {
            ex.suspended = false;
            mhd().resume_connection(ex.connection);
            poke();
        }
        std::erase_if(waiting_, [](const auto& w) { return w.expired(); });
    }

    void answer_waiting(unsigned status, const std::string& body) {
        auto waiting = waiting_;  // finish() prunes waiting_
        for (auto& weak : waiting)
            if (auto ex = weak.lock(); ex && ex->suspended) finish(*ex, status, body);
    }

    std::size_t suspended() const {
        auto n = streams_.suspended();
        for (const auto& weak : waiting_)
            if (auto ex = weak.lock(); ex && ex->suspended) ++n;
        return n;
    }

    // ---- routes ------------------------------------------------------------
    void route(MHD_Connection* c, const std::shared_ptr<Exchange>& ex) {
        const std::string& url = ex->url;
        if (ex->too_large)
            return finish(*ex, 413,
                          error_body(error_code::too_large,
                                     "request body over " + std::to_string(max_body) + " bytes"));
        if (ex->method == "GET" && url.rfind("/api/", 0) != 0) {
            if (const auto* asset = find_asset(url)) {
                ex->content_type = asset->content_type;
                return finish(*ex, 200, std::string(asset->body));
            }
            ex->content_type = "text/plain; charset=utf-8";
            return finish(*ex, 404, "not found\n");
        }
        if (url == "/api/login" && ex->method == "POST") return login(c, ex);
        const Session* session = current_session(c);
        if (!session) return finish(*ex, 401, error_body(error_code::unauthorized, "log in first"));
        if (ex->method == "GET") {
            if (url == "/api/session") return finish(*ex, 200, session_json(*session).dump());
            if (url == "/api/overview") return finish(*ex, 200, overview_json(config_, feed_).dump());
            if (url == "/api/events") return open_stream(c, ex, *session);
            return finish(*ex, 404, error_body(error_code::not_found, "no " + url));
        }
        if (ex->method != "POST")
            return finish(*ex, 405, error_body(error_code::bad_request, "GET or POST only"));
        if (url.rfind("/api/", 0) != 0)
            return finish(*ex, 404, error_body(error_code::not_found, "no " + url));
        if (!Sessions::csrf_matches(*session, header(c, MHD_HEADER_KIND, csrf_header)))
            return finish(*ex, 403,
                          error_body(error_code::forbidden,
                                     std::string("missing or wrong ") + csrf_header + " header"));
        if (url == "/api/logout") {
            const std::string id = session->id;  // remove() frees *session
            sessions_.remove(id);
            streams_.close_ended(sessions_alive());
            ex->headers.push_back({"Set-Cookie", cookie(id, true)});
            return finish(*ex, 200, R"({"status":"ok"})");
        }
        run_command(c, ex, *session, url.substr(5));
    }

    const Session* current_session(MHD_Connection* c) {
        load_users(false);  // a stat(2) when nothing changed: removed users are out at once
        const char* id = mhd().lookup_connection_value(c, MHD_COOKIE_KIND, cookie_name);
        return id ? sessions_.find(id, std::chrono::steady_clock::now()) : nullptr;
    }

    nlohmann::json session_json(const Session& s) const {
        return {{"user", s.user},
                {"role", role_name(s.role)},
                {"csrf", s.csrf},
                {"commands", commands_for(s.role)},
                {"gateway", {{"id", config_.gateway.id}, {"name", config_.gateway.name}}}};
    }

    std::string cookie(const std::string& id, bool expire) const {
        std::string c = std::string(cookie_name) + "=" + (expire ? "" : id) +
                        "; Path=/; HttpOnly; SameSite=Strict" + (config_.http->tls() ? "; Secure" : "");
        return expire ? c + "; Max-Age=0" : c;
    }

    void run_command(MHD_Connection* c, const std::shared_ptr<Exchange>& ex, const Session& session,
                     const std::string& command) {
        auto args = nlohmann::json::parse(ex->body.empty() ? "{}" : ex->body, nullptr, false);
        if (!may_run(session.role, command)) {
            spdlog::info("crew page: {} ({}) may not run {}", session.user, role_name(session.role), command);
            return finish(*ex, 403,
                          forbidden_body(args, std::string("role ") + role_name(session.role) +
                                                   " may not run " + command));
        }
        if (auto why = argument_refusal(session.role, command, args)) {
            spdlog::info("crew page: {} ({}) refused {}: {}", session.user, role_name(session.role), command,
                         *why);
            return finish(*ex, 403, forbidden_body(args, *why));
        }
        std::string payload = ex->body;
        // Who acknowledged: the name the crew typed, else the account.
        if (command == "faults/ack" && args.is_object() && !args.contains("by")) {
            args["by"] = session.user;
            payload = args.dump();
        }
        std::weak_ptr<Exchange> weak = ex;
        dispatch_(command, payload, "http:" + client_address(c), [this, weak](std::string envelope) {
            if (auto live = weak.lock()) {
                auto status = status_of(envelope);
                finish(*live, status, std::move(envelope));
            }
        });
    }

    // ---- login -------------------------------------------------------------
    // Re-reads the users file when it changed (UsersSource): on every request
    // that carries a session, at each login and from the keepalive timer. A
    // file that is gone or unreadable means no users (fail closed), logged
    // once per version of the file; sessions of users removed, demoted or
    // given a new password end at once, and so do their event streams.
    void load_users(bool at_start) {
        if (at_start) {
            users_ = users_source_.load();
            for (const auto& p : users_.problems) spdlog::warn("crew page users: {}", p.to_string());
            return;
        }
        auto change = users_source_.changed();
        if (!change) return;
        if (change->error)
            spdlog::error("crew page: {}; no one can log in until it is readable", *change->error);
        for (const auto& p : change->users.problems) spdlog::warn("crew page users: {}", p.to_string());
        for (const auto& old : users_.users) {
            const User* now = change->users.find(old.name);
            if (!now || now->role != old.role || now->hash != old.hash) {
                sessions_.remove_user(old.name);
                spdlog::info("crew page: sessions of {} ended (changed in the users file)", old.name);
            }
        }
        users_ = std::move(change->users);
        streams_.close_ended(sessions_alive());
    }

    void login(MHD_Connection* c, const std::shared_ptr<Exchange>& ex) {
        const std::string address = client_address(c);
        auto now = std::chrono::steady_clock::now();
        if (auto wait = throttle_.wait_for(address, now); wait.count() > 0) {
            auto seconds = std::to_string((wait.count() + 999) / 1000);
            ex->headers.push_back({"Retry-After", seconds});
            return finish(*ex, 429,
                          error_body(error_code::too_busy, "too many wrong passwords from " + address +
                                                               "; try again in " + seconds + " s"));
        }
        // A JSON body: a cross-site form cannot send one without the browser
        // asking this server first (CORS preflight), which it never allows.
        if (header(c, MHD_HEADER_KIND, "Content-Type").rfind("application/json", 0) != 0)
            return finish(
                *ex, 415,
                error_body(error_code::bad_request, "send {\"user\",\"password\"} as application/json"));
        auto body = nlohmann::json::parse(ex->body, nullptr, false);
        if (!body.is_object() || !body.contains("user") || !body["user"].is_string() ||
            !body.contains("password") || !body["password"].is_string())
            return finish(*ex, 400,
                          error_body(error_code::bad_request, "send {\"user\",\"password\"} as strings"));
        if (body["password"].get_ref<const std::string&>().size() > max_password)
            return finish(*ex, 400,
                          error_body(error_code::bad_request,
                                     "a password is at most " + std::to_string(max_password) + " bytes"));
        // One password check per address at a time (the throttle counts
        // answers, so parallel guesses would pass it), and a bounded queue.
        switch (logins_checking_.admit(address)) {
            case LoginChecks::Admission::admitted:
                break;
            case LoginChecks::Admission::address_busy:
                ex->headers.push_back({"Retry-After", "1"});
                return finish(*ex, 429,
                              error_body(error_code::too_busy,
                                         "a login from " + address + " is being checked; try again"));
            case LoginChecks::Admission::all_busy:
                ex->headers.push_back({"Retry-After", "1"});
                return finish(*ex, 503,
                              error_body(error_code::too_busy, "too many logins at once; try again"));
        }
        load_users(false);
        std::string user = body["user"];
        const User* known = users_.find(user);
        std::string hash = known ? known->hash : decoy_hash();
        Role role = known ? known->role : Role::viewer;
        // yescrypt takes tens of milliseconds on purpose: off the loop.
        std::weak_ptr<Exchange> weak = ex;
        std::string password = body["password"];
        std::weak_ptr<int> alive = alive_;
        asio::post(*hasher_, [this, alive, weak, user, password, hash, role, address, known = !!known] {
            // Unknown users are checked against a decoy: refused as slowly as known ones.
            bool matched = verify_password(password, hash);
            bool ok = known && matched;
            asio::post(io_, [this, alive, weak, user, role, address, ok] {
                if (!alive.expired()) login_checked(weak, user, role, address, ok);
            });
        });
    }

    void login_checked(std::weak_ptr<Exchange> weak, const std::string& user, Role role,
                       const std::string& address, bool ok) {
        logins_checking_.finished(address);
        auto ex = weak.lock();
        if (!ex || !daemon_) return;
        auto now = std::chrono::steady_clock::now();
        if (ok) {
            throttle_.succeeded(address);
            const auto& s = sessions_.create(user, role, now);
            spdlog::info("crew page: {} ({}) logged in from {}", user, role_name(role), address);
            ex->headers.push_back({"Set-Cookie", cookie(s.id, false)});
            return finish(*ex, 200, session_json(s).dump());
        }
        auto wait = throttle_.failed(address, now);
        spdlog::warn(
            "crew page: wrong user name or password for '{}' from {} ({} in a row; next try in {} ms)", user,
            address, throttle_.failures(address), wait.count());
        // The refusal itself waits out the delay: a script trying passwords one
        // after another gets slower and slower, a parallel one gets 429s.
        auto timer = std::make_shared<asio::steady_timer>(io_, wait);
        timer->async_wait([this, weak, timer](const asio::error_code&) {
            if (auto live = weak.lock(); live && daemon_)
                finish(*live, 401, error_body(error_code::unauthorized, "wrong user name or password"));
        });
    }

    // ---- live updates ------------------------------------------------------
    void open_stream(MHD_Connection* c, const std::shared_ptr<Exchange>& ex, const Session& session) {
        ex->streaming = true;
        auto* response = streams_.open(c, session.id, overview_json(config_, feed_));
        add_common_headers(response, "text/event-stream");
        mhd().queue_response(c, 200, response);
        mhd().destroy_response(response);
    }

    asio::io_context& io_;
    const config::Config& config_;
    StateFeed& feed_;
    Dispatch dispatch_;
    asio::posix::stream_descriptor epoll_;
    asio::steady_timer timer_;
    asio::steady_timer keepalive_;
    MHD_Daemon* daemon_ = nullptr;
    int listen_fd_ = -1;
    bool poke_queued_ = false;
    bool stopping_ = false;
    // Outlives nothing: work posted from the hashing thread checks it before touching *this.
    std::shared_ptr<int> alive_ = std::make_shared<int>();
    LoginChecks logins_checking_{max_logins_checking};  // passwords being hashed
    std::string cert_, key_;
    UsersFile users_;
    UsersSource users_source_;
    Sessions sessions_;
    LoginThrottle throttle_;
    EventStreams streams_;
    std::vector<std::weak_ptr<Exchange>> waiting_;
    std::optional<asio::thread_pool> hasher_;  // one thread, only while the page is on
};

CrewServer::CrewServer(asio::io_context& io, const config::Config& config, StateFeed& feed, Dispatch dispatch)
    : impl_(std::make_unique<Impl>(io, config, feed, std::move(dispatch))) {}

CrewServer::~CrewServer() = default;

bool CrewServer::start(std::string* error) {
    return impl_->start(error);
}

void CrewServer::stop() {
    impl_->stop();
}

}  // namespace lykta::http
