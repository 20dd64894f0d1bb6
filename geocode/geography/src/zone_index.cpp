#include <diachi/geography/zone_index.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <utility>

#include "geos_internal.hpp"

namespace diachi::geography {
namespace {

constexpr std::uint32_t block_bits = 5;  // blocks of 32 x 32 cells
constexpr std::int64_t block_side = 1 << block_bits;
constexpr std::uint32_t uniform_block = std::numeric_limits<std::uint32_t>::max();
constexpr std::uint32_t candidate_flag = 0x80000000U;
/// Cells touched within this many cell widths of an edge count as crossed by it, so a point a
/// rounding error away from a cell line never lands in a cell wrongly thought whole.
constexpr double touch_epsilon = 1e-6;

constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) noexcept {
    const std::int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

struct Edge {
    double u0, v0, u1, v1;  // in cell units from the grid origin: u east, v north
};

}  // namespace

struct ZoneIndex::Impl {
    struct Shape {
        GEOSGeometry* geometry = nullptr;
        const GEOSPreparedGeometry* prepared = nullptr;
        Bounds bounds;
        LatLngE7 interior;
        std::string wkb;
    };

    std::vector<Shape> shapes;
    /// Zone ids and their indexes, sorted by id. Every decoded household looks its commune up
    /// here: a binary search over one contiguous array (short ids sit inside their strings)
    /// stays in cache, where a hash map's scattered nodes missed it on most lookups.
    std::vector<std::pair<std::string, std::uint32_t>> by_id;
    std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> by_postcode;

    std::int64_t cells_per_degree = 256;
    std::int64_t origin_row = 0;  // cell row of the grid's south edge, counted from the equator
    std::int64_t origin_col = 0;  // cell column of the grid's west edge, from the meridian
    std::int64_t rows = 0;
    std::int64_t cols = 0;
    std::int64_t block_cols = 0;
    std::vector<std::uint32_t> block_offset;     // into cells, or uniform_block
    std::vector<std::uint32_t> block_uniform;    // the value of a uniform block
    std::vector<std::uint32_t> cells;            // 32 x 32 values per non-uniform block
    std::vector<std::uint32_t> candidate_start;  // CSR: candidates of list k
    std::vector<std::uint32_t> candidates;

    ~Impl() {
        GEOSContextHandle_t ctx = detail::geos_context();
        for (auto& shape : shapes) {
            if (shape.prepared != nullptr) {
                GEOSPreparedGeom_destroy_r(ctx, shape.prepared);
            }
            if (shape.geometry != nullptr) {
                GEOSGeom_destroy_r(ctx, shape.geometry);
            }
        }
    }

    /// The cell value at (row, col) inside the grid.
    [[nodiscard]] std::uint32_t value_at(std::int64_t row, std::int64_t col) const noexcept {
        const auto block =
            static_cast<std::size_t>((row >> block_bits) * block_cols + (col >> block_bits));
        const std::uint32_t offset = block_offset[block];
        if (offset == uniform_block) {
            return block_uniform[block];
        }
        return cells[offset + static_cast<std::size_t>(((row & (block_side - 1)) << block_bits) +
                                                       (col & (block_side - 1)))];
    }

    /// Cell value at @p point; also its row and column (which may be outside the grid: 0).
    [[nodiscard]] std::uint32_t value_of(LatLngE7 point, std::int64_t* row,
                                         std::int64_t* col) const noexcept {
        *row = floor_div(std::int64_t{point.lat_e7} * cells_per_degree, 10'000'000) - origin_row;
        *col = floor_div(std::int64_t{point.lng_e7} * cells_per_degree, 10'000'000) - origin_col;
        if (*row < 0 || *row >= rows || *col < 0 || *col >= cols) {
            return 0;
        }
        return value_at(*row, *col);
    }

    [[nodiscard]] bool intersects(std::uint32_t zone, GEOSContextHandle_t ctx,
                                  const GEOSGeometry* point) const noexcept {
        return GEOSPreparedIntersects_r(ctx, shapes[zone].prepared, point) == 1;
    }

    void build(const std::vector<Zone>& zones, const ZoneIndexOptions& options);
};

namespace {

/// The rings of a polygonal geometry, in cell units.
void collect_edges(GEOSContextHandle_t ctx, const GEOSGeometry* geometry, double origin_u,
                   double origin_v, double scale, std::vector<Edge>* edges) {
    const int parts = GEOSGetNumGeometries_r(ctx, geometry);
    for (int p = 0; p < parts; ++p) {
        const GEOSGeometry* polygon = GEOSGetGeometryN_r(ctx, geometry, p);
        const int holes = GEOSGetNumInteriorRings_r(ctx, polygon);
        for (int r = -1; r < holes; ++r) {
            const GEOSGeometry* ring = r < 0 ? GEOSGetExteriorRing_r(ctx, polygon)
                                             : GEOSGetInteriorRingN_r(ctx, polygon, r);
            const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(ctx, ring);
            unsigned int n = 0;
            GEOSCoordSeq_getSize_r(ctx, seq, &n);
            double px = 0.0;
            double py = 0.0;
            for (unsigned int i = 0; i < n; ++i) {
                double x = 0.0;
                double y = 0.0;
                GEOSCoordSeq_getXY_r(ctx, seq, i, &x, &y);
                x = x * scale - origin_u;
                y = y * scale - origin_v;
                if (i > 0 && (x != px || y != py)) {
                    edges->push_back({px, py, x, y});
                }
                px = x;
                py = y;
            }
        }
    }
}

/// Adds every cell an edge passes through or touches (a supercover) to @p out as row * cols + col.
void cells_of_edge(const Edge& e, std::int64_t cols, std::vector<std::uint64_t>* out) {
    const double vmin = std::min(e.v0, e.v1);
    const double vmax = std::max(e.v0, e.v1);
    const auto r0 = static_cast<std::int64_t>(std::floor(vmin - touch_epsilon));
    const auto r1 = static_cast<std::int64_t>(std::floor(vmax + touch_epsilon));
    for (std::int64_t r = r0; r <= r1; ++r) {
        double ua = std::min(e.u0, e.u1);
        double ub = std::max(e.u0, e.u1);
        if (e.v0 != e.v1) {
            const double lo = std::max(vmin, static_cast<double>(r) - touch_epsilon);
            const double hi = std::min(vmax, static_cast<double>(r + 1) + touch_epsilon);
            const double slope = (e.u1 - e.u0) / (e.v1 - e.v0);
            const double ulo = e.u0 + (lo - e.v0) * slope;
            const double uhi = e.u0 + (hi - e.v0) * slope;
            ua = std::min(ulo, uhi);
            ub = std::max(ulo, uhi);
        }
        const auto c0 = static_cast<std::int64_t>(std::floor(ua - touch_epsilon));
        const auto c1 = static_cast<std::int64_t>(std::floor(ub + touch_epsilon));
        for (std::int64_t c = c0; c <= c1; ++c) {
            out->push_back(static_cast<std::uint64_t>(r * cols + c));
        }
    }
}

}  // namespace

void ZoneIndex::Impl::build(const std::vector<Zone>& zones, const ZoneIndexOptions& options) {
    GEOSContextHandle_t ctx = detail::geos_context();
    cells_per_degree = options.cells_per_degree;
    const auto scale = static_cast<double>(cells_per_degree);

    double south = 90.0;
    double west = 180.0;
    double north = -90.0;
    double east = -180.0;
    for (const auto& shape : shapes) {
        south = std::min(south, shape.bounds.south_deg);
        west = std::min(west, shape.bounds.west_deg);
        north = std::max(north, shape.bounds.north_deg);
        east = std::max(east, shape.bounds.east_deg);
    }
    if (shapes.empty()) {
        south = west = north = east = 0.0;
    }
    // One cell of margin all round, so points within the edge tolerance of the outermost zones
    // still fall on the grid.
    origin_row = static_cast<std::int64_t>(std::floor(south * scale)) - 1;
    origin_col = static_cast<std::int64_t>(std::floor(west * scale)) - 1;
    rows = static_cast<std::int64_t>(std::floor(north * scale)) + 2 - origin_row;
    cols = static_cast<std::int64_t>(std::floor(east * scale)) + 2 - origin_col;
    rows = (rows + block_side - 1) / block_side * block_side;
    cols = (cols + block_side - 1) / block_side * block_side;
    block_cols = cols / block_side;

    std::vector<std::uint32_t> dense(static_cast<std::size_t>(rows * cols), 0);
    std::vector<std::pair<std::uint64_t, std::uint32_t>> border;  // (cell, zone)
    std::vector<Edge> edges;
    std::vector<std::uint64_t> touched;
    std::vector<std::pair<std::int64_t, double>> crossings;  // (row, u)

    for (std::uint32_t z = 0; z < shapes.size(); ++z) {
        edges.clear();
        collect_edges(ctx, shapes[z].geometry, static_cast<double>(origin_col),
                      static_cast<double>(origin_row), scale, &edges);
        touched.clear();
        crossings.clear();
        for (const Edge& e : edges) {
            cells_of_edge(e, cols, &touched);
            // Crossings of the edge with the horizontal lines through cell centres (v = r + 0.5),
            // half-open in v so a vertex on a line counts once.
            const double vmin = std::min(e.v0, e.v1);
            const double vmax = std::max(e.v0, e.v1);
            const auto r0 = static_cast<std::int64_t>(std::ceil(vmin - 0.5));
            const auto r1 = static_cast<std::int64_t>(std::ceil(vmax - 0.5));
            for (std::int64_t r = r0; r < r1; ++r) {
                const double v = static_cast<double>(r) + 0.5;
                crossings.emplace_back(r, e.u0 + (v - e.v0) * (e.u1 - e.u0) / (e.v1 - e.v0));
            }
        }
        std::sort(touched.begin(), touched.end());
        touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
        for (const std::uint64_t cell : touched) {
            border.emplace_back(cell, z);
        }
        // Even-odd fill of cell centres between pairs of crossings on each row.
        std::sort(crossings.begin(), crossings.end());
        for (std::size_t i = 0; i + 1 < crossings.size(); i += 2) {
            const std::int64_t r = crossings[i].first;
            if (crossings[i + 1].first != r) {
                throw std::invalid_argument("zone '" + zones[z].id +
                                            "': an outline ring is not closed");
            }
            const auto c0 = static_cast<std::int64_t>(std::ceil(crossings[i].second - 0.5));
            const auto c1 = static_cast<std::int64_t>(std::ceil(crossings[i + 1].second - 0.5));
            for (std::int64_t c = c0; c < c1; ++c) {
                dense[static_cast<std::size_t>(r * cols + c)] = z + 1;
            }
        }
    }

    // Border cells hold candidate lists: the zones crossing them and the zone whose inside
    // covers their centre.
    std::sort(border.begin(), border.end());
    candidate_start.push_back(0);
    for (std::size_t i = 0; i < border.size();) {
        const std::uint64_t cell = border[i].first;
        const std::uint32_t centre_zone = dense[cell];
        if (centre_zone != 0) {
            candidates.push_back(centre_zone - 1);
        }
        for (; i < border.size() && border[i].first == cell; ++i) {
            if (border[i].second + 1 != centre_zone) {
                candidates.push_back(border[i].second);
            }
        }
        dense[cell] = candidate_flag | static_cast<std::uint32_t>(candidate_start.size() - 1);
        candidate_start.push_back(static_cast<std::uint32_t>(candidates.size()));
    }

    // Blocks that hold one value throughout are stored as that value.
    const std::int64_t block_rows = rows / block_side;
    block_offset.assign(static_cast<std::size_t>(block_rows * block_cols), uniform_block);
    block_uniform.assign(block_offset.size(), 0);
    for (std::int64_t br = 0; br < block_rows; ++br) {
        for (std::int64_t bc = 0; bc < block_cols; ++bc) {
            const auto block = static_cast<std::size_t>(br * block_cols + bc);
            const std::uint32_t first =
                dense[static_cast<std::size_t>(br * block_side * cols + bc * block_side)];
            bool uniform = true;
            for (std::int64_t r = 0; r < block_side && uniform; ++r) {
                const auto* row = &dense[static_cast<std::size_t>((br * block_side + r) * cols +
                                                                  bc * block_side)];
                uniform = std::all_of(row, row + block_side,
                                      [first](std::uint32_t v) { return v == first; });
            }
            if (uniform) {
                block_uniform[block] = first;
                continue;
            }
            block_offset[block] = static_cast<std::uint32_t>(cells.size());
            for (std::int64_t r = 0; r < block_side; ++r) {
                const auto* row = &dense[static_cast<std::size_t>((br * block_side + r) * cols +
                                                                  bc * block_side)];
                cells.insert(cells.end(), row, row + block_side);
            }
        }
    }
    cells.shrink_to_fit();
}

ZoneIndex::ZoneIndex(std::vector<ZoneFeature> zones, ZoneIndexOptions options)
    : m_options(options), m_impl(std::make_unique<Impl>()) {
    auto& by_id = m_impl->by_id;
    by_id.reserve(zones.size());
    for (std::size_t i = 0; i < zones.size(); ++i) {
        by_id.emplace_back(zones[i].zone.id, static_cast<std::uint32_t>(i));
    }
    std::sort(by_id.begin(), by_id.end());
    const auto twice = std::adjacent_find(by_id.begin(), by_id.end(), [](const auto& a, const auto& b) {
        return a.first == b.first;
    });
    if (twice != by_id.end()) {
        throw std::invalid_argument("zone '" + twice->first + "': duplicate id");
    }
    const double cell_m = 111'000.0 / std::max(1, options.cells_per_degree);
    if (options.cells_per_degree < 1 || options.cells_per_degree > 4096 ||
        !(options.edge_tolerance_m >= 0.0) || options.edge_tolerance_m > 400.0 ||
        options.edge_tolerance_m > cell_m) {
        throw std::invalid_argument(
            "ZoneIndexOptions: cells_per_degree must be 1..4096 and edge_tolerance_m 0..400 m, "
            "at most one cell");
    }
    GEOSContextHandle_t ctx = detail::geos_context();
    m_zones.reserve(zones.size());
    m_impl->shapes.reserve(zones.size());
    for (auto& feature : zones) {
        const auto index = static_cast<std::uint32_t>(m_zones.size());
        Impl::Shape shape;
        GEOSWKBReader* reader = GEOSWKBReader_create_r(ctx);
        shape.geometry = GEOSWKBReader_read_r(
            ctx, reader, reinterpret_cast<const unsigned char*>(feature.wkb.data()),
            feature.wkb.size());
        GEOSWKBReader_destroy_r(ctx, reader);
        const int type = shape.geometry == nullptr ? -1 : GEOSGeomTypeId_r(ctx, shape.geometry);
        if (type != GEOS_POLYGON && type != GEOS_MULTIPOLYGON) {
            if (shape.geometry != nullptr) {
                GEOSGeom_destroy_r(ctx, shape.geometry);
            }
            throw std::invalid_argument("zone '" + feature.zone.id +
                                        "': outline is not a WKB Polygon or MultiPolygon");
        }
        shape.prepared = GEOSPrepare_r(ctx, shape.geometry);
        GEOSGeom_getXMin_r(ctx, shape.geometry, &shape.bounds.west_deg);
        GEOSGeom_getXMax_r(ctx, shape.geometry, &shape.bounds.east_deg);
        GEOSGeom_getYMin_r(ctx, shape.geometry, &shape.bounds.south_deg);
        GEOSGeom_getYMax_r(ctx, shape.geometry, &shape.bounds.north_deg);
        GEOSGeometry* surface = GEOSPointOnSurface_r(ctx, shape.geometry);
        double x = 0.0;
        double y = 0.0;
        if (surface != nullptr) {
            GEOSGeomGetX_r(ctx, surface, &x);
            GEOSGeomGetY_r(ctx, surface, &y);
            // Build the prepared geometry's lazy indexes now: afterwards every query only reads
            // them, which makes concurrent queries safe.
            GEOSPreparedIntersects_r(ctx, shape.prepared, surface);
            GEOSGeom_destroy_r(ctx, surface);
        }
        const auto interior = LatLngE7::from_degrees(y, x);
        shape.interior = interior ? *interior : LatLngE7{};
        shape.wkb = std::move(feature.wkb);
        if (feature.zone.postcode != 0) {
            m_impl->by_postcode[feature.zone.postcode].push_back(index);
        }
        m_impl->shapes.push_back(std::move(shape));
        m_zones.push_back(std::move(feature.zone));
    }
    m_impl->build(m_zones, options);
}

ZoneIndex::~ZoneIndex() = default;

const std::string& ZoneIndex::wkb(std::uint32_t index) const {
    return m_impl->shapes.at(index).wkb;
}

LatLngE7 ZoneIndex::interior_point(std::uint32_t index) const {
    return m_impl->shapes.at(index).interior;
}

Bounds ZoneIndex::bounds(std::uint32_t index) const { return m_impl->shapes.at(index).bounds; }

std::optional<std::uint32_t> ZoneIndex::find(std::string_view id) const noexcept {
    const auto& by_id = m_impl->by_id;
    const auto it = std::lower_bound(by_id.begin(), by_id.end(), id,
                                     [](const auto& entry, std::string_view key) {
                                         return std::string_view(entry.first) < key;
                                     });
    if (it == by_id.end() || it->first != id) {
        return std::nullopt;
    }
    return it->second;
}

std::span<const std::uint32_t> ZoneIndex::with_postcode(std::uint32_t postcode) const noexcept {
    const auto it = m_impl->by_postcode.find(postcode);
    if (it == m_impl->by_postcode.end()) {
        return {};
    }
    return it->second;
}

bool ZoneIndex::covers(std::uint32_t zone, LatLngE7 point) const noexcept {
    if (zone >= m_impl->shapes.size()) {
        return false;
    }
    GEOSContextHandle_t ctx = detail::geos_context();
    GEOSGeometry* geometry = GEOSGeom_createPointFromXY_r(ctx, point.lng_deg(), point.lat_deg());
    const bool result = m_impl->intersects(zone, ctx, geometry);
    GEOSGeom_destroy_r(ctx, geometry);
    return result;
}

Result<ZoneHit> ZoneIndex::locate(LatLngE7 point) const noexcept {
    const Impl& impl = *m_impl;
    std::int64_t row = 0;
    std::int64_t col = 0;
    const std::uint32_t value = impl.value_of(point, &row, &col);
    if (value != 0 && (value & candidate_flag) == 0) {
        return ZoneHit{value - 1, true, 0.0};
    }
    // A border cell, or an empty one that may be within the edge tolerance of a zone.
    std::uint32_t near[32];
    std::size_t near_count = 0;
    const auto add_list = [&](std::uint32_t v) {
        if (v == 0) {
            return;
        }
        if ((v & candidate_flag) == 0) {
            return;  // a whole cell: that zone's outline is not in it
        }
        const std::uint32_t list = v & ~candidate_flag;
        for (std::uint32_t k = impl.candidate_start[list]; k < impl.candidate_start[list + 1];
             ++k) {
            const std::uint32_t z = impl.candidates[k];
            if (near_count < std::size(near) &&
                std::find(near, near + near_count, z) == near + near_count) {
                near[near_count++] = z;
            }
        }
    };
    GEOSContextHandle_t ctx = detail::geos_context();
    GEOSGeometry* geometry = nullptr;
    const auto point_geometry = [&] {
        if (geometry == nullptr) {
            geometry = GEOSGeom_createPointFromXY_r(ctx, point.lng_deg(), point.lat_deg());
        }
        return geometry;
    };
    if (value != 0) {
        const std::uint32_t list = value & ~candidate_flag;
        for (std::uint32_t k = impl.candidate_start[list]; k < impl.candidate_start[list + 1];
             ++k) {
            const std::uint32_t z = impl.candidates[k];
            if (impl.intersects(z, ctx, point_geometry())) {
                GEOSGeom_destroy_r(ctx, geometry);
                return ZoneHit{z, true, 0.0};
            }
        }
    }
    if (m_options.edge_tolerance_m > 0.0) {
        for (std::int64_t dr = -1; dr <= 1; ++dr) {
            for (std::int64_t dc = -1; dc <= 1; ++dc) {
                const std::int64_t r = row + dr;
                const std::int64_t c = col + dc;
                if (r >= 0 && r < impl.rows && c >= 0 && c < impl.cols) {
                    add_list(impl.value_at(r, c));
                }
            }
        }
    }
    ZoneHit best{0, false, std::numeric_limits<double>::infinity()};
    for (std::size_t i = 0; i < near_count; ++i) {
        GEOSCoordSequence* nearest =
            GEOSPreparedNearestPoints_r(ctx, impl.shapes[near[i]].prepared, point_geometry());
        if (nearest == nullptr) {
            continue;
        }
        double x = 0.0;
        double y = 0.0;
        GEOSCoordSeq_getXY_r(ctx, nearest, 0, &x, &y);
        GEOSCoordSeq_destroy_r(ctx, nearest);
        const double d = distance_m(point.lat_deg(), point.lng_deg(), y, x);
        if (d < best.distance_m || (d == best.distance_m && near[i] < best.zone)) {
            best = ZoneHit{near[i], false, d};
        }
    }
    if (geometry != nullptr) {
        GEOSGeom_destroy_r(ctx, geometry);
    }
    if (best.distance_m <= m_options.edge_tolerance_m) {
        return best;
    }
    return Error{ErrorCode::outside_zones, 0, 0,
                 "the point is in no zone and farther than the edge tolerance from every one"};
}

}  // namespace diachi::geography
