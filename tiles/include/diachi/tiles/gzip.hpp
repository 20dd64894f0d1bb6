#ifndef DIACHI_TILES_GZIP_HPP
#define DIACHI_TILES_GZIP_HPP

/// @file
/// gzip (RFC 1952) as tiles are stored and served compressed: MBTiles and PMTiles hold gzipped
/// tiles, and the byte budget of a tile counts its gzipped size (as tippecanoe does).

#include <string>
#include <string_view>

namespace diachi::tiles {

/// @p data gzipped at zlib level @p level (1 fastest .. 9 smallest; default 6), appended to
/// @p out. Throws std::runtime_error when zlib fails.
void gzip(std::string_view data, std::string* out, int level = 6);

/// gzip() into a new string.
[[nodiscard]] std::string gzip(std::string_view data, int level = 6);

/// Whether @p data starts with the gzip magic bytes.
[[nodiscard]] bool is_gzip(std::string_view data) noexcept;

/// Inflates gzip or zlib @p data. Throws std::runtime_error ("corrupt gzip data ...") when the
/// data is truncated or corrupt, or inflates beyond @p max_bytes.
[[nodiscard]] std::string gunzip(std::string_view data, std::size_t max_bytes = 256U << 20);

}  // namespace diachi::tiles

#endif  // DIACHI_TILES_GZIP_HPP
