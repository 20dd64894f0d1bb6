#ifndef DIACHI_TESTS_TILES_TILE_READERS_HPP
#define DIACHI_TESTS_TILES_TILE_READERS_HPP

// Every tile a test produces goes through expect_readable(): diachi's own checker (every rule
// of the specification), and GDAL's MVT driver (OGR API), an independent reader whose features
// must equal what was written.

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include <gdal.h>
#include <ogr_api.h>
#include <gtest/gtest.h>

#include <diachi/tiles/mvt_reader.hpp>

namespace diachi::test {

inline std::string value_text(const tiles::mvt::DecodedValue& v) {
    return std::visit(
        [](const auto& x) -> std::string {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, std::string>) {
                return x;
            } else if constexpr (std::is_same_v<T, bool>) {
                return x ? "1" : "0";
            } else {
                return std::to_string(x);
            }
        },
        v);
}

/// Checks @p mvt with diachi's checker and with GDAL, comparing GDAL's features with the
/// decoded ones (count, id, every property, number of vertices).
inline void expect_readable(const std::string& mvt, const std::filesystem::path& scratch,
                            const std::string& what) {
    const auto problems = tiles::mvt::check(mvt);
    EXPECT_TRUE(problems.empty()) << what << ": " << problems.front();
    if (mvt.empty()) {
        return;
    }
    const tiles::mvt::DecodedTile decoded = tiles::mvt::decode(mvt);
    const std::string path = (scratch / "gdal-check.mvt").string();
    std::ofstream(path, std::ios::binary) << mvt;
    GDALAllRegister();
    const char* drivers[] = {"MVT", nullptr};
    const char* options[] = {"CLIP=NO", nullptr};
    GDALDatasetH ds = GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers,
                                 options, nullptr);
    ASSERT_NE(ds, nullptr) << what << ": GDAL cannot open the tile";
    for (const auto& layer : decoded.layers) {
        OGRLayerH l = GDALDatasetGetLayerByName(ds, layer.name.c_str());
        ASSERT_NE(l, nullptr) << what << ": GDAL has no layer " << layer.name;
        std::map<std::uint64_t, const tiles::mvt::DecodedFeature*> by_id;
        for (const auto& f : layer.features) {
            by_id[*f.id] = &f;
        }
        OGR_L_ResetReading(l);
        std::size_t count = 0;
        while (OGRFeatureH f = OGR_L_GetNextFeature(l)) {
            ++count;
            // GDAL keeps the MVT id in the field "mvt_id" (its FIDs count features).
            const int id_field = OGR_F_GetFieldIndex(f, "mvt_id");
            const auto id = static_cast<std::uint64_t>(
                id_field >= 0 ? OGR_F_GetFieldAsInteger64(f, id_field) : OGR_F_GetFID(f));
            const auto it = by_id.find(id);
            if (it == by_id.end()) {
                ADD_FAILURE() << what << ": GDAL reads feature " << id << " in "
                              << layer.name << " that was not written";
                OGR_F_Destroy(f);
                continue;
            }
            for (const auto& [key, value] : it->second->properties) {
                const int field = OGR_F_GetFieldIndex(f, key.c_str());
                EXPECT_GE(field, 0) << what << ": GDAL misses field " << key;
                if (field >= 0) {
                    const std::string got = OGR_F_GetFieldAsString(f, field);
                    const std::string want = value_text(value);
                    if (std::holds_alternative<double>(value)) {
                        EXPECT_NEAR(std::stod(got), std::get<double>(value), 1e-9);
                    } else {
                        EXPECT_EQ(got, want) << what << ": " << layer.name << " feature " << id
                                             << " field " << key;
                    }
                }
            }
            std::size_t written_points = 0;
            for (const auto& part : it->second->geometry) {
                written_points += part.size();
            }
            // GDAL closes polygon rings: one more point per ring.
            if (it->second->type == tiles::mvt::GeomType::polygon) {
                written_points += it->second->geometry.size();
            }
            OGRGeometryH g = OGR_F_GetGeometryRef(f);
            EXPECT_NE(g, nullptr);
            if (g != nullptr) {
                std::size_t points = 0;
                bool first = true;
                const std::function<void(OGRGeometryH)> walk = [&](OGRGeometryH h) {
                    const int parts = OGR_G_GetGeometryCount(h);
                    if (parts == 0) {
                        points += static_cast<std::size_t>(OGR_G_GetPointCount(h));
                        if (first && OGR_G_GetPointCount(h) > 0) {
                            // Without georeferencing GDAL reports y up: extent - y.
                            const tiles::mvt::Point want = it->second->geometry.at(0).at(0);
                            EXPECT_EQ(OGR_G_GetX(h, 0), want.x) << what << ": " << layer.name;
                            EXPECT_EQ(OGR_G_GetY(h, 0), double(layer.extent) - want.y)
                                << what << ": " << layer.name;
                            first = false;
                        }
                    }
                    for (int i = 0; i < parts; ++i) {
                        walk(OGR_G_GetGeometryRef(h, i));
                    }
                };
                walk(g);
                EXPECT_EQ(points, written_points)
                    << what << ": " << layer.name << " feature " << id;
            }
            OGR_F_Destroy(f);
        }
        EXPECT_EQ(count, layer.features.size()) << what << ": layer " << layer.name;
    }
    GDALClose(ds);
}

}  // namespace diachi::test

#endif  // DIACHI_TESTS_TILES_TILE_READERS_HPP
