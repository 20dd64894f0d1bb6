#include <diachi/geography/zone_reader.hpp>

#include <memory>
#include <sstream>
#include <stdexcept>
#include <unordered_set>

#include <ogr_spatialref.h>

#include <diachi/geography/transform.hpp>

#include "gdal_internal.hpp"

namespace diachi::geography {
namespace {

std::string where(const std::string& path, GIntBig number) {
    return path + ": feature " + std::to_string(number) + ": ";
}

/// 5 ASCII digits -> number, or -1.
long parse_postcode(const std::string& text) {
    if (text.size() != 5) {
        return -1;
    }
    long value = 0;
    for (const char c : text) {
        if (c < '0' || c > '9') {
            return -1;
        }
        value = value * 10 + (c - '0');
    }
    return value;
}

struct TransformDeleter {
    void operator()(OGRCoordinateTransformation* t) const noexcept {
        OGRCoordinateTransformation::DestroyCT(t);
    }
};

/// The transformation from the layer's (or the given) CRS to WGS 84; null when already WGS 84.
std::unique_ptr<OGRCoordinateTransformation, TransformDeleter> to_wgs84(
    OGRLayer& layer, const std::string& path, const std::string& source_crs) {
    OGRSpatialReference source;
    if (!source_crs.empty()) {
        if (source.SetFromUserInput(expand_crs(source_crs).c_str()) != OGRERR_NONE) {
            throw std::runtime_error(path + ": CRS '" + source_crs + "' is not one PROJ knows");
        }
    } else if (const OGRSpatialReference* layer_crs = layer.GetSpatialRef()) {
        source = *layer_crs;
    } else {
        throw std::runtime_error(path +
                                 ": the layer names no CRS; give one (e.g. --crs EPSG:4326)");
    }
    source.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    OGRSpatialReference wgs84;
    wgs84.importFromEPSG(4326);
    wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    if (source.IsSame(&wgs84)) {
        return nullptr;
    }
    std::unique_ptr<OGRCoordinateTransformation, TransformDeleter> transform(
        OGRCreateCoordinateTransformation(&source, &wgs84));
    if (!transform) {
        throw std::runtime_error(path + ": no transformation from its CRS to WGS 84");
    }
    return transform;
}

}  // namespace

std::vector<ZoneFeature> read_zones(const std::string& path, const ZoneReadOptions& options) {
    auto dataset = detail::open_vector(path);
    OGRLayer* layer = detail::layer_of(*dataset, path, options.layer);
    const int id_field = detail::required_field(*layer, path, options.id_field);
    const auto optional_field = [&](const std::string& name) {
        return name.empty() ? -1 : detail::required_field(*layer, path, name);
    };
    const int name_field = optional_field(options.name_field);
    const int parent_id_field = optional_field(options.parent_id_field);
    const int parent_name_field = optional_field(options.parent_name_field);
    const int postcode_field = optional_field(options.postcode_field);
    auto transform = to_wgs84(*layer, path, options.source_crs);

    std::vector<ZoneFeature> zones;
    std::unordered_set<std::string> ids;
    layer->ResetReading();
    GIntBig number = 0;
    for (auto& feature : *layer) {
        ++number;
        ZoneFeature out;
        out.zone.id = feature->GetFieldAsString(id_field);
        if (out.zone.id.empty()) {
            throw std::runtime_error(where(path, number) + "empty '" + options.id_field + "'");
        }
        if (!ids.insert(out.zone.id).second) {
            throw std::runtime_error(where(path, number) + "duplicate zone id '" + out.zone.id +
                                     "'");
        }
        if (name_field >= 0) {
            out.zone.name = feature->GetFieldAsString(name_field);
        }
        if (parent_id_field >= 0) {
            out.zone.parent_id = feature->GetFieldAsString(parent_id_field);
        }
        if (parent_name_field >= 0) {
            out.zone.parent_name = feature->GetFieldAsString(parent_name_field);
        }
        if (postcode_field >= 0) {
            const std::string text = feature->GetFieldAsString(postcode_field);
            const long postcode = parse_postcode(text);
            if (postcode < 0) {
                throw std::runtime_error(where(path, number) + "postcode '" + text +
                                         "' is not 5 digits");
            }
            out.zone.postcode = static_cast<std::uint32_t>(postcode);
        }
        out.zone.valid_from = options.valid_from;
        OGRGeometry* geometry = feature->GetGeometryRef();
        if (geometry == nullptr || geometry->IsEmpty()) {
            throw std::runtime_error(where(path, number) + "zone '" + out.zone.id +
                                     "' has no geometry");
        }
        const auto type = wkbFlatten(geometry->getGeometryType());
        if (type != wkbPolygon && type != wkbMultiPolygon) {
            throw std::runtime_error(where(path, number) + "zone '" + out.zone.id + "' is a " +
                                     OGRGeometryTypeToName(type) +
                                     ", expected a Polygon or MultiPolygon");
        }
        if (transform && geometry->transform(transform.get()) != OGRERR_NONE) {
            throw std::runtime_error(where(path, number) + "zone '" + out.zone.id +
                                     "' cannot be transformed to WGS 84");
        }
        geometry->flattenTo2D();
        out.wkb.resize(static_cast<std::size_t>(geometry->WkbSize()));
        geometry->exportToWkb(wkbNDR, reinterpret_cast<unsigned char*>(out.wkb.data()),
                              wkbVariantIso);
        zones.push_back(std::move(out));
    }
    return zones;
}

std::unordered_map<std::string, std::uint32_t> read_postcode_table(
    const std::string& path, const std::string& id_column, const std::string& postcode_column) {
    auto dataset = detail::open_vector(path);
    OGRLayer* layer = detail::layer_of(*dataset, path, {});
    const int id_field = detail::required_field(*layer, path, id_column);
    const int postcode_field = detail::required_field(*layer, path, postcode_column);
    std::unordered_map<std::string, std::uint32_t> table;
    GIntBig row = 0;
    for (auto& feature : *layer) {
        ++row;
        const std::string id = feature->GetFieldAsString(id_field);
        const std::string text = feature->GetFieldAsString(postcode_field);
        const long postcode = parse_postcode(text);
        if (id.empty() || postcode < 0) {
            throw std::runtime_error(path + ": row " + std::to_string(row) + " (line " +
                                     std::to_string(row + 1) + "): expected a zone id and a " +
                                     "5-digit postcode, got '" + id + "', '" + text + "'");
        }
        table[id] = static_cast<std::uint32_t>(postcode);
    }
    return table;
}

std::vector<ProvincePrefixes> read_prefix_table(const std::string& path) {
    auto dataset = detail::open_vector(path);
    OGRLayer* layer = detail::layer_of(*dataset, path, {});
    const int province_field = detail::required_field(*layer, path, "province");
    const int prefixes_field = detail::required_field(*layer, path, "prefixes");
    std::vector<ProvincePrefixes> table;
    GIntBig row = 0;
    for (auto& feature : *layer) {
        ++row;
        ProvincePrefixes entry;
        entry.province = feature->GetFieldAsString(province_field);
        std::istringstream words(feature->GetFieldAsString(prefixes_field));
        std::string word;
        while (words >> word) {
            if (word.size() != 2 || word[0] < '0' || word[0] > '9' || word[1] < '0' ||
                word[1] > '9') {
                throw std::runtime_error(path + ": row " + std::to_string(row) + ": prefix '" +
                                         word + "' is not 2 digits");
            }
            entry.prefixes.push_back(
                static_cast<std::uint8_t>((word[0] - '0') * 10 + word[1] - '0'));
        }
        if (entry.province.empty() || entry.prefixes.empty()) {
            throw std::runtime_error(path + ": row " + std::to_string(row) +
                                     ": expected a province and its prefixes");
        }
        table.push_back(std::move(entry));
    }
    return table;
}

std::size_t join_postcodes(const std::unordered_map<std::string, std::uint32_t>& table,
                           std::vector<ZoneFeature>* zones) {
    std::size_t joined = 0;
    for (auto& feature : *zones) {
        const auto it = table.find(feature.zone.id);
        if (it != table.end()) {
            feature.zone.postcode = it->second;
            ++joined;
        }
    }
    return joined;
}

}  // namespace diachi::geography
