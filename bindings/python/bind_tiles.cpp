// Vector tiles: TileRenderer, and Registry.tile() / Registry.export_pyramid() through a renderer
// each Registry object keeps (its zone outlines are projected once).

#include <diachi/store/registry.hpp>
#include <diachi/tiles/mvt_reader.hpp>
#include <diachi/tiles/pyramid.hpp>
#include <diachi/tiles/renderer.hpp>

#include <optional>

#include <pybind11/stl.h>

#include "bind.hpp"

namespace diachi::python {

namespace {

tiles::LayerSet layer_set(const std::string& names) {
    try {
        return tiles::LayerSet::parse(names);
    } catch (const std::invalid_argument& e) {
        throw py::value_error(e.what());
    }
}

tiles::TileId tile_id(std::uint32_t z, std::uint32_t x, std::uint32_t y) {
    const tiles::TileId tile{z, x, y};
    if (!tiles::is_valid(tile)) {
        throw py::value_error("tile " + tiles::to_string(tile) +
                              " is not a tile (zoom 0..22, x and y below 2^zoom)");
    }
    return tile;
}

py::bytes render(const tiles::TileRenderer& renderer, std::uint32_t z, std::uint32_t x,
                 std::uint32_t y, const std::string& layers) {
    const tiles::TileId tile = tile_id(z, x, y);
    const tiles::LayerSet set = layer_set(layers);
    std::string out;
    {
        py::gil_scoped_release release;
        renderer.render(tile, set, &out);
    }
    return py::bytes(out);
}

tiles::PyramidSummary export_with(const tiles::TileRenderer& renderer, const std::string& path,
                                  const std::string& format, std::uint32_t minzoom,
                                  std::uint32_t maxzoom, const std::vector<double>& bbox,
                                  const std::string& layers) {
    tiles::PyramidOptions options;
    if (format == "pmtiles") {
        options.format = tiles::ArchiveFormat::pmtiles;
    } else if (format == "mbtiles") {
        options.format = tiles::ArchiveFormat::mbtiles;
    } else {
        throw py::value_error("format must be 'pmtiles' or 'mbtiles', got '" + format + "'");
    }
    options.min_zoom = minzoom;
    options.max_zoom = maxzoom;
    if (!bbox.empty()) {
        if (bbox.size() != 4) {
            throw py::value_error("bbox must be (west, south, east, north) in degrees");
        }
        options.bounds = geography::Bounds{bbox[1], bbox[0], bbox[3], bbox[2]};
    }
    options.layers = layer_set(layers);
    try {
        py::gil_scoped_release release;
        return tiles::export_pyramid(renderer, path, options);
    } catch (const std::invalid_argument& e) {
        throw py::value_error(e.what());
    }
}

// The renderer a Registry object keeps in its __dict__.
tiles::TileRenderer& renderer_of(py::object registry) {
    py::dict attributes = registry.attr("__dict__");
    if (!attributes.contains("_tile_renderer")) {
        attributes["_tile_renderer"] =
            py::module_::import("diachi").attr("TileRenderer")(registry);
    }
    return attributes["_tile_renderer"].cast<tiles::TileRenderer&>();
}

}  // namespace

void bind_tiles(py::module_& m) {
    py::class_<tiles::PyramidSummary>(m, "PyramidSummary", "What export_pyramid() did.")
        .def_property_readonly("tiles_written",
                               [](const tiles::PyramidSummary& s) { return s.tiles_written; })
        .def_property_readonly("tiles_rendered",
                               [](const tiles::PyramidSummary& s) { return s.tiles_rendered; })
        .def_property_readonly("distinct_tiles",
                               [](const tiles::PyramidSummary& s) { return s.archive.contents; })
        .def_property_readonly("bytes", [](const tiles::PyramidSummary& s) { return s.archive.bytes; })
        .def_property_readonly("largest_tile_bytes",
                               [](const tiles::PyramidSummary& s) { return s.largest_tile_bytes; })
        .def_property_readonly("seconds", [](const tiles::PyramidSummary& s) { return s.seconds; });

    py::class_<tiles::TileRenderer>(
        m, "TileRenderer",
        "Renders Mapbox Vector Tiles from a Registry (which it keeps alive), optionally with an "
        "OpenStreetMap file for the osm layer.")
        .def(py::init([](const store::Registry& registry, const std::optional<std::string>& osm) {
                 return std::make_unique<tiles::TileRenderer>(
                     registry, tiles::RendererOptions{},
                     osm ? tiles::OsmSource::read(*osm) : nullptr);
             }),
             py::arg("registry"), py::arg("osm") = py::none(), py::keep_alive<1, 2>())
        .def("tile", &render, py::arg("z"), py::arg("x"), py::arg("y"), py::arg("layers") = "all",
             "The tile's uncompressed MVT bytes (empty when nothing is in it).")
        .def("export_pyramid", &export_with, py::arg("path"), py::arg("format") = "pmtiles",
             py::arg("minzoom") = 0, py::arg("maxzoom") = 14,
             py::arg("bbox") = std::vector<double>{}, py::arg("layers") = "all");

    py::class_<store::Registry> registry =
        py::reinterpret_borrow<py::class_<store::Registry>>(m.attr("Registry"));
    registry
        .def(
            "tile",
            [](py::object self, std::uint32_t z, std::uint32_t x, std::uint32_t y,
               const std::string& layers) { return render(renderer_of(self), z, x, y, layers); },
            py::arg("z"), py::arg("x"), py::arg("y"), py::arg("layers") = "all",
            "Tile z/x/y of the live store as uncompressed MVT bytes; layers: a comma-separated "
            "subset of households, communes, provinces, labels, grid, osm, or 'all'.")
        .def(
            "export_pyramid",
            [](py::object self, const std::string& path, const std::string& format,
               std::uint32_t minzoom, std::uint32_t maxzoom, const std::vector<double>& bbox,
               const std::string& layers) {
                return export_with(renderer_of(self), path, format, minzoom, maxzoom, bbox, layers);
            },
            py::arg("path"), py::arg("format") = "pmtiles", py::arg("minzoom") = 0,
            py::arg("maxzoom") = 14, py::arg("bbox") = std::vector<double>{},
            py::arg("layers") = "all",
            "Exports a pyramid of tiles to a PMTiles or MBTiles archive; bbox is (west, south, "
            "east, north) in degrees.");

    m.def(
        "decode_tile",
        [](const py::bytes& tile) {
            try {
                return tiles::mvt::to_json(tiles::mvt::decode(std::string(tile)));
            } catch (const std::runtime_error& e) {
                throw py::value_error(e.what());
            }
        },
        py::arg("tile"), "An MVT tile (uncompressed) as canonical JSON text.");
    m.def(
        "check_tile",
        [](const py::bytes& tile) { return tiles::mvt::check(std::string(tile)); },
        py::arg("tile"), "Every rule of MVT 2.1 the tile breaks (empty list: valid).");
}

}  // namespace diachi::python
