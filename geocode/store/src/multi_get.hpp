#ifndef DIACHI_STORE_SRC_MULTI_GET_HPP
#define DIACHI_STORE_SRC_MULTI_GET_HPP

// Point reads of many keys (internal): a bulk registration reads the external ids and the
// cells' first units of its 200,000 rows.

#include <algorithm>
#include <array>
#include <cstddef>
#include <span>
#include <string_view>

#include <rocksdb/db.h>

namespace diachi::store::detail {

/// Keys per MultiGet call. One call for a whole batch grew RocksDB's per-key contexts one
/// reallocation at a time into fresh pages (an eighth of a bulk import's page faults);
/// chunks of this size reuse the same few arrays and stay in the CPU's caches.
inline constexpr std::size_t multi_get_chunk = 256;

/// Reads @p keys of @p family in chunks of multi_get_chunk, and calls
/// `visit(i, status, value)` for each key in order (value is empty unless status is ok).
/// @p sorted says the keys are in the family's order already (RocksDB then skips its sort).
template <typename Visit>
void multi_get(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* family,
               std::span<const rocksdb::Slice> keys, bool sorted, Visit&& visit) {
    std::array<rocksdb::PinnableSlice, multi_get_chunk> values;
    std::array<rocksdb::Status, multi_get_chunk> statuses;
    const rocksdb::ReadOptions options;
    for (std::size_t begin = 0; begin < keys.size(); begin += multi_get_chunk) {
        const std::size_t n = std::min(multi_get_chunk, keys.size() - begin);
        db->MultiGet(options, family, n, keys.data() + begin, values.data(), statuses.data(),
                     sorted);
        for (std::size_t k = 0; k < n; ++k) {
            visit(begin + k, statuses[k],
                  statuses[k].ok() ? values[k].ToStringView() : std::string_view());
            values[k].Reset();
        }
    }
}

}  // namespace diachi::store::detail

#endif  // DIACHI_STORE_SRC_MULTI_GET_HPP
