#ifndef DIACHI_TILES_PYRAMID_HPP
#define DIACHI_TILES_PYRAMID_HPP

/// @file
/// Exports a pyramid of tiles (any layer set, zoom range and box) to a PMTiles or MBTiles
/// archive: zoom by zoom in PMTiles tile id order, rendered and gzipped on every core, written
/// in order by one thread, with memory bounded by a small window of tiles in flight. Tiles whose
/// parent drew nothing are skipped once every requested layer has started (a child of an empty
/// tile is empty).

#include <cstdint>
#include <functional>
#include <string>

#include <diachi/geography/zone_index.hpp>
#include <diachi/tiles/archive.hpp>
#include <diachi/tiles/layers.hpp>
#include <diachi/tiles/renderer.hpp>

namespace diachi::tiles {

enum class ArchiveFormat : std::uint8_t { pmtiles = 0, mbtiles = 1 };

/// What to export.
struct PyramidOptions {
    ArchiveFormat format = ArchiveFormat::pmtiles;
    std::uint32_t min_zoom = 0;   ///< default 0
    std::uint32_t max_zoom = 14;  ///< default 14
    /// The box to cover, degrees. Default: Vietnam and its islands.
    geography::Bounds bounds{8.0, 102.0, 23.5, 117.9};
    LayerSet layers = LayerSet::all();
    /// Rendering threads; 0: one per core.
    unsigned threads = 0;
    /// Tiles in flight (bounds the memory held). Default 256.
    std::size_t window = 256;
    /// gzip level of the tiles. Default 6.
    int gzip_level = 6;
};

/// Where an export is.
struct PyramidProgress {
    std::uint32_t zoom = 0;
    std::uint64_t tiles_done = 0;     ///< tiles rendered at this zoom
    std::uint64_t tiles_at_zoom = 0;  ///< tiles to render at this zoom
    std::uint64_t tiles_written = 0;  ///< non-empty tiles written so far, all zooms
};

/// What an export did.
struct PyramidSummary {
    ArchiveSummary archive;
    std::uint64_t tiles_rendered = 0;
    std::uint64_t tiles_written = 0;  ///< non-empty tiles
    std::uint64_t tiles_over_budget = 0;
    std::uint64_t largest_tile_bytes = 0;  ///< gzipped
    double seconds = 0.0;
};

/// Renders the pyramid with @p renderer into @p path. @p progress (optional) is called from the
/// writing thread after each window of tiles. Throws std::invalid_argument for a bad zoom range
/// or box, std::runtime_error when the archive cannot be written.
PyramidSummary export_pyramid(const TileRenderer& renderer, const std::string& path,
                              const PyramidOptions& options,
                              const std::function<void(const PyramidProgress&)>& progress = {});

}  // namespace diachi::tiles

#endif  // DIACHI_TILES_PYRAMID_HPP
