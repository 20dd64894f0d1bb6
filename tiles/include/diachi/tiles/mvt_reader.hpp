#ifndef DIACHI_TILES_MVT_READER_HPP
#define DIACHI_TILES_MVT_READER_HPP

/// @file
/// Reading Mapbox Vector Tiles back: a decoder to plain structures and canonical JSON (for golden
/// tests and `diachi tile --json`), and a checker that walks the raw encoding for every rule of
/// the MVT 2.1 specification that readers tend not to check (winding, zero-area rings,
/// zero-length segments, duplicate layers, keys and values, tag indexes, layer version,
/// duplicate feature ids).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <diachi/tiles/mvt_writer.hpp>

namespace diachi::tiles::mvt {

/// A decoded property value (float_value is widened to double, sint_value kept as int64).
using DecodedValue = std::variant<std::string, double, std::int64_t, std::uint64_t, bool>;

/// A decoded feature. Geometry parts are points (one per part) for GeomType::point, lines for
/// linestring, rings (without the closing point) for polygon.
struct DecodedFeature {
    std::optional<std::uint64_t> id;
    GeomType type = GeomType::unknown;
    std::vector<std::pair<std::string, DecodedValue>> properties;  ///< in tag order
    std::vector<std::vector<Point>> geometry;
};

struct DecodedLayer {
    std::string name;
    std::uint32_t version = 1;   ///< 1 when the field is missing (the protobuf default)
    std::uint32_t extent = 4096;
    std::vector<DecodedFeature> features;
};

struct DecodedTile {
    std::vector<DecodedLayer> layers;
    /// The layer named @p name, or nullptr.
    [[nodiscard]] const DecodedLayer* layer(std::string_view name) const noexcept;
};

/// Decodes @p tile (not compressed). Throws std::runtime_error naming the layer, the feature and
/// the specification section when the encoding cannot be read (bad protobuf, unknown geometry
/// command, tag index out of range).
[[nodiscard]] DecodedTile decode(std::string_view tile);

/// Every rule of the specification @p tile breaks, one line each naming the layer, the feature
/// and the section; empty for a valid tile.
[[nodiscard]] std::vector<std::string> check(std::string_view tile);

/// Canonical JSON of a decoded tile: layers by name, features by id (then geometry), properties
/// by key; one feature per line, so that golden files diff well.
[[nodiscard]] std::string to_json(const DecodedTile& tile);

}  // namespace diachi::tiles::mvt

#endif  // DIACHI_TILES_MVT_READER_HPP
