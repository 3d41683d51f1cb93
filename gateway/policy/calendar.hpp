#pragma once
// Which profile an area runs on a lighting night: the first calendar rule
// whose given conditions all hold (dates, holiday lists, weekdays, areas),
// otherwise the area's own profile. A night belongs to the date it starts on
// (Friday night's 02:00 is still "fri").
#include <string>

#include "gateway/config/model.hpp"
#include "gateway/policy/place.hpp"

namespace lykta::policy {

bool date_matches(const config::DateSpec& spec, date::local_days day);
// Yearly ranges may cross the new year ("12-20..01-06").
bool date_matches(const config::DateRange& range, date::local_days day);
bool rule_matches(const config::CalendarRule& rule, const config::Schedule& schedule, const std::string& area,
                  date::local_days night);

struct ProfileChoice {
    const config::Profile* profile = nullptr;  // null when the named profile does not exist
    std::string profile_name;
    std::string rule;  // the calendar rule that chose it; empty = the area's default profile
    bool from_calendar() const { return !rule.empty(); }
};

ProfileChoice choose_profile(const config::Schedule& schedule, const config::Area& area,
                             date::local_days night);

const config::Profile* find_profile(const config::Schedule& schedule, const std::string& name);

}  // namespace lykta::policy
