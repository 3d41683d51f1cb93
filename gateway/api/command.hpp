#pragma once
// What a command handler sees: the request arguments and a one-shot responder.
// The API room owns the envelope (ids, error codes) for every transport (MQTT,
// the control socket); the domain rooms register handlers by command path
// ("luminaire/set").
#include <functional>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

namespace lykta::api {

// Error codes of the API contract (docs/mqtt-api.md).
namespace error_code {
inline constexpr const char* bad_json = "bad_json";
inline constexpr const char* bad_request = "bad_request";
inline constexpr const char* out_of_range = "out_of_range";
inline constexpr const char* unknown_luminaire = "unknown_luminaire";
inline constexpr const char* unknown_area = "unknown_area";
inline constexpr const char* unknown_meter = "unknown_meter";
inline constexpr const char* unknown_command = "unknown_command";
inline constexpr const char* conflict = "conflict";
inline constexpr const char* too_large = "too_large";
inline constexpr const char* bus_error = "bus_error";
inline constexpr const char* timeout = "timeout";
inline constexpr const char* too_busy = "too_busy";
inline constexpr const char* internal = "internal";
// Only the crew page's HTTP API answers these (docs/crew-page.md); the
// router and MQTT never do: there a client is not logged in per request.
inline constexpr const char* unauthorized = "unauthorized";  // no session (HTTP 401)
inline constexpr const char* forbidden = "forbidden";        // the role may not (HTTP 403)
inline constexpr const char* not_found = "not_found";        // no such page or API path (HTTP 404)
}  // namespace error_code

struct CommandError {
    std::string code;
    std::string message;
    std::string field;  // "path.to.field" when one field is at fault
};

// Answers a request exactly once. Handlers may keep it and answer later (after
// DALI frames went out); if it is destroyed unanswered, the request is answered
// with an `internal` error so no request ever goes without a response.
class Responder {
public:
    using Send = std::function<void(nlohmann::json response_body)>;
    explicit Responder(Send send);
    Responder(Responder&&) noexcept;
    Responder& operator=(Responder&&) noexcept;
    Responder(const Responder&) = delete;
    Responder& operator=(const Responder&) = delete;
    ~Responder();

    void ok(nlohmann::json data = nlohmann::json::object());
    void error(const CommandError& error);
    void error(std::string code, std::string message, std::string field = {});
    bool answered() const { return !send_; }

private:
    Send send_;
};

using CommandHandler = std::function<void(const nlohmann::json& args, Responder responder)>;

// Response envelope: the Responder's body ({"status":..}) with the request id
// first; `id` is null when the request had none or could not be parsed.
nlohmann::json response_envelope(const nlohmann::json& id, nlohmann::json body);

}  // namespace lykta::api
