#include <diachi/tiles/mvt_writer.hpp>

#include <algorithm>
#include <cstring>
#include <functional>
#include <stdexcept>
#include <string>

#include <protozero/varint.hpp>

namespace diachi::tiles::mvt {

namespace {

// Geometry command ids (spec 4.3.2).
constexpr std::uint32_t command_move_to = 1;
constexpr std::uint32_t command_line_to = 2;
constexpr std::uint32_t command_close_path = 7;

constexpr std::uint32_t command(std::uint32_t id, std::uint32_t count) noexcept {
    return (id & 0x7U) | (count << 3U);
}

// Twice the signed area by the surveyor's formula in tile coordinates (spec 4.3.4.4).
std::int64_t twice_area(std::span<const Point> ring) noexcept {
    std::int64_t sum = 0;
    for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
        sum += std::int64_t{ring[j].x} * ring[i].y - std::int64_t{ring[i].x} * ring[j].y;
    }
    return sum;
}

// Appends @p points without consecutive repeats (spec 4.3.3.2: a LineTo of zero length is not
// allowed); returns how many were appended.
std::size_t append_distinct(std::span<const Point> points, std::vector<Point>* out) {
    const std::size_t start = out->size();
    for (const Point& p : points) {
        if (out->size() == start || out->back() != p) {
            out->push_back(p);
        }
    }
    return out->size() - start;
}

}  // namespace

namespace detail {

std::uint32_t InternTable::intern(std::string_view bytes) {
    if ((m_hashed + 1) * 2 > m_slots.size()) {
        grow();
    }
    const std::size_t mask = m_slots.size() - 1;
    for (std::size_t slot = std::hash<std::string_view>{}(bytes) & mask;;
         slot = (slot + 1) & mask) {
        const std::uint32_t entry = m_slots[slot];
        if (entry == 0) {
            const auto index = static_cast<std::uint32_t>(size());
            m_bytes.append(bytes);
            m_offsets.push_back(static_cast<std::uint32_t>(m_bytes.size()));
            m_slots[slot] = index + 1;
            ++m_hashed;
            return index;
        }
        if (at(entry - 1) == bytes) {
            return entry - 1;
        }
    }
}

std::uint32_t InternTable::append(std::string_view bytes, std::string_view more) {
    const auto index = static_cast<std::uint32_t>(size());
    m_bytes.append(bytes);
    m_bytes.append(more);
    m_offsets.push_back(static_cast<std::uint32_t>(m_bytes.size()));
    return index;
}

void InternTable::grow() {
    // Rehashes the interned strings (appended ones were never in the table).
    std::vector<std::uint32_t> old(std::max<std::size_t>(16, m_slots.size() * 2), 0);
    old.swap(m_slots);
    const std::size_t mask = m_slots.size() - 1;
    for (const std::uint32_t entry : old) {
        if (entry == 0) {
            continue;
        }
        std::size_t slot = std::hash<std::string_view>{}(at(entry - 1)) & mask;
        while (m_slots[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        m_slots[slot] = entry;
    }
}

}  // namespace detail

namespace {

// Checked before the layer's message is opened (a tile has one open layer at a time).
protozero::pbf_writer& checked(TileWriter& tile, std::vector<std::string>& names,
                               protozero::pbf_writer& pbf, std::string_view name,
                               std::uint32_t extent) {
    // Spec 4.1: "A Vector Tile MUST NOT contain two or more layers whose name values are
    // byte-for-byte identical."
    if (std::find(names.begin(), names.end(), name) != names.end()) {
        throw std::invalid_argument("MVT layer '" + std::string(name) +
                                    "' is already in the tile (spec 4.1: layer names are unique)");
    }
    if (extent == 0) {
        throw std::invalid_argument("MVT layer '" + std::string(name) + "': extent must be > 0");
    }
    (void)tile;
    names.emplace_back(name);
    return pbf;
}

}  // namespace

LayerWriter::LayerWriter(TileWriter& tile, std::string_view name, std::uint32_t extent)
    : m_pbf(checked(tile, tile.m_layer_names, tile.m_pbf, name, extent), 3), m_extent(extent) {
    // Spec 4.1: the version field "MUST" be present and SHOULD come first.
    m_pbf.add_uint32(15, 2);
    m_pbf.add_string(1, name.data(), name.size());
}

LayerWriter::~LayerWriter() {
    if (!m_committed) {
        commit();
    }
}

void LayerWriter::commit() {
    if (m_committed) {
        return;
    }
    m_committed = true;
    if (m_features == 0) {
        m_pbf.rollback();
        return;
    }
    for (std::size_t i = 0; i < m_keys.size(); ++i) {
        const std::string_view key = m_keys.at(i);
        m_pbf.add_string(3, key.data(), key.size());
    }
    for (std::size_t i = 0; i < m_values.size(); ++i) {
        const std::string_view value = m_values.at(i);
        m_pbf.add_message(4, value.data(), value.size());
    }
    // Spec 4.1: "A layer MUST contain an extent".
    m_pbf.add_uint32(5, m_extent);
    m_pbf.commit();
}

std::uint32_t LayerWriter::key(std::string_view key) {
    // A layer has a handful of keys: comparing a few short strings beats hashing.
    constexpr std::size_t max_known = 16;
    for (std::size_t i = 0; i < m_keys.size() && i < max_known; ++i) {
        if (m_keys.at(i) == key) {
            return static_cast<std::uint32_t>(i);
        }
    }
    return m_keys.intern(key);
}

std::uint32_t LayerWriter::value(const Value& value, bool unique) {
    const auto* text = std::get_if<std::string_view>(&value);
    if (text != nullptr && unique) {
        // Spec 4.1: a Value with its string_value (field 1), added without a look-up.
        char head[1 + protozero::max_varint_length];
        head[0] = static_cast<char>((1U << 3U) | 2U);
        const int n = protozero::add_varint_to_buffer(head + 1, text->size());
        return m_values.append(std::string_view(head, static_cast<std::size_t>(n) + 1), *text);
    }
    constexpr std::uint64_t small = 256;
    const auto* number = std::get_if<std::uint64_t>(&value);
    if (number != nullptr && *number < small) {
        if (m_small_values.empty()) {
            m_small_values.assign(small, 0);
        }
        std::uint32_t& known = m_small_values[*number];
        if (known == 0) {
            m_scratch.clear();
            protozero::pbf_writer(m_scratch).add_uint64(5, *number);
            known = m_values.intern(m_scratch) + 1;
        }
        return known - 1;
    }
    // Spec 4.1: values are deduplicated by their encoding; one field per Value message.
    m_scratch.clear();
    protozero::pbf_writer pbf(m_scratch);
    std::visit(
        [&pbf](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::string_view>) {
                pbf.add_string(1, v.data(), v.size());
            } else if constexpr (std::is_same_v<T, double>) {
                pbf.add_double(3, v);
            } else if constexpr (std::is_same_v<T, std::int64_t>) {
                if (v < 0) {
                    pbf.add_sint64(6, v);
                } else {
                    pbf.add_uint64(5, static_cast<std::uint64_t>(v));
                }
            } else if constexpr (std::is_same_v<T, std::uint64_t>) {
                pbf.add_uint64(5, v);
            } else {
                pbf.add_bool(7, v);
            }
        },
        value);
    return unique ? m_values.append(m_scratch) : m_values.intern(m_scratch);
}

void LayerWriter::tag_properties(std::span<const Property> properties) {
    m_tags.clear();
    for (const Property& property : properties) {
        m_tags.push_back(key(property.key));
        m_tags.push_back(value(property.value, property.unique));
    }
}

void LayerWriter::tag_indexes(std::span<const Tag> tags) {
    m_tags.clear();
    for (const Tag& tag : tags) {
        // Spec 4.4: a tag's indexes MUST be within the layer's keys and values.
        if (tag.key >= m_keys.size() || tag.value >= m_values.size()) {
            throw std::out_of_range("MVT tag (" + std::to_string(tag.key) + ", " +
                                    std::to_string(tag.value) + ") names a key or value the layer (" +
                                    std::to_string(m_keys.size()) + " keys, " +
                                    std::to_string(m_values.size()) +
                                    " values) does not have (spec 4.4)");
        }
        m_tags.push_back(tag.key);
        m_tags.push_back(tag.value);
    }
}

namespace {

char* put_varint(char* out, std::uint64_t value) noexcept {
    return out + protozero::add_varint_to_buffer(out, value);
}

// Writes @p values as packed field @p tag (wire type 2, spec 4.2's tags and geometry). The
// varints go where a one-byte length leaves them and move only when the length takes more.
char* put_packed(char* out, std::uint32_t tag, const std::vector<std::uint32_t>& values) noexcept {
    *out++ = static_cast<char>((tag << 3U) | 2U);
    char* const body = out + 1;
    char* end = body;
    for (const std::uint32_t v : values) {
        end = put_varint(end, v);
    }
    const auto length = static_cast<std::uint64_t>(end - body);
    if (length < 0x80) {
        *out = static_cast<char>(length);
        return end;
    }
    const int length_bytes = protozero::length_of_varint(length);
    std::memmove(body + length_bytes - 1, body, length);
    put_varint(out, length);
    return end + length_bytes - 1;
}

}  // namespace

void LayerWriter::write_feature(std::uint64_t id, GeomType type) {
    // The feature is built in a scratch buffer and appended whole: protozero's nested messages
    // reserve room for a length and move the body back when it is shorter, three times a point.
    // Fields 1 to 4 (spec 4.2) take one-byte keys; a varint of 32 bits takes at most 5 bytes.
    const std::size_t bound = 3 * (1 + protozero::max_varint_length) + 2 +
                              5 * (m_tags.size() + m_geometry.size());
    if (m_feature.size() < bound) {
        m_feature.resize(bound);
    }
    char* const begin = m_feature.data();
    char* out = begin;
    *out++ = static_cast<char>(1U << 3U);
    out = put_varint(out, id);
    if (!m_tags.empty()) {
        out = put_packed(out, 2, m_tags);
    }
    *out++ = static_cast<char>(3U << 3U);
    *out++ = static_cast<char>(type);
    out = put_packed(out, 4, m_geometry);
    m_pbf.add_message(2, begin, static_cast<std::size_t>(out - begin));
    ++m_features;
}

void LayerWriter::move_to(Point p, std::uint32_t count) {
    m_geometry.push_back(command(command_move_to, count));
    m_geometry.push_back(protozero::encode_zigzag32(p.x - m_cursor.x));
    m_geometry.push_back(protozero::encode_zigzag32(p.y - m_cursor.y));
    m_cursor = p;
}

void LayerWriter::line_to(std::span<const Point> points) {
    m_geometry.push_back(command(command_line_to, static_cast<std::uint32_t>(points.size())));
    for (const Point& p : points) {
        m_geometry.push_back(protozero::encode_zigzag32(p.x - m_cursor.x));
        m_geometry.push_back(protozero::encode_zigzag32(p.y - m_cursor.y));
        m_cursor = p;
    }
}

bool LayerWriter::add_point(std::uint64_t id, Point point,
                            std::span<const Property> properties) {
    return add_points(id, std::span<const Point>(&point, 1), properties);
}

void LayerWriter::add_tagged_point(std::uint64_t id, Point point, std::span<const Tag> tags) {
    point_geometry(std::span<const Point>(&point, 1));
    tag_indexes(tags);
    write_feature(id, GeomType::point);
}

void LayerWriter::point_geometry(std::span<const Point> points) {
    // Spec 4.3.4.2: one MoveTo with a count of the points.
    m_geometry.clear();
    m_cursor = Point{};
    m_geometry.push_back(command(command_move_to, static_cast<std::uint32_t>(points.size())));
    for (const Point& p : points) {
        m_geometry.push_back(protozero::encode_zigzag32(p.x - m_cursor.x));
        m_geometry.push_back(protozero::encode_zigzag32(p.y - m_cursor.y));
        m_cursor = p;
    }
}

bool LayerWriter::add_points(std::uint64_t id, std::span<const Point> points,
                             std::span<const Property> properties) {
    if (points.empty()) {
        return false;
    }
    point_geometry(points);
    tag_properties(properties);
    write_feature(id, GeomType::point);
    return true;
}

bool LayerWriter::add_lines(std::uint64_t id, std::span<const std::span<const Point>> lines,
                            std::span<const Property> properties) {
    m_geometry.clear();
    m_cursor = Point{};
    for (const auto& line : lines) {
        m_points.clear();
        // Spec 4.3.4.3: a MoveTo then a LineTo of at least one point, none of zero length.
        if (append_distinct(line, &m_points) < 2) {
            continue;
        }
        move_to(m_points.front(), 1);
        line_to(std::span<const Point>(m_points).subspan(1));
    }
    if (m_geometry.empty()) {
        return false;
    }
    tag_properties(properties);
    write_feature(id, GeomType::linestring);
    return true;
}

bool LayerWriter::add_polygon(std::uint64_t id, std::span<const Ring> rings,
                              std::span<const Property> properties) {
    m_geometry.clear();
    m_cursor = Point{};
    bool in_kept_polygon = false;
    for (const Ring& ring : rings) {
        if (!ring.exterior && !in_kept_polygon) {
            continue;  // a hole of a dropped exterior ring
        }
        m_points.clear();
        append_distinct(ring.points, &m_points);
        while (m_points.size() > 1 && m_points.back() == m_points.front()) {
            m_points.pop_back();  // the closing point: ClosePath draws that edge
        }
        // Spec 4.3.4.4: a ring is a MoveTo, a LineTo of at least two points and a ClosePath;
        // its area SHOULD NOT be zero; exterior rings have positive area, interior negative.
        const std::int64_t area = m_points.size() >= 3 ? twice_area(m_points) : 0;
        if (area == 0) {
            if (ring.exterior) {
                in_kept_polygon = false;
            }
            continue;
        }
        if ((area > 0) != ring.exterior) {
            std::reverse(m_points.begin() + 1, m_points.end());
        }
        if (ring.exterior) {
            in_kept_polygon = true;
        }
        move_to(m_points.front(), 1);
        line_to(std::span<const Point>(m_points).subspan(1));
        m_geometry.push_back(command(command_close_path, 1));
    }
    if (m_geometry.empty()) {
        return false;
    }
    tag_properties(properties);
    write_feature(id, GeomType::polygon);
    return true;
}

}  // namespace diachi::tiles::mvt
