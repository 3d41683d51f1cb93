#include "gateway/policy/safety_flag.hpp"

#include <algorithm>
#include <stdexcept>

#include "gateway/config/date_parsing.hpp"

namespace lykta::policy {
namespace {

struct Window {
    SystemTime open;
    SystemTime close;
};

// The recurrence window opening on local date `day`, if that weekday is listed.
std::optional<Window> window_opening_on(const config::Recurrence& r, const Place& place,
                                        date::local_days day) {
    if (!r.weekdays[static_cast<std::size_t>(weekday_of(day))]) return std::nullopt;
    const auto close_day = r.to_minutes <= r.from_minutes ? day + date::days{1} : day;
    return Window{place.at_local(day, r.from_minutes), place.at_local(close_day, r.to_minutes)};
}

bool in_validity(const SafetyFlag& flag, SystemTime t) {
    return (!flag.from || *flag.from <= t) && (!flag.until || t < *flag.until);
}

std::optional<Window> recurrence_window_at(const config::Recurrence& r, const Place& place, SystemTime t) {
    const auto today = place.local_date(t);
    for (auto day : {today - date::days{1}, today}) {
        auto w = window_opening_on(r, place, day);
        if (w && w->open <= t && t < w->close) return w;
    }
    return std::nullopt;
}

std::optional<SystemTime> parse_time(const std::string& text, const Place& place, bool is_until,
                                     const std::string& id) {
    if (text.empty()) return std::nullopt;
    std::string error;
    auto t = config::parse_flag_time(text, place.zone, is_until, error);
    if (!t) throw std::invalid_argument("safety flag '" + id + "': " + error);
    return SystemTime{*t};
}

}  // namespace

SafetyFlag flag_from_config(const config::SafetyFlag& flag, const Place& place) {
    SafetyFlag out;
    out.id = flag.id;
    out.area = flag.area;
    out.source = flag.source;
    out.reason = flag.reason;
    out.from = parse_time(flag.from, place, false, flag.id);
    out.until = parse_time(flag.until, place, true, flag.id);
    out.recurrence = flag.recurrence;
    out.profile = flag.profile;
    out.origin = "config";
    return out;
}

std::vector<SafetyFlag> flags_from_config(const config::Config& config, const Place& place) {
    std::vector<SafetyFlag> out;
    for (const auto& f : config.safety_flags) out.push_back(flag_from_config(f, place));
    return out;
}

bool in_force(const SafetyFlag& flag, const Place& place, SystemTime t) {
    if (!in_validity(flag, t)) return false;
    return !flag.recurrence || recurrence_window_at(*flag.recurrence, place, t).has_value();
}

std::optional<ForceWindow> force_window(const SafetyFlag& flag, const Place& place, SystemTime t) {
    if (!in_force(flag, place, t)) return std::nullopt;
    ForceWindow out{flag.from.value_or(SystemTime::min()), flag.until};
    if (flag.recurrence) {
        const auto w = *recurrence_window_at(*flag.recurrence, place, t);
        out.start = std::max(out.start, w.open);
        out.end = flag.until ? std::min(*flag.until, w.close) : w.close;
    }
    return out;
}

std::optional<SystemTime> next_flag_change(const SafetyFlag& flag, const Place& place, SystemTime t) {
    std::vector<SystemTime> candidates;
    if (flag.from && *flag.from > t) candidates.push_back(*flag.from);
    if (flag.until && *flag.until > t) candidates.push_back(*flag.until);
    if (flag.recurrence) {
        // Window edges for a little over a week cover every weekday pattern.
        const auto today = place.local_date(std::max(t, flag.from.value_or(t)));
        for (int d = -1; d <= 8; ++d)
            if (auto w = window_opening_on(*flag.recurrence, place, today + date::days{d})) {
                if (w->open > t) candidates.push_back(w->open);
                if (w->close > t) candidates.push_back(w->close);
            }
    }
    std::sort(candidates.begin(), candidates.end());
    const bool now = in_force(flag, place, t);
    for (auto c : candidates)
        if (in_force(flag, place, c) != now) return c;
    return std::nullopt;
}

}  // namespace lykta::policy
