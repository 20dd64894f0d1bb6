// MBTiles 1.3 (https://github.com/mapbox/mbtiles-spec/blob/master/1.3/spec.md): the writer and
// reader behind archive.hpp, and open_archive().

#include <cstdio>
#include <fstream>
#include <mutex>
#include <stdexcept>

#include <sqlite3.h>

#include <diachi/tiles/archive.hpp>

#include "archive_internal.hpp"

namespace diachi::tiles {

namespace {

class Database {
public:
    Database(const std::string& path, int flags) : m_path(path) {
        if (sqlite3_open_v2(path.c_str(), &m_db, flags | SQLITE_OPEN_NOMUTEX, nullptr) !=
            SQLITE_OK) {
            const std::string reason = m_db != nullptr ? sqlite3_errmsg(m_db) : "out of memory";
            sqlite3_close(m_db);
            throw std::runtime_error(path + ": cannot open as SQLite (" + reason + ")");
        }
    }
    ~Database() { sqlite3_close(m_db); }
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    void exec(const char* sql) {
        char* error = nullptr;
        if (sqlite3_exec(m_db, sql, nullptr, nullptr, &error) != SQLITE_OK) {
            const std::string reason = error != nullptr ? error : "unknown";
            sqlite3_free(error);
            throw std::runtime_error(m_path + ": " + reason + " (in: " + sql + ")");
        }
    }
    sqlite3_stmt* prepare(const char* sql) {
        sqlite3_stmt* stmt = nullptr;
        if (sqlite3_prepare_v2(m_db, sql, -1, &stmt, nullptr) != SQLITE_OK) {
            throw std::runtime_error(m_path + ": " + sqlite3_errmsg(m_db) + " (in: " + sql + ")");
        }
        return stmt;
    }
    [[noreturn]] void fail(const std::string& what) {
        throw std::runtime_error(m_path + ": " + what + " (" + sqlite3_errmsg(m_db) + ")");
    }
    const std::string& path() const noexcept { return m_path; }

private:
    std::string m_path;
    sqlite3* m_db = nullptr;
};

// MBTiles rows count from the south (TMS): row = 2^z - 1 - y.
std::uint32_t tms_row(TileId tile) { return (1U << tile.z) - 1 - tile.y; }

class MbtilesWriter final : public ArchiveWriter {
public:
    explicit MbtilesWriter(const std::string& path)
        : m_db((std::remove(path.c_str()), path), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) {
        m_db.exec(
            "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA application_id=0x4d504258;"
            "CREATE TABLE metadata (name TEXT NOT NULL, value TEXT);"
            "CREATE TABLE tiles (zoom_level INTEGER NOT NULL, tile_column INTEGER NOT NULL,"
            " tile_row INTEGER NOT NULL, tile_data BLOB NOT NULL);"
            "CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);"
            "BEGIN;");
        m_insert = m_db.prepare("INSERT INTO tiles VALUES (?, ?, ?, ?)");
    }
    ~MbtilesWriter() override { sqlite3_finalize(m_insert); }

    void add(TileId tile, std::string_view data) override {
        sqlite3_reset(m_insert);
        sqlite3_bind_int(m_insert, 1, static_cast<int>(tile.z));
        sqlite3_bind_int(m_insert, 2, static_cast<int>(tile.x));
        sqlite3_bind_int(m_insert, 3, static_cast<int>(tms_row(tile)));
        sqlite3_bind_blob(m_insert, 4, data.data(), static_cast<int>(data.size()),
                          SQLITE_STATIC);
        const int status = sqlite3_step(m_insert);
        if (status == SQLITE_CONSTRAINT) {
            throw std::invalid_argument("MBTiles: tile " + to_string(tile) + " was added twice");
        }
        if (status != SQLITE_DONE) {
            m_db.fail("cannot add tile " + to_string(tile));
        }
        ++m_summary.tiles;
        ++m_summary.entries;
        ++m_summary.contents;
    }

    ArchiveSummary finish(const ArchiveInfo& info) override {
        sqlite3_stmt* meta = m_db.prepare("INSERT INTO metadata VALUES (?, ?)");
        const auto put = [&](const char* name, const std::string& value) {
            sqlite3_reset(meta);
            sqlite3_bind_text(meta, 1, name, -1, SQLITE_STATIC);
            sqlite3_bind_text(meta, 2, value.c_str(), -1, SQLITE_TRANSIENT);
            if (sqlite3_step(meta) != SQLITE_DONE) {
                sqlite3_finalize(meta);
                m_db.fail("cannot write metadata");
            }
        };
        const auto& b = info.bounds;
        char bounds[128];
        std::snprintf(bounds, sizeof bounds, "%.7f,%.7f,%.7f,%.7f", b.west_deg, b.south_deg,
                      b.east_deg, b.north_deg);
        char center[128];
        std::snprintf(center, sizeof center, "%.7f,%.7f,%u", (b.west_deg + b.east_deg) / 2,
                      (b.south_deg + b.north_deg) / 2, (info.min_zoom + info.max_zoom) / 2);
        put("name", "diachi");
        put("format", "pbf");
        put("type", "overlay");
        put("version", "1.3");
        put("description", "Vietnamese household codes, communes and provinces (diachi)");
        put("minzoom", std::to_string(info.min_zoom));
        put("maxzoom", std::to_string(info.max_zoom));
        put("bounds", bounds);
        put("center", center);
        put("json", info.metadata_json);
        sqlite3_finalize(meta);
        m_db.exec("COMMIT;");
        std::ifstream file(m_db.path(), std::ios::binary | std::ios::ate);
        m_summary.bytes = static_cast<std::uint64_t>(file.tellg());
        return m_summary;
    }

private:
    Database m_db;
    sqlite3_stmt* m_insert = nullptr;
    ArchiveSummary m_summary;
};

class MbtilesReader final : public ArchiveReader {
public:
    explicit MbtilesReader(const std::string& path) : m_db(path, SQLITE_OPEN_READONLY) {
        m_select = m_db.prepare(
            "SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?");
        sqlite3_stmt* meta = m_db.prepare("SELECT name, value FROM metadata");
        int status = 0;
        while ((status = sqlite3_step(meta)) == SQLITE_ROW) {
            const std::string name = reinterpret_cast<const char*>(sqlite3_column_text(meta, 0));
            const auto* text = sqlite3_column_text(meta, 1);
            const std::string value = text != nullptr ? reinterpret_cast<const char*>(text) : "";
            if (name == "minzoom") {
                m_info.min_zoom = static_cast<std::uint32_t>(std::stoul(value));
            } else if (name == "maxzoom") {
                m_info.max_zoom = static_cast<std::uint32_t>(std::stoul(value));
            } else if (name == "json") {
                m_info.metadata_json = value;
            } else if (name == "bounds") {
                std::sscanf(value.c_str(), "%lf,%lf,%lf,%lf", &m_info.bounds.west_deg,
                            &m_info.bounds.south_deg, &m_info.bounds.east_deg,
                            &m_info.bounds.north_deg);
            }
        }
        sqlite3_finalize(meta);
        if (status != SQLITE_DONE) {
            m_db.fail("cannot read the metadata table");
        }
    }
    ~MbtilesReader() override { sqlite3_finalize(m_select); }

    std::optional<std::string> get(TileId tile) const override {
        if (!is_valid(tile)) {
            return std::nullopt;
        }
        std::lock_guard lock(m_mutex);
        sqlite3_reset(m_select);
        sqlite3_bind_int(m_select, 1, static_cast<int>(tile.z));
        sqlite3_bind_int(m_select, 2, static_cast<int>(tile.x));
        sqlite3_bind_int(m_select, 3, static_cast<int>(tms_row(tile)));
        const int status = sqlite3_step(m_select);
        if (status == SQLITE_DONE) {
            return std::nullopt;
        }
        if (status != SQLITE_ROW) {
            m_db.fail("cannot read tile " + to_string(tile));
        }
        const auto* data = static_cast<const char*>(sqlite3_column_blob(m_select, 0));
        return std::string(data, static_cast<std::size_t>(sqlite3_column_bytes(m_select, 0)));
    }

    const ArchiveInfo& info() const noexcept override { return m_info; }

private:
    mutable Database m_db;
    sqlite3_stmt* m_select = nullptr;
    ArchiveInfo m_info;
    mutable std::mutex m_mutex;
};

}  // namespace

std::unique_ptr<ArchiveWriter> make_mbtiles_writer(const std::string& path) {
    return std::make_unique<MbtilesWriter>(path);
}

namespace detail {

std::unique_ptr<ArchiveReader> open_mbtiles(const std::string& path) {
    return std::make_unique<MbtilesReader>(path);
}

}  // namespace detail

std::unique_ptr<ArchiveReader> open_archive(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    if (!file) {
        throw std::runtime_error(path + ": cannot open");
    }
    char magic[16] = {};
    file.read(magic, sizeof magic);
    if (std::string_view(magic, 7) == "PMTiles") {
        return detail::open_pmtiles(path);
    }
    if (std::string_view(magic, 15) == "SQLite format 3") {
        return detail::open_mbtiles(path);
    }
    throw std::runtime_error(path + ": neither a PMTiles nor an MBTiles archive");
}

}  // namespace diachi::tiles
