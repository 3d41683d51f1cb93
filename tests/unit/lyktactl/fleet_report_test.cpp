// The town-wide report's figures from report/get answers in the documented
// shape (docs/statistics.md, `report/get`, granularity month), with totals
// computed by hand in the comments.
#include <catch2/catch.hpp>

#include "fleet_report.hpp"

using lykta::ctl::PeriodAnswers;
using lykta::ctl::TownReport;

namespace {

nlohmann::json entry(const char* period, double lit, double safety, double extra, nlohmann::json avail,
                     double faults, double repairs, nlohmann::json mttr, bool recorded = true) {
    return {{"period", period},          {"recorded", recorded},
            {"lit_hours", lit},          {"safety_hours", safety},
            {"flagged_hours", safety},   {"energy_kwh", lit / 2},
            {"safety_extra_kwh", extra}, {"availability_flagged_pct", avail},
            {"faults_raised", faults},   {"repairs", repairs},
            {"mttr_hours", mttr}};
}

nlohmann::json area(const char* id, nlohmann::json series, nlohmann::json total) {
    return {{"area", id}, {"series", std::move(series)}, {"total", std::move(total)}};
}

TownReport recorded() {
    TownReport r;
    r.gateways = {"gw-a", "gw-b", "gw-c"};
    r.period = PeriodAnswers{"2026-10-01", "2026-12-31", {}};
    r.period.answers["gw-a"] = {{"areas",
                                 {area("torget",
                                       {entry("2026-10", 40, 4, 1, 100.0, 1, 1, 5.0),
                                        entry("2026-11", 60, 6, 1, nlohmann::json(83.3333333333), 1, 1, 5.0),
                                        entry("2026-12", 999, 0, 0, nullptr, 0, 0, nullptr, false)},
                                       entry("total", 100, 10, 2, 90.0, 2, 2, 5.0)),
                                  area("hamnen", {entry("2026-10", 80, 0, 0, nullptr, 1, 0, nullptr)},
                                       entry("total", 80, 0, 0, nullptr, 1, 0, nullptr))}}};
    r.period.answers["gw-b"] = {{"areas",
                                 {area("torget", {entry("2026-11", 120, 30, 6, 50.0, 0, 1, 11.0)},
                                       entry("total", 120, 30, 6, 50.0, 0, 1, 11.0))}}};
    PeriodAnswers before{"2025-10-01", "2025-12-31", {}};
    before.answers["gw-a"] = {{"areas",
                               {area("torget", {entry("2025-10", 90, 5, 1, 100.0, 4, 4, 2.0)},
                                     entry("total", 90, 5, 1, 100.0, 4, 4, 2.0))}}};
    r.compare = before;
    r.focus_of = {{"gw-a/torget", "Stationen"}, {"gw-b/torget", "Stationen"}};
    return r;
}

}  // namespace

TEST_CASE("fleet report: town totals, weighted means, change and missing gateways") {
    const auto j = recorded().to_json();
    const auto& town = j["town"]["period"];
    CHECK(town["lit_hours"].get<double>() == Approx(300));       // 100 + 80 + 120
    CHECK(town["safety_hours"].get<double>() == Approx(40));     // 10 + 0 + 30
    CHECK(town["safety_extra_kwh"].get<double>() == Approx(8));  // 2 + 0 + 6
    CHECK(town["faults_raised"].get<double>() == Approx(3));     // 2 + 1 + 0
    // Availability while flagged, weighted by flagged hours: (90 % × 10 h + 50 % × 30 h) / 40 h = 60 %.
    CHECK(town["availability_flagged_pct"].get<double>() == Approx(60));
    // report/get carries no luminaire-hours, so the report says how it weighted.
    CHECK(j["availability_weighting"] == "flagged area-hours");
    CHECK(lykta::ctl::town_report_html(j, "t").find("(area-hour weighted)") != std::string::npos);
    // Mean time to repair, weighted by repairs: (5 h × 2 + 11 h × 1) / 3 = 7 h.
    CHECK(town["mttr_hours"].get<double>() == Approx(7));

    const auto& change = j["town"]["change"];
    CHECK(change["lit_hours"]["delta"].get<double>() == Approx(210));  // 300 - 90
    CHECK(change["lit_hours"]["pct"].get<double>() == Approx(233.333).epsilon(1e-4));
    CHECK(change["faults_raised"]["delta"].get<double>() == Approx(-1));  // 3 - 4
    CHECK(change["mttr_hours"]["delta"].get<double>() == Approx(5));      // 7 - 2

    REQUIRE(j["focus_areas"].size() == 1);
    const auto& focus = j["focus_areas"][0];
    CHECK(focus["focus_area"] == "Stationen");
    CHECK(focus["period"]["lit_hours"].get<double>() == Approx(220));  // 100 + 120
    CHECK(focus["period"]["availability_flagged_pct"].get<double>() == Approx(60));
    CHECK(focus["compare"]["lit_hours"].get<double>() == Approx(90));

    REQUIRE(j["areas"].size() == 3);
    CHECK(j["areas"][0]["gateway_area"] == "gw-a/hamnen");
    CHECK(j["areas"][0]["period"]["availability_flagged_pct"].is_null());  // never flagged
    CHECK(j["areas"][0]["period"]["mttr_hours"].is_null());                // nothing repaired

    // Months: 2026-10 = 40 + 80, 2026-11 = 60 + 120; an unrecorded month counts nothing.
    REQUIRE(j["months"].size() == 3);
    CHECK(j["months"][0]["month"] == "2026-10");
    CHECK(j["months"][0]["period"]["lit_hours"].get<double>() == Approx(120));
    CHECK(j["months"][1]["period"]["lit_hours"].get<double>() == Approx(180));
    CHECK(j["months"][2]["period"]["lit_hours"].get<double>() == Approx(0));

    // gw-b did not answer for the comparison period, gw-c not at all: 2 of 3.
    REQUIRE(j["missing"].size() == 2);
    CHECK(j["missing"][0] ==
          nlohmann::json{{"gateway", "gw-b"}, {"period", true}, {"compare", false}, {"bad_answer", false}});
    CHECK(j["missing"][1]["gateway"] == "gw-c");
    CHECK(j["missing_share_pct"].get<double>() == Approx(66.667).epsilon(1e-4));
}

TEST_CASE("fleet report: CSV and HTML carry the same figures and the missing gateways") {
    const auto j = recorded().to_json();
    const auto csv = lykta::ctl::town_report_csv(j);
    CHECK(csv.rfind("scope,name,lit_hours,lit_hours_compare,lit_hours_change,", 0) == 0);
    CHECK(csv.find("\ntown,all,300.000,90.000,210.000,40.000,") != std::string::npos);
    CHECK(csv.find("\nfocus_area,Stationen,220.000,90.000,130.000,") != std::string::npos);
    CHECK(csv.find("\nmissing,gw-c\n") != std::string::npos);
    const auto html = lykta::ctl::town_report_html(j, "Båstad");
    CHECK(html.find("2 gateway(s) (66.7 %) did not answer") != std::string::npos);
    CHECK(html.find("data-month=\"2026-11\" data-value=\"180.000\"") != std::string::npos);
    CHECK(html.find("<script") == std::string::npos);
    CHECK(html.find("https://") == std::string::npos);
}
