// Bulk imports: every row gets a code or an error naming its line; good rows are all kept;
// re-running adds nothing; VN-2000 coordinates and GeoJSON points; missing fields are named.

#include <fstream>

#include <gtest/gtest.h>

#include <diachi/geography/transform.hpp>
#include <diachi/store/importer.hpp>

#include "../sample_zones.hpp"

using diachi::store::import_households;
using diachi::store::ImportOptions;
using diachi::store::Registry;

namespace {

class ImporterTest : public ::testing::Test {
protected:
    void SetUp() override {
        registry = std::make_unique<Registry>(dir / "store");
        registry->import_zones(diachi::test::grid_zones(4, 5));
    }
    void write(const std::string& name, const std::string& text) {
        std::ofstream(dir / name) << text;
    }

    diachi::test::TempDir dir;
    std::unique_ptr<Registry> registry;
};

}  // namespace

TEST_F(ImporterTest, GoodRowsAreKeptAndBadRowsNamed) {
    write("households.csv",
          "id,lat,lng,house_number,street,hamlet,phone\n"
          "A1,20.2251234,105.8751234,5,,Thôn Liên Trì 2,0912000001\n"
          "A2,20.22x,105.87,6,,Thôn Liên Trì 2,\n"
          "A3,20.2351234,105.8851234,\"7/2\",\"Ngõ 4, Phố Huế\",Xóm Đông,\n"
          "A4,20.24,,8,,,\n"
          "A5,10.0,100.0,9,,,\n"
          "A6,20.2351234,105.8851234,10,,Xóm Đông,\n");
    std::vector<diachi::store::ImportProgress> progress;
    ImportOptions options;
    options.batch_size = 2;
    const auto summary = import_households(*registry, dir / "households.csv", options,
                                           [&](const auto& p) { progress.push_back(p); });
    EXPECT_EQ(summary.counts.rows, 6U);
    EXPECT_EQ(summary.counts.created, 3U);
    EXPECT_EQ(summary.counts.failed, 3U);
    ASSERT_EQ(summary.errors.size(), 3U);
    EXPECT_EQ(summary.errors[0].row, 2U);
    EXPECT_NE(summary.errors[0].message.find("line 3"), std::string::npos)
        << summary.errors[0].message;
    EXPECT_NE(summary.errors[0].message.find("malformed number"), std::string::npos);
    EXPECT_NE(summary.errors[1].message.find("line 5"), std::string::npos);
    EXPECT_NE(summary.errors[2].message.find("line 6"), std::string::npos);
    EXPECT_NE(summary.errors[2].message.find("outside every zone"), std::string::npos);
    ASSERT_FALSE(progress.empty());
    EXPECT_EQ(progress.back().rows, 6U);

    const auto a3 = registry->find_external("import:households.csv", "A3").value();
    EXPECT_EQ(a3.address.house_number, "7/2");
    EXPECT_EQ(a3.address.street, "Ngõ 4, Phố Huế");
    EXPECT_EQ(a3.location, diachi::LatLngE7::from_decimal("20.2351234", "105.8851234").value());
    const auto a6 = registry->find_external("import:households.csv", "A6").value();
    EXPECT_EQ(a6.code, a3.code.with_unit(2));
    EXPECT_EQ(registry->get(a3.id, diachi::store::Access::staff)->personal, std::nullopt);
    const auto a1 =
        registry->find_external("import:households.csv", "A1", diachi::store::Access::staff);
    ASSERT_TRUE(a1->personal);
    EXPECT_EQ(a1->personal->phone, "0912000001");

    // The same file again: nothing new.
    const auto again = import_households(*registry, dir / "households.csv", options);
    EXPECT_EQ(again.counts.created, 0U);
    EXPECT_EQ(again.counts.existing, 3U);
    EXPECT_EQ(registry->household_count(), 3U);
}

TEST_F(ImporterTest, Vn2000CoordinatesAndGeoJsonPoints) {
    const diachi::geography::Transform tm3("VN2000-TM3:105.0");
    const auto p = tm3.from_wgs84({20.2251234, 105.8751234}).value();
    write("cadastre.csv",
          "so_thua,x,y\n12," + std::to_string(p.x) + "," + std::to_string(p.y) + "\n");
    ImportOptions options;
    options.lat_field = "y";
    options.lng_field = "x";
    options.id_field = "so_thua";
    options.crs = "VN2000-TM3:105.0";
    const auto summary = import_households(*registry, dir / "cadastre.csv", options);
    ASSERT_EQ(summary.counts.created, 1U)
        << (summary.errors.empty() ? "" : summary.errors[0].message);
    const auto h = registry->find_external("import:cadastre.csv", "12").value();
    EXPECT_LT(diachi::distance_m(h.location,
                                 diachi::LatLngE7::from_degrees(20.2251234, 105.8751234).value()),
              0.02);

    write(
        "points.geojson",
        R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"P1","hamlet":"Bản Pác Bó"},"geometry":{"type":"Point","coordinates":[105.9012345,20.3012345]}},{"type":"Feature","properties":{"id":"P2"},"geometry":{"type":"LineString","coordinates":[[105.9,20.3],[105.91,20.31]]}}]})");
    const auto geojson = import_households(*registry, dir / "points.geojson");
    EXPECT_EQ(geojson.counts.created, 1U);
    ASSERT_EQ(geojson.errors.size(), 1U);
    EXPECT_NE(geojson.errors[0].message.find("row 2"), std::string::npos);
    EXPECT_NE(geojson.errors[0].message.find("Point"), std::string::npos);
    EXPECT_EQ(registry->find_external("import:points.geojson", "P1")->address.hamlet, "Bản Pác Bó");
}

TEST_F(ImporterTest, MissingFieldsAndFilesAreNamed) {
    write("households.csv", "id,lat,lng\nA,20.22,105.87\n");
    ImportOptions options;
    options.hamlet_field = "thon";
    try {
        (void)import_households(*registry, dir / "households.csv", options);
        FAIL() << "no exception";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("no field 'thon'"), std::string::npos) << e.what();
    }
    EXPECT_THROW((void)import_households(*registry, dir / "absent.csv"), std::runtime_error);
    write("nocoords.csv", "id,name\nA,x\n");
    const auto summary = import_households(*registry, dir / "nocoords.csv");
    EXPECT_EQ(summary.counts.failed, 1U);
}
