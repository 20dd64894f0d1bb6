#ifndef DIACHI_TESTS_SAMPLE_ZONES_HPP
#define DIACHI_TESTS_SAMPLE_ZONES_HPP

// Zones made by the tests themselves (no reference data needed): a grid of square communes as
// WKB polygons, and a fresh temporary directory per store test.

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include <diachi/geography/zone.hpp>

namespace diachi::test {

/// WKB (little endian) of a polygon with one ring of (lng, lat) points, closed by the caller.
inline std::string polygon_wkb(const std::vector<std::pair<double, double>>& ring) {
    std::string wkb;
    const auto put_u32 = [&](std::uint32_t v) { wkb.append(reinterpret_cast<const char*>(&v), 4); };
    const auto put_f64 = [&](double v) { wkb.append(reinterpret_cast<const char*>(&v), 8); };
    wkb.push_back(1);  // little endian
    put_u32(3);        // Polygon
    put_u32(1);        // one ring
    put_u32(static_cast<std::uint32_t>(ring.size()));
    for (const auto& [lng, lat] : ring) {
        put_f64(lng);
        put_f64(lat);
    }
    return wkb;
}

/// A rows x cols grid of square zones of @p size_deg from (south, west): ids "Z<r>-<c>",
/// postcodes 43001.. in row-major order, parent "P1" / "Tỉnh Mẫu".
inline std::vector<geography::ZoneFeature> grid_zones(int rows, int cols, double south = 20.2,
                                                      double west = 105.8, double size_deg = 0.05) {
    std::vector<geography::ZoneFeature> zones;
    for (int r = 0; r < rows; ++r) {
        for (int c = 0; c < cols; ++c) {
            const double s = south + r * size_deg;
            const double w = west + c * size_deg;
            geography::ZoneFeature f;
            f.zone.id = "Z" + std::to_string(r) + "-" + std::to_string(c);
            f.zone.name = "Xã Mẫu " + std::to_string(r * cols + c + 1);
            f.zone.parent_id = "P1";
            f.zone.parent_name = "Tỉnh Mẫu";
            f.zone.postcode = static_cast<std::uint32_t>(43001 + r * cols + c);
            f.zone.valid_from = "2025-07-01";
            f.wkb = polygon_wkb({{w, s},
                                 {w + size_deg, s},
                                 {w + size_deg, s + size_deg},
                                 {w, s + size_deg},
                                 {w, s}});
            zones.push_back(std::move(f));
        }
    }
    return zones;
}

/// A directory removed with everything in it when the object goes.
class TempDir {
public:
    TempDir() {
        std::random_device device;
        m_path = std::filesystem::temp_directory_path() /
                 ("diachi-test-" + std::to_string(device()) + "-" + std::to_string(device()));
        std::filesystem::create_directories(m_path);
    }
    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(m_path, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    [[nodiscard]] const std::filesystem::path& path() const { return m_path; }
    [[nodiscard]] std::string operator/(const std::string& name) const {
        return (m_path / name).string();
    }

private:
    std::filesystem::path m_path;
};

}  // namespace diachi::test

#endif  // DIACHI_TESTS_SAMPLE_ZONES_HPP
