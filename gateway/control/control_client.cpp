#include "gateway/control/control_client.hpp"

#include <asio.hpp>

namespace lykta::control {

nlohmann::json call(const std::string& socket_path, const std::string& command, const nlohmann::json& args,
                    std::chrono::milliseconds timeout) {
    using asio::local::stream_protocol;
    asio::io_context io;
    stream_protocol::socket socket(io);
    asio::error_code connect_error = asio::error::would_block;
    socket.async_connect(stream_protocol::endpoint(socket_path),
                         [&](const asio::error_code& ec) { connect_error = ec; });
    io.run_for(timeout);
    if (connect_error)
        throw ControlError("cannot reach lyktad at " + socket_path + ": " + connect_error.message() +
                           " (is the daemon running, and may this user open the socket?)");

    nlohmann::json request = args.is_object() ? args : nlohmann::json::object();
    request["command"] = command;
    std::string line = request.dump() + "\n";
    asio::streambuf in;
    asio::error_code io_error = asio::error::would_block;
    asio::async_write(socket, asio::buffer(line), [&](const asio::error_code& ec, std::size_t) {
        if (ec) {
            io_error = ec;
            return;
        }
        asio::async_read_until(socket, in, '\n',
                               [&](const asio::error_code& rec, std::size_t) { io_error = rec; });
    });
    io.restart();
    io.run_for(timeout);
    if (io_error == asio::error::would_block)
        throw ControlTimeout("lyktad at " + socket_path + " did not answer '" + command + "' within " +
                             std::to_string(timeout.count()) + " ms");
    if (io_error)
        throw ControlError("lost the connection to lyktad at " + socket_path + ": " + io_error.message());
    std::string response(asio::buffers_begin(in.data()), asio::buffers_end(in.data()));
    auto parsed = nlohmann::json::parse(response, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object())
        throw ControlError("lyktad at " + socket_path + " sent an unreadable answer");
    return parsed;
}

}  // namespace lykta::control
