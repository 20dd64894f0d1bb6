// diachi: the command-line tool. Each command lives in a run_<command>() function; this file
// dispatches and turns errors into exit codes.

#include <exception>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "cli.hpp"

#ifdef DIACHI_WITH_JEMALLOC
#include <jemalloc/jemalloc.h>
#endif

namespace {

/// The allocator this binary runs with (cmake/DiachiAllocator.cmake), for --version.
std::string allocator() {
#ifdef DIACHI_WITH_JEMALLOC
    const char* version = nullptr;
    std::size_t size = sizeof(version);
    if (mallctl("version", static_cast<void*>(&version), &size, nullptr, 0) == 0) {
        return std::string("jemalloc ") + version;
    }
    return "jemalloc (linked; its version unknown)";
#else
    return "the default malloc";
#endif
}

constexpr std::string_view usage = R"(usage: diachi COMMAND [ARGS] [--json]

Open Location Code (coordinates are WGS 84 decimal degrees, latitude first, read exactly):
  encode LAT LNG [--length N]      the code of a point (default 11 digits)
  decode CODE                      the area of a full code
  shorten CODE LAT LNG             drop the digits a nearby reference point implies
  recover SHORT LAT LNG            the full code nearest a reference point

Household codes (postcode + 7 grid characters, e.g. "11120 7Q89+XG2"):
  code parse CODE                  check and show every form of a household code
  code make POSTCODE LAT LNG [--unit N]
                                   the household code of a point in a commune
  code recover CODE LAT LNG [--max-distance-m M]
                                   candidate cells for a code near a reference point

Zones and the household registry (every command takes --store DIR, or DIACHI_STORE):
  zones import FILE [--postcodes CSV] [--prefixes TSV] [--id-field F] [--name-field F]
        [--parent-id-field F] [--parent-name-field F] [--postcode-field F] [--layer L]
        [--crs CRS] [--valid-from YYYY-MM-DD]
                                   store the zones of any GDAL vector file as the current set
  where LAT LNG                    the commune, province and postcode of a point
  register LAT LNG [--house-number T] [--street T] [--hamlet T] [--head T] [--phone T]
        [--source S] [--external-id ID] [--actor A]
                                   register a household; prints its code
  import FILE [--lat-field F --lng-field F] [--crs CRS] [--id-field F] [--source S]
        [--house-number-field F] [--street-field F] [--hamlet-field F] [--batch-size N]
        [--progress timed|batch|none]
                                   bulk import from CSV or any GDAL vector file
  resolve CODE [--staff]           the household(s) of a code; old postcodes, did-you-mean
  reverse LAT LNG [--k N] [--max-distance-m M] [--staff]
                                   the nearest households and the point's commune
  household ID [--staff]           one household (--staff adds personal fields)
  update ID [--house-number T] [--street T] [--hamlet T]
                                   change the written address (parts not given stay)
  move ID LAT LNG                  new location, new code; the old code keeps resolving
  retire ID [--reason T]           retire a household; its codes stay reserved
  history ID                       every change to a household
  backup DIR                       a consistent checkpoint another process can serve from (a
                                   store a server holds: POST /v1/backup, see docs/hardening.md)
  check [--json]                   verify the store (indexes, codes, history); changes nothing

Address search (Vietnamese, with or without diacritics; old units too once imported):
  search QUERY [--limit N] [--staff] [--near LAT,LNG] [--bbox S,W,N,E]
                                   households, hamlets, streets, communes for free text or a code
                                   (a plus code too); nearer first between equal readings
  suggest PREFIX [--limit N] [--near LAT,LNG]
                                   completions as the text is typed (nearest first with --near)
  units import MAPPING.csv [--units UNITS.json]
                                   store the pre-2025 communes, districts and provinces
  streets import STREETS.csv|FILE.osm.pbf
                                   store a street list (province, district_type, district,
                                   street: found in their old district's communes) or the
                                   named highway ways of an OpenStreetMap file (found in the
                                   communes they run through)
  places import FILE.osm.pbf       store the named places (shops, schools, offices, markets) of
                                   an OpenStreetMap file, found by search by name

Vector tiles (Mapbox Vector Tiles 2.1; layers: households, communes, provinces, labels, grid, osm):
  tile Z X Y [--layers L,...] [--osm FILE.osm.pbf] [--gzip] [--json] [--check]
                                   one tile from the live store (raw MVT on stdout; --json decodes
                                   it, --check lists every rule of the specification it breaks)
  export OUT [--format pmtiles|mbtiles] [--minzoom Z] [--maxzoom Z] [--bbox W,S,E,N]
        [--layers L,...] [--osm FILE.osm.pbf] [--threads N] [--quiet]
                                   a pyramid of tiles to a PMTiles or MBTiles archive

The server (tiles, JSON API, map page; docs/server.md):
  serve [--db DIR] [--bind ADDR] [--port N] [--threads N] [--archive A.pmtiles,...]
        [--osm FILE.osm.pbf] [--cache-mb N] [--resolve-cache-mb N] [--row-cache-mb N]
        [--rate-limit N] [--web DIR]
        [--font NAME=FILE] [--read-only] [--follow DIR [--follow-ms N]] [--backup-dir DIR]
                                   serve the store; SIGTERM drains, SIGHUP reloads archives;
                                   --read-only serves a copy (diachi backup) beside the primary;
                                   --follow DIR serves a replica of a store another server
                                   writes, catching up every N ms (100), its own files in DIR;
                                   --backup-dir takes online backups (POST /v1/backup, admin)
  token create [--role staff|admin] [--label WHO]
                                   a token for staff routes, printed once (its hash is kept)
  token list | revoke ID [--by WHO] | log
                                   tokens by id; revoke one; the audit log (created, used, revoked)

Sample data (deterministic):
  sample zones DIR                 sample communes and postcodes (when no real data is at hand)
  sample households ZONES.geojson --postcodes CSV --count N --out FILE.csv [--seed S]
                                   villages of households inside real or sample communes

Options:
  --json       print one JSON object instead of text
  --help       this text
  --version    the version

Exit status: 0 done, 1 input rejected (message on stderr), 2 usage error.
)";

}  // namespace

int main(int argc, char** argv) {
    using namespace diachi::cli;
    std::vector<std::string_view> words(argv + 1, argv + argc);
    if (words.empty() || words[0] == "--help" || words[0] == "-h" || words[0] == "help") {
        std::cout << usage;
        return words.empty() ? exit_usage : exit_ok;
    }
    if (words[0] == "--version") {
        std::cout << "diachi " << DIACHI_VERSION << '\n' << "allocator: " << allocator() << '\n';
        return exit_ok;
    }
    const std::string_view command = words[0];
    const std::span<const std::string_view> rest(words.data() + 1, words.size() - 1);
    try {
        if (command == "encode") {
            return run_encode(rest);
        }
        if (command == "decode") {
            return run_decode(rest);
        }
        if (command == "shorten") {
            return run_shorten(rest);
        }
        if (command == "recover") {
            return run_recover(rest);
        }
        if (command == "code") {
            return run_code(rest);
        }
        if (command == "sample") {
            return run_sample(rest);
        }
        if (const int status = run_registry_command(command, rest); status >= 0) {
            return status;
        }
        if (const int status = run_search_command(command, rest); status >= 0) {
            return status;
        }
        if (const int status = run_tile_command(command, rest); status >= 0) {
            return status;
        }
        if (const int status = run_server_command(command, rest); status >= 0) {
            return status;
        }
        throw UsageError("unknown command '" + std::string(command) + "'");
    } catch (const UsageError& e) {
        std::cerr << "diachi: " << e.what() << "\n\n" << usage;
        return exit_usage;
    } catch (const std::exception& e) {
        std::cerr << "diachi: " << e.what() << '\n';
        return exit_rejected;
    }
}
