// The map page and what it loads (its files, MapLibre GL JS, glyphs), health and metrics.

#include <charconv>
#include <fstream>
#include <sstream>

#include <diachi/json.hpp>
#include <diachi/tiles/gzip.hpp>

#include "context.hpp"

namespace diachi::server::detail {

namespace {

using http::status;
using http::verb;

struct StaticFile {
    std::string content;
    std::string type;
    std::string etag;
};

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw std::runtime_error(path.string() + ": cannot read the map page's file");
    }
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string type_of(const std::filesystem::path& path) {
    const std::string ext = path.extension().string();
    if (ext == ".html") return "text/html; charset=utf-8";
    if (ext == ".js") return "text/javascript; charset=utf-8";
    if (ext == ".css") return "text/css; charset=utf-8";
    if (ext == ".json") return "application/json; charset=utf-8";
    if (ext == ".svg") return "image/svg+xml";
    return "application/octet-stream";
}

Response file_answer(const Request& request, const StaticFile& file, const std::string& cache_control) {
    Response r;
    r.header(http::field::etag, file.etag);
    r.header(http::field::cache_control, cache_control);
    if (request.if_none_match == file.etag) {
        r.status = status::not_modified;
        return r;
    }
    r.content_type = file.type;
    r.body = file.content;
    return r;
}

}  // namespace

void add_web_routes(Context& c) {
    Router& r = c.router;
    // The page's files are read once, at start.
    auto files = std::make_shared<std::map<std::string, StaticFile, std::less<>>>();
    const auto add_file = [&](const std::string& url, const std::filesystem::path& path) {
        StaticFile file{read_file(path), type_of(path), {}};
        file.etag = tiles::entity_tag(file.content);
        files->emplace(url, std::move(file));
    };
    if (!c.options.web_root.empty()) {
        for (const auto* name : {"index.html", "app.js", "app.css"}) {
            if (std::filesystem::exists(c.options.web_root / name)) {
                add_file(std::string("/") + name, c.options.web_root / name);
            }
        }
    }
    if (!c.options.maplibre_dist.empty()) {
        add_file("/vendor/maplibre-gl.js", c.options.maplibre_dist / "maplibre-gl.js");
        add_file("/vendor/maplibre-gl.css", c.options.maplibre_dist / "maplibre-gl.css");
    }
    const auto serve = [&c, files](std::string_view url) {
        return [&c, files, key = std::string(url)](const Request& q, const Params&) {
            const auto it = files->find(key);
            if (it == files->end()) {
                return error(status::not_found, "not_found", "the map page is not installed (see --web)");
            }
            // The page itself may change with the server; the vendored library does not.
            const bool page = key != "/vendor/maplibre-gl.js" && key != "/vendor/maplibre-gl.css";
            return file_answer(q, it->second, page ? std::string("no-cache") : c.options.static_cache_control);
        };
    };
    r.add("page", {verb::get}, "/", Access::anyone, serve("/index.html"));
    for (const auto* url : {"/index.html", "/app.js", "/app.css"}) {
        r.add("page", {verb::get}, url, Access::anyone, serve(url));
    }
    r.add("vendor", {verb::get}, "/vendor/maplibre-gl.js", Access::anyone, serve("/vendor/maplibre-gl.js"));
    r.add("vendor", {verb::get}, "/vendor/maplibre-gl.css", Access::anyone, serve("/vendor/maplibre-gl.css"));

    r.add("fonts", {verb::get}, "/fonts/{}/{}.pbf", Access::anyone, [&c](const Request&, const Params& p) {
        const auto stack = percent_decode(p[0], false);
        const std::string_view range = p[1];
        const std::size_t dash = range.find('-');
        std::uint32_t start = 0;
        std::uint32_t end = 0;
        const bool parsed =
            dash != std::string_view::npos &&
            std::from_chars(range.data(), range.data() + dash, start).ptr == range.data() + dash &&
            std::from_chars(range.data() + dash + 1, range.data() + range.size(), end).ptr ==
                range.data() + range.size() &&
            end == start + 255;
        if (!stack || !parsed) {
            return error(status::bad_request, "bad_range", "a glyph range is START-END, 256 code points from a multiple of 256", range);
        }
        const auto pbf = c.glyphs ? c.glyphs->range(*stack, start) : std::nullopt;
        if (!pbf) {
            return error(status::not_found, "no_font", "no such font or range", *stack);
        }
        Response answer;
        answer.content_type = "application/x-protobuf";
        answer.header(http::field::cache_control, c.options.static_cache_control);
        answer.body = *pbf;
        return answer;
    });

    r.add("healthz", {verb::get}, "/healthz", Access::anyone, [&c](const Request&, const Params&) {
        return json(status::ok, JsonObject{}
                                    .field("status", "ok")
                                    .field("households", static_cast<long>(c.registry.household_count()))
                                    .field("zones", static_cast<long>(c.registry.zones() ? c.registry.zones()->size() : 0))
                                    .str());
    });
    r.add("metrics", {verb::get}, "/metrics", Access::anyone, [&c](const Request&, const Params&) {
        std::string text = c.metrics->text();
        const auto stats = c.cache.stats();
        const auto counter = [&text](std::string_view name, std::string_view help, std::string_view type, std::uint64_t value) {
            text.append("# HELP ").append(name).append(" ").append(help).append("\n# TYPE ");
            text.append(name).append(" ").append(type).append("\n").append(name).append(" ");
            text.append(std::to_string(value)).append("\n");
        };
        counter("diachi_tile_cache_hits_total", "Tiles answered from the cache.", "counter", stats.hits);
        counter("diachi_tile_cache_misses_total", "Tiles drawn because the cache did not hold them.", "counter", stats.misses);
        counter("diachi_tile_cache_invalidated_total", "Cached tiles dropped because households changed.", "counter", stats.invalidated);
        counter("diachi_tile_cache_evicted_total", "Cached tiles dropped to stay within the cache's bytes.", "counter", stats.evicted);
        counter("diachi_tile_cache_bytes", "Bytes the tile cache holds.", "gauge", stats.bytes);
        counter("diachi_tile_cache_entries", "Tiles the cache holds.", "gauge", stats.entries);
        counter("diachi_resolve_cache_hits_total", "Anonymous resolves answered from the response cache.", "counter", c.answers.hits());
        counter("diachi_resolve_cache_misses_total", "Anonymous resolves looked up in the store.", "counter", c.answers.misses());
        counter("diachi_households_registered", "Households ever registered.", "gauge", c.registry.household_count());
        Response answer;
        answer.content_type = "text/plain; version=0.0.4; charset=utf-8";
        answer.body = std::move(text);
        return answer;
    });
}

}  // namespace diachi::server::detail
