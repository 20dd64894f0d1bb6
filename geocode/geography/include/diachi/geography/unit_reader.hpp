#ifndef DIACHI_GEOGRAPHY_UNIT_READER_HPP
#define DIACHI_GEOGRAPHY_UNIT_READER_HPP

/// @file
/// The administrative units before the 2025 reform and where each went: people keep writing
/// pre-2025 communes, districts and provinces, and search maps them to today's communes.

#include <string>
#include <vector>

namespace diachi::geography {

/// One pre-2025 commune and one commune it became part of. A commune split between several
/// new communes has one row per target, each marked partial.
struct OldUnit {
    std::string commune_code;  ///< pre-2025 GSO code, e.g. "00001"
    std::string commune;       ///< e.g. "Phường Phúc Xá"
    std::string district;      ///< e.g. "Quận Ba Đình" (empty when the unit list is not given)
    std::string province;      ///< e.g. "Thành phố Hà Nội"
    std::string new_zone_id;   ///< the commune it became part of (its zone id), e.g. "00097"
    bool partial = false;      ///< only part of the old commune went there

    friend bool operator==(const OldUnit&, const OldUnit&) = default;
};

/// Reads the old-to-new mapping (CSV with old_commune_code, old_commune_name,
/// old_province_name, new_commune_code and merge_type full|partial) and, when @p units_json is
/// not empty, the pre-reform unit list (JSON: provinces -> "District" -> "Ward", each with
/// "Code" and "FullName") for each old commune's district. Errors name the file and the row.
[[nodiscard]] std::vector<OldUnit> read_old_units(const std::string& mapping_csv,
                                                  const std::string& units_json = {});

/// One street and a pre-2025 district it runs through (a street crossing districts has a row
/// for each), or, from the street's shape, a commune it runs through (zone_id).
struct StreetRow {
    std::string province;  ///< e.g. "Hà Nội" (with or without its unit word)
    std::string district;  ///< with its unit word, e.g. "Quận Hoàn Kiếm"
    std::string street;    ///< e.g. "Hàng Gai" (often without Đường/Phố)
    std::string zone_id;   ///< today's commune it runs through; when set, district is unused

    friend bool operator==(const StreetRow&, const StreetRow&) = default;
};

/// Reads a street list (CSV with province, district_type, district and street, as
/// streets_by_district.csv). Errors name the file and the line.
[[nodiscard]] std::vector<StreetRow> read_streets(const std::string& csv);

}  // namespace diachi::geography

#endif  // DIACHI_GEOGRAPHY_UNIT_READER_HPP
