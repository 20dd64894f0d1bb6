#include <diachi/geography/street_reader.hpp>

#include <cmath>
#include <stdexcept>

#include "gdal_internal.hpp"

namespace diachi::geography {
namespace {

/// Points no further apart than this along a way: a street crossing a commune between two
/// vertices still lands in it (communes are hundreds of metres across at the least).
constexpr double step_m = 50.0;

void add_point(double lat, double lng, std::vector<LatLngE7>* out) {
    if (const auto p = LatLngE7::from_degrees(lat, lng)) {
        out->push_back(*p);
    }
}

}  // namespace

std::vector<StreetLine> read_osm_streets(const std::string& path) {
    auto dataset = detail::open_vector(path);
    OGRLayer* layer = detail::layer_of(*dataset, path, "lines");
    const int id_field = detail::required_field(*layer, path, "osm_id");
    const int name_field = detail::required_field(*layer, path, "name");
    const int highway_field = detail::required_field(*layer, path, "highway");
    std::vector<StreetLine> out;
    for (auto& feature : *layer) {
        StreetLine line;
        line.name = feature->GetFieldAsString(name_field);
        line.highway = feature->GetFieldAsString(highway_field);
        if (line.name.empty() || line.highway.empty()) {
            continue;
        }
        line.osm_id = feature->GetFieldAsString(id_field);
        const OGRGeometry* geometry = feature->GetGeometryRef();
        if (geometry == nullptr || wkbFlatten(geometry->getGeometryType()) != wkbLineString) {
            continue;
        }
        const auto* ls = geometry->toLineString();
        for (int i = 0; i < ls->getNumPoints(); ++i) {
            // x is the longitude (the OSM driver's traditional GIS order).
            const double lat = ls->getY(i);
            const double lng = ls->getX(i);
            if (i > 0) {
                const double lat0 = ls->getY(i - 1);
                const double lng0 = ls->getX(i - 1);
                const int steps = static_cast<int>(distance_m(lat0, lng0, lat, lng) / step_m);
                for (int k = 1; k <= steps; ++k) {
                    const double t = static_cast<double>(k) / (steps + 1);
                    add_point(lat0 + (lat - lat0) * t, lng0 + (lng - lng0) * t, &line.points);
                }
            }
            add_point(lat, lng, &line.points);
        }
        if (!line.points.empty()) {
            out.push_back(std::move(line));
        }
    }
    return out;
}

}  // namespace diachi::geography
