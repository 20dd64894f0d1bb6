#ifndef DIACHI_SERVER_CONTEXT_HPP
#define DIACHI_SERVER_CONTEXT_HPP

// What the route handlers share: the registry and its renderer, the tile and resolve caches, tokens,
// metrics, the archives (replaced whole on reload) and the glyphs.

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include <diachi/server/glyphs.hpp>
#include <diachi/server/metrics.hpp>
#include <diachi/server/server.hpp>
#include <diachi/server/tokens.hpp>
#include <diachi/store/registry.hpp>
#include <diachi/tiles/archive.hpp>
#include <diachi/tiles/renderer.hpp>
#include <diachi/tiles/tile_cache.hpp>

#include "response_cache.hpp"
#include "router.hpp"

namespace diachi::server::detail {

using Archives = std::map<std::string, std::shared_ptr<const tiles::ArchiveReader>, std::less<>>;

struct Context {
    Context(store::Registry& registry_, const tiles::TileRenderer& renderer_, ServerOptions options_);

    store::Registry& registry;
    const tiles::TileRenderer& renderer;
    ServerOptions options;
    tiles::TileCache cache;
    ResponseCache answers;  // anonymous resolves
    std::optional<TokenStore> tokens;
    std::unique_ptr<GlyphSet> glyphs;  // null without fonts
    Router router;
    std::unique_ptr<Metrics> metrics;  // made once every route is added

    /// The archives now (a snapshot: a reload does not disturb requests in flight).
    [[nodiscard]] std::shared_ptr<const Archives> archives() const;
    /// Opens every archive of the options again. Throws std::runtime_error naming a bad file.
    void reload_archives();

private:
    mutable std::mutex m_archives_mutex;
    std::shared_ptr<const Archives> m_archives = std::make_shared<const Archives>();
};

/// The routes of each part.
void add_api_routes(Context& context);
void add_tile_routes(Context& context);
void add_web_routes(Context& context);

}  // namespace diachi::server::detail

#endif  // DIACHI_SERVER_CONTEXT_HPP
