#include <diachi/tiles/osm_source.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <unordered_map>

#include <osmium/area/assembler.hpp>
#include <osmium/area/multipolygon_manager.hpp>
#include <osmium/handler.hpp>
#include <osmium/handler/node_locations_for_ways.hpp>
#include <osmium/index/map/flex_mem.hpp>
#include <osmium/io/any_input.hpp>
#include <osmium/tags/tags_filter.hpp>
#include <osmium/visitor.hpp>

#include "tile_frame.hpp"

namespace diachi::tiles {

namespace {

using detail::TileFrame;
using detail::TilePoint;

enum class Kind : std::uint8_t { point = 0, road = 1, building = 2 };

constexpr std::string_view kind_names[] = {"point", "road", "building"};

// Tags that make a node a point of the layer, in order of preference for its class.
constexpr std::string_view point_keys[] = {"amenity", "shop",       "tourism",  "office", "leisure",
                                           "craft",   "healthcare", "historic", "place"};

// The grid index's zoom: features are listed under every tile of this zoom they reach.
constexpr std::uint32_t index_zoom = 14;

}  // namespace

struct OsmSource::Impl {
    struct Part {
        std::uint32_t begin = 0;  // into points
        std::uint32_t end = 0;
        bool exterior = true;
    };
    struct Feature {
        Kind kind = Kind::point;
        std::int64_t osm_id = 0;
        std::string cls;
        std::string name;
        std::uint32_t part_begin = 0;  // into parts
        std::uint32_t part_end = 0;
    };
    std::vector<TilePoint> points;  // world coordinates
    std::vector<Part> parts;
    std::vector<Feature> features;
    std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> grid;
    OsmCounts counts;

    static std::uint64_t cell_key(std::uint32_t x, std::uint32_t y) noexcept {
        return (std::uint64_t{y} << 32) | x;
    }

    void add_point_of(const osmium::Location& location) {
        points.push_back(TilePoint{world_x(location.lon()), world_y(location.lat())});
    }

    void index_last() {
        const auto feature_index = static_cast<std::uint32_t>(features.size() - 1);
        const Feature& f = features.back();
        double min_x = 1.0;
        double min_y = 1.0;
        double max_x = 0.0;
        double max_y = 0.0;
        for (std::uint32_t p = f.part_begin; p < f.part_end; ++p) {
            for (std::uint32_t i = parts[p].begin; i < parts[p].end; ++i) {
                min_x = std::min(min_x, points[i].x);
                min_y = std::min(min_y, points[i].y);
                max_x = std::max(max_x, points[i].x);
                max_y = std::max(max_y, points[i].y);
            }
        }
        const double n = std::ldexp(1.0, index_zoom);
        const auto cell = [n](double w) {
            return static_cast<std::uint32_t>(std::clamp(std::floor(w * n), 0.0, n - 1.0));
        };
        for (std::uint32_t y = cell(min_y); y <= cell(max_y); ++y) {
            for (std::uint32_t x = cell(min_x); x <= cell(max_x); ++x) {
                grid[cell_key(x, y)].push_back(feature_index);
            }
        }
    }

    Feature& start(Kind kind, std::int64_t osm_id, const osmium::TagList& tags,
                   const char* cls) {
        Feature f;
        f.kind = kind;
        f.osm_id = osm_id;
        f.cls = cls;
        if (const char* name = tags["name"]) {
            f.name = name;
        }
        f.part_begin = f.part_end = static_cast<std::uint32_t>(parts.size());
        features.push_back(std::move(f));
        return features.back();
    }

    void add_part(bool exterior, std::uint32_t begin) {
        parts.push_back(Part{begin, static_cast<std::uint32_t>(points.size()), exterior});
        features.back().part_end = static_cast<std::uint32_t>(parts.size());
    }
};

namespace {

// Collects nodes and highway ways (the first pass's node locations are added to ways by
// NodeLocationsForWays before this handler sees them).
class Collector : public osmium::handler::Handler {
public:
    explicit Collector(OsmSource::Impl* data) : m_data(data) {}

    void node(const osmium::Node& node) {
        const osmium::TagList& tags = node.tags();
        const char* cls = nullptr;
        for (const std::string_view key : point_keys) {
            if ((cls = tags[std::string(key).c_str()]) != nullptr) {
                break;
            }
        }
        if (cls == nullptr && tags["name"] == nullptr) {
            return;
        }
        if (!node.location().valid()) {
            return;
        }
        m_data->start(Kind::point, node.id(), tags, cls != nullptr ? cls : "name");
        const auto begin = static_cast<std::uint32_t>(m_data->points.size());
        m_data->add_point_of(node.location());
        m_data->add_part(true, begin);
        m_data->index_last();
        ++m_data->counts.points;
    }

    void way(const osmium::Way& way) {
        const char* highway = way.tags()["highway"];
        if (highway == nullptr || way.nodes().size() < 2) {
            return;
        }
        m_data->start(Kind::road, way.id(), way.tags(), highway);
        const auto begin = static_cast<std::uint32_t>(m_data->points.size());
        for (const osmium::NodeRef& ref : way.nodes()) {
            if (ref.location().valid()) {
                m_data->add_point_of(ref.location());
            }
        }
        m_data->add_part(true, begin);
        m_data->index_last();
        ++m_data->counts.roads;
    }

    // Buildings: closed ways and multipolygon relations assembled into areas.
    void area(const osmium::Area& area) {
        const char* building = area.tags()["building"];
        if (building == nullptr) {
            return;
        }
        m_data->start(Kind::building, area.orig_id(), area.tags(), building);
        for (const auto& outer : area.outer_rings()) {
            add_ring(outer, true);
            for (const auto& inner : area.inner_rings(outer)) {
                add_ring(inner, false);
            }
        }
        if (m_data->features.back().part_begin == m_data->features.back().part_end) {
            m_data->features.pop_back();
            return;
        }
        m_data->index_last();
        ++m_data->counts.buildings;
    }

private:
    template <typename RingType>
    void add_ring(const RingType& ring, bool exterior) {
        const auto begin = static_cast<std::uint32_t>(m_data->points.size());
        for (const osmium::NodeRef& ref : ring) {
            m_data->add_point_of(ref.location());
        }
        m_data->add_part(exterior, begin);
    }

    OsmSource::Impl* m_data;
};

}  // namespace

OsmSource::OsmSource(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
OsmSource::~OsmSource() = default;

OsmCounts OsmSource::counts() const noexcept { return m_impl->counts; }

std::shared_ptr<const OsmSource> OsmSource::read(const std::string& path) {
    auto data = std::make_unique<Impl>();
    try {
        osmium::TagsFilter filter{false};
        filter.add_rule(true, "building");
        osmium::area::Assembler::config_type config;
        osmium::area::MultipolygonManager<osmium::area::Assembler> areas{config, filter};
        osmium::relations::read_relations(osmium::io::File(path), areas);

        using Index = osmium::index::map::FlexMem<osmium::unsigned_object_id_type, osmium::Location>;
        Index index;
        osmium::handler::NodeLocationsForWays<Index> locations{index};
        locations.ignore_errors();  // ways with nodes missing from an extract keep the rest
        Collector collector(data.get());
        osmium::io::Reader reader{osmium::io::File(path), osmium::osm_entity_bits::nwr};
        osmium::apply(reader, locations, collector,
                      areas.handler([&collector](osmium::memory::Buffer&& buffer) {
                          osmium::apply(buffer, collector);
                      }));
        reader.close();
    } catch (const std::exception& e) {
        throw std::runtime_error(path + ": cannot read OpenStreetMap data (" + e.what() + ")");
    }
    return std::shared_ptr<const OsmSource>(new OsmSource(std::move(data)));
}

std::size_t OsmSource::write(TileId tile, std::uint32_t buffer, const OsmZooms& zooms,
                             mvt::LayerWriter* layer) const {
    const Impl& d = *m_impl;
    const TileFrame frame(tile, layer->extent(), buffer);
    // Features listed under the index cells the buffered tile reaches, each once.
    const detail::WorldBox box = frame.point_box();  // holds world_box(), for lines and rings
    const double n = std::ldexp(1.0, index_zoom);
    const auto cell = [n](double w) {
        return static_cast<std::uint32_t>(std::clamp(std::floor(w * n), 0.0, n - 1.0));
    };
    std::vector<std::uint32_t> found;
    for (std::uint32_t y = cell(box.min_y); y <= cell(box.max_y); ++y) {
        for (std::uint32_t x = cell(box.min_x); x <= cell(box.max_x); ++x) {
            const auto it = d.grid.find(Impl::cell_key(x, y));
            if (it != d.grid.end()) {
                found.insert(found.end(), it->second.begin(), it->second.end());
            }
        }
    }
    std::sort(found.begin(), found.end());
    found.erase(std::unique(found.begin(), found.end()), found.end());

    std::size_t written = 0;
    std::vector<TilePoint> projected;
    std::vector<TilePoint> clipped;
    std::vector<TilePoint> scratch;
    std::vector<mvt::Point> rounded;
    std::vector<std::pair<std::size_t, std::size_t>> ranges;
    std::vector<mvt::Ring> rings;
    std::vector<std::span<const mvt::Point>> lines;
    for (const std::uint32_t index : found) {
        const Impl::Feature& f = d.features[index];
        const std::uint32_t min_zoom = f.kind == Kind::point  ? zooms.points
                                       : f.kind == Kind::road ? zooms.roads
                                                              : zooms.buildings;
        if (tile.z < min_zoom) {
            continue;
        }
        // Feature ids: the OSM id with its type in the low bits (as osmium's "positive id").
        const std::uint64_t id = (static_cast<std::uint64_t>(f.osm_id) << 2) |
                                 static_cast<std::uint64_t>(f.kind);
        std::array<mvt::Property, 4> properties = {
            mvt::Property{"kind", kind_names[static_cast<std::size_t>(f.kind)]},
            mvt::Property{"class", std::string_view(f.cls)},
            mvt::Property{"osm_id", f.osm_id}, mvt::Property{"name", std::string_view(f.name)}};
        const std::span<const mvt::Property> props(properties.data(), f.name.empty() ? 3 : 4);
        rounded.clear();
        ranges.clear();
        for (std::uint32_t p = f.part_begin; p < f.part_end; ++p) {
            const Impl::Part& part = d.parts[p];
            projected.clear();
            for (std::uint32_t i = part.begin; i < part.end; ++i) {
                projected.push_back(frame.to_tile(d.points[i].x, d.points[i].y));
            }
            if (f.kind == Kind::point) {
                if (frame.inside(projected.front())) {
                    rounded.push_back(TileFrame::round(projected.front()));
                }
            } else if (f.kind == Kind::road) {
                detail::clip_line(projected, frame.lo(), frame.hi(), &scratch,
                                  [&](std::span<const TilePoint> piece) {
                                      const std::size_t begin = rounded.size();
                                      for (const TilePoint& q : piece) {
                                          rounded.push_back(TileFrame::round(q));
                                      }
                                      ranges.emplace_back(begin, rounded.size());
                                  });
            } else {
                detail::clip_ring(projected, frame.lo(), frame.hi(), &clipped, &scratch);
                const std::size_t begin = rounded.size();
                for (const TilePoint& q : clipped) {
                    rounded.push_back(TileFrame::round(q));
                }
                ranges.emplace_back(begin, rounded.size());
                rings.resize(ranges.size());
                rings.back().exterior = part.exterior;
            }
        }
        bool added = false;
        if (f.kind == Kind::point) {
            added = !rounded.empty() && layer->add_point(id, rounded.front(), props);
        } else if (f.kind == Kind::road) {
            lines.clear();
            for (const auto& [begin, end] : ranges) {
                lines.emplace_back(std::span<const mvt::Point>(rounded).subspan(begin, end - begin));
            }
            added = layer->add_lines(id, lines, props);
        } else {
            for (std::size_t r = 0; r < ranges.size(); ++r) {
                rings[r].points = std::span<const mvt::Point>(rounded).subspan(
                    ranges[r].first, ranges[r].second - ranges[r].first);
            }
            added = layer->add_polygon(id, std::span<const mvt::Ring>(rings.data(), ranges.size()),
                                       props);
            rings.clear();
        }
        written += added ? 1 : 0;
    }
    return written;
}

}  // namespace diachi::tiles
