#pragma once
namespace lykta::sim {
// Entry point of `lykta-sim dali`; argv[0] is "dali".
int run_dali(int argc, char** argv);
}  // namespace lykta::sim
