#include "gateway/policy/calendar.hpp"

#include <algorithm>
#include <tuple>

namespace lykta::policy {
namespace {

std::tuple<int, unsigned> month_day(const config::DateSpec& d) {
    return {d.month, static_cast<unsigned>(d.day)};
}

}  // namespace

bool date_matches(const config::DateSpec& spec, date::local_days day) {
    const date::year_month_day ymd{day};
    if (spec.year != 0 && static_cast<int>(ymd.year()) != spec.year) return false;
    return static_cast<unsigned>(ymd.month()) == static_cast<unsigned>(spec.month) &&
           static_cast<unsigned>(ymd.day()) == static_cast<unsigned>(spec.day);
}

bool date_matches(const config::DateRange& range, date::local_days day) {
    const date::year_month_day ymd{day};
    if (range.first.year != 0) {  // a dated range runs forwards (validated by the loader)
        const auto first =
            date::local_days{date::year{range.first.year} / range.first.month / range.first.day};
        const auto last = date::local_days{date::year{range.last.year} / range.last.month / range.last.day};
        return first <= day && day <= last;
    }
    const std::tuple<int, unsigned> md{static_cast<int>(static_cast<unsigned>(ymd.month())),
                                       static_cast<unsigned>(ymd.day())};
    const auto first = month_day(range.first);
    const auto last = month_day(range.last);
    if (first <= last) return first <= md && md <= last;
    return md >= first || md <= last;  // crosses the new year
}

bool date_matches(const config::NthWeekday& nth, date::local_days day) {
    const date::year_month_day ymd{day};
    if (static_cast<unsigned>(ymd.month()) != static_cast<unsigned>(nth.month)) return false;
    if (weekday_of(day) != nth.weekday) return false;
    const unsigned d = static_cast<unsigned>(ymd.day());
    if (nth.n > 0) return (d - 1) / 7 + 1 == static_cast<unsigned>(nth.n);
    const auto last_day = static_cast<unsigned>((ymd.year() / ymd.month() / date::last).day());
    return d + 7 > last_day;  // the last one: no same weekday later this month
}

bool rule_matches(const config::CalendarRule& rule, const config::Schedule& schedule, const std::string& area,
                  date::local_days night) {
    if (!rule.areas.empty() && std::find(rule.areas.begin(), rule.areas.end(), area) == rule.areas.end())
        return false;
    if (rule.weekdays && !(*rule.weekdays)[static_cast<std::size_t>(weekday_of(night))]) return false;
    if (!rule.dates.empty() && std::none_of(rule.dates.begin(), rule.dates.end(),
                                            [&](const auto& r) { return date_matches(r, night); }))
        return false;
    if (!rule.nth.empty() &&
        std::none_of(rule.nth.begin(), rule.nth.end(), [&](const auto& n) { return date_matches(n, night); }))
        return false;
    if (!rule.holidays.empty()) {
        const bool holiday =
            std::any_of(rule.holidays.begin(), rule.holidays.end(), [&](const std::string& name) {
                auto list = schedule.holidays.find(name);
                return list != schedule.holidays.end() &&
                       std::any_of(list->second.begin(), list->second.end(),
                                   [&](const auto& d) { return date_matches(d, night); });
            });
        if (!holiday) return false;
    }
    return true;
}

const config::Profile& off_profile() {
    static const config::Profile off{"off", {}, std::nullopt};
    return off;
}

const config::Profile* find_profile(const config::Schedule& schedule, const std::string& name) {
    for (const auto& p : schedule.profiles)
        if (p.name == name) return &p;
    return nullptr;
}

ProfileChoice choose_profile(const config::Schedule& schedule, const config::Area& area,
                             date::local_days night) {
    for (const auto& rule : schedule.calendar)
        if (rule_matches(rule, schedule, area.id, night)) {
            if (rule.disable) return {&off_profile(), "off", rule.name, true};
            return {find_profile(schedule, rule.profile), rule.profile, rule.name};
        }
    return {find_profile(schedule, area.profile), area.profile, {}};
}

}  // namespace lykta::policy
