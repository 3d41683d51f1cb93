#include "gateway/http/password_hash.hpp"

#include <crypt.h>

#include <cstring>
#include <memory>
#include <stdexcept>

#include "gateway/http/dynamic_library.hpp"

namespace lykta::http {
namespace {

// libxcrypt as Debian 12 ships it (libcrypt1 4.4.33), loaded on the first
// hash rather than linked: linked, it costs every daemon about 80 KiB of RSS
// (its tables, relocated data and the code page its constructor runs, with
// fault-around), crew page on or off. The types come from <crypt.h>.
constexpr const char* library = "libcrypt.so.1";

struct CryptApi {
    decltype(&::crypt_r) crypt_r;
    decltype(&::crypt_gensalt_rn) crypt_gensalt_rn;
};

const CryptApi& libcrypt() {
    static const CryptApi api = [] {  // a failed load throws and is tried again next time
        void* handle = load_library(library, "libcrypt1");
        CryptApi loaded{};
        bind(handle, library, loaded.crypt_r, "crypt_r");
        bind(handle, library, loaded.crypt_gensalt_rn, "crypt_gensalt_rn");
        return loaded;
    }();
    return api;
}

// crypt_r's state is ~32 KiB: on the heap, not the worker's stack.
std::unique_ptr<crypt_data> new_state() {
    auto data = std::make_unique<crypt_data>();
    std::memset(data.get(), 0, sizeof(crypt_data));
    return data;
}

bool equal_in_constant_time(const std::string& a, const std::string& b) {
    if (a.size() != b.size()) return false;
    unsigned char diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

}  // namespace

std::string hash_password(const std::string& password) {
    char setting[CRYPT_GENSALT_OUTPUT_SIZE];
    // "$y$" = yescrypt, count 0 = libxcrypt's default cost; rbytes null = the
    // library reads the kernel's random source (crypt_gensalt(3)).
    if (!libcrypt().crypt_gensalt_rn("$y$", 0, nullptr, 0, setting, sizeof setting))
        throw std::runtime_error(std::string("cannot make a yescrypt salt: ") + std::strerror(errno));
    auto state = new_state();
    const char* hashed = libcrypt().crypt_r(password.c_str(), setting, state.get());
    // crypt(3): failure is NULL or a string starting with '*'.
    if (!hashed || hashed[0] == '*') throw std::runtime_error("libcrypt could not hash the password");
    return hashed;
}

bool verify_password(const std::string& password, const std::string& hash) {
    if (hash.empty() || hash[0] != '$') return false;
    auto state = new_state();
    const char* hashed = libcrypt().crypt_r(password.c_str(), hash.c_str(), state.get());
    if (!hashed || hashed[0] == '*') return false;
    return equal_in_constant_time(hashed, hash);
}

const std::string& decoy_hash() {
    static const std::string hash = hash_password("lykta decoy: no user has this password");
    return hash;
}

}  // namespace lykta::http
