#include "density_index.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>

#include <diachi/web_mercator.hpp>

#include "codec_internal.hpp"

namespace diachi::store::detail {

WorldFixed world_fixed(LatLngE7 location) noexcept {
    constexpr double scale = 4294967296.0;  // 2^32
    const auto fixed = [](double w) {
        return static_cast<std::uint32_t>(std::clamp(std::floor(w * scale), 0.0, scale - 1.0));
    };
    return WorldFixed{fixed(world_x(location.lng_deg())), fixed(world_y(location.lat_deg()))};
}

std::string density_key(std::uint32_t level, std::uint32_t x, std::uint32_t y) {
    std::string key;
    key.reserve(9);
    key.push_back(static_cast<char>(level));
    put_be32(&key, y);
    put_be32(&key, x);
    return key;
}

std::string density_key(std::uint64_t cell) {
    constexpr std::uint64_t side = (std::uint64_t{1} << 21) - 1;
    return density_key(static_cast<std::uint32_t>(cell >> 42),
                       static_cast<std::uint32_t>(cell & side),
                       static_cast<std::uint32_t>((cell >> 21) & side));
}

void encode_density(const DensityValue& v, std::string* out) {
    out->resize(24);
    const std::int64_t fields[3] = {v.count, v.sum_x, v.sum_y};
    for (std::size_t f = 0; f < 3; ++f) {
        auto u = static_cast<std::uint64_t>(fields[f]);
        for (std::size_t i = 0; i < 8; ++i) {
            (*out)[f * 8 + i] = static_cast<char>(u & 0xFF);
            u >>= 8;
        }
    }
}

bool decode_density(std::string_view in, DensityValue* out) noexcept {
    if (in.size() != 24) {
        return false;
    }
    std::int64_t* fields[3] = {&out->count, &out->sum_x, &out->sum_y};
    for (std::size_t f = 0; f < 3; ++f) {
        std::uint64_t u = 0;
        for (std::size_t i = 8; i-- > 0;) {
            u = (u << 8) | static_cast<unsigned char>(in[f * 8 + i]);
        }
        *fields[f] = static_cast<std::int64_t>(u);
    }
    return true;
}

void DensityBatch::add(LatLngE7 location, int sign) {
    static_assert(*std::max_element(Registry::density_levels.begin(),
                                    Registry::density_levels.end()) <= max_packed_level);
    const WorldFixed w = world_fixed(location);
    for (const std::uint32_t level : Registry::density_levels) {
        DensityValue& v = m_cells[density_cell(level, w.x >> (32 - level), w.y >> (32 - level))];
        v.count += sign;
        v.sum_x += sign * static_cast<std::int64_t>(w.x);
        v.sum_y += sign * static_cast<std::int64_t>(w.y);
    }
}

void DensityBatch::finish() {
    std::string value;
    for (const auto& [cell, v] : m_cells) {
        if (v.count == 0 && v.sum_x == 0 && v.sum_y == 0) {
            continue;  // in and out in the same batch
        }
        encode_density(v, &value);
        const auto status = m_batch->Merge(m_family, density_key(cell), value);
        if (!status.ok()) {
            throw std::runtime_error("batching density entries: " + status.ToString());
        }
    }
    m_cells.clear();
}

namespace {

class DensityMerge final : public rocksdb::AssociativeMergeOperator {
public:
    bool Merge(const rocksdb::Slice&, const rocksdb::Slice* existing, const rocksdb::Slice& value,
               std::string* new_value, rocksdb::Logger*) const override {
        DensityValue sum;
        DensityValue add;
        if (existing != nullptr && !decode_density(existing->ToStringView(), &sum)) {
            return false;
        }
        if (!decode_density(value.ToStringView(), &add)) {
            return false;
        }
        sum.count += add.count;
        sum.sum_x += add.sum_x;
        sum.sum_y += add.sum_y;
        encode_density(sum, new_value);
        return true;
    }
    const char* Name() const override { return "diachi.DensityCounters"; }
};

}  // namespace

std::shared_ptr<rocksdb::MergeOperator> density_merge_operator() {
    return std::make_shared<DensityMerge>();
}

void read_density(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* family, std::uint32_t level,
                  std::uint32_t x0, std::uint32_t y0, std::uint32_t x1, std::uint32_t y1,
                  const std::function<bool(const DensityCell&)>& visit) {
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions(), family));
    constexpr double unit = 1.0 / 4294967296.0;
    for (std::uint32_t y = y0; y <= y1; ++y) {
        const std::string first = density_key(level, x0, y);
        for (it->Seek(first); it->Valid(); it->Next()) {
            const std::string_view key = it->key().ToStringView();
            if (key.size() != 9 || static_cast<std::uint8_t>(key[0]) != level ||
                get_be32(key, 1) != y) {
                break;
            }
            const std::uint32_t x = get_be32(key, 5);
            if (x > x1) {
                break;
            }
            DensityValue v;
            if (!decode_density(it->value().ToStringView(), &v)) {
                throw std::runtime_error("corrupt density entry at level " +
                                         std::to_string(level));
            }
            if (v.count <= 0) {
                continue;
            }
            DensityCell cell;
            cell.x = x;
            cell.y = y;
            cell.count = static_cast<std::uint64_t>(v.count);
            cell.mean_x = static_cast<double>(v.sum_x) / static_cast<double>(v.count) * unit;
            cell.mean_y = static_cast<double>(v.sum_y) / static_cast<double>(v.count) * unit;
            if (!visit(cell)) {
                return;
            }
        }
        if (!it->status().ok()) {
            throw std::runtime_error("reading the density index: " + it->status().ToString());
        }
        if (y == y1) {
            break;  // y1 may be the last row
        }
    }
}

}  // namespace diachi::store::detail
