#ifndef DIACHI_TILES_TILE_CACHE_HPP
#define DIACHI_TILES_TILE_CACHE_HPP

/// @file
/// Rendered tiles kept gzipped in memory, bounded in bytes (least recently used go first), and
/// dropped exactly when the registry changes under them: registering, moving or retiring a
/// household drops the cached tiles whose drawing read its old or new location (the tile's
/// buffered box, widened to the cluster cells the tile was drawn with), at every zoom, and no
/// other tile.
///
/// A render that started before a change may finish after it; put() then refuses its tile
/// (every put carries the generation it started at), so a stale tile is never cached.

#include <cstdint>
#include <memory>
#include <string>

#include <diachi/lat_lng.hpp>
#include <diachi/tiles/layers.hpp>
#include <diachi/tiles/renderer.hpp>
#include <diachi/tiles/tile_id.hpp>

namespace diachi::tiles {

/// A tile as served: gzipped MVT (empty for a tile with nothing in it) and its entity tag.
struct CachedTile {
    std::string gzipped;
    /// A strong HTTP entity tag of the content, quoted: "\"3f2a...\"".
    std::string etag;
    /// The uncompressed size.
    std::size_t raw_bytes = 0;
    /// The cluster cell the households were drawn with (0 at full detail).
    std::uint32_t cluster_cell = 0;

    [[nodiscard]] bool empty() const noexcept { return raw_bytes == 0; }
};

/// A strong HTTP entity tag of @p data, quoted: 16 hex digits of its 64-bit FNV-1a hash.
[[nodiscard]] std::string entity_tag(std::string_view data);

/// Builds a CachedTile from an uncompressed tile (gzip level 6, the entity tag of the bytes).
[[nodiscard]] CachedTile make_cached_tile(const std::string& raw, std::uint32_t cluster_cell);

struct TileCacheOptions {
    /// Bytes of gzipped tiles (and their bookkeeping) held at most. Default 256 MiB; 0 keeps
    /// nothing.
    std::size_t max_bytes = std::size_t{256} << 20;
};

/// Counters since the cache was made.
struct TileCacheStats {
    std::uint64_t hits = 0;
    std::uint64_t misses = 0;
    std::uint64_t invalidated = 0;  ///< tiles dropped because households changed
    std::uint64_t evicted = 0;      ///< tiles dropped to stay within max_bytes
    std::uint64_t refused = 0;      ///< renders that finished after a change and were not kept
    std::size_t entries = 0;
    std::size_t bytes = 0;
};

class TileCache {
public:
    /// A cache of @p renderer's tiles, listening to its registry's changes (both must outlive
    /// the cache).
    explicit TileCache(const TileRenderer& renderer, TileCacheOptions options = {});
    ~TileCache();
    TileCache(const TileCache&) = delete;
    TileCache& operator=(const TileCache&) = delete;

    /// The cached tile, or nullptr.
    [[nodiscard]] std::shared_ptr<const CachedTile> find(TileId tile, LayerSet layers);

    /// The generation to hand to put() for a render that starts now.
    [[nodiscard]] std::uint64_t generation() const;

    /// Keeps @p value unless households changed since @p generation. Returns whether it was kept.
    bool put(TileId tile, LayerSet layers, std::shared_ptr<const CachedTile> value,
             std::uint64_t generation);

    /// The tile from the cache, or rendered, gzipped and kept. Thread-safe; throws what
    /// TileRenderer::render() throws. @p rendered, when given, tells whether it was drawn now.
    [[nodiscard]] std::shared_ptr<const CachedTile> get(TileId tile, LayerSet layers,
                                                        bool* rendered = nullptr);

    /// Drops the tiles of every layer set with households whose drawing read @p point.
    /// Returns how many were dropped. Called by the registry's change listener.
    std::size_t invalidate(LatLngE7 point);

    /// Drops everything (e.g. when the zones are replaced).
    void clear();

    [[nodiscard]] TileCacheStats stats() const;

private:
    struct Impl;
    const TileRenderer& m_renderer;
    std::unique_ptr<Impl> m_impl;
    std::uint64_t m_subscription = 0;
};

}  // namespace diachi::tiles

#endif  // DIACHI_TILES_TILE_CACHE_HPP
