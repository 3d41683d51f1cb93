#include "gateway/api/command_router.hpp"

#include <spdlog/spdlog.h>

#include <memory>

#include "gateway/api/request_parsing.hpp"

namespace lykta::api {

namespace {

nlohmann::json error_body(const std::string& code, const std::string& message) {
    return {{"status", "error"}, {"error", {{"code", code}, {"message", message}}}};
}

// The request's id for a rejection (null when it has none or does not parse):
// without it a client waiting on its id never learns it was refused. Parsed
// only on this path; a request within the size limit is cheap to parse.
nlohmann::json id_of(const std::string& payload, int max_depth) {
    auto parsed = parse_request(payload, max_depth);
    if (auto* args = std::get_if<nlohmann::json>(&parsed); args && args->contains("id")) return (*args)["id"];
    return nullptr;
}

}  // namespace

CommandRouter::CommandRouter(RouterLimits limits, std::function<void()> wake)
    : limits_(limits), wake_(std::move(wake)), rate_(limits.rate_per_s) {}

void CommandRouter::add(const std::string& command, CommandHandler handler) {
    handlers_[command] = std::move(handler);
}

std::vector<std::string> CommandRouter::commands() const {
    std::vector<std::string> out;
    for (const auto& [name, handler] : handlers_) out.push_back(name);
    return out;
}

void CommandRouter::submit(Request request, TimePoint now) {
    if (request.payload.size() > limits_.max_payload) {
        request.reply(response_envelope(
            nullptr, error_body(error_code::too_large,
                                "payload of " + std::to_string(request.payload.size()) +
                                    " bytes is over the limit of " + std::to_string(limits_.max_payload))));
        return;
    }
    if (!rate_.allow(request.client, now)) {
        ++counters_.rejected_rate;
        request.reply(response_envelope(
            id_of(request.payload, limits_.max_depth),
            error_body(error_code::too_busy,
                       "over the rate limit of " + std::to_string(limits_.rate_per_s) + " requests/s")));
        return;
    }
    if (queue_.size() >= limits_.queue_capacity) {
        ++counters_.rejected_busy;
        request.reply(response_envelope(
            id_of(request.payload, limits_.max_depth),
            error_body(error_code::too_busy,
                       "request queue is full (" + std::to_string(limits_.queue_capacity) + ")")));
        return;
    }
    if (closed_) {
        serve(request);  // answered "stopping", never run
        return;
    }
    request.received = now;
    queue_.push_back(std::move(request));
    if (queue_.size() == 1 && wake_) wake_();
}

std::size_t CommandRouter::drain(std::size_t max) {
    // More arrived than one turn serves: ask for another turn so other loop
    // work (bus frames, timers) is not starved by a flood. Also when a reply
    // throws out of this turn: wake_ fires only when the queue goes from empty
    // to one, so without this the queue would never be served again.
    struct NextTurn {
        CommandRouter& router;
        ~NextTurn() {
            if (!router.queue_.empty() && router.wake_) router.wake_();
        }
    } next_turn{*this};
    for (std::size_t n = 0; n < max && !queue_.empty(); ++n) {
        Request request = std::move(queue_.front());
        queue_.pop_front();
        serve(request);
    }
    return queue_.size();
}

void CommandRouter::close() {
    closed_ = true;
    auto pending = std::move(queue_);
    queue_.clear();
    for (auto& request : pending) serve(request);
}

void CommandRouter::serve(Request& request) {
    if (closed_) {
        request.reply(response_envelope(id_of(request.payload, limits_.max_depth),
                                        error_body(error_code::too_busy, "the gateway is stopping")));
        return;
    }
    ++counters_.handled;
    auto parsed = parse_request(request.payload, limits_.max_depth);
    if (auto* failure = std::get_if<ParseFailure>(&parsed)) {
        request.reply(response_envelope(nullptr, error_body(error_code::bad_json, failure->message)));
        return;
    }
    auto& args = std::get<nlohmann::json>(parsed);
    nlohmann::json id = args.contains("id") ? args["id"] : nlohmann::json();
    auto it = handlers_.find(request.command);
    if (it == handlers_.end()) {
        request.reply(response_envelope(
            id, error_body(error_code::unknown_command, "no command '" + request.command + "'")));
        return;
    }
    // A copy of a request (a retry, or a cluster's redelivery: same id, same
    // arguments, same reply topic) is answered with the first answer and not
    // executed again. The same id with other arguments is a new intention that
    // reuses the id (area/safety's id names the flag) and runs.
    auto cache_key = AnswerCache::key(request.client, request.command, args, request.reply_to);
    if (cache_key && answers_.replay(*cache_key, request.received, request.reply)) {
        ++counters_.replayed;
        return;
    }
    // One gate for every path to the wire, so a handler that answers and then
    // throws, or throws after stashing its Responder, still yields one response.
    auto answered = std::make_shared<bool>(false);
    auto reply = request.reply;
    auto send = [this, answered, reply, id, cache_key, received = request.received](nlohmann::json body) {
        if (*answered) return;
        *answered = true;
        auto envelope = response_envelope(id, std::move(body));
        if (cache_key) answers_.answered(*cache_key, envelope, received);
        reply(std::move(envelope));
    };
    try {
        it->second(args, Responder(send));
    } catch (const std::exception& e) {
        ++counters_.handler_exceptions;
        spdlog::error("command '{}' failed: {}", request.command, e.what());
        send(error_body(error_code::internal, std::string("command failed: ") + e.what()));
    } catch (...) {
        ++counters_.handler_exceptions;
        spdlog::error("command '{}' failed with a non-standard exception", request.command);
        send(error_body(error_code::internal, "command failed"));
    }
}

}  // namespace lykta::api
