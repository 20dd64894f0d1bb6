#ifndef DIACHI_STORE_SRC_CELL_INDEX_HPP
#define DIACHI_STORE_SRC_CELL_INDEX_HPP

// The cell index (internal): the spatial index's entries packed per quadtree cell of its Morton
// order, 2^12 units of 1e-7 degree a side (about 45 m), in the registry's "cells" column family:
//
//   morton >> 24 (be64)   ->   per household, by (morton, id): varint(morton & 0xFFFFFF),
//                              varint(id), HouseholdCode::key() (be64)
//
// A range scan of the spatial index pays RocksDB's iterator step per household; a map tile of a
// dense town holds tens of thousands. Here it pays one step per cell and decodes the households
// of the cell from one value. Writes add and remove households with merge operands
// (cell_merge_operator()), so no write reads first:
//
//   operand   per change: 1 (add) | 0 (remove), varint(morton & 0xFFFFFF), varint(id),
//             and for an add HouseholdCode::key() (be64)
//
// Merging sorts by (morton, id) and keeps one entry per (morton, id), so adding a household again
// changes nothing. A cell whose households all left keeps an empty value.

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <rocksdb/merge_operator.h>
#include <rocksdb/write_batch.h>

#include "codec_internal.hpp"

namespace diachi::store::detail {

/// Bits of the Morton key below a cell's: a cell is 2^12 x 2^12 units.
inline constexpr int cell_bits = 24;

/// A household of the cell index.
struct CellEntry {
    std::uint64_t morton = 0;
    std::uint64_t id = 0;
    std::uint64_t code_key = 0;

    friend bool operator==(const CellEntry&, const CellEntry&) = default;
};

/// The cells (morton >> cell_bits) that Morton ranges @p ranges touch, as sorted half-open
/// ranges with none overlapping or adjacent: reading them visits every household once.
void cell_ranges(std::span<const MortonRange> ranges, std::vector<MortonRange>* out);

/// Appends @p e to a cell's value (entries must come in (morton, id) order).
void append_cell_entry(const CellEntry& e, std::string* value);

/// Calls @p visit(const CellEntry&) for each household of cell @p cell (morton >> cell_bits)
/// whose value is @p value, in (morton, id) order; stops when it returns false. Throws
/// std::runtime_error on a corrupt value.
template <typename Visit>
void for_each_in_cell(std::uint64_t cell, std::string_view value, Visit&& visit);

/// The cell entries of one write batch, one merge operand per cell, written by finish().
class CellBatch {
public:
    CellBatch(rocksdb::WriteBatch* batch, rocksdb::ColumnFamilyHandle* family)
        : m_batch(batch), m_family(family) {}
    void add(const CellEntry& e);
    void remove(std::uint64_t morton, std::uint64_t id);
    void finish();

private:
    rocksdb::WriteBatch* m_batch;
    rocksdb::ColumnFamilyHandle* m_family;
    std::unordered_map<std::uint64_t, std::string> m_operands;  // by cell
};

/// Applies cell operands to cell values.
std::shared_ptr<rocksdb::MergeOperator> cell_merge_operator();

// --- implementation --------------------------------------------------------------------------

namespace cell_internal {

[[noreturn]] void corrupt(std::uint64_t cell);

inline std::uint64_t varint(const char*& at, const char* end, std::uint64_t cell) {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64 && at != end; shift += 7) {
        const auto b = static_cast<unsigned char>(*at++);
        v |= std::uint64_t{b & 0x7FU} << shift;
        if ((b & 0x80U) == 0) {
            return v;
        }
    }
    corrupt(cell);
}

inline std::uint64_t be64(const char*& at, const char* end, std::uint64_t cell) {
    if (end - at < 8) {
        corrupt(cell);
    }
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) {
        v = (v << 8) | static_cast<unsigned char>(*at++);
    }
    return v;
}

}  // namespace cell_internal

template <typename Visit>
void for_each_in_cell(std::uint64_t cell, std::string_view value, Visit&& visit) {
    const char* at = value.data();
    const char* const end = at + value.size();
    while (at != end) {
        CellEntry e;
        const std::uint64_t low = cell_internal::varint(at, end, cell);
        if (low >> cell_bits != 0) {
            cell_internal::corrupt(cell);
        }
        e.morton = (cell << cell_bits) | low;
        e.id = cell_internal::varint(at, end, cell);
        e.code_key = cell_internal::be64(at, end, cell);
        if (!visit(e)) {
            return;
        }
    }
}

}  // namespace diachi::store::detail

#endif  // DIACHI_STORE_SRC_CELL_INDEX_HPP
