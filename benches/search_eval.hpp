#ifndef DIACHI_BENCHES_SEARCH_EVAL_HPP
#define DIACHI_BENCHES_SEARCH_EVAL_HPP

// The address search evaluation (issue #4), shared by bench_search and the test suite:
//
// (1) OpenStreetMap: the 534 points of ../shared/data/osm/hanoi_pois_2024-09.geojson with
//     addr:* tags, written the way their tags read ("21 Phố Hàng Gai, Hàng Trống, Hoàn Kiếm,
//     Hà Nội": pre-2025 units). The answer is the point's 2026 ward (derived:ward_code_2026).
//     Streets are learnt from OpenStreetMap address points, two-fold: the points of one half
//     (by osm_id parity) are registered, those of the other half are asked, and vice versa, so
//     no point is asked of an index that holds it.
// (2) Generated: queries for sample households, degraded the way people type.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <diachi/geography/record_reader.hpp>
#include <diachi/geography/unit_reader.hpp>
#include <diachi/geography/zone_reader.hpp>
#include <diachi/store/registry.hpp>
#include <diachi/text.hpp>

namespace diachi::bench {

struct OsmPoint {
    std::int64_t osm_id = 0;
    LatLngE7 location;
    std::string house_number, street, subdistrict, district, city, province, ward_2026;
    [[nodiscard]] bool has_address() const {
        return !house_number.empty() || !street.empty() || !subdistrict.empty() ||
               !district.empty() || !city.empty() || !province.empty();
    }
    /// The tags as one line of text, house first, province last.
    [[nodiscard]] std::string query() const {
        std::string q = house_number;
        if (!street.empty()) {
            q.append(q.empty() ? "" : " ").append(street);
        }
        for (const std::string* part : {&subdistrict, &district, &city, &province}) {
            if (!part->empty() && !(part == &province && fold(province) == fold(city))) {
                q.append(q.empty() ? "" : ", ").append(*part);
            }
        }
        return q;
    }
};

inline std::vector<OsmPoint> read_osm_points(const std::filesystem::path& geojson) {
    geography::RecordReader reader(geojson.string());
    const auto field = [&](const char* name) { return reader.field_index(name); };
    const int id = field("osm_id");
    const int house = field("addr:housenumber");
    const int street = field("addr:street");
    const int subdistrict = field("addr:subdistrict");
    const int district = field("addr:district");
    const int city = field("addr:city");
    const int province = field("addr:province");
    const int ward = field("derived:ward_code_2026");
    std::vector<OsmPoint> out;
    geography::Record r;
    const auto get = [&](int i) { return i < 0 ? std::string() : r.values[static_cast<std::size_t>(i)]; };
    while (reader.next(&r)) {
        OsmPoint p;
        p.osm_id = std::stoll(get(id));
        p.location = LatLngE7::from_degrees(r.point.y, r.point.x).value();
        p.house_number = get(house);
        p.street = get(street);
        p.subdistrict = get(subdistrict);
        p.district = get(district);
        p.city = get(city);
        p.province = get(province);
        p.ward_2026 = get(ward);
        if (p.has_address()) {
            out.push_back(std::move(p));
        }
    }
    return out;
}

/// Opens a registry at @p dir with the national zones and the old units.
inline std::unique_ptr<store::Registry> national_registry(const std::filesystem::path& dir,
                                                          const std::filesystem::path& data) {
    auto registry = std::make_unique<store::Registry>(dir.string());
    if (registry->zones()->size() == 0) {
        auto zones = geography::read_zones(
            (data / "boundaries/wards_3321_simplified25m_v4.2.0.geojson").string());
        geography::join_postcodes(geography::read_postcode_table(
                                      (data / "postcodes/postcodes_by_commune_2025.csv").string()),
                                  &zones);
        registry->import_zones(std::move(zones));
        registry->import_old_units(geography::read_old_units(
            (data / "units/old_to_new_communes.csv").string(),
            (data / "units/units_v2.4.1_pre-reform_2025-03-01.json").string()));
    }
    return registry;
}

struct OsmScore {
    std::size_t asked = 0;          ///< points with addr:* tags
    std::size_t correct = 0;        ///< top-1 commune is the point's 2026 ward
    std::size_t placeable = 0;      ///< of them, with a street or a unit name in the text
    std::size_t placeable_correct = 0;
    std::vector<std::string> misses;  ///< "query -> got, want"
};

/// Runs evaluation (1); @p scratch is a directory for the two folds' stores.
inline OsmScore evaluate_osm(const std::filesystem::path& data,
                             const std::filesystem::path& scratch) {
    const auto points = read_osm_points(data / "osm/hanoi_pois_2024-09.geojson");
    OsmScore score;
    for (int fold = 0; fold < 2; ++fold) {
        const auto dir = scratch / ("osm-fold-" + std::to_string(fold));
        std::filesystem::remove_all(dir);
        std::filesystem::create_directories(scratch);
        auto registry = national_registry(dir, data);
        std::vector<store::Registration> known;
        for (const auto& p : points) {
            if ((p.osm_id & 1) != fold && !p.street.empty()) {
                store::Registration r;
                r.location = p.location;
                r.address.house_number = p.house_number;
                r.address.street = p.street;
                r.source = "osm";
                r.external_id = std::to_string(p.osm_id);
                known.push_back(std::move(r));
            }
        }
        std::vector<Result<store::Registered>> ignored;
        registry->register_households(known, &ignored);
        for (const auto& p : points) {
            if ((p.osm_id & 1) != fold) {
                continue;
            }
            const auto results = registry->search(p.query(), {1, store::Access::anonymous});
            const bool ok = !results.empty() && results.front().zone_id == p.ward_2026;
            const bool placeable = !p.street.empty() || !p.subdistrict.empty() ||
                                   !p.district.empty();
            ++score.asked;
            score.correct += ok ? 1 : 0;
            score.placeable += placeable ? 1 : 0;
            score.placeable_correct += (ok && placeable) ? 1 : 0;
            if (!ok) {
                score.misses.push_back(p.query() + " -> " +
                                       (results.empty() ? "nothing" : results.front().commune) +
                                       ", want " + p.ward_2026);
            }
        }
    }
    return score;
}

}  // namespace diachi::bench

#endif  // DIACHI_BENCHES_SEARCH_EVAL_HPP
