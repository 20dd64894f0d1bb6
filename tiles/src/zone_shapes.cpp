#include "zone_shapes.hpp"

#include <cmath>
#include <map>
#include <set>
#include <stdexcept>

#include <diachi/household_code.hpp>
#include <diachi/tiles/tile_id.hpp>

#include "geos_internal.hpp"

namespace diachi::tiles::detail {

namespace {

using geography::detail::geos_context;

int to_world(double* x, double* y, void* /*userdata*/) {
    const double lng = *x;
    *x = world_x(lng);
    *y = world_y(*y);
    return 1;
}

void finish_shape(GEOSContextHandle_t ctx, Shape* shape) {
    double min_x = 0.0;
    double min_y = 0.0;
    double max_x = 0.0;
    double max_y = 0.0;
    GEOSGeom_getXMin_r(ctx, shape->geometry, &min_x);
    GEOSGeom_getYMin_r(ctx, shape->geometry, &min_y);
    GEOSGeom_getXMax_r(ctx, shape->geometry, &max_x);
    GEOSGeom_getYMax_r(ctx, shape->geometry, &max_y);
    shape->box = WorldBox{min_x, min_y, max_x, max_y};
    shape->simplified.assign(ZoneShapes::simplify_max_zoom + 1, nullptr);
    shape->simplified_once = std::make_unique<std::once_flag[]>(ZoneShapes::simplify_max_zoom + 1);
}

}  // namespace

ZoneShapes::ZoneShapes(std::shared_ptr<const geography::ZoneIndex> zones, double simplify_units,
                       std::uint32_t extent)
    : m_zones(std::move(zones)), m_simplify_units(simplify_units), m_extent(extent) {
    GEOSContextHandle_t ctx = geos_context();
    if (!m_zones) {
        return;
    }
    GEOSWKBReader* reader = GEOSWKBReader_create_r(ctx);
    m_communes.reserve(m_zones->size());
    for (std::uint32_t i = 0; i < m_zones->size(); ++i) {
        const geography::Zone& zone = m_zones->zone(i);
        const std::string& wkb = m_zones->wkb(i);
        GEOSGeometry* g = GEOSWKBReader_read_r(
            ctx, reader, reinterpret_cast<const unsigned char*>(wkb.data()), wkb.size());
        if (g == nullptr) {
            GEOSWKBReader_destroy_r(ctx, reader);
            throw std::runtime_error("zone " + zone.id + ": its stored outline is not valid WKB");
        }
        Shape shape;
        shape.geometry = GEOSGeom_transformXY_r(ctx, g, to_world, nullptr);
        GEOSGeom_destroy_r(ctx, g);
        shape.id = zone.id;
        shape.name = zone.name;
        shape.parent = zone.parent_name;
        if (zone.postcode != 0) {
            shape.postcode = postcode_text(zone.postcode).view();
        }
        const LatLngE7 label = m_zones->interior_point(i);
        shape.label_x = world_x(label.lng_deg());
        shape.label_y = world_y(label.lat_deg());
        finish_shape(ctx, &shape);
        m_communes.push_back(std::move(shape));
    }
    GEOSWKBReader_destroy_r(ctx, reader);
}

const std::vector<Shape>& ZoneShapes::provinces() const {
    std::call_once(m_provinces_once, [this] { merge_provinces(); });
    return m_provinces;
}

void ZoneShapes::merge_provinces() const {
    GEOSContextHandle_t ctx = geos_context();
    std::map<std::string, std::vector<std::uint32_t>> by_province;
    for (std::uint32_t i = 0; i < m_zones->size(); ++i) {
        by_province[m_zones->zone(i).parent_id].push_back(i);
    }
    // Provinces: the union of their communes. The communes tile the province, so the coverage
    // union (which only drops shared edges) is tried first; outlines that do not match edge for
    // edge fall back to the general union.
    for (const auto& [province_id, members] : by_province) {
        std::vector<GEOSGeometry*> parts;
        std::set<std::string> prefixes;
        for (const std::uint32_t i : members) {
            GEOSGeometry* polygons = GEOSGeom_clone_r(ctx, m_communes[i].geometry);
            parts.push_back(polygons);
            if (!m_communes[i].postcode.empty()) {
                prefixes.insert(m_communes[i].postcode.substr(0, 2));
            }
        }
        GEOSGeometry* collection = GEOSGeom_createCollection_r(
            ctx, GEOS_GEOMETRYCOLLECTION, parts.data(), static_cast<unsigned>(parts.size()));
        GEOSGeometry* merged = GEOSCoverageUnion_r(ctx, collection);
        if (merged == nullptr || GEOSisValid_r(ctx, merged) != 1) {
            if (merged != nullptr) {
                GEOSGeom_destroy_r(ctx, merged);
            }
            merged = GEOSUnaryUnion_r(ctx, collection);
        }
        GEOSGeom_destroy_r(ctx, collection);
        if (merged == nullptr) {
            throw std::runtime_error("province " + province_id +
                                     ": its communes could not be merged (GEOS union failed)");
        }
        Shape shape;
        shape.geometry = merged;
        shape.id = province_id;
        shape.name = m_zones->zone(members.front()).parent_name;
        for (const std::string& prefix : prefixes) {
            shape.postcode.append(shape.postcode.empty() ? "" : ",").append(prefix);
        }
        GEOSGeometry* inside = GEOSPointOnSurface_r(ctx, merged);
        if (inside != nullptr) {
            GEOSGeomGetX_r(ctx, inside, &shape.label_x);
            GEOSGeomGetY_r(ctx, inside, &shape.label_y);
            GEOSGeom_destroy_r(ctx, inside);
        }
        finish_shape(ctx, &shape);
        m_provinces.push_back(std::move(shape));
    }
}

ZoneShapes::~ZoneShapes() {
    GEOSContextHandle_t ctx = geos_context();
    for (auto* shapes : {&m_communes, &m_provinces}) {
        for (Shape& shape : *shapes) {
            for (GEOSGeometry* g : shape.simplified) {
                if (g != nullptr) {
                    GEOSGeom_destroy_r(ctx, g);
                }
            }
            GEOSGeom_destroy_r(ctx, shape.geometry);
        }
    }
}

const GEOSGeometry* ZoneShapes::at_zoom(const Shape& shape, std::uint32_t z) const {
    if (z > simplify_max_zoom) {
        return shape.geometry;
    }
    std::call_once(shape.simplified_once[z], [&] {
        const double tolerance = m_simplify_units / (m_extent * std::ldexp(1.0, static_cast<int>(z)));
        GEOSGeometry* simple =
            GEOSTopologyPreserveSimplify_r(geos_context(), shape.geometry, tolerance);
        shape.simplified[z] = simple != nullptr ? simple : GEOSGeom_clone_r(geos_context(), shape.geometry);
    });
    return shape.simplified[z];
}

}  // namespace diachi::tiles::detail
