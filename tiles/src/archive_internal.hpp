#ifndef DIACHI_TILES_ARCHIVE_INTERNAL_HPP
#define DIACHI_TILES_ARCHIVE_INTERNAL_HPP

#include <memory>
#include <string>

#include <diachi/tiles/archive.hpp>

namespace diachi::tiles::detail {

std::unique_ptr<ArchiveReader> open_pmtiles(const std::string& path);
std::unique_ptr<ArchiveReader> open_mbtiles(const std::string& path);

}  // namespace diachi::tiles::detail

#endif  // DIACHI_TILES_ARCHIVE_INTERNAL_HPP
