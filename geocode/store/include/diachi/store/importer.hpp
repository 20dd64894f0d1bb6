#ifndef DIACHI_STORE_IMPORTER_HPP
#define DIACHI_STORE_IMPORTER_HPP

/// @file
/// Bulk import of households from a CSV or any vector file GDAL reads, in any CRS PROJ knows.
/// Every row gets a code or an error naming its row (and line); good rows are all kept. Rows
/// carry an external id (a mapped field, else their row number), so running the same file again
/// registers nothing twice. Rows are written in batches; a batch counts as committed (and is
/// reported to the progress callback) only once it is durable.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <diachi/store/registry.hpp>

namespace diachi::store {

/// Field mapping and options of an import. A field name left empty is looked for under its
/// default names; a name given explicitly must exist in the file.
struct ImportOptions {
    std::string layer;             ///< layer to read; empty: the first
    std::string source;            ///< the records' source; empty: "import:<file name>"
    std::string actor = "import";  ///< recorded in each household's history
    /// Latitude / longitude fields in degrees (or northing / easting when @p crs is projected).
    /// Defaults: "lat", "latitude", "vi_do" and "lng", "lon", "longitude", "kinh_do"; when a file
    /// has neither, its Point geometries are used.
    std::string lat_field;
    std::string lng_field;
    /// CRS of the coordinates ("EPSG:9210", "VN2000-TM3:105.75", ...). Empty: the layer's CRS
    /// for geometries, WGS 84 for coordinate fields. Decimal WGS 84 text is read exactly.
    std::string crs;
    /// External id field; empty: "id" or "external_id" if present, else the row number.
    std::string id_field;
    std::string house_number_field;  ///< default "house_number"
    std::string street_field;        ///< default "street"
    std::string hamlet_field;        ///< default "hamlet"
    std::string head_field;          ///< default "head_of_household"
    std::string phone_field;         ///< default "phone"
    /// Rows per atomic write. Default 50,000: at RegistryOptions::ingest_min_batch and above,
    /// batches are ingested as table files, several times faster than written.
    std::size_t batch_size = 50'000;
    /// Keep at most this many row errors in the summary (all are counted). Default 1000.
    std::size_t max_errors_kept = 1000;
    /// Run the import as a BulkLoad (Registry::begin_bulk_load()): into an empty store, its
    /// files are merged once at the end instead of compacted as they come, and each batch is
    /// written while the next is read (BulkLoad::add(); progress reports a batch once it is
    /// durable). False for an import that is part of a load the caller holds. Default true.
    bool bulk_load = true;
};

/// A row that got no code.
struct ImportError {
    std::uint64_t row = 0;  ///< 1-based row (feature) number; a CSV's row N is on line N + 1
    std::string message;    ///< e.g. "row 17 (line 18): latitude: malformed number ..."
};

/// Counts so far; reported after each committed batch and returned at the end.
struct ImportProgress {
    std::uint64_t rows = 0;        ///< rows read and committed
    std::uint64_t created = 0;     ///< households registered by this run
    std::uint64_t existing = 0;    ///< rows registered by an earlier run (same external id)
    std::uint64_t failed = 0;      ///< rows with an error
    std::int64_t total_hint = -1;  ///< rows in the file when known cheaply, else -1
    double seconds = 0.0;          ///< since the import started
    /// Every row is committed; the bulk load's files are being merged (BulkLoad::finish()).
    bool merging = false;
};

/// The end of an import.
struct ImportSummary {
    ImportProgress counts;
    std::vector<ImportError> errors;  ///< the first ImportOptions::max_errors_kept errors
};

/// Imports @p path into @p registry. Throws std::runtime_error (naming the path) when the file
/// cannot be read, a mapped field is missing or there are no coordinates; rows with bad values
/// are reported in the summary instead.
[[nodiscard]] ImportSummary import_households(
    Registry& registry, const std::string& path, const ImportOptions& options = {},
    const std::function<void(const ImportProgress&)>& progress = {});

}  // namespace diachi::store

#endif  // DIACHI_STORE_IMPORTER_HPP
