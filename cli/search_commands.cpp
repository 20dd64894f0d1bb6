// The search commands: search (free address text -> places), suggest (autocomplete), and
// units import (the pre-2025 units search maps old addresses with).

#include <array>
#include <cmath>
#include <iostream>

#include <diachi/geography/street_reader.hpp>
#include <diachi/geography/unit_reader.hpp>
#include <diachi/store/registry.hpp>

#include "cli.hpp"
#include "store_support.hpp"

namespace diachi::cli {
namespace {

void print_results(const std::vector<store::SearchResult>& results, std::string_view input,
                   bool json) {
    if (json) {
        std::cout << store::search_results_json(input, results) << '\n';
        return;
    }
    for (const auto& r : results) {
        std::cout << number_text(std::round(r.score * 100) / 100) << "  " << store::name(r.kind)
                  << "  " << r.label;
        if (r.household) {
            std::cout << "  " << r.household->code.display().view();
        }
        std::cout << "  (" << e7_text(r.location.lat_e7) << ' ' << e7_text(r.location.lng_e7)
                  << ")\n";
        for (const auto& note : r.notes) {
            std::cout << "    note: " << note << '\n';
        }
    }
}

/// What an import stored: {"FIELD": N} with --json, else "N WHAT".
int report_stored(const Args& args, const char* field, std::size_t stored, const char* what) {
    if (args.flag("--json")) {
        std::cout << JsonObject{}.field(field, static_cast<long>(stored)).str() << '\n';
    } else {
        std::cout << stored << ' ' << what << '\n';
    }
    return exit_ok;
}

int run_search(std::span<const std::string_view> words) {
    constexpr std::array<std::string_view, 4> value_options = {"--store", "--limit", "--near",
                                                               "--bbox"};
    constexpr std::array<std::string_view, 2> flags = {"--json", "--staff"};
    const Args args(words, value_options, flags);
    args.expect_at_most(1);
    const std::string_view query = args.positional(0, "QUERY");
    store::SearchOptions options;
    options.limit = static_cast<std::size_t>(args.integer_option("--limit", 10, 1, 1000));
    options.access = args.flag("--staff") ? store::Access::staff : store::Access::anonymous;
    if (const std::string near = option_or(args, "--near", {}); !near.empty()) {
        const auto point = store::parse_near(near);
        if (!point) {
            throw UsageError("--near '" + near + "': " + point.error().message());
        }
        options.near = *point;
    }
    if (const std::string box = option_or(args, "--bbox", {}); !box.empty()) {
        const auto parsed = store::parse_bbox(box);
        if (!parsed) {
            throw UsageError("--bbox '" + box + "': " + parsed.error().message());
        }
        options.bbox = *parsed;
    }
    const store::Registry registry(store_path(args), read_only());
    const auto results = registry.search(query, options);
    print_results(results, query, args.flag("--json"));
    if (results.empty()) {
        std::cerr << "diachi: '" << query << "': nothing found\n";
        return exit_rejected;
    }
    return exit_ok;
}

int run_suggest(std::span<const std::string_view> words) {
    constexpr std::array<std::string_view, 3> value_options = {"--store", "--limit", "--near"};
    constexpr std::array<std::string_view, 1> flags = {"--json"};
    const Args args(words, value_options, flags);
    args.expect_at_most(1);
    const std::string_view prefix = args.positional(0, "PREFIX");
    const auto limit = static_cast<std::size_t>(args.integer_option("--limit", 10, 1, 1000));
    const store::Registry registry(store_path(args), read_only());
    if (const std::string near = option_or(args, "--near", {}); !near.empty()) {
        const auto point = store::parse_near(near);
        if (!point) {
            throw UsageError("--near '" + near + "': " + point.error().message());
        }
        print_results(registry.suggest(prefix, limit, *point), prefix, args.flag("--json"));
        return exit_ok;
    }
    print_results(registry.suggest(prefix, limit), prefix, args.flag("--json"));
    return exit_ok;
}

int run_units_import(std::span<const std::string_view> words) {
    constexpr std::array<std::string_view, 2> value_options = {"--store", "--units"};
    constexpr std::array<std::string_view, 1> flags = {"--json"};
    const Args args(words, value_options, flags);
    args.expect_at_most(1);
    const std::string mapping(args.positional(0, "MAPPING.csv"));
    const auto units = geography::read_old_units(mapping, option_or(args, "--units", {}));
    store::Registry registry(store_path(args), writable());
    const std::size_t stored = registry.import_old_units(units);
    return report_stored(args, "old_units", stored, "old units stored");
}

int run_streets_import(std::span<const std::string_view> words) {
    constexpr std::array<std::string_view, 1> value_options = {"--store"};
    constexpr std::array<std::string_view, 1> flags = {"--json"};
    const Args args(words, value_options, flags);
    args.expect_at_most(1);
    const std::string path(args.positional(0, "STREETS.csv|FILE.osm.pbf"));
    const bool osm = path.ends_with(".pbf") || path.ends_with(".osm");
    store::Registry registry(store_path(args), writable());
    // A street list by district, or the streets' shapes from OpenStreetMap.
    const std::size_t stored = osm ? registry.import_street_lines(geography::read_osm_streets(path))
                                   : registry.import_streets(geography::read_streets(path));
    return report_stored(args, "streets", stored, "street rows stored");
}

int run_places_import(std::span<const std::string_view> words) {
    constexpr std::array<std::string_view, 1> value_options = {"--store"};
    constexpr std::array<std::string_view, 1> flags = {"--json"};
    const Args args(words, value_options, flags);
    args.expect_at_most(1);
    const std::string path(args.positional(0, "FILE.osm.pbf"));
    store::Registry registry(store_path(args), writable());
    const std::size_t stored = registry.import_places(geography::read_osm_places(path));
    return report_stored(args, "places", stored, "named places stored");
}

}  // namespace

int run_search_command(std::string_view command, std::span<const std::string_view> words) {
    if (command == "search") return run_search(words);
    if (command == "suggest") return run_suggest(words);
    if (command == "units") {
        if (words.empty() || words[0] != "import") {
            throw UsageError("units: expected 'units import MAPPING.csv [--units UNITS.json]'");
        }
        return run_units_import(words.subspan(1));
    }
    if (command == "places") {
        if (words.empty() || words[0] != "import") {
            throw UsageError("places: expected 'places import FILE.osm.pbf'");
        }
        return run_places_import(words.subspan(1));
    }
    if (command == "streets") {
        if (words.empty() || words[0] != "import") {
            throw UsageError("streets: expected 'streets import STREETS.csv'");
        }
        return run_streets_import(words.subspan(1));
    }
    return -1;
}

}  // namespace diachi::cli
