#include "codec_internal.hpp"

#include <algorithm>

namespace diachi::store::detail {

void put_varint(std::string* out, std::uint64_t v) {
    while (v >= 0x80) {
        out->push_back(static_cast<char>((v & 0x7F) | 0x80));
        v >>= 7;
    }
    out->push_back(static_cast<char>(v));
}

void put_string(std::string* out, std::string_view s) {
    put_varint(out, s.size());
    out->append(s);
}

void Reader::corrupt() const {
    throw std::runtime_error(std::string("corrupt ") + m_what + " record (truncated at byte " +
                             std::to_string(m_at) + " of " + std::to_string(m_data.size()) + ")");
}

std::uint64_t Reader::varint() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (m_at >= m_data.size()) {
            corrupt();
        }
        const auto b = static_cast<unsigned char>(m_data[m_at++]);
        v |= std::uint64_t{b & 0x7FU} << shift;
        if ((b & 0x80) == 0) {
            return v;
        }
    }
    corrupt();
}

std::string_view Reader::string() {
    const std::uint64_t size = varint();
    if (size > m_data.size() - m_at) {
        corrupt();
    }
    const std::string_view s = m_data.substr(m_at, size);
    m_at += size;
    return s;
}

std::uint8_t Reader::byte() {
    if (m_at >= m_data.size()) {
        corrupt();
    }
    return static_cast<std::uint8_t>(m_data[m_at++]);
}

std::uint64_t Reader::be64() {
    if (m_data.size() - m_at < 8) {
        corrupt();
    }
    const std::uint64_t v = get_be64(m_data, m_at);
    m_at += 8;
    return v;
}

// Household record, format 1:
//   varint version, byte status, be64 code key, varint zigzag lat_e7, varint zigzag lng_e7,
//   string zone_id, varint created_ms, varint (updated_ms - created_ms),
//   string house_number, string street, string hamlet, string source, string external_id
void encode_household(const Household& h, std::string* out) {
    out->clear();
    put_varint(out, h.version);
    out->push_back(static_cast<char>(h.status));
    put_be64(out, h.code.key());
    put_varint(out, zigzag(h.location.lat_e7));
    put_varint(out, zigzag(h.location.lng_e7));
    put_string(out, h.zone_id);
    put_varint(out, static_cast<std::uint64_t>(h.created_ms));
    put_varint(out, static_cast<std::uint64_t>(h.updated_ms - h.created_ms));
    put_string(out, h.address.house_number);
    put_string(out, h.address.street);
    put_string(out, h.address.hamlet);
    put_string(out, h.source);
    put_string(out, h.external_id);
}

void decode_household(std::string_view data, Household* h) {
    Reader in(data, "household");
    h->version = static_cast<std::uint32_t>(in.varint());
    h->status = static_cast<HouseholdStatus>(in.byte());
    h->code = HouseholdCode::from_key(in.be64());
    h->location.lat_e7 = static_cast<std::int32_t>(unzigzag(in.varint()));
    h->location.lng_e7 = static_cast<std::int32_t>(unzigzag(in.varint()));
    h->zone_id.assign(in.string());
    h->created_ms = static_cast<std::int64_t>(in.varint());
    h->updated_ms = h->created_ms + static_cast<std::int64_t>(in.varint());
    h->address.house_number.assign(in.string());
    h->address.street.assign(in.string());
    h->address.hamlet.assign(in.string());
    h->source.assign(in.string());
    h->external_id.assign(in.string());
}

void encode_personal(const PersonalFields& p, std::string* out) {
    out->clear();
    put_string(out, p.head_of_household);
    put_string(out, p.phone);
}

void decode_personal(std::string_view data, PersonalFields* p) {
    Reader in(data, "personal");
    p->head_of_household.assign(in.string());
    p->phone.assign(in.string());
}

void encode_history(const HistoryEvent& e, std::string* out) {
    out->clear();
    put_varint(out, static_cast<std::uint64_t>(e.time_ms));
    put_string(out, e.actor);
    out->push_back(static_cast<char>(e.action));
    put_string(out, e.detail);
}

void decode_history(std::string_view data, HistoryEvent* e) {
    Reader in(data, "history");
    e->time_ms = static_cast<std::int64_t>(in.varint());
    e->actor.assign(in.string());
    e->action = static_cast<HistoryAction>(in.byte());
    e->detail.assign(in.string());
}

void encode_zone(const geography::Zone& z, std::string_view wkb, std::string* out) {
    out->clear();
    put_string(out, z.id);
    put_string(out, z.name);
    put_string(out, z.parent_id);
    put_string(out, z.parent_name);
    put_varint(out, z.postcode);
    put_string(out, z.valid_from);
    put_string(out, z.valid_to);
    put_string(out, wkb);
}

void decode_zone(std::string_view data, geography::Zone* z, std::string* wkb) {
    Reader in(data, "zone");
    z->id.assign(in.string());
    z->name.assign(in.string());
    z->parent_id.assign(in.string());
    z->parent_name.assign(in.string());
    z->postcode = static_cast<std::uint32_t>(in.varint());
    z->valid_from.assign(in.string());
    z->valid_to.assign(in.string());
    wkb->assign(in.string());
}

namespace {

/// Spreads the 32 bits of @p v to the even bits of a 64-bit number.
constexpr std::uint64_t spread(std::uint32_t v) noexcept {
    std::uint64_t x = v;
    x = (x | (x << 16)) & 0x0000FFFF0000FFFFULL;
    x = (x | (x << 8)) & 0x00FF00FF00FF00FFULL;
    x = (x | (x << 4)) & 0x0F0F0F0F0F0F0F0FULL;
    x = (x | (x << 2)) & 0x3333333333333333ULL;
    x = (x | (x << 1)) & 0x5555555555555555ULL;
    return x;
}

constexpr std::uint32_t gather(std::uint64_t x) noexcept {
    x &= 0x5555555555555555ULL;
    x = (x | (x >> 1)) & 0x3333333333333333ULL;
    x = (x | (x >> 2)) & 0x0F0F0F0F0F0F0F0FULL;
    x = (x | (x >> 4)) & 0x00FF00FF00FF00FFULL;
    x = (x | (x >> 8)) & 0x0000FFFF0000FFFFULL;
    x = (x | (x >> 16)) & 0x00000000FFFFFFFFULL;
    return static_cast<std::uint32_t>(x);
}

}  // namespace

std::uint64_t morton(std::uint32_t lat, std::uint32_t lng) noexcept {
    return (spread(lat) << 1) | spread(lng);
}

void unmorton(std::uint64_t key, std::uint32_t* lat, std::uint32_t* lng) noexcept {
    *lat = gather(key >> 1);
    *lng = gather(key);
}

void cover(std::uint32_t lat0, std::uint32_t lat1, std::uint32_t lng0, std::uint32_t lng1,
           std::size_t max_cells, std::vector<MortonRange>* out) {
    out->clear();
    // The finest cell size 2^shift whose cells covering the box number at most max_cells.
    int shift = 0;
    for (; shift < 32; ++shift) {
        const std::uint64_t rows = (lat1 >> shift) - (lat0 >> shift) + 1;
        const std::uint64_t cols = (lng1 >> shift) - (lng0 >> shift) + 1;
        if (rows * cols <= max_cells) {
            break;
        }
    }
    std::vector<std::uint64_t> starts;
    for (std::uint64_t r = lat0 >> shift; r <= (lat1 >> shift); ++r) {
        for (std::uint64_t c = lng0 >> shift; c <= (lng1 >> shift); ++c) {
            starts.push_back(morton(static_cast<std::uint32_t>(r << shift),
                                    static_cast<std::uint32_t>(c << shift)));
        }
    }
    std::sort(starts.begin(), starts.end());
    const std::uint64_t span = shift >= 32 ? 0 : (std::uint64_t{1} << (2 * shift));
    for (const std::uint64_t start : starts) {
        const std::uint64_t end = span == 0 ? 0 : start + span;  // wraps to 0 at the very end
        if (!out->empty() && out->back().end == start) {
            out->back().end = end;
        } else {
            out->push_back({start, end});
        }
    }
}

}  // namespace diachi::store::detail
