#ifndef DIACHI_TILES_MVT_WRITER_HPP
#define DIACHI_TILES_MVT_WRITER_HPP

/// @file
/// A Mapbox Vector Tile 2.1 writer that encodes straight into the caller's buffer (protozero).
///
/// The writer, not its callers, keeps the tile valid: every layer carries version 2 and its
/// extent, keys and values are deduplicated, layer names are unique, geometry is command-encoded
/// with zigzag deltas, repeated points are dropped so that no LineTo has zero length, rings of
/// zero area and lines of one point are dropped, and rings are turned so that exterior rings have
/// positive area and holes negative (specification sections cited where each rule is enforced).
/// Feature ids are the caller's: each layer's ids must be unique (spec 4.2); every layer diachi
/// renders uses ids that are by construction.
///
/// @code
///   std::string tile;
///   mvt::TileWriter writer(&tile);
///   mvt::LayerWriter layer(writer, "households");
///   const mvt::Property props[] = {{"code", "11120 7Q89+XG2"}, {"units", std::uint64_t{1}}};
///   layer.add_point(42, {2048, 2048}, props);
///   layer.commit();
/// @endcode

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <protozero/pbf_writer.hpp>

namespace diachi::tiles::mvt {

/// The extent (tile width in coordinate units) diachi writes by default.
inline constexpr std::uint32_t default_extent = 4096;

/// A point in tile coordinates: x to the right, y down, 0..extent inside the tile.
struct Point {
    std::int32_t x = 0;
    std::int32_t y = 0;

    friend bool operator==(const Point&, const Point&) = default;
};

/// Geometry types (spec 4.3.4).
enum class GeomType : std::uint32_t { unknown = 0, point = 1, linestring = 2, polygon = 3 };

/// A property value (spec 4.1, the Value message). Integers are written as uint_value when not
/// negative and sint_value otherwise.
using Value = std::variant<std::string_view, double, std::int64_t, std::uint64_t, bool>;

/// A feature's property.
struct Property {
    std::string_view key;
    Value value;
    /// The caller guarantees that no other feature of the layer carries this value (a household
    /// code, say): it is added to the layer's values without looking for a copy, which saves a
    /// hash and a comparison per feature. A false promise leaves duplicate values (mvt::check()
    /// reports them).
    bool unique = false;
};

/// A feature's property as a tag (spec 4.4): the indexes of its key and value in the layer, from
/// LayerWriter::key() and LayerWriter::value(). Many features with the same keys resolve each key
/// once and write tags, with no look-up per feature (what vtzero calls index_value).
struct Tag {
    std::uint32_t key = 0;
    std::uint32_t value = 0;
};

/// A ring of a polygon: its points (closing point optional) and whether it is an exterior ring
/// (a hole otherwise). The writer orients it; rings after an exterior ring until the next are
/// its holes.
struct Ring {
    std::span<const Point> points;
    bool exterior = true;
};

/// A tile being written into a caller's string (appended to).
class TileWriter {
public:
    explicit TileWriter(std::string* out) : m_pbf(*out) {}
    TileWriter(const TileWriter&) = delete;
    TileWriter& operator=(const TileWriter&) = delete;

private:
    friend class LayerWriter;
    protozero::pbf_writer m_pbf;
    std::vector<std::string> m_layer_names;
};

namespace detail {

/// Interns byte strings: the index of each distinct string in order of first appearance.
class InternTable {
public:
    /// The index of @p bytes, adding it when new.
    std::uint32_t intern(std::string_view bytes);
    /// The index of @p bytes followed by @p more, added without looking for them: the caller
    /// knows they are new and will not be interned again.
    std::uint32_t append(std::string_view bytes, std::string_view more = {});
    [[nodiscard]] std::size_t size() const noexcept { return m_offsets.size() - 1; }
    [[nodiscard]] std::string_view at(std::size_t index) const noexcept {
        return std::string_view(m_bytes).substr(m_offsets[index],
                                                m_offsets[index + 1] - m_offsets[index]);
    }

private:
    void grow();
    std::string m_bytes;
    std::vector<std::uint32_t> m_offsets{0};
    std::vector<std::uint32_t> m_slots;  // index + 1, 0 for empty (open addressing)
    std::size_t m_hashed = 0;            // strings in m_slots
};

}  // namespace detail

/// A layer of a tile. Features are written as they are added; the keys, values and extent follow
/// in commit(). A layer with no features is left out of the tile.
class LayerWriter {
public:
    /// Starts layer @p name. Throws std::invalid_argument when the tile already has a layer of
    /// that name (spec 4.1: names are unique in a tile) or the extent is 0.
    LayerWriter(TileWriter& tile, std::string_view name, std::uint32_t extent = default_extent);
    /// Commits the layer if commit() was not called.
    ~LayerWriter();
    LayerWriter(const LayerWriter&) = delete;
    LayerWriter& operator=(const LayerWriter&) = delete;

    /// A point feature. Always written; returns true.
    bool add_point(std::uint64_t id, Point point, std::span<const Property> properties);
    /// A point feature whose properties are tags of this layer's keys and values. Throws
    /// std::out_of_range when a tag's index is not in the layer (spec 4.4).
    void add_tagged_point(std::uint64_t id, Point point, std::span<const Tag> tags);
    /// A multipoint feature; false (nothing written) when @p points is empty.
    bool add_points(std::uint64_t id, std::span<const Point> points,
                    std::span<const Property> properties);
    /// A (multi)linestring feature. Repeated points are dropped; lines left with fewer than two
    /// points are dropped; false when none is left.
    bool add_lines(std::uint64_t id, std::span<const std::span<const Point>> lines,
                   std::span<const Property> properties);
    /// A (multi)polygon feature. Repeated points are dropped; rings left with fewer than three
    /// points or zero area are dropped, and so are the holes of a dropped exterior ring; rings
    /// are oriented by their role. False when no exterior ring is left.
    bool add_polygon(std::uint64_t id, std::span<const Ring> rings,
                     std::span<const Property> properties);

    /// The index of key @p key in the layer, added when new.
    std::uint32_t key(std::string_view key);
    /// The index of @p value in the layer, added when new (values are deduplicated by their
    /// encoding, spec 4.1). With @p unique, see Property::unique.
    std::uint32_t value(const Value& value, bool unique = false);

    /// Features written so far.
    [[nodiscard]] std::size_t size() const noexcept { return m_features; }
    /// The layer's extent.
    [[nodiscard]] std::uint32_t extent() const noexcept { return m_extent; }

    /// Writes the keys, values and extent and closes the layer (or drops it when empty).
    void commit();

private:
    // The feature of m_tags and m_geometry.
    void write_feature(std::uint64_t id, GeomType type);
    void tag_properties(std::span<const Property> properties);
    void tag_indexes(std::span<const Tag> tags);
    // m_geometry: a MoveTo of @p points (not empty).
    void point_geometry(std::span<const Point> points);
    void move_to(Point p, std::uint32_t count);
    void line_to(std::span<const Point> points);

    protozero::pbf_writer m_pbf;
    std::uint32_t m_extent;
    std::size_t m_features = 0;
    bool m_committed = false;
    detail::InternTable m_keys;
    detail::InternTable m_values;
    std::string m_scratch;               // one encoded Value
    std::string m_feature;               // room for one encoded Feature
    std::vector<std::uint32_t> m_small_values;  // small unsigned value -> index + 1, 0 if unseen
    std::vector<std::uint32_t> m_tags;   // of the feature being written
    std::vector<std::uint32_t> m_geometry;
    std::vector<Point> m_points;         // cleaned coordinates
    Point m_cursor;
};

}  // namespace diachi::tiles::mvt

#endif  // DIACHI_TILES_MVT_WRITER_HPP
