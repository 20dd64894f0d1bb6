#ifndef DIACHI_TILES_RENDERER_HPP
#define DIACHI_TILES_RENDERER_HPP

/// @file
/// Renders Mapbox Vector Tiles from the live registry (households through its spatial index, so
/// a household registered a moment ago is on the next tile), its zones (communes, provinces and
/// their labels), the code grid and OpenStreetMap features. See docs/tiles.md for the layers,
/// their fields and the density rules.
///
/// Density: below RendererOptions::households_detail_zoom, households are clustered on a grid
/// fixed to the world (so neighbouring tiles agree), with supercluster's attribute names; a tile
/// whose gzipped size exceeds max_tile_bytes is drawn again with cells twice as large, until it
/// fits. From the detail zoom on, every household is in the tile.

#include <array>
#include <cstdint>
#include <memory>
#include <string>

#include <diachi/tiles/layers.hpp>
#include <diachi/tiles/osm_source.hpp>
#include <diachi/tiles/tile_id.hpp>

namespace diachi::store {
class Registry;
}

namespace diachi::tiles {

/// How tiles are drawn. Zooms are Web Mercator zooms; units are tile coordinate units.
struct RendererOptions {
    /// Tile extent. Default 4096.
    std::uint32_t extent = 4096;
    /// Units drawn around the tile (so that symbols and lines cross tile edges). Default 64.
    std::uint32_t buffer = 64;
    /// From this zoom every household is drawn; below it, clusters. Default 14.
    std::uint32_t households_detail_zoom = 14;
    /// Side of the cluster grid's cells below the detail zoom. Default 64 (64 x 64 a tile, cells
    /// of 4 pixels on a 256-pixel tile: a dense area still looks dense, and a tile holds at most
    /// 4,096 clusters, far inside the byte budget).
    std::uint32_t cluster_cell = 64;
    /// Below the detail zoom, a tile whose buffered box holds more households than this is
    /// clustered from the registry's density index (store::Registry::density()) rather than by
    /// reading every household: the same clusters, read as counts. Default 20,000.
    std::size_t density_index_above = 20'000;
    /// Byte budget of a tile, gzipped. Default 500 KiB (tippecanoe's).
    std::size_t max_tile_bytes = 500 * 1024;
    /// Zoom from which communes are drawn. Default 7.
    std::uint32_t communes_min_zoom = 7;
    /// Zoom from which communes get a label. Default 10.
    std::uint32_t commune_labels_min_zoom = 10;
    /// Zoom from which the code grid is drawn. Default 19 (cells of about 3 m are 1-2 mm on
    /// screen below it).
    std::uint32_t grid_min_zoom = 19;
    /// Zooms of the OSM features.
    OsmZooms osm;
    /// Simplification tolerance of outlines, in units. Default 1.
    double simplify_units = 1.0;
};

/// What a render() drew.
struct RenderStats {
    /// Features per layer (indexed by Layer).
    std::array<std::size_t, all_layers.size()> features{};
    /// Households read from the store.
    std::size_t households_read = 0;
    /// Cells read from the density index (0 when the households were read one by one).
    std::size_t density_cells_read = 0;
    /// The cluster cell used (0 at and above the detail zoom).
    std::uint32_t cluster_cell = 0;
    /// The tile's size, and its gzipped size when the renderer measured it (0 otherwise). It
    /// measures only below the detail zoom, when the raw size passes the budget, to choose the
    /// clustering; a tile that still passes the budget (over_budget()) is the caller's to count
    /// once it compresses it.
    std::size_t bytes = 0;
    std::size_t gzipped_bytes = 0;
};

class TileRenderer {
public:
    /// A renderer over @p registry (which must outlive it), with an optional OSM source.
    explicit TileRenderer(const store::Registry& registry, RendererOptions options = {},
                          std::shared_ptr<const OsmSource> osm = nullptr);
    ~TileRenderer();
    TileRenderer(const TileRenderer&) = delete;
    TileRenderer& operator=(const TileRenderer&) = delete;

    /// Draws @p layers of @p tile into @p out (replacing its contents; uncompressed MVT, empty
    /// when nothing is in the tile). Thread-safe. Throws std::invalid_argument for a tile that
    /// is not valid (see is_valid()).
    RenderStats render(TileId tile, LayerSet layers, std::string* out) const;

    /// TileJSON's "vector_layers" for @p layers: a JSON array with each layer's id,
    /// description, fields, minzoom and maxzoom.
    [[nodiscard]] std::string vector_layers_json(LayerSet layers, std::uint32_t minzoom,
                                                 std::uint32_t maxzoom) const;

    /// The zoom from which @p layer has features.
    [[nodiscard]] std::uint32_t min_zoom(Layer layer) const noexcept;

    [[nodiscard]] const RendererOptions& options() const noexcept { return m_options; }
    [[nodiscard]] const store::Registry& registry() const noexcept { return m_registry; }

private:
    struct Impl;
    const store::Registry& m_registry;
    RendererOptions m_options;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace diachi::tiles

#endif  // DIACHI_TILES_RENDERER_HPP
