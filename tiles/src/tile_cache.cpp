#include <diachi/tiles/tile_cache.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <list>
#include <mutex>
#include <unordered_map>
#include <vector>

#include <diachi/store/registry.hpp>
#include <diachi/tiles/gzip.hpp>

namespace diachi::tiles {

namespace {

/// FNV-1a, 64 bits: a stable hash of the content for its entity tag.
std::uint64_t fnv1a(std::string_view data) noexcept {
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    for (const char c : data) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 0x100000001b3ULL;
    }
    return hash;
}

/// One number per (layer set, tile): the layer bits above the PMTiles id (which is below 2^46
/// for zoom 22).
std::uint64_t cache_key(TileId tile, LayerSet layers) noexcept {
    return (static_cast<std::uint64_t>(layers.bits()) << 50) | pmtiles_id(tile);
}

/// Bytes an entry costs beyond its tile: the map node, the list node, the shared block.
constexpr std::size_t entry_overhead = 160;

}  // namespace

CachedTile make_cached_tile(const std::string& raw, std::uint32_t cluster_cell) {
    CachedTile tile;
    tile.raw_bytes = raw.size();
    tile.cluster_cell = cluster_cell;
    if (!raw.empty()) {
        gzip(raw, &tile.gzipped);
    }
    tile.etag = entity_tag(raw);
    return tile;
}

std::string entity_tag(std::string_view data) {
    static constexpr char hex[] = "0123456789abcdef";
    std::uint64_t hash = fnv1a(data);
    std::string tag(18, '"');
    for (int i = 16; i >= 1; --i, hash >>= 4) {
        tag[static_cast<std::size_t>(i)] = hex[hash & 15];
    }
    return tag;
}

struct TileCache::Impl {
    struct Entry {
        std::shared_ptr<const CachedTile> tile;
        std::list<std::uint64_t>::iterator recency;  // in lru, most recent first
        std::size_t bytes = 0;
    };

    TileCacheOptions options;
    std::uint32_t extent = 4096;
    std::uint32_t buffer = 64;

    mutable std::mutex mutex;
    std::unordered_map<std::uint64_t, Entry> entries;
    std::list<std::uint64_t> lru;
    std::uint64_t generation = 0;
    /// The layer sets with households that have tiles in the cache.
    std::vector<LayerSet> household_sets;
    /// The largest cluster cell of a cached tile, per zoom (for the search margin).
    std::array<std::uint32_t, max_zoom + 1> max_cell{};
    TileCacheStats stats;

    void erase(std::unordered_map<std::uint64_t, Entry>::iterator it) {
        stats.bytes -= it->second.bytes;
        lru.erase(it->second.recency);
        entries.erase(it);
    }

    /// Whether drawing @p tile with @p cell read the point at (@p px, @p py), global tile units.
    [[nodiscard]] bool reads(TileId tile, std::uint32_t cell, double px, double py) const {
        const double e = extent;
        double lo_x = tile.x * e - buffer;
        double hi_x = (tile.x + 1.0) * e + buffer;
        double lo_y = tile.y * e - buffer;
        double hi_y = (tile.y + 1.0) * e + buffer;
        if (cell != 0) {  // the renderer widens its box to whole cluster cells
            lo_x = std::floor(lo_x / cell) * cell;
            lo_y = std::floor(lo_y / cell) * cell;
            hi_x = std::ceil(hi_x / cell) * cell;
            hi_y = std::ceil(hi_y / cell) * cell;
        }
        return lo_x <= px && px <= hi_x && lo_y <= py && py <= hi_y;
    }
};

TileCache::TileCache(const TileRenderer& renderer, TileCacheOptions options)
    : m_renderer(renderer), m_impl(std::make_unique<Impl>()) {
    m_impl->options = options;
    m_impl->extent = renderer.options().extent;
    m_impl->buffer = renderer.options().buffer;
    m_subscription =
        renderer.registry().subscribe([this](std::span<const store::MapChange> changes) {
            for (const auto& change : changes) {
                if (change.before) {
                    invalidate(*change.before);
                }
                if (change.after) {
                    invalidate(*change.after);
                }
            }
        });
}

TileCache::~TileCache() { m_renderer.registry().unsubscribe(m_subscription); }

std::shared_ptr<const CachedTile> TileCache::find(TileId tile, LayerSet layers) {
    std::lock_guard lock(m_impl->mutex);
    const auto it = m_impl->entries.find(cache_key(tile, layers));
    if (it == m_impl->entries.end()) {
        ++m_impl->stats.misses;
        return nullptr;
    }
    ++m_impl->stats.hits;
    m_impl->lru.splice(m_impl->lru.begin(), m_impl->lru, it->second.recency);
    return it->second.tile;
}

std::uint64_t TileCache::generation() const {
    std::lock_guard lock(m_impl->mutex);
    return m_impl->generation;
}

bool TileCache::put(TileId tile, LayerSet layers, std::shared_ptr<const CachedTile> value,
                    std::uint64_t generation) {
    const std::size_t bytes = value->gzipped.size() + value->etag.size() + entry_overhead;
    std::lock_guard lock(m_impl->mutex);
    Impl& impl = *m_impl;
    if (generation != impl.generation && layers.contains(Layer::households)) {
        ++impl.stats.refused;
        return false;
    }
    if (bytes > impl.options.max_bytes) {
        return false;
    }
    const std::uint64_t key = cache_key(tile, layers);
    if (const auto it = impl.entries.find(key); it != impl.entries.end()) {
        impl.erase(it);
    }
    while (impl.stats.bytes + bytes > impl.options.max_bytes && !impl.lru.empty()) {
        impl.erase(impl.entries.find(impl.lru.back()));
        ++impl.stats.evicted;
    }
    if (layers.contains(Layer::households)) {
        if (std::find(impl.household_sets.begin(), impl.household_sets.end(), layers) ==
            impl.household_sets.end()) {
            impl.household_sets.push_back(layers);
        }
        impl.max_cell[tile.z] = std::max(impl.max_cell[tile.z], value->cluster_cell);
    }
    impl.lru.push_front(key);
    impl.entries.emplace(key, Impl::Entry{std::move(value), impl.lru.begin(), bytes});
    impl.stats.bytes += bytes;
    return true;
}

std::shared_ptr<const CachedTile> TileCache::get(TileId tile, LayerSet layers, bool* rendered) {
    if (auto cached = find(tile, layers)) {
        if (rendered != nullptr) {
            *rendered = false;
        }
        return cached;
    }
    const std::uint64_t started = generation();
    std::string raw;
    const RenderStats stats = m_renderer.render(tile, layers, &raw);
    auto value = std::make_shared<const CachedTile>(make_cached_tile(raw, stats.cluster_cell));
    put(tile, layers, value, started);
    if (rendered != nullptr) {
        *rendered = true;
    }
    return value;
}

std::size_t TileCache::invalidate(LatLngE7 point) {
    const double wx = world_x(point.lng_deg());
    const double wy = world_y(point.lat_deg());
    std::lock_guard lock(m_impl->mutex);
    Impl& impl = *m_impl;
    ++impl.generation;
    std::size_t dropped = 0;
    if (impl.household_sets.empty()) {
        return 0;
    }
    const double e = impl.extent;
    for (std::uint32_t z = 0; z <= max_zoom; ++z) {
        const double scale = e * std::ldexp(1.0, static_cast<int>(z));
        const double px = wx * scale;
        const double py = wy * scale;
        // Tiles whose widest possible read box holds the point; each is then tested exactly.
        const double margin = impl.buffer + 2.0 * impl.max_cell[z];
        const double last = std::ldexp(1.0, static_cast<int>(z)) - 1.0;
        const auto first_tile = [&](double p) { return std::clamp(std::ceil((p - e - margin) / e), 0.0, last); };
        const auto last_tile = [&](double p) { return std::clamp(std::floor((p + margin) / e), 0.0, last); };
        for (double x = first_tile(px); x <= last_tile(px); ++x) {
            for (double y = first_tile(py); y <= last_tile(py); ++y) {
                const TileId tile{z, static_cast<std::uint32_t>(x), static_cast<std::uint32_t>(y)};
                for (const LayerSet layers : impl.household_sets) {
                    const auto it = impl.entries.find(cache_key(tile, layers));
                    if (it != impl.entries.end() &&
                        impl.reads(tile, it->second.tile->cluster_cell, px, py)) {
                        impl.erase(it);
                        ++dropped;
                    }
                }
            }
        }
    }
    impl.stats.invalidated += dropped;
    return dropped;
}

void TileCache::clear() {
    std::lock_guard lock(m_impl->mutex);
    ++m_impl->generation;
    m_impl->entries.clear();
    m_impl->lru.clear();
    m_impl->household_sets.clear();
    m_impl->max_cell.fill(0);
    m_impl->stats.bytes = 0;
}

TileCacheStats TileCache::stats() const {
    std::lock_guard lock(m_impl->mutex);
    TileCacheStats stats = m_impl->stats;
    stats.entries = m_impl->entries.size();
    return stats;
}

}  // namespace diachi::tiles
