#ifndef DIACHI_TILES_TILE_FRAME_HPP
#define DIACHI_TILES_TILE_FRAME_HPP

// A tile's frame: world coordinates (Web Mercator, 0..1) to tile units, the buffered box, and
// clipping of lines and rings to that box in tile units (before rounding, so that features far
// outside a deep-zoom tile never overflow 32-bit coordinates).

#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

#include <diachi/tiles/mvt_writer.hpp>
#include <diachi/tiles/tile_id.hpp>

#include "zone_shapes.hpp"

namespace diachi::tiles::detail {

/// A point in tile units, not yet rounded.
struct TilePoint {
    double x = 0.0;
    double y = 0.0;
};

class TileFrame {
public:
    TileFrame(TileId tile, std::uint32_t extent, std::uint32_t buffer) noexcept
        : m_tile(tile),
          m_scale(extent * std::ldexp(1.0, static_cast<int>(tile.z))),
          m_origin_x(static_cast<double>(tile.x) * extent),
          m_origin_y(static_cast<double>(tile.y) * extent),
          m_lo(-static_cast<double>(buffer)),
          m_hi(static_cast<double>(extent) + buffer) {}

    [[nodiscard]] TileId tile() const noexcept { return m_tile; }
    /// Tile units per world unit.
    [[nodiscard]] double scale() const noexcept { return m_scale; }
    /// The buffered box: [lo, hi] on both axes, in tile units.
    [[nodiscard]] double lo() const noexcept { return m_lo; }
    [[nodiscard]] double hi() const noexcept { return m_hi; }

    [[nodiscard]] TilePoint to_tile(double wx, double wy) const noexcept {
        return TilePoint{wx * m_scale - m_origin_x, wy * m_scale - m_origin_y};
    }
    [[nodiscard]] static mvt::Point round(TilePoint p) noexcept {
        return mvt::Point{static_cast<std::int32_t>(std::lround(p.x)),
                          static_cast<std::int32_t>(std::lround(p.y))};
    }
    /// Whether point @p p, once rounded (round()), lies in the buffered box: the rule PostGIS's
    /// ST_AsMVTGeom applies to points (snap to the grid, then clip), so that both draw the same
    /// points. lround rounds halves away from zero, so the limits themselves round out.
    [[nodiscard]] bool inside(TilePoint p) const noexcept {
        return m_lo - 0.5 < p.x && p.x < m_hi + 0.5 && m_lo - 0.5 < p.y && p.y < m_hi + 0.5;
    }
    /// The buffered box in world coordinates (lines and rings are clipped to it).
    [[nodiscard]] WorldBox world_box() const noexcept { return box_beyond(0.0); }
    /// The box of the points inside() in world coordinates: the buffered box and half a unit.
    [[nodiscard]] WorldBox point_box() const noexcept { return box_beyond(0.5); }

private:
    [[nodiscard]] WorldBox box_beyond(double margin) const noexcept {
        return WorldBox{(m_origin_x + m_lo - margin) / m_scale, (m_origin_y + m_lo - margin) / m_scale,
                        (m_origin_x + m_hi + margin) / m_scale, (m_origin_y + m_hi + margin) / m_scale};
    }

    TileId m_tile;
    double m_scale;
    double m_origin_x;
    double m_origin_y;
    double m_lo;
    double m_hi;
};

/// Clips the closed ring @p ring to the square [lo, hi]^2 (Sutherland-Hodgman, one box edge at a
/// time), replacing @p out. Concave rings may come back with edges along the box's border; the
/// writer drops what is left degenerate.
inline void clip_ring(std::span<const TilePoint> ring, double lo, double hi,
                      std::vector<TilePoint>* out, std::vector<TilePoint>* scratch) {
    out->assign(ring.begin(), ring.end());
    for (int edge = 0; edge < 4 && !out->empty(); ++edge) {
        const auto inside = [&](const TilePoint& p) {
            switch (edge) {
                case 0: return p.x >= lo;
                case 1: return p.x <= hi;
                case 2: return p.y >= lo;
                default: return p.y <= hi;
            }
        };
        const auto cross = [&](const TilePoint& a, const TilePoint& b) {
            const double bound = (edge == 0 || edge == 2) ? lo : hi;
            if (edge < 2) {
                const double t = (bound - a.x) / (b.x - a.x);
                return TilePoint{bound, a.y + t * (b.y - a.y)};
            }
            const double t = (bound - a.y) / (b.y - a.y);
            return TilePoint{a.x + t * (b.x - a.x), bound};
        };
        scratch->clear();
        for (std::size_t i = 0; i < out->size(); ++i) {
            const TilePoint& current = (*out)[i];
            const TilePoint& previous = (*out)[(i + out->size() - 1) % out->size()];
            const bool in_current = inside(current);
            const bool in_previous = inside(previous);
            if (in_current) {
                if (!in_previous) {
                    scratch->push_back(cross(previous, current));
                }
                scratch->push_back(current);
            } else if (in_previous) {
                scratch->push_back(cross(previous, current));
            }
        }
        out->swap(*scratch);
    }
}

/// Clips the line @p line to the square [lo, hi]^2 (Liang-Barsky per segment); calls
/// @p emit(std::span<const TilePoint>) for each piece inside.
template <typename Emit>
void clip_line(std::span<const TilePoint> line, double lo, double hi,
               std::vector<TilePoint>* piece, Emit&& emit) {
    piece->clear();
    for (std::size_t i = 1; i < line.size(); ++i) {
        const TilePoint a = line[i - 1];
        const TilePoint b = line[i];
        double t0 = 0.0;
        double t1 = 1.0;
        const double dx = b.x - a.x;
        const double dy = b.y - a.y;
        bool visible = true;
        for (const auto& [p, q] : {std::pair{-dx, a.x - lo}, std::pair{dx, hi - a.x},
                                   std::pair{-dy, a.y - lo}, std::pair{dy, hi - a.y}}) {
            if (p == 0.0) {
                if (q < 0.0) {
                    visible = false;
                }
                continue;
            }
            const double t = q / p;
            if (p < 0.0) {
                t0 = std::max(t0, t);
            } else {
                t1 = std::min(t1, t);
            }
        }
        if (!visible || t0 > t1) {
            if (!piece->empty()) {
                emit(std::span<const TilePoint>(*piece));
                piece->clear();
            }
            continue;
        }
        const TilePoint start{a.x + t0 * dx, a.y + t0 * dy};
        const TilePoint end{a.x + t1 * dx, a.y + t1 * dy};
        if (piece->empty()) {
            piece->push_back(start);
        }
        piece->push_back(end);
        if (t1 < 1.0) {
            emit(std::span<const TilePoint>(*piece));
            piece->clear();
        }
    }
    if (!piece->empty()) {
        emit(std::span<const TilePoint>(*piece));
        piece->clear();
    }
}

}  // namespace diachi::tiles::detail

#endif  // DIACHI_TILES_TILE_FRAME_HPP
