#ifndef DIACHI_STORE_REGISTRY_HPP
#define DIACHI_STORE_REGISTRY_HPP

/// @file
/// The household registry: zones and households in one embedded RocksDB store.
///
/// register_households() gives each household the code of its cell (its commune's postcode and
/// the 11-digit Open Location Code cell) and the next unused unit suffix in that cell; codes are
/// never reused, even after a household moves or is retired. resolve() turns a code back into
/// households, also when its postcode is pre-2025 or mistyped; reverse() finds the nearest
/// households; within() streams those in a box. Every change is appended to a history.
///
/// Durability: a write is acknowledged (the call returns) only after RocksDB has taken it into
/// its write-ahead log, so it survives the process being killed (kill -9). With
/// RegistryOptions::sync_writes it also survives a power cut.
///
/// Thread safety: every member is safe to call from several threads; writes are serialised.

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <diachi/error.hpp>
#include <diachi/geography/street_reader.hpp>
#include <diachi/geography/unit_reader.hpp>
#include <diachi/geography/zone_index.hpp>
#include <diachi/geography/zone_reader.hpp>
#include <diachi/household_code.hpp>
#include <diachi/lat_lng.hpp>
#include <diachi/store/household.hpp>
#include <diachi/store/search.hpp>

namespace diachi::store {

/// How a Registry is opened.
struct RegistryOptions {
    /// Create an empty store when @p path holds none. Default true.
    bool create_if_missing = true;
    /// Open read-only (a replica serving from a checkpoint): every write fails with
    /// std::logic_error. Default false.
    bool read_only = false;
    /// Follow a primary that another process has open for writing: open the store as a
    /// RocksDB secondary instance, keeping the follower's own files in this directory. Reads
    /// only (writes fail as with read_only); catch_up() brings in what the primary wrote since.
    /// Zones imported into the primary later reach a follower when it is opened again.
    std::string follower_dir;
    /// fsync the write-ahead log on every write: survives power loss, not only a killed
    /// process. Default false.
    bool sync_writes = false;
    /// Write without the write-ahead log: what was written since the last flush is lost when
    /// the process is killed. Only for showing that the crash tests detect loss. Default false.
    bool disable_wal = false;
    /// A register_households() call of at least this many registrations writes its batch as
    /// sorted table files ingested into the store at once, not through the write-ahead log and
    /// the memtables: several times faster for bulk imports, as durable once it returns (the
    /// files are synced), all or nothing like any write. 0: never. Default 10,000.
    std::size_t ingest_min_batch = 10'000;
    /// RocksDB block cache in bytes. Default 256 MiB.
    std::size_t block_cache_bytes = std::size_t{256} << 20;
    /// RocksDB row cache in bytes: recently read records, answered without a block search.
    /// Default 0 (off): it pays when it holds the hot set (resolve p50 2.5 us against 3.2 us
    /// at 1M households); rows that miss it cost more than without it.
    std::size_t row_cache_bytes = 0;
    /// Options of the zone index built from the stored zones.
    geography::ZoneIndexOptions zone_index;
};

/// What Registry::check() found.
struct StoreCheck {
    std::uint64_t households = 0;       ///< records (active and retired)
    std::uint64_t retired = 0;
    std::uint64_t codes = 0;            ///< code entries (current and moved-from)
    std::uint64_t cell_entries = 0;     ///< households the cell index lists
    std::uint64_t external_ids = 0;
    std::uint64_t history_events = 0;
    std::uint64_t density_mismatches = 0;  ///< density cells that disagree with the cell index
    std::uint64_t cell_mismatches = 0;     ///< cell index entries or values that are wrong
    std::uint64_t problem_count = 0;    ///< every problem found
    std::vector<std::string> problems;  ///< the first 100, each naming the entry

    [[nodiscard]] bool ok() const noexcept { return problem_count == 0; }
};

/// A household to register.
struct Registration {
    LatLngE7 location;
    Address address;
    PersonalFields personal;  ///< optional; empty fields are not stored
    std::string source;       ///< e.g. "app", "import:ninh_binh.csv"
    std::string external_id;  ///< the source's id: registering it again returns the first
    std::string actor;        ///< who registers (recorded in the history)
};

/// The outcome of one registration.
struct Registered {
    Household household;
    bool created = true;  ///< false: the (source, external id) was registered before
};

/// A household near a point.
struct Nearby {
    Household household;
    double distance_m = 0.0;
};

/// A registered code one substitution or transposition away from a code that does not exist.
struct Suggestion {
    HouseholdCode code;
    std::uint64_t household_id = 0;
    std::string edit;  ///< e.g. "character 9: H -> M", "characters 6-7 swapped"
};

/// How a code was found.
enum class ResolveMatch : std::uint8_t {
    exact = 0,              ///< the code (or its cell) is registered as given
    moved = 1,              ///< an old code of a household that has moved (see notes)
    postcode_replaced = 2,  ///< the postcode is old or mistyped; the cell lies in another zone
    not_found = 3,          ///< nothing registered; see suggestions
};

/// "exact", "moved", "postcode_replaced", "not_found".
[[nodiscard]] std::string_view name(ResolveMatch match) noexcept;

/// The answer to resolve().
struct Resolution {
    HouseholdCode code;  ///< the code that matched (its postcode may differ from the input's)
    ResolveMatch match = ResolveMatch::not_found;
    /// The household with the code, or every household in the cell for a code without unit.
    std::vector<Household> households;
    std::vector<std::string> notes;       ///< what was done to find them, for people
    std::vector<Suggestion> suggestions;  ///< when nothing matched
};

/// A household's position and code, as within() streams them.
struct HouseholdPoint {
    std::uint64_t id = 0;
    LatLngE7 location;
    HouseholdCode code;
};

/// A cell of the density index: the active households in one cell of a Web Mercator quadtree
/// (2^level cells a side over the world's unit square, diachi/web_mercator.hpp), and their mean
/// position in world coordinates. Map tiles below the households' detail zoom cluster from these
/// instead of reading every household.
struct DensityCell {
    std::uint32_t x = 0;  ///< column, from the west
    std::uint32_t y = 0;  ///< row, from the north
    std::uint64_t count = 0;
    double mean_x = 0.0;
    double mean_y = 0.0;
};

/// The zone of a point, with the zone's record.
struct Place {
    geography::ZoneHit hit;
    geography::Zone zone;
};

/// Where one household was and is on the map, as a write changed it. Registering has no
/// @c before; retiring has no @c after; a move has both.
struct MapChange {
    std::uint64_t id = 0;
    std::optional<LatLngE7> before;
    std::optional<LatLngE7> after;
};

/// Told of the map changes of each write; see Registry::subscribe().
using ChangeListener = std::function<void(std::span<const MapChange>)>;

/// Counts of a zones import.
struct ZoneImportSummary {
    std::size_t zones = 0;          ///< zones stored
    std::size_t with_postcode = 0;  ///< of which have a postcode
    std::size_t closed = 0;         ///< earlier versions given a valid_to date
};

class Registry;

/// A bulk load under way (Registry::begin_bulk_load()). While it lives, a registry that held no
/// households when the load began ("deferred") leaves the table files its batches are ingested
/// as where they land, unmerged, and knows its cells' last units and the external ids it was
/// given from memory, not from the store: a national load then writes each entry to disk twice
/// (the batch's file, then one merge), not once per compaction that rewrites its family.
/// finish() merges the files. Reads stay correct throughout, and slow down as files pile up.
///
/// add() writes each batch while the caller prepares the next one (reads its rows, and the
/// registry decides and builds them), so that the two cores stay busy: a batch's results are
/// handed back once it is durable, from the next add(), flush() or finish().
///
/// Everything written during a load is as durable as at any other time. A load ended without
/// finish() (an exception, a killed process) leaves the files to the usual background
/// compaction. A store that held households already loads as it always does (deferred() is
/// false), and finish() then has nothing to do. A BulkLoad must not outlive its Registry.
class BulkLoad {
public:
    /// Takes a batch back once it is durable: its registrations, and one result for each as
    /// Registry::register_households() gives them.
    using Acknowledge = std::function<void(std::vector<Registration>& registrations,
                                           std::vector<Result<Registered>>& results)>;

    BulkLoad(BulkLoad&& other) noexcept;
    BulkLoad& operator=(BulkLoad&&) = delete;
    BulkLoad(const BulkLoad&) = delete;
    BulkLoad& operator=(const BulkLoad&) = delete;
    /// Ends the load when finish() did not: the files are left to the background compaction.
    ~BulkLoad();

    /// Whether merging is deferred to finish() (the store held no households at the start).
    [[nodiscard]] bool deferred() const noexcept { return m_deferred; }

    /// Registers @p registrations as Registry::register_households() does (ids, codes and units
    /// are handed out in order, batch after batch), but returns before they are durable: once
    /// they are decided and the batch added before them is durable. That batch goes to its
    /// @p acknowledge now, on the caller's thread; this one goes to @p acknowledge when it is
    /// durable, from the next add(), flush() or finish(). Other writers wait for the batch being
    /// written. Throws std::runtime_error when a batch's write failed (that batch is not
    /// written, nor acknowledged); the load then takes no more batches.
    void add(std::vector<Registration> registrations, Acknowledge acknowledge);

    /// Waits until every batch added is durable, and acknowledges it. Throws as add() does.
    void flush();

    /// Ends the load: flush(), then merges what it wrote into each family's last level, two
    /// families at a time, and gives the store back its usual compaction. Throws
    /// std::runtime_error when a write or the merge fails (what was written stays, for the
    /// background compaction).
    void finish();

private:
    friend class Registry;
    BulkLoad(Registry* registry, bool deferred) noexcept
        : m_registry(registry), m_deferred(deferred) {}
    Registry* m_registry;
    bool m_deferred;
};

class Registry {
public:
    /// Opens (or creates) the store at @p path. Throws std::runtime_error naming the path and
    /// RocksDB's reason when it cannot.
    explicit Registry(const std::string& path, RegistryOptions options = {});
    ~Registry();
    Registry(const Registry&) = delete;
    Registry& operator=(const Registry&) = delete;

    // --- zones ---------------------------------------------------------------------------------

    /// Stores @p zones as the current zone set, valid from their valid_from; zones of an earlier
    /// set that are still open get that date as valid_to (a set with the same valid_from
    /// replaces the earlier one). @p prefixes, when not empty, replaces the postcode prefix table.
    /// Throws std::invalid_argument for invalid outlines, std::runtime_error on storage failure.
    ZoneImportSummary import_zones(std::vector<geography::ZoneFeature> zones,
                                   const std::vector<geography::ProvincePrefixes>& prefixes = {});

    /// The current zones and their index (empty before any import). Stays valid while held.
    [[nodiscard]] std::shared_ptr<const geography::ZoneIndex> zones() const;

    /// Every stored version of zone @p id, oldest first.
    [[nodiscard]] std::vector<geography::Zone> zone_versions(std::string_view id) const;

    /// The zone at @p point. Errors: ErrorCode::outside_zones.
    [[nodiscard]] Result<Place> where(LatLngE7 point) const;

    // --- households ----------------------------------------------------------------------------

    /// Registers @p registrations in one atomic write; @p out gets one result per input, in
    /// order: the household, or why not (ErrorCode::outside_zones, not_found for a zone without
    /// postcode, unit_exhausted). Returns once the write is durable (see the file comment).
    /// During a bulk load it waits for the load's batch being written first (BulkLoad::add()).
    void register_households(std::span<const Registration> registrations,
                             std::vector<Result<Registered>>* out);

    /// Begins a bulk load (see BulkLoad): for a national import into a new store, call
    /// register_households() with batches of at least RegistryOptions::ingest_min_batch rows
    /// while it lives, then BulkLoad::finish(). Other writes may go on meanwhile. It holds
    /// 16 to 32 bytes per cell and per external id in memory (1 GB for 27M households).
    /// @p expected_households, when known, sizes that memory at once (growing it moves all it
    /// holds). Throws std::logic_error when a load is under way already, or the registry is
    /// read-only.
    [[nodiscard]] BulkLoad begin_bulk_load(std::size_t expected_households = 0);

    /// register_households() for one.
    [[nodiscard]] Result<Registered> register_household(const Registration& registration);

    /// The household with @p id. Errors: ErrorCode::not_found.
    [[nodiscard]] Result<Household> get(std::uint64_t id, Access access = Access::anonymous) const;

    /// Resolves @p code text (any form household codes are written in). Errors: the parse error
    /// for malformed text; otherwise a Resolution (whose match may be not_found).
    [[nodiscard]] Result<Resolution> resolve(std::string_view code,
                                             Access access = Access::anonymous) const;

    /// The @p k active households nearest to @p point within @p max_distance_m, nearest first,
    /// into @p out (replacing its contents).
    void reverse(LatLngE7 point, std::size_t k, double max_distance_m, std::vector<Nearby>* out,
                 Access access = Access::anonymous) const;

    /// Calls @p visit for every active household in the box (degrees), in no particular order,
    /// until it returns false.
    void within(const geography::Bounds& box,
                const std::function<bool(const HouseholdPoint&)>& visit) const;
    /// within() for many boxes in one pass over the index (one iterator, the boxes' ranges in
    /// key order): @p visit gets the index of the box and the household, until it returns false.
    /// A household in several boxes is visited once for each.
    void within(std::span<const geography::Bounds> boxes,
                const std::function<bool(std::size_t, const HouseholdPoint&)>& visit) const;

    /// The quadtree levels of the density index.
    static constexpr std::array<std::uint32_t, 5> density_levels = {13, 15, 17, 19, 21};

    /// Calls @p visit for every cell of the density index at @p level (one of density_levels)
    /// with households, in columns @p x0..x1 and rows @p y0..y1, row by row, until it returns
    /// false. A cell's count is exact: the index is written in the same batch as the households.
    void density(std::uint32_t level, std::uint32_t x0, std::uint32_t y0, std::uint32_t x1,
                 std::uint32_t y1, const std::function<bool(const DensityCell&)>& visit) const;

    /// Replaces the written address. Errors: not_found, retired.
    [[nodiscard]] Result<Household> update_address(std::uint64_t id, const Address& address,
                                                   std::string_view actor);

    /// Moves a household: it gets the code of its new cell; its old code keeps resolving to it,
    /// marked as moved. Errors: not_found, retired, outside_zones, unit_exhausted.
    [[nodiscard]] Result<Household> move(std::uint64_t id, LatLngE7 location,
                                         std::string_view actor);

    /// Retires a household: it leaves the map; its codes stay reserved and still resolve.
    /// Errors: not_found, retired.
    [[nodiscard]] Result<Household> retire(std::uint64_t id, std::string_view actor,
                                           std::string_view reason);

    /// The history of household @p id, oldest first (empty for an unknown id).
    [[nodiscard]] std::vector<HistoryEvent> history(std::uint64_t id) const;

    /// The household registered from (@p source, @p external_id). Errors: not_found.
    [[nodiscard]] Result<Household> find_external(std::string_view source,
                                                  std::string_view external_id,
                                                  Access access = Access::anonymous) const;

    /// Number of households ever registered (ids issued, including those of a bulk load's batch
    /// being written).
    [[nodiscard]] std::uint64_t household_count() const;

    // --- change notification -------------------------------------------------------------------

    /// Calls @p listener after every write that changes where households are on the map
    /// (register, move, retire), once the write is durable, on the writing thread and in the
    /// order of the writes. Tile caches use it to drop exactly the tiles a change touches. A
    /// listener must not write to the registry nor throw. Returns a handle for unsubscribe().
    std::uint64_t subscribe(ChangeListener listener) const;

    /// Stops the listener of @p handle; it is not called once this returns.
    void unsubscribe(std::uint64_t handle) const;

    // --- search ------------------------------------------------------------------------------

    /// Stores the pre-2025 units (replacing an earlier table): search maps old communes,
    /// districts and provinces to today's communes with it. Returns the rows stored.
    std::size_t import_old_units(const std::vector<geography::OldUnit>& units);

    /// Stores a street list (replacing an earlier one): each street is placed in the communes
    /// its pre-2025 district went to (through the old units, which must be imported for it to
    /// place any). Returns the rows stored.
    /// Rows with a zone_id (a street's shape) replace the earlier rows with one, rows without
    /// replace those without: a street list and street shapes are held side by side.
    std::size_t import_streets(const std::vector<geography::StreetRow>& rows);

    /// Places streets by their shapes (geography::read_osm_streets()): each in the communes its
    /// points fall in, stored with import_streets(). Returns the (street, commune) rows stored;
    /// throws std::runtime_error when no zones are imported.
    std::size_t import_street_lines(const std::vector<geography::StreetLine>& lines);

    /// Stores named places (geography::read_osm_places()) that search finds by name ("Chợ Đồng
    /// Xuân", "chợ Đồng Xuân, Hoàn Kiếm"). Idempotent by OSM id: a place imported again replaces
    /// itself, places of other files stay. Returns the places given.
    std::size_t import_places(const std::vector<geography::NamedPlace>& places);

    /// Free Vietnamese address text (or a household code) -> households, hamlets, streets,
    /// communes and provinces, best first (see docs/search.md).
    [[nodiscard]] std::vector<SearchResult> search(std::string_view query,
                                                   const SearchOptions& options = {}) const;

    /// Completions for @p prefix as it is typed: hamlets and streets with the most households
    /// first, then communes and provinces, within the places named before the last comma.
    [[nodiscard]] std::vector<SearchResult> suggest(std::string_view prefix,
                                                    std::size_t limit = 10) const;
    /// suggest() with a focus point: of the completions, the nearest @p limit, nearest first,
    /// each with its distance_m.
    [[nodiscard]] std::vector<SearchResult> suggest(std::string_view prefix, std::size_t limit,
                                                    LatLngE7 near) const;

    // --- operations ----------------------------------------------------------------------------

    /// Writes a consistent copy of the store to the new directory @p path (hard links where the
    /// file system allows), which Registry can open, read-only or not. Throws std::runtime_error.
    void checkpoint(const std::string& path) const;

    /// Flushes memtables and compacts, so the store's files reflect everything written.
    void compact();

    /// A number that changes after every write that succeeds (households, addresses, zones,
    /// old units) and after a follower's catch_up() brings anything new: an answer computed
    /// while it held one value is current as long as it holds that value.
    [[nodiscard]] std::uint64_t generation() const noexcept;

    /// Whether writes are refused: opened read-only or as a follower.
    [[nodiscard]] bool read_only() const noexcept;

    /// A follower (RegistryOptions::follower_dir) reads what the primary wrote since the last
    /// call. Returns whether anything was new. Throws std::logic_error on a registry that does
    /// not follow, std::runtime_error when the primary's files cannot be read.
    bool catch_up();

    /// Verifies the store without changing it: every household's code entry names it back and
    /// holds its record, every active household is in the cell index at its location (and no
    /// retired one is) and the cell index lists no other, the density index counts the cell
    /// index's households, every code entry, external id and history event names a household
    /// that exists, each household's history runs 0, 1, 2, ... up to its version, and the next
    /// id lies past every id. Reads the whole store (a few lookups a household).
    [[nodiscard]] StoreCheck check() const;

    /// Bytes the store's files take on disk (SST files and logs).
    [[nodiscard]] std::uint64_t disk_bytes() const;

    [[nodiscard]] const std::string& path() const noexcept { return m_path; }

private:
    /// Search for text holding an Open Location Code: its households, or its cell.
    [[nodiscard]] std::optional<std::vector<SearchResult>> search_plus_code(
        std::string_view query, const SearchOptions& options) const;
    friend class BulkLoad;
    /// Ends the load begun by begin_bulk_load(), once the batch being written is durable;
    /// @p merge: merge its files first.
    void end_bulk_load(bool merge);
    /// BulkLoad::add() and BulkLoad::flush().
    void add_to_load(std::vector<Registration> registrations, BulkLoad::Acknowledge acknowledge);
    void flush_load();

    struct Impl;
    std::string m_path;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace diachi::store

#endif  // DIACHI_STORE_REGISTRY_HPP
