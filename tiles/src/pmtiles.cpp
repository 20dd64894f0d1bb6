// PMTiles v3 (https://github.com/protomaps/PMTiles/blob/main/spec/v3/spec.md): the writer and
// reader behind archive.hpp.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <mutex>
#include <stdexcept>
#include <unordered_map>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

#include <protozero/varint.hpp>

#include <diachi/tiles/archive.hpp>
#include <diachi/tiles/gzip.hpp>

#include "archive_internal.hpp"

namespace diachi::tiles {

namespace {

// Spec 3: the header is 127 bytes; spec 2: header and root directory within the first 16 KiB.
constexpr std::size_t header_bytes = 127;
constexpr std::size_t first_fetch_bytes = 16384;
constexpr std::uint8_t compression_gzip = 2;
constexpr std::uint8_t tile_type_mvt = 1;

struct Entry {
    std::uint64_t tile_id = 0;
    std::uint64_t offset = 0;
    std::uint32_t length = 0;
    std::uint32_t run_length = 0;  // 0: the entry points at a leaf directory
};

// Spec 4.4: entries as columns of varints (tile ids delta-coded, offsets 0 when contiguous).
std::string serialize(std::span<const Entry> entries) {
    std::string raw;
    auto out = std::back_inserter(raw);
    protozero::write_varint(out, entries.size());
    std::uint64_t last_id = 0;
    for (const Entry& e : entries) {
        protozero::write_varint(out, e.tile_id - last_id);
        last_id = e.tile_id;
    }
    for (const Entry& e : entries) {
        protozero::write_varint(out, e.run_length);
    }
    for (const Entry& e : entries) {
        protozero::write_varint(out, e.length);
    }
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const bool contiguous = i > 0 && entries[i].offset ==
                                             entries[i - 1].offset + entries[i - 1].length;
        protozero::write_varint(out, contiguous ? 0 : entries[i].offset + 1);
    }
    return gzip(raw, 9);
}

std::vector<Entry> deserialize(std::string_view compressed, const std::string& where) {
    const std::string raw = gunzip(compressed);
    const char* p = raw.data();
    const char* end = raw.data() + raw.size();
    const auto next = [&]() -> std::uint64_t {
        try {
            return protozero::decode_varint(&p, end);
        } catch (const std::exception&) {
            throw std::runtime_error(where + ": truncated directory");
        }
    };
    const std::uint64_t n = next();
    if (n > raw.size()) {
        throw std::runtime_error(where + ": directory claims " + std::to_string(n) + " entries");
    }
    std::vector<Entry> entries(n);
    std::uint64_t last_id = 0;
    for (Entry& e : entries) {
        e.tile_id = last_id += next();
    }
    for (Entry& e : entries) {
        e.run_length = static_cast<std::uint32_t>(next());
    }
    for (Entry& e : entries) {
        e.length = static_cast<std::uint32_t>(next());
    }
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint64_t v = next();
        if (v == 0 && i == 0) {
            throw std::runtime_error(where + ": the first entry has no offset");
        }
        entries[i].offset = v == 0 ? entries[i - 1].offset + entries[i - 1].length : v - 1;
    }
    return entries;
}

void put_u64(char* p, std::uint64_t v) {
    for (int i = 0; i < 8; ++i) {
        p[i] = static_cast<char>((v >> (8 * i)) & 0xffU);
    }
}
void put_i32(char* p, std::int32_t v) {
    const auto u = static_cast<std::uint32_t>(v);
    for (int i = 0; i < 4; ++i) {
        p[i] = static_cast<char>((u >> (8 * i)) & 0xffU);
    }
}
std::uint64_t get_u64(const char* p) {
    std::uint64_t v = 0;
    for (int i = 7; i >= 0; --i) {
        v = (v << 8) | static_cast<unsigned char>(p[i]);
    }
    return v;
}
std::int32_t get_i32(const char* p) {
    std::uint32_t v = 0;
    for (int i = 3; i >= 0; --i) {
        v = (v << 8) | static_cast<unsigned char>(p[i]);
    }
    return static_cast<std::int32_t>(v);
}
std::int32_t e7(double deg) { return static_cast<std::int32_t>(std::lround(deg * 1e7)); }

class PmtilesWriter final : public ArchiveWriter {
public:
    explicit PmtilesWriter(std::string path)
        : m_path(std::move(path)), m_data_path(m_path + ".data.tmp") {
        m_data = ::open(m_data_path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (m_data < 0) {
            throw std::runtime_error(m_data_path + ": cannot create (" + std::strerror(errno) + ")");
        }
    }
    ~PmtilesWriter() override {
        if (m_data >= 0) {
            ::close(m_data);
            std::remove(m_data_path.c_str());
        }
    }

    void add(TileId tile, std::string_view data) override {
        const std::uint64_t id = pmtiles_id(tile);
        if (!m_entries.empty() && id <= m_entries.back().tile_id + m_entries.back().run_length - 1) {
            m_clustered = false;
        }
        ++m_tiles;
        // Identical contents are stored once (spec 4: entries may share offsets).
        const std::uint64_t hash = std::hash<std::string_view>{}(data);
        std::uint64_t offset = m_data_bytes;
        bool found = false;
        for (const auto& [o, length] : m_by_hash[hash]) {
            if (length == data.size() && read_back(o, length) == data) {
                offset = o;
                found = true;
                break;
            }
        }
        if (!found) {
            write_all(data);
            m_by_hash[hash].emplace_back(offset, static_cast<std::uint32_t>(data.size()));
            ++m_contents;
        }
        if (found && !m_entries.empty()) {
            Entry& last = m_entries.back();
            if (last.offset == offset && last.length == data.size() &&
                last.tile_id + last.run_length == id) {
                ++last.run_length;  // spec 4.3: a run of identical tiles is one entry
                return;
            }
        }
        m_entries.push_back(Entry{id, offset, static_cast<std::uint32_t>(data.size()), 1});
    }

    ArchiveSummary finish(const ArchiveInfo& info) override {
        std::sort(m_entries.begin(), m_entries.end(),
                  [](const Entry& a, const Entry& b) { return a.tile_id < b.tile_id; });
        for (std::size_t i = 1; i < m_entries.size(); ++i) {
            if (m_entries[i].tile_id < m_entries[i - 1].tile_id + m_entries[i - 1].run_length) {
                const auto tile = tile_of_pmtiles_id(m_entries[i].tile_id);
                throw std::invalid_argument("PMTiles: tile " + (tile ? to_string(*tile) : "?") +
                                            " was added twice");
            }
        }
        // Root directory alone when it fits the first fetch; else leaves of growing size.
        std::string root = serialize(m_entries);
        std::string leaves;
        std::uint64_t leaf_count = 0;
        for (std::size_t leaf_size = 4096; header_bytes + root.size() > first_fetch_bytes;
             leaf_size *= 2) {
            leaves.clear();
            std::vector<Entry> root_entries;
            for (std::size_t i = 0; i < m_entries.size(); i += leaf_size) {
                const std::size_t n = std::min(leaf_size, m_entries.size() - i);
                const std::string leaf = serialize(std::span<const Entry>(m_entries).subspan(i, n));
                root_entries.push_back(Entry{m_entries[i].tile_id, leaves.size(),
                                             static_cast<std::uint32_t>(leaf.size()), 0});
                leaves.append(leaf);
            }
            leaf_count = root_entries.size();
            root = serialize(root_entries);
        }
        const std::string metadata = gzip(info.metadata_json, 9);

        std::string header(header_bytes, '\0');
        std::memcpy(header.data(), "PMTiles", 7);
        header[7] = 3;
        const std::uint64_t root_offset = header_bytes;
        const std::uint64_t metadata_offset = root_offset + root.size();
        const std::uint64_t leaves_offset = metadata_offset + metadata.size();
        const std::uint64_t data_offset = leaves_offset + leaves.size();
        put_u64(&header[8], root_offset);
        put_u64(&header[16], root.size());
        put_u64(&header[24], metadata_offset);
        put_u64(&header[32], metadata.size());
        put_u64(&header[40], leaves_offset);
        put_u64(&header[48], leaves.size());
        put_u64(&header[56], data_offset);
        put_u64(&header[64], m_data_bytes);
        put_u64(&header[72], m_tiles);
        put_u64(&header[80], m_entries.size());
        put_u64(&header[88], m_contents);
        header[96] = m_clustered ? 1 : 0;
        header[97] = static_cast<char>(compression_gzip);  // internal compression
        header[98] = static_cast<char>(compression_gzip);  // tile compression
        header[99] = static_cast<char>(tile_type_mvt);
        header[100] = static_cast<char>(info.min_zoom);
        header[101] = static_cast<char>(info.max_zoom);
        put_i32(&header[102], e7(info.bounds.west_deg));
        put_i32(&header[106], e7(info.bounds.south_deg));
        put_i32(&header[110], e7(info.bounds.east_deg));
        put_i32(&header[114], e7(info.bounds.north_deg));
        header[118] = static_cast<char>((info.min_zoom + info.max_zoom) / 2);
        put_i32(&header[119], e7((info.bounds.west_deg + info.bounds.east_deg) / 2));
        put_i32(&header[123], e7((info.bounds.south_deg + info.bounds.north_deg) / 2));

        const std::string temporary = m_path + ".tmp";
        {
            std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
            out << header << root << metadata << leaves;
            std::string buffer(1 << 20, '\0');
            for (std::uint64_t at = 0; at < m_data_bytes;) {
                const ssize_t n = ::pread(m_data, buffer.data(), buffer.size(),
                                          static_cast<off_t>(at));
                if (n <= 0) {
                    throw std::runtime_error(m_data_path + ": read failed");
                }
                out.write(buffer.data(), n);
                at += static_cast<std::uint64_t>(n);
            }
            out.close();
            if (!out) {
                throw std::runtime_error(temporary + ": write failed (disk full?)");
            }
        }
        if (std::rename(temporary.c_str(), m_path.c_str()) != 0) {
            throw std::runtime_error(m_path + ": cannot replace (" + std::strerror(errno) + ")");
        }
        ArchiveSummary summary;
        summary.tiles = m_tiles;
        summary.entries = m_entries.size();
        summary.contents = m_contents;
        summary.bytes = data_offset + m_data_bytes;
        summary.leaf_directories = leaf_count;
        return summary;
    }

private:
    void write_all(std::string_view data) {
        std::size_t done = 0;
        while (done < data.size()) {
            const ssize_t n = ::pwrite(m_data, data.data() + done, data.size() - done,
                                       static_cast<off_t>(m_data_bytes + done));
            if (n <= 0) {
                throw std::runtime_error(m_data_path + ": write failed (" + std::strerror(errno) +
                                         ")");
            }
            done += static_cast<std::size_t>(n);
        }
        m_data_bytes += data.size();
    }
    std::string read_back(std::uint64_t offset, std::uint32_t length) const {
        std::string out(length, '\0');
        if (::pread(m_data, out.data(), length, static_cast<off_t>(offset)) !=
            static_cast<ssize_t>(length)) {
            throw std::runtime_error(m_data_path + ": read failed");
        }
        return out;
    }

    std::string m_path;
    std::string m_data_path;
    int m_data = -1;
    std::uint64_t m_data_bytes = 0;
    std::uint64_t m_tiles = 0;
    std::uint64_t m_contents = 0;
    bool m_clustered = true;
    std::vector<Entry> m_entries;
    std::unordered_map<std::uint64_t, std::vector<std::pair<std::uint64_t, std::uint32_t>>>
        m_by_hash;
};

class PmtilesReader final : public ArchiveReader {
public:
    explicit PmtilesReader(std::string path) : m_path(std::move(path)) {
        m_fd = ::open(m_path.c_str(), O_RDONLY | O_CLOEXEC);
        if (m_fd < 0) {
            throw std::runtime_error(m_path + ": cannot open (" + std::strerror(errno) + ")");
        }
        const std::string header = read(0, header_bytes, "header");
        if (header.compare(0, 7, "PMTiles") != 0) {
            throw std::runtime_error(m_path + ": not a PMTiles archive");
        }
        if (header[7] != 3) {
            throw std::runtime_error(m_path + ": PMTiles version " +
                                     std::to_string(static_cast<int>(header[7])) +
                                     ", expected 3");
        }
        if (header[97] != compression_gzip && header[97] != 1) {
            throw std::runtime_error(m_path + ": directories compressed with an unsupported "
                                              "method (" + std::to_string(int{header[97]}) + ")");
        }
        m_internal_gzip = header[97] == compression_gzip;
        m_leaves_offset = get_u64(&header[40]);
        m_data_offset = get_u64(&header[56]);
        m_root = directory(get_u64(&header[8]), get_u64(&header[16]), "root directory");
        const std::string metadata = read(get_u64(&header[24]), get_u64(&header[32]), "metadata");
        m_info.metadata_json = m_internal_gzip ? gunzip(metadata) : metadata;
        m_info.min_zoom = static_cast<unsigned char>(header[100]);
        m_info.max_zoom = static_cast<unsigned char>(header[101]);
        m_info.bounds.west_deg = get_i32(&header[102]) * 1e-7;
        m_info.bounds.south_deg = get_i32(&header[106]) * 1e-7;
        m_info.bounds.east_deg = get_i32(&header[110]) * 1e-7;
        m_info.bounds.north_deg = get_i32(&header[114]) * 1e-7;
    }
    ~PmtilesReader() override { ::close(m_fd); }

    std::optional<std::string> get(TileId tile) const override {
        if (!is_valid(tile)) {
            return std::nullopt;
        }
        const std::uint64_t id = pmtiles_id(tile);
        const std::vector<Entry>* dir = &m_root;
        std::shared_ptr<const std::vector<Entry>> leaf;
        for (int depth = 0; depth < 4; ++depth) {
            const auto it = std::upper_bound(
                dir->begin(), dir->end(), id,
                [](std::uint64_t v, const Entry& e) { return v < e.tile_id; });
            if (it == dir->begin()) {
                return std::nullopt;
            }
            const Entry& e = *(it - 1);
            if (e.run_length > 0) {
                if (id >= e.tile_id + e.run_length) {
                    return std::nullopt;
                }
                return read(m_data_offset + e.offset, e.length, "tile " + to_string(tile));
            }
            leaf = leaf_directory(m_leaves_offset + e.offset, e.length);
            dir = leaf.get();
        }
        throw std::runtime_error(m_path + ": leaf directories nest too deep");
    }

    const ArchiveInfo& info() const noexcept override { return m_info; }

private:
    std::string read(std::uint64_t offset, std::uint64_t length, const std::string& what) const {
        std::string out(length, '\0');
        if (::pread(m_fd, out.data(), length, static_cast<off_t>(offset)) !=
            static_cast<ssize_t>(length)) {
            throw std::runtime_error(m_path + ": truncated (reading the " + what + ")");
        }
        return out;
    }
    std::vector<Entry> directory(std::uint64_t offset, std::uint64_t length,
                                 const std::string& what) const {
        const std::string bytes = read(offset, length, what);
        return m_internal_gzip ? deserialize(bytes, m_path + " " + what)
                               : deserialize(gzip(bytes), m_path + " " + what);
    }
    std::shared_ptr<const std::vector<Entry>> leaf_directory(std::uint64_t offset,
                                                             std::uint64_t length) const {
        std::lock_guard lock(m_mutex);
        auto& slot = m_leaves[offset];
        if (!slot) {
            slot = std::make_shared<const std::vector<Entry>>(
                directory(offset, length, "leaf directory"));
        }
        return slot;
    }

    std::string m_path;
    int m_fd = -1;
    bool m_internal_gzip = true;
    std::uint64_t m_leaves_offset = 0;
    std::uint64_t m_data_offset = 0;
    std::vector<Entry> m_root;
    ArchiveInfo m_info;
    mutable std::mutex m_mutex;
    mutable std::unordered_map<std::uint64_t, std::shared_ptr<const std::vector<Entry>>> m_leaves;
};

}  // namespace

std::unique_ptr<ArchiveWriter> make_pmtiles_writer(const std::string& path) {
    return std::make_unique<PmtilesWriter>(path);
}

namespace detail {

std::unique_ptr<ArchiveReader> open_pmtiles(const std::string& path) {
    return std::make_unique<PmtilesReader>(path);
}

}  // namespace detail

}  // namespace diachi::tiles
