#pragma once
// Which logins are having their password checked (hashed on the page's
// worker thread): at most one per client address, so parallel guesses from
// one address cannot outrun the LoginThrottle (it counts answers), and at
// most `limit` over all addresses, so the hash queue stays bounded
// (docs/crew-page.md, "Security").
#include <cstddef>
#include <set>
#include <string>

namespace lykta::http {

class LoginChecks {
public:
    enum class Admission { admitted, address_busy, all_busy };
    explicit LoginChecks(std::size_t limit = 8) : limit_(limit) {}

    // Admits a check for `address` (it counts until finished()), or says why not.
    Admission admit(const std::string& address);
    void finished(const std::string& address) { checking_.erase(address); }
    void clear() { checking_.clear(); }
    std::size_t checking() const { return checking_.size(); }

private:
    std::size_t limit_;
    std::set<std::string> checking_;
};

}  // namespace lykta::http
