#include <diachi/store/importer.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <span>
#include <stdexcept>
#include <utility>

#include <diachi/geography/record_reader.hpp>
#include <diachi/geography/transform.hpp>

namespace diachi::store {
namespace {

/// The index of the field named @p chosen (which must exist), or of the first of @p defaults
/// present, or -1.
int pick_field(const geography::RecordReader& reader, const std::string& path,
               const std::string& chosen, std::initializer_list<const char*> defaults) {
    if (!chosen.empty()) {
        const int index = reader.field_index(chosen);
        if (index < 0) {
            std::string fields;
            for (const auto& f : reader.fields()) {
                fields += (fields.empty() ? "" : ", ") + f;
            }
            throw std::runtime_error(path + ": no field '" + chosen + "' (fields: " + fields + ")");
        }
        return index;
    }
    for (const char* name : defaults) {
        if (const int index = reader.field_index(name); index >= 0) {
            return index;
        }
    }
    return -1;
}

std::string row_label(const geography::RecordReader& reader, std::uint64_t row) {
    std::string label = "row " + std::to_string(row);
    if (reader.is_csv()) {
        label += " (line " + std::to_string(row + 1) + ")";
    }
    return label;
}

/// A source point through @p transform (none: it is WGS 84 already, x = longitude) to 1e-7 degree.
Result<LatLngE7> to_e7(const std::optional<geography::Transform>& transform,
                       geography::SourcePoint point) {
    const auto wgs84 = transform
                           ? transform->to_wgs84(point)
                           : Result<geography::LatLngDeg>(geography::LatLngDeg{point.y, point.x});
    if (!wgs84) {
        return wgs84.error();
    }
    return LatLngE7::from_degrees(wgs84->lat_deg, wgs84->lng_deg);
}

std::optional<double> parse_double(const std::string& text) {
    if (text.empty()) {
        return std::nullopt;
    }
    char* end = nullptr;
    const double value = std::strtod(text.c_str(), &end);
    if (end != text.c_str() + text.size()) {
        return std::nullopt;
    }
    return value;
}

}  // namespace

ImportSummary import_households(Registry& registry, const std::string& path,
                                const ImportOptions& options,
                                const std::function<void(const ImportProgress&)>& progress) {
    const auto start = std::chrono::steady_clock::now();
    geography::RecordReader reader(path, options.layer);
    const int lat_field = pick_field(reader, path, options.lat_field, {"lat", "latitude", "vi_do"});
    const int lng_field =
        pick_field(reader, path, options.lng_field, {"lng", "lon", "longitude", "kinh_do"});
    const int id_field = pick_field(reader, path, options.id_field, {"id", "external_id"});
    const int house_field = pick_field(reader, path, options.house_number_field, {"house_number"});
    const int street_field = pick_field(reader, path, options.street_field, {"street"});
    const int hamlet_field = pick_field(reader, path, options.hamlet_field, {"hamlet"});
    const int head_field = pick_field(reader, path, options.head_field, {"head_of_household"});
    const int phone_field = pick_field(reader, path, options.phone_field, {"phone"});
    const bool use_fields = lat_field >= 0 && lng_field >= 0;
    if (!use_fields && (lat_field >= 0 || lng_field >= 0)) {
        throw std::runtime_error(path + ": found only one of the latitude / longitude fields");
    }
    // Coordinates: exact decimal WGS 84 text, or numbers / geometries through PROJ.
    std::optional<geography::Transform> transform;
    if (!options.crs.empty()) {
        transform.emplace(options.crs);
    } else if (!use_fields && !reader.crs_wkt().empty()) {
        transform.emplace(reader.crs_wkt());
    }
    const std::string source = options.source.empty()
                                   ? "import:" + std::filesystem::path(path).filename().string()
                                   : options.source;

    std::optional<BulkLoad> load;
    if (options.bulk_load) {
        const std::int64_t rows = reader.count_hint();
        load.emplace(registry.begin_bulk_load(rows > 0 ? static_cast<std::size_t>(rows) : 0));
    }
    ImportSummary summary;
    summary.counts.total_hint = reader.count_hint();
    // The rows read since the last batch was handed over: those to register, with their row
    // numbers, and those that failed before (counted once their batch is committed, so that
    // the counts always describe committed rows).
    struct Pending {
        std::vector<std::uint64_t> rows;
        std::vector<ImportError> unread;  // row, message
    };
    std::vector<Registration> batch;
    std::vector<Registration> spare;  // an acknowledged batch's memory, for the next one
    Pending pending;
    std::vector<Result<Registered>> results;
    const auto fail = [&](std::uint64_t row, std::string message) {
        pending.unread.push_back({row, std::move(message)});
    };
    // A committed batch: its errors in row order, its counts, the progress report.
    const auto account = [&](const Pending& rows, std::span<const Result<Registered>> outcome) {
        std::size_t next_unread = 0;
        const auto report = [&](std::uint64_t row, const std::string& message) {
            ++summary.counts.failed;
            if (summary.errors.size() < options.max_errors_kept) {
                summary.errors.push_back({row, row_label(reader, row) + ": " + message});
            }
        };
        for (std::size_t i = 0; i < outcome.size(); ++i) {
            for (; next_unread < rows.unread.size() && rows.unread[next_unread].row < rows.rows[i];
                 ++next_unread) {
                report(rows.unread[next_unread].row, rows.unread[next_unread].message);
            }
            if (!outcome[i]) {
                report(rows.rows[i], outcome[i].error().message());
            } else if (outcome[i]->created) {
                ++summary.counts.created;
            } else {
                ++summary.counts.existing;
            }
        }
        for (; next_unread < rows.unread.size(); ++next_unread) {
            report(rows.unread[next_unread].row, rows.unread[next_unread].message);
        }
        summary.counts.rows += outcome.size() + rows.unread.size();
        summary.counts.seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (progress) {
            progress(summary.counts);
        }
    };
    // In a bulk load, a batch is written while the next is read (BulkLoad::add()).
    const auto flush = [&] {
        if (load) {
            load->add(
                std::exchange(batch, std::exchange(spare, {})),
                [&, rows = std::exchange(pending, {})](std::vector<Registration>& registrations,
                                                       std::vector<Result<Registered>>& outcome) {
                    account(rows, outcome);
                    spare = std::move(registrations);
                });
            batch.clear();
        } else {
            registry.register_households(batch, &results);
            account(pending, results);
            batch.clear();
            pending = {};
        }
    };
    const auto text_of = [](const geography::Record& record, int field) -> const std::string& {
        static const std::string empty;
        return field >= 0 ? record.values[static_cast<std::size_t>(field)] : empty;
    };

    geography::Record record;
    while (reader.next(&record)) {
        Registration r;
        std::optional<LatLngE7> location;
        if (use_fields) {
            const std::string& lat = text_of(record, lat_field);
            const std::string& lng = text_of(record, lng_field);
            if (lat.empty() || lng.empty()) {
                fail(record.number, "missing field: latitude or longitude is empty");
            } else if (!transform) {
                const auto parsed = LatLngE7::from_decimal(lat, lng);
                if (parsed) {
                    location = *parsed;
                } else {
                    fail(record.number,
                         parsed.error().message() + " ('" + lat + "', '" + lng + "')");
                }
            } else {
                const auto y = parse_double(lat);
                const auto x = parse_double(lng);
                if (!x || !y) {
                    fail(record.number, "malformed number ('" + lat + "', '" + lng + "')");
                } else if (const auto e7 = to_e7(transform, {*x, *y})) {
                    location = *e7;
                } else {
                    fail(record.number, e7.error().message());
                }
            }
        } else if (!record.has_point) {
            fail(record.number, record.geometry_error.empty()
                                    ? "missing field: no coordinates and no point geometry"
                                    : record.geometry_error);
        } else if (const auto e7 = to_e7(transform, record.point)) {
            location = *e7;
        } else {
            fail(record.number, e7.error().message());
        }
        if (!location) {
            continue;
        }
        r.location = *location;
        r.address.house_number = text_of(record, house_field);
        r.address.street = text_of(record, street_field);
        r.address.hamlet = text_of(record, hamlet_field);
        r.personal.head_of_household = text_of(record, head_field);
        r.personal.phone = text_of(record, phone_field);
        r.source = source;
        r.external_id = id_field >= 0 ? text_of(record, id_field) : std::string();
        if (r.external_id.empty()) {
            r.external_id = "row:" + std::to_string(record.number);
        }
        r.actor = options.actor;
        batch.push_back(std::move(r));
        pending.rows.push_back(record.number);
        if (batch.size() >= options.batch_size) {
            flush();
        }
    }
    if (!batch.empty() || !pending.unread.empty()) {
        flush();
    }
    if (load) {
        load->flush();
        if (load->deferred() && progress) {
            summary.counts.merging = true;
            progress(summary.counts);
            summary.counts.merging = false;
        }
        load->finish();
    }
    summary.counts.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return summary;
}

}  // namespace diachi::store
