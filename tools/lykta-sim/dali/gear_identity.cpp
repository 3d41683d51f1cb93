#include "lykta-sim/dali/gear_identity.hpp"

#include <array>
#include <cstdio>

namespace lykta::sim {
namespace {

// GS1 company prefixes of real driver and luminaire makers, product numbers invented.
constexpr std::array<std::uint64_t, 3> driver_products{405289900101ULL, 871869900202ULL, 900621000303ULL};
constexpr std::array<std::uint64_t, 2> luminaire_products{735001234500ULL, 541028800600ULL};

std::uint64_t mix(std::uint64_t x) {  // splitmix64: stable per seed and position
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

dali::SimGear::LuminaireBank luminaire_data(std::size_t index, std::uint64_t seed, double rated_w) {
    dali::SimGear::LuminaireBank l;
    l.gtin = gtin13(luminaire_products[index % luminaire_products.size()]);
    l.luminaire_id = mix(seed ^ (0x4C554D00ULL + index));
    l.year = static_cast<std::uint8_t>(19 + index % 6);
    l.week = static_cast<std::uint8_t>(1 + (index * 7) % 52);
    l.nominal_power_w = static_cast<std::uint16_t>(rated_w);
    l.light_output_lm = static_cast<std::uint32_t>(rated_w * 130);  // ~130 lm/W, a current LED street light
    l.cct_k = index % 2 ? 3000 : 2700;
    return l;
}

std::string hex16(std::uint64_t v) {
    char text[24];
    std::snprintf(text, sizeof text, "%016llX", static_cast<unsigned long long>(v));
    return text;
}

}  // namespace

std::uint64_t gtin13(std::uint64_t first12) {
    // GS1 check digit: weights 1,3,1,3... from the left over 12 digits.
    int sum = 0;
    std::uint64_t rest = first12;
    for (int position = 11; position >= 0; --position, rest /= 10)
        sum += static_cast<int>(rest % 10) * (position % 2 ? 3 : 1);
    return first12 * 10 + static_cast<std::uint64_t>((10 - sum % 10) % 10);
}

void give_identities(dali::SimBus& bus, std::uint64_t seed) {
    std::size_t index = 0;
    for (auto& g : bus.gears()) {
        g.gtin = gtin13(driver_products[index % driver_products.size()]);
        g.firmware = static_cast<std::uint16_t>(0x0100 + index % 3);
        g.serial = mix(seed * 1000003 + index) & 0x00FFFFFFFFFFFFFFULL;
        if (index % 4 != 3)
            g.bank1 = luminaire_data(index, seed, g.rated_w);
        else
            g.bank1.reset();
        ++index;
    }
}

std::optional<std::string> run_identity_command(const std::vector<std::string>& w, dali::SimBus& bus) {
    if (w.empty() || (w[0] != "swap" && w[0] != "identity?")) return std::nullopt;
    dali::SimGear* g = nullptr;
    if (w.size() > 1) try {
            g = bus.gear_at(std::stoi(w[1]));
        } catch (const std::exception&) {
        }
    if (!g) return "error: no gear at short address '" + (w.size() > 1 ? w[1] : "") + "'";
    if (w[0] == "swap") {
        // The replacement keeps the short address (the installer commissioned it there) but
        // is another device: new serial, new luminaire id, maybe another product.
        if (w.size() > 2) {
            try {
                const auto gtin = std::stoull(w[2]);
                if (gtin == 0 || gtin >= (1ULL << 48)) return "error: GTIN must fit 48 bits";
                g->gtin = gtin;
            } catch (const std::exception&) {
                return "error: '" + w[2] + "' is not a GTIN";
            }
        }
        g->serial = mix(g->serial + 0x5A5A) & 0x00FFFFFFFFFFFFFFULL;
        if (g->bank1) g->bank1->luminaire_id = mix(g->bank1->luminaire_id);
    }
    return "identity " + w[1] + " " + std::to_string(g->gtin) + " " + hex16(g->serial) + " " +
           (g->bank1 ? "bank1" : "no-bank1");
}

std::string identity_help() {
    return "swap A [GTIN], identity? A";
}

}  // namespace lykta::sim
