#include "gateway/config/closest_name.hpp"

#include <algorithm>

namespace lykta::config {

std::size_t edit_distance(std::string_view a, std::string_view b) {
    const std::size_t n = a.size();
    const std::size_t m = b.size();
    std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1));
    for (std::size_t i = 0; i <= n; ++i) d[i][0] = i;
    for (std::size_t j = 0; j <= m; ++j) d[0][j] = j;
    for (std::size_t i = 1; i <= n; ++i) {
        for (std::size_t j = 1; j <= m; ++j) {
            std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[n][m];
}

std::optional<std::string> closest_name(std::string_view wrong, const std::vector<std::string>& candidates) {
    // Allow roughly one edit per three characters (at least one, at least two
    // for longer words): "qso" -> "qos", but "foo" does not become "log".
    const std::size_t limit = std::max<std::size_t>(wrong.size() >= 5 ? 2 : 1, wrong.size() / 3);
    std::optional<std::string> best;
    std::size_t best_distance = limit + 1;
    for (const auto& c : candidates) {
        std::size_t d = edit_distance(wrong, c);
        if (d < best_distance && d < c.size()) {
            best = c;
            best_distance = d;
        }
    }
    return best;
}

std::string did_you_mean(std::string_view wrong, const std::vector<std::string>& candidates) {
    if (auto c = closest_name(wrong, candidates)) return " (did you mean '" + *c + "'?)";
    return "";
}

}  // namespace lykta::config
