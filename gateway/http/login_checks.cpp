#include "gateway/http/login_checks.hpp"

namespace lykta::http {

LoginChecks::Admission LoginChecks::admit(const std::string& address) {
    // The address's own limit first: a client that is already waiting is told
    // so, whatever the others do.
    if (checking_.count(address)) return Admission::address_busy;
    if (checking_.size() >= limit_) return Admission::all_busy;
    checking_.insert(address);
    return Admission::admitted;
}

}  // namespace lykta::http
