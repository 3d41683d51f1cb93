#include "render/html_text.hpp"

#include <cstdio>

namespace lykta::ctl {

std::string html_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string fixed(double value, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
    return buf;
}

std::string html_page_start(std::string_view title, std::string_view extra_css) {
    std::string out =
        "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n"
        "<meta charset=\"utf-8\"/>\n<title>" +
        html_escape(title) +
        "</title>\n<style>\n"
        "body{font-family:sans-serif;margin:1.5em;color:#222}\n"
        "table{border-collapse:collapse;margin:0.5em 0 1.5em}\n"
        "th,td{border:1px solid #bbb;padding:0.25em 0.6em;text-align:left}\n"
        "th{background:#eee}\n"
        "td.num{text-align:right}\n"
        ".critical{background:#f8d0d0}.major{background:#fde3c8}.minor{background:#fff5c0}\n";
    out += extra_css;
    out += "</style>\n</head>\n<body>\n";
    return out;
}

std::string html_page_end() {
    return "</body>\n</html>\n";
}

}  // namespace lykta::ctl
