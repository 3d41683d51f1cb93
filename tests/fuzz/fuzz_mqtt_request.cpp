// Any request bytes on any command path give exactly one response envelope
// with the request's id handling intact, never a crash, hang or sanitizer report.
// Input layout: first byte picks the command path, the rest is the payload.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>

#include "gateway/api/command_router.hpp"
#include "gateway/api/request_parsing.hpp"

namespace {

const char* const commands[] = {"luminaire/set", "area/set", "unknown/thing", ""};

void exercise_handler(const nlohmann::json& args, lykta::api::Responder responder) {
    // Reads the way domain handlers do: typed access guarded by is_*().
    auto level = args.contains("level") && args["level"].is_number() ? args["level"].get<double>() : -1.0;
    if (level < 0 || level > 100) return responder.error("out_of_range", "level", "level");
    responder.ok({{"level", level}});
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    std::string payload(reinterpret_cast<const char*>(data + 1), size - 1);

    auto parsed = lykta::api::parse_request(payload, 32);
    if (auto* object = std::get_if<nlohmann::json>(&parsed); object && !object->is_object()) __builtin_trap();
    (void)lykta::api::nesting_depth(payload, 64);

    lykta::api::RouterLimits limits;
    limits.max_payload = 4096;
    lykta::api::CommandRouter router(limits, [] {});
    router.add("luminaire/set", exercise_handler);
    router.add("area/set", [](const nlohmann::json&, lykta::api::Responder) {});  // drops it: internal
    int replies = 0;
    lykta::api::Request request;
    request.command = commands[data[0] % 4];
    request.payload = payload;
    request.client = "fuzz";
    request.reply = [&replies](nlohmann::json envelope) {
        ++replies;
        if (!envelope.is_object() || !envelope.contains("status")) __builtin_trap();
        (void)envelope.dump(-1, ' ', false, nlohmann::json::error_handler_t::strict);
    };
    router.submit(std::move(request), std::chrono::steady_clock::time_point{});
    router.drain();
    if (replies != 1) __builtin_trap();  // every request gets exactly one response
    return 0;
}
