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

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <random>
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

/// The options of a top-1 evaluation query.
inline store::SearchOptions top_one() {
    store::SearchOptions options;
    options.limit = 1;
    return options;
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
        if (const auto streets = data / "streets/streets_by_district.csv";
            std::filesystem::exists(streets)) {
            registry->import_streets(geography::read_streets(streets.string()));
        }
        // The shapes of central Hà Nội's streets (only its highway ways are read: none of the
        // OSM address points the evaluation asks).
        if (const auto shapes = data / "osm/hanoi_center_2023-12.osm.pbf";
            std::filesystem::exists(shapes)) {
            registry->import_street_lines(geography::read_osm_streets(shapes.string()));
        }
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
            const auto results = registry->search(p.query(), top_one());
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


// --- (3) The unit lists written the ways people write them ---------------------------------
//
// Real units (the pre-2025 communes with their districts and provinces, and today's communes
// with their provinces), each written in several forms: in full; without diacritics;
// abbreviated (P., X., TT., Q., H., TX., TP., T.; numbered wards as P1, P.01, F1); without unit
// words; without commas; bare (no units, no commas, no diacritics); with the province as people
// shorten it (TP.HCM, TPHCM, HCM, SG, Sài Gòn, HN, BR-VT, T.Giang, Đ.Nai); glued (TP.HồChíMinh,
// P.TânĐịnh); with one typo in the commune; the old commune with its province and no district.
// The answer is the new commune (for an old commune split between several, any of them).

struct WrittenUnit {
    std::string commune, district, province;  ///< full names, as the unit lists spell them
    std::vector<std::string> zones;           ///< acceptable answers (today's zone ids)
    /// No other unit of its province has its name: it can be written without its district.
    bool unique_in_province = true;
};

/// "Phường Phúc Xá" -> {"Phường", "Phúc Xá"}; a name without a unit word keeps it empty.
inline std::pair<std::string, std::string> split_unit(const std::string& full) {
    static const char* const units[] = {"Thành phố", "Thị xã", "Thị trấn", "Đặc khu",
                                        "Phường",    "Xã",     "Quận",     "Huyện",  "Tỉnh"};
    for (const char* u : units) {
        const std::string unit(u);
        if (full.size() > unit.size() + 1 && full.compare(0, unit.size(), unit) == 0 &&
            full[unit.size()] == ' ') {
            return {unit, full.substr(unit.size() + 1)};
        }
    }
    return {std::string(), full};
}

inline std::string abbreviation(const std::string& unit) {
    static const std::pair<const char*, const char*> table[] = {
        {"Phường", "P."}, {"Xã", "X."},      {"Thị trấn", "TT."}, {"Quận", "Q."},
        {"Huyện", "H."},  {"Thị xã", "TX."}, {"Thành phố", "TP."}, {"Tỉnh", "T."},
        {"Đặc khu", "ĐK."}};
    for (const auto& [full, abbr] : table) {
        if (unit == full) {
            return abbr;
        }
    }
    return unit;
}

inline std::string without_spaces(std::string s) {
    std::erase(s, ' ');
    return s;
}

inline bool all_digits(const std::string& s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/// The province as people shorten it; @p variant picks among several forms.
inline std::string short_province(const std::string& full, std::size_t variant) {
    const auto [unit, name] = split_unit(full);
    if (name == "Hồ Chí Minh") {
        static const char* const forms[] = {"TP.HCM", "TPHCM", "HCM", "SG", "Sài Gòn", "tp hcm"};
        return forms[variant % 6];
    }
    if (name == "Hà Nội") {
        return variant % 2 == 0 ? "HN" : "TP. HN";
    }
    if (name == "Bà Rịa - Vũng Tàu") {
        return variant % 2 == 0 ? "BR-VT" : "BRVT";
    }
    // "Tiền Giang" -> "T.Giang": the first word's initial, a dot, the rest.
    const std::size_t space = name.find(' ');
    if (space == std::string::npos) {
        return name;
    }
    std::size_t initial = 1;
    while (initial < space && (static_cast<unsigned char>(name[initial]) & 0xC0) == 0x80) {
        ++initial;
    }
    return fold(name.substr(0, initial)) == "d" ? "Đ." + name.substr(space + 1)
                                                : name.substr(0, initial) + "." + name.substr(space + 1);
}

/// One typo in the longest word of @p s written in ASCII letters: two letters swapped or one
/// dropped, where @p seed says.
inline std::string typo_in_text(std::string s, std::uint64_t seed) {
    std::size_t best = 0;
    std::size_t best_length = 0;
    for (std::size_t i = 0; i < s.size();) {
        std::size_t j = i;
        while (j < s.size() && ((s[j] >= 'a' && s[j] <= 'z') || (s[j] >= 'A' && s[j] <= 'Z'))) {
            ++j;
        }
        if (j - i > best_length) {
            best = i;
            best_length = j - i;
        }
        i = j == i ? i + 1 : j;
    }
    if (best_length < 4) {
        return s;
    }
    const std::size_t at = best + 1 + seed % (best_length - 2);
    if ((seed >> 8) % 2 == 0) {
        std::swap(s[at], s[at + 1]);
    } else {
        s.erase(at, 1);
    }
    return s;
}

/// One typo in the longest word of the folded @p name.
inline std::string typo_in(const std::string& name, std::uint64_t seed) {
    return typo_in_text(fold(name), seed);
}

struct WrittenForm {
    std::string text;
    std::size_t form = 0;
    const WrittenUnit* unit = nullptr;
};

inline constexpr std::array<const char*, 11> written_form_names = {
    "written", "no_diacritics", "abbreviated",  "no_units", "no_commas",        "bare",
    "short_province", "glued",  "typo",         "lower_no_commas_abbr", "commune_province"};

/// The forms of one unit; @p seed varies the choices (which numbered-ward spelling, which
/// short province form, where the typo goes).
inline std::vector<WrittenForm> written_forms(const WrittenUnit& u, std::uint64_t seed) {
    std::vector<WrittenForm> out;
    std::vector<std::pair<std::string, std::string>> parts;  // unit word, name
    for (const std::string* full : {&u.commune, &u.district, &u.province}) {
        if (!full->empty()) {
            parts.push_back(split_unit(*full));
        }
    }
    const auto join = [&](auto&& each, const char* separator) {
        std::string s;
        for (std::size_t i = 0; i < parts.size(); ++i) {
            const std::string piece = each(i);
            if (!piece.empty()) {
                s.append(s.empty() ? "" : separator).append(piece);
            }
        }
        return s;
    };
    const auto full = [&](std::size_t i) {
        return parts[i].first.empty() ? parts[i].second : parts[i].first + " " + parts[i].second;
    };
    const auto abbreviated = [&](std::size_t i) {
        const auto& [unit, name] = parts[i];
        if (unit.empty()) {
            return name;
        }
        if (all_digits(name)) {  // numbered wards and districts: P1, P.01, F1, Q3, Q.3
            const std::string letter = unit == "Phường" ? ((seed % 3 == 2) ? "F" : "P")
                                                         : fold(abbreviation(unit)).substr(0, 1);
            const std::string n = (seed % 3 == 1 && name.size() == 1) ? "0" + name : name;
            return (seed % 3 == 0 ? letter : letter + ".") + n;
        }
        return abbreviation(unit) + " " + name;
    };
    const auto add = [&](std::size_t form, std::string text) {
        out.push_back({std::move(text), form, &u});
    };
    add(0, join(full, ", "));
    add(1, fold(join(full, ", ")));
    add(2, join(abbreviated, ", "));
    // Without unit words a numbered ward is a bare number ("12, 3, Hồ Chí Minh"): no one
    // writes that, and no reader could place it.
    const bool numbered = all_digits(parts.front().second);
    if (!numbered) {
        add(3, join([&](std::size_t i) { return parts[i].second; }, ", "));
    }
    add(4, fold(join(full, " ")));
    if (!numbered) {
        add(5, fold(join([&](std::size_t i) { return parts[i].second; }, " ")));
    }
    add(6, join([&](std::size_t i) {
            return i + 1 == parts.size() ? short_province(u.province, seed) : full(i);
        }, ", "));
    add(7, join([&](std::size_t i) {
            const auto& [unit, name] = parts[i];
            return unit.empty() ? without_spaces(name)
                                : without_spaces(abbreviation(unit)) + without_spaces(name);
        }, ", "));
    add(8, join([&](std::size_t i) {
            return i == 0 ? parts[i].first + " " + typo_in(parts[i].second, seed) : full(i);
        }, ", "));
    add(9, fold(join(abbreviated, " ")));
    if (!u.district.empty() && u.unique_in_province) {
        add(10, full(0) + ", " + full(parts.size() - 1));
    }
    return out;
}

/// The units of the corpus: @p per_kind old communes (with district and province) and as many
/// of today's communes, drawn with a fixed seed.
inline std::vector<WrittenUnit> written_units(const geography::ZoneIndex& zones,
                                              const std::vector<geography::OldUnit>& old,
                                              std::size_t per_kind) {
    std::vector<WrittenUnit> units;
    std::map<std::string, WrittenUnit> by_code;
    for (const auto& o : old) {
        auto& u = by_code[o.commune_code];
        u.commune = o.commune;
        u.district = o.district;
        u.province = o.province;
        u.zones.push_back(o.new_zone_id);
    }
    // An old commune's name with its old province, and with the province its zone is in now.
    std::map<std::pair<std::string, std::string>, int> named;
    for (const auto& [code, u] : by_code) {
        ++named[{fold(split_unit(u.commune).second), u.province}];
    }
    for (std::uint32_t z = 0; z < zones.size(); ++z) {
        ++named[{fold(split_unit(zones.zone(z).name).second), zones.zone(z).parent_name}];
    }
    for (auto& [code, u] : by_code) {
        const std::string name = fold(split_unit(u.commune).second);
        const auto zone = zones.find(u.zones.front());
        const std::string now = zone ? zones.zone(*zone).parent_name : std::string();
        u.unique_in_province = named[{name, u.province}] == 1 &&
                               (now == u.province || named[{name, now}] == 0);
    }
    std::vector<const WrittenUnit*> olds;
    for (const auto& [code, u] : by_code) {
        if (!u.district.empty()) {
            olds.push_back(&u);
        }
    }
    std::mt19937_64 rng(2025);
    for (std::size_t i = 0; i < per_kind && !olds.empty(); ++i) {
        units.push_back(*olds[rng() % olds.size()]);
    }
    for (std::size_t i = 0; i < per_kind && zones.size() > 0; ++i) {
        const auto& z = zones.zone(static_cast<std::uint32_t>(rng() % zones.size()));
        units.push_back({z.name, {}, z.parent_name, {z.id}});
    }
    return units;
}

struct FormScore {
    std::size_t asked = 0;
    std::size_t correct = 0;
};

/// Top-1 figures of an evaluation in @p N forms.
template <std::size_t N>
struct FormsScore {
    std::array<FormScore, N> forms{};
    std::size_t asked = 0;
    std::size_t correct = 0;
    std::vector<std::string> misses;  ///< "[form] text -> got, want"

    /// Counts one query of form @p form; @p miss says what came instead when it was wrong.
    void count(std::size_t form, bool ok, const char* form_name, const std::string& miss) {
        ++asked;
        ++forms[form].asked;
        correct += ok ? 1 : 0;
        forms[form].correct += ok ? 1 : 0;
        if (!ok) {
            misses.push_back(std::string("[") + form_name + "] " + miss);
        }
    }
};

using WrittenScore = FormsScore<written_form_names.size()>;

/// Runs evaluation (3) on @p registry (zones and old units imported).
inline WrittenScore evaluate_written_units(const store::Registry& registry,
                                           const std::vector<geography::OldUnit>& old,
                                           std::size_t per_kind = 300) {
    const auto zones = registry.zones();
    const auto units = written_units(*zones, old, per_kind);
    WrittenScore score;
    std::uint64_t seed = 7;
    for (const auto& u : units) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        for (const auto& f : written_forms(u, seed >> 20)) {
            const auto results = registry.search(f.text, top_one());
            const bool ok = !results.empty() &&
                            std::find(u.zones.begin(), u.zones.end(), results.front().zone_id) !=
                                u.zones.end();
            score.count(f.form, ok, written_form_names[f.form],
                        f.text + " -> " +
                            (results.empty() ? "nothing"
                                             : results.front().label + " " + results.front().zone_id) +
                            ", want " + u.zones.front());
        }
    }
    return score;
}

// --- (4) The street list: streets asked with and without their district ----------------------
//
// Streets of streets/streets_by_district.csv drawn with a fixed seed, each asked as "Hàng Gai,
// Quận Hoàn Kiếm, Hà Nội" (with its district), "12 Hàng Gai, Hoàn Kiếm, Hà Nội" (a house number,
// the district without its unit word, "Q.5" for a numbered one), the same without diacritics, and "12 Hàng Gai, Hà Nội"
// (without its district). The answer is any commune its old district's communes went to: the
// list places a street in a district, no finer. The street list is the gazetteer's own (search
// knows these streets); what is measured is the reading of the text around them.

inline constexpr std::array<const char*, 4> street_form_names = {
    "with_district", "house_number", "no_diacritics", "no_district"};

using StreetScore = FormsScore<street_form_names.size()>;

inline std::string trimmed(std::string s) {
    while (!s.empty() && s.back() == ' ') {
        s.pop_back();
    }
    while (!s.empty() && s.front() == ' ') {
        s.erase(0, 1);
    }
    return s;
}

inline StreetScore evaluate_streets(const store::Registry& registry,
                                    const std::vector<geography::OldUnit>& old,
                                    const std::filesystem::path& streets_csv,
                                    std::size_t count = 500) {
    StreetScore score;
    const auto rows = geography::read_streets(streets_csv.string());
    // The communes each old district went to, by folded province and district names.
    std::map<std::pair<std::string, std::string>, std::vector<std::string>> district_zones;
    for (const auto& u : old) {
        if (!u.district.empty()) {
            district_zones[{fold(split_unit(u.province).second), fold(u.district)}].push_back(
                u.new_zone_id);
        }
    }
    std::mt19937_64 rng(2019);
    for (std::size_t n = 0; n < count && !rows.empty(); ++n) {
        const auto& row = rows[rng() % rows.size()];
        const std::string province = trimmed(row.province);
        const std::string district = trimmed(row.district);
        const auto it = district_zones.find({fold(province), fold(district)});
        if (it == district_zones.end() || all_digits(row.street)) {
            continue;
        }
        const std::string house = std::to_string(1 + rng() % 200);
        // Without its unit word, but a numbered district keeps it, shortened ("Q.5"): "5" alone
        // is no one's way of writing it.
        const auto [district_unit, district_name] = split_unit(district);
        const std::string bare_district = all_digits(district_name)
                                              ? abbreviation(district_unit) + district_name
                                              : district_name;
        const std::array<std::string, street_form_names.size()> texts = {
            row.street + ", " + district + ", " + province,
            house + " " + row.street + ", " + bare_district + ", " + province,
            fold(house + " " + row.street + ", " + bare_district + ", " + province),
            house + " " + row.street + ", " + province,
        };
        for (std::size_t f = 0; f < texts.size(); ++f) {
            const auto results = registry.search(texts[f], top_one());
            const bool ok = !results.empty() &&
                            std::find(it->second.begin(), it->second.end(),
                                      results.front().zone_id) != it->second.end();
            score.count(f, ok, street_form_names[f],
                        texts[f] + " -> " + (results.empty() ? "nothing" : results.front().label));
        }
    }
    return score;
}

}  // namespace diachi::bench

#endif  // DIACHI_BENCHES_SEARCH_EVAL_HPP
