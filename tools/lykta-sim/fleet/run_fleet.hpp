#pragma once
namespace lykta::sim {
// Entry point of `lykta-sim fleet`; argv[0] is "fleet".
int run_fleet(int argc, char** argv);
}  // namespace lykta::sim
