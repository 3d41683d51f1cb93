#pragma once
// Checks a rendered page with a real parser: libxml2's xmllint, in XML mode
// (the pages are polyglot HTML5, so they must be well-formed XML) and in HTML
// mode (where only the HTML5/SVG tags unknown to libxml2's HTML4 parser may be
// reported). `xpath` evaluates an expression on the parsed document.
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

namespace lykta::test {

class ParsedPage {
public:
    explicit ParsedPage(const std::string& html) {
        std::random_device rd;
        path_ = std::filesystem::temp_directory_path() / ("lykta-page-" + std::to_string(rd()) + ".html");
        std::ofstream(path_) << html;
    }
    ~ParsedPage() { std::filesystem::remove(path_); }
    ParsedPage(const ParsedPage&) = delete;
    ParsedPage& operator=(const ParsedPage&) = delete;

    // Empty when well-formed; otherwise xmllint's complaints.
    std::string xml_errors() const { return run("xmllint --noout '" + path_.string() + "' 2>&1"); }

    // xmllint --html errors other than unknown HTML5/SVG tag names.
    std::string html_errors() const {
        auto out = run("xmllint --html --noout '" + path_.string() + "' 2>&1");
        std::istringstream in(out);
        std::string line, bad;
        while (std::getline(in, line)) {
            if (line.find("parser error") == std::string::npos) continue;
            bool known = false;
            for (const char* tag : {"svg", "circle", "polyline", "line", "rect", "text", "main"})
                known = known || line.find(std::string("Tag ") + tag + " invalid") != std::string::npos;
            if (!known) bad += line + "\n";
        }
        return bad;
    }

    // The string value of an XPath expression (namespaces ignored via local-name()).
    std::string xpath(const std::string& expr) const {
        auto out = run("xmllint --xpath \"" + expr + "\" '" + path_.string() + "' 2>/dev/null");
        while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
        return out;
    }

private:
    static std::string run(const std::string& command) {
        std::string out;
        FILE* pipe = popen(command.c_str(), "r");
        REQUIRE(pipe);
        char buf[4096];
        while (auto n = fread(buf, 1, sizeof buf, pipe)) out.append(buf, n);
        pclose(pipe);
        return out;
    }
    std::filesystem::path path_;
};

}  // namespace lykta::test
