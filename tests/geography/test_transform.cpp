// VN-2000 (geographic, TM-3 with per-province central meridians, UTM 48N/49N) to WGS 84 and
// back, against the PROJ 9.1.1 vectors of ../shared/data/crs, within 1 mm.

#include <cmath>

#include <gtest/gtest.h>

#include <diachi/geography/transform.hpp>
#include <diachi/lat_lng.hpp>

#include "../test_data.hpp"

using diachi::geography::LatLngDeg;
using diachi::geography::SourcePoint;
using diachi::geography::Transform;

namespace {

constexpr double tolerance_m = 0.001;

/// Planar distance in metres between two WGS 84 points a few millimetres apart.
double gap_m(LatLngDeg a, double lat, double lng) {
    return diachi::distance_m(a.lat_deg, a.lng_deg, lat, lng);
}

}  // namespace

TEST(Transform, Vn2000VectorsReachWgs84WithinOneMillimetre) {
    const auto file = diachi::test::data_file("crs/vn2000_test_vectors_proj9.1.1.csv");
    if (!file) {
        GTEST_SKIP() << "../shared/data/crs/vn2000_test_vectors_proj9.1.1.csv is absent";
    }
    const auto rows = diachi::test::read_csv(*file);
    ASSERT_GT(rows.size(), 1U);
    int checked = 0;
    for (std::size_t i = 1; i < rows.size(); ++i) {
        const auto& f = rows[i].fields;
        SCOPED_TRACE(f[0]);
        const double lat = std::stod(f[2]);
        const double lng = std::stod(f[3]);
        const Transform geographic("EPSG:4756");
        const auto from_geographic = geographic.to_wgs84({std::stod(f[5]), std::stod(f[4])});
        ASSERT_TRUE(from_geographic);
        // The geographic VN-2000 column has 9 decimals (~0.1 mm).
        EXPECT_LT(gap_m(*from_geographic, lat, lng), tolerance_m);

        const Transform tm3(f[6]);
        const auto from_tm3 = tm3.to_wgs84({std::stod(f[8]), std::stod(f[9])});
        ASSERT_TRUE(from_tm3);
        EXPECT_LT(gap_m(*from_tm3, lat, lng), tolerance_m);
        // The same zone named by its central meridian.
        const Transform by_meridian("VN2000-TM3:" + f[7]);
        const auto again = by_meridian.to_wgs84({std::stod(f[8]), std::stod(f[9])});
        ASSERT_TRUE(again);
        EXPECT_LT(gap_m(*again, from_tm3->lat_deg, from_tm3->lng_deg), 1e-6);

        const Transform utm(f[10]);
        const auto from_utm = utm.to_wgs84({std::stod(f[11]), std::stod(f[12])});
        ASSERT_TRUE(from_utm);
        EXPECT_LT(gap_m(*from_utm, lat, lng), tolerance_m);

        // And back: WGS 84 -> TM-3 lands on the published easting / northing (rounded to mm).
        const auto back = tm3.from_wgs84({lat, lng});
        ASSERT_TRUE(back);
        EXPECT_LT(std::hypot(back->x - std::stod(f[8]), back->y - std::stod(f[9])), tolerance_m);
        ++checked;
    }
    EXPECT_GE(checked, 7);
}

TEST(Transform, TheHelmertShiftIsApplied) {
    // Reading VN-2000 geographic coordinates as if they were WGS 84 is off by ~200 m in Hà Nội.
    const Transform geographic("EPSG:4756");
    const auto wgs84 = geographic.to_wgs84({105.852284347, 21.029496988});
    ASSERT_TRUE(wgs84);
    const double shift =
        diachi::distance_m(wgs84->lat_deg, wgs84->lng_deg, 21.029496988, 105.852284347);
    EXPECT_GT(shift, 150.0);
    EXPECT_LT(shift, 300.0);
}

TEST(Transform, BadCrsAndBadPointsAreNamed) {
    try {
        const Transform bad("EPSG:999999");
        FAIL() << "no exception";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("EPSG:999999"), std::string::npos);
    }
    EXPECT_THROW(Transform("VN2000-TM3:101.3"), std::invalid_argument);
    EXPECT_THROW(Transform("VN2000-TM3:abc"), std::invalid_argument);
    EXPECT_EQ(diachi::geography::vn2000_tm3_crs(105.75), "EPSG:9210");
    const Transform utm("EPSG:3405");
    EXPECT_EQ(utm.to_wgs84({NAN, 1.0}).error().code, diachi::ErrorCode::not_finite);
    EXPECT_FALSE(utm.to_wgs84({1e30, 1e30}));
}
