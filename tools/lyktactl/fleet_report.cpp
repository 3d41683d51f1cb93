#include "fleet_report.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "gateway/core/text_table.hpp"
#include "json_fields.hpp"
#include "render/html_text.hpp"

namespace lykta::ctl {
namespace {

double number(const nlohmann::json& j, const char* key) {
    return number_field(j, key);
}

// A report/get `data` in the documented shape (docs/statistics.md): `areas`, an
// array of objects each naming its area. Any other answer counts as missing.
bool usable(const PeriodAnswers& p, const std::string& gateway) {
    auto found = p.answers.find(gateway);
    if (found == p.answers.end()) return false;
    const auto* areas = field(found->second, "areas");
    if (!areas || !areas->is_array()) return false;
    return std::all_of(areas->begin(), areas->end(),
                       [](const nlohmann::json& a) { return !text_field(a, "area").empty(); });
}

nlohmann::json optional_number(std::optional<double> v) {
    return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

const char* const figure_names[] = {"lit_hours",        "safety_hours",
                                    "safety_extra_kwh", "availability_flagged_pct",
                                    "faults_raised",    "mttr_hours"};

struct Sums {
    std::map<std::string, ReportFigures> by_row;    // "gateway/area"
    std::map<std::string, ReportFigures> by_focus;  // focus name
    std::map<std::string, ReportFigures> by_month;  // "YYYY-MM"
    ReportFigures town;
};

Sums sum(const PeriodAnswers& p, const std::map<std::string, std::string>& focus_of) {
    Sums s;
    for (const auto& [gateway, data] : p.answers) {
        if (!usable(p, gateway)) continue;
        for (const auto& area : data["areas"]) {
            const auto key = gateway + "/" + area["area"].get<std::string>();
            const auto total = object_field(area, "total");
            s.by_row[key].add(total);
            s.town.add(total);
            if (auto f = focus_of.find(key); f != focus_of.end()) s.by_focus[f->second].add(total);
            for (const auto& e : array_field(area, "series"))
                if (const auto month = text_field(e, "period").substr(0, 7); !month.empty())
                    s.by_month[month].add(e);
        }
    }
    return s;
}

nlohmann::json change(const nlohmann::json& now, const nlohmann::json& before) {
    nlohmann::json out = nlohmann::json::object();
    for (const char* name : figure_names) {
        if (!now[name].is_number() || !before[name].is_number()) {
            out[name] = nullptr;
            continue;
        }
        const double a = now[name].get<double>(), b = before[name].get<double>();
        out[name] = {{"delta", a - b},
                     {"pct", b != 0 ? nlohmann::json((a - b) / b * 100) : nlohmann::json(nullptr)}};
    }
    return out;
}

std::string cell(const nlohmann::json& v, int decimals = 1) {
    return v.is_number() ? fixed(v.get<double>(), decimals) : std::string("-");
}

}  // namespace

void ReportFigures::add(const nlohmann::json& e) {
    if (!e.is_object() || !bool_field(e, "recorded", true)) return;
    const double flagged = number(e, "flagged_hours"), repaired = number(e, "repairs");
    lit_hours += number(e, "lit_hours");
    safety_hours += number(e, "safety_hours");
    flagged_hours += flagged;
    energy_kwh += number(e, "energy_kwh");
    safety_extra_kwh += number(e, "safety_extra_kwh");
    available_flagged_hours += number(e, "availability_flagged_pct") * flagged / 100;
    faults_raised += number(e, "faults_raised");
    repairs += repaired;
    repair_hours += number(e, "mttr_hours") * repaired;
}

void ReportFigures::add(const ReportFigures& o) {
    lit_hours += o.lit_hours;
    safety_hours += o.safety_hours;
    flagged_hours += o.flagged_hours;
    energy_kwh += o.energy_kwh;
    safety_extra_kwh += o.safety_extra_kwh;
    available_flagged_hours += o.available_flagged_hours;
    faults_raised += o.faults_raised;
    repairs += o.repairs;
    repair_hours += o.repair_hours;
}

std::optional<double> ReportFigures::availability_flagged_pct() const {
    if (flagged_hours <= 0) return std::nullopt;
    return available_flagged_hours / flagged_hours * 100;
}

std::optional<double> ReportFigures::mttr_hours() const {
    if (repairs <= 0) return std::nullopt;
    return repair_hours / repairs;
}

nlohmann::json ReportFigures::to_json() const {
    return {{"lit_hours", lit_hours},
            {"safety_hours", safety_hours},
            {"flagged_hours", flagged_hours},
            {"energy_kwh", energy_kwh},
            {"safety_extra_kwh", safety_extra_kwh},
            {"availability_flagged_pct", optional_number(availability_flagged_pct())},
            {"faults_raised", faults_raised},
            {"repairs", repairs},
            {"mttr_hours", optional_number(mttr_hours())}};
}

nlohmann::json TownReport::to_json() const {
    const auto now = sum(period, focus_of);
    const auto before = compare ? sum(*compare, focus_of) : Sums{};
    auto side_by_side = [&](const std::map<std::string, ReportFigures>& a,
                            const std::map<std::string, ReportFigures>& b, const char* key_name) {
        std::set<std::string> keys;
        for (const auto& [k, _] : a) keys.insert(k);
        for (const auto& [k, _] : b) keys.insert(k);
        nlohmann::json rows = nlohmann::json::array();
        for (const auto& k : keys) {
            nlohmann::json row{{key_name, k}};
            row["period"] = a.count(k) ? a.at(k).to_json() : ReportFigures{}.to_json();
            if (compare) {
                row["compare"] = b.count(k) ? b.at(k).to_json() : ReportFigures{}.to_json();
                row["change"] = change(row["period"], row["compare"]);
            }
            rows.push_back(std::move(row));
        }
        return rows;
    };
    nlohmann::json out{{"from", period.from}, {"to", period.to}};
    if (compare) out["compare_from"] = compare->from, out["compare_to"] = compare->to;
    nlohmann::json town{{"period", now.town.to_json()}};
    if (compare)
        town["compare"] = before.town.to_json(), town["change"] = change(town["period"], town["compare"]);
    out["town"] = town;
    out["focus_areas"] = side_by_side(now.by_focus, before.by_focus, "focus_area");
    out["areas"] = side_by_side(now.by_row, before.by_row, "gateway_area");
    out["months"] = nlohmann::json::array();
    for (const auto& [month, f] : now.by_month)
        out["months"].push_back({{"month", month}, {"period", f.to_json()}});
    if (compare) {
        out["compare_months"] = nlohmann::json::array();
        for (const auto& [month, f] : before.by_month)
            out["compare_months"].push_back({{"month", month}, {"period", f.to_json()}});
    }
    // Missing gateways are listed, never silently left out.
    nlohmann::json missing = nlohmann::json::array();
    for (const auto& g : gateways) {
        const bool in_period = usable(period, g);
        const bool in_compare = !compare || usable(*compare, g);
        // An answer that came but is not in report/get's shape is shown as such.
        const bool bad =
            (!in_period && period.answers.count(g)) || (!in_compare && compare->answers.count(g));
        if (!in_period || !in_compare)
            missing.push_back(
                {{"gateway", g}, {"period", in_period}, {"compare", in_compare}, {"bad_answer", bad}});
    }
    // report/get gives each area's availability as a percentage without its
    // luminaire-hours, so sums over areas can only weight it by flagged area-hours
    // (docs/operations.md, "fleet report"): an area of 3 lamps counts like one of 30.
    out["availability_weighting"] = "flagged area-hours";
    out["gateways"] = gateways.size();
    out["missing"] = missing;
    out["missing_share_pct"] = gateways.empty() ? 0.0 : 100.0 * missing.size() / gateways.size();
    return out;
}

std::string town_report_csv(const nlohmann::json& r) {
    const bool compare = r.contains("compare_from");
    std::vector<std::string> header{"scope", "name"};
    for (const char* f : figure_names) {
        header.push_back(f);
        if (compare)
            header.push_back(std::string(f) + "_compare"), header.push_back(std::string(f) + "_change");
    }
    std::string out = csv_line(header);
    auto line = [&](const std::string& scope, const std::string& name, const nlohmann::json& row) {
        std::vector<std::string> fields{scope, name};
        for (const char* f : figure_names) {
            fields.push_back(cell(row["period"][f], 3));
            if (compare) {
                fields.push_back(cell(row["compare"][f], 3));
                const auto& c = row["change"][f];
                fields.push_back(c.is_object() ? cell(c["delta"], 3) : "");
            }
        }
        out += csv_line(fields);
    };
    line("town", "all", r["town"]);
    for (const auto& row : r["focus_areas"]) line("focus_area", row["focus_area"], row);
    for (const auto& row : r["areas"]) line("gateway_area", row["gateway_area"], row);
    for (const auto& m : r["missing"])
        out += csv_line(
            {m.value("bad_answer", false) ? "bad_answer" : "missing", m["gateway"].get<std::string>()});
    return out;
}

namespace {

// Monthly bars, period (dark) beside comparison (light), one small SVG per figure.
std::string month_plot(const nlohmann::json& r, const char* figure, const std::string& label) {
    std::vector<std::pair<std::string, double>> now, before;
    for (const auto& m : r["months"])
        now.emplace_back(m["month"], m["period"][figure].is_number() ? m["period"][figure].get<double>() : 0);
    if (r.contains("compare_months"))
        for (const auto& m : r["compare_months"])
            before.emplace_back(m["month"],
                                m["period"][figure].is_number() ? m["period"][figure].get<double>() : 0);
    const std::size_t n = std::max(now.size(), before.size());
    if (n == 0) return "";
    double top = 0;
    for (const auto& [_, v] : now) top = std::max(top, v);
    for (const auto& [_, v] : before) top = std::max(top, v);
    if (top <= 0) top = 1;
    const double bar = 14, gap = 10, height = 160, left = 50;
    const double width = left + n * (2 * bar + gap) + 10;
    std::string out = "<h3>" + html_escape(label) +
                      "</h3>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + fixed(width, 0) +
                      "\" height=\"" + fixed(height + 40, 0) + "\" role=\"img\" aria-label=\"" +
                      html_escape(label) + "\">\n";
    out += "<text x=\"0\" y=\"12\" font-size=\"10\">" + fixed(top, 1) + "</text>\n";
    for (std::size_t i = 0; i < n; ++i) {
        const double x = left + i * (2 * bar + gap);
        auto draw = [&](const std::vector<std::pair<std::string, double>>& s, double dx, const char* colour) {
            if (i >= s.size()) return;
            const double h = s[i].second / top * height;
            out += "<rect class=\"bar\" data-month=\"" + s[i].first + "\" data-value=\"" +
                   fixed(s[i].second, 3) + "\" x=\"" + fixed(x + dx, 1) + "\" y=\"" +
                   fixed(10 + height - h, 1) + "\" width=\"" + fixed(bar, 0) + "\" height=\"" + fixed(h, 1) +
                   "\" fill=\"" + colour + "\"><title>" + s[i].first + ": " + fixed(s[i].second, 1) +
                   "</title></rect>\n";
        };
        draw(now, 0, "#1565c0");
        draw(before, bar, "#90caf9");
        const auto& name = i < now.size() ? now[i].first : before[i].first;
        out += "<text x=\"" + fixed(x, 1) + "\" y=\"" + fixed(height + 28, 0) + "\" font-size=\"9\">" +
               name.substr(2) + "</text>\n";
    }
    return out + "</svg>\n";
}

std::string table_html(const nlohmann::json& rows, const char* key, const char* title, bool compare) {
    static const char* labels[] = {"Lit h",
                                   "Safety h",
                                   "Extra kWh for safety",
                                   "Availability while flagged % (area-hour weighted)",
                                   "Faults raised",
                                   "MTTR h"};
    std::string out = "<h2>" + std::string(title) + "</h2>\n<table>\n<tr><th>" + key + "</th>";
    for (const char* l : labels) {
        out += "<th>" + std::string(l) + "</th>";
        if (compare) out += "<th>before</th><th>change</th>";
    }
    out += "</tr>\n";
    for (const auto& row : rows) {
        out += "<tr><td>" + html_escape(row[key].get<std::string>()) + "</td>";
        for (const char* f : figure_names) {
            out += "<td class=\"num\">" + cell(row["period"][f]) + "</td>";
            if (compare) {
                const auto& c = row["change"][f];
                out += "<td class=\"num\">" + cell(row["compare"][f]) + "</td><td class=\"num\">" +
                       (c.is_object() ? (c["delta"].get<double>() >= 0 ? "+" : "") + cell(c["delta"]) +
                                            (c["pct"].is_number() ? " (" + cell(c["pct"], 0) + " %)" : "")
                                      : "-") +
                       "</td>";
            }
        }
        out += "</tr>\n";
    }
    return out + "</table>\n";
}

}  // namespace

std::string town_report_html(const nlohmann::json& r, const std::string& title) {
    const bool compare = r.contains("compare_from");
    std::string out = html_page_start(title);
    out += "<h1>" + html_escape(title) + "</h1>\n<p>Period " + r["from"].get<std::string>() + " to " +
           r["to"].get<std::string>();
    if (compare)
        out += ", compared with " + r["compare_from"].get<std::string>() + " to " +
               r["compare_to"].get<std::string>();
    out += ". " + std::to_string(r["gateways"].get<int>()) + " gateway(s).</p>\n";
    if (!r["missing"].empty()) {
        out += "<p class=\"missing\"><strong>" + std::to_string(r["missing"].size()) + " gateway(s) (" +
               fixed(r["missing_share_pct"].get<double>(), 1) +
               " %) did not answer, or answered in a shape this lyktactl cannot read, and are not in "
               "the figures:</strong>";
        for (const auto& m : r["missing"])
            out += " " + html_escape(m["gateway"].get<std::string>()) +
                   (m.value("bad_answer", false) ? " (bad answer)" : "");
        out += "</p>\n";
    }
    nlohmann::json town = nlohmann::json::array({r["town"]});
    town[0]["scope"] = "Town";
    out += table_html(town, "scope", "The town", compare);
    if (!r["focus_areas"].empty()) out += table_html(r["focus_areas"], "focus_area", "Focus areas", compare);
    out += "<h2>Per month</h2>\n";
    out += month_plot(r, "lit_hours", "Lit hours");
    out += month_plot(r, "safety_hours", "Safety hours");
    out += month_plot(r, "safety_extra_kwh", "Extra energy for safety (kWh)");
    out += month_plot(r, "faults_raised", "Faults raised");
    out += table_html(r["areas"], "gateway_area", "Per gateway and area", compare);
    return out + html_page_end();
}

}  // namespace lykta::ctl
