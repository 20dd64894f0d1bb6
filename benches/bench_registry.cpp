// The household registry on the real communes (../shared/data; skipped with a message when
// absent): bulk registration, resolve, point Get, nearest household. One process, Release.
//
//   DIACHI_BENCH_HOUSEHOLDS  households to load (default 1,000,000; 27,000,000 for the nation)
//   DIACHI_BENCH_STORE       keep the store in this directory (reused when it holds households)
//   DIACHI_BENCH_CACHE_MB    RocksDB block cache in MiB (default: RegistryOptions' 256 MiB)
//   DIACHI_BENCH_ROW_CACHE_MB  RocksDB row cache in MiB (default: RegistryOptions' 0, off)
//   DIACHI_BENCH_CSV         load the households of this CSV (`diachi sample households`) instead
//                            of generating them: benches/peer_postgis.sh loads the same file
//                            into PostGIS
//   DIACHI_BENCH_ORDER       `random` (default): villages in the order drawn, anywhere in the
//                            country; `commune`: the same kind of villages sorted by postcode, as
//                            a national load made of commune or province files would come
//
// Households come in villages of 50..3,000 around random points inside communes (~100 m
// spread), like the sample generator. BM_BulkImport loads them in batches of 200,000 (zone
// lookup, code, unit, write of the record, code, cell, density, search, external id and history
// entries; batches that large are ingested as table files), as a bulk load: each batch is
// written while the next is made up and decided (BulkLoad::add()), and into an empty store the
// files are merged once at the end; the merge counts in the time (merge_s says how much of it;
// generate_s how much went to making up the households). It reports households per second
// and bytes per household on disk once compacted. The others report the mean (timed loop) and
// per-operation p50 / p90 / p99 (counters, ns). Linked with jemalloc, as the CLI is
// (cmake/DiachiAllocator.cmake).
//
// Targets (issue #3): resolve p50 <= 3 us, p99 <= 20 us; reverse (nearest 1) p50 <= 10 us;
// 27M households imported in <= 150 s; <= 100 bytes per household on disk.

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include <benchmark/benchmark.h>

#include <diachi/geography/zone_index.hpp>
#include <diachi/geography/zone_reader.hpp>
#include <diachi/store/importer.hpp>
#include <diachi/store/registry.hpp>

#include "bench_data.hpp"
#include "bench_main.hpp"
#include "percentiles.hpp"

namespace {

using diachi::LatLngE7;
using diachi::store::Registry;

std::size_t household_target() {
    if (const char* env = std::getenv("DIACHI_BENCH_HOUSEHOLDS"); env != nullptr && *env != '\0') {
        return std::stoull(env);
    }
    return 1'000'000;
}

constexpr std::size_t sample_count = 1 << 20;
/// Registrations per register_households() call: an importer's batch (ingested, see
/// RegistryOptions::ingest_min_batch).
constexpr std::size_t batch_size = 200'000;

struct Bench {
    std::filesystem::path path;
    bool temporary = false;
    std::unique_ptr<Registry> registry;
    bool ok = false;
    std::string why;
    std::vector<std::string> codes;  // canonical codes of registered households
    std::vector<std::uint64_t> ids;
    std::vector<LatLngE7> near_points;  // within ~20 m of a household
    bool deferred = false;              // the last load merged its files at the end (BulkLoad)
    double merge_seconds = 0.0;         // of which its merge took
    double generate_seconds = 0.0;      // and making up the households to register

    Bench() {
        const auto wards =
            diachi::bench::data_dir() / "boundaries/wards_3321_simplified25m_v4.2.0.geojson";
        const auto postcodes =
            diachi::bench::data_dir() / "postcodes/postcodes_by_commune_2025.csv";
        if (!std::filesystem::exists(wards) || !std::filesystem::exists(postcodes)) {
            why = "../shared/data boundaries/postcodes absent (set DIACHI_DATA_DIR)";
            return;
        }
        if (const char* env = std::getenv("DIACHI_BENCH_STORE"); env != nullptr && *env != '\0') {
            path = env;
        } else {
            path = std::filesystem::temp_directory_path() /
                   ("diachi-bench-" + std::to_string(std::random_device{}()));
            temporary = true;
        }
        diachi::store::RegistryOptions options;
        if (const char* env = std::getenv("DIACHI_BENCH_CACHE_MB"); env != nullptr && *env != '\0') {
            options.block_cache_bytes = std::stoull(env) << 20;
        }
        if (const char* env = std::getenv("DIACHI_BENCH_ROW_CACHE_MB"); env != nullptr && *env != '\0') {
            options.row_cache_bytes = std::stoull(env) << 20;
        }
        registry = std::make_unique<Registry>(path.string(), options);
        if (registry->zones()->size() == 0) {
            auto zones = diachi::geography::read_zones(wards.string());
            diachi::geography::join_postcodes(
                diachi::geography::read_postcode_table(postcodes.string()), &zones);
            registry->import_zones(std::move(zones));
        }
        ok = true;
    }
    ~Bench() {
        registry.reset();
        if (temporary) {
            std::error_code ignored;
            std::filesystem::remove_all(path, ignored);
        }
    }

    /// Registers households up to the target (or the CSV's); returns the seconds it took.
    double load() {
        if (const char* csv = std::getenv("DIACHI_BENCH_CSV"); csv != nullptr && *csv != '\0') {
            const auto summary = diachi::store::import_households(*registry, csv);
            return summary.counts.seconds;
        }
        const std::size_t target = household_target();
        std::mt19937_64 rng(27);
        const auto zones = registry->zones();
        std::uniform_real_distribution<double> lat(8.18, 23.39);
        std::uniform_real_distribution<double> lng(102.14, 109.47);
        std::normal_distribution<double> spread(0.0, 0.0009);
        std::uniform_int_distribution<std::size_t> village(50, 3000);
        const char* order = std::getenv("DIACHI_BENCH_ORDER");
        const bool by_commune = order != nullptr && std::string_view(order) == "commune";
        // For the commune order, every village is drawn first (centre, size), then sorted by
        // postcode and centre.
        struct Village {
            std::uint32_t postcode;
            LatLngE7 centre;
            std::size_t size;
        };
        std::vector<Village> villages;
        if (by_commune) {
            for (std::size_t planned = registry->household_count(); planned < target;) {
                LatLngE7 centre;
                std::optional<std::uint32_t> postcode;
                do {
                    centre = LatLngE7::from_degrees(lat(rng), lng(rng)).value();
                    if (const auto hit = zones->locate(centre)) {
                        postcode = zones->zone(hit->zone).postcode;
                    }
                } while (!postcode);
                const std::size_t size = std::min(village(rng), target - planned);
                villages.push_back({*postcode, centre, size});
                planned += size;
            }
            std::sort(villages.begin(), villages.end(), [](const Village& a, const Village& b) {
                return std::tie(a.postcode, a.centre.lat_e7, a.centre.lng_e7) <
                       std::tie(b.postcode, b.centre.lat_e7, b.centre.lng_e7);
            });
        }
        std::size_t next_village = 0;
        std::vector<diachi::store::Registration> batch, spare;
        batch.reserve(batch_size + 3000);  // a batch ends after the village that fills it
        const auto start = std::chrono::steady_clock::now();
        // Into an empty store, the files are merged once at the end (BulkLoad), within the time.
        auto bulk = registry->begin_bulk_load(target);
        deferred = bulk.deferred();
        std::size_t n = registry->household_count();
        // External ids unique across runs on the same store: this run's start time, a serial.
        const std::string run =
            std::to_string(std::chrono::system_clock::now().time_since_epoch().count()) + "-";
        std::uint64_t serial = 0;
        generate_seconds = 0.0;
        while (n < target) {
            const auto generate_start = std::chrono::steady_clock::now();
            LatLngE7 centre;
            std::size_t size = 0;
            if (by_commune) {
                if (next_village == villages.size()) {
                    break;  // points at sea were rejected: fewer than planned
                }
                centre = villages[next_village].centre;
                size = villages[next_village++].size;
            } else {
                do {
                    centre = LatLngE7::from_degrees(lat(rng), lng(rng)).value();
                } while (!zones->locate(centre));
                size = std::min(village(rng), target - n);
            }
            for (std::size_t h = 0; h < size; ++h) {
                diachi::store::Registration r;
                r.location = LatLngE7::from_degrees(centre.lat_deg() + spread(rng),
                                                    centre.lng_deg() + spread(rng))
                                 .value();
                r.address.house_number = std::to_string(h + 1);
                r.address.hamlet = "Thôn Liên Trì " + std::to_string(n % 9 + 1);
                r.source = "bench";
                r.external_id = run + std::to_string(serial++);
                r.actor = "bench";
                batch.push_back(std::move(r));
            }
            n += size;
            generate_seconds +=
                std::chrono::duration<double>(std::chrono::steady_clock::now() - generate_start)
                    .count();
            const bool last = by_commune && next_village == villages.size();
            if (batch.size() >= batch_size || n >= target || last) {
                // Written while the next batch is made up and decided; the batch before it,
                // acknowledged meanwhile, hands its memory to the next one.
                bulk.add(std::move(batch),
                         [&](auto& registrations, auto&) { spare = std::move(registrations); });
                batch = std::exchange(spare, {});
                batch.clear();
                batch.reserve(batch_size + 3000);
                n = registry->household_count();  // points at sea were rejected
            }
        }
        bulk.flush();
        const auto merge_start = std::chrono::steady_clock::now();
        bulk.finish();
        const auto end = std::chrono::steady_clock::now();
        merge_seconds = std::chrono::duration<double>(end - merge_start).count();
        return std::chrono::duration<double>(end - start).count();
    }

    void sample() {
        if (!codes.empty()) {
            return;
        }
        std::mt19937_64 rng(5);
        const std::uint64_t count = registry->household_count();
        std::normal_distribution<double> offset(0.0, 0.0002);
        for (std::size_t i = 0; i < sample_count; ++i) {
            const std::uint64_t id = 1 + rng() % count;
            const auto h = registry->get(id).value();
            ids.push_back(id);
            codes.emplace_back(h.code.canonical().view());
            near_points.push_back(LatLngE7::from_degrees(h.location.lat_deg() + offset(rng),
                                                         h.location.lng_deg() + offset(rng))
                                      .value());
        }
    }
};

std::optional<Bench> the_bench;

Bench& bench() { return diachi::bench::lazy_fixture(the_bench); }

bool ready(benchmark::State& state) {
    auto& b = bench();
    if (!b.ok) {
        state.SkipWithError(b.why.c_str());
        return false;
    }
    if (b.registry->household_count() == 0 ||
        (std::getenv("DIACHI_BENCH_CSV") == nullptr &&
         b.registry->household_count() < household_target())) {
        b.load();
    }
    b.sample();
    return true;
}

void BM_BulkImport(benchmark::State& state) {
    auto& b = bench();
    if (!b.ok) {
        state.SkipWithError(b.why.c_str());
        return;
    }
    const std::uint64_t before = b.registry->household_count();
    double seconds = 0.0;
    for (auto _ : state) {
        seconds = b.load();
    }
    const auto loaded = static_cast<double>(b.registry->household_count() - before);
    if (!b.deferred) {
        b.registry->compact();  // a deferred load's merge left every family compacted
    }
    state.counters["merge_s"] = b.merge_seconds;
    state.counters["generate_s"] = b.generate_seconds;
    state.counters["households"] = static_cast<double>(b.registry->household_count());
    state.counters["loaded_per_s"] = loaded > 0 ? loaded / seconds : 0.0;
    state.counters["bytes_per_household"] = static_cast<double>(b.registry->disk_bytes()) /
                                            static_cast<double>(b.registry->household_count());
}

template <typename Input, typename F>
void per_item(benchmark::State& state, const std::vector<Input>& inputs, F&& f) {
    std::size_t i = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(f(inputs[i]));
        i = (i + 1) & (sample_count - 1);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
    diachi::bench::report_percentiles(state, inputs, f, 100'000, i);
}

void BM_Get(benchmark::State& state) {
    if (!ready(state)) {
        return;
    }
    per_item(state, bench().ids,
             [](std::uint64_t id) { return bench().registry->get(id).has_value(); });
}

void BM_Resolve(benchmark::State& state) {
    if (!ready(state)) {
        return;
    }
    per_item(state, bench().codes,
             [](const std::string& code) { return bench().registry->resolve(code).has_value(); });
}

void BM_ReverseNearest1(benchmark::State& state) {
    if (!ready(state)) {
        return;
    }
    std::vector<diachi::store::Nearby> out;
    per_item(state, bench().near_points, [&](LatLngE7 p) {
        bench().registry->reverse(p, 1, 500.0, &out);
        return out.size();
    });
}

void BM_Where(benchmark::State& state) {
    if (!ready(state)) {
        return;
    }
    per_item(state, bench().near_points,
             [](LatLngE7 p) { return bench().registry->where(p).has_value(); });
}

}  // namespace

BENCHMARK(BM_BulkImport)->Iterations(1)->Unit(benchmark::kSecond);
BENCHMARK(BM_Get)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Resolve)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ReverseNearest1)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Where)->Unit(benchmark::kMicrosecond);

int main(int argc, char** argv) {
    return diachi::bench::run_benchmarks(argc, argv, [] { the_bench.reset(); });
}
