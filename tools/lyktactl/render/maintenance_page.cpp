#include "render/maintenance_page.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

#include "render/html_text.hpp"

namespace lykta::ctl {
namespace {

int severity_rank(const nlohmann::json& fault) {
    auto s = fault.value("severity", "");
    return s == "critical" ? 0 : s == "major" ? 1 : s == "minor" ? 2 : 3;
}

// Most severe first, then oldest (RFC 3339 in UTC sorts as text).
std::vector<nlohmann::json> sorted(const nlohmann::json& faults) {
    std::vector<nlohmann::json> out;
    if (faults.is_array()) out.assign(faults.begin(), faults.end());
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
        if (severity_rank(a) != severity_rank(b)) return severity_rank(a) < severity_rank(b);
        return a.value("since", "") < b.value("since", "");
    });
    return out;
}

std::string text(const nlohmann::json& j, const char* key) {
    if (!j.contains(key) || j[key].is_null()) return "";
    return j[key].is_string() ? j[key].get<std::string>() : j[key].dump();
}

struct Columns {
    std::string severity, id, target, street, bus, kind, since, ack, detail;
};

Columns columns(const nlohmann::json& f) {
    Columns c;
    c.severity = text(f, "severity");
    c.id = text(f, "id");
    c.target = text(f, "target");
    static const std::string prefix = "luminaire/";
    if (c.target.compare(0, prefix.size(), prefix) == 0) c.target = c.target.substr(prefix.size());
    if (f.contains("location") && f["location"].is_object()) c.street = text(f["location"], "street");
    if (f.contains("bus")) c.bus = text(f, "bus") + "/" + text(f, "address");
    c.kind = text(f, "kind");
    c.since = text(f, "since");
    if (f.value("acknowledged", false)) {
        c.ack = "yes";
        if (!text(f, "acknowledged_by").empty()) c.ack += " (" + text(f, "acknowledged_by") + ")";
    } else {
        c.ack = "no";
    }
    if (!text(f, "cleared").empty()) c.ack += ", cleared " + text(f, "cleared");
    c.detail = text(f, "detail");
    if (!text(f, "note").empty())
        c.detail += (c.detail.empty() ? "" : "; ") + std::string("note: ") + text(f, "note");
    return c;
}

const char* state_colour(const std::string& state) {
    if (state == "critical") return "#c62828";
    if (state == "major") return "#ef6c00";
    if (state == "minor") return "#f9a825";
    return "#2e7d32";
}

}  // namespace

std::vector<nlohmann::json> most_severe_first(const nlohmann::json& faults) {
    return sorted(faults);
}

std::string luminaire_map_svg(const nlohmann::json& luminaires) {
    std::vector<const nlohmann::json*> located;
    int hidden = 0;
    if (luminaires.is_array())
        for (const auto& l : luminaires) {
            if (l.value("located", false))
                located.push_back(&l);
            else
                ++hidden;
        }
    std::string out = "<h2>Map</h2>\n";
    if (located.empty()) return out + "<p>No luminaire has coordinates in the configuration.</p>\n";
    double min_lat = 90, max_lat = -90, min_lon = 180, max_lon = -180;
    for (const auto* l : located) {
        double lat = l->value("lat", 0.0), lon = l->value("lon", 0.0);
        min_lat = std::min(min_lat, lat), max_lat = std::max(max_lat, lat);
        min_lon = std::min(min_lon, lon), max_lon = std::max(max_lon, lon);
    }
    // Equirectangular: a degree of longitude is cos(lat) as long as one of latitude.
    double kx = std::cos((min_lat + max_lat) / 2 * std::numbers::pi / 180);
    double span = std::max({(max_lon - min_lon) * kx, max_lat - min_lat, 1e-6});
    const double size = 600, margin = 20;
    double scale = (size - 2 * margin) / span;
    double width = (max_lon - min_lon) * kx * scale + 2 * margin;
    double height = (max_lat - min_lat) * scale + 2 * margin;
    out += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + fixed(width, 0) + "\" height=\"" +
           fixed(height, 0) + "\" viewBox=\"0 0 " + fixed(width, 0) + " " + fixed(height, 0) +
           "\" role=\"img\" aria-label=\"luminaire map\">\n"
           "<rect x=\"0\" y=\"0\" width=\"" +
           fixed(width, 0) + "\" height=\"" + fixed(height, 0) + "\" fill=\"#f4f4f0\" stroke=\"#999\"/>\n";
    // Healthy first so faulty luminaires are drawn on top.
    std::stable_sort(located.begin(), located.end(), [](auto* a, auto* b) {
        return (a->value("state", "ok") == "ok") > (b->value("state", "ok") == "ok");
    });
    for (const auto* l : located) {
        double x = margin + (l->value("lon", 0.0) - min_lon) * kx * scale;
        double y = margin + (max_lat - l->value("lat", 0.0)) * scale;
        auto state = l->value("state", "ok");
        out += "<circle class=\"lum\" data-id=\"" + html_escape(text(*l, "id")) + "\" data-state=\"" +
               html_escape(state) + "\" cx=\"" + fixed(x, 1) + "\" cy=\"" + fixed(y, 1) + "\" r=\"" +
               (state == "ok" ? "5" : "7") + "\" fill=\"" + state_colour(state) +
               "\" stroke=\"#000\"><title>" +
               html_escape(text(*l, "id") + " " + text(*l, "street") + ": " + state) + "</title></circle>\n";
    }
    out += "</svg>\n<p>";
    for (const char* s : {"ok", "minor", "major", "critical"})
        out += "<span style=\"color:" + std::string(state_colour(s)) + "\">&#9679;</span> " + s + " &#160; ";
    out += "</p>\n";
    if (hidden)
        out += "<p>" + std::to_string(hidden) + " luminaire(s) without coordinates are not on the map.</p>\n";
    return out;
}

std::string faults_table(const nlohmann::json& faults) {
    std::vector<Columns> rows;
    for (const auto& f : sorted(faults)) rows.push_back(columns(f));
    if (rows.empty()) return "No faults.\n";
    Columns head{"SEVERITY", "ID", "LUMINAIRE", "STREET", "BUS/ADDR", "KIND", "SINCE", "ACKNOWLEDGED", ""};
    auto fields = [](const Columns& c) {
        return std::vector<std::string>{c.severity, c.id, c.target, c.street, c.bus, c.kind, c.since, c.ack};
    };
    std::vector<std::size_t> width(8, 0);
    for (const auto& c : rows)
        for (std::size_t i = 0; i < 8; ++i) width[i] = std::max(width[i], fields(c)[i].size());
    for (std::size_t i = 0; i < 8; ++i) width[i] = std::max(width[i], fields(head)[i].size());
    std::string out;
    auto line = [&](const Columns& c) {
        auto f = fields(c);
        std::string l;
        for (std::size_t i = 0; i < 8; ++i) {
            l += f[i];
            if (i + 1 < 8) l += std::string(width[i] - f[i].size() + 2, ' ');
        }
        while (!l.empty() && l.back() == ' ') l.pop_back();
        out += l + "\n";
    };
    line(head);
    for (const auto& c : rows) line(c);
    return out;
}

std::string maintenance_page(const nlohmann::json& report, const std::string& gateway_name) {
    auto title = "Maintenance report: " + gateway_name;
    std::string out = html_page_start(title);
    out += "<h1>" + html_escape(title) + "</h1>\n<p>Generated " + html_escape(text(report, "ts")) + "</p>\n";

    auto faults = sorted(report.value("faults", nlohmann::json::array()));
    out += "<h2>Active faults (" + std::to_string(faults.size()) + ")</h2>\n";
    if (faults.empty()) {
        out += "<p>No active faults.</p>\n";
    } else {
        out +=
            "<table "
            "id=\"faults\">\n<thead><tr><th>Severity</th><th>Fault</th><th>Luminaire</th><th>Street</th>"
            "<th>Bus/address</th><th>Kind</th><th>Since</th><th>Acknowledged</th><th>Detail</th></tr></"
            "thead>\n"
            "<tbody>\n";
        for (const auto& f : faults) {
            auto c = columns(f);
            out += "<tr class=\"" + html_escape(c.severity) + "\">";
            for (const auto* v :
                 {&c.severity, &c.id, &c.target, &c.street, &c.bus, &c.kind, &c.since, &c.ack, &c.detail})
                out += "<td>" + html_escape(*v) + "</td>";
            out += "</tr>\n";
        }
        out += "</tbody>\n</table>\n";
    }

    out += luminaire_map_svg(report.value("luminaires", nlohmann::json::array()));

    out +=
        "<h2>Lamp availability per area</h2>\n<table id=\"areas\">\n<thead><tr><th>Area</th><th>Name</th>"
        "<th>Luminaires</th><th>Dark</th><th>Available</th><th>Safety flag</th></tr></thead>\n<tbody>\n";
    for (const auto& a : report.value("areas", nlohmann::json::array())) {
        out += "<tr><td>" + html_escape(text(a, "id")) + "</td><td>" + html_escape(text(a, "name")) +
               "</td><td class=\"num\">" + std::to_string(a.value("luminaires", 0)) +
               "</td><td class=\"num\">" + std::to_string(a.value("dark", 0)) + "</td><td class=\"num\">" +
               fixed(a.value("availability_pct", 0.0), 1) + " %</td><td>" +
               (a.value("safety", false) ? "in force" : "") + "</td></tr>\n";
    }
    out += "</tbody>\n</table>\n";
    return out + html_page_end();
}

}  // namespace lykta::ctl
