// HTTP request handling: raw bytes (request lines, paths, query strings, headers, JSON bodies,
// with or without a staff token) answered by the server over a small store without a socket.
// Every answer must be well-formed HTTP, and an anonymous answer must never carry the stored
// personal fields.

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include <diachi/server/server.hpp>
#include <diachi/server/tokens.hpp>
#include <diachi/tiles/renderer.hpp>

#include "fuzz_store.hpp"

namespace {

struct Fixture {
    diachi::test::TempDir dir;
    diachi::tiles::TileRenderer renderer{diachi::fuzz::shared_store()};
    std::string token;
    std::unique_ptr<diachi::server::Server> server;

    Fixture() {
        diachi::server::ServerOptions options;
        options.rate_limit = 0;
        options.tokens_file = dir / "tokens";
        token = diachi::server::TokenStore(options.tokens_file).create(diachi::server::Role::staff, "fuzz");
        server = std::make_unique<diachi::server::Server>(diachi::fuzz::shared_store(), renderer, options);
    }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static Fixture fixture;
    std::string bytes(reinterpret_cast<const char*>(data), size);
    // "@TOKEN@" in the input stands for a valid staff token, so staff routes are reached.
    const bool staff = bytes.find("@TOKEN@") != std::string::npos;
    for (std::size_t at; (at = bytes.find("@TOKEN@")) != std::string::npos;) {
        bytes.replace(at, 7, fixture.token);
    }
    const std::string out = fixture.server->answer(bytes);
    if (!out.empty() && out.rfind("HTTP/1.1 ", 0) != 0) {
        std::abort();
    }
    // Personal data to an anonymous caller (unless the caller sent those bytes itself: error
    // messages quote the input).
    for (const std::string_view secret : {std::string_view("Bí Mật"), std::string_view("0912345678")}) {
        if (!staff && out.find(secret) != std::string::npos && bytes.find(secret) == std::string::npos) {
            std::abort();
        }
    }
    return 0;
}
