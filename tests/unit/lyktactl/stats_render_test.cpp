#include <catch2/catch.hpp>

#include <sstream>

#include "gateway/stats/stats_report.hpp"
#include "html_check.hpp"
#include "render/stats_render.hpp"

using namespace lykta;
using namespace lykta::stats;
using namespace lykta::ctl;

namespace {

DayFigures day(double lit_h, double kwh, bool metered, double safety_h, double req_h, double ok_h) {
    DayFigures f;
    f.lit_s = lit_h * 3600;
    f.estimated_wh = kwh * 1000;
    f.metered = metered;
    f.metered_wh = metered ? kwh * 1100 : 0;
    f.safety_s = f.flagged_s = safety_h * 3600;
    f.required_lum_s = req_h * 3600;
    f.lit_ok_lum_s = ok_h * 3600;
    return f;
}

nlohmann::json sample_report() {
    std::vector<DayRow> rows{
        {"park", *parse_day("2026-09-10"), day(12, 1.0, false, 0, 0, 0)},
        {"park", *parse_day("2026-10-10"), day(13, 1.5, false, 4, 8, 6)},
        {"park", *parse_day("2026-11-10"), day(15, 2.0, false, 8, 16, 16)},
        {"torget,\"n\"", *parse_day("2026-11-11"), day(15, 3.0, true, 0, 0, 0)},
    };
    ReportQuery q{
        *parse_day("2026-09-01"), *parse_day("2026-11-30"), {"park", "torget,\"n\""}, Granularity::month};
    return build_report(rows, q, "Europe/Stockholm");
}

std::vector<std::string> lines(const std::string& text) {
    std::istringstream in(text);
    std::vector<std::string> out;
    for (std::string l; std::getline(in, l);) out.push_back(l);
    return out;
}

}  // namespace

TEST_CASE("monthly report JSON shape", "[stats][report]") {
    auto rep = sample_report();
    CHECK(rep["granularity"] == "month");
    REQUIRE(rep["areas"].size() == 2);
    const auto& park = rep["areas"][0];
    REQUIRE(park["series"].size() == 3);
    CHECK(park["series"][1]["period"] == "2026-10");
    CHECK(park["series"][1]["availability_flagged_pct"] == Approx(75));
    CHECK(park["total"]["availability_flagged_pct"] == Approx(100.0 * 22 / 24));
    CHECK(park["total"]["energy_kwh"] == Approx(4.5));
    CHECK(park["total"]["energy_source"] == "estimated");
    const auto& torget = rep["areas"][1];
    CHECK(torget["series"][0]["recorded"] == false);
    CHECK(torget["series"][0]["energy_source"].is_null());
    CHECK(torget["series"][2]["energy_kwh"] == Approx(3.3));
    CHECK(torget["series"][2]["energy_source"] == "metered");
    for (const auto* key : {"period", "recorded", "lit_hours", "safety_hours", "flagged_hours", "burn_hours",
                            "energy_kwh", "energy_source", "estimated_kwh", "metered_kwh", "safety_extra_kwh",
                            "availability_flagged_pct", "faults_raised", "repairs", "mttr_hours"})
        CHECK(park["series"][0].contains(key));
}

TEST_CASE("stats CSV: one row per area and period, quoted where needed", "[stats][render]") {
    auto csv = lines(stats_csv(sample_report()));
    REQUIRE(csv.size() == 1 + 3 + 3);
    CHECK(
        csv[0] ==
        "area,period,lit_hours,safety_hours,flagged_hours,burn_hours,energy_kwh,energy_source,estimated_kwh,"
        "metered_kwh,"
        "safety_extra_kwh,availability_flagged_pct,faults_raised,repairs,mttr_hours");
    CHECK(csv[2] == "park,2026-10,13.000,4.000,4.000,0.000,1.500,estimated,1.500,,0.000,75.000,0,0,");
    CHECK(csv[4].rfind("\"torget,\"\"n\"\"\",2026-09,", 0) == 0);
    for (const auto& l : csv) {
        auto commas = std::count(l.begin(), l.end(), ',');
        CHECK(commas - (l.find("torget,") != std::string::npos ? 1 : 0) == 14);
    }
}

TEST_CASE("stats HTML is valid and plots every area's monthly series", "[stats][render][html]") {
    auto html = stats_html(sample_report(), "gw1");
    test::ParsedPage page(html);
    CHECK(page.xml_errors() == "");
    CHECK(page.html_errors() == "");
    CHECK(page.xpath("count(//*[local-name()='svg'][@class='chart'])") == "5");
    // energy chart: park has a line through 3 months, torget one point
    CHECK(page.xpath(
              "count(//*[local-name()='svg'][@data-figure='energy_kwh']/*[local-name()='polyline'])") == "2");
    CHECK(page.xpath("count(//*[local-name()='svg'][@data-figure='energy_kwh']/*[local-name()='circle'])") ==
          "4");
    // tables: 3 months + total per area
    CHECK(page.xpath("count(//*[local-name()='table'][@data-area='park']//*[local-name()='tbody']/*)") ==
          "4");
    CHECK(page.xpath(
              "string(//*[local-name()='table'][@data-area='park']//*[local-name()='tbody']/*[4]/*[1])") ==
          "total");
    CHECK(html.find("src=") == std::string::npos);
}
