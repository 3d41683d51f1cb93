#include "requester.hpp"

#include <unistd.h>

#include <cstdio>
#include <deque>
#include <map>
#include <random>

#include "gateway/mqtt/topics.hpp"

namespace lykta::ctl {
namespace {

using Clock = std::chrono::steady_clock;

struct Outstanding {
    std::size_t index;
    Clock::time_point deadline;
};

// "<prefix>/<gateway>/response/..." -> "<gateway>".
std::string gateway_of(const std::string& topic, const std::string& prefix) {
    if (topic.size() <= prefix.size() + 1) return "";
    const auto rest = topic.substr(prefix.size() + 1);
    return rest.substr(0, rest.find('/'));
}

// A request that came back too_busy waits this long before it goes out again.
constexpr auto busy_pause = std::chrono::seconds(1);

}  // namespace

nlohmann::json checked_envelope(nlohmann::json envelope, const std::string& gateway,
                                const std::string& topic) {
    std::string problem;
    const auto status = envelope.is_object() && envelope.contains("status") && envelope["status"].is_string()
                            ? envelope["status"].get<std::string>()
                            : std::string();
    if (!envelope.is_object())
        problem = envelope.is_discarded() ? "is not JSON" : "is not a JSON object";
    else if (status == "ok") {
        if (!envelope.contains("data") || !envelope["data"].is_object()) problem = "has no `data` object";
    } else if (status == "error") {
        const auto& e = envelope.contains("error") ? envelope["error"] : nlohmann::json();
        if (!e.is_object())
            problem = "is an error without an `error` object";
        else if (!e.contains("code") || !e["code"].is_string() || !e.contains("message") ||
                 !e["message"].is_string())
            problem = "is an error whose `code` or `message` is not a string";
    } else
        problem = "has no `status` of \"ok\" or \"error\"";
    if (problem.empty()) return envelope;
    return {{"status", "error"},
            {"error",
             {{"code", "bad_answer"},
              {"message", "gateway " + gateway + ": the answer on " + topic + " " + problem}}}};
}

Requester::Requester(BrokerSession& session) : session_(session), tag_("_lyktactl/" + session.client_id()) {
    std::random_device random;
    char token[9];
    std::snprintf(token, sizeof token, "%08x", static_cast<unsigned>(random()));
    id_base_ = "lyktactl-" + std::to_string(::getpid()) + "-" + token + "-";
    if (session_.v5()) session_.subscribe({session_.options().prefix + "/+/response/" + tag_});
}

void Requester::subscribe_answers(const std::string& command) {
    if (session_.v5() || !subscribed_.insert(command).second) return;
    session_.subscribe({session_.options().prefix + "/+/response/" + command});
}

std::vector<std::optional<nlohmann::json>> Requester::ask(
    const std::vector<GatewayRequest>& requests, std::size_t concurrency, std::chrono::milliseconds timeout,
    const std::function<void(const ::mqtt::const_message_ptr&)>& other) {
    std::vector<std::optional<nlohmann::json>> answers(requests.size());
    for (const auto& r : requests) subscribe_answers(r.command);
    const auto& prefix = session_.options().prefix;

    std::deque<std::pair<std::size_t, Clock::time_point>> waiting;  // index, not before
    for (std::size_t i = 0; i < requests.size(); ++i) waiting.emplace_back(i, Clock::time_point{});
    std::map<std::string, Outstanding> outstanding;  // by "<gateway>|<request id>"
    std::vector<Clock::time_point> first_sent(requests.size());
    concurrency = std::max<std::size_t>(concurrency, 1);

    auto send = [&](std::size_t index) {
        const auto& r = requests[index];
        nlohmann::json body = r.args.is_object() ? r.args : nlohmann::json::object();
        // Some commands take their object's id from the request id (area/safety's
        // flag id): an "id" in the arguments is sent as the request id.
        const std::string id = body.contains("id") && body["id"].is_string()
                                   ? body["id"].get<std::string>()
                                   : id_base_ + std::to_string(++next_id_);
        body["id"] = id;
        const std::string key = r.gateway + "|" + id;
        const mqtt::Topics topics(prefix, r.gateway);
        auto message = ::mqtt::make_message(topics.at("request/" + r.command), body.dump(), 1, false);
        if (session_.v5()) {
            ::mqtt::properties properties;
            properties.add({::mqtt::property::RESPONSE_TOPIC, topics.response(tag_)});
            properties.add({::mqtt::property::CORRELATION_DATA, ::mqtt::binary(key)});
            message->set_properties(properties);
        }
        const auto now = Clock::now();
        if (first_sent[index] == Clock::time_point{}) first_sent[index] = now;
        outstanding[key] = {index, first_sent[index] + timeout};
        session_.publish(message);
    };

    while (!waiting.empty() || !outstanding.empty()) {
        auto now = Clock::now();
        while (outstanding.size() < concurrency && !waiting.empty() && waiting.front().second <= now) {
            send(waiting.front().first);
            waiting.pop_front();
        }
        // Wake for the nearest deadline, or a busy request's second try.
        auto wake = now + std::chrono::seconds(1);
        for (const auto& [id, o] : outstanding) wake = std::min(wake, o.deadline);
        if (!waiting.empty() && outstanding.size() < concurrency)
            wake = std::min(wake, waiting.front().second);
        if (auto message = session_.next(wake)) {
            const auto& topic = message->get_topic();
            const bool answer_topic = topic.find("/response/") != std::string::npos;
            auto envelope =
                answer_topic ? nlohmann::json::parse(message->to_string(), nullptr, false) : nlohmann::json();
            // The key is "<gateway>|<id>": the same id may be outstanding at several gateways.
            std::string key;
            if (answer_topic && session_.v5() &&
                message->get_properties().contains(::mqtt::property::CORRELATION_DATA))
                key = ::mqtt::get<std::string>(message->get_properties(), ::mqtt::property::CORRELATION_DATA);
            else if (envelope.is_object() && envelope.contains("id") && envelope["id"].is_string())
                key = gateway_of(topic, prefix) + "|" + envelope["id"].get<std::string>();
            auto found = outstanding.find(key);
            if (found == outstanding.end()) {
                if (!answer_topic && other) other(message);
                continue;
            }
            const auto index = found->second.index;
            outstanding.erase(found);
            envelope = checked_envelope(std::move(envelope), requests[index].gateway, topic);
            const bool busy = envelope["status"] == "error" && envelope["error"]["code"] == "too_busy";
            if (busy && Clock::now() + busy_pause < first_sent[index] + timeout)
                waiting.emplace_back(index, Clock::now() + busy_pause);
            else
                answers[index] = std::move(envelope);
            continue;
        }
        now = Clock::now();
        for (auto it = outstanding.begin(); it != outstanding.end();)
            it = it->second.deadline <= now ? outstanding.erase(it) : std::next(it);
    }
    return answers;
}

}  // namespace lykta::ctl
