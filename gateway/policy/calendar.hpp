#pragma once
// Which profile an area runs on a lighting night: the first calendar rule
// whose given conditions all hold (dates, holiday lists, weekdays, areas),
// otherwise the area's own profile. A night belongs to the date it starts on
// (Friday night's 02:00 is still "fri"): the noon-to-noon lighting night
// (place.hpp) is the unit everywhere, named by its evening's date.
// Rules are tried in order and the first match wins (TALQ's rule priority).
// A rule with `disable` ("no lighting", e.g. a summer pause) gives the
// built-in empty profile "off": dark the whole night; safety flags still apply.
#include <string>

#include "gateway/config/model.hpp"
#include "gateway/policy/place.hpp"

namespace lykta::policy {

bool date_matches(const config::DateSpec& spec, date::local_days day);
// Yearly ranges may cross the new year ("12-20..01-06").
bool date_matches(const config::DateRange& range, date::local_days day);
bool date_matches(const config::NthWeekday& nth, date::local_days day);
bool rule_matches(const config::CalendarRule& rule, const config::Schedule& schedule, const std::string& area,
                  date::local_days night);

struct ProfileChoice {
    const config::Profile* profile = nullptr;  // null when the named profile does not exist
    std::string profile_name;
    std::string rule;       // the calendar rule that chose it; empty = the area's default profile
    bool disabled = false;  // a `disable` rule: no lighting tonight (profile = the empty "off")
    bool from_calendar() const { return !rule.empty(); }
};

ProfileChoice choose_profile(const config::Schedule& schedule, const config::Area& area,
                             date::local_days night);

// The empty profile a `disable` rule runs: no steps, dark.
const config::Profile& off_profile();

const config::Profile* find_profile(const config::Schedule& schedule, const std::string& name);

}  // namespace lykta::policy
