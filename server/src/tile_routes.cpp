// Tiles: drawn from the live registry (/tiles/...), cached gzipped and dropped when households
// change, or read from archives (/archives/{name}/...); their TileJSON 3.0.0 and the map's
// MapLibre style.

#include <charconv>

#include <diachi/json.hpp>
#include <diachi/tiles/gzip.hpp>

#include "context.hpp"

namespace diachi::server::detail {

namespace {

using http::status;
using http::verb;

constexpr std::string_view mvt_type = "application/vnd.mapbox-vector-tile";

std::optional<tiles::TileId> parse_tile(std::string_view z, std::string_view x, std::string_view y) {
    tiles::TileId tile;
    for (const auto& [text, value] : {std::pair{z, &tile.z}, std::pair{x, &tile.x}, std::pair{y, &tile.y}}) {
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *value);
        if (ec != std::errc{} || end != text.data() + text.size()) {
            return std::nullopt;
        }
    }
    return tiles::is_valid(tile) ? std::optional(tile) : std::nullopt;
}

Response bad_tile(std::string_view z, std::string_view x, std::string_view y) {
    std::string input(z);
    input.append("/").append(x).append("/").append(y);
    return error(status::bad_request, "bad_tile",
                 "a tile is z/x/y with z 0..22 and x, y below 2^z", input);
}

/// A gzipped tile as the client can take it: 204 when empty, 304 when the client has it. With
/// @p owner (what keeps @p gzipped alive), a gzip answer borrows the bytes instead of copying.
Response tile_answer(const Request& request, std::string_view gzipped, const std::string& etag,
                     const std::string& cache_control, std::shared_ptr<const void> owner = nullptr) {
    Response r;
    r.headers.reserve(4);
    r.header(http::field::cache_control, cache_control);
    r.header(http::field::vary, "Accept-Encoding");
    if (gzipped.empty()) {
        r.status = status::no_content;
        return r;
    }
    r.header(http::field::etag, etag);
    if (!request.if_none_match.empty() &&
        (request.if_none_match == etag || request.if_none_match == "*" ||
         request.if_none_match.find(etag) != std::string_view::npos)) {
        r.status = status::not_modified;
        return r;
    }
    r.content_type = mvt_type;
    if (request.accepts_gzip) {
        r.header(http::field::content_encoding, "gzip");
        if (owner) {
            r.owner = std::move(owner);
            r.shared = gzipped;
        } else {
            r.body.assign(gzipped);
        }
    } else {
        r.body = tiles::gunzip(gzipped);
    }
    return r;
}

Response live_tile(Context& c, const Request& request, std::string_view layer_names,
                   std::string_view z, std::string_view x, std::string_view y) {
    tiles::LayerSet layers = tiles::LayerSet::all();
    if (!layer_names.empty()) {
        try {
            const auto decoded = percent_decode(layer_names, false);
            layers = tiles::LayerSet::parse(decoded.value_or(std::string(layer_names)));
        } catch (const std::invalid_argument& e) {
            return error(status::bad_request, "bad_layers", e.what(), layer_names);
        }
    }
    const auto tile = parse_tile(z, x, y);
    if (!tile) {
        return bad_tile(z, x, y);
    }
    const auto started = std::chrono::steady_clock::now();
    bool rendered = false;
    const auto cached = c.cache.get(*tile, layers, &rendered);
    if (rendered) {
        c.metrics->record_render(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    }
    return tile_answer(request, cached->gzipped, cached->etag, c.options.tile_cache_control, cached);
}

Response archive_tile(Context& c, const Request& request, const Params& p) {
    const auto archives = c.archives();
    const auto it = archives->find(p[0]);
    if (it == archives->end()) {
        return error(status::not_found, "no_archive", "no archive of this name", p[0]);
    }
    const auto tile = parse_tile(p[1], p[2], p[3]);
    if (!tile) {
        return bad_tile(p[1], p[2], p[3]);
    }
    const auto data = it->second->get(*tile);
    if (!data) {
        return tile_answer(request, {}, {}, c.options.static_cache_control);
    }
    const std::string stored = tiles::is_gzip(*data) ? *data : tiles::gzip(*data);
    return tile_answer(request, stored, tiles::entity_tag(stored), c.options.static_cache_control);
}

std::string base_url(const Request& request) {
    std::string url = "http://";
    url.append(request.host.empty() ? std::string_view("localhost") : request.host);
    return url;
}

/// The bounds of every zone, in degrees (Viet Nam's box before any zone is imported).
geography::Bounds zone_bounds(const store::Registry& registry) {
    const auto zones = registry.zones();
    if (!zones || zones->size() == 0) {
        return geography::Bounds{8.18, 102.14, 23.39, 109.47};
    }
    geography::Bounds all = zones->bounds(0);
    for (std::uint32_t i = 1; i < zones->size(); ++i) {
        const auto b = zones->bounds(i);
        all.south_deg = std::min(all.south_deg, b.south_deg);
        all.west_deg = std::min(all.west_deg, b.west_deg);
        all.north_deg = std::max(all.north_deg, b.north_deg);
        all.east_deg = std::max(all.east_deg, b.east_deg);
    }
    return all;
}

std::string bounds_json(const geography::Bounds& b) {
    return "[" + number_text(b.west_deg) + "," + number_text(b.south_deg) + "," +
           number_text(b.east_deg) + "," + number_text(b.north_deg) + "]";
}

Response tilejson(Context& c, const Request& request, const Params&) {
    tiles::LayerSet layers = tiles::LayerSet::all();
    std::string path = "/tiles/";
    if (const auto names = query_param(request.query, "layers")) {
        try {
            layers = tiles::LayerSet::parse(*names);
        } catch (const std::invalid_argument& e) {
            return error(status::bad_request, "bad_layers", e.what(), *names);
        }
        path += layers.to_string() + "/";
    }
    const auto b = zone_bounds(c.registry);
    const std::string center = "[" + number_text((b.west_deg + b.east_deg) / 2) + "," +
                               number_text((b.south_deg + b.north_deg) / 2) + ",6]";
    Response r = json(status::ok, JsonObject{}
                                      .field("tilejson", "3.0.0")
                                      .field("name", "diachi")
                                      .field("description", "Households, communes, provinces and the code grid, live from the registry")
                                      .field("scheme", "xyz")
                                      .raw("tiles", JsonArray{}.string(base_url(request) + path + "{z}/{x}/{y}.mvt").str())
                                      .raw("minzoom", "0")
                                      .raw("maxzoom", std::to_string(tiles::max_zoom))
                                      .raw("bounds", bounds_json(b))
                                      .raw("center", center)
                                      .raw("vector_layers", c.renderer.vector_layers_json(layers, 0, tiles::max_zoom))
                                      .str());
    r.header(http::field::cache_control, "no-cache");
    return r;
}

Response archive_tilejson(Context& c, const Request& request, const Params& p) {
    const auto archives = c.archives();
    const auto it = archives->find(p[0]);
    if (it == archives->end()) {
        return error(status::not_found, "no_archive", "no archive of this name", p[0]);
    }
    const auto& info = it->second->info();
    JsonObject out;
    out.field("tilejson", "3.0.0")
        .field("name", p[0])
        .raw("tiles", JsonArray{}.string(base_url(request) + "/archives/" + std::string(p[0]) + "/{z}/{x}/{y}.mvt").str())
        .raw("minzoom", std::to_string(info.min_zoom))
        .raw("maxzoom", std::to_string(info.max_zoom))
        .raw("bounds", bounds_json(info.bounds))
        .raw("metadata", info.metadata_json.empty() ? "{}" : info.metadata_json);
    return json(status::ok, out.str());
}

/// The map page's style: every layer of the live tiles, labels in the server's first font.
Response style(Context& c, const Request& request, const Params&) {
    const std::string base = base_url(request);
    const std::string font = c.glyphs && !c.glyphs->names().empty() ? c.glyphs->names().front()
                                                                     : std::string("Noto Sans Regular");
    const std::string fonts = "[" + json_string(font) + "]";
    std::string layers = R"([
 {"id":"background","type":"background","paint":{"background-color":"#f3f1ec"}},
 {"id":"provinces-fill","type":"fill","source":"diachi","source-layer":"provinces","paint":{"fill-color":"#e4ecd9","fill-opacity":0.6}},
 {"id":"osm-buildings","type":"fill","source":"diachi","source-layer":"osm","filter":["==",["get","kind"],"building"],"paint":{"fill-color":"#d9d0c9"}},
 {"id":"osm-roads","type":"line","source":"diachi","source-layer":"osm","filter":["==",["geometry-type"],"LineString"],"paint":{"line-color":"#ffffff","line-width":["interpolate",["linear"],["zoom"],12,1,18,8]}},
 {"id":"communes-line","type":"line","source":"diachi","source-layer":"communes","paint":{"line-color":"#8a8f98","line-width":["interpolate",["linear"],["zoom"],7,0.3,14,1.5],"line-dasharray":[3,2]}},
 {"id":"provinces-line","type":"line","source":"diachi","source-layer":"provinces","paint":{"line-color":"#5b6270","line-width":["interpolate",["linear"],["zoom"],4,0.6,12,2.5]}},
 {"id":"grid-line","type":"line","source":"diachi","source-layer":"grid","minzoom":19,"paint":{"line-color":"#4a90d9","line-opacity":0.5,"line-width":0.7}},
 {"id":"grid-label","type":"symbol","source":"diachi","source-layer":"grid","minzoom":20,"layout":{"text-field":["get","code"],"text-font":FONTS,"text-size":10},"paint":{"text-color":"#2d6cb5"}},
 {"id":"household-clusters","type":"circle","source":"diachi","source-layer":"households","filter":["has","point_count"],"paint":{"circle-color":"#d9534f","circle-opacity":0.75,"circle-radius":["interpolate",["linear"],["sqrt",["get","point_count"]],1,3,100,24]}},
 {"id":"household-cluster-count","type":"symbol","source":"diachi","source-layer":"households","filter":["all",["has","point_count"],[">=",["get","point_count"],10]],"layout":{"text-field":["to-string",["get","point_count_abbreviated"]],"text-font":FONTS,"text-size":11},"paint":{"text-color":"#ffffff"}},
 {"id":"households","type":"circle","source":"diachi","source-layer":"households","filter":["!",["has","point_count"]],"paint":{"circle-color":"#c0392b","circle-stroke-color":"#ffffff","circle-stroke-width":1,"circle-radius":["interpolate",["linear"],["zoom"],14,2.5,20,7]}},
 {"id":"household-codes","type":"symbol","source":"diachi","source-layer":"households","minzoom":18,"filter":["!",["has","point_count"]],"layout":{"text-field":["get","code"],"text-font":FONTS,"text-size":11,"text-offset":[0,1.2],"text-anchor":"top"},"paint":{"text-color":"#7b241c","text-halo-color":"#ffffff","text-halo-width":1.2}},
 {"id":"labels","type":"symbol","source":"diachi","source-layer":"labels","layout":{"text-field":["get","name"],"text-font":FONTS,"text-size":["match",["get","kind"],"province",15,12]},"paint":{"text-color":"#333333","text-halo-color":"#ffffff","text-halo-width":1.5}}
])";
    for (std::size_t at = layers.find("FONTS"); at != std::string::npos; at = layers.find("FONTS", at)) {
        layers.replace(at, 5, fonts);
    }
    const auto b = zone_bounds(c.registry);
    Response r = json(status::ok,
                      JsonObject{}
                          .raw("version", "8")
                          .field("name", "diachi")
                          .raw("center", "[" + number_text((b.west_deg + b.east_deg) / 2) + "," +
                                             number_text((b.south_deg + b.north_deg) / 2) + "]")
                          .raw("zoom", "5")
                          .raw("sources", JsonObject{}
                                              .raw("diachi", JsonObject{}
                                                                 .field("type", "vector")
                                                                 .field("url", base + "/tiles.json")
                                                                 .str())
                                              .str())
                          .field("glyphs", base + "/fonts/{fontstack}/{range}.pbf")
                          .raw("layers", layers)
                          .str());
    r.header(http::field::cache_control, "no-cache");
    return r;
}

}  // namespace

void add_tile_routes(Context& c) {
    Router& r = c.router;
    r.add("tiles", {verb::get}, "/tiles/{}/{}/{}.mvt", Access::anyone,
          [&c](const Request& q, const Params& p) { return live_tile(c, q, {}, p[0], p[1], p[2]); });
    r.add("tiles", {verb::get}, "/tiles/{}/{}/{}/{}.mvt", Access::anyone,
          [&c](const Request& q, const Params& p) { return live_tile(c, q, p[0], p[1], p[2], p[3]); });
    r.add("tilejson", {verb::get}, "/tiles.json", Access::anyone,
          [&c](const Request& q, const Params& p) { return tilejson(c, q, p); });
    r.add("style", {verb::get}, "/style.json", Access::anyone,
          [&c](const Request& q, const Params& p) { return style(c, q, p); });
    r.add("archive_tiles", {verb::get}, "/archives/{}/{}/{}/{}.mvt", Access::anyone,
          [&c](const Request& q, const Params& p) { return archive_tile(c, q, p); });
    r.add("archive_tilejson", {verb::get}, "/archives/{}.json", Access::anyone,
          [&c](const Request& q, const Params& p) { return archive_tilejson(c, q, p); });
}

}  // namespace diachi::server::detail
