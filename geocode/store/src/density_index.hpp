#ifndef DIACHI_STORE_SRC_DENSITY_INDEX_HPP
#define DIACHI_STORE_SRC_DENSITY_INDEX_HPP

// The density index (internal): active households counted per cell of a Web Mercator quadtree,
// at the levels Registry::density_levels names, in the registry's "density" column family:
//
//   level (1), y (be32), x (be32)   ->   count, sum of x, sum of y (3 x int64, little-endian)
//
// x and y are the cell's column and row (2^level cells a side); the sums are of the households'
// world coordinates in units of 2^-32 of the world's side, so a cell's mean position is exact to
// about a centimetre. Keys run row by row, so a box is one seek per row. Values are counters
// merged with density_merge_operator(): registering adds one, retiring or moving away subtracts
// one, so no write reads first; a cell whose households all left keeps a zero count.

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include <rocksdb/db.h>
#include <rocksdb/merge_operator.h>
#include <rocksdb/write_batch.h>

#include <diachi/lat_lng.hpp>
#include <diachi/store/registry.hpp>

namespace diachi::store::detail {

/// A location's world coordinates in units of 2^-32 of the world's side.
struct WorldFixed {
    std::uint32_t x = 0;
    std::uint32_t y = 0;
};
[[nodiscard]] WorldFixed world_fixed(LatLngE7 location) noexcept;

/// The key of cell (@p x, @p y) at @p level.
[[nodiscard]] std::string density_key(std::uint32_t level, std::uint32_t x, std::uint32_t y);

/// Cell (@p x, @p y) at @p level (at most max_packed_level) in one word, ordered as its key:
/// a batch sums its cells by this number, not by a key string.
constexpr std::uint32_t max_packed_level = 21;
[[nodiscard]] constexpr std::uint64_t density_cell(std::uint32_t level, std::uint32_t x,
                                                   std::uint32_t y) noexcept {
    return std::uint64_t{level} << 42 | std::uint64_t{y} << 21 | x;
}
/// The key of density_cell() @p cell.
[[nodiscard]] std::string density_key(std::uint64_t cell);

/// A cell's counters.
struct DensityValue {
    std::int64_t count = 0;
    std::int64_t sum_x = 0;
    std::int64_t sum_y = 0;
};
void encode_density(const DensityValue& v, std::string* out);
[[nodiscard]] bool decode_density(std::string_view in, DensityValue* out) noexcept;

/// The density entries of one write batch, summed per cell and merged once by finish(): a bulk
/// import of a village writes one operand per cell and level, not one per household.
class DensityBatch {
public:
    DensityBatch(rocksdb::WriteBatch* batch, rocksdb::ColumnFamilyHandle* family)
        : m_batch(batch), m_family(family) {}
    /// Counts a household at @p location in (@p sign = +1) or out (-1).
    void add(LatLngE7 location, int sign);
    void finish();
    /// The sums not yet written, by density_cell().
    [[nodiscard]] const std::unordered_map<std::uint64_t, DensityValue>& cells() const noexcept {
        return m_cells;
    }

private:
    rocksdb::WriteBatch* m_batch;
    rocksdb::ColumnFamilyHandle* m_family;
    std::unordered_map<std::uint64_t, DensityValue> m_cells;
};

/// Adds the counters of density entries.
std::shared_ptr<rocksdb::MergeOperator> density_merge_operator();

/// Visits the cells of @p level with households in columns x0..x1 and rows y0..y1, row by row;
/// stops when @p visit returns false.
void read_density(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* family, std::uint32_t level,
                  std::uint32_t x0, std::uint32_t y0, std::uint32_t x1, std::uint32_t y1,
                  const std::function<bool(const DensityCell&)>& visit);

}  // namespace diachi::store::detail

#endif  // DIACHI_STORE_SRC_DENSITY_INDEX_HPP
