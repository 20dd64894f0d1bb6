// Point -> zone: exact against a brute-force scan of every polygon, on generated zones and on
// the real 3,321 communes; the edge tolerance near coasts and borders; bad outlines.

#include <random>

#include <gtest/gtest.h>

#include <diachi/geography/zone_index.hpp>
#include <diachi/geography/zone_reader.hpp>

#include "../sample_zones.hpp"
#include "../test_data.hpp"

using diachi::ErrorCode;
using diachi::LatLngE7;
using diachi::geography::ZoneIndex;

namespace {

LatLngE7 at(double lat, double lng) { return LatLngE7::from_degrees(lat, lng).value(); }

/// The first zone (in index order) covering @p p, or -1: what locate() must agree with.
int brute_force(const ZoneIndex& index, LatLngE7 p) {
    for (std::uint32_t z = 0; z < index.size(); ++z) {
        if (index.covers(z, p)) {
            return static_cast<int>(z);
        }
    }
    return -1;
}

void expect_exact(const ZoneIndex& index, double south, double west, double north, double east,
                  int samples) {
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> lat(south, north);
    std::uniform_real_distribution<double> lng(west, east);
    int inside = 0;
    for (int i = 0; i < samples; ++i) {
        const LatLngE7 p = at(lat(rng), lng(rng));
        const int expected = brute_force(index, p);
        const auto hit = index.locate(p);
        if (expected >= 0) {
            ASSERT_TRUE(hit) << p.lat_deg() << "," << p.lng_deg();
            ASSERT_TRUE(hit->inside) << p.lat_deg() << "," << p.lng_deg();
            ASSERT_EQ(static_cast<int>(hit->zone), expected) << p.lat_deg() << "," << p.lng_deg();
            ++inside;
        } else if (hit) {
            ASSERT_FALSE(hit->inside);
            ASSERT_LE(hit->distance_m, index.options().edge_tolerance_m);
        }
    }
    EXPECT_GT(inside, samples / 10);
}

}  // namespace

TEST(ZoneIndex, GeneratedGridIsExact) {
    const ZoneIndex index(diachi::test::grid_zones(4, 5));
    ASSERT_EQ(index.size(), 20U);
    expect_exact(index, 20.1, 105.7, 20.5, 106.15, 20000);
    const auto hit = index.locate(at(20.225, 105.875));  // row 0, column 1
    ASSERT_TRUE(hit);
    EXPECT_EQ(index.zone(hit->zone).id, "Z0-1");
    EXPECT_EQ(index.zone(hit->zone).postcode, 43002U);
    ASSERT_EQ(index.with_postcode(43002).size(), 1U);
    EXPECT_EQ(index.find("Z0-1"), hit->zone);
    for (std::uint32_t z = 0; z < index.size(); ++z) {
        EXPECT_EQ(index.find(index.zone(z).id), z) << index.zone(z).id;
    }
    EXPECT_FALSE(index.find("Z0-10"));
    EXPECT_FALSE(index.find("Z0-"));
    EXPECT_FALSE(index.find(""));
    EXPECT_TRUE(index.covers(hit->zone, index.interior_point(hit->zone)));
}

TEST(ZoneIndex, SharedBorderGoesToTheFirstZone) {
    const ZoneIndex index(diachi::test::grid_zones(1, 2));
    // The border between Z0-0 and Z0-1 is the meridian 105.85.
    const auto hit = index.locate(at(20.22, 105.85));
    ASSERT_TRUE(hit);
    EXPECT_TRUE(hit->inside);
    EXPECT_EQ(index.zone(hit->zone).id, "Z0-0");
}

TEST(ZoneIndex, PointsJustOutsideAreKeptWithTheirDistance) {
    const ZoneIndex index(diachi::test::grid_zones(2, 2));  // 20.2..20.3 N, 105.8..105.9 E
    // 20 m south of the southern edge of Z0-0: outside, within the 50 m tolerance.
    const double twenty_m = 20.0 / 111'195.0;
    const auto near = index.locate(at(20.2 - twenty_m, 105.82));
    ASSERT_TRUE(near);
    EXPECT_FALSE(near->inside);
    EXPECT_EQ(index.zone(near->zone).id, "Z0-0");
    EXPECT_NEAR(near->distance_m, 20.0, 0.5);
    // 1 km out: outside every zone.
    const auto far = index.locate(at(20.2 - 50 * twenty_m, 105.82));
    ASSERT_FALSE(far);
    EXPECT_EQ(far.error().code, ErrorCode::outside_zones);
    // With no tolerance, 20 m out is outside too.
    const ZoneIndex strict(diachi::test::grid_zones(2, 2), {.edge_tolerance_m = 0.0});
    EXPECT_FALSE(strict.locate(at(20.2 - twenty_m, 105.82)));
    EXPECT_FALSE(index.locate(at(-45.0, 10.0)));
}

TEST(ZoneIndex, BadOutlinesAreNamed) {
    auto zones = diachi::test::grid_zones(1, 2);
    zones[1].wkb = "not wkb";
    try {
        const ZoneIndex index(std::move(zones));
        FAIL() << "no exception";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("Z0-1"), std::string::npos) << e.what();
    }
    auto twins = diachi::test::grid_zones(1, 2);
    twins[1].zone.id = twins[0].zone.id;
    try {
        const ZoneIndex index(std::move(twins));
        FAIL() << "no exception";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("'Z0-0': duplicate id"), std::string::npos)
            << e.what();
    }
    EXPECT_THROW(ZoneIndex(diachi::test::grid_zones(1, 1), {.edge_tolerance_m = 1000.0}),
                 std::invalid_argument);
}

class NationalZones : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        const auto wards =
            diachi::test::data_file("boundaries/wards_3321_simplified25m_v4.2.0.geojson");
        const auto postcodes = diachi::test::data_file("postcodes/postcodes_by_commune_2025.csv");
        if (!wards || !postcodes) {
            return;
        }
        auto zones = diachi::geography::read_zones(wards->string());
        const auto table = diachi::geography::read_postcode_table(postcodes->string());
        joined = diachi::geography::join_postcodes(table, &zones);
        index = std::make_unique<ZoneIndex>(std::move(zones));
    }
    static void TearDownTestSuite() { index.reset(); }
    void SetUp() override {
        if (!index) {
            GTEST_SKIP() << "../shared/data boundaries or postcodes are absent";
        }
    }
    static inline std::unique_ptr<ZoneIndex> index;
    static inline std::size_t joined = 0;
};

TEST_F(NationalZones, EveryCommuneHasItsPostcode) {
    EXPECT_EQ(index->size(), 3321U);
    EXPECT_EQ(joined, 3321U);
    for (std::uint32_t z = 0; z < index->size(); ++z) {
        ASSERT_EQ(index->find(index->zone(z).id), z) << index->zone(z).id;
    }
}

TEST_F(NationalZones, ReferencePointsFallInTheirCommunes) {
    const auto file = diachi::test::data_file("crs/olc_and_commune_test_vectors.csv");
    ASSERT_TRUE(file);
    const auto rows = diachi::test::read_csv(*file);
    for (std::size_t i = 1; i < rows.size(); ++i) {
        const auto& f = rows[i].fields;
        SCOPED_TRACE(f[0]);
        const auto p = LatLngE7::from_decimal(f[1], f[2]);
        ASSERT_TRUE(p);
        const auto hit = index->locate(*p);
        ASSERT_TRUE(hit);
        EXPECT_TRUE(hit->inside);
        EXPECT_EQ(index->zone(hit->zone).id, f[3]);
        EXPECT_EQ(index->zone(hit->zone).parent_id, f[5]);
        EXPECT_EQ(index->zone(hit->zone).postcode, static_cast<std::uint32_t>(std::stoul(f[6])));
    }
}

TEST_F(NationalZones, RandomPointsAgreeWithBruteForce) {
    // Around the Red River delta, where communes are small and borders dense.
    expect_exact(*index, 20.0, 105.3, 21.4, 106.9, 3000);
}

TEST_F(NationalZones, SeaIsOutside) {
    const auto sea = index->locate(at(17.0, 110.0));  // between the coast and Hoàng Sa
    ASSERT_FALSE(sea);
    EXPECT_EQ(sea.error().code, ErrorCode::outside_zones);
}
