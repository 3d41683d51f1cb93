#include "render/stats_render.hpp"

#include <algorithm>
#include <vector>

#include "render/html_text.hpp"

namespace lykta::ctl {
namespace {

const char* csv_columns[] = {
    "lit_hours",     "safety_hours",  "flagged_hours", "burn_hours",       "energy_kwh",
    "energy_source", "estimated_kwh", "metered_kwh",   "safety_extra_kwh", "availability_flagged_pct",
    "faults_raised", "repairs",       "mttr_hours"};

std::string cell(const nlohmann::json& v) {
    if (v.is_null()) return "";
    if (v.is_string()) return v.get<std::string>();
    if (v.is_number_integer()) return std::to_string(v.get<std::int64_t>());
    if (v.is_number()) return fixed(v.get<double>(), 3);
    return v.dump();
}

// CSV field quoting (RFC 4180): quote when it holds a comma, quote or newline.
std::string csv_field(const std::string& s) {
    if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

const char* palette[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd",
                         "#ff7f0e", "#8c564b", "#e377c2", "#17becf"};

struct Chart {
    const char* key;
    const char* title;
    const char* unit;
};

const Chart charts[] = {
    {"energy_kwh", "Energy", "kWh"},
    {"safety_hours", "Hours under the safety profile", "h"},
    {"availability_flagged_pct", "Luminaire availability during flagged hours", "%"},
    {"lit_hours", "Lit hours", "h"},
    {"faults_raised", "Faults raised", ""},
};

// One line per area over the periods; null figures and unrecorded periods break the line.
std::string chart_svg(const nlohmann::json& areas, const Chart& chart) {
    const double w = 640, h = 220, left = 56, right = 12, top = 12, bottom = 40;
    std::size_t n = 0;
    double max = 0;
    for (const auto& a : areas) {
        n = std::max(n, a["series"].size());
        for (const auto& p : a["series"])
            if (p.contains(chart.key) && p[chart.key].is_number())
                max = std::max(max, p[chart.key].get<double>());
    }
    if (max <= 0) max = 1;
    auto x = [&](std::size_t i) {
        return left + (n <= 1 ? (w - left - right) / 2 : i * (w - left - right) / (n - 1));
    };
    auto y = [&](double v) { return top + (h - top - bottom) * (1 - v / max); };

    std::string out =
        "<h3>" + html_escape(chart.title) + (chart.unit[0] ? std::string(" (") + chart.unit + ")" : "") +
        "</h3>\n<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" data-figure=\"" + chart.key +
        "\" width=\"" + fixed(w, 0) + "\" height=\"" + fixed(h, 0) + "\" viewBox=\"0 0 " + fixed(w, 0) + " " +
        fixed(h, 0) + "\" role=\"img\" aria-label=\"" + html_escape(chart.title) + "\">\n";
    out += "<line x1=\"" + fixed(left, 0) + "\" y1=\"" + fixed(y(0), 1) + "\" x2=\"" + fixed(w - right, 0) +
           "\" y2=\"" + fixed(y(0), 1) + "\" stroke=\"#555\"/>\n";
    out += "<line x1=\"" + fixed(left, 0) + "\" y1=\"" + fixed(top, 0) + "\" x2=\"" + fixed(left, 0) +
           "\" y2=\"" + fixed(y(0), 1) + "\" stroke=\"#555\"/>\n";
    out += "<text x=\"" + fixed(left - 4, 0) + "\" y=\"" + fixed(top + 4, 0) +
           "\" font-size=\"11\" text-anchor=\"end\">" + fixed(max, max < 10 ? 1 : 0) + "</text>\n";
    out += "<text x=\"" + fixed(left - 4, 0) + "\" y=\"" + fixed(y(0), 1) +
           "\" font-size=\"11\" text-anchor=\"end\">0</text>\n";
    if (n > 0) {
        const auto& labels = areas[0]["series"];
        std::size_t step = std::max<std::size_t>(1, n / 8);
        for (std::size_t i = 0; i < n; i += step)
            out += "<text x=\"" + fixed(x(i), 1) + "\" y=\"" + fixed(h - bottom + 16, 0) +
                   "\" font-size=\"11\" text-anchor=\"middle\">" +
                   html_escape(labels[i].value("period", "")) + "</text>\n";
    }
    std::size_t colour = 0;
    for (const auto& a : areas) {
        const char* stroke = palette[colour++ % std::size(palette)];
        std::string points;
        auto flush = [&] {
            if (!points.empty())
                out += "<polyline fill=\"none\" stroke-width=\"2\" stroke=\"" + std::string(stroke) +
                       "\" points=\"" + points + "\"/>\n";
            points.clear();
        };
        const auto& series = a["series"];
        for (std::size_t i = 0; i < series.size(); ++i) {
            const auto& v = series[i][chart.key];
            if (!v.is_number() || !series[i].value("recorded", true)) {  // no data is a gap, not a zero
                flush();
                continue;
            }
            points += (points.empty() ? "" : " ") + fixed(x(i), 1) + "," + fixed(y(v.get<double>()), 1);
            out += "<circle cx=\"" + fixed(x(i), 1) + "\" cy=\"" + fixed(y(v.get<double>()), 1) +
                   "\" r=\"3\" fill=\"" + stroke + "\"><title>" +
                   html_escape(a.value("area", "") + " " + series[i].value("period", "") + ": " + cell(v)) +
                   "</title></circle>\n";
        }
        flush();
    }
    out += "</svg>\n<p>";
    colour = 0;
    for (const auto& a : areas)
        out += "<span style=\"color:" + std::string(palette[colour++ % std::size(palette)]) +
               "\">&#9632;</span> " + html_escape(a.value("area", "")) + " &#160; ";
    return out + "</p>\n";
}

}  // namespace

std::string stats_csv(const nlohmann::json& report) {
    std::string out = "area,period";
    for (const char* c : csv_columns) out += std::string(",") + c;
    out += "\n";
    for (const auto& a : report.value("areas", nlohmann::json::array())) {
        for (const auto& p : a.value("series", nlohmann::json::array())) {
            out += csv_field(a.value("area", "")) + "," + csv_field(p.value("period", ""));
            for (const char* c : csv_columns) out += "," + csv_field(cell(p.value(c, nlohmann::json())));
            out += "\n";
        }
    }
    return out;
}

std::string stats_html(const nlohmann::json& report, const std::string& gateway_name) {
    auto title = "Lighting statistics: " + gateway_name;
    std::string out = html_page_start(title, "svg.chart{display:block;margin:0.5em 0}\n");
    out += "<h1>" + html_escape(title) + "</h1>\n<p>Lighting days " + html_escape(report.value("from", "")) +
           " to " + html_escape(report.value("to", "")) + " (noon to noon, " +
           html_escape(report.value("timezone", "")) + "), by " +
           html_escape(report.value("granularity", "")) + ".</p>\n";
    auto areas = report.value("areas", nlohmann::json::array());
    out += "<h2>Development over time</h2>\n";
    for (const auto& chart : charts) out += chart_svg(areas, chart);

    out += "<h2>Figures</h2>\n";
    for (const auto& a : areas) {
        out +=
            "<h3>Area " + html_escape(a.value("area", "")) + "</h3>\n<table class=\"series\" data-area=\"" +
            html_escape(a.value("area", "")) +
            "\">\n<thead><tr><th>Period</th><th>Lit h</th><th>Safety h</th><th>Energy kWh</th><th>Source</th>"
            "<th>Safety extra kWh</th><th>Availability (flagged) %</th><th>Faults</th><th>MTTR h</th></tr>"
            "</thead>\n<tbody>\n";
        auto rows = a.value("series", nlohmann::json::array());
        if (a.contains("total")) rows.push_back(a["total"]);
        for (const auto& p : rows) {
            out += "<tr><td>" + html_escape(p.value("period", "")) + "</td>";
            for (const char* key : {"lit_hours", "safety_hours", "energy_kwh"})
                out += "<td class=\"num\">" + html_escape(cell(p.value(key, nlohmann::json()))) + "</td>";
            out += "<td>" + html_escape(cell(p.value("energy_source", nlohmann::json()))) + "</td>";
            for (const char* key :
                 {"safety_extra_kwh", "availability_flagged_pct", "faults_raised", "mttr_hours"})
                out += "<td class=\"num\">" + html_escape(cell(p.value(key, nlohmann::json()))) + "</td>";
            out += "</tr>\n";
        }
        out += "</tbody>\n</table>\n";
    }
    return out + html_page_end();
}

}  // namespace lykta::ctl
