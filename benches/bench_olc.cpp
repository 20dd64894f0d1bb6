// The code scheme's hot paths on 1M random points in Vietnam's bounding box, 11-digit codes,
// one core. Each benchmark handles one item per iteration, cycling through the prepared inputs;
// BM_Baseline* measure the same loop doing nothing but reading the input, to subtract.
//
// BM_HouseholdCodeParse reads the checked form with a 10% share of units ("11120 7Q89+XG2-L/3");
// BM_HouseholdCodeParsePlain the display form alone.
//
// Figures to compare (issue #2): the published C++ reference measured encode 30 ns, decode
// 94 ns, is_valid 57 ns, shorten 241 ns, recover_nearest 292 ns on this machine class.

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include <diachi/household_code.hpp>
#include <diachi/olc.hpp>

namespace olc = diachi::olc;

namespace {

constexpr std::size_t count = 1 << 20;  // 1,048,576 points
constexpr std::size_t mask = count - 1;

struct Inputs {
    std::vector<double> lats, lngs;
    std::vector<olc::GridPoint> points;
    std::vector<std::string> lat_texts, lng_texts;
    std::vector<olc::Code> codes;        // 11 digits
    std::vector<olc::Code> short_codes;  // shortened against a point ~1 km away
    std::vector<double> ref_lats, ref_lngs;
    std::vector<diachi::HouseholdCode::Text> households;  // display form with check and unit
    std::vector<diachi::HouseholdCode::Text> plain;       // display form only, "11120 7Q89+XG2"

    Inputs() {
        std::mt19937_64 rng(2026);
        std::uniform_real_distribution<double> lat(8.18, 23.39);  // Vietnam's box
        std::uniform_real_distribution<double> lng(102.14, 109.47);
        std::uniform_real_distribution<double> near(-0.01, 0.01);
        std::uniform_int_distribution<int> unit(1, 40);
        for (std::size_t i = 0; i < count; ++i) {
            const double a = lat(rng);
            const double b = lng(rng);
            lats.push_back(a);
            lngs.push_back(b);
            points.push_back(*olc::grid_point(a, b));
            lat_texts.push_back(std::to_string(a).substr(0, 9));
            lng_texts.push_back(std::to_string(b).substr(0, 10));
            codes.push_back(*olc::encode(a, b, 11));
            ref_lats.push_back(a + near(rng));
            ref_lngs.push_back(b + near(rng));
            short_codes.push_back(
                *olc::shorten(codes.back().view(), ref_lats.back(), ref_lngs.back()));
            const auto u = static_cast<std::uint16_t>(unit(rng) > 36 ? unit(rng) : 1);
            const auto household = diachi::HouseholdCode::from_degrees(
                10000 + static_cast<std::uint32_t>(i % 90000), a, b, u);
            households.push_back(household->display_checked());
            plain.push_back(household->with_unit(1).display());
        }
    }
};

const Inputs& inputs() {
    static const Inputs in;
    return in;
}

/// Runs @p step(i) once per iteration, cycling i through the prepared inputs.
template <typename Step>
void per_item(benchmark::State& state, Step step) {
    std::size_t i = 0;
    for (auto _ : state) {
        step(i);
        i = (i + 1) & mask;
    }
    state.SetItemsProcessed(state.iterations());
}

void BM_Baseline_ReadDoubles(benchmark::State& state) {
    const auto& in = inputs();
    per_item(state, [&](std::size_t i) { benchmark::DoNotOptimize(in.lats[i] + in.lngs[i]); });
}
BENCHMARK(BM_Baseline_ReadDoubles);

void BM_Baseline_ReadCodes(benchmark::State& state) {
    const auto& in = inputs();
    per_item(state, [&](std::size_t i) { benchmark::DoNotOptimize(in.codes[i].view()); });
}
BENCHMARK(BM_Baseline_ReadCodes);

// Doubles in, characters into the caller's buffer: the figure to compare with the reference.
void BM_Encode(benchmark::State& state) {
    const auto& in = inputs();
    char out[16];
    per_item(state, [&](std::size_t i) {
        benchmark::DoNotOptimize(olc::encode_into(in.lats[i], in.lngs[i], 11, out));
        benchmark::ClobberMemory();
    });
}
BENCHMARK(BM_Encode);

// The same, returning the code by value (olc::Code inside a Result).
void BM_EncodeToCode(benchmark::State& state) {
    const auto& in = inputs();
    per_item(state, [&](std::size_t i) {
        benchmark::DoNotOptimize(olc::encode(in.lats[i], in.lngs[i], 11));
    });
}
BENCHMARK(BM_EncodeToCode);

void BM_EncodeGridPoint(benchmark::State& state) {
    const auto& in = inputs();
    char out[16];
    per_item(state, [&](std::size_t i) {
        benchmark::DoNotOptimize(olc::encode_into(in.points[i], 11, out));
        benchmark::ClobberMemory();
    });
}
BENCHMARK(BM_EncodeGridPoint);

void BM_EncodeDecimalText(benchmark::State& state) {
    const auto& in = inputs();
    char out[16];
    per_item(state, [&](std::size_t i) {
        const auto point = olc::grid_point_from_decimal(in.lat_texts[i], in.lng_texts[i]);
        benchmark::DoNotOptimize(olc::encode_into(*point, 11, out));
        benchmark::ClobberMemory();
    });
}
BENCHMARK(BM_EncodeDecimalText);

void BM_Decode(benchmark::State& state) {
    const auto& in = inputs();
    per_item(state,
             [&](std::size_t i) { benchmark::DoNotOptimize(olc::decode(in.codes[i].view())); });
}
BENCHMARK(BM_Decode);

void BM_IsValid(benchmark::State& state) {
    const auto& in = inputs();
    per_item(state,
             [&](std::size_t i) { benchmark::DoNotOptimize(olc::is_valid(in.codes[i].view())); });
}
BENCHMARK(BM_IsValid);

void BM_Shorten(benchmark::State& state) {
    const auto& in = inputs();
    per_item(state, [&](std::size_t i) {
        benchmark::DoNotOptimize(olc::shorten(in.codes[i].view(), in.ref_lats[i], in.ref_lngs[i]));
    });
}
BENCHMARK(BM_Shorten);

void BM_RecoverNearest(benchmark::State& state) {
    const auto& in = inputs();
    per_item(state, [&](std::size_t i) {
        benchmark::DoNotOptimize(
            olc::recover_nearest(in.short_codes[i].view(), in.ref_lats[i], in.ref_lngs[i]));
    });
}
BENCHMARK(BM_RecoverNearest);

void BM_HouseholdCodeParse(benchmark::State& state) {
    const auto& in = inputs();
    per_item(state, [&](std::size_t i) {
        benchmark::DoNotOptimize(diachi::HouseholdCode::parse(in.households[i].view()));
    });
}
BENCHMARK(BM_HouseholdCodeParse);

void BM_HouseholdCodeParsePlain(benchmark::State& state) {
    const auto& in = inputs();
    per_item(state, [&](std::size_t i) {
        benchmark::DoNotOptimize(diachi::HouseholdCode::parse(in.plain[i].view()));
    });
}
BENCHMARK(BM_HouseholdCodeParsePlain);

void BM_HouseholdCodeDisplay(benchmark::State& state) {
    const auto& in = inputs();
    per_item(state, [&](std::size_t i) {
        benchmark::DoNotOptimize(diachi::HouseholdCode::from_grid(11120, in.points[i])->display());
    });
}
BENCHMARK(BM_HouseholdCodeDisplay);

}  // namespace

BENCHMARK_MAIN();
