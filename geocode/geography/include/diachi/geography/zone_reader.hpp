#ifndef DIACHI_GEOGRAPHY_ZONE_READER_HPP
#define DIACHI_GEOGRAPHY_ZONE_READER_HPP

/// @file
/// Reading zones from any vector file GDAL opens (GeoJSON, GeoPackage, Shapefile, ...) in any
/// CRS, and the tables joined to them: zone id -> postcode, and postcode prefix -> province.

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include <diachi/geography/zone.hpp>

namespace diachi::geography {

/// Which fields of a zone file hold what. Defaults fit the national commune file
/// (wards_3321_*.geojson).
struct ZoneReadOptions {
    /// Layer to read; empty: the first layer.
    std::string layer;
    /// Field with the zone's identifier (required in every feature). Default "code".
    std::string id_field = "code";
    /// Field with the zone's name. Default "fullName".
    std::string name_field = "fullName";
    /// Field with the parent (province) identifier; empty: none. Default "provinceCode".
    std::string parent_id_field = "provinceCode";
    /// Field with the parent's name; empty: none. Default "provinceFullName".
    std::string parent_name_field = "provinceFullName";
    /// Field with a 5-digit postcode; empty: postcodes come from a joined table. Default empty.
    std::string postcode_field;
    /// CRS of the coordinates when the file names none, or to override it; empty: the layer's.
    std::string source_crs;
    /// First day the zones are valid, "YYYY-MM-DD". Default: the 2025 reform.
    std::string valid_from = "2025-07-01";
};

/// Every feature of the file as a zone, with its outline transformed to WGS 84.
/// Throws std::runtime_error naming the path and the feature (1-based) for a file GDAL cannot
/// open, a layer without a CRS (and no source_crs), a missing field, an empty, non-polygonal or
/// untransformable geometry, or a duplicate id.
[[nodiscard]] std::vector<ZoneFeature> read_zones(const std::string& path,
                                                  const ZoneReadOptions& options = {});

/// Zone id -> postcode from a CSV (or any table GDAL reads). Default columns fit
/// postcodes/postcodes_by_commune_2025.csv. Throws std::runtime_error naming the path and the
/// row for an unreadable file, a missing column, or a postcode that is not 5 digits.
[[nodiscard]] std::unordered_map<std::string, std::uint32_t> read_postcode_table(
    const std::string& path, const std::string& id_column = "commune_code_gso",
    const std::string& postcode_column = "postcode");

/// A province and the 2-digit postcode prefixes it holds (a merged province keeps the prefixes
/// of the provinces merged into it, Decision 2334/QĐ-BKHCN).
struct ProvincePrefixes {
    std::string province;                ///< name as written in the table, e.g. "TP. Hà Nội"
    std::vector<std::uint8_t> prefixes;  ///< e.g. {10, 11, 12, 13, 14}
};

/// Reads a table with columns "province" and "prefixes" (space-separated 2-digit numbers), such
/// as postcodes/qd2334-provinces.tsv. Throws std::runtime_error naming path and row.
[[nodiscard]] std::vector<ProvincePrefixes> read_prefix_table(const std::string& path);

/// Attaches postcodes from @p table to @p zones by id, leaving zones absent from the table
/// without one; returns how many zones got a postcode.
std::size_t join_postcodes(const std::unordered_map<std::string, std::uint32_t>& table,
                           std::vector<ZoneFeature>* zones);

}  // namespace diachi::geography

#endif  // DIACHI_GEOGRAPHY_ZONE_READER_HPP
