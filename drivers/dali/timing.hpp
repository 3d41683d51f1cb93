#pragma once
// DALI transaction costs on the wire (1200 bit/s Manchester, mean DALI-2
// settling times; Beckhoff Tc3_DALI "Transmission length"). Used by the
// simulator's real-time mode and by the benchmark's physical floor.
namespace lykta::dali::timing {

inline constexpr double command_s = 0.0312;         // 16-bit forward frame + settling
inline constexpr double query_answered_s = 0.0467;  // forward frame + FF->BF gap + backward frame + settling
inline constexpr double query_unanswered_s = 0.0420;  // forward frame + the ~10.5 ms answer window
inline constexpr double send_twice_s = 0.0594;        // both frames of a configuration command
inline constexpr double send_twice_window_s = 0.100;  // second frame must follow within 100 ms

inline double transaction_s(bool expect_answer, bool answered, bool send_twice) {
    if (send_twice) return send_twice_s;
    if (!expect_answer) return command_s;
    return answered ? query_answered_s : query_unanswered_s;
}

}  // namespace lykta::dali::timing
