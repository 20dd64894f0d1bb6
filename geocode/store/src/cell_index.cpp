#include "cell_index.hpp"

#include <algorithm>
#include <stdexcept>
#include <vector>

#include "codec_internal.hpp"

namespace diachi::store::detail {

namespace {

constexpr std::uint64_t low_mask = (std::uint64_t{1} << cell_bits) - 1;
constexpr char op_remove = 0;
constexpr char op_add = 1;

// One change of an operand.
struct CellChange {
    bool add = false;
    CellEntry entry;
};

template <typename Visit>
bool for_each_change(std::uint64_t cell, std::string_view operand, Visit&& visit) {
    const char* at = operand.data();
    const char* const end = at + operand.size();
    while (at != end) {
        CellChange change;
        const char op = *at++;
        if (op != op_add && op != op_remove) {
            return false;
        }
        change.add = op == op_add;
        const std::uint64_t low = cell_internal::varint(at, end, cell);
        change.entry.morton = (cell << cell_bits) | (low & low_mask);
        change.entry.id = cell_internal::varint(at, end, cell);
        if (change.add) {
            change.entry.code_key = cell_internal::be64(at, end, cell);
        }
        visit(change);
    }
    return true;
}

bool by_place(const CellEntry& a, const CellEntry& b) {
    return a.morton < b.morton || (a.morton == b.morton && a.id < b.id);
}

class CellMerge final : public rocksdb::MergeOperator {
public:
    bool FullMergeV2(const MergeOperationInput& in, MergeOperationOutput* out) const override {
        if (in.key.size() != 8) {
            return false;
        }
        const std::uint64_t cell = get_be64(in.key.ToStringView());
        try {
            std::vector<CellEntry> entries;
            if (in.existing_value != nullptr) {
                for_each_in_cell(cell, in.existing_value->ToStringView(), [&](const CellEntry& e) {
                    entries.push_back(e);
                    return true;
                });
            }
            // Apply the changes in order: an add appends (sorted below), a remove drops every
            // copy of its (morton, id).
            for (const rocksdb::Slice& operand : in.operand_list) {
                const bool ok = for_each_change(cell, operand.ToStringView(), [&](const CellChange& c) {
                    if (c.add) {
                        entries.push_back(c.entry);
                        return;
                    }
                    std::erase_if(entries, [&](const CellEntry& e) {
                        return e.morton == c.entry.morton && e.id == c.entry.id;
                    });
                });
                if (!ok) {
                    return false;
                }
            }
            // Stable: of two adds of one household the later one wins, the last of its run.
            std::stable_sort(entries.begin(), entries.end(), by_place);
            std::vector<CellEntry> kept;
            kept.reserve(entries.size());
            for (std::size_t i = 0; i < entries.size(); ++i) {
                const bool superseded = i + 1 < entries.size() &&
                                        entries[i + 1].morton == entries[i].morton &&
                                        entries[i + 1].id == entries[i].id;
                if (!superseded) {
                    kept.push_back(entries[i]);
                }
            }
            out->new_value.clear();
            for (const CellEntry& e : kept) {
                append_cell_entry(e, &out->new_value);
            }
            return true;
        } catch (const std::runtime_error&) {
            return false;  // RocksDB reports a corruption
        }
    }

    bool PartialMergeMulti(const rocksdb::Slice&, const std::deque<rocksdb::Slice>& operands,
                           std::string* new_value, rocksdb::Logger*) const override {
        // Operands are lists of changes applied in order: concatenated, they are one.
        new_value->clear();
        for (const rocksdb::Slice& operand : operands) {
            new_value->append(operand.data(), operand.size());
        }
        return true;
    }

    const char* Name() const override { return "diachi.CellEntries"; }
};

}  // namespace

void cell_internal::corrupt(std::uint64_t cell) {
    throw std::runtime_error("corrupt cell index entry (cell " + std::to_string(cell) + ")");
}

void cell_ranges(std::span<const MortonRange> ranges, std::vector<MortonRange>* out) {
    out->clear();
    for (const MortonRange& m : ranges) {
        const std::uint64_t last = (m.end == 0 ? ~std::uint64_t{0} : m.end - 1) >> cell_bits;
        out->push_back({m.begin >> cell_bits, last + 1});
    }
    std::sort(out->begin(), out->end(),
              [](const MortonRange& a, const MortonRange& b) { return a.begin < b.begin; });
    std::size_t kept = 0;
    for (const MortonRange& r : *out) {
        if (kept > 0 && r.begin <= (*out)[kept - 1].end) {
            (*out)[kept - 1].end = std::max((*out)[kept - 1].end, r.end);
        } else {
            (*out)[kept++] = r;
        }
    }
    out->resize(kept);
}

void append_cell_entry(const CellEntry& e, std::string* value) {
    put_varint(value, e.morton & low_mask);
    put_varint(value, e.id);
    put_be64(value, e.code_key);
}

void CellBatch::add(const CellEntry& e) {
    std::string& operand = m_operands[e.morton >> cell_bits];
    operand.push_back(op_add);
    append_cell_entry(e, &operand);
}

void CellBatch::remove(std::uint64_t morton, std::uint64_t id) {
    std::string& operand = m_operands[morton >> cell_bits];
    operand.push_back(op_remove);
    put_varint(&operand, morton & low_mask);
    put_varint(&operand, id);
}

void CellBatch::finish() {
    for (const auto& [cell, operand] : m_operands) {
        const auto status = m_batch->Merge(m_family, be64_key(cell), operand);
        if (!status.ok()) {
            throw std::runtime_error("batching cell entries: " + status.ToString());
        }
    }
    m_operands.clear();
}

std::shared_ptr<rocksdb::MergeOperator> cell_merge_operator() {
    return std::make_shared<CellMerge>();
}

}  // namespace diachi::store::detail
