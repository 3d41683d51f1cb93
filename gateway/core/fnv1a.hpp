#pragma once
// 64-bit FNV-1a (Fowler–Noll–Vo, offset basis 0xcbf29ce484222325, prime
// 0x100000001b3). Not cryptographic: it tells apart texts that differ by
// accident (a config file's revision, a request's arguments), not by design.
#include <cstdint>
#include <string_view>

namespace lykta {

inline constexpr std::uint64_t fnv1a64_basis = 0xcbf29ce484222325ULL;

// Continues from `hash` (the offset basis to start), so a text can be hashed in chunks.
constexpr std::uint64_t fnv1a64(std::string_view bytes, std::uint64_t hash = fnv1a64_basis) {
    for (unsigned char c : bytes) {
        hash ^= c;
        hash *= 0x100000001b3ULL;
    }
    return hash;
}

}  // namespace lykta
