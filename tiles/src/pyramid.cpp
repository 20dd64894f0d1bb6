#include <diachi/tiles/pyramid.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include <diachi/tiles/gzip.hpp>

namespace diachi::tiles {

namespace {

// The zoom from which every requested layer draws: below it an empty tile may have children
// that are not.
std::uint32_t all_layers_zoom(const TileRenderer& renderer, LayerSet layers) {
    std::uint32_t z = 0;
    for (const Layer layer : all_layers) {
        if (layers.contains(layer)) {
            std::uint32_t from = renderer.min_zoom(layer);
            if (layer == Layer::labels) {
                from = renderer.options().commune_labels_min_zoom;
            }
            if (layer == Layer::osm) {
                const OsmZooms& zooms = renderer.options().osm;
                from = std::max({zooms.roads, zooms.buildings, zooms.points});
            }
            z = std::max(z, from);
        }
    }
    return z;
}

struct Rendered {
    TileId tile;
    std::string gzipped;
    bool over_budget = false;
};

}  // namespace

PyramidSummary export_pyramid(const TileRenderer& renderer, const std::string& path,
                              const PyramidOptions& options,
                              const std::function<void(const PyramidProgress&)>& progress) {
    const auto started = std::chrono::steady_clock::now();
    if (options.min_zoom > options.max_zoom || options.max_zoom > max_zoom) {
        throw std::invalid_argument("export: zooms " + std::to_string(options.min_zoom) + ".." +
                                    std::to_string(options.max_zoom) +
                                    " are not a range within 0..22");
    }
    const geography::Bounds& b = options.bounds;
    if (!(b.south_deg < b.north_deg) || !(b.west_deg < b.east_deg) || b.south_deg < -90 ||
        b.north_deg > 90 || b.west_deg < -180 || b.east_deg > 180) {
        throw std::invalid_argument("export: the box must be west,south,east,north in degrees "
                                    "with west < east and south < north");
    }
    auto writer = options.format == ArchiveFormat::pmtiles ? make_pmtiles_writer(path)
                                                           : make_mbtiles_writer(path);
    const unsigned threads = options.threads != 0
                                 ? options.threads
                                 : std::max(1U, std::thread::hardware_concurrency());
    const std::size_t window = std::max<std::size_t>(1, options.window);
    const std::uint32_t prune_from = all_layers_zoom(renderer, options.layers);

    PyramidSummary summary;
    PyramidProgress state;
    std::vector<TileId> level;     // tiles to render at this zoom
    std::vector<TileId> nonempty;  // tiles written at the previous zoom
    for (std::uint32_t z = options.min_zoom; z <= options.max_zoom; ++z) {
        const TileId nw = tile_at(z, b.north_deg, b.west_deg);
        const TileId se = tile_at(z, b.south_deg, b.east_deg);
        level.clear();
        if (z == options.min_zoom || z - 1 < prune_from) {
            for (std::uint32_t y = nw.y; y <= se.y; ++y) {
                for (std::uint32_t x = nw.x; x <= se.x; ++x) {
                    level.push_back(TileId{z, x, y});
                }
            }
        } else {
            for (const TileId& parent : nonempty) {
                for (std::uint32_t k = 0; k < 4; ++k) {
                    const TileId child{z, parent.x * 2 + (k & 1U), parent.y * 2 + (k >> 1U)};
                    if (child.x >= nw.x && child.x <= se.x && child.y >= nw.y &&
                        child.y <= se.y) {
                        level.push_back(child);
                    }
                }
            }
        }
        std::sort(level.begin(), level.end(), [](const TileId& a, const TileId& c) {
            return pmtiles_id(a) < pmtiles_id(c);
        });
        nonempty.clear();
        state.zoom = z;
        state.tiles_done = 0;
        state.tiles_at_zoom = level.size();
        std::vector<Rendered> results;
        for (std::size_t start = 0; start < level.size(); start += window) {
            const std::size_t n = std::min(window, level.size() - start);
            results.assign(n, Rendered{});
            std::atomic<std::size_t> next{0};
            std::exception_ptr failure;
            std::mutex failure_mutex;
            const auto work = [&] {
                std::string raw;
                for (std::size_t i; (i = next.fetch_add(1)) < n;) {
                    try {
                        Rendered& r = results[i];
                        r.tile = level[start + i];
                        renderer.render(r.tile, options.layers, &raw);
                        if (!raw.empty()) {
                            gzip(raw, &r.gzipped, options.gzip_level);
                        }
                        r.over_budget = r.gzipped.size() > renderer.options().max_tile_bytes;
                    } catch (...) {
                        std::lock_guard lock(failure_mutex);
                        failure = std::current_exception();
                    }
                }
            };
            std::vector<std::thread> pool;
            for (unsigned t = 1; t < std::min<std::size_t>(threads, n); ++t) {
                pool.emplace_back(work);
            }
            work();
            for (std::thread& t : pool) {
                t.join();
            }
            if (failure) {
                std::rethrow_exception(failure);
            }
            for (const Rendered& r : results) {
                ++summary.tiles_rendered;
                if (r.gzipped.empty()) {
                    continue;
                }
                writer->add(r.tile, r.gzipped);
                nonempty.push_back(r.tile);
                ++summary.tiles_written;
                summary.tiles_over_budget += r.over_budget ? 1 : 0;
                summary.largest_tile_bytes =
                    std::max<std::uint64_t>(summary.largest_tile_bytes, r.gzipped.size());
            }
            state.tiles_done += n;
            state.tiles_written = summary.tiles_written;
            if (progress) {
                progress(state);
            }
        }
    }
    ArchiveInfo info;
    info.min_zoom = options.min_zoom;
    info.max_zoom = options.max_zoom;
    info.bounds = b;
    info.metadata_json =
        "{\"name\":\"diachi\",\"format\":\"pbf\",\"type\":\"overlay\",\"description\":"
        "\"Vietnamese household codes, communes and provinces (diachi)\",\"minzoom\":" +
        std::to_string(options.min_zoom) + ",\"maxzoom\":" + std::to_string(options.max_zoom) +
        ",\"vector_layers\":" +
        renderer.vector_layers_json(options.layers, options.min_zoom, options.max_zoom) + "}";
    summary.archive = writer->finish(info);
    summary.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return summary;
}

}  // namespace diachi::tiles
