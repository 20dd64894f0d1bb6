#ifndef DIACHI_TILES_OSM_SOURCE_HPP
#define DIACHI_TILES_OSM_SOURCE_HPP

/// @file
/// OpenStreetMap features for the `osm` layer, read with libosmium from any file it reads
/// (.osm.pbf, .osm, .osc ...): points (nodes with a name or an amenity, shop, tourism, office,
/// leisure, craft, healthcare, historic or place tag), roads (ways tagged highway) and buildings
/// (closed ways and multipolygon relations tagged building, assembled into areas). Held in memory
/// in Web Mercator coordinates with a grid index; immutable once read, so any thread may render.

#include <cstdint>
#include <memory>
#include <string>

#include <diachi/tiles/mvt_writer.hpp>
#include <diachi/tiles/tile_id.hpp>

namespace diachi::tiles {

/// Counts of what an OsmSource holds.
struct OsmCounts {
    std::size_t points = 0;
    std::size_t roads = 0;
    std::size_t buildings = 0;
};

/// Zooms from which each kind of OSM feature is drawn.
struct OsmZooms {
    std::uint32_t roads = 12;      ///< default 12
    std::uint32_t buildings = 14;  ///< default 14
    std::uint32_t points = 14;     ///< default 14
};

class OsmSource {
public:
    /// Reads @p path. Throws std::runtime_error naming the file and libosmium's reason when it
    /// cannot be read (missing, truncated, not OSM data).
    static std::shared_ptr<const OsmSource> read(const std::string& path);

    ~OsmSource();
    OsmSource(const OsmSource&) = delete;
    OsmSource& operator=(const OsmSource&) = delete;

    [[nodiscard]] OsmCounts counts() const noexcept;

    /// Writes the features drawn at @p tile's zoom that reach the tile (with @p buffer units
    /// around it) into @p layer, clipped to that box. Returns the features written.
    std::size_t write(TileId tile, std::uint32_t buffer, const OsmZooms& zooms,
                      mvt::LayerWriter* layer) const;

    struct Impl;

private:
    explicit OsmSource(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

}  // namespace diachi::tiles

#endif  // DIACHI_TILES_OSM_SOURCE_HPP
