#ifndef DIACHI_GEOGRAPHY_ZONE_INDEX_HPP
#define DIACHI_GEOGRAPHY_ZONE_INDEX_HPP

/// @file
/// Point -> zone (commune, province, postcode), exact and fast. A grid of cells (1/256 degree,
/// about 430 m) records for each cell either the one zone covering it whole, no zone, or the few
/// zones whose outlines cross it; only points in those border cells are tested against the
/// polygons (GEOS prepared geometries). Most points cost one array read.
///
/// Points on a border shared by two zones go to the first of them in index order. Points outside
/// every zone but within ZoneIndexOptions::edge_tolerance_m of one (a house on a coastline or a
/// border simplified away by the 25 m outlines) get that nearest zone with ZoneHit::inside false
/// and the distance; farther points are ErrorCode::outside_zones.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include <diachi/error.hpp>
#include <diachi/geography/zone.hpp>
#include <diachi/lat_lng.hpp>

namespace diachi::geography {

/// How a ZoneIndex is built.
struct ZoneIndexOptions {
    /// Points outside every zone within this distance (metres) of one are given it, marked not
    /// inside. Default 50 m: twice the simplification of the national outlines. At most 400.
    double edge_tolerance_m = 50.0;
    /// Grid cells per degree (both axes). Default 256 (cells of about 430 m x 430 m).
    int cells_per_degree = 256;
};

/// The zone a point falls in.
struct ZoneHit {
    std::uint32_t zone = 0;   ///< index into ZoneIndex::zones()
    bool inside = true;       ///< false: the point is outside, within the edge tolerance
    double distance_m = 0.0;  ///< 0 when inside; else the distance to the zone's outline
};

/// A longitude/latitude box in degrees.
struct Bounds {
    double south_deg = 0.0;
    double west_deg = 0.0;
    double north_deg = 0.0;
    double east_deg = 0.0;
};

/// Zones and their spatial index. Immutable once built; every const member is thread-safe.
class ZoneIndex {
public:
    /// Builds the index. Throws std::invalid_argument naming the zone for an outline that is not
    /// a valid WKB Polygon or MultiPolygon, or for a duplicate zone id.
    explicit ZoneIndex(std::vector<ZoneFeature> zones, ZoneIndexOptions options = {});
    ~ZoneIndex();
    ZoneIndex(const ZoneIndex&) = delete;
    ZoneIndex& operator=(const ZoneIndex&) = delete;

    /// The zone at @p point. Errors: ErrorCode::outside_zones.
    [[nodiscard]] Result<ZoneHit> locate(LatLngE7 point) const noexcept;

    /// Whether zone @p zone covers @p point (its outline included).
    [[nodiscard]] bool covers(std::uint32_t zone, LatLngE7 point) const noexcept;

    [[nodiscard]] std::size_t size() const noexcept { return m_zones.size(); }
    [[nodiscard]] const std::vector<Zone>& zones() const noexcept { return m_zones; }
    [[nodiscard]] const Zone& zone(std::uint32_t index) const { return m_zones.at(index); }
    /// The outline of zone @p index as WKB (WGS 84, x = longitude).
    [[nodiscard]] const std::string& wkb(std::uint32_t index) const;
    /// A point guaranteed to lie inside zone @p index (GEOS point on surface).
    [[nodiscard]] LatLngE7 interior_point(std::uint32_t index) const;
    /// The bounding box of zone @p index.
    [[nodiscard]] Bounds bounds(std::uint32_t index) const;
    /// Index of the zone with id @p id.
    [[nodiscard]] std::optional<std::uint32_t> find(std::string_view id) const noexcept;
    /// Zones whose postcode is @p postcode (usually one), in index order.
    [[nodiscard]] std::span<const std::uint32_t> with_postcode(
        std::uint32_t postcode) const noexcept;
    /// The options the index was built with.
    [[nodiscard]] const ZoneIndexOptions& options() const noexcept { return m_options; }

private:
    struct Impl;
    std::vector<Zone> m_zones;
    ZoneIndexOptions m_options;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace diachi::geography

#endif  // DIACHI_GEOGRAPHY_ZONE_INDEX_HPP
