// The tile commands: tile (one Mapbox Vector Tile from the live store) and export (a pyramid to
// a PMTiles or MBTiles archive).

#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <iostream>

#include <diachi/store/registry.hpp>
#include <diachi/tiles/gzip.hpp>
#include <diachi/tiles/mvt_reader.hpp>
#include <diachi/tiles/pyramid.hpp>
#include <diachi/tiles/renderer.hpp>

#include "cli.hpp"
#include "store_support.hpp"

namespace diachi::cli {
namespace {

std::uint32_t tile_number(const Args& args, std::size_t i, std::string_view what) {
    const std::string_view text = args.positional(i, what);
    std::uint32_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) {
        throw UsageError(std::string(what) + " must be a whole number, got '" + std::string(text) +
                         "'");
    }
    return value;
}

tiles::LayerSet layers_option(const Args& args) {
    try {
        return tiles::LayerSet::parse(args.option("--layers").value_or("all"));
    } catch (const std::invalid_argument& e) {
        throw UsageError(e.what());
    }
}

std::shared_ptr<const tiles::OsmSource> osm_option(const Args& args) {
    const auto path = args.option("--osm");
    return path ? tiles::OsmSource::read(std::string(*path)) : nullptr;
}

int run_tile(std::span<const std::string_view> words) {
    constexpr std::array<std::string_view, 3> value_options = {"--store", "--layers", "--osm"};
    constexpr std::array<std::string_view, 3> flags = {"--gzip", "--json", "--check"};
    const Args args(words, value_options, flags);
    args.expect_at_most(3);
    const tiles::TileId tile{tile_number(args, 0, "Z"), tile_number(args, 1, "X"),
                             tile_number(args, 2, "Y")};
    if (!tiles::is_valid(tile)) {
        std::cerr << "diachi: tile " << tiles::to_string(tile)
                  << " is not a tile (zoom 0..22, x and y below 2^zoom)\n";
        return exit_rejected;
    }
    const tiles::LayerSet layers = layers_option(args);
    const store::Registry registry(store_path(args), read_only());
    const tiles::TileRenderer renderer(registry, {}, osm_option(args));
    std::string mvt;
    const tiles::RenderStats stats = renderer.render(tile, layers, &mvt);
    if (args.flag("--check")) {
        const auto problems = tiles::mvt::check(mvt);
        for (const auto& problem : problems) {
            std::cout << problem << '\n';
        }
        std::cout << tiles::to_string(tile) << ": " << mvt.size() << " bytes, "
                  << (problems.empty() ? "valid" : std::to_string(problems.size()) + " problems")
                  << " (MVT 2.1)\n";
        return problems.empty() ? exit_ok : exit_rejected;
    }
    if (args.flag("--json")) {
        std::cout << tiles::mvt::to_json(tiles::mvt::decode(mvt));
        return exit_ok;
    }
    const bool big = stats.bytes > renderer.options().max_tile_bytes;
    const std::string gzipped = args.flag("--gzip") || big ? tiles::gzip(mvt) : std::string();
    if (big && gzipped.size() > renderer.options().max_tile_bytes) {
        std::cerr << "diachi: tile " << tiles::to_string(tile) << " is over the byte budget ("
                  << gzipped.size() << " bytes gzipped)\n";
    }
    const std::string& out = args.flag("--gzip") ? gzipped : mvt;
    std::fwrite(out.data(), 1, out.size(), stdout);
    return exit_ok;
}

geography::Bounds bbox_option(const Args& args, const geography::Bounds& fallback) {
    const auto text = args.option("--bbox");
    if (!text) {
        return fallback;
    }
    double v[4];
    std::string_view rest = *text;
    for (int i = 0; i < 4; ++i) {
        const std::size_t comma = rest.find(',');
        const std::string_view word = rest.substr(0, comma);
        const auto [end, ec] = std::from_chars(word.data(), word.data() + word.size(), v[i]);
        if (ec != std::errc() || end != word.data() + word.size() || (i < 3) == (comma == std::string_view::npos)) {
            throw UsageError("--bbox must be WEST,SOUTH,EAST,NORTH in degrees, got '" +
                             std::string(*text) + "'");
        }
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
    return geography::Bounds{v[1], v[0], v[3], v[2]};
}

int run_export(std::span<const std::string_view> words) {
    constexpr std::array<std::string_view, 8> value_options = {
        "--store", "--format", "--minzoom", "--maxzoom", "--bbox", "--layers", "--osm", "--threads"};
    constexpr std::array<std::string_view, 1> flags = {"--quiet"};
    const Args args(words, value_options, flags);
    args.expect_at_most(1);
    const std::string out(args.positional(0, "OUT"));
    tiles::PyramidOptions options;
    const std::string format = option_or(args, "--format", out.ends_with(".mbtiles") ? "mbtiles" : "pmtiles");
    if (format == "pmtiles") {
        options.format = tiles::ArchiveFormat::pmtiles;
    } else if (format == "mbtiles") {
        options.format = tiles::ArchiveFormat::mbtiles;
    } else {
        throw UsageError("--format must be pmtiles or mbtiles, got '" + format + "'");
    }
    options.min_zoom = static_cast<std::uint32_t>(args.integer_option("--minzoom", 0, 0, 22));
    options.max_zoom = static_cast<std::uint32_t>(args.integer_option("--maxzoom", 14, 0, 22));
    if (options.min_zoom > options.max_zoom) {
        throw UsageError("--minzoom must not exceed --maxzoom");
    }
    options.bounds = bbox_option(args, options.bounds);
    options.layers = layers_option(args);
    options.threads = static_cast<unsigned>(args.integer_option("--threads", 0, 0, 256));
    const store::Registry registry(store_path(args), read_only());
    const tiles::TileRenderer renderer(registry, {}, osm_option(args));
    const bool quiet = args.flag("--quiet");
    const auto summary = tiles::export_pyramid(
        renderer, out, options, [quiet](const tiles::PyramidProgress& p) {
            if (!quiet) {
                std::cerr << "\rzoom " << p.zoom << ": " << p.tiles_done << "/" << p.tiles_at_zoom
                          << " tiles, " << p.tiles_written << " written" << std::flush;
            }
        });
    if (!quiet) {
        std::cerr << '\n';
    }
    std::cout << "exported " << summary.tiles_written << " tiles (" << summary.archive.contents
              << " distinct, " << summary.tiles_rendered << " rendered) of " << options.layers.to_string()
              << ", zoom " << options.min_zoom << "-" << options.max_zoom << ", to " << out << " ("
              << format << ", " << summary.archive.bytes << " bytes, largest tile "
              << summary.largest_tile_bytes << " bytes gzipped, " << summary.tiles_over_budget
              << " over budget) in " << number_text(std::round(summary.seconds * 100) / 100)
              << " s\n";
    return exit_ok;
}

}  // namespace

int run_tile_command(std::string_view command, std::span<const std::string_view> words) {
    if (command == "tile") {
        return run_tile(words);
    }
    if (command == "export") {
        return run_export(words);
    }
    return -1;
}

}  // namespace diachi::cli
