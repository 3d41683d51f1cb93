#pragma once
// Small text pieces for the self-contained report pages. The pages are
// polyglot HTML5 (also well-formed XML), so both an HTML parser and an XML
// parser accept them and tests can check them strictly.
#include <string>
#include <string_view>

namespace lykta::ctl {

// Escapes &, <, >, " and ' for element text and attribute values.
std::string html_escape(std::string_view text);

// "12.3" with `decimals` places, no locale.
std::string fixed(double value, int decimals);

// <!DOCTYPE html> … <body>, with the page's own stylesheet inline.
std::string html_page_start(std::string_view title, std::string_view extra_css = {});
std::string html_page_end();

}  // namespace lykta::ctl
