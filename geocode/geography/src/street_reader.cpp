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

/// The first of the tags that say what a place is, as "tag=value", from the OSM driver's
/// fields and its other_tags ("amenity"=>"school",...); empty when none.
std::string kind_of(OGRFeature& feature) {
    static const char* const tags[] = {"amenity", "shop",     "tourism", "office", "leisure",
                                       "historic", "building", "place",   "craft",  "healthcare"};
    const int other = feature.GetFieldIndex("other_tags");
    const std::string others = other >= 0 ? feature.GetFieldAsString(other) : "";
    for (const char* tag : tags) {
        const int field = feature.GetFieldIndex(tag);
        if (field >= 0 && feature.IsFieldSetAndNotNull(field)) {
            return std::string(tag) + "=" + feature.GetFieldAsString(field);
        }
        const std::string key = std::string("\"") + tag + "\"=>\"";
        if (const std::size_t at = others.find(key); at != std::string::npos) {
            const std::size_t from = at + key.size();
            return std::string(tag) + "=" + others.substr(from, others.find('"', from) - from);
        }
    }
    return {};
}

}  // namespace

std::vector<NamedPlace> read_osm_places(const std::string& path) {
    auto dataset = detail::open_vector(path);
    std::vector<NamedPlace> out;
    for (const char* layer_name : {"points", "multipolygons"}) {
        OGRLayer* layer = dataset->GetLayerByName(layer_name);
        if (layer == nullptr) {
            continue;
        }
        const bool areas = std::string_view(layer_name) == "multipolygons";
        for (auto& feature : *layer) {
            const int name_field = feature->GetFieldIndex("name");
            NamedPlace place;
            place.name = name_field >= 0 ? feature->GetFieldAsString(name_field) : "";
            place.kind = kind_of(*feature);
            const OGRGeometry* geometry = feature->GetGeometryRef();
            if (place.name.empty() || place.kind.empty() || geometry == nullptr) {
                continue;
            }
            OGRPoint point;
            if (geometry->Centroid(&point) != OGRERR_NONE) {
                continue;
            }
            const auto location = LatLngE7::from_degrees(point.getY(), point.getX());
            if (!location) {
                continue;
            }
            const int id = feature->GetFieldIndex(areas ? "osm_way_id" : "osm_id");
            const std::string raw = id >= 0 ? feature->GetFieldAsString(id) : "";
            place.osm_id = (areas ? "a" : "n") + raw;
            place.location = *location;
            out.push_back(std::move(place));
        }
    }
    return out;
}

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
