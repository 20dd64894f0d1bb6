#include <diachi/tiles/renderer.hpp>

#include <algorithm>
#include <bit>
#include <cmath>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <unordered_map>

#include <geos_c.h>

#include <diachi/household_code.hpp>
#include <diachi/olc.hpp>
#include <diachi/store/registry.hpp>
#include <diachi/tiles/gzip.hpp>
#include <diachi/tiles/mvt_writer.hpp>

#include "geos_internal.hpp"
#include <diachi/json.hpp>
#include "tile_frame.hpp"
#include "zone_shapes.hpp"

namespace diachi::tiles {

namespace {

using detail::Shape;
using detail::TileFrame;
using detail::TilePoint;
using detail::WorldBox;
using geography::detail::geos_context;

// A household as read for a tile.
struct HouseholdPoint {
    std::uint64_t id = 0;
    double wx = 0.0;
    double wy = 0.0;
    HouseholdCode code;
};

// A cluster of households: the cells of the cluster grid (world-aligned, `cell` units a side at
// the tile's zoom), keyed row << 26 | column.
struct Cluster {
    std::uint32_t count = 0;
    double sum_x = 0.0;
    double sum_y = 0.0;
    std::size_t first = 0;  // the index of its first household (in the households read)
};
using ClusterMap = std::unordered_map<std::uint64_t, Cluster>;

constexpr std::uint64_t cluster_key(std::uint64_t column, std::uint64_t row) {
    return (row << 26) | column;
}
constexpr std::uint64_t cluster_column(std::uint64_t key) { return key & ((std::uint64_t{1} << 26) - 1); }
constexpr std::uint64_t cluster_row(std::uint64_t key) { return key >> 26; }

// Cluster ids are set apart from household ids by bit 52: every id stays exact in a JavaScript
// number (MapLibre's feature ids), and cluster keys take at most 2 x 21 bits below it.
constexpr std::uint64_t cluster_id_bit = std::uint64_t{1} << 52;

std::string abbreviated(std::uint64_t count) {
    // supercluster's point_count_abbreviated.
    if (count >= 10000) {
        return std::to_string((count + 500) / 1000) + "k";
    }
    // Math.round(count / 100) / 10 + "k": "1k", "1.3k", "10k" (no trailing ".0").
    const std::uint64_t tenths = (count + 50) / 100;
    std::string text = std::to_string(tenths / 10);
    if (tenths % 10 != 0) {
        text.append(".").append(std::to_string(tenths % 10));
    }
    return text + "k";
}

geography::Bounds degrees_of(const WorldBox& box) {
    geography::Bounds b;
    b.west_deg = lng_of_world_x(box.min_x);
    b.east_deg = lng_of_world_x(box.max_x);
    b.north_deg = lat_of_world_y(box.min_y);
    b.south_deg = lat_of_world_y(box.max_y);
    return b;
}

// world_y() for the points of a box: by the series near its middle latitude when the box is
// small enough for it (WorldYNear: tiles from z12), a sine and a logarithm fewer per household.
class BoxWorldY {
public:
    explicit BoxWorldY(const WorldBox& box) {
        const geography::Bounds b = degrees_of(box);
        const double middle = (b.north_deg + b.south_deg) / 2;
        if (std::abs(middle) <= WorldYNear::max_reference_deg &&
            (b.north_deg - b.south_deg) / 2 <= WorldYNear::max_distance_deg) {
            m_near.emplace(middle);
        }
    }
    double operator()(double lat_deg) const { return m_near ? (*m_near)(lat_deg) : world_y(lat_deg); }

private:
    std::optional<WorldYNear> m_near;
};

// The polygons of a GEOS geometry as rings in tile units, rounded.
class RingCollector {
public:
    void collect(GEOSContextHandle_t ctx, const GEOSGeometry* g, const TileFrame& frame) {
        m_points.clear();
        m_rings.clear();
        walk(ctx, g, frame);
    }
    std::span<const mvt::Ring> rings() {
        m_spans.clear();
        for (const auto& [begin, end, exterior] : m_rings) {
            m_spans.push_back(mvt::Ring{
                std::span<const mvt::Point>(m_points).subspan(begin, end - begin), exterior});
        }
        return m_spans;
    }

private:
    void walk(GEOSContextHandle_t ctx, const GEOSGeometry* g, const TileFrame& frame) {
        const int type = GEOSGeomTypeId_r(ctx, g);
        if (type == GEOS_POLYGON) {
            add_ring(ctx, GEOSGetExteriorRing_r(ctx, g), true, frame);
            const int holes = GEOSGetNumInteriorRings_r(ctx, g);
            for (int i = 0; i < holes; ++i) {
                add_ring(ctx, GEOSGetInteriorRingN_r(ctx, g, i), false, frame);
            }
        } else if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
            const int n = GEOSGetNumGeometries_r(ctx, g);
            for (int i = 0; i < n; ++i) {
                walk(ctx, GEOSGetGeometryN_r(ctx, g, i), frame);
            }
        }
    }
    void add_ring(GEOSContextHandle_t ctx, const GEOSGeometry* ring, bool exterior,
                  const TileFrame& frame) {
        const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(ctx, ring);
        unsigned int size = 0;
        if (seq == nullptr || GEOSCoordSeq_getSize_r(ctx, seq, &size) == 0) {
            return;
        }
        const std::size_t begin = m_points.size();
        for (unsigned int i = 0; i < size; ++i) {
            double x = 0.0;
            double y = 0.0;
            GEOSCoordSeq_getXY_r(ctx, seq, i, &x, &y);
            m_points.push_back(TileFrame::round(frame.to_tile(x, y)));
        }
        m_rings.push_back({begin, m_points.size(), exterior});
    }

    struct RingRange {
        std::size_t begin;
        std::size_t end;
        bool exterior;
    };
    std::vector<mvt::Point> m_points;
    std::vector<RingRange> m_rings;
    std::vector<mvt::Ring> m_spans;
};

}  // namespace

struct TileRenderer::Impl {
    std::shared_ptr<const OsmSource> osm;
    mutable std::mutex mutex;
    mutable std::shared_ptr<const detail::ZoneShapes> shapes;

    // The zone outlines of the registry's current zones, built on first use and again after
    // the zones are replaced.
    std::shared_ptr<const detail::ZoneShapes> zone_shapes(const store::Registry& registry,
                                                          const RendererOptions& options) const {
        auto zones = registry.zones();
        std::lock_guard lock(mutex);
        if (!shapes || shapes->zones() != zones.get()) {
            shapes = std::make_shared<detail::ZoneShapes>(std::move(zones),
                                                          options.simplify_units, options.extent);
        }
        return shapes;
    }
};

TileRenderer::TileRenderer(const store::Registry& registry, RendererOptions options,
                           std::shared_ptr<const OsmSource> osm)
    : m_registry(registry), m_options(options), m_impl(std::make_unique<Impl>()) {
    if (m_options.extent == 0 || m_options.cluster_cell == 0) {
        throw std::invalid_argument("tile renderer: extent and cluster_cell must be > 0");
    }
    // Cluster keys hold 26 bits per axis.
    if (m_options.households_detail_zoom > 0 &&
        std::ldexp(static_cast<double>(m_options.extent) / m_options.cluster_cell,
                   static_cast<int>(m_options.households_detail_zoom) - 1) > 67108864.0) {
        throw std::invalid_argument(
            "tile renderer: households_detail_zoom too deep for the cluster cell");
    }
    m_impl->osm = std::move(osm);
}

TileRenderer::~TileRenderer() = default;

std::uint32_t TileRenderer::min_zoom(Layer layer) const noexcept {
    switch (layer) {
        case Layer::communes: return m_options.communes_min_zoom;
        case Layer::grid: return m_options.grid_min_zoom;
        case Layer::osm:
            return std::min({m_options.osm.roads, m_options.osm.buildings, m_options.osm.points});
        case Layer::households:
        case Layer::provinces:
        case Layer::labels: break;
    }
    return 0;
}

namespace {

// Writes the shapes reaching the frame's box, clipped to it and simplified for the zoom.
template <typename Properties>
std::size_t write_shapes(const detail::ZoneShapes& all, const std::vector<Shape>& shapes,
                         std::uint64_t id_base, const TileFrame& frame, mvt::LayerWriter* layer,
                         Properties&& properties) {
    GEOSContextHandle_t ctx = geos_context();
    const WorldBox box = frame.world_box();
    RingCollector rings;
    std::size_t written = 0;
    for (std::size_t i = 0; i < shapes.size(); ++i) {
        const Shape& shape = shapes[i];
        if (!shape.box.intersects(box)) {
            continue;
        }
        const GEOSGeometry* outline = all.at_zoom(shape, frame.tile().z);
        const bool whole = box.contains(shape.box.min_x, shape.box.min_y) &&
                           box.contains(shape.box.max_x, shape.box.max_y);
        GEOSGeometry* clipped = nullptr;
        if (!whole) {
            clipped = GEOSClipByRect_r(ctx, outline, box.min_x, box.min_y, box.max_x, box.max_y);
            if (clipped == nullptr) {
                continue;
            }
        }
        rings.collect(ctx, whole ? outline : clipped, frame);
        if (clipped != nullptr) {
            GEOSGeom_destroy_r(ctx, clipped);
        }
        if (layer->add_polygon(id_base + i, rings.rings(), properties(shape))) {
            ++written;
        }
    }
    return written;
}

std::size_t write_households(const TileFrame& frame, std::uint32_t cell,
                             std::vector<HouseholdPoint>* households, ClusterMap* clusters,
                             mvt::LayerWriter* layer);
std::size_t write_labels(const RendererOptions& options, const detail::ZoneShapes& shapes,
                         const TileFrame& frame, mvt::LayerWriter* layer);
std::size_t write_grid(const TileFrame& frame, mvt::LayerWriter* layer);

// The clusters of the households in @p box (whole cluster cells) from the registry's density
// index, when the box holds more than options.density_index_above households and the cluster
// grid is a power of two no finer than the index's finest level. A cluster of one household
// needs the household itself: those are read from the store in one pass, a small box each.
// False: read the households instead.
bool clusters_from_density(const store::Registry& registry, const RendererOptions& options,
                           const TileFrame& frame, std::uint32_t cell, const WorldBox& box,
                           ClusterMap* clusters, std::vector<HouseholdPoint>* households,
                           RenderStats* stats) {
    const double cells_per_world = frame.scale() / cell;
    int exponent = 0;
    if (std::frexp(cells_per_world, &exponent) != 0.5) {
        return false;
    }
    const auto grid_level = static_cast<std::uint32_t>(exponent - 1);  // 2^grid_level a side
    const auto& levels = store::Registry::density_levels;
    const auto level_it = std::find_if(levels.begin(), levels.end(),
                                       [&](std::uint32_t l) { return l >= grid_level; });
    if (level_it == levels.end()) {
        return false;
    }
    // The cells of @p level meeting the box.
    struct Range {
        std::uint32_t x0, y0, x1, y1;
    };
    const auto range_at = [&](std::uint32_t level) {
        const double side = std::ldexp(1.0, static_cast<int>(level));
        const auto index = [&](double w, double nudge) {
            return static_cast<std::uint32_t>(std::clamp(std::floor(w * side + nudge), 0.0, side - 1.0));
        };
        // The box is whole cluster cells: its far edges belong to the next cells.
        return Range{index(box.min_x, 0.0), index(box.min_y, 0.0), index(box.max_x, -1e-9),
                     index(box.max_y, -1e-9)};
    };

    // Is the box heavy? Ask the coarsest level, stopping once past the threshold.
    std::uint64_t estimate = 0;
    const Range coarse = range_at(levels.front());
    registry.density(levels.front(), coarse.x0, coarse.y0, coarse.x1, coarse.y1,
                     [&](const store::DensityCell& c) {
                         estimate += c.count;
                         return estimate <= options.density_index_above;
                     });
    if (estimate <= options.density_index_above) {
        return false;
    }

    const std::uint32_t shift = *level_it - grid_level;
    const Range fine = range_at(*level_it);
    std::size_t cells_read = 0;
    registry.density(*level_it, fine.x0, fine.y0, fine.x1, fine.y1, [&](const store::DensityCell& c) {
        ++cells_read;
        Cluster& cluster = (*clusters)[cluster_key(c.x >> shift, c.y >> shift)];
        cluster.count += static_cast<std::uint32_t>(c.count);
        cluster.sum_x += c.mean_x * static_cast<double>(c.count);
        cluster.sum_y += c.mean_y * static_cast<double>(c.count);
        return true;
    });

    // Clusters of one household are drawn as the household.
    std::vector<std::uint64_t> singles;
    for (const auto& [key, c] : *clusters) {
        if (c.count == 1 && frame.inside(frame.to_tile(c.sum_x, c.sum_y))) {
            singles.push_back(key);
        }
    }
    // Read them in one pass over the spatial index, a box per cluster cell.
    std::vector<geography::Bounds> boxes;
    boxes.reserve(singles.size());
    for (const std::uint64_t key : singles) {
        const auto cx = static_cast<double>(cluster_column(key));
        const auto cy = static_cast<double>(cluster_row(key));
        boxes.push_back(degrees_of(WorldBox{cx / cells_per_world, cy / cells_per_world,
                                            (cx + 1) / cells_per_world, (cy + 1) / cells_per_world}));
    }
    std::vector<bool> found(singles.size(), false);
    const BoxWorldY y_of(box);
    registry.within(boxes, [&](std::size_t i, const store::HouseholdPoint& p) {
        const HouseholdPoint h{p.id, world_x(p.location.lng_deg()), y_of(p.location.lat_deg()),
                               p.code};
        const std::uint64_t key = singles[i];
        if (found[i] || cluster_key(static_cast<std::uint64_t>(h.wx * cells_per_world),
                                    static_cast<std::uint64_t>(h.wy * cells_per_world)) != key) {
            return true;  // on the box's edge, in the next cell
        }
        Cluster& c = (*clusters)[key];
        c.first = households->size();
        c.sum_x = h.wx;
        c.sum_y = h.wy;
        households->push_back(h);
        found[i] = true;
        return true;
    });
    for (std::size_t i = 0; i < singles.size(); ++i) {
        if (!found[i]) {
            clusters->erase(singles[i]);
        }
    }
    stats->density_cells_read = cells_read;
    stats->households_read = households->size();
    return true;
}

}  // namespace

RenderStats TileRenderer::render(TileId tile, LayerSet layers, std::string* out) const {
    if (!is_valid(tile)) {
        throw std::invalid_argument("tile " + to_string(tile) +
                                    " is not a tile (zoom 0..22, x and y below 2^zoom)");
    }
    const TileFrame frame(tile, m_options.extent, m_options.buffer);
    const bool full_detail = tile.z >= m_options.households_detail_zoom;
    std::shared_ptr<const detail::ZoneShapes> shapes;
    if (layers.contains(Layer::communes) || layers.contains(Layer::provinces) ||
        layers.contains(Layer::labels)) {
        shapes = m_impl->zone_shapes(m_registry, m_options);
    }

    std::vector<HouseholdPoint> households;
    ClusterMap clusters;
    std::uint32_t cell = full_detail ? 0 : m_options.cluster_cell;
    RenderStats stats;
    for (;;) {
        stats = RenderStats{};
        stats.cluster_cell = cell;
        out->clear();
        if (layers.contains(Layer::households)) {
            // Read the buffered box, widened to whole cluster cells so that every cluster drawn
            // counts all its households (its neighbour tile counts the same ones).
            WorldBox box = frame.point_box();
            if (!full_detail) {
                const double side = cell / frame.scale();
                box.min_x = std::floor(box.min_x / side) * side;
                box.min_y = std::floor(box.min_y / side) * side;
                box.max_x = std::ceil(box.max_x / side) * side;
                box.max_y = std::ceil(box.max_y / side) * side;
            }
            households.clear();
            clusters.clear();
            if (full_detail || !clusters_from_density(m_registry, m_options, frame, cell, box,
                                                      &clusters, &households, &stats)) {
                clusters.clear();
                households.clear();
                const BoxWorldY y_of(box);
                m_registry.within(degrees_of(box), [&](const store::HouseholdPoint& p) {
                    households.push_back(HouseholdPoint{p.id, world_x(p.location.lng_deg()),
                                                        y_of(p.location.lat_deg()), p.code});
                    return true;
                });
                stats.households_read = households.size();
                stats.density_cells_read = 0;
            }
        }
        {
            mvt::TileWriter writer(out);
            if (layers.contains(Layer::provinces) && shapes) {
                mvt::LayerWriter layer(writer, "provinces", m_options.extent);
                stats.features[static_cast<std::size_t>(Layer::provinces)] = write_shapes(
                    *shapes, shapes->provinces(), 1, frame, &layer, [](const Shape& s) {
                        return std::array<mvt::Property, 3>{
                            mvt::Property{"name", std::string_view(s.name)},
                            mvt::Property{"code", std::string_view(s.id)},
                            mvt::Property{"postcode", std::string_view(s.postcode)}};
                    });
            }
            if (layers.contains(Layer::communes) && shapes &&
                tile.z >= m_options.communes_min_zoom) {
                mvt::LayerWriter layer(writer, "communes", m_options.extent);
                stats.features[static_cast<std::size_t>(Layer::communes)] = write_shapes(
                    *shapes, shapes->communes(), 1, frame, &layer, [](const Shape& s) {
                        return std::array<mvt::Property, 4>{
                            mvt::Property{"name", std::string_view(s.name)},
                            mvt::Property{"code", std::string_view(s.id)},
                            mvt::Property{"postcode", std::string_view(s.postcode)},
                            mvt::Property{"province", std::string_view(s.parent)}};
                    });
            }
            if (layers.contains(Layer::osm) && m_impl->osm) {
                mvt::LayerWriter layer(writer, "osm", m_options.extent);
                stats.features[static_cast<std::size_t>(Layer::osm)] =
                    m_impl->osm->write(tile, m_options.buffer, m_options.osm, &layer);
            }
            if (layers.contains(Layer::grid) && tile.z >= m_options.grid_min_zoom) {
                mvt::LayerWriter layer(writer, "grid", m_options.extent);
                stats.features[static_cast<std::size_t>(Layer::grid)] = write_grid(frame, &layer);
            }
            if (layers.contains(Layer::households)) {
                mvt::LayerWriter layer(writer, "households", m_options.extent);
                stats.features[static_cast<std::size_t>(Layer::households)] =
                    write_households(frame, cell, &households, &clusters, &layer);
            }
            if (layers.contains(Layer::labels) && shapes) {
                mvt::LayerWriter layer(writer, "labels", m_options.extent);
                stats.features[static_cast<std::size_t>(Layer::labels)] =
                    write_labels(m_options, *shapes, frame, &layer);
            }
        }
        stats.bytes = out->size();
        if (stats.bytes <= m_options.max_tile_bytes) {
            break;
        }
        // Only clusters can be made coarser. Elsewhere nothing may be dropped, and gzipping a
        // dense tile costs more than drawing it: whoever compresses the tile (an export, the
        // tile cache) measures it then.
        if (full_detail || !layers.contains(Layer::households) || cell >= m_options.extent) {
            break;
        }
        stats.gzipped_bytes = gzip(*out, 6).size();
        if (stats.gzipped_bytes <= m_options.max_tile_bytes) {
            break;
        }
        cell *= 2;
    }
    return stats;
}

namespace {

// Households per 11-digit cell (a code without its unit), for "units". Units are issued 1, 2,
// 3, ... in a cell and never twice, so a cell holds more than one of the households only if one
// of them has a unit above 1: only those cells, few, are counted; the rest hold one.
class CellCounts {
public:
    explicit CellCounts(const std::vector<HouseholdPoint>& households) {
        for (const HouseholdPoint& h : households) {
            if (h.code.unit() > 1) {
                m_cells.push_back(cell_of(h.code));
            }
        }
        if (m_cells.empty()) {
            return;
        }
        std::sort(m_cells.begin(), m_cells.end());
        m_cells.erase(std::unique(m_cells.begin(), m_cells.end()), m_cells.end());
        m_counts.assign(m_cells.size(), 0);
        for (const HouseholdPoint& h : households) {
            if (const std::size_t i = index(cell_of(h.code)); i < m_cells.size()) {
                ++m_counts[i];
            }
        }
    }
    /// The households read in the cell of @p code.
    std::uint64_t operator()(const HouseholdCode& code) const {
        if (m_cells.empty()) {
            return 1;
        }
        const std::size_t i = index(cell_of(code));
        return i < m_cells.size() ? m_counts[i] : 1;
    }

private:
    // The code's key without its unit (HouseholdCode::key() adds the unit in its low bits).
    static std::uint64_t cell_of(const HouseholdCode& code) { return code.key() - code.unit(); }
    // The index of @p cell in m_cells, m_cells.size() when it is not there.
    [[nodiscard]] std::size_t index(std::uint64_t cell) const {
        const auto it = std::lower_bound(m_cells.begin(), m_cells.end(), cell);
        return it != m_cells.end() && *it == cell ? static_cast<std::size_t>(it - m_cells.begin())
                                                  : m_cells.size();
    }
    std::vector<std::uint64_t> m_cells;  // cells of the households with a unit above 1, sorted
    std::vector<std::uint32_t> m_counts;
};

std::size_t write_households(const TileFrame& frame, std::uint32_t cell,
                             std::vector<HouseholdPoint>* households, ClusterMap* clusters,
                             mvt::LayerWriter* layer) {
    const CellCounts units_in_cell(*households);
    // The keys are looked up once, not per household.
    const std::uint32_t code_key = layer->key("code");
    const std::uint32_t unit_key = layer->key("unit");
    const std::uint32_t units_key = layer->key("units");
    std::size_t written = 0;
    const auto write_one = [&](std::size_t i, TilePoint at) {
        const HouseholdPoint& h = (*households)[i];
        const HouseholdCode::Text code = h.code.display();
        // Codes are unique: each is a new value of the layer.
        const std::array<mvt::Tag, 3> tags = {
            mvt::Tag{code_key, layer->value(code.view(), true)},
            mvt::Tag{unit_key, layer->value(std::uint64_t{h.code.unit()})},
            mvt::Tag{units_key, layer->value(units_in_cell(h.code))}};
        layer->add_tagged_point(h.id, TileFrame::round(at), tags);
        ++written;
    };
    if (cell == 0) {
        // The detail zoom: every household, in the spatial index's order (Z-order of the
        // location, then id), which the same store always gives.
        for (std::size_t i = 0; i < households->size(); ++i) {
            const TilePoint at = frame.to_tile((*households)[i].wx, (*households)[i].wy);
            if (frame.inside(at)) {
                write_one(i, at);
            }
        }
        return written;
    }
    if (clusters->empty()) {
        // Cluster the households read (the density index did not give the clusters).
        clusters->reserve(households->size() / 4 + 16);
        const double cells_per_world = frame.scale() / cell;
        for (std::size_t i = 0; i < households->size(); ++i) {
            const HouseholdPoint& h = (*households)[i];
            const auto cx = static_cast<std::uint64_t>(h.wx * cells_per_world);
            const auto cy = static_cast<std::uint64_t>(h.wy * cells_per_world);
            Cluster& c = (*clusters)[cluster_key(cx, cy)];
            if (c.count++ == 0) {
                c.first = i;
            }
            c.sum_x += h.wx;
            c.sum_y += h.wy;
        }
    }
    std::vector<std::pair<std::uint64_t, const Cluster*>> ordered;
    ordered.reserve(clusters->size());
    for (const auto& [key, c] : *clusters) {
        ordered.emplace_back(key, &c);
    }
    std::sort(ordered.begin(), ordered.end());
    for (const auto& [key, c] : ordered) {
        const TilePoint at = frame.to_tile(c->sum_x / c->count, c->sum_y / c->count);
        if (!frame.inside(at)) {
            continue;
        }
        if (c->count == 1) {
            write_one(c->first, at);
            continue;
        }
        const std::uint64_t id = cluster_id_bit | key;
        const std::string abbreviation = c->count >= 1000 ? abbreviated(c->count) : std::string();
        const mvt::Property properties[] = {
            {"cluster", true},
            {"cluster_id", id & ~cluster_id_bit},
            {"point_count", std::uint64_t{c->count}},
            c->count >= 1000 ? mvt::Property{"point_count_abbreviated", std::string_view(abbreviation)}
                             : mvt::Property{"point_count_abbreviated", std::uint64_t{c->count}}};
        written += layer->add_point(id, TileFrame::round(at), properties) ? 1 : 0;
    }
    return written;
}

std::size_t write_labels(const RendererOptions& options, const detail::ZoneShapes& shapes,
                         const TileFrame& frame, mvt::LayerWriter* layer) {
    std::size_t written = 0;
    const auto write = [&](const std::vector<Shape>& list, std::string_view kind,
                           std::uint64_t id_base) {
        for (std::size_t i = 0; i < list.size(); ++i) {
            const Shape& s = list[i];
            const TilePoint at = frame.to_tile(s.label_x, s.label_y);
            if (!frame.inside(at)) {
                continue;
            }
            const std::array<mvt::Property, 4> properties = {
                mvt::Property{"name", std::string_view(s.name)},
                mvt::Property{"kind", kind}, mvt::Property{"code", std::string_view(s.id)},
                mvt::Property{"postcode", std::string_view(s.postcode)}};
            written += layer->add_point(id_base + i, TileFrame::round(at), properties) ? 1 : 0;
        }
    };
    write(shapes.provinces(), "province", std::uint64_t{1} << 32);
    if (frame.tile().z >= options.commune_labels_min_zoom) {
        write(shapes.communes(), "commune", 1);
    }
    return written;
}

std::size_t write_grid(const TileFrame& frame, mvt::LayerWriter* layer) {
    const geography::Bounds box = degrees_of(frame.world_box());
    // Rows and columns of the 11-digit cells counted from 90 S and 180 W.
    constexpr double rows_per_deg = HouseholdCode::rows;
    constexpr double cols_per_deg = HouseholdCode::cols;
    const auto row0 = static_cast<std::int64_t>(std::floor((box.south_deg + 90.0) * rows_per_deg));
    const auto row1 = static_cast<std::int64_t>(std::floor((box.north_deg + 90.0) * rows_per_deg));
    const auto col0 = static_cast<std::int64_t>(std::floor((box.west_deg + 180.0) * cols_per_deg));
    const auto col1 = static_cast<std::int64_t>(std::floor((box.east_deg + 180.0) * cols_per_deg));
    if ((row1 - row0 + 1) * (col1 - col0 + 1) > 65536) {
        return 0;  // a grid_min_zoom set too low: cells smaller than a unit
    }
    std::size_t written = 0;
    std::array<mvt::Point, 4> corners;
    for (std::int64_t row = row0; row <= row1; ++row) {
        const double south = static_cast<double>(row) / rows_per_deg - 90.0;
        const double north = static_cast<double>(row + 1) / rows_per_deg - 90.0;
        for (std::int64_t col = col0; col <= col1; ++col) {
            const double west = static_cast<double>(col) / cols_per_deg - 180.0;
            const double east = static_cast<double>(col + 1) / cols_per_deg - 180.0;
            const auto clamp = [&](TilePoint p) {
                return TileFrame::round(TilePoint{std::clamp(p.x, frame.lo(), frame.hi()),
                                                  std::clamp(p.y, frame.lo(), frame.hi())});
            };
            const TilePoint nw = frame.to_tile(world_x(west), world_y(north));
            const TilePoint se = frame.to_tile(world_x(east), world_y(south));
            corners = {clamp(nw), clamp(TilePoint{se.x, nw.y}), clamp(se),
                       clamp(TilePoint{nw.x, se.y})};
            const double lat = (south + north) / 2.0;
            const double lng = (west + east) / 2.0;
            const auto code = HouseholdCode::from_degrees(0, lat, lng);
            const auto olc_code = olc::encode(lat, lng, HouseholdCode::olc_length);
            if (!code || !olc_code) {
                continue;
            }
            const auto grid = code->grid();
            const std::array<mvt::Property, 2> properties = {
                mvt::Property{"code", grid.view()}, mvt::Property{"olc", olc_code->view()}};
            const mvt::Ring ring{corners, true};
            const auto id = static_cast<std::uint64_t>(row) * (360ULL * HouseholdCode::cols) +
                            static_cast<std::uint64_t>(col);
            written += layer->add_polygon(id, std::span<const mvt::Ring>(&ring, 1), properties)
                           ? 1
                           : 0;
        }
    }
    return written;
}

}  // namespace

std::string TileRenderer::vector_layers_json(LayerSet layers, std::uint32_t minzoom,
                                             std::uint32_t maxzoom) const {
    const auto quote = [](std::string_view s) {
        std::string out;
        append_json_string(s, &out);
        return out;
    };
    std::string out = "[";
    for (const Layer layer : all_layers) {
        if (!layers.contains(layer)) {
            continue;
        }
        const LayerInfo& i = info(layer);
        if (out.size() > 1) {
            out.push_back(',');
        }
        out.append("{\"id\":" + quote(i.name) + ",\"description\":" + quote(i.description) +
                   ",\"minzoom\":" + std::to_string(std::max(minzoom, min_zoom(layer))) +
                   ",\"maxzoom\":" + std::to_string(maxzoom) + ",\"fields\":{");
        for (std::size_t f = 0; f < i.fields.size(); ++f) {
            out.append(f > 0 ? "," : "").append(quote(i.fields[f].name)).push_back(':');
            out.append(quote(i.fields[f].type));
        }
        out.append("}}");
    }
    return out + "]";
}

}  // namespace diachi::tiles
