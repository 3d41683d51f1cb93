#include "drivers/dali/hasseb_transport.hpp"

namespace lykta::dali {

std::string HassebTransport::request_bytes(ForwardFrame frame, TransactOptions options) {
    sequence_ = static_cast<std::uint8_t>(sequence_ == 255 ? 1 : sequence_ + 1);  // 0 is never used
    auto report = hasseb::frame_report(sequence_, frame, options.expect_answer, options.send_twice);
    return std::string(report.begin(), report.end());
}

void HassebTransport::on_bytes(std::string_view bytes) {
    // hidraw delivers whole reports per read; keep a remainder anyway in case a read splits one.
    partial_.append(bytes);
    while (partial_.size() >= hasseb::report_size) {
        const auto* p = reinterpret_cast<const std::uint8_t*>(partial_.data());
        auto parsed = hasseb::parse_report(std::span<const std::uint8_t>(p, hasseb::report_size));
        partial_.erase(0, hasseb::report_size);
        if (!parsed) continue;  // "no data", sniffer bytes, firmware replies
        if (!pending() || parsed->sequence != sequence_) continue;  // a late report for an earlier frame
        finish(parsed->reply);
    }
}

}  // namespace lykta::dali
