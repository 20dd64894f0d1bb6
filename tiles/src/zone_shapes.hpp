#ifndef DIACHI_TILES_ZONE_SHAPES_HPP
#define DIACHI_TILES_ZONE_SHAPES_HPP

// The outlines of the communes and of the provinces they make up, in Web Mercator world
// coordinates (0..1, y down), simplified once per zoom on first use (GEOS topology-preserving
// simplification: every simplified polygon stays valid), for the communes, provinces and
// labels layers.

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <geos_c.h>

#include <diachi/geography/zone_index.hpp>

namespace diachi::tiles::detail {

/// A box in world coordinates.
struct WorldBox {
    double min_x = 0.0;
    double min_y = 0.0;
    double max_x = 0.0;
    double max_y = 0.0;

    [[nodiscard]] bool intersects(const WorldBox& o) const noexcept {
        return min_x <= o.max_x && o.min_x <= max_x && min_y <= o.max_y && o.min_y <= max_y;
    }
    [[nodiscard]] bool contains(double x, double y) const noexcept {
        return min_x <= x && x <= max_x && min_y <= y && y <= max_y;
    }
};

/// One outline (a commune or a province) and its simplified forms.
struct Shape {
    std::string id;        ///< zone id, or the province's code
    std::string name;
    std::string postcode;  ///< 5 digits for a commune; the provinces' 2-digit prefixes, joined
    std::string parent;    ///< the province's name, for communes
    WorldBox box;
    double label_x = 0.0;  ///< a point inside the outline, for its label
    double label_y = 0.0;
    GEOSGeometry* geometry = nullptr;  ///< owned
    /// Simplified per zoom (index = zoom, up to ZoneShapes::simplify_max_zoom); owned, made on
    /// first use.
    mutable std::vector<GEOSGeometry*> simplified;
    mutable std::unique_ptr<std::once_flag[]> simplified_once;
};

class ZoneShapes {
public:
    /// Above this zoom outlines are drawn as stored (simplification would move them < 1 m).
    static constexpr std::uint32_t simplify_max_zoom = 14;

    /// Projects every zone of @p zones and unions them into provinces by parent id.
    /// @p simplify_units: the tolerance in tile units of an extent-@p extent tile.
    ZoneShapes(std::shared_ptr<const geography::ZoneIndex> zones, double simplify_units,
               std::uint32_t extent);
    ~ZoneShapes();
    ZoneShapes(const ZoneShapes&) = delete;
    ZoneShapes& operator=(const ZoneShapes&) = delete;

    [[nodiscard]] const std::vector<Shape>& communes() const noexcept { return m_communes; }
    /// The provinces, merged from their communes on first use (thread-safe).
    [[nodiscard]] const std::vector<Shape>& provinces() const;
    [[nodiscard]] const geography::ZoneIndex* zones() const noexcept { return m_zones.get(); }

    /// The outline of @p shape as drawn at zoom @p z (thread-safe; made on first use).
    const GEOSGeometry* at_zoom(const Shape& shape, std::uint32_t z) const;

private:
    std::shared_ptr<const geography::ZoneIndex> m_zones;
    double m_simplify_units;
    std::uint32_t m_extent;
    std::vector<Shape> m_communes;
    mutable std::vector<Shape> m_provinces;
    mutable std::once_flag m_provinces_once;
    void merge_provinces() const;
};

}  // namespace diachi::tiles::detail

#endif  // DIACHI_TILES_ZONE_SHAPES_HPP
