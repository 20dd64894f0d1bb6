#ifndef DIACHI_GEOGRAPHY_STREET_READER_HPP
#define DIACHI_GEOGRAPHY_STREET_READER_HPP

/// @file
/// Named streets with their shapes, from OpenStreetMap: the ways tagged `highway` with a `name`
/// of any file GDAL's OSM driver reads (.osm.pbf, .osm), so that search knows the communes a
/// street runs through.

#include <string>
#include <vector>

#include <diachi/lat_lng.hpp>

namespace diachi::geography {

/// One named OpenStreetMap way tagged highway.
struct StreetLine {
    std::string osm_id;            ///< the way's id, e.g. "23001234"
    std::string name;              ///< its name tag, e.g. "Phố Hàng Gai"
    std::string highway;           ///< its highway tag, e.g. "residential"
    std::vector<LatLngE7> points;  ///< its vertices, with points added so that none is more
                                   ///< than about 50 m from the next
};

/// One named OpenStreetMap place: a node, or an area (its centroid), with a name and a tag that
/// says what it is (amenity, shop, tourism, office, leisure, historic, building, place).
struct NamedPlace {
    std::string osm_id;  ///< e.g. "n4567" for a node, "a8901" for an area
    std::string name;    ///< e.g. "Chợ Đồng Xuân"
    std::string kind;    ///< "tag=value", e.g. "amenity=marketplace"
    LatLngE7 location;
};

/// Reads the named places of @p path (GDAL's OSM driver: layers points and multipolygons).
/// Throws std::runtime_error naming the file when GDAL cannot open it.
[[nodiscard]] std::vector<NamedPlace> read_osm_places(const std::string& path);

/// Reads the named highway ways of @p path. Throws std::runtime_error naming the file when GDAL
/// cannot open it or it has no `lines` layer (not OpenStreetMap data).
[[nodiscard]] std::vector<StreetLine> read_osm_streets(const std::string& path);

}  // namespace diachi::geography

#endif  // DIACHI_GEOGRAPHY_STREET_READER_HPP
