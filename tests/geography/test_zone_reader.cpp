// Reading zones from vector files: fields named by options, any CRS, clear errors naming the
// path and feature.

#include <fstream>

#include <gtest/gtest.h>

#include <diachi/geography/transform.hpp>
#include <diachi/geography/zone_index.hpp>
#include <diachi/geography/zone_reader.hpp>

#include "../sample_zones.hpp"

using diachi::geography::read_zones;
using diachi::geography::ZoneReadOptions;

namespace {

void write(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

std::string square_feature(const std::string& id, const std::string& postcode, double x0, double y0,
                           double size) {
    const auto n = [](double v) { return std::to_string(v); };
    return R"({"type":"Feature","properties":{"ma":")" + id + R"(","ten":"Xã )" + id +
           R"(","tinh":"T1","bd":")" + postcode + R"("},"geometry":{"type":"Polygon",)" +
           R"("coordinates":[[[)" + n(x0) + "," + n(y0) + "],[" + n(x0 + size) + "," + n(y0) +
           "],[" + n(x0 + size) + "," + n(y0 + size) + "],[" + n(x0) + "," + n(y0 + size) + "],[" +
           n(x0) + "," + n(y0) + "]]]}}";
}

}  // namespace

TEST(ZoneReader, FieldsAreMappedAndProjectedZonesReachWgs84) {
    const diachi::test::TempDir dir;
    // Two zones in VN-2000 / UTM 48N (EPSG:3405), 2 km squares near Hoàn Kiếm.
    const diachi::geography::Transform utm("EPSG:3405");
    const auto origin = utm.from_wgs84({21.02, 105.84}).value();
    const std::string text =
        R"({"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::3405"}},"features":[)" +
        square_feature("A", "11001", origin.x, origin.y, 2000) + "," +
        square_feature("B", "11002", origin.x + 2000, origin.y, 2000) + "]}";
    write(dir / "zones.geojson", text);
    ZoneReadOptions options;
    options.id_field = "ma";
    options.name_field = "ten";
    options.parent_id_field = "tinh";
    options.parent_name_field = "";
    options.postcode_field = "bd";
    options.valid_from = "2026-01-01";
    auto zones = read_zones(dir / "zones.geojson", options);
    ASSERT_EQ(zones.size(), 2U);
    EXPECT_EQ(zones[0].zone.id, "A");
    EXPECT_EQ(zones[0].zone.name, "Xã A");
    EXPECT_EQ(zones[0].zone.postcode, 11001U);
    EXPECT_EQ(zones[1].zone.valid_from, "2026-01-01");
    const diachi::geography::ZoneIndex index(std::move(zones));
    // 1 km east and north of the origin lies in A; the origin itself (converted) is A's corner.
    const auto inside_a = utm.to_wgs84({origin.x + 1000, origin.y + 1000}).value();
    const auto hit =
        index.locate(diachi::LatLngE7::from_degrees(inside_a.lat_deg, inside_a.lng_deg).value());
    ASSERT_TRUE(hit);
    EXPECT_EQ(index.zone(hit->zone).id, "A");
    const auto inside_b = utm.to_wgs84({origin.x + 3000, origin.y + 1000}).value();
    const auto hit_b =
        index.locate(diachi::LatLngE7::from_degrees(inside_b.lat_deg, inside_b.lng_deg).value());
    ASSERT_TRUE(hit_b);
    EXPECT_EQ(index.zone(hit_b->zone).id, "B");
}

TEST(ZoneReader, ErrorsNameThePathAndFeature) {
    const diachi::test::TempDir dir;
    const auto message_of = [](const std::function<void()>& f) {
        try {
            f();
        } catch (const std::runtime_error& e) {
            return std::string(e.what());
        }
        return std::string("no exception");
    };
    const std::string missing = dir / "missing.geojson";
    EXPECT_NE(message_of([&] { (void)read_zones(missing); }).find(missing), std::string::npos);

    write(dir / "broken.geojson", R"({"type":"FeatureCollection","features":[{"type":)");
    EXPECT_NE(message_of([&] { (void)read_zones(dir / "broken.geojson"); }).find("broken.geojson"),
              std::string::npos);

    const std::string two = R"({"type":"FeatureCollection","features":[)" +
                            square_feature("A", "11001", 105.8, 21.0, 0.01) + "," +
                            square_feature("B", "1100x", 105.81, 21.0, 0.01) + "]}";
    write(dir / "zones.geojson", two);
    ZoneReadOptions options;
    options.id_field = "ma";
    options.name_field = "ten";
    options.parent_id_field = "";
    options.parent_name_field = "";
    options.postcode_field = "bd";
    const auto bad_postcode = message_of([&] { (void)read_zones(dir / "zones.geojson", options); });
    EXPECT_NE(bad_postcode.find("feature 2"), std::string::npos) << bad_postcode;
    EXPECT_NE(bad_postcode.find("1100x"), std::string::npos) << bad_postcode;

    options.postcode_field = "";
    options.id_field = "code";
    const auto no_field = message_of([&] { (void)read_zones(dir / "zones.geojson", options); });
    EXPECT_NE(no_field.find("no field 'code'"), std::string::npos) << no_field;
    EXPECT_NE(no_field.find("ma"), std::string::npos) << no_field;

    write(
        dir / "points.geojson",
        R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"A"},"geometry":{"type":"Point","coordinates":[105.8,21.0]}}]})");
    ZoneReadOptions plain;
    plain.name_field = plain.parent_id_field = plain.parent_name_field = "";
    const auto point = message_of([&] { (void)read_zones(dir / "points.geojson", plain); });
    EXPECT_NE(point.find("expected a Polygon"), std::string::npos) << point;
}

TEST(ZoneReader, PostcodeAndPrefixTables) {
    const diachi::test::TempDir dir;
    write(dir / "postcodes.csv", "commune_code_gso,postcode\n00004,11120\n00008,11119\n");
    const auto table = diachi::geography::read_postcode_table(dir / "postcodes.csv");
    ASSERT_EQ(table.size(), 2U);
    EXPECT_EQ(table.at("00004"), 11120U);
    write(dir / "bad.csv", "commune_code_gso,postcode\n00004,11120\n00008,1111\n");
    try {
        (void)diachi::geography::read_postcode_table(dir / "bad.csv");
        FAIL() << "no exception";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("line 3"), std::string::npos) << e.what();
    }
    write(dir / "prefixes.tsv", "province\tprefixes\nBắc Ninh\t16 26\nCao Bằng\t21\n");
    const auto prefixes = diachi::geography::read_prefix_table(dir / "prefixes.tsv");
    ASSERT_EQ(prefixes.size(), 2U);
    EXPECT_EQ(prefixes[0].province, "Bắc Ninh");
    EXPECT_EQ(prefixes[0].prefixes, (std::vector<std::uint8_t>{16, 26}));
}
