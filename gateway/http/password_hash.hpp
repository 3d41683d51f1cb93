#pragma once
// Password hashes for the crew page's users_file: yescrypt through libxcrypt
// (Debian's libcrypt1, the library that hashes /etc/shadow; loaded on the
// first call, so a daemon without `http:` never maps it). Format "$y$...",
// crypt(5). Hashing and verifying cost tens of milliseconds by design: callers
// on the event loop hand them to a worker thread.
#include <string>

namespace lykta::http {

// A fresh salt from the kernel's random source each call; throws
// std::runtime_error when libcrypt cannot be loaded or refuses (no yescrypt
// support, no entropy).
std::string hash_password(const std::string& password);
// True when `password` hashes to `hash`. A malformed or unsupported hash is
// false, never an exception (only libcrypt failing to load throws, as above).
// Compares in constant time.
bool verify_password(const std::string& password, const std::string& hash);
// A hash a real one can be told apart from only by verifying: verified
// against for unknown users so they take as long to refuse as known ones.
const std::string& decoy_hash();

}  // namespace lykta::http
