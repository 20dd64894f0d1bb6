#ifndef DIACHI_GEOGRAPHY_TRANSFORM_HPP
#define DIACHI_GEOGRAPHY_TRANSFORM_HPP

/// @file
/// Coordinates in any CRS PROJ knows to WGS 84 and back, in particular VN-2000 (EPSG:4756, its
/// TM-3 zones with per-province central meridians, UTM 48N/49N). PROJ picks the 7-parameter
/// Helmert shift (EPSG:6960) between VN-2000 and WGS 84; leaving it out moves points ~226 m.

#include <memory>
#include <string>
#include <string_view>

#include <diachi/error.hpp>

namespace diachi::geography {

/// A WGS 84 location in degrees, latitude first, at full double precision.
struct LatLngDeg {
    double lat_deg = 0.0;
    double lng_deg = 0.0;
};

/// Planar or geographic coordinates in a source CRS, in traditional GIS order: x is the easting
/// (metres) or the longitude (degrees), y the northing or the latitude.
struct SourcePoint {
    double x = 0.0;
    double y = 0.0;
};

/// A transformation between one source CRS and WGS 84 (EPSG:4326). Not thread-safe: give each
/// thread its own (each holds its own PROJ context).
class Transform {
public:
    /// @p source_crs: anything PROJ reads ("EPSG:9210", a WKT, a PROJ string), or
    /// "VN2000-TM3:<central meridian in degrees>" for a cadastral TM-3 zone, e.g.
    /// "VN2000-TM3:105.75". Throws std::invalid_argument naming the CRS when PROJ cannot build
    /// the transformation.
    explicit Transform(std::string_view source_crs);
    ~Transform();
    Transform(Transform&&) noexcept;
    Transform& operator=(Transform&&) noexcept;
    Transform(const Transform&) = delete;
    Transform& operator=(const Transform&) = delete;

    /// The source point in WGS 84: the point at ellipsoidal height 0 that from_wgs84() maps onto
    /// @p point (heights are unknown; this makes the two exact inverses). Errors: ErrorCode::not_finite for NaN/infinite input,
    /// out_of_range when PROJ cannot transform the point (outside the CRS's domain).
    [[nodiscard]] Result<LatLngDeg> to_wgs84(SourcePoint point) const noexcept;

    /// The WGS 84 point in the source CRS (same errors as to_wgs84()).
    [[nodiscard]] Result<SourcePoint> from_wgs84(LatLngDeg point) const noexcept;

    /// The CRS as given to the constructor.
    [[nodiscard]] const std::string& source_crs() const noexcept { return m_source_crs; }

private:
    struct Impl;
    std::string m_source_crs;
    std::unique_ptr<Impl> m_impl;
};

/// The EPSG name of the VN-2000 TM-3 projected CRS with central meridian @p central_meridian_deg
/// (103.0 .. 108.5 in the steps the EPSG registry defines, e.g. 105.75 -> "EPSG:9210").
/// Throws std::invalid_argument for a meridian that has no EPSG TM-3 zone.
[[nodiscard]] std::string vn2000_tm3_crs(double central_meridian_deg);

/// @p crs as PROJ and GDAL take it: "VN2000-TM3:<meridian>" becomes its EPSG name, anything
/// else is returned as it is. Throws std::invalid_argument for a malformed VN2000-TM3 name.
[[nodiscard]] std::string expand_crs(std::string_view crs);

}  // namespace diachi::geography

#endif  // DIACHI_GEOGRAPHY_TRANSFORM_HPP
