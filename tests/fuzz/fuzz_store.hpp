#ifndef DIACHI_FUZZ_STORE_HPP
#define DIACHI_FUZZ_STORE_HPP

// A small store shared by the fuzz targets that need one: the test grid of communes and a few
// hundred households with addresses and personal fields, in a temporary directory removed at
// exit. Built on first use.

#include <cstdlib>
#include <random>

#include <diachi/store/registry.hpp>

#include "../sample_zones.hpp"

namespace diachi::fuzz {

struct SharedStore {
    test::TempDir dir;
    store::Registry registry{dir / "store"};

    SharedStore() {
        registry.import_zones(test::grid_zones(4, 5), {{"Tỉnh Mẫu", {43}}});
        std::mt19937_64 random(7);
        std::normal_distribution<double> spread(0.0, 0.01);
        std::vector<store::Registration> batch(300);
        const char* hamlets[] = {"Thôn Liên Trì 2", "Xóm Đông", "Ấp Bình Hòa", "Tổ 5"};
        for (std::size_t i = 0; i < batch.size(); ++i) {
            auto& b = batch[i];
            // Drawn one by one: the order of a call's arguments is the compiler's choice.
            const double d_lng = spread(random);
            const double d_lat = spread(random);
            b.location = LatLngE7::from_degrees(20.3 + d_lat, 105.9 + d_lng).value();
            b.address.house_number = std::to_string(i + 1);
            b.address.street = i % 3 == 0 ? "Đường Trần Hưng Đạo" : "";
            b.address.hamlet = hamlets[i % 4];
            b.personal.head_of_household = "Nguyễn Văn Bí Mật";
            b.personal.phone = "0912345678";
            b.source = "fuzz";
        }
        std::vector<Result<store::Registered>> out;
        registry.register_households(batch, &out);
    }
};

inline store::Registry& shared_store() {
    static SharedStore shared;
    return shared.registry;
}

}  // namespace diachi::fuzz

#endif  // DIACHI_FUZZ_STORE_HPP
