// The MVT writer, reader and checker: round trips of every geometry type, the rules the writer
// enforces, and the checker proven on deliberately broken tiles. Tile math and PMTiles ids.

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <protozero/pbf_writer.hpp>

#include <diachi/tiles/mvt_reader.hpp>
#include <diachi/tiles/mvt_writer.hpp>
#include <diachi/tiles/tile_id.hpp>
#include <diachi/web_mercator.hpp>

namespace mvt = diachi::tiles::mvt;
using diachi::tiles::TileId;

namespace {

bool mentions(const std::vector<std::string>& problems, const std::string& text) {
    for (const auto& p : problems) {
        if (p.find(text) != std::string::npos) {
            return true;
        }
    }
    return false;
}

}  // namespace

TEST(MvtWriter, RoundTripsEveryGeometryAndValueType) {
    std::string tile;
    {
        mvt::TileWriter writer(&tile);
        mvt::LayerWriter layer(writer, "things");
        const mvt::Property props[] = {{"name", std::string_view("Phường Ba Đình")},
                                       {"count", std::uint64_t{7}},
                                       {"delta", std::int64_t{-3}},
                                       {"ratio", 0.25},
                                       {"ok", true}};
        EXPECT_TRUE(layer.add_point(1, {10, 20}, props));
        const mvt::Point line[] = {{0, 0}, {5, 5}, {5, 5}, {10, 0}};
        const std::span<const mvt::Point> lines[] = {line};
        EXPECT_TRUE(layer.add_lines(2, lines, std::span(props, 2)));
        // A square given anticlockwise on screen with a hole given clockwise: both turned.
        const mvt::Point outer[] = {{0, 0}, {0, 100}, {100, 100}, {100, 0}, {0, 0}};
        const mvt::Point hole[] = {{10, 10}, {90, 10}, {90, 90}, {10, 90}};
        const mvt::Ring rings[] = {{outer, true}, {hole, false}};
        EXPECT_TRUE(layer.add_polygon(3, rings, std::span(props, 1)));
        layer.commit();
    }
    EXPECT_TRUE(mvt::check(tile).empty()) << mvt::check(tile).front();
    const mvt::DecodedTile decoded = mvt::decode(tile);
    ASSERT_EQ(decoded.layers.size(), 1U);
    const mvt::DecodedLayer& layer = decoded.layers[0];
    EXPECT_EQ(layer.version, 2U);
    EXPECT_EQ(layer.extent, 4096U);
    ASSERT_EQ(layer.features.size(), 3U);
    const auto& point = layer.features[0];
    EXPECT_EQ(point.type, mvt::GeomType::point);
    EXPECT_EQ(point.geometry, (std::vector<std::vector<mvt::Point>>{{{10, 20}}}));
    ASSERT_EQ(point.properties.size(), 5U);
    EXPECT_EQ(std::get<std::string>(point.properties[0].second), "Phường Ba Đình");
    EXPECT_EQ(std::get<std::uint64_t>(point.properties[1].second), 7U);
    EXPECT_EQ(std::get<std::int64_t>(point.properties[2].second), -3);
    EXPECT_EQ(std::get<double>(point.properties[3].second), 0.25);
    EXPECT_EQ(std::get<bool>(point.properties[4].second), true);
    // The repeated point is gone (no zero-length LineTo).
    EXPECT_EQ(layer.features[1].geometry,
              (std::vector<std::vector<mvt::Point>>{{{0, 0}, {5, 5}, {10, 0}}}));
    const auto& polygon = layer.features[2].geometry;
    ASSERT_EQ(polygon.size(), 2U);
    EXPECT_EQ(polygon[0].size(), 4U);  // the closing point is ClosePath's
    EXPECT_EQ(polygon[0][1], (mvt::Point{100, 0}));  // turned clockwise on screen
    EXPECT_EQ(polygon[1][1], (mvt::Point{10, 90}));  // the hole anticlockwise
    // Keys and values are stored once however often features use them.
    EXPECT_NE(mvt::to_json(decoded).find("\"name\":\"Phường Ba Đình\""), std::string::npos);
}

TEST(MvtWriter, DropsDegenerateGeometryAndEmptyLayers) {
    std::string tile;
    {
        mvt::TileWriter writer(&tile);
        {
            mvt::LayerWriter empty(writer, "empty");
            const mvt::Point one[] = {{3, 3}, {3, 3}};
            const std::span<const mvt::Point> lines[] = {one};
            EXPECT_FALSE(empty.add_lines(1, lines, {}));
            const mvt::Point flat[] = {{0, 0}, {10, 0}, {20, 0}};
            const mvt::Ring rings[] = {{flat, true}, {flat, false}};
            EXPECT_FALSE(empty.add_polygon(2, rings, {}));
        }
        {
            mvt::LayerWriter layer(writer, "kept");
            EXPECT_TRUE(layer.add_point(1, {0, 0}, {}));
        }
        EXPECT_THROW(mvt::LayerWriter(writer, "kept"), std::invalid_argument);
    }
    const auto decoded = mvt::decode(tile);
    ASSERT_EQ(decoded.layers.size(), 1U);
    EXPECT_EQ(decoded.layers[0].name, "kept");
    EXPECT_TRUE(mvt::check(tile).empty());
}

// Tiles broken on purpose, one rule each: the checker must name the rule.
struct BrokenTile {
    const char* name;
    const char* expected;  // text of the problem
    std::string (*make)();
};

namespace {

// A layer written by hand: version (unless 0), name, one feature, keys, values, extent.
std::string layer_bytes(std::uint32_t version, const std::string& name,
                        const std::vector<std::uint32_t>& tags,
                        const std::vector<std::uint32_t>& geometry, std::uint32_t type,
                        const std::vector<std::string>& keys,
                        const std::vector<std::string>& values, bool extent = true,
                        int features = 1) {
    std::string layer;
    protozero::pbf_writer l(layer);
    if (version != 0) {
        l.add_uint32(15, version);
    }
    l.add_string(1, name.data(), name.size());
    for (int f = 0; f < features; ++f) {
        protozero::pbf_writer feature(l, 2);
        feature.add_uint64(1, 1);
        if (!tags.empty()) {
            feature.add_packed_uint32(2, tags.begin(), tags.end());
        }
        feature.add_enum(3, static_cast<std::int32_t>(type));
        feature.add_packed_uint32(4, geometry.begin(), geometry.end());
    }
    for (const auto& k : keys) {
        l.add_string(3, k.data(), k.size());
    }
    for (const auto& v : values) {
        protozero::pbf_writer value(l, 4);
        value.add_string(1, v.data(), v.size());
    }
    if (extent) {
        l.add_uint32(5, 4096);
    }
    return layer;
}

std::string tile_of(const std::vector<std::string>& layers) {
    std::string tile;
    protozero::pbf_writer t(tile);
    for (const auto& l : layers) {
        t.add_message(3, l.data(), l.size());
    }
    return tile;
}

const std::vector<std::uint32_t> a_point = {9, 2, 2};                    // MoveTo(1) (1,1)
const std::vector<std::uint32_t> a_square = {9, 0, 0, 26, 20, 0, 0, 20, 19, 0, 15};  // cw

}  // namespace

TEST(MvtChecker, AcceptsAHandWrittenValidTile) {
    EXPECT_TRUE(mvt::check(tile_of({layer_bytes(2, "a", {0, 0}, a_square, 3, {"k"}, {"v"})}))
                    .empty());
}

TEST(MvtChecker, FindsEveryBrokenRule) {
    const BrokenTile cases[] = {
        {"no version", "no version field (spec 4.1",
         [] { return tile_of({layer_bytes(0, "a", {}, a_point, 1, {}, {})}); }},
        {"version 1", "version 1, expected 2",
         [] { return tile_of({layer_bytes(1, "a", {}, a_point, 1, {}, {})}); }},
        {"two layers of one name", "same name",
         [] {
             return tile_of({layer_bytes(2, "a", {}, a_point, 1, {}, {}),
                             layer_bytes(2, "a", {}, a_point, 1, {}, {})});
         }},
        {"duplicate key", "appears twice in keys",
         [] { return tile_of({layer_bytes(2, "a", {0, 0}, a_point, 1, {"k", "k"}, {"v"})}); }},
        {"duplicate value", "repeats an earlier value",
         [] { return tile_of({layer_bytes(2, "a", {0, 0}, a_point, 1, {"k"}, {"v", "v"})}); }},
        {"tag out of range", "points past the layer's keys",
         [] { return tile_of({layer_bytes(2, "a", {0, 5}, a_point, 1, {"k"}, {"v"})}); }},
        {"odd tags", "odd number of tags",
         [] { return tile_of({layer_bytes(2, "a", {0}, a_point, 1, {"k"}, {"v"})}); }},
        {"zero-length LineTo", "LineTo of zero length",
         [] {
             return tile_of({layer_bytes(2, "a", {}, {9, 0, 0, 18, 0, 0, 4, 4}, 2, {}, {})});
         }},
        {"zero-area ring", "zero area",
         [] {
             return tile_of(
                 {layer_bytes(2, "a", {}, {9, 0, 0, 18, 20, 0, 20, 0, 15}, 3, {}, {})});
         }},
        {"exterior ring anticlockwise", "not an exterior ring",
         [] {
             return tile_of(
                 {layer_bytes(2, "a", {}, {9, 0, 0, 26, 0, 20, 20, 0, 0, 19, 15}, 3, {}, {})});
         }},
        {"duplicate ids", "repeats in the layer",
         [] { return tile_of({layer_bytes(2, "a", {}, a_point, 1, {}, {}, true, 2)}); }},
        {"no extent", "no extent",
         [] { return tile_of({layer_bytes(2, "a", {}, a_point, 1, {}, {}, false)}); }},
        {"unknown command", "expected LineTo",
         [] { return tile_of({layer_bytes(2, "a", {}, {9, 0, 0, 13, 2, 2}, 2, {}, {})}); }},
    };
    for (const BrokenTile& c : cases) {
        const auto problems = mvt::check(c.make());
        EXPECT_TRUE(mentions(problems, c.expected))
            << c.name << ": expected a problem mentioning '" << c.expected << "', got "
            << (problems.empty() ? std::string("none") : problems.front());
    }
}

TEST(TileId, PmtilesIdsFollowTheHilbertCurve) {
    // Zoom 1 in Hilbert order: (0,0), (0,1), (1,1), (1,0).
    EXPECT_EQ(diachi::tiles::pmtiles_id({0, 0, 0}), 0U);
    EXPECT_EQ(diachi::tiles::pmtiles_id({1, 0, 0}), 1U);
    EXPECT_EQ(diachi::tiles::pmtiles_id({1, 0, 1}), 2U);
    EXPECT_EQ(diachi::tiles::pmtiles_id({1, 1, 1}), 3U);
    EXPECT_EQ(diachi::tiles::pmtiles_id({1, 1, 0}), 4U);
    EXPECT_EQ(diachi::tiles::pmtiles_id({2, 0, 0}), 5U);
    for (std::uint32_t z = 0; z <= diachi::tiles::max_zoom; ++z) {
        const std::uint32_t n = 1U << z;
        for (const TileId t : {TileId{z, 0, 0}, TileId{z, n - 1, n - 1}, TileId{z, n / 3, n / 5},
                               TileId{z, n / 2, n - 1}}) {
            const auto back = diachi::tiles::tile_of_pmtiles_id(diachi::tiles::pmtiles_id(t));
            ASSERT_TRUE(back.has_value());
            EXPECT_EQ(*back, t) << diachi::tiles::to_string(t);
        }
    }
    // Successive ids of a zoom are neighbouring tiles.
    for (std::uint64_t id = 21; id < 21 + 63; ++id) {
        const TileId a = *diachi::tiles::tile_of_pmtiles_id(id);
        const TileId b = *diachi::tiles::tile_of_pmtiles_id(id + 1);
        const auto d = std::abs(static_cast<int>(a.x) - static_cast<int>(b.x)) +
                       std::abs(static_cast<int>(a.y) - static_cast<int>(b.y));
        EXPECT_EQ(d, 1) << id;
    }
}

TEST(TileId, TileBoundsAndLookupAgree) {
    const TileId t = diachi::tiles::tile_at(14, 21.0285, 105.8542);  // Hoàn Kiếm
    EXPECT_EQ(t, (TileId{14, 13009, 7212}));
    const auto b = diachi::tiles::bounds_deg(t);
    EXPECT_LE(b.west_deg, 105.8542);
    EXPECT_GE(b.east_deg, 105.8542);
    EXPECT_LE(b.south_deg, 21.0285);
    EXPECT_GE(b.north_deg, 21.0285);
    EXPECT_NEAR(diachi::tiles::lat_of_world_y(diachi::tiles::world_y(21.0285)), 21.0285, 1e-12);
}

TEST(MvtWriter, UniqueValuesSkipTheLookupAndAFalsePromiseIsCaught) {
    const auto write = [](bool promise, const std::vector<std::string>& codes) {
        std::string tile;
        mvt::TileWriter writer(&tile);
        mvt::LayerWriter layer(writer, "households");
        std::uint64_t id = 1;
        for (const auto& code : codes) {
            const mvt::Property props[] = {{"code", std::string_view(code), promise},
                                           {"unit", std::uint64_t{1}}};
            EXPECT_TRUE(layer.add_point(id, {static_cast<std::int32_t>(id), 5}, props));
            ++id;
        }
        // An interned value after the appended ones: a key the table has not seen.
        const mvt::Property kind[] = {{"kind", std::string_view("cluster")}};
        EXPECT_TRUE(layer.add_point(id, {1, 1}, kind));
        layer.commit();
        return tile;
    };
    std::vector<std::string> codes;
    for (int i = 0; i < 100; ++i) {
        codes.push_back("11120 7Q89+X" + std::to_string(i));
    }
    const std::string promised = write(true, codes);
    const std::string looked_up = write(false, codes);
    EXPECT_TRUE(mvt::check(promised).empty()) << mvt::check(promised).front();
    EXPECT_EQ(mvt::to_json(mvt::decode(promised)), mvt::to_json(mvt::decode(looked_up)));
    codes.push_back(codes.front());  // the promise broken: the checker says so
    const auto problems = mvt::check(write(true, codes));
    EXPECT_TRUE(mentions(problems, "value")) << (problems.empty() ? "" : problems.front());
    EXPECT_TRUE(mvt::check(write(false, codes)).empty());
}

TEST(MvtWriter, TaggedPointsEncodeLikePropertiesAndForeignIndexesAreRefused) {
    // The same features written with properties and with tags resolved once: the same bytes.
    const auto write = [](bool tagged) {
        std::string tile;
        mvt::TileWriter writer(&tile);
        mvt::LayerWriter layer(writer, "households");
        const std::uint32_t code = layer.key("code");
        const std::uint32_t units = layer.key("units");
        for (std::uint64_t i = 0; i < 300; ++i) {
            const std::string text = "11120 7Q89+X" + std::to_string(i);
            // Ids and coordinates across varint lengths (1 to 5 bytes), negative in the buffer.
            const std::uint64_t id = i * i * i * 40'000 + 1;
            const mvt::Point at{static_cast<std::int32_t>(i * 97) - 200, 4096 - static_cast<std::int32_t>(i * 31)};
            if (tagged) {
                const mvt::Tag tags[] = {{code, layer.value(std::string_view(text), true)},
                                         {units, layer.value(std::uint64_t{i % 300})}};
                layer.add_tagged_point(id, at, tags);
            } else {
                const mvt::Property props[] = {{"code", std::string_view(text), true},
                                               {"units", std::uint64_t{i % 300}}};
                EXPECT_TRUE(layer.add_point(id, at, props));
            }
        }
        layer.commit();
        return tile;
    };
    const std::string tagged = write(true);
    EXPECT_EQ(tagged, write(false));
    EXPECT_TRUE(mvt::check(tagged).empty()) << mvt::check(tagged).front();
    const mvt::DecodedTile decoded = mvt::decode(tagged);
    ASSERT_EQ(decoded.layers.size(), 1U);
    ASSERT_EQ(decoded.layers[0].features.size(), 300U);
    const auto& last = decoded.layers[0].features.back();
    EXPECT_EQ(last.id, std::optional<std::uint64_t>(299ULL * 299 * 299 * 40'000 + 1));
    EXPECT_EQ(last.geometry, (std::vector<std::vector<mvt::Point>>{{{299 * 97 - 200, 4096 - 299 * 31}}}));

    std::string tile;
    mvt::TileWriter writer(&tile);
    mvt::LayerWriter layer(writer, "households");
    const std::uint32_t key = layer.key("code");
    const mvt::Tag no_value[] = {{key, 0}};
    EXPECT_THROW(layer.add_tagged_point(1, {0, 0}, no_value), std::out_of_range);
    const mvt::Tag no_key[] = {{key + 1, layer.value(true)}};
    EXPECT_THROW(layer.add_tagged_point(1, {0, 0}, no_key), std::out_of_range);
}

TEST(WebMercator, TheSeriesNearAReferenceMatchesTheProjection) {
    // Every reference the series serves, every latitude within its reach of it.
    double worst = 0.0;
    for (double lat0 = -diachi::WorldYNear::max_reference_deg; lat0 <= diachi::WorldYNear::max_reference_deg;
         lat0 += 0.25) {
        const diachi::WorldYNear near(lat0);
        for (double d = -diachi::WorldYNear::max_distance_deg; d <= diachi::WorldYNear::max_distance_deg;
             d += diachi::WorldYNear::max_distance_deg / 50) {
            worst = std::max(worst, std::abs(near(lat0 + d) - diachi::world_y(lat0 + d)));
        }
    }
    EXPECT_LT(worst, 1e-15);
    // Beyond its reach it drifts (a check that the test can fail): 1 degree away at 60 degrees.
    const diachi::WorldYNear far(60.0);
    EXPECT_GT(std::abs(far(61.0) - diachi::world_y(61.0)), 1e-12);
}
