#pragma once
// The repository's config/example.yaml, loaded once for the policy tests.
#include <catch2/catch.hpp>

#include "gateway/config/loader.hpp"

namespace lykta::policy::test {

inline const config::Config& example_config() {
    static const config::Config config = [] {
        auto result = config::load_file(std::string(LYKTA_SOURCE_DIR) + "/config/example.yaml");
        REQUIRE(result.ok());
        return *result.config;
    }();
    return config;
}

}  // namespace lykta::policy::test
