#ifndef DIACHI_TILES_ARCHIVE_HPP
#define DIACHI_TILES_ARCHIVE_HPP

/// @file
/// Tile archives for offline phones and static hosting: PMTiles v3 (one file read with HTTP range
/// requests: Hilbert tile ids, run-length directories, identical tiles stored once, header and
/// root directory in the first 16 KiB) and MBTiles 1.3 (SQLite). Both hold gzipped MVT tiles and
/// TileJSON-style metadata with vector_layers. Writers take tiles one at a time (in PMTiles tile
/// id order for a clustered archive); readers are thread-safe.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <diachi/geography/zone_index.hpp>
#include <diachi/tiles/tile_id.hpp>

namespace diachi::tiles {

/// What an archive says about itself.
struct ArchiveInfo {
    std::uint32_t min_zoom = 0;
    std::uint32_t max_zoom = 0;
    geography::Bounds bounds;           ///< degrees
    std::string metadata_json;          ///< the JSON metadata object (with "vector_layers")
};

/// Counts of a written archive.
struct ArchiveSummary {
    std::uint64_t tiles = 0;           ///< addressed tiles
    std::uint64_t entries = 0;         ///< directory entries (runs of identical tiles count once)
    std::uint64_t contents = 0;        ///< distinct tile contents stored
    std::uint64_t bytes = 0;           ///< the archive's size
    std::uint64_t leaf_directories = 0;
};

/// Receives gzipped tiles and writes an archive.
class ArchiveWriter {
public:
    virtual ~ArchiveWriter() = default;
    /// Adds tile @p tile with gzipped MVT @p data. Throws std::invalid_argument for a tile added
    /// twice (PMTiles: also detected at finish()), std::runtime_error on I/O failure.
    virtual void add(TileId tile, std::string_view data) = 0;
    /// Writes the directories and metadata and closes the archive.
    virtual ArchiveSummary finish(const ArchiveInfo& info) = 0;
};

/// A PMTiles v3 writer for @p path (written next to it first, renamed at finish()).
[[nodiscard]] std::unique_ptr<ArchiveWriter> make_pmtiles_writer(const std::string& path);
/// An MBTiles writer for @p path (replaced if it exists).
[[nodiscard]] std::unique_ptr<ArchiveWriter> make_mbtiles_writer(const std::string& path);

/// Reads tiles of an archive.
class ArchiveReader {
public:
    virtual ~ArchiveReader() = default;
    /// The tile's stored (gzipped) bytes, or nullopt when the archive has none.
    [[nodiscard]] virtual std::optional<std::string> get(TileId tile) const = 0;
    [[nodiscard]] virtual const ArchiveInfo& info() const noexcept = 0;
};

/// Opens a PMTiles or MBTiles archive (told apart by its first bytes). Throws
/// std::runtime_error naming the path and what is wrong (not an archive, version, truncated).
[[nodiscard]] std::unique_ptr<ArchiveReader> open_archive(const std::string& path);

}  // namespace diachi::tiles

#endif  // DIACHI_TILES_ARCHIVE_HPP
