// The registry commands: zones import, import, register, resolve, reverse, where, household,
// update, move, retire, history, backup, check. All take --store DIR (or the DIACHI_STORE environment
// variable).

#include <array>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <optional>

#include <diachi/geography/zone_reader.hpp>
#include <diachi/store/importer.hpp>
#include <diachi/store/registry.hpp>

#include "cli.hpp"
#include "store_support.hpp"

namespace diachi::cli {

std::string store_path(const Args& args) {
    if (const auto path = args.option("--store")) {
        return std::string(*path);
    }
    if (const char* env = std::getenv("DIACHI_STORE"); env != nullptr && *env != '\0') {
        return env;
    }
    throw UsageError("no store: give --store DIR (or set DIACHI_STORE)");
}

std::string option_or(const Args& args, std::string_view name, std::string fallback) {
    const auto value = args.option(name);
    return value ? std::string(*value) : std::move(fallback);
}

/// Appends @p item to a JSON array under construction ("[" then items, closed by the caller).
void append_item(std::string* list, std::string_view item) {
    if (list->size() > 1) {
        list->push_back(',');
    }
    list->append(item);
}

store::RegistryOptions read_only() {
    store::RegistryOptions options;
    options.read_only = true;
    return options;
}

store::RegistryOptions writable() {
    store::RegistryOptions options;
    const char* unsafe = std::getenv("DIACHI_UNSAFE_DISABLE_WAL");
    options.disable_wal = unsafe != nullptr && std::string_view(unsafe) == "1";
    return options;
}

namespace {

using store::Access;
using store::Household;
using store::Registry;

/// A location typed as the positional words LAT LNG from @p first (read as exact decimals), and
/// the text to name in an error.
struct TypedLocation {
    Result<LatLngE7> location;
    std::string text;
};

TypedLocation typed_location(const Args& args, std::size_t first) {
    const std::string_view lat = args.positional(first, "LAT");
    const std::string_view lng = args.positional(first + 1, "LNG");
    return {LatLngE7::from_decimal(lat, lng), std::string(lat) + " " + std::string(lng)};
}

void print_household_text(const Household& h) {
    std::cout << h.code.display().view() << "  id " << h.id << "  " << e7_text(h.location.lat_e7)
              << ' ' << e7_text(h.location.lng_e7) << "  " << store::name(h.status) << '\n';
    std::string address;
    for (const std::string* part :
         {&h.address.house_number, &h.address.street, &h.address.hamlet, &h.commune, &h.province}) {
        if (!part->empty()) {
            address += (address.empty() ? "" : ", ") + *part;
        }
    }
    std::cout << "  " << address << '\n';
    if (h.personal) {
        std::cout << "  head " << h.personal->head_of_household << "  phone " << h.personal->phone
                  << '\n';
    }
}

constexpr std::array<std::string_view, 2> staff_json_flags = {"--json", "--staff"};

int run_zones_import(std::span<const std::string_view> words) {
    constexpr std::array<std::string_view, 14> value_options = {"--store",
                                                                "--postcodes",
                                                                "--postcode-id-column",
                                                                "--postcode-column",
                                                                "--prefixes",
                                                                "--layer",
                                                                "--id-field",
                                                                "--name-field",
                                                                "--parent-id-field",
                                                                "--parent-name-field",
                                                                "--postcode-field",
                                                                "--crs",
                                                                "--valid-from",
                                                                "--edge-tolerance-m"};
    constexpr std::array<std::string_view, 1> flags = {"--json"};
    const Args args(words, value_options, flags);
    args.expect_at_most(1);
    const std::string file(args.positional(0, "FILE"));
    geography::ZoneReadOptions options;
    options.layer = option_or(args, "--layer", options.layer);
    options.id_field = option_or(args, "--id-field", options.id_field);
    options.name_field = option_or(args, "--name-field", options.name_field);
    options.parent_id_field = option_or(args, "--parent-id-field", options.parent_id_field);
    options.parent_name_field = option_or(args, "--parent-name-field", options.parent_name_field);
    options.postcode_field = option_or(args, "--postcode-field", options.postcode_field);
    options.source_crs = option_or(args, "--crs", options.source_crs);
    options.valid_from = option_or(args, "--valid-from", options.valid_from);
    auto zones = geography::read_zones(file, options);
    std::size_t joined = 0;
    if (const auto postcodes = args.option("--postcodes")) {
        const auto table = geography::read_postcode_table(
            std::string(*postcodes), option_or(args, "--postcode-id-column", "commune_code_gso"),
            option_or(args, "--postcode-column", "postcode"));
        joined = geography::join_postcodes(table, &zones);
    }
    std::vector<geography::ProvincePrefixes> prefixes;
    if (const auto path = args.option("--prefixes")) {
        prefixes = geography::read_prefix_table(std::string(*path));
    }
    Registry registry(store_path(args), writable());
    const auto summary = registry.import_zones(std::move(zones), prefixes);
    if (args.flag("--json")) {
        std::cout << JsonObject{}
                         .field("zones", static_cast<long>(summary.zones))
                         .field("with_postcode", static_cast<long>(summary.with_postcode))
                         .field("postcodes_joined", static_cast<long>(joined))
                         .field("closed", static_cast<long>(summary.closed))
                         .field("prefix_provinces", static_cast<long>(prefixes.size()))
                         .str()
                  << '\n';
    } else {
        std::cout << summary.zones << " zones stored (" << summary.with_postcode
                  << " with a postcode), " << summary.closed << " earlier versions closed, "
                  << prefixes.size() << " provinces in the prefix table\n";
    }
    return exit_ok;
}

int run_import(std::span<const std::string_view> words) {
    constexpr std::array<std::string_view, 16> value_options = {
        "--store",        "--layer",        "--source",
        "--actor",        "--lat-field",    "--lng-field",
        "--crs",          "--id-field",     "--house-number-field",
        "--street-field", "--hamlet-field", "--head-field",
        "--phone-field",  "--batch-size",   "--progress",
        "--errors"};
    constexpr std::array<std::string_view, 1> flags = {"--json"};
    const Args args(words, value_options, flags);
    args.expect_at_most(1);
    const std::string file(args.positional(0, "FILE"));
    store::ImportOptions options;
    options.layer = option_or(args, "--layer", "");
    options.source = option_or(args, "--source", "");
    options.actor = option_or(args, "--actor", options.actor);
    options.lat_field = option_or(args, "--lat-field", "");
    options.lng_field = option_or(args, "--lng-field", "");
    options.crs = option_or(args, "--crs", "");
    options.id_field = option_or(args, "--id-field", "");
    options.house_number_field = option_or(args, "--house-number-field", "");
    options.street_field = option_or(args, "--street-field", "");
    options.hamlet_field = option_or(args, "--hamlet-field", "");
    options.head_field = option_or(args, "--head-field", "");
    options.phone_field = option_or(args, "--phone-field", "");
    options.batch_size =
        static_cast<std::size_t>(args.integer_option("--batch-size", 50'000, 1, 1'000'000));
    const std::string progress_mode = option_or(args, "--progress", "timed");
    if (progress_mode != "timed" && progress_mode != "batch" && progress_mode != "none") {
        throw UsageError("--progress takes timed, batch or none");
    }
    const auto errors_shown =
        static_cast<std::size_t>(args.integer_option("--errors", 20, 0, 1'000'000));
    Registry registry(store_path(args), writable());
    auto last = std::chrono::steady_clock::now();
    const auto report_progress = [&](const store::ImportProgress& p) {
        const auto now = std::chrono::steady_clock::now();
        if (p.merging && progress_mode != "none") {
            std::cerr << "all " << p.rows << " rows committed; merging the new store's files"
                      << std::endl;
            return;
        }
        if (progress_mode == "none" ||
            (progress_mode == "timed" && now - last < std::chrono::seconds(1))) {
            return;
        }
        last = now;
        // "committed" lines name rows whose outcome is durable: the crash test relies on it.
        std::cerr << "committed " << p.rows;
        if (p.total_hint > 0) {
            std::cerr << " of " << p.total_hint;
        }
        std::cerr << " rows: " << p.created << " created, " << p.existing << " existing, "
                  << p.failed << " failed, "
                  << static_cast<long>(static_cast<double>(p.rows) / std::max(p.seconds, 1e-9))
                  << " rows/s" << std::endl;
    };
    const auto summary = store::import_households(registry, file, options, report_progress);
    const auto& c = summary.counts;
    if (args.flag("--json")) {
        std::string errors = "[";
        for (std::size_t i = 0; i < summary.errors.size() && i < errors_shown; ++i) {
            append_item(&errors, JsonObject{}
                                     .field("row", static_cast<long>(summary.errors[i].row))
                                     .field("message", summary.errors[i].message)
                                     .str());
        }
        errors += "]";
        std::cout << JsonObject{}
                         .field("rows", static_cast<long>(c.rows))
                         .field("created", static_cast<long>(c.created))
                         .field("existing", static_cast<long>(c.existing))
                         .field("failed", static_cast<long>(c.failed))
                         .field("seconds", c.seconds)
                         .raw("errors", errors)
                         .str()
                  << '\n';
    } else {
        for (std::size_t i = 0; i < summary.errors.size() && i < errors_shown; ++i) {
            std::cerr << file << ": " << summary.errors[i].message << '\n';
        }
        if (c.failed > errors_shown) {
            std::cerr << "... and " << (c.failed - std::min<std::uint64_t>(c.failed, errors_shown))
                      << " more errors\n";
        }
        std::cout << c.rows << " rows: " << c.created << " households registered, " << c.existing
                  << " already registered, " << c.failed << " rejected, in "
                  << number_text(std::round(c.seconds * 100) / 100) << " s\n";
    }
    return c.failed > 0 ? exit_rejected : exit_ok;
}

int run_register(std::span<const std::string_view> words) {
    constexpr std::array<std::string_view, 9> value_options = {
        "--store", "--house-number", "--street",      "--hamlet", "--head",
        "--phone", "--source",       "--external-id", "--actor"};
    const Args args(words, value_options, staff_json_flags);
    args.expect_at_most(2);
    const auto typed = typed_location(args, 0);
    const bool json = args.flag("--json");
    const auto& location = typed.location;
    if (!location) {
        return report(location.error(), typed.text, json);
    }
    store::Registration r;
    r.location = *location;
    r.address.house_number = option_or(args, "--house-number", "");
    r.address.street = option_or(args, "--street", "");
    r.address.hamlet = option_or(args, "--hamlet", "");
    r.personal.head_of_household = option_or(args, "--head", "");
    r.personal.phone = option_or(args, "--phone", "");
    r.source = option_or(args, "--source", "cli");
    r.external_id = option_or(args, "--external-id", "");
    r.actor = option_or(args, "--actor", "cli");
    Registry registry(store_path(args), writable());
    auto result = registry.register_household(r);
    if (!result) {
        return report(result.error(), typed.text, json);
    }
    if (!args.flag("--staff")) {
        result->household.personal.reset();
    }
    if (json) {
        std::cout << JsonObject{}
                         .field("created", result->created)
                         .raw("household", household_json(result->household))
                         .str()
                  << '\n';
    } else {
        std::cout << (result->created ? "registered " : "already registered ");
        print_household_text(result->household);
    }
    return exit_ok;
}

int run_resolve(std::span<const std::string_view> words) {
    constexpr std::array<std::string_view, 1> value_options = {"--store"};
    const Args args(words, value_options, staff_json_flags);
    args.expect_at_most(1);
    const std::string_view text = args.positional(0, "CODE");
    const bool json = args.flag("--json");
    const Registry registry(store_path(args), read_only());
    const auto access = args.flag("--staff") ? Access::staff : Access::anonymous;
    const auto resolution = registry.resolve(text, access);
    if (!resolution) {
        return report(resolution.error(), text, json);
    }
    const auto& r = *resolution;
    if (json) {
        std::cout << store::resolution_json(text, r) << '\n';
    } else {
        for (const auto& note : r.notes) {
            std::cout << "note: " << note << '\n';
        }
        for (const auto& h : r.households) {
            print_household_text(h);
        }
        if (r.households.empty()) {
            std::cerr << "diachi: '" << text << "': not registered\n";
            for (const auto& s : r.suggestions) {
                std::cout << "did you mean " << s.code.display().view() << " (" << s.edit << ")\n";
            }
        }
    }
    return r.households.empty() ? exit_rejected : exit_ok;
}

int run_reverse(std::span<const std::string_view> words) {
    constexpr std::array<std::string_view, 3> value_options = {"--store", "--k",
                                                               "--max-distance-m"};
    const Args args(words, value_options, staff_json_flags);
    args.expect_at_most(2);
    const auto typed = typed_location(args, 0);
    const bool json = args.flag("--json");
    const auto k = static_cast<std::size_t>(args.integer_option("--k", 5, 1, 1000));
    const double reach = args.number_option("--max-distance-m", 500.0);
    const auto& location = typed.location;
    if (!location) {
        return report(location.error(), typed.text, json);
    }
    const Registry registry(store_path(args), read_only());
    std::vector<store::Nearby> nearby;
    registry.reverse(*location, k, reach, &nearby,
                     args.flag("--staff") ? Access::staff : Access::anonymous);
    const auto place = registry.where(*location);
    if (json) {
        std::string list = "[";
        for (const auto& n : nearby) {
            append_item(&list, store::nearby_json(n));
        }
        JsonObject out;
        if (place) {
            out.field("zone_id", place->zone.id)
                .field("commune", place->zone.name)
                .field("province", place->zone.parent_name)
                .field("postcode", diachi::postcode_text(place->zone.postcode).str());
        } else {
            out.field("zone_error", name(place.error().code));
        }
        std::cout << out.raw("nearest", list + "]").str() << '\n';
    } else {
        if (place) {
            std::cout << place->zone.name << ", " << place->zone.parent_name << "  postcode "
                      << diachi::postcode_text(place->zone.postcode).str() << '\n';
        }
        for (const auto& n : nearby) {
            std::cout << number_text(std::round(n.distance_m * 10) / 10) << " m  ";
            print_household_text(n.household);
        }
    }
    return exit_ok;
}

int run_where(std::span<const std::string_view> words) {
    constexpr std::array<std::string_view, 1> value_options = {"--store"};
    constexpr std::array<std::string_view, 1> flags = {"--json"};
    const Args args(words, value_options, flags);
    args.expect_at_most(2);
    const auto typed = typed_location(args, 0);
    const bool json = args.flag("--json");
    const auto& location = typed.location;
    if (!location) {
        return report(location.error(), typed.text, json);
    }
    const Registry registry(store_path(args), read_only());
    const auto place = registry.where(*location);
    if (!place) {
        return report(place.error(), typed.text, json);
    }
    const auto& z = place->zone;
    if (json) {
        std::cout << JsonObject{}
                         .field("zone_id", z.id)
                         .field("commune", z.name)
                         .field("province_id", z.parent_id)
                         .field("province", z.parent_name)
                         .field("postcode", diachi::postcode_text(z.postcode).str())
                         .field("inside", place->hit.inside)
                         .field("distance_m", place->hit.distance_m)
                         .field("valid_from", z.valid_from)
                         .str()
                  << '\n';
    } else {
        std::cout << z.name << ", " << z.parent_name << "  (zone " << z.id << ")  postcode "
                  << diachi::postcode_text(z.postcode).str();
        if (!place->hit.inside) {
            std::cout << "  [outside the outline by "
                      << number_text(std::round(place->hit.distance_m)) << " m]";
        }
        std::cout << '\n';
    }
    return exit_ok;
}

std::uint64_t household_id(const Args& args) {
    const std::string_view text = args.positional(0, "ID");
    std::uint64_t id = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc{} || end != text.data() + text.size() || id == 0) {
        throw UsageError("ID must be a household id (a positive number), got '" +
                         std::string(text) + "'");
    }
    return id;
}

int print_result(const Result<Household>& h, std::string_view input, bool json) {
    if (!h) {
        return report(h.error(), input, json);
    }
    if (json) {
        std::cout << household_json(*h) << '\n';
    } else {
        print_household_text(*h);
    }
    return exit_ok;
}

int run_household(std::span<const std::string_view> words) {
    constexpr std::array<std::string_view, 1> value_options = {"--store"};
    const Args args(words, value_options, staff_json_flags);
    args.expect_at_most(1);
    const Registry registry(store_path(args), read_only());
    return print_result(
        registry.get(household_id(args), args.flag("--staff") ? Access::staff : Access::anonymous),
        args.positional(0, "ID"), args.flag("--json"));
}

int run_move(std::span<const std::string_view> words) {
    constexpr std::array<std::string_view, 2> value_options = {"--store", "--actor"};
    constexpr std::array<std::string_view, 1> flags = {"--json"};
    const Args args(words, value_options, flags);
    args.expect_at_most(3);
    const auto typed = typed_location(args, 1);
    const auto& location = typed.location;
    if (!location) {
        return report(location.error(), typed.text, args.flag("--json"));
    }
    Registry registry(store_path(args), writable());
    auto h = registry.move(household_id(args), *location, option_or(args, "--actor", "cli"));
    if (h) {
        h->personal.reset();
    }
    return print_result(h, args.positional(0, "ID"), args.flag("--json"));
}

int run_update(std::span<const std::string_view> words) {
    constexpr std::array<std::string_view, 5> value_options = {
        "--store", "--actor", "--house-number", "--street", "--hamlet"};
    constexpr std::array<std::string_view, 1> flags = {"--json"};
    const Args args(words, value_options, flags);
    args.expect_at_most(1);
    Registry registry(store_path(args), writable());
    const std::uint64_t id = household_id(args);
    // Parts not given keep their current value.
    auto current = registry.get(id);
    if (!current) {
        return report(current.error(), args.positional(0, "ID"), args.flag("--json"));
    }
    store::Address address = current->address;
    address.house_number = option_or(args, "--house-number", address.house_number);
    address.street = option_or(args, "--street", address.street);
    address.hamlet = option_or(args, "--hamlet", address.hamlet);
    auto h = registry.update_address(id, address, option_or(args, "--actor", "cli"));
    if (h) {
        h->personal.reset();
    }
    return print_result(h, args.positional(0, "ID"), args.flag("--json"));
}

int run_retire(std::span<const std::string_view> words) {
    constexpr std::array<std::string_view, 3> value_options = {"--store", "--actor", "--reason"};
    constexpr std::array<std::string_view, 1> flags = {"--json"};
    const Args args(words, value_options, flags);
    args.expect_at_most(1);
    Registry registry(store_path(args), writable());
    auto h = registry.retire(household_id(args), option_or(args, "--actor", "cli"),
                             option_or(args, "--reason", ""));
    if (h) {
        h->personal.reset();
    }
    return print_result(h, args.positional(0, "ID"), args.flag("--json"));
}

int run_history(std::span<const std::string_view> words) {
    constexpr std::array<std::string_view, 1> value_options = {"--store"};
    constexpr std::array<std::string_view, 1> flags = {"--json"};
    const Args args(words, value_options, flags);
    args.expect_at_most(1);
    const std::uint64_t id = household_id(args);
    const Registry registry(store_path(args), read_only());
    const auto events = registry.history(id);
    if (events.empty()) {
        return report(Error{ErrorCode::not_found, 0, 0, "no household with this id"},
                      args.positional(0, "ID"), args.flag("--json"));
    }
    if (args.flag("--json")) {
        std::cout << store::history_json(id, events) << '\n';
    } else {
        for (const auto& e : events) {
            std::cout << e.sequence << "  " << e.time_ms << "  " << store::name(e.action) << "  by "
                      << e.actor << "  " << e.detail << '\n';
        }
    }
    return exit_ok;
}

int run_backup(std::span<const std::string_view> words) {
    constexpr std::array<std::string_view, 1> value_options = {"--store"};
    const Args args(words, value_options, {});
    args.expect_at_most(1);
    const std::string target(args.positional(0, "DIR"));
    // The writer makes the checkpoint, so that it holds what is still only in the write-ahead
    // log; a store a server holds is backed up by the server.
    std::optional<Registry> opened;
    try {
        opened.emplace(store_path(args), writable());
    } catch (const std::runtime_error& e) {
        if (std::string_view(e.what()).find("LOCK") == std::string_view::npos) {
            throw;
        }
        throw std::runtime_error(store_path(args) +
                                 ": the store is in use (a server holds it); ask the server for the backup: "
                                 "POST /v1/backup with an admin token (diachi serve --backup-dir DIR)");
    }
    const Registry& registry = *opened;
    registry.checkpoint(target);
    std::cout << "checkpoint of " << registry.path() << " written to " << target << '\n';
    return exit_ok;
}

/// `diachi check`: verifies the store, read-only (it may run beside a server on the same
/// store); exit 1 when it finds problems.
int run_check(std::span<const std::string_view> words) {
    constexpr std::array<std::string_view, 1> value_options = {"--store"};
    constexpr std::array<std::string_view, 1> flags = {"--json"};
    const Args args(words, value_options, flags);
    args.expect_at_most(0);
    const Registry registry(store_path(args), read_only());
    const auto report = registry.check();
    if (args.flag("--json")) {
        JsonArray problems;
        for (const auto& p : report.problems) {
            problems.string(p);
        }
        std::cout << JsonObject{}
                         .field("store", registry.path())
                         .field("ok", report.ok())
                         .field("households", static_cast<long>(report.households))
                         .field("retired", static_cast<long>(report.retired))
                         .field("codes", static_cast<long>(report.codes))
                         .field("cell_entries", static_cast<long>(report.cell_entries))
                         .field("external_ids", static_cast<long>(report.external_ids))
                         .field("history_events", static_cast<long>(report.history_events))
                         .field("density_mismatches", static_cast<long>(report.density_mismatches))
                         .field("cell_mismatches", static_cast<long>(report.cell_mismatches))
                         .field("problem_count", static_cast<long>(report.problem_count))
                         .raw("problems", problems.str())
                         .str()
                  << '\n';
    } else {
        std::cout << registry.path() << ": " << report.households << " households (" << report.retired
                  << " retired), " << report.codes << " codes, " << report.cell_entries << " cell index entries, "
                  << report.external_ids << " external ids, " << report.history_events << " history events\n";
        for (const auto& p : report.problems) {
            std::cout << "problem: " << p << '\n';
        }
        if (report.problem_count > report.problems.size()) {
            std::cout << "... and " << report.problem_count - report.problems.size() << " more\n";
        }
        std::cout << (report.ok() ? "ok: no problems found\n" : std::to_string(report.problem_count) + " problems\n");
    }
    return report.ok() ? exit_ok : exit_rejected;
}

}  // namespace

int run_zones(std::span<const std::string_view> words) {
    if (words.empty() || words[0] != "import") {
        throw UsageError("zones: expected 'zones import FILE'");
    }
    return run_zones_import(words.subspan(1));
}

int run_registry_command(std::string_view command, std::span<const std::string_view> words) {
    if (command == "import") return run_import(words);
    if (command == "register") return run_register(words);
    if (command == "resolve") return run_resolve(words);
    if (command == "reverse") return run_reverse(words);
    if (command == "where") return run_where(words);
    if (command == "household") return run_household(words);
    if (command == "move") return run_move(words);
    if (command == "retire") return run_retire(words);
    if (command == "update") return run_update(words);
    if (command == "history") return run_history(words);
    if (command == "backup") return run_backup(words);
    if (command == "check") return run_check(words);
    if (command == "zones") return run_zones(words);
    return -1;
}

}  // namespace diachi::cli
