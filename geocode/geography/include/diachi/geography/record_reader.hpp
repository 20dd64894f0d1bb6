#ifndef DIACHI_GEOGRAPHY_RECORD_READER_HPP
#define DIACHI_GEOGRAPHY_RECORD_READER_HPP

/// @file
/// Rows of any table or vector file GDAL reads (CSV, GeoJSON, GeoPackage, Shapefile, ...), one
/// at a time, as text fields plus the feature's point, for bulk imports.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <diachi/geography/transform.hpp>

namespace diachi::geography {

/// One row: its 1-based number in the file (a CSV's data row N is on line N + 1), every field as
/// text, and its point geometry when it has one.
struct Record {
    std::uint64_t number = 0;
    std::vector<std::string> values;  ///< in the order of RecordReader::fields()
    bool has_point = false;           ///< a Point geometry was read into point
    SourcePoint point;                ///< in the layer's CRS, x = easting or longitude
    std::string geometry_error;       ///< why a geometry could not be used; empty when fine
};

/// Reads records in file order. Not thread-safe.
class RecordReader {
public:
    /// Opens @p path (its first layer, or @p layer). Throws std::runtime_error naming the path
    /// when GDAL cannot open it or the layer does not exist.
    explicit RecordReader(const std::string& path, const std::string& layer = {});
    ~RecordReader();
    RecordReader(const RecordReader&) = delete;
    RecordReader& operator=(const RecordReader&) = delete;

    /// Field names in file order.
    [[nodiscard]] const std::vector<std::string>& fields() const noexcept { return m_fields; }
    /// Index of the field called @p name, or -1.
    [[nodiscard]] int field_index(std::string_view name) const noexcept;
    /// The layer's CRS as WKT, empty when it has none (CSV files without a .prj).
    [[nodiscard]] const std::string& crs_wkt() const noexcept { return m_crs_wkt; }
    /// Whether the file is a CSV (rows are lines, with a header line).
    [[nodiscard]] bool is_csv() const noexcept { return m_is_csv; }
    /// Number of rows when the driver knows it cheaply; -1 otherwise.
    [[nodiscard]] std::int64_t count_hint() const noexcept { return m_count_hint; }

    /// Reads the next record into @p out; false at the end.
    bool next(Record* out);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
    std::vector<std::string> m_fields;
    std::string m_crs_wkt;
    bool m_is_csv = false;
    std::int64_t m_count_hint = -1;
};

}  // namespace diachi::geography

#endif  // DIACHI_GEOGRAPHY_RECORD_READER_HPP
