#include "drivers/modbus/transport.hpp"

#include "drivers/modbus/rtu_transport.hpp"
#include "drivers/modbus/tcp_transport.hpp"

namespace lykta::modbus {

std::string_view to_string(Outcome outcome) {
    switch (outcome) {
        case Outcome::ok:
            return "ok";
        case Outcome::timeout:
            return "timeout";
        case Outcome::exception:
            return "exception";
        case Outcome::bad_response:
            return "bad response";
        case Outcome::link_down:
            return "link down";
    }
    return "?";
}

ReadResult Transport::read(int unit, const ReadRequest& request) {
    ReadResult r;
    const BatchRead one{unit, &request, &r};
    read(std::span<const BatchRead>(&one, 1));
    return r;
}

std::string describe_read(int unit, const ReadRequest& request) {
    return "unit " + std::to_string(unit) + " " + std::string(to_string(request.table)) + " " +
           std::to_string(request.address) + "+" + std::to_string(request.count);
}

void fail_read(ReadResult& out, Outcome outcome, std::string error) {
    out.outcome = outcome;
    out.exception_code = 0;
    out.error = std::move(error);
    out.words.clear();
    out.bits.clear();
}

ReadRequest readback_request(const WriteRequest& request) {
    return {request.table,
            request.address,
            request.table == RegisterType::coil ? 1 : static_cast<int>(request.words.size()),
            {}};
}

std::string describe(const RtuSettings& port) {
    return "rtu " + port.device + " " + std::to_string(port.baud) + " " + std::to_string(port.data_bits) +
           port.parity + std::to_string(port.stop_bits);
}

std::string describe(const TcpSettings& endpoint) {
    return "tcp " + endpoint.host + ":" + std::to_string(endpoint.port);
}

std::string describe(const NetworkConfig& network) {
    return std::visit([](const auto& link) { return describe(link); }, network.link);
}

std::unique_ptr<Transport> make_transport(const NetworkConfig& network) {
    if (const auto* tcp = std::get_if<TcpSettings>(&network.link))
        return std::make_unique<TcpTransport>(*tcp, network.response_timeout_s);
    return std::make_unique<RtuTransport>(std::get<RtuSettings>(network.link), network.response_timeout_s);
}

}  // namespace lykta::modbus
