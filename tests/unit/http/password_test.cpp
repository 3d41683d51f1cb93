#include <catch2/catch.hpp>

#include "gateway/http/password_hash.hpp"

using namespace lykta::http;

TEST_CASE("password: yescrypt hashes verify the right password only") {
    auto hash = hash_password("lamp post 42");
    CHECK(hash.rfind("$y$", 0) == 0);  // crypt(5): yescrypt's prefix
    CHECK(verify_password("lamp post 42", hash));
    CHECK_FALSE(verify_password("lamp post 43", hash));
    CHECK_FALSE(verify_password("", hash));
    // A fresh salt each time: the same password never gives the same line.
    CHECK(hash_password("lamp post 42") != hash);
}

TEST_CASE("password: malformed hashes are refused, not thrown") {
    CHECK_FALSE(verify_password("x", ""));
    CHECK_FALSE(verify_password("x", "plain"));
    CHECK_FALSE(verify_password("x", "$y$"));
    CHECK_FALSE(verify_password("x", "$unknown$abc"));
    CHECK_FALSE(verify_password("lykta decoy: no user has this password", "*"));
    CHECK(verify_password("lykta decoy: no user has this password", decoy_hash()));
}
