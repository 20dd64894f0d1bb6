// The tile cache: registering, moving and retiring households drops exactly the cached tiles
// whose content they change (no cached tile is ever stale, and at the detail zooms no tile is
// dropped that did not change), the byte bound, and renders that race a change.

#include <map>
#include <random>

#include <gtest/gtest.h>

#include <diachi/store/registry.hpp>
#include <diachi/tiles/gzip.hpp>
#include <diachi/tiles/tile_cache.hpp>

#include "../sample_zones.hpp"
#include "../test_data.hpp"

using diachi::LatLngE7;
using diachi::store::Registry;
using diachi::tiles::LayerSet;
using diachi::tiles::TileCache;
using diachi::tiles::TileId;
using diachi::tiles::TileRenderer;

namespace {

class TileCacheTest : public ::testing::Test {
protected:
    void SetUp() override {
        registry = std::make_unique<Registry>(dir / "store");
        registry->import_zones(diachi::test::grid_zones(4, 5), {{"Tỉnh Mẫu", {43}}});
        std::mt19937_64 random(11);
        std::normal_distribution<double> spread(0.0, 0.001);
        std::vector<diachi::store::Registration> batch(300);
        for (auto& r : batch) {
            r.location = LatLngE7::from_degrees(center_lat + spread(random),
                                                center_lng + spread(random)).value();
            r.source = "test";
        }
        std::vector<diachi::Result<diachi::store::Registered>> out;
        registry->register_households(batch, &out);
        renderer = std::make_unique<TileRenderer>(*registry);
        cache = std::make_unique<TileCache>(*renderer);
    }

    /// Every tile around the centre at zooms 8..20 (a 3 x 3 block at each zoom and layer set),
    /// cached, with its content.
    std::map<std::tuple<std::uint32_t, std::uint32_t, std::uint32_t, std::uint32_t>, std::string>
    fill() {
        std::map<std::tuple<std::uint32_t, std::uint32_t, std::uint32_t, std::uint32_t>,
                 std::string>
            content;
        for (const LayerSet layers : {LayerSet::parse("households"), LayerSet::parse("households,grid"),
                                      LayerSet::parse("communes")}) {
            for (std::uint32_t z = 8; z <= 20; ++z) {
                const TileId c = diachi::tiles::tile_at(z, center_lat, center_lng);
                for (std::uint32_t x = c.x - 1; x <= c.x + 1; ++x) {
                    for (std::uint32_t y = c.y - 1; y <= c.y + 1; ++y) {
                        const auto tile = cache->get(TileId{z, x, y}, layers);
                        content[{layers.bits(), z, x, y}] = tile->etag;
                    }
                }
            }
        }
        return content;
    }

    /// Checks every tile of @p before against a fresh render: a tile still cached must be
    /// current; at zoom 14 and above, a dropped tile must have changed. Returns tiles dropped.
    std::size_t expect_exact(
        const std::map<std::tuple<std::uint32_t, std::uint32_t, std::uint32_t, std::uint32_t>,
                       std::string>& before) {
        std::size_t dropped = 0;
        for (const auto& [key, etag] : before) {
            const auto [bits, z, x, y] = key;
            LayerSet layers;
            for (const auto layer : diachi::tiles::all_layers) {
                if ((bits >> static_cast<unsigned>(layer) & 1U) != 0) {
                    layers.add(layer);
                }
            }
            const TileId tile{z, x, y};
            std::string raw;
            const auto stats = renderer->render(tile, layers, &raw);
            const auto fresh = diachi::tiles::make_cached_tile(raw, stats.cluster_cell);
            const auto cached = cache->find(tile, layers);
            const std::string where = layers.to_string() + " " + diachi::tiles::to_string(tile);
            if (cached) {
                EXPECT_EQ(cached->etag, fresh.etag) << "stale tile kept: " << where;
            } else {
                ++dropped;
                EXPECT_TRUE(layers.contains(diachi::tiles::Layer::households)) << where;
                if (z >= 14) {
                    EXPECT_NE(etag, fresh.etag) << "unchanged tile dropped: " << where;
                }
            }
        }
        return dropped;
    }

    static constexpr double center_lat = 20.25;
    static constexpr double center_lng = 105.9;
    diachi::test::TempDir dir;
    std::unique_ptr<Registry> registry;
    std::unique_ptr<TileRenderer> renderer;
    std::unique_ptr<TileCache> cache;
};

TEST_F(TileCacheTest, HitsAfterTheFirstRender) {
    const TileId tile = diachi::tiles::tile_at(15, center_lat, center_lng);
    bool rendered = false;
    const auto first = cache->get(tile, LayerSet::all(), &rendered);
    EXPECT_TRUE(rendered);
    const auto second = cache->get(tile, LayerSet::all(), &rendered);
    EXPECT_FALSE(rendered);
    EXPECT_EQ(first.get(), second.get());
    EXPECT_FALSE(first->empty());
    EXPECT_EQ(diachi::tiles::gunzip(first->gzipped).size(), first->raw_bytes);
    EXPECT_EQ(cache->stats().hits, 1U);
}

TEST_F(TileCacheTest, RegisterDropsExactlyTheTilesThatChange) {
    const auto before = fill();
    // A new household at the edge of the centre tile at zoom 17 (inside its neighbour's buffer).
    const TileId c17 = diachi::tiles::tile_at(17, center_lat, center_lng);
    const auto box = diachi::tiles::bounds_deg(c17);
    diachi::store::Registration r;
    r.location = LatLngE7::from_degrees(center_lat, box.east_deg - 1e-6).value();
    r.source = "test";
    ASSERT_TRUE(registry->register_household(r));
    const std::size_t dropped = expect_exact(before);
    // At each zoom 8..20 one tile or more, for the two layer sets with households.
    EXPECT_GE(dropped, 2U * 13U);
    EXPECT_EQ(cache->stats().invalidated, dropped);
}

TEST_F(TileCacheTest, MoveAndRetireDropBothPlaces) {
    diachi::store::Registration r;
    r.location = LatLngE7::from_degrees(center_lat + 0.0005, center_lng + 0.0005).value();
    r.source = "test";
    const auto registered = registry->register_household(r);
    ASSERT_TRUE(registered);
    const auto before = fill();
    const auto moved = registry->move(registered->household.id,
                                      LatLngE7::from_degrees(center_lat - 0.0007, center_lng - 0.0004).value(),
                                      "test");
    ASSERT_TRUE(moved);
    expect_exact(before);

    const auto again = fill();
    ASSERT_TRUE(registry->retire(registered->household.id, "test", "demolished"));
    EXPECT_GT(expect_exact(again), 0U);
}

TEST_F(TileCacheTest, RefusesARenderThatStartedBeforeAChange) {
    const TileId tile = diachi::tiles::tile_at(16, center_lat, center_lng);
    const std::uint64_t started = cache->generation();
    std::string raw;
    renderer->render(tile, LayerSet::all(), &raw);
    diachi::store::Registration r;
    r.location = LatLngE7::from_degrees(center_lat, center_lng).value();
    r.source = "test";
    ASSERT_TRUE(registry->register_household(r));
    EXPECT_FALSE(cache->put(tile, LayerSet::all(),
                            std::make_shared<const diachi::tiles::CachedTile>(
                                diachi::tiles::make_cached_tile(raw, 0)),
                            started));
    EXPECT_EQ(cache->find(tile, LayerSet::all()), nullptr);
}

TEST_F(TileCacheTest, StaysWithinItsBytes) {
    TileCache small(*renderer, diachi::tiles::TileCacheOptions{64 * 1024});
    const TileId c = diachi::tiles::tile_at(18, center_lat, center_lng);
    for (std::uint32_t dx = 0; dx < 20; ++dx) {
        for (std::uint32_t dy = 0; dy < 20; ++dy) {
            (void)small.get(TileId{18, c.x - 10 + dx, c.y - 10 + dy}, LayerSet::all());
            ASSERT_LE(small.stats().bytes, 64U * 1024U);
        }
    }
    EXPECT_GT(small.stats().evicted, 0U);
}

}  // namespace
