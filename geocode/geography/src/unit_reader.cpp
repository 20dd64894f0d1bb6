#include <diachi/geography/unit_reader.hpp>

#include <stdexcept>
#include <unordered_map>

#include <cpl_json.h>

#include "gdal_internal.hpp"

namespace diachi::geography {

std::vector<OldUnit> read_old_units(const std::string& mapping_csv,
                                    const std::string& units_json) {
    std::unordered_map<std::string, std::string> district_of;  // old commune code -> district
    if (!units_json.empty()) {
        CPLJSONDocument document;
        if (!document.Load(units_json)) {
            throw std::runtime_error(units_json + ": not a readable JSON document");
        }
        const CPLJSONArray provinces = document.GetRoot().ToArray();
        if (!provinces.IsValid()) {
            throw std::runtime_error(units_json + ": expected an array of provinces");
        }
        for (int p = 0; p < provinces.Size(); ++p) {
            const CPLJSONArray districts = provinces[p].GetArray("District");
            if (!districts.IsValid()) {
                throw std::runtime_error(units_json + ": province " + std::to_string(p + 1) +
                                         " has no \"District\" array");
            }
            for (int d = 0; d < districts.Size(); ++d) {
                const std::string district = districts[d].GetString("FullName");
                const CPLJSONArray wards = districts[d].GetArray("Ward");
                for (int w = 0; wards.IsValid() && w < wards.Size(); ++w) {
                    district_of[wards[w].GetString("Code")] = district;
                }
            }
        }
    }
    auto dataset = detail::open_vector(mapping_csv);
    OGRLayer* layer = detail::layer_of(*dataset, mapping_csv, {});
    const int code_field = detail::required_field(*layer, mapping_csv, "old_commune_code");
    const int name_field = detail::required_field(*layer, mapping_csv, "old_commune_name");
    const int province_field = detail::required_field(*layer, mapping_csv, "old_province_name");
    const int target_field = detail::required_field(*layer, mapping_csv, "new_commune_code");
    const int merge_field = detail::required_field(*layer, mapping_csv, "merge_type");
    std::vector<OldUnit> units;
    long row = 1;  // the header is line 1
    for (auto& feature : *layer) {
        ++row;
        OldUnit unit;
        unit.commune_code = feature->GetFieldAsString(code_field);
        unit.commune = feature->GetFieldAsString(name_field);
        unit.province = feature->GetFieldAsString(province_field);
        unit.new_zone_id = feature->GetFieldAsString(target_field);
        const std::string merge = feature->GetFieldAsString(merge_field);
        if (unit.commune.empty() || unit.new_zone_id.empty() || unit.province.empty()) {
            throw std::runtime_error(mapping_csv + ": line " + std::to_string(row) +
                                     ": expected an old commune, its province and a new code");
        }
        if (merge != "full" && merge != "partial") {
            throw std::runtime_error(mapping_csv + ": line " + std::to_string(row) +
                                     ": merge_type '" + merge + "' is neither full nor partial");
        }
        unit.partial = merge == "partial";
        if (const auto it = district_of.find(unit.commune_code); it != district_of.end()) {
            unit.district = it->second;
        }
        units.push_back(std::move(unit));
    }
    if (units.empty()) {
        throw std::runtime_error(mapping_csv + ": no rows");
    }
    return units;
}

std::vector<StreetRow> read_streets(const std::string& csv) {
    auto dataset = detail::open_vector(csv);
    OGRLayer* layer = detail::layer_of(*dataset, csv, {});
    const int province_field = detail::required_field(*layer, csv, "province");
    const int type_field = detail::required_field(*layer, csv, "district_type");
    const int district_field = detail::required_field(*layer, csv, "district");
    const int street_field = detail::required_field(*layer, csv, "street");
    std::vector<StreetRow> rows;
    long row = 1;  // the header is line 1
    for (auto& feature : *layer) {
        ++row;
        StreetRow r;
        r.province = feature->GetFieldAsString(province_field);
        const std::string type = feature->GetFieldAsString(type_field);
        r.district = feature->GetFieldAsString(district_field);
        if (!type.empty()) {
            r.district = type + " " + r.district;
        }
        r.street = feature->GetFieldAsString(street_field);
        if (r.province.empty() || r.district.empty() || r.street.empty()) {
            throw std::runtime_error(csv + ": line " + std::to_string(row) +
                                     ": expected a province, a district and a street");
        }
        rows.push_back(std::move(r));
    }
    if (rows.empty()) {
        throw std::runtime_error(csv + ": no rows");
    }
    return rows;
}

}  // namespace diachi::geography
