#include "output_file.hpp"

#include <fstream>
#include <iostream>

namespace lykta::ctl {

bool write_output(const std::string& out, const std::string& text) {
    if (out.empty() || out == "-") {
        std::cout << text;
        return true;
    }
    std::ofstream file(out, std::ios::binary | std::ios::trunc);
    file << text;
    file.close();
    if (!file) {
        std::cerr << "lyktactl: cannot write " << out << "\n";
        return false;
    }
    return true;
}

}  // namespace lykta::ctl
