// Proves the "no heap allocation" claims of the hot paths: encode, decode, validation and
// household-code parsing and formatting all work in the caller's stack buffers.

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>

#include <gtest/gtest.h>

#include <diachi/household_code.hpp>
#include <diachi/olc.hpp>

namespace {
std::atomic<long> allocations{0};
}  // namespace

void* operator new(std::size_t size) {
    allocations.fetch_add(1, std::memory_order_relaxed);
    if (void* p = std::malloc(size == 0 ? 1 : size)) {
        return p;
    }
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace olc = diachi::olc;

TEST(Allocations, HotPathsAllocateNothing) {
    // Warm up anything lazily initialised before counting.
    volatile std::size_t sink = 0;
    const long before = allocations.load();
    for (int i = 0; i < 1000; ++i) {
        const double lat = 8.0 + i * 0.015;
        const double lng = 102.0 + i * 0.008;
        const auto code = olc::encode(lat, lng, 11);
        sink = sink + code->size();
        const auto point = olc::grid_point_from_decimal("21.0285", "105.8542");
        sink = sink + olc::encode_unchecked(*point, 15).size();
        const auto area = olc::decode(code->view());
        sink = sink + static_cast<std::size_t>(area->length);
        sink = sink + (olc::is_valid(code->view()) ? 1 : 0) + (olc::is_full("7PH72R22+62") ? 1 : 0);
        const auto short_code = olc::shorten(code->view(), lat, lng);
        sink = sink + short_code->size();
        sink = sink + olc::recover_nearest(short_code->view(), lat, lng)->size();
        const auto household = diachi::HouseholdCode::parse("11120 7Q89+XG2/37");
        sink = sink + household->canonical().size() + household->display().size() +
               household->display_checked().size();
        sink = sink + static_cast<std::size_t>(household->check_character());
        const auto made = diachi::HouseholdCode::from_degrees(11120, lat, lng);
        sink = sink + made->key();
        // Rejected input costs nothing either: the error is plain data.
        sink = sink + static_cast<std::size_t>(diachi::HouseholdCode::parse("1112O").error().code);
        sink = sink + static_cast<std::size_t>(olc::decode("7PH72I22+62").error().position);
    }
    EXPECT_EQ(allocations.load() - before, 0);
    EXPECT_GT(sink, 0U);
}

TEST(Allocations, TheCounterCounts) {
    const long before = allocations.load();
    // A std::string longer than the small-string buffer must come from operator new.
    volatile std::size_t n = 100;
    const std::string text(n, 'x');
    EXPECT_EQ(text.size(), 100U);
    EXPECT_EQ(allocations.load() - before, 1);
}
