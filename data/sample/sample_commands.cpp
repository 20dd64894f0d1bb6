// The deterministic sample generator behind `diachi sample`:
//   sample zones DIR      a small set of rectangular sample communes, their postcodes and a
//                         prefix table, for machines without the real national data;
//   sample households     villages of households inside real (or sample) commune polygons.
//
// Output depends only on the inputs and the seed: the random numbers come from splitmix64 and
// are turned into values by this file's own arithmetic (no std:: distributions, whose results
// differ between standard libraries).

#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <string>

#include <diachi/geography/zone_index.hpp>
#include <diachi/geography/zone_reader.hpp>

#include "cli.hpp"

namespace diachi::cli {
namespace {

/// splitmix64: a small, fast generator with a fixed output for a given seed.
class Random {
public:
    explicit Random(std::uint64_t seed) : m_state(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (m_state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    /// Uniform in [0, 1).
    double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    /// Uniform integer in [lo, hi].
    std::uint64_t between(std::uint64_t lo, std::uint64_t hi) {
        return lo + next() % (hi - lo + 1);
    }
    /// Roughly normal with mean 0 and deviation 1 (sum of four uniforms, rescaled).
    double normalish() { return (unit() + unit() + unit() + unit() - 2.0) * std::sqrt(3.0); }
    template <typename T, std::size_t N>
    const T& pick(const std::array<T, N>& items) {
        return items[next() % N];
    }

private:
    std::uint64_t m_state;
};

constexpr std::array<const char*, 40> place_names = {
    "Liên Trì",  "Yên Hòa",    "Đông Xá",   "Phú Mỹ",     "Tân Lập",   "Hòa Bình",   "An Phú",
    "Bình An",   "Thượng",     "Hạ",        "Trung",      "Đoài",      "Đông",       "Nam Sơn",
    "Bắc Sơn",   "Cầu Gỗ",     "Đồng Tâm",  "Quyết Tiến", "Thắng Lợi", "Tiền Phong", "Hưng Long",
    "Phúc Lâm",  "Vĩnh Thịnh", "Mỹ Lộc",    "Kim Sơn",    "Gia Viễn",  "Xuân Lai",   "Thanh Khê",
    "Hương Sơn", "Lạc Long",   "Tân Thành", "Phước Hải",  "Long Điền", "Cát Tiên",   "Nà Phặc",
    "Pác Bó",    "Khánh Hội",  "Đại Đồng",  "Văn Lang",   "Hồng Phong"};
constexpr std::array<const char*, 16> street_names = {
    "Lê Lợi",    "Trần Hưng Đạo", "Nguyễn Trãi", "Hai Bà Trưng", "Lý Thường Kiệt", "Quang Trung",
    "Nguyễn Du", "Phan Bội Châu", "Hùng Vương",  "Lê Duẩn",      "Điện Biên Phủ",  "Hoàng Diệu",
    "Bà Triệu",  "Ngô Quyền",     "Trần Phú",    "Võ Thị Sáu"};
constexpr std::array<const char*, 14> family_names = {"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng",
                                                      "Huỳnh",  "Phan", "Vũ", "Võ",   "Đặng",
                                                      "Bùi",    "Đỗ",   "Hồ", "Ngô"};
constexpr std::array<const char*, 8> middle_names = {"Văn",  "Thị",   "Hữu",  "Đức",
                                                     "Minh", "Thanh", "Ngọc", "Quang"};
constexpr std::array<const char*, 16> given_names = {
    "An",  "Bình", "Cường", "Dũng", "Giang",  "Hà",   "Hải",  "Hương",
    "Lan", "Long", "Mai",   "Nam",  "Phương", "Quân", "Thảo", "Tuấn"};

/// CSV field: quoted when it holds a comma or a quote.
std::string csv(const std::string& text) {
    if (text.find_first_of(",\"\n") == std::string::npos) {
        return text;
    }
    std::string out = "\"";
    for (const char c : text) {
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    }
    return out + "\"";
}

int run_sample_zones(std::span<const std::string_view> words) {
    constexpr std::array<std::string_view, 1> value_options = {"--seed"};
    const Args args(words, value_options, {});
    args.expect_at_most(1);
    const std::filesystem::path dir(args.positional(0, "DIR"));
    std::filesystem::create_directories(dir);
    // 6 x 5 rectangular communes of 0.04 x 0.05 degree in the Red River delta (Ninh Bình), in
    // one sample province; postcodes 43001.., with prefix 43 (and 44, "merged in" for tests).
    constexpr int rows = 5;
    constexpr int cols = 6;
    constexpr double south = 20.20;
    constexpr double west = 105.80;
    constexpr double height = 0.04;
    constexpr double width = 0.05;
    std::ofstream zones(dir / "zones.geojson");
    std::ofstream postcodes(dir / "postcodes.csv");
    std::ofstream prefixes(dir / "prefixes.tsv");
    zones << "{\"type\":\"FeatureCollection\",\"features\":[\n";
    postcodes << "commune_code_gso,postcode\n";
    prefixes << "province\tprefixes\nTỉnh Mẫu\t43 44\n";
    char buffer[512];
    for (int r = 0; r < rows; ++r) {
        for (int c = 0; c < cols; ++c) {
            const int n = r * cols + c + 1;
            const double s = south + r * height;
            const double w = west + c * width;
            std::snprintf(buffer, sizeof buffer,
                          "{\"type\":\"Feature\",\"properties\":{\"code\":\"%05d\",\"fullName\":"
                          "\"%s %s\",\"provinceCode\":\"99\",\"provinceFullName\":\"Tỉnh Mẫu\"},"
                          "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[%.2f,%.2f],[%.2f,"
                          "%.2f],[%.2f,%.2f],[%.2f,%.2f],[%.2f,%.2f]]]}}%s\n",
                          90000 + n, n % 4 == 0 ? "Phường" : "Xã",
                          place_names[static_cast<std::size_t>(n) % place_names.size()], w, s,
                          w + width, s, w + width, s + height, w, s + height, w, s,
                          n == rows * cols ? "" : ",");
            zones << buffer;
            postcodes << (90000 + n) << ',' << (43000 + n) << '\n';
        }
    }
    zones << "]}\n";
    std::cout << "sample zones written to " << dir.string() << ": zones.geojson (" << rows * cols
              << " communes), postcodes.csv, prefixes.tsv\n";
    return exit_ok;
}

int run_sample_households(std::span<const std::string_view> words) {
    constexpr std::array<std::string_view, 6> value_options = {
        "--postcodes", "--count", "--out", "--seed", "--village-min", "--village-max"};
    const Args args(words, value_options, {});
    args.expect_at_most(1);
    const std::string zones_path(args.positional(0, "ZONES"));
    const auto postcodes = args.option("--postcodes");
    const auto out_path = args.option("--out");
    if (!postcodes || !out_path) {
        throw UsageError("sample households: give --postcodes CSV and --out FILE");
    }
    const auto count =
        static_cast<std::uint64_t>(args.integer_option("--count", 10'000, 1, 100'000'000));
    const auto seed = static_cast<std::uint64_t>(args.integer_option("--seed", 2025, 0, 1L << 62));
    const auto village_min =
        static_cast<std::uint64_t>(args.integer_option("--village-min", 50, 1, 100'000));
    const auto village_max = static_cast<std::uint64_t>(
        args.integer_option("--village-max", 3000, static_cast<long>(village_min), 100'000));

    auto zones = geography::read_zones(zones_path);
    const auto table = geography::read_postcode_table(std::string(*postcodes));
    geography::join_postcodes(table, &zones);
    const geography::ZoneIndex index(std::move(zones));
    std::vector<std::uint32_t> eligible;
    for (std::uint32_t z = 0; z < index.size(); ++z) {
        if (index.zone(z).postcode != 0) {
            eligible.push_back(z);
        }
    }
    if (eligible.empty()) {
        throw std::runtime_error(zones_path + ": no zone has a postcode");
    }
    std::ofstream out{std::string(*out_path)};
    if (!out) {
        throw std::runtime_error(std::string(*out_path) + ": cannot write");
    }
    out << "id,lat,lng,house_number,street,hamlet,head_of_household,phone\n";
    Random random(seed);
    std::uint64_t written = 0;
    std::uint64_t village = 0;
    char line[512];
    while (written < count) {
        const std::uint32_t zone = eligible[random.next() % eligible.size()];
        const auto bounds = index.bounds(zone);
        // A village centre inside the zone (rejection sampling, then the zone's inner point).
        LatLngE7 centre = index.interior_point(zone);
        for (int attempt = 0; attempt < 30; ++attempt) {
            const auto p = LatLngE7::from_degrees(
                bounds.south_deg + random.unit() * (bounds.north_deg - bounds.south_deg),
                bounds.west_deg + random.unit() * (bounds.east_deg - bounds.west_deg));
            if (p && index.covers(zone, *p)) {
                centre = *p;
                break;
            }
        }
        ++village;
        const std::uint64_t size =
            std::min(count - written, random.between(village_min, village_max));
        const bool urban = index.zone(zone).name.starts_with("Phường");
        const char* kind = urban                     ? "Tổ dân phố"
                           : centre.lat_deg() < 12.0 ? "Ấp"
                           : (centre.lng_deg() < 104.8 && centre.lat_deg() > 19.5) ? "Bản"
                           : random.unit() < 0.5                                   ? "Thôn"
                                                                                   : "Xóm";
        std::string hamlet = kind;
        hamlet.append(" ").append(random.pick(place_names)).append(" ");
        hamlet.append(std::to_string(random.between(1, 9)));
        const std::string street = urban ? std::string("Phố ") + random.pick(street_names) : "";
        // Households of a village spread about sqrt(size) x 5 m around its centre.
        const double spread_m = std::sqrt(static_cast<double>(size)) * 5.0;
        const double cos_lat = std::cos(centre.lat_deg() * 3.14159265358979323846 / 180.0);
        for (std::uint64_t h = 0; h < size; ++h) {
            LatLngE7 point = centre;
            for (int attempt = 0; attempt < 10; ++attempt) {
                const auto p = LatLngE7::from_degrees(
                    centre.lat_deg() + random.normalish() * spread_m / 111'195.0,
                    centre.lng_deg() + random.normalish() * spread_m / (111'195.0 * cos_lat));
                const auto hit = p ? index.locate(*p) : Result<geography::ZoneHit>(p.error());
                if (hit && hit->inside && hit->zone == zone) {
                    point = *p;
                    break;
                }
            }
            std::string house = std::to_string(h + 1);
            if (random.unit() < 0.1) {
                house.append("/").append(std::to_string(random.between(1, 5)));
            }
            std::string head = random.pick(family_names);
            head.append(" ").append(random.pick(middle_names)).append(" ");
            head.append(random.pick(given_names));
            std::snprintf(line, sizeof line, "H%09llu,%.7f,%.7f,%s,%s,%s,%s,09%08llu\n",
                          static_cast<unsigned long long>(written + 1), point.lat_deg(),
                          point.lng_deg(), csv(house).c_str(), csv(street).c_str(),
                          csv(hamlet).c_str(), csv(head).c_str(),
                          static_cast<unsigned long long>(random.next() % 100'000'000));
            out << line;
            ++written;
        }
    }
    out.close();
    if (!out) {
        throw std::runtime_error(std::string(*out_path) + ": write failed");
    }
    std::cout << written << " households in " << village << " villages written to " << *out_path
              << '\n';
    return exit_ok;
}

}  // namespace

int run_sample(std::span<const std::string_view> words) {
    if (!words.empty() && words[0] == "zones") {
        return run_sample_zones(words.subspan(1));
    }
    if (!words.empty() && words[0] == "households") {
        return run_sample_households(words.subspan(1));
    }
    throw UsageError("sample: expected 'sample zones DIR' or 'sample households ZONES ...'");
}

}  // namespace diachi::cli
