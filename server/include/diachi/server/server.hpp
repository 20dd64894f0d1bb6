#ifndef DIACHI_SERVER_SERVER_HPP
#define DIACHI_SERVER_SERVER_HPP

/// @file
/// The HTTP server (Boost.Beast on Asio): vector tiles from the live registry and from PMTiles or
/// MBTiles archives, the JSON API (resolve, reverse, where, search, suggest, QR codes, household
/// registration and changes), the map page and its fonts, health and Prometheus metrics.
/// See docs/server.md for every route, its answers and its errors.
///
/// Every connection reads one request at a time (pipelined requests wait in its buffer), within
/// limits on header and body size, URL length and the time a request may take to arrive: a
/// slow client is cut off without holding up anyone else. stop() closes the listener and lets
/// requests in flight finish.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <diachi/server/tokens.hpp>
#include <diachi/tiles/renderer.hpp>
#include <diachi/tiles/tile_cache.hpp>

namespace diachi::store {
class Registry;
}

namespace diachi::server {

/// How the server listens, what it limits and where its files are.
struct ServerOptions {
    /// Address to listen on. Default 127.0.0.1 (loopback only).
    std::string bind = "127.0.0.1";
    /// Port; 0 lets the operating system pick one (see Server::port()). Default 8080.
    std::uint16_t port = 8080;
    /// Threads serving requests. Default 0: one per core.
    unsigned threads = 0;

    /// Bytes of request headers accepted. Default 8 KiB; more gets 431.
    std::size_t max_header_bytes = 8 * 1024;
    /// Bytes of a request body accepted. Default 64 KiB; more gets 413.
    std::size_t max_body_bytes = 64 * 1024;
    /// Characters of a request target (path and query). Default 2048; more gets 414.
    std::size_t max_url_bytes = 2048;
    /// Time a request may take to arrive, and an idle keep-alive connection may stay open.
    /// Default 10 s.
    std::chrono::milliseconds request_timeout{10'000};
    /// Requests a second each client address may make (a token bucket refilled at this rate,
    /// holding twice as many). Default 500; 0 turns the limit off.
    double rate_limit = 500.0;

    /// Cache-Control of tiles from the live registry. Default "no-cache": clients keep tiles but
    /// ask again each time (a 304 when the tile's entity tag is unchanged), so a household
    /// registered a moment ago is on the map at once.
    std::string tile_cache_control = "no-cache";
    /// Cache-Control of archive tiles, fonts and the page's static files. Default one day.
    std::string static_cache_control = "public, max-age=86400";
    /// Gzipped tiles kept in memory.
    tiles::TileCacheOptions tile_cache;
    /// Bytes of whole resolve answers kept for anonymous callers, valid until the next write to
    /// the registry. Default 16 MiB; 0 keeps none.
    std::size_t resolve_cache_bytes = std::size_t{16} << 20;
    /// For a registry that follows a primary (RegistryOptions::follower_dir): how often to catch
    /// up with it; the tile cache is emptied when something changed. 0: never.
    std::chrono::milliseconds follow_interval{0};

    /// PMTiles or MBTiles archives served at /archives/{name}/..., {name} being the file's stem.
    std::vector<std::filesystem::path> archives;
    /// The map page's files (index.html, app.js, ...). Empty: the page is not served.
    std::filesystem::path web_root;
    /// MapLibre GL JS's dist/ directory (from npm). Empty: not served.
    std::filesystem::path maplibre_dist;
    /// Font files (TrueType/OpenType) glyphs are made from, by family name, e.g.
    /// {"Noto Sans Regular", "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf"}.
    std::vector<std::pair<std::string, std::filesystem::path>> fonts;
    /// Where staff tokens are kept (see TokenStore). Empty: no token is accepted.
    std::filesystem::path tokens_file;
    /// Where POST /v1/backup (admin) writes checkpoints of the store. Empty: no backups.
    std::filesystem::path backup_dir;
};

/// A route the server answers, as documentation and tests see it.
struct RouteInfo {
    std::string name;     ///< its label in the metrics, e.g. "resolve"
    std::string methods;  ///< e.g. "GET" or "PATCH"
    std::string pattern;  ///< e.g. "/v1/codes/{}/qr.svg"; "{}" stands for a path segment's value
    std::string access;   ///< "anyone", "staff" or "admin"
};

class Server {
public:
    /// A server over @p registry (which must outlive it) with its tile renderer. Opens the
    /// archives and fonts; throws std::runtime_error naming a file that cannot be read.
    Server(store::Registry& registry, const tiles::TileRenderer& renderer, ServerOptions options);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    /// Binds and starts serving on background threads. Throws std::runtime_error naming the
    /// address when it cannot bind.
    void start();

    /// The port listened on (after start()).
    [[nodiscard]] std::uint16_t port() const noexcept;

    /// Stops accepting, lets requests in flight finish (up to @p grace), closes every
    /// connection and joins the threads. Safe to call more than once.
    void stop(std::chrono::milliseconds grace = std::chrono::milliseconds{5000});

    /// Blocks until stop() has been called and has finished (from another thread or a signal).
    void wait();

    /// Opens the archives again (after they were replaced on disk).
    void reload_archives();

    [[nodiscard]] const ServerOptions& options() const noexcept;

    /// Every route, in the order they are matched.
    [[nodiscard]] std::vector<RouteInfo> routes() const;

    /// What a connection would send back for @p bytes, without one: each request in @p bytes
    /// in turn (as pipelined) is answered, until one ends the connection or the bytes run out;
    /// a request cut short gets no answer (a connection would wait for the rest). Whether or
    /// not start() was called. For tests and fuzzing; @p client is the caller's address.
    [[nodiscard]] std::string answer(std::string_view bytes, const std::string& client = "127.0.0.1");

private:
    friend class Session;  // a connection (src/server.cpp)
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace diachi::server

#endif  // DIACHI_SERVER_SERVER_HPP
