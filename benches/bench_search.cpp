// Address search on the real communes (../shared/data; skipped with a message when absent):
// the evaluation of issue #4 and the latency of search and suggest.
//
//   DIACHI_BENCH_CSV    households to load (`diachi sample households`, 1M for the figures);
//                       benches/eval_search.sh makes it and runs this binary
//   DIACHI_BENCH_STORE  keep the store in this directory (reused when it holds households)
//
// BM_OsmCommuneAccuracy: evaluation (1), see search_eval.hpp; counters top1 (all 532 points)
// and placeable_top1 (those whose text names a street or a unit).
// BM_GeneratedAccuracy: evaluation (2): 4,200 households of the CSV asked as "số 5, Thôn X,
// Xã Y, Tỉnh Z" in seven forms (as written, without diacritics, abbreviated, with the
// pre-2025 commune, district and province, with one typo in the hamlet, without the commune,
// and all of no diacritics + abbreviations + typo); counters top1 and top5 overall and per form.
// BM_Search / BM_Suggest: latency over those queries and over their hamlet prefixes (mean,
// and p50 / p90 / p99 counters in ns).

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <sstream>
#include <unordered_map>

#include <benchmark/benchmark.h>

#include <diachi/store/importer.hpp>

#include "bench_data.hpp"
#include "bench_main.hpp"
#include "percentiles.hpp"
#include "search_eval.hpp"

namespace {

namespace fs = std::filesystem;
using diachi::store::Registry;

struct Row {
    std::string id, house, street, hamlet;
};

std::vector<Row> read_csv(const std::string& path) {
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);  // header: id,lat,lng,house_number,street,hamlet,...
    std::vector<Row> rows;
    while (std::getline(in, line)) {
        std::vector<std::string> f;
        std::stringstream s(line);
        std::string cell;
        while (std::getline(s, cell, ',')) {
            f.push_back(cell);
        }
        if (f.size() >= 6) {
            rows.push_back({f[0], f[3], f[4], f[5]});
        }
    }
    return rows;
}

constexpr std::array<const char*, 7> forms = {"written",   "no_diacritics", "abbreviated",
                                              "old_units", "typo",          "no_commune",
                                              "mixed"};

std::string replace_all(std::string s, std::string_view from, std::string_view to) {
    for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
        s.replace(at, from.size(), to);
    }
    return s;
}

std::string abbreviate(std::string s) {
    for (const auto& [from, to] :
         std::initializer_list<std::pair<std::string_view, std::string_view>>{
             {"Phường ", "P. "}, {"Xã ", "X. "}, {"Tỉnh ", "T. "}, {"Thành phố ", "TP. "},
             {"Tổ dân phố ", "TDP "}, {"Thị trấn ", "TT. "}, {"số ", "sn "},
             {"phuong ", "p. "}, {"xa ", "x. "}, {"tinh ", "t. "}, {"thanh pho ", "tp. "},
             {"to dan pho ", "tdp "}, {"so ", "sn "}}) {
        s = replace_all(std::move(s), from, to);
    }
    return s;
}

/// One typo in the longest ASCII-only word: two letters swapped, or one dropped.
std::string typo(std::string s, std::mt19937_64& rng) {
    return diachi::bench::typo_in_text(std::move(s), rng());
}

struct Query {
    std::string text;
    std::string want;  // external id
    std::size_t form;
};

struct Bench {
    bool ok = false;
    std::string why;
    fs::path path;
    bool temporary = false;
    std::unique_ptr<Registry> registry;
    std::vector<Query> queries;
    std::vector<std::string> prefixes;

    Bench() {
        const fs::path data = diachi::bench::data_dir();
        if (!fs::exists(data / "boundaries/wards_3321_simplified25m_v4.2.0.geojson") ||
            !fs::exists(data / "units/old_to_new_communes.csv")) {
            why = "../shared/data boundaries/units absent (set DIACHI_DATA_DIR)";
            return;
        }
        const char* csv = std::getenv("DIACHI_BENCH_CSV");
        if (csv == nullptr || *csv == '\0') {
            why = "set DIACHI_BENCH_CSV to a `diachi sample households` file "
                  "(benches/eval_search.sh does)";
            return;
        }
        if (const char* env = std::getenv("DIACHI_BENCH_STORE"); env != nullptr && *env != '\0') {
            path = env;
        } else {
            path = fs::temp_directory_path() /
                   ("diachi-bench-search-" + std::to_string(std::random_device{}()));
            temporary = true;
        }
        registry = diachi::bench::national_registry(path, data);
        if (registry->household_count() == 0) {
            (void)diachi::store::import_households(*registry, csv);
        }
        const auto rows = read_csv(csv);
        const std::string source = "import:" + fs::path(csv).filename().string();
        const auto old = diachi::geography::read_old_units(
            (data / "units/old_to_new_communes.csv").string(),
            (data / "units/units_v2.4.1_pre-reform_2025-03-01.json").string());
        std::unordered_map<std::string, const diachi::geography::OldUnit*> old_of_zone;
        for (const auto& u : old) {
            auto& slot = old_of_zone[u.new_zone_id];
            if (slot == nullptr || (slot->partial && !u.partial)) {
                slot = &u;
            }
        }
        std::mt19937_64 rng(4);
        for (std::size_t n = 0; n < 600 && !rows.empty(); ++n) {
            const Row& row = rows[rng() % rows.size()];
            const auto h = registry->find_external(source, row.id);
            if (!h) {
                continue;
            }
            std::string place = "số " + row.house;
            if (!row.street.empty()) {
                place += ", " + row.street;
            }
            place += ", " + row.hamlet;
            for (std::size_t form = 0; form < forms.size(); ++form) {
                std::string q = place + ", " + h->commune + ", " + h->province;
                switch (form) {
                    case 1: q = diachi::fold(q); break;
                    case 2: q = abbreviate(q); break;
                    case 3:
                        if (const auto it = old_of_zone.find(h->zone_id); it != old_of_zone.end()) {
                            const auto& u = *it->second;
                            q = place + ", " + u.commune + ", " + u.district + ", " + u.province;
                        }
                        break;
                    case 4: q = typo(place, rng) + ", " + h->commune + ", " + h->province; break;
                    case 5: q = place + ", " + h->province; break;
                    case 6:
                        q = abbreviate(diachi::fold(typo(place, rng) + ", " + h->commune + ", " +
                                                    h->province));
                        break;
                    default: break;
                }
                queries.push_back({std::move(q), row.id, form});
            }
            prefixes.push_back(row.hamlet.substr(0, std::min<std::size_t>(row.hamlet.size(), 12)));
        }
        ok = true;
    }
    ~Bench() {
        registry.reset();
        if (temporary) {
            std::error_code ignored;
            fs::remove_all(path, ignored);
        }
    }
};

std::optional<Bench> the_bench;

Bench& bench() { return diachi::bench::lazy_fixture(the_bench); }

void BM_OsmCommuneAccuracy(benchmark::State& state) {
    const fs::path data = diachi::bench::data_dir();
    if (!fs::exists(data / "osm/hanoi_pois_2024-09.geojson")) {
        state.SkipWithError("../shared/data/osm absent (set DIACHI_DATA_DIR)");
        return;
    }
    const fs::path scratch =
        fs::temp_directory_path() / ("diachi-osm-eval-" + std::to_string(std::random_device{}()));
    diachi::bench::OsmScore score;
    for (auto _ : state) {
        score = diachi::bench::evaluate_osm(data, scratch);
    }
    fs::remove_all(scratch);
    if (std::getenv("DIACHI_BENCH_VERBOSE") != nullptr) {
        for (const auto& miss : score.misses) {
            std::fprintf(stderr, "miss %s\n", miss.c_str());
        }
    }
    state.counters["asked"] = static_cast<double>(score.asked);
    state.counters["top1"] = static_cast<double>(score.correct) / static_cast<double>(score.asked);
    state.counters["placeable"] = static_cast<double>(score.placeable);
    state.counters["placeable_top1"] =
        static_cast<double>(score.placeable_correct) / static_cast<double>(score.placeable);
}
BENCHMARK(BM_OsmCommuneAccuracy)->Iterations(1)->Unit(benchmark::kMillisecond);

void BM_GeneratedAccuracy(benchmark::State& state) {
    auto& b = bench();
    if (!b.ok) {
        state.SkipWithError(b.why.c_str());
        return;
    }
    std::array<std::size_t, forms.size()> top1{};
    std::array<std::size_t, forms.size()> top5{};
    std::array<std::size_t, forms.size()> asked{};
    diachi::store::SearchOptions top_five;
    top_five.limit = 5;
    for (auto _ : state) {
        for (const auto& q : b.queries) {
            const auto results = b.registry->search(q.text, top_five);
            ++asked[q.form];
            for (std::size_t i = 0; i < results.size(); ++i) {
                if (results[i].household && results[i].household->external_id == q.want) {
                    top1[q.form] += i == 0 ? 1 : 0;
                    ++top5[q.form];
                    break;
                }
            }
            if (std::getenv("DIACHI_BENCH_VERBOSE") != nullptr &&
                (results.empty() || !results[0].household ||
                 results[0].household->external_id != q.want)) {
                std::fprintf(stderr, "miss [%s] %s -> %s\n", forms[q.form], q.text.c_str(),
                             results.empty() ? "nothing" : results[0].label.c_str());
            }
        }
    }
    std::size_t all = 0;
    std::size_t all1 = 0;
    std::size_t all5 = 0;
    for (std::size_t f = 0; f < forms.size(); ++f) {
        state.counters[std::string("top1_") + forms[f]] =
            static_cast<double>(top1[f]) / static_cast<double>(asked[f]);
        all += asked[f];
        all1 += top1[f];
        all5 += top5[f];
    }
    state.counters["queries"] = static_cast<double>(all);
    state.counters["top1"] = static_cast<double>(all1) / static_cast<double>(all);
    state.counters["top5"] = static_cast<double>(all5) / static_cast<double>(all);
    state.counters["households"] = static_cast<double>(b.registry->household_count());
}
BENCHMARK(BM_GeneratedAccuracy)->Iterations(1)->Unit(benchmark::kMillisecond);

/// An evaluation in forms on a registry of the national zones, old units and streets (no
/// households: the text names none): counters top1 and top1_<form>; DIACHI_BENCH_VERBOSE lists
/// the misses.
template <std::size_t N, typename Evaluate>
void forms_benchmark(benchmark::State& state, const std::array<const char*, N>& names,
                     Evaluate&& evaluate) {
    const fs::path data = diachi::bench::data_dir();
    if (!fs::exists(data / "streets/streets_by_district.csv") ||
        !fs::exists(data / "units/old_to_new_communes.csv")) {
        state.SkipWithError("../shared/data streets/units absent (set DIACHI_DATA_DIR)");
        return;
    }
    const fs::path scratch =
        fs::temp_directory_path() / ("diachi-forms-eval-" + std::to_string(std::random_device{}()));
    auto registry = diachi::bench::national_registry(scratch, data);
    const auto old = diachi::geography::read_old_units(
        (data / "units/old_to_new_communes.csv").string(),
        (data / "units/units_v2.4.1_pre-reform_2025-03-01.json").string());
    diachi::bench::FormsScore<N> score;
    for (auto _ : state) {
        score = evaluate(*registry, old, data);
    }
    registry.reset();
    fs::remove_all(scratch);
    if (std::getenv("DIACHI_BENCH_VERBOSE") != nullptr) {
        for (const auto& miss : score.misses) {
            std::fprintf(stderr, "miss %s\n", miss.c_str());
        }
    }
    for (std::size_t f = 0; f < N; ++f) {
        if (score.forms[f].asked > 0) {
            state.counters[std::string("top1_") + names[f]] =
                static_cast<double>(score.forms[f].correct) /
                static_cast<double>(score.forms[f].asked);
        }
    }
    state.counters["queries"] = static_cast<double>(score.asked);
    state.counters["top1"] = static_cast<double>(score.correct) / static_cast<double>(score.asked);
}

void BM_WrittenUnitForms(benchmark::State& state) {
    forms_benchmark(state, diachi::bench::written_form_names,
                    [](const Registry& registry, const auto& old, const fs::path&) {
                        return diachi::bench::evaluate_written_units(registry, old);
                    });
}
BENCHMARK(BM_WrittenUnitForms)->Iterations(1)->Unit(benchmark::kMillisecond);

void BM_StreetListForms(benchmark::State& state) {
    forms_benchmark(state, diachi::bench::street_form_names,
                    [](const Registry& registry, const auto& old, const fs::path& data) {
                        return diachi::bench::evaluate_streets(
                            registry, old, data / "streets/streets_by_district.csv");
                    });
}
BENCHMARK(BM_StreetListForms)->Iterations(1)->Unit(benchmark::kMillisecond);

template <typename F>
void per_query(benchmark::State& state, const std::vector<std::string>& inputs, F&& f) {
    std::size_t i = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(f(inputs[i]));
        i = (i + 1) % inputs.size();
    }
    diachi::bench::report_percentiles(state, inputs, f, inputs.size() * 2);
}

void BM_Search(benchmark::State& state) {
    auto& b = bench();
    if (!b.ok) {
        state.SkipWithError(b.why.c_str());
        return;
    }
    std::vector<std::string> texts;
    for (const auto& q : b.queries) {
        texts.push_back(q.text);
    }
    per_query(state, texts, [&](const std::string& q) { return b.registry->search(q).size(); });
}
BENCHMARK(BM_Search)->Unit(benchmark::kMicrosecond);

void BM_Suggest(benchmark::State& state) {
    auto& b = bench();
    if (!b.ok) {
        state.SkipWithError(b.why.c_str());
        return;
    }
    per_query(state, b.prefixes,
              [&](const std::string& p) { return b.registry->suggest(p, 10).size(); });
}
BENCHMARK(BM_Suggest)->Unit(benchmark::kMicrosecond);

}  // namespace

int main(int argc, char** argv) {
    return diachi::bench::run_benchmarks(argc, argv, [] { the_bench.reset(); });
}
