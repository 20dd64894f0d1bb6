#ifndef DIACHI_TILES_LAYERS_HPP
#define DIACHI_TILES_LAYERS_HPP

/// @file
/// The layers diachi's tiles hold, their fields (documented in docs/tiles.md and in every
/// TileJSON / PMTiles metadata as vector_layers), and sets of them.

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace diachi::tiles {

/// A layer of diachi's tiles.
enum class Layer : std::uint8_t {
    households = 0,  ///< points: every household from the detail zoom, clusters below it
    communes = 1,    ///< polygons of the communes (wards, special zones)
    provinces = 2,   ///< polygons of the provinces (the union of their communes)
    labels = 3,      ///< a point per province and commune, for its name
    grid = 4,        ///< the 11-digit code cells as polygons (zoom 19 and up)
    osm = 5,         ///< OpenStreetMap points, roads and buildings
};

inline constexpr std::array<Layer, 6> all_layers = {Layer::households, Layer::communes,
                                                    Layer::provinces,  Layer::labels,
                                                    Layer::grid,       Layer::osm};

/// A field of a layer, as TileJSON's vector_layers describes it.
struct LayerField {
    std::string_view name;
    std::string_view type;  ///< "String", "Number" or "Boolean"
    std::string_view description;
};

/// What a layer holds.
struct LayerInfo {
    std::string_view name;
    std::string_view description;
    std::span<const LayerField> fields;
};

/// The layer's name ("households", ...).
[[nodiscard]] std::string_view name(Layer layer) noexcept;
/// The layer's description and fields.
[[nodiscard]] const LayerInfo& info(Layer layer) noexcept;

/// A set of layers.
class LayerSet {
public:
    constexpr LayerSet() noexcept = default;
    /// Every layer.
    [[nodiscard]] static constexpr LayerSet all() noexcept { return LayerSet((1U << 6) - 1); }
    /// Parses "households,communes" (names separated by commas or '+'; "all" for every layer).
    /// Throws std::invalid_argument naming an unknown layer and listing the known ones.
    [[nodiscard]] static LayerSet parse(std::string_view names);

    [[nodiscard]] constexpr bool contains(Layer layer) const noexcept {
        return (m_bits & bit(layer)) != 0;
    }
    constexpr LayerSet& add(Layer layer) noexcept {
        m_bits |= bit(layer);
        return *this;
    }
    [[nodiscard]] constexpr bool empty() const noexcept { return m_bits == 0; }
    [[nodiscard]] constexpr std::uint32_t bits() const noexcept { return m_bits; }
    /// "households,communes" in layer order.
    [[nodiscard]] std::string to_string() const;

    friend constexpr bool operator==(LayerSet, LayerSet) = default;

private:
    constexpr explicit LayerSet(std::uint32_t bits) noexcept : m_bits(bits) {}
    static constexpr std::uint32_t bit(Layer layer) noexcept {
        return 1U << static_cast<std::uint32_t>(layer);
    }
    std::uint32_t m_bits = 0;
};

}  // namespace diachi::tiles

#endif  // DIACHI_TILES_LAYERS_HPP
