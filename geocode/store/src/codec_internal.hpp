#ifndef DIACHI_STORE_CODEC_INTERNAL_HPP
#define DIACHI_STORE_CODEC_INTERNAL_HPP

// Binary layouts of the store's keys and values. Keys are big-endian so RocksDB's byte order is
// numeric order; values use varints and length-prefixed strings.
//
//   column family  key                                   value
//   default        "next_id" | "prefixes" | "format"     fixed64 | prefix table | format
//   households     id (8)                                HouseholdCode::key() of its current code
//   personal       id (8)                                head, phone
//   codes          HouseholdCode::key() (8)              id (8), CodeState and code_alone_bit
//                                                        (1), and for the current code the
//                                                        household record
//   spatial        morton(lat, lng) (8), id (8)          HouseholdCode::key() (8)
//   density        level, row, column                    counters (density_index.hpp)
//   cells          morton >> 24 (8)                      the cell's households (cell_index.hpp)
//   external       source, 0, external id                id (8)
//   history        id (8), sequence (4)                  time, actor, action, detail
//   zones          id, 0, valid_from                     zone record + WKB

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include <diachi/geography/zone.hpp>
#include <diachi/store/household.hpp>

namespace diachi::store::detail {

/// What a code's entry says about its household: the low seven bits of the entry's ninth byte.
enum class CodeState : std::uint8_t {
    current = 0,  ///< the household's code now
    moved = 1,    ///< the household had this code before it moved
};

/// The high bit of the same byte: this is unit 1 of its cell and no other unit of the cell
/// has been issued, so resolving the cell's base code needs no look for unit 2. Set only on
/// the entry a registration writes for a new cell; issuing unit 2 clears it. An entry without
/// it says nothing (every entry of a format-6 store, or one rewritten by an update or a move).
inline constexpr std::uint8_t code_alone_bit = 0x80;

/// The state of a code entry of at least 9 bytes.
[[nodiscard]] inline CodeState code_state(std::string_view entry) {
    return static_cast<CodeState>(static_cast<std::uint8_t>(entry[8]) & ~code_alone_bit);
}
/// Whether a code entry of at least 9 bytes carries code_alone_bit.
[[nodiscard]] inline bool code_alone(std::string_view entry) {
    return (static_cast<std::uint8_t>(entry[8]) & code_alone_bit) != 0;
}

inline void put_be64(std::string* out, std::uint64_t v) {
    for (int shift = 56; shift >= 0; shift -= 8) {
        out->push_back(static_cast<char>((v >> shift) & 0xFF));
    }
}
inline void put_be32(std::string* out, std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) {
        out->push_back(static_cast<char>((v >> shift) & 0xFF));
    }
}
[[nodiscard]] inline std::uint64_t get_be64(std::string_view in, std::size_t at = 0) {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < 8; ++i) {
        v = (v << 8) | static_cast<unsigned char>(in[at + i]);
    }
    return v;
}
[[nodiscard]] inline std::uint32_t get_be32(std::string_view in, std::size_t at = 0) {
    std::uint32_t v = 0;
    for (std::size_t i = 0; i < 4; ++i) {
        v = (v << 8) | static_cast<unsigned char>(in[at + i]);
    }
    return v;
}

[[nodiscard]] inline std::string be64_key(std::uint64_t v) {
    std::string key;
    put_be64(&key, v);
    return key;
}

/// Reads values written by put_varint / put_string; throws std::runtime_error on truncation
/// (a corrupt record), naming what was being read.
class Reader {
public:
    Reader(std::string_view data, const char* what) : m_data(data), m_what(what) {}
    std::uint64_t varint();
    std::string_view string();
    std::uint8_t byte();
    std::uint64_t be64();
    [[nodiscard]] bool done() const noexcept { return m_at == m_data.size(); }

private:
    [[noreturn]] void corrupt() const;
    std::string_view m_data;
    std::size_t m_at = 0;
    const char* m_what;
};

void put_varint(std::string* out, std::uint64_t v);
void put_string(std::string* out, std::string_view s);
[[nodiscard]] inline std::uint64_t zigzag(std::int64_t v) {
    return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
}
[[nodiscard]] inline std::int64_t unzigzag(std::uint64_t v) {
    return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1);
}

/// The household record without personal fields and without the zone's names.
void encode_household(const Household& household, std::string* out);
void decode_household(std::string_view data, Household* out);

void encode_personal(const PersonalFields& personal, std::string* out);
void decode_personal(std::string_view data, PersonalFields* out);

void encode_history(const HistoryEvent& event, std::string* out);
void decode_history(std::string_view data, HistoryEvent* out);

void encode_zone(const geography::Zone& zone, std::string_view wkb, std::string* out);
void decode_zone(std::string_view data, geography::Zone* zone, std::string* wkb);

// --- spatial keys ----------------------------------------------------------------------------

/// Offsets making latitude and longitude (1e-7 degree) non-negative 32-bit numbers.
inline constexpr std::int64_t lat_offset_e7 = 900'000'000;
inline constexpr std::int64_t lng_offset_e7 = 1'800'000'000;

/// Interleaves the bits of two 32-bit numbers: longitude in the even bits, latitude in the odd
/// ones (a Z-order curve). Nearby points share long key prefixes.
[[nodiscard]] std::uint64_t morton(std::uint32_t lat, std::uint32_t lng) noexcept;
/// The inverse of morton(): (lat, lng).
void unmorton(std::uint64_t key, std::uint32_t* lat, std::uint32_t* lng) noexcept;

[[nodiscard]] inline std::uint64_t morton_of(LatLngE7 p) noexcept {
    return morton(static_cast<std::uint32_t>(p.lat_e7 + lat_offset_e7),
                  static_cast<std::uint32_t>(p.lng_e7 + lng_offset_e7));
}
[[nodiscard]] inline LatLngE7 location_of_morton(std::uint64_t key) noexcept {
    std::uint32_t lat = 0;
    std::uint32_t lng = 0;
    unmorton(key, &lat, &lng);
    return LatLngE7{static_cast<std::int32_t>(std::int64_t{lat} - lat_offset_e7),
                    static_cast<std::int32_t>(std::int64_t{lng} - lng_offset_e7)};
}

/// A half-open range of morton keys.
struct MortonRange {
    std::uint64_t begin = 0;
    std::uint64_t end = 0;  ///< exclusive; 0 means "to the end of the key space"
};

/// Quadtree cells covering the box [lat0, lat1] x [lng0, lng1] (offset units, inclusive), at the
/// finest level using at most @p max_cells cells, merged into ranges in key order.
void cover(std::uint32_t lat0, std::uint32_t lat1, std::uint32_t lng0, std::uint32_t lng1,
           std::size_t max_cells, std::vector<MortonRange>* out);

}  // namespace diachi::store::detail

#endif  // DIACHI_STORE_CODEC_INTERNAL_HPP
