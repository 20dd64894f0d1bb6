// The server commands: serve (the tile server, API and map page over one store) and token
// create (a staff or admin token, printed once).

#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <pthread.h>

#include <diachi/server/server.hpp>
#include <diachi/store/registry.hpp>
#include <diachi/tiles/osm_source.hpp>

#include "cli.hpp"
#include "store_support.hpp"

namespace diachi::cli {
namespace {

/// Items of a comma-separated option.
std::vector<std::string> list_option(const Args& args, std::string_view name) {
    std::vector<std::string> out;
    if (const auto value = args.option(name)) {
        std::string_view rest = *value;
        while (!rest.empty()) {
            const std::size_t comma = rest.find(',');
            if (comma != 0) {
                out.emplace_back(rest.substr(0, comma));
            }
            rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
        }
    }
    return out;
}

/// --db or --store (or DIACHI_STORE).
std::string db_path(const Args& args) {
    if (const auto db = args.option("--db")) {
        return std::string(*db);
    }
    return store_path(args);
}

std::filesystem::path tokens_path(const Args& args, const std::string& store) {
    if (const auto file = args.option("--tokens")) {
        return std::string(*file);
    }
    return store + ".tokens";
}

int run_serve(std::span<const std::string_view> words) {
    constexpr std::array<std::string_view, 19> value_options = {
        "--db", "--store", "--bind", "--port", "--threads", "--archive", "--web", "--maplibre",
        "--font", "--osm", "--cache-mb", "--row-cache-mb", "--rate-limit", "--cache-control", "--tokens",
        "--follow", "--follow-ms", "--backup-dir", "--resolve-cache-mb"};
    constexpr std::array<std::string_view, 1> flags = {"--read-only"};
    const Args args(words, value_options, flags);
    args.expect_at_most(0);
    const std::string store = db_path(args);
    server::ServerOptions options;
    options.bind = option_or(args, "--bind", options.bind);
    options.port = static_cast<std::uint16_t>(args.integer_option("--port", 8080, 0, 65535));
    options.threads = static_cast<unsigned>(args.integer_option("--threads", 0, 0, 256));
    options.tile_cache.max_bytes =
        static_cast<std::size_t>(args.integer_option("--cache-mb", 256, 0, 1 << 20)) << 20;
    options.resolve_cache_bytes =
        static_cast<std::size_t>(args.integer_option("--resolve-cache-mb", 16, 0, 1 << 20)) << 20;
    options.rate_limit = args.number_option("--rate-limit", options.rate_limit);
    options.tile_cache_control = option_or(args, "--cache-control", options.tile_cache_control);
    for (const auto& archive : list_option(args, "--archive")) {
        options.archives.emplace_back(archive);
    }
    options.web_root = option_or(args, "--web", DIACHI_WEB_DIR);
    options.maplibre_dist = option_or(args, "--maplibre", (options.web_root / "node_modules/maplibre-gl/dist").string());
    if (!std::filesystem::exists(options.web_root / "index.html")) {
        std::cerr << "diachi serve: no map page at " << options.web_root.string() << " (give --web DIR); serving the API only\n";
        options.web_root.clear();
    }
    if (!std::filesystem::exists(options.maplibre_dist / "maplibre-gl.js")) {
        std::cerr << "diachi serve: MapLibre GL JS is not installed at " << options.maplibre_dist.string()
                  << " (run: npm ci --prefix server/web); the map page will not load\n";
        options.maplibre_dist.clear();
    }
    const auto fonts = list_option(args, "--font");
    if (fonts.empty()) {
        const std::filesystem::path noto = "/usr/share/fonts/truetype/noto";
        for (const auto& [name, file] : {std::pair{"Noto Sans Regular", "NotoSans-Regular.ttf"},
                                         std::pair{"Noto Sans Bold", "NotoSans-Bold.ttf"}}) {
            if (std::filesystem::exists(noto / file)) {
                options.fonts.emplace_back(name, noto / file);
            }
        }
        if (options.fonts.empty()) {
            std::cerr << "diachi serve: no fonts in " << noto.string()
                      << " (install fonts-noto-core or give --font 'NAME=FILE'); labels will not show\n";
        }
    }
    for (const auto& font : fonts) {
        const std::size_t eq = font.find('=');
        if (eq == std::string::npos) {
            throw UsageError("--font takes NAME=FILE, e.g. 'Noto Sans Regular=/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf'");
        }
        options.fonts.emplace_back(font.substr(0, eq), font.substr(eq + 1));
    }
    options.tokens_file = tokens_path(args, store);
    options.backup_dir = option_or(args, "--backup-dir", "");

    // Signals are taken by this thread alone (sigwait below), not by the server's threads.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    store::RegistryOptions registry_options = writable();
    registry_options.create_if_missing = false;
    registry_options.read_only = args.flag("--read-only");
    registry_options.row_cache_bytes =
        static_cast<std::size_t>(args.integer_option("--row-cache-mb", 0, 0, 1 << 20)) << 20;
    if (const auto follower_dir = args.option("--follow")) {
        registry_options.follower_dir = std::string(*follower_dir);
        options.follow_interval = std::chrono::milliseconds(args.integer_option("--follow-ms", 100, 1, 60'000));
    }
    store::Registry registry(store, registry_options);
    std::shared_ptr<const tiles::OsmSource> osm;
    if (const auto path = args.option("--osm")) {
        osm = tiles::OsmSource::read(std::string(*path));
    }
    const tiles::TileRenderer renderer(registry, {}, osm);
    server::Server server(registry, renderer, options);
    server.start();
    const std::string host = options.bind == "0.0.0.0" ? "localhost" : options.bind;
    std::cout << "diachi serve: " << registry.household_count() << " households, "
              << (registry.zones() ? registry.zones()->size() : 0) << " zones, store " << store << '\n'
              << "diachi serve: the map at http://" << host << ':' << server.port() << "/  (stop with Ctrl-C)"
              << std::endl;
    for (;;) {
        int signal = 0;
        sigwait(&signals, &signal);
        if (signal == SIGHUP) {
            try {
                server.reload_archives();
                std::cout << "diachi serve: archives reloaded" << std::endl;
            } catch (const std::exception& e) {
                std::cerr << "diachi serve: reload failed, keeping the old archives: " << e.what() << '\n';
            }
            continue;
        }
        std::cout << "diachi serve: stopping (finishing requests in flight)" << std::endl;
        server.stop();
        break;
    }
    return exit_ok;  // the registry closes cleanly as it goes out of scope
}

int run_token(std::span<const std::string_view> words) {
    constexpr std::array<std::string_view, 6> value_options = {"--db", "--store", "--role", "--label", "--tokens", "--by"};
    const Args args(words, value_options, {});
    args.expect_at_most(2);
    const std::string_view action = args.positional(0, "create|list|revoke|log");
    server::TokenStore tokens(tokens_path(args, db_path(args)));
    if (action == "create") {
        args.expect_at_most(1);
        const auto role = server::parse_role(option_or(args, "--role", "staff"));
        if (!role) {
            throw UsageError("--role is staff or admin");
        }
        std::cout << tokens.create(*role, option_or(args, "--label", "")) << '\n';
        std::cerr << "diachi: a " << server::name(*role)
                  << " token; it is shown only this once (only its hash is kept)\n";
        return exit_ok;
    }
    if (action == "list") {
        args.expect_at_most(1);
        for (const auto& t : tokens.list()) {
            std::cout << t.info.id << ' ' << server::name(t.info.role) << ' ' << (t.revoked ? "revoked" : "active")
                      << ' ' << t.created_ms << ' ' << t.info.label << '\n';
        }
        return exit_ok;
    }
    if (action == "revoke") {
        const std::string id(args.positional(1, "ID"));
        if (!tokens.revoke(id, option_or(args, "--by", "diachi token revoke"))) {
            std::cerr << "diachi: no active token with id " << id << " (diachi token list)\n";
            return exit_rejected;
        }
        std::cerr << "diachi: token " << id << " revoked; servers refuse it from their next request\n";
        return exit_ok;
    }
    if (action == "log") {
        args.expect_at_most(1);
        std::ifstream in(tokens.audit_path());
        std::cout << in.rdbuf();
        return exit_ok;
    }
    throw UsageError("token takes create, list, revoke ID or log");
}

}  // namespace

int run_server_command(std::string_view command, std::span<const std::string_view> words) {
    if (command == "serve") return run_serve(words);
    if (command == "token") return run_token(words);
    return -1;
}

}  // namespace diachi::cli
