#include <diachi/tiles/layers.hpp>

#include <stdexcept>

namespace diachi::tiles {

namespace {

constexpr LayerField household_fields[] = {
    {"code", "String", "the household code in display form, e.g. \"11120 7Q89+XG2/2\" (single households)"},
    {"unit", "Number", "the unit of the code in its cell, 1 for the first household (single households)"},
    {"units", "Number", "households registered in the same 11-digit cell (single households)"},
    {"cluster", "Boolean", "true for a cluster of households (below the detail zoom)"},
    {"cluster_id", "Number", "the cluster's id (clusters)"},
    {"point_count", "Number", "households in the cluster (clusters)"},
    {"point_count_abbreviated", "String", "point_count for display: 950, \"1.2k\", \"15k\" (clusters)"},
};
constexpr LayerField commune_fields[] = {
    {"name", "String", "the commune's full name, e.g. \"Phường Ba Đình\""},
    {"code", "String", "the commune's code (GSO), e.g. \"00004\""},
    {"postcode", "String", "its 5-digit postcode (Decision 2334/QĐ-BKHCN, 2025)"},
    {"province", "String", "the province's full name"},
};
constexpr LayerField province_fields[] = {
    {"name", "String", "the province's full name, e.g. \"Thành phố Hà Nội\""},
    {"code", "String", "the province's code (GSO), e.g. \"01\""},
    {"postcode", "String", "the 2-digit postcode prefixes of its communes, e.g. \"10,11\""},
};
constexpr LayerField label_fields[] = {
    {"name", "String", "the unit's full name"},
    {"kind", "String", "\"province\" or \"commune\""},
    {"code", "String", "the unit's code"},
    {"postcode", "String", "its postcode (communes) or postcode prefixes (provinces)"},
};
constexpr LayerField grid_fields[] = {
    {"code", "String", "the cell's 7 grid characters, as in household codes, e.g. \"7Q89XG2\""},
    {"olc", "String", "the cell's full 11-digit Open Location Code, e.g. \"7P8Q7Q89+XG2\""},
};
constexpr LayerField osm_fields[] = {
    {"kind", "String", "\"point\", \"road\" or \"building\""},
    {"class", "String", "the main tag's value: amenity, shop, highway, building ..."},
    {"name", "String", "the name tag, when present"},
    {"osm_id", "Number", "the OpenStreetMap node, way or relation id"},
};

constexpr LayerInfo infos[] = {
    {"households", "Registered households: every one from the detail zoom, clusters below it",
     household_fields},
    {"communes", "Communes, wards and special zones with their postcodes", commune_fields},
    {"provinces", "Provinces and centrally governed cities", province_fields},
    {"labels", "A point per province and commune for its name", label_fields},
    {"grid", "The 11-digit Open Location Code cells of household codes", grid_fields},
    {"osm", "OpenStreetMap points, roads and buildings", osm_fields},
};

}  // namespace

std::string_view name(Layer layer) noexcept { return info(layer).name; }

const LayerInfo& info(Layer layer) noexcept { return infos[static_cast<std::size_t>(layer)]; }

LayerSet LayerSet::parse(std::string_view names) {
    LayerSet set;
    while (!names.empty()) {
        const std::size_t end = names.find_first_of(",+");
        const std::string_view word = names.substr(0, end);
        names = end == std::string_view::npos ? std::string_view() : names.substr(end + 1);
        if (word.empty()) {
            continue;
        }
        if (word == "all") {
            set = all();
            continue;
        }
        bool known = false;
        for (const Layer layer : all_layers) {
            if (name(layer) == word) {
                set.add(layer);
                known = true;
            }
        }
        if (!known) {
            throw std::invalid_argument(
                "unknown layer '" + std::string(word) +
                "' (layers: households, communes, provinces, labels, grid, osm, all)");
        }
    }
    if (set.empty()) {
        throw std::invalid_argument("no layer named (layers: households, communes, provinces, "
                                    "labels, grid, osm, all)");
    }
    return set;
}

std::string LayerSet::to_string() const {
    std::string out;
    for (const Layer layer : all_layers) {
        if (contains(layer)) {
            out.append(out.empty() ? "" : ",").append(name(layer));
        }
    }
    return out;
}

}  // namespace diachi::tiles
