// Uses the installed headers and libraries: encodes a point, makes its household code, and
// registers a household in a registry with one zone.
#include <cstdint>
#include <filesystem>
#include <iostream>

#include <diachi/household_code.hpp>
#include <diachi/olc.hpp>
#include <diachi/store/registry.hpp>

namespace {

/// WKB of the square [105.79, 105.81] x [20.99, 21.01].
std::string square_wkb() {
    std::string wkb(1, '\1');
    const auto u32 = [&](std::uint32_t v) { wkb.append(reinterpret_cast<const char*>(&v), 4); };
    const auto f64 = [&](double v) { wkb.append(reinterpret_cast<const char*>(&v), 8); };
    u32(3);
    u32(1);
    u32(5);
    for (const auto& [x, y] : {std::pair{105.79, 20.99}, {105.81, 20.99}, {105.81, 21.01},
                               {105.79, 21.01}, {105.79, 20.99}}) {
        f64(x);
        f64(y);
    }
    return wkb;
}

}  // namespace

int main(int argc, char** argv) {
    const auto code = diachi::olc::encode(21.0006, 105.8, 11);
    const auto household = diachi::HouseholdCode::from_degrees(11120, 21.0006, 105.8);
    if (!code || !household) {
        return 1;
    }
    std::cout << code->view() << ' ' << household->display().view() << '\n';
    if (code->view() != "7PH72R22+62R" || household->display().view() != "11120 2R22+62R") {
        return 1;
    }
    const std::filesystem::path store = argc > 1 ? argv[1] : "consumer-store";
    std::filesystem::remove_all(store);
    diachi::store::Registry registry(store.string());
    diachi::geography::ZoneFeature zone;
    zone.zone = {"00001", "Phường Thử", "01", "Hà Nội", 11120, "2025-07-01", ""};
    zone.wkb = square_wkb();
    registry.import_zones({zone});
    diachi::store::Registration r;
    r.location = diachi::LatLngE7::from_decimal("21.0006", "105.8").value();
    const auto registered = registry.register_household(r);
    if (!registered || registered->household.code != *household) {
        return 1;
    }
    std::cout << "registered " << registered->household.code.display().view() << '\n';
    return 0;
}
