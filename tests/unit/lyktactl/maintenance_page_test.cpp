#include <catch2/catch.hpp>

#include "gateway/faults/maintenance_data.hpp"
#include "gateway/faults/time_text.hpp"
#include "html_check.hpp"
#include "render/maintenance_page.hpp"

using namespace lykta;
using namespace lykta::faults;
using namespace lykta::ctl;

namespace {

// Count of elements by local name, e.g. rows of the table with id "faults".
std::string count(const test::ParsedPage& page, const std::string& path) {
    return page.xpath("count(" + path + ")");
}

struct Fixture {
    store::Database db{":memory:"};
    ManualClock clock{from_unix_seconds(1'795'000'000)};
    FaultBook book{db, clock, settings(), {}};
    config::Config cfg;

    static FaultSettings settings() {
        FaultSettings s;
        for (auto kind : all_kinds) s.debounce.set(kind, {1, 1});
        return s;
    }

    Fixture() {
        cfg.areas.push_back({"torget", "Torget & <Hamn>", "", "", {}, std::nullopt, std::nullopt});
        for (int i = 1; i <= 4; ++i) {
            config::Luminaire l;
            l.id = "L-" + std::to_string(i);
            l.bus = "bus1";
            l.address = i;
            l.area = "torget";
            l.location = {59.30 + i * 0.001, 18.00 + i * 0.001, "Storgatan " + std::to_string(i), i != 4};
            cfg.luminaires.push_back(l);
        }
        auto t = clock.now();
        book.observe({t, FaultKind::door_open, "cabinet/io1", "torget", true, "door <open>"});
        book.observe(
            {t + std::chrono::seconds(5), FaultKind::lamp_failure, "luminaire/L-2", "torget", true, ""});
        book.observe(
            {t + std::chrono::seconds(9), FaultKind::night_outage, "luminaire/L-3", "torget", true, ""});
        book.acknowledge("F-2", "Anna \"the crew\"", "ladder");
    }
};

}  // namespace

TEST_CASE("faults table lists severity first with location and bus address", "[faults][render]") {
    Fixture f;
    auto data = maintenance_data(f.book, f.cfg);
    auto table = faults_table(data["faults"]);
    std::istringstream in(table);
    std::vector<std::string> lines;
    for (std::string l; std::getline(in, l);) lines.push_back(l);
    REQUIRE(lines.size() == 4);
    CHECK(lines[0].rfind("SEVERITY", 0) == 0);
    CHECK(lines[1].rfind("critical", 0) == 0);
    CHECK(lines[1].find("L-3") != std::string::npos);
    CHECK(lines[1].find("Storgatan 3") != std::string::npos);
    CHECK(lines[1].find("bus1/3") != std::string::npos);
    CHECK(lines[2].find("lamp_failure") != std::string::npos);
    CHECK(lines[2].find("yes (Anna") != std::string::npos);
    CHECK(lines[3].rfind("minor", 0) == 0);
    CHECK(faults_table(nlohmann::json::array()) == "No faults.\n");
}

TEST_CASE("maintenance page is valid HTML with the expected rows", "[faults][render][html]") {
    Fixture f;
    auto html = maintenance_page(maintenance_data(f.book, f.cfg), "Gateway <1>");
    CHECK(html.find("http://") == html.find("http://www.w3.org"));  // no external assets
    CHECK(html.find("src=") == std::string::npos);
    test::ParsedPage page(html);
    CHECK(page.xml_errors() == "");
    CHECK(page.html_errors() == "");
    CHECK(count(page, "//*[@id='faults']//*[local-name()='tbody']/*[local-name()='tr']") == "3");
    auto cell = [&](int row, int col) {
        return page.xpath("string(//*[@id='faults']//*[local-name()='tbody']/*[local-name()='tr'][" +
                          std::to_string(row) + "]/*[local-name()='td'][" + std::to_string(col) + "])");
    };
    CHECK(cell(1, 1) == "critical");
    CHECK(cell(1, 3) == "L-3");
    CHECK(cell(1, 4) == "Storgatan 3");
    CHECK(cell(1, 5) == "bus1/3");
    CHECK(cell(1, 6) == "night_outage");
    CHECK(cell(2, 6) == "lamp_failure");
    CHECK(cell(2, 8) == "yes (Anna \"the crew\")");
    CHECK(cell(3, 9) == "door <open>");
    // the map: three located luminaires, coloured by state
    CHECK(count(page, "//*[local-name()='circle'][@class='lum']") == "3");
    CHECK(page.xpath("string(//*[local-name()='circle'][@data-id='L-3']/@data-state)") == "critical");
    CHECK(page.xpath("string(//*[local-name()='circle'][@data-id='L-1']/@data-state)") == "ok");
    CHECK(html.find("1 luminaire(s) without coordinates") != std::string::npos);
    // availability: 2 of 4 dark (lamp failure, night outage)
    CHECK(page.xpath("string(//*[@id='areas']//*[local-name()='tbody']/*[local-name()='tr'][1]/"
                     "*[local-name()='td'][5])") == "50.0 %");
    CHECK(page.xpath("string(//*[@id='areas']//*[local-name()='td'][2])") == "Torget & <Hamn>");
}

TEST_CASE("the page checker rejects broken markup", "[faults][render][html]") {
    test::ParsedPage page(
        "<!DOCTYPE html>\n<html><body><table><tr><td>x</td></table><p>&bogus</p></body></html>\n");
    CHECK(page.xml_errors() != "");
    CHECK(page.html_errors() != "");
}
