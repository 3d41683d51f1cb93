#include "gateway/config/date_parsing.hpp"

#include "gateway/core/rfc3339.hpp"

#include <array>
#include <cctype>
#include <chrono>
#include <utility>
#include <vector>

namespace lykta::config {
namespace {

constexpr std::array<std::string_view, 7> weekday_names{"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

bool set_error(std::string* error, std::string message) {
    if (error) *error = std::move(message);
    return false;
}

bool all_digits(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s)
        if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    return true;
}

int to_int(std::string_view s) {
    int v = 0;
    for (char c : s) v = v * 10 + (c - '0');
    return v;
}

// In some year: 29 for February.
int days_in_month(int month) {
    static constexpr std::array<int, 12> days{31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return days[static_cast<std::size_t>(month - 1)];
}

bool before(const DateSpec& a, const DateSpec& b) {
    if (a.year != b.year) return a.year < b.year;
    if (a.month != b.month) return a.month < b.month;
    return a.day < b.day;
}

}  // namespace

std::optional<DateSpec> parse_date_spec(std::string_view s, std::string* error) {
    const std::string malformed = "'" + std::string(s) + "' is not a date (expected MM-DD or YYYY-MM-DD)";
    if (s.size() == 10) {                // YYYY-MM-DD: RFC 3339 section 5.6 full-date
        if (s.substr(0, 4) == "0000") {  // year 0 stands for "every year" in a DateSpec
            set_error(error, "year 0000 in '" + std::string(s) + "'");
            return std::nullopt;
        }
        std::string date_error;
        auto ymd = parse_full_date(s, &date_error);
        if (!ymd) {
            set_error(error, date_error.find(" is not a date") != std::string::npos ? malformed : date_error);
            return std::nullopt;
        }
        return DateSpec{static_cast<int>(ymd->year()), static_cast<int>(static_cast<unsigned>(ymd->month())),
                        static_cast<int>(static_cast<unsigned>(ymd->day()))};
    }
    // MM-DD, every year (not RFC 3339): 02-29 is a day of the leap years.
    if (s.size() != 5 || s[2] != '-' || !all_digits(s.substr(0, 2)) || !all_digits(s.substr(3))) {
        set_error(error, malformed);
        return std::nullopt;
    }
    DateSpec d{0, to_int(s.substr(0, 2)), to_int(s.substr(3))};
    if (d.month < 1 || d.month > 12) {
        set_error(error,
                  "'" + std::string(s) + "' has month " + std::to_string(d.month) + " (expected 01..12)");
        return std::nullopt;
    }
    if (d.day < 1 || d.day > days_in_month(d.month)) {
        set_error(error, "'" + std::string(s) + "' has no day " + std::to_string(d.day) + " in that month");
        return std::nullopt;
    }
    return d;
}

std::optional<DateRange> parse_date_range(std::string_view s, std::string* error) {
    auto dots = s.find("..");
    if (dots == std::string_view::npos) {
        auto d = parse_date_spec(s, error);
        if (!d) return std::nullopt;
        return DateRange{*d, *d};
    }
    auto first = parse_date_spec(s.substr(0, dots), error);
    if (!first) return std::nullopt;
    auto last = parse_date_spec(s.substr(dots + 2), error);
    if (!last) return std::nullopt;
    if ((first->year == 0) != (last->year == 0)) {
        set_error(error,
                  "both ends of '" + std::string(s) + "' must use the same form (MM-DD or YYYY-MM-DD)");
        return std::nullopt;
    }
    // Yearly ranges may wrap over the new year; dated ones must run forwards.
    if (first->year != 0 && before(*last, *first)) {
        set_error(error, "range '" + std::string(s) + "' ends before it starts");
        return std::nullopt;
    }
    return DateRange{*first, *last};
}

std::optional<Weekday> parse_weekday(std::string_view text) {
    for (std::size_t i = 0; i < weekday_names.size(); ++i)
        if (text == weekday_names[i]) return static_cast<Weekday>(i);
    return std::nullopt;
}

std::optional<WeekdaySet> read_weekdays(ParseContext& ctx, const YAML::Node& node, const std::string& path) {
    auto items = read_list(ctx, node, path);
    if (!node.IsSequence()) return std::nullopt;
    WeekdaySet set{};
    bool ok = true;
    for (std::size_t i = 0; i < items.size(); ++i) {
        std::string item_path = path + "[" + std::to_string(i) + "]";
        auto text = read_string(ctx, items[i], item_path);
        if (!text) {
            ok = false;
            continue;
        }
        std::string_view s = *text;
        auto dots = s.find("..");
        auto first = parse_weekday(s.substr(0, dots));
        auto last = dots == std::string_view::npos ? first : parse_weekday(s.substr(dots + 2));
        if (!first || !last) {
            ctx.error(ctx.pos(items[i]), item_path,
                      "'" + *text +
                          "' is not a weekday (use mon, tue, wed, thu, fri, sat, sun or a range mon..fri)");
            ok = false;
            continue;
        }
        // A range may wrap: "sat..mon" is sat, sun, mon.
        for (int d = static_cast<int>(*first);; d = (d + 1) % 7) {
            set[static_cast<std::size_t>(d)] = true;
            if (d == static_cast<int>(*last)) break;
        }
    }
    if (items.empty()) {
        ctx.error(ctx.pos(node), path, "list of weekdays is empty");
        return std::nullopt;
    }
    if (!ok) return std::nullopt;
    return set;
}

std::optional<DateRange> read_date_range(ParseContext& ctx, const YAML::Node& node, const std::string& path) {
    auto text = read_string(ctx, node, path);
    if (!text) return std::nullopt;
    std::string error;
    auto range = parse_date_range(*text, &error);
    if (!range) ctx.error(ctx.pos(node), path, error);
    return range;
}

std::optional<SystemTime> parse_flag_time(std::string_view s, const date::time_zone* zone, bool is_until,
                                          std::string& error) {
    if (s.size() != 10) {
        auto t = parse_rfc3339(s, &error);
        if (!t && s.size() > 10 && parse_full_date(s.substr(0, 10)))
            return std::nullopt;  // the time is wrong
        if (!t && error.find(" is not an RFC 3339 time") != std::string::npos)
            error = "'" + std::string(s) + "' is not a date (YYYY-MM-DD) or an RFC 3339 timestamp";
        return t;
    }
    auto day = parse_full_date(s, &error);
    if (!day) return std::nullopt;
    const date::local_days local_day{*day};
    auto local = date::local_seconds{local_day + date::days{is_until ? 1 : 0}};
    if (!zone) return SystemTime{local.time_since_epoch()};
    return SystemTime{zone->to_sys(local, date::choose::earliest)};
}

}  // namespace lykta::config

namespace lykta::config {
namespace {

std::string lower(std::string_view text) {
    std::string out(text);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::vector<std::string> words_of(const std::string& text) {
    std::vector<std::string> words;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && text[i] == ' ') ++i;
        std::size_t start = i;
        while (i < text.size() && text[i] != ' ') ++i;
        if (i > start) words.push_back(text.substr(start, i - start));
    }
    return words;
}

std::optional<int> ordinal_of(const std::string& word) {
    static const std::array<std::pair<const char*, int>, 11> ordinals{{{"1st", 1},
                                                                       {"2nd", 2},
                                                                       {"3rd", 3},
                                                                       {"4th", 4},
                                                                       {"5th", 5},
                                                                       {"first", 1},
                                                                       {"second", 2},
                                                                       {"third", 3},
                                                                       {"fourth", 4},
                                                                       {"fifth", 5},
                                                                       {"last", -1}}};
    for (const auto& [name, n] : ordinals)
        if (word == name) return n;
    return std::nullopt;
}

std::optional<Weekday> weekday_word(const std::string& word) {
    static const std::array<const char*, 7> full{"monday", "tuesday",  "wednesday", "thursday",
                                                 "friday", "saturday", "sunday"};
    for (std::size_t i = 0; i < full.size(); ++i)
        if (word == full[i]) return static_cast<Weekday>(i);
    return parse_weekday(word);
}

std::optional<int> month_word(const std::string& word) {
    static const std::array<const char*, 12> full{"january",   "february", "march",    "april",
                                                  "may",       "june",     "july",     "august",
                                                  "september", "october",  "november", "december"};
    for (std::size_t i = 0; i < full.size(); ++i)
        if (word == full[i] || (word.size() == 3 && std::string_view(full[i]).substr(0, 3) == word))
            return static_cast<int>(i) + 1;
    return std::nullopt;
}

}  // namespace

std::optional<NthWeekday> parse_nth_weekday(std::string_view text, std::string* error) {
    auto failed = [&](std::string message) -> std::optional<NthWeekday> {
        if (error) *error = "'" + std::string(text) + "': " + std::move(message);
        return std::nullopt;
    };
    const auto words = words_of(lower(text));
    if (words.size() != 4 || words[2] != "of")
        return failed("expected '<nth> <weekday> of <month>', e.g. 'last sunday of october'");
    const auto n = ordinal_of(words[0]);
    if (!n) return failed("'" + words[0] + "' is not an ordinal (1st..5th, first..fifth or last)");
    const auto weekday = weekday_word(words[1]);
    if (!weekday) return failed("'" + words[1] + "' is not a weekday");
    const auto month = month_word(words[3]);
    if (!month) return failed("'" + words[3] + "' is not a month");
    return NthWeekday{*n, *weekday, *month};
}

}  // namespace lykta::config
