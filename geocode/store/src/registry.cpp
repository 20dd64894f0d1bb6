#include <diachi/olc.hpp>
#include <diachi/store/registry.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <exception>
#include <filesystem>
#include <future>
#include <iterator>
#include <mutex>
#include <numbers>
#include <cctype>
#include <optional>
#include <set>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/perf_level.h>
#include <rocksdb/table.h>
#include <rocksdb/utilities/checkpoint.h>
#include <rocksdb/write_batch.h>

#include <diachi/search/address_parser.hpp>
#include <diachi/text.hpp>

#include "batch_ingest.hpp"
#include "cell_index.hpp"
#include "codec_internal.hpp"
#include "density_index.hpp"
#include "multi_get.hpp"
#include "run_both.hpp"
#include "search_index.hpp"
#include "word_table.hpp"

namespace diachi::store {

std::string_view name(HistoryAction action) noexcept {
    switch (action) {
        case HistoryAction::registered:
            return "registered";
        case HistoryAction::address_updated:
            return "address_updated";
        case HistoryAction::moved:
            return "moved";
        case HistoryAction::retired:
            return "retired";
    }
    return "unknown";
}

std::string_view name(ResolveMatch match) noexcept {
    switch (match) {
        case ResolveMatch::exact:
            return "exact";
        case ResolveMatch::moved:
            return "moved";
        case ResolveMatch::postcode_replaced:
            return "postcode_replaced";
        case ResolveMatch::not_found:
            return "not_found";
    }
    return "unknown";
}

std::string_view name(HouseholdStatus status) noexcept {
    return status == HouseholdStatus::retired ? "retired" : "active";
}

namespace {

using detail::be64_key;
using detail::CodeState;

enum Family : std::size_t {
    cf_default,
    cf_households,
    cf_personal,
    cf_codes,
    cf_external,
    cf_history,
    cf_zones,
    cf_search,
    cf_density,
    cf_cells,
    cf_count
};
constexpr std::array<const char*, cf_count> family_names = {
    "default", "households", "personal", "codes",   "external",
    "history", "zones",      "search",   "density", "cells"};
/// The family of formats 3 to 5 that listed every household by its exact Morton key. The cell
/// index holds the same entries, packed: an upgrade builds what it lacks from this family, then
/// drops it.
constexpr const char* legacy_spatial_family = "spatial";

constexpr std::string_view key_next_id = "next_id";
constexpr std::string_view key_prefixes = "prefixes";
constexpr std::string_view key_old_units = "old_units";
constexpr std::string_view key_streets = "street_rows";
constexpr std::string_view key_places = "place_rows";
constexpr std::string_view key_format = "format";
constexpr std::string_view format_version = "diachi-registry-7";
// Format 3 lacks the density and cell indexes, format 4 the cell index; opening such a store
// writable builds what it lacks from the legacy spatial family and moves it to format 5.
// Format 5 has both and the spatial family still: opening it writable drops that family and
// moves it to the current format. A read-only open of format 5 works (the family is ignored).
constexpr std::string_view format_version_3 = "diachi-registry-3";
constexpr std::string_view format_version_4 = "diachi-registry-4";
constexpr std::string_view format_version_5 = "diachi-registry-5";
// Format 7 adds detail::code_alone_bit to code entries. A format-6 store has none of them,
// which only means that each of its cells is looked at for a unit 2: it is served as it is,
// and opening it writable writes format 7.
constexpr std::string_view format_version_6 = "diachi-registry-6";

constexpr std::uint64_t unit_mask = 0x3FFF;  // the unit's bits in HouseholdCode::key()
/// RocksDB's background jobs: one flush and one compaction at a time, for a machine of two
/// cores whose other core writes.
constexpr int background_jobs = 2;

/// RocksDB counts comparisons and reads in a thread-local perf context by default, a TLS access
/// on every key comparison. Nothing here reads those counters: switch them off for this thread.
void quiet_perf_context() {
    thread_local const bool done = [] {
        rocksdb::SetPerfLevel(rocksdb::PerfLevel::kDisable);
        return true;
    }();
    (void)done;
}

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

/// A province name reduced for matching: the name search knows it by, without "Tỉnh",
/// "Thành phố" or "TP.".
std::string province_key(std::string_view name) { return search::place_name(name); }

std::string external_key(std::string_view source, std::string_view external_id) {
    std::string key(source);
    key.push_back('\0');
    key.append(external_id);
    return key;
}

std::string code_value(std::uint64_t id, CodeState state) {
    std::string value = be64_key(id);
    value.push_back(static_cast<char>(state));
    return value;
}

/// The entry of a household's current code: its id, CodeState::current and the whole record,
/// so that resolving a code is one lookup. @p alone: the code is unit 1 of a cell with no
/// other unit (detail::code_alone_bit).
void current_code_value(const Household& h, bool alone, std::string* value, std::string* record) {
    *value = code_value(h.id, CodeState::current);
    if (alone) {
        (*value)[8] = static_cast<char>(detail::code_alone_bit);
    }
    detail::encode_household(h, record);
    value->append(*record);
}

/// The writes of a batch that place households: the cell index and the density counts, kept
/// in step.
class PlaceBatch {
public:
    PlaceBatch(rocksdb::WriteBatch* batch, rocksdb::ColumnFamilyHandle* density,
               rocksdb::ColumnFamilyHandle* cells)
        : m_density(batch, density), m_cells(batch, cells) {}

    void add(LatLngE7 location, std::uint64_t id, const HouseholdCode& code) {
        m_density.add(location, +1);
        m_cells.add(detail::CellEntry{detail::morton_of(location), id, code.key()});
    }
    void remove(LatLngE7 location, std::uint64_t id) {
        m_density.add(location, -1);
        m_cells.remove(detail::morton_of(location), id);
    }
    /// Writes the summed density counts and the cell operands into the batch.
    void finish() {
        m_density.finish();
        m_cells.finish();
    }

private:
    detail::DensityBatch m_density;
    detail::CellBatch m_cells;
};

std::string history_key(std::uint64_t id, std::uint32_t sequence) {
    std::string key = be64_key(id);
    detail::put_be32(&key, sequence);
    return key;
}

/// The limits of a stored text field, and what an error about it says.
struct FieldRule {
    std::size_t max_bytes;
    std::string_view malformed;  // not UTF-8
    std::string_view invisible;  // control or invisible characters
    std::string_view too_long;
};
constexpr FieldRule house_number_rule{64, "house number: well-formed UTF-8", "house number: no control or invisible characters", "house number: at most 64 bytes"};
constexpr FieldRule street_rule{200, "street: well-formed UTF-8", "street: no control or invisible characters", "street: at most 200 bytes"};
constexpr FieldRule hamlet_rule{200, "hamlet: well-formed UTF-8", "hamlet: no control or invisible characters", "hamlet: at most 200 bytes"};
constexpr FieldRule head_rule{200, "head of household: well-formed UTF-8", "head of household: no control or invisible characters", "head of household: at most 200 bytes"};
constexpr FieldRule phone_rule{32, "phone: well-formed UTF-8", "phone: no control or invisible characters", "phone: at most 32 bytes"};
constexpr FieldRule source_rule{100, "source: well-formed UTF-8", "source: no control or invisible characters", "source: at most 100 bytes"};
constexpr FieldRule external_id_rule{200, "external id: well-formed UTF-8", "external id: no control or invisible characters", "external id: at most 200 bytes"};

Error check_field(std::string_view text, const FieldRule& rule) {
    Error error = check_text(text, rule.max_bytes);
    if (error.code == ErrorCode::invalid_length) {
        error.detail = rule.too_long;
    } else if (error.code != ErrorCode::ok) {
        error.detail = error.character == 0xFFFD ? rule.malformed : rule.invisible;
    }
    return error;
}

/// The first field of @p address that cannot be stored, or ok.
Error check_address(const Address& address) {
    for (const auto& [text, rule] : {std::pair{&address.house_number, &house_number_rule},
                                     std::pair{&address.street, &street_rule},
                                     std::pair{&address.hamlet, &hamlet_rule}}) {
        if (const Error e = check_field(*text, *rule); e.code != ErrorCode::ok) {
            return e;
        }
    }
    return {};
}

/// The first field of @p r that cannot be stored, or ok.
Error check_registration(const Registration& r) {
    if (const Error e = check_address(r.address); e.code != ErrorCode::ok) {
        return e;
    }
    for (const auto& [text, rule] : {std::pair{&r.personal.head_of_household, &head_rule},
                                     std::pair{&r.personal.phone, &phone_rule},
                                     std::pair{&r.source, &source_rule},
                                     std::pair{&r.external_id, &external_id_rule}}) {
        if (const Error e = check_field(*text, *rule); e.code != ErrorCode::ok) {
            return e;
        }
    }
    return {};
}

std::string format_location(LatLngE7 p) {
    char text[64];
    std::snprintf(text, sizeof text, "%.7f,%.7f", p.lat_deg(), p.lng_deg());
    return text;
}

}  // namespace

/// What a registration needs to know of a cell: the highest unit issued in it (0 when none)
/// and, while its unit 1 carries detail::code_alone_bit, that entry, to be written again
/// without the bit when the next unit is issued.
struct CellUnits {
    std::uint16_t last = 0;
    std::string alone_first;
    /// A deferred load's table says the cell has unit 1 only, whose entry is not read yet: a
    /// batch that adds to the cell reads it last (Registry::Impl::prepare()).
    bool first_unread = false;
};

/// The cells a batch of registrations falls in, with their units (Registry::Impl::prepare()).
/// Sorted by cell base in one array: a row finds its cell by a binary search, and the rows of
/// a village, which share cells or lie close in code order, search the same cache lines. A
/// hash map of a bulk batch's 200,000 cells cost about a twentieth of a national load in node
/// allocations, rehashes and cache misses.
class BatchCells {
public:
    /// Holds the cells of @p bases (sorted, no repeats, unit bits clear), no unit known yet.
    void assign(std::vector<std::uint64_t> bases) {
        m_bases = std::move(bases);
        m_units.assign(m_bases.size(), CellUnits{});
    }
    [[nodiscard]] std::span<const std::uint64_t> bases() const noexcept { return m_bases; }
    [[nodiscard]] CellUnits& at(std::size_t i) noexcept { return m_units[i]; }
    [[nodiscard]] const CellUnits& at(std::size_t i) const noexcept { return m_units[i]; }
    /// The units of the cell of @p base (unit bits clear), or null when it is not held.
    [[nodiscard]] CellUnits* find(std::uint64_t base) noexcept {
        const auto it = std::lower_bound(m_bases.begin(), m_bases.end(), base);
        return it != m_bases.end() && *it == base ? &m_units[it - m_bases.begin()] : nullptr;
    }

private:
    std::vector<std::uint64_t> m_bases;
    std::vector<CellUnits> m_units;  // never resized once assigned: pointers to it stay valid
};

struct Registry::Impl {
    std::string path;
    RegistryOptions options;
    rocksdb::DB* db = nullptr;
    std::vector<rocksdb::ColumnFamilyHandle*> families;
    /// The spatial family of a store of format 3 to 5 (see legacy_spatial_family), else null.
    rocksdb::ColumnFamilyHandle* legacy_spatial = nullptr;
    rocksdb::WriteOptions write_options;

    std::mutex write_mutex;  // serialises writers (unit allocation, ids)
    mutable std::mutex zones_mutex;
    std::shared_ptr<const geography::ZoneIndex> zones;
    /// province_key() of each zone's parent name, by zone index (for the prefix table).
    std::shared_ptr<const std::vector<std::string>> zone_provinces =
        std::make_shared<const std::vector<std::string>>();
    /// Postcode prefix -> provinces (province_key() names); replaced whole, read through a
    /// snapshot.
    using PrefixMap = std::unordered_map<std::uint32_t, std::unordered_set<std::string>>;
    std::shared_ptr<const PrefixMap> prefix_provinces = std::make_shared<const PrefixMap>();
    std::uint64_t next_id = 1;
    /// Bytes of write batch per new household in the last bulk registration, to size the next
    /// one's batches at once: grown by doubling, a bulk batch was copied about twice over into
    /// fresh pages. Reserving too much costs little: pages never written are never faulted in.
    std::size_t bulk_bytes_per_row = 512;
    /// A bulk load under way (Registry::begin_bulk_load()), else null. Guarded by write_mutex.
    struct LoadState {
        /// The store held no households when the load began: compaction is off, and the
        /// tables below know every cell and external id the store holds.
        bool deferred = false;
        /// base | last unit of every cell given a unit during the load.
        detail::WordTable cells{unit_mask};
        /// external_word() of every external id given during the load.
        detail::WordTable externals;
        /// Each family's options that the load changed, as they were (when deferred).
        std::vector<std::unordered_map<std::string, std::string>> saved_options;

        /// A batch of BulkLoad::add(), kept until it is acknowledged.
        struct Batch {
            std::vector<Registration> registrations;
            std::vector<Result<Registered>> results;
            BulkLoad::Acknowledge acknowledge;
            std::uint64_t first_id = 0;  // the id it may give first
        };
        /// The batch being written, and the end of its write (see settle()).
        std::unique_ptr<Batch> writing;
        std::future<void> written;
        /// Batches durable and not yet acknowledged, in order.
        std::vector<std::unique_ptr<Batch>> durable;
        /// The results of an acknowledged batch, for the next one: the memory of 200,000
        /// households, faulted in afresh for every batch otherwise.
        std::vector<Result<Registered>> spare_results;
        /// Why a batch's write failed: the load takes no more batches.
        std::exception_ptr failure;
    };
    std::unique_ptr<LoadState> load;
    /// Counts the writes (see Registry::generation()).
    std::atomic<std::uint64_t> generation{0};
    /// Change listeners by handle; called after the write, under write_mutex (or, for a batch
    /// of BulkLoad::add(), on the thread that writes it, while no other write is made).
    mutable std::mutex listeners_mutex;
    mutable std::vector<std::pair<std::uint64_t, ChangeListener>> listeners;
    mutable std::uint64_t next_listener = 1;
    /// Pre-2025 units (for search), and the gazetteer built from them and the zones.
    std::vector<geography::OldUnit> old_units;
    std::vector<geography::StreetRow> streets;  // the street list search places streets with
    std::vector<geography::NamedPlace> places;  // named places search finds by name
    std::shared_ptr<const detail::Gazetteer> gazetteer = std::make_shared<const detail::Gazetteer>();
    mutable detail::Vocabulary vocabulary;

    ~Impl() {
        settle();  // a bulk load's batch being written uses the store
        if (db != nullptr) {
            for (auto* family : families) {
                db->DestroyColumnFamilyHandle(family);
            }
            if (legacy_spatial != nullptr) {
                db->DestroyColumnFamilyHandle(legacy_spatial);
            }
            db->Close();
            delete db;
        }
    }

    [[nodiscard]] rocksdb::ColumnFamilyHandle* cf(Family f) const { return families[f]; }

    /// What a deferred load knows of the cell of @p base (unit bits ignored) without reading
    /// the store, where every table file the load wrote would be searched: a cell given no unit
    /// during it is new, and one given unit 2 or more has no unit 1 marked alone. Nothing for a
    /// cell with unit 1 only (its entry is read, to take the mark off), or outside a load.
    /// With @p read_first_later, a cell with unit 1 only is answered too, marked
    /// CellUnits::first_unread.
    [[nodiscard]] std::optional<CellUnits> loaded_cell(std::uint64_t base,
                                                       bool read_first_later = false) const {
        if (!load || !load->deferred) {
            return std::nullopt;
        }
        const auto word = load->cells.find(base & ~unit_mask);
        if (!word) {
            return CellUnits{};
        }
        const auto last = static_cast<std::uint16_t>(*word & unit_mask);
        if (last < 2) {
            return read_first_later ? std::optional(CellUnits{last, {}, true}) : std::nullopt;
        }
        return CellUnits{last, {}};
    }
    /// The word a load keeps for external key @p key: a 64-bit hash, never 0.
    [[nodiscard]] static std::uint64_t external_word(std::string_view key) noexcept {
        const std::uint64_t hash = std::hash<std::string_view>{}(key);
        return hash == 0 ? 1 : hash;
    }
    /// Tells a deferred load that a written batch left the cell of @p base with last unit
    /// @p last.
    void loaded_unit(std::uint64_t base, std::uint16_t last) {
        if (load && load->deferred && last > 0) {
            load->cells.put((base & ~unit_mask) | last);
        }
    }
    /// Sets @p disable_auto_compactions and the level-0 triggers of every family, returning
    /// what they were.
    std::vector<std::unordered_map<std::string, std::string>> defer_compaction();
    /// Merges the level-0 files of every family into its last level, two families at a time,
    /// the largest first.
    void merge_level0();

    /// A batch of registrations decided and built (prepare()), to be written (write()).
    struct WriteJob {
        std::vector<rocksdb::WriteBatch> parts;  // one write: ingested together, or appended
        bool ingest = false;                     // as table files (a bulk batch)
        detail::Level0Files level0 = detail::Level0Files::lasting;  // how, when ingested
        std::vector<MapChange> changes;          // for the listeners, once durable
        std::uint64_t first_id = 0;              // next_id before the batch
    };
    /// Everything of Registry::register_households() but the write: ids, codes and units are
    /// handed out (next_id and a deferred load's tables move on), and the entries built;
    /// nothing when no row makes a household. @p pipelined: a batch of BulkLoad::add(), which
    /// the load's batch being written may precede (store reads wait for it; its failure is
    /// thrown). Needs write_mutex.
    [[nodiscard]] std::optional<WriteJob> prepare(std::span<const Registration> registrations,
                                                  std::vector<Result<Registered>>* out,
                                                  bool pipelined);
    /// Writes @p job, then tells the listeners. Needs write_mutex, or to be the load's write.
    void write(WriteJob* job);
    /// Waits for the bulk load's batch being written, if any: it joins LoadState::durable, or
    /// its failure is kept (LoadState::failure) and the load's tables are forgotten. Needs
    /// write_mutex; every writer calls it first, as the store lacks that batch until then.
    void settle() noexcept {
        if (!load || !load->written.valid()) {
            return;
        }
        try {
            load->written.get();
            load->durable.push_back(std::move(load->writing));
        } catch (...) {
            load->failure = std::current_exception();
            undo_ids(load->writing->first_id);
            load->writing.reset();
        }
    }
    /// Hands @p batches (durable) to their acknowledgements, in order; keeps the memory of the
    /// last one's results for the next batch. Needs a load, and not write_mutex.
    void acknowledge(std::vector<std::unique_ptr<LoadState::Batch>> batches) {
        for (auto& batch : batches) {
            batch->acknowledge(batch->registrations, batch->results);
        }
        if (!batches.empty()) {
            std::lock_guard lock(write_mutex);
            if (load) {
                load->spare_results = std::move(batches.back()->results);
            }
        }
    }
    /// After a write that failed, whose ids start at @p first_id: nothing after it was written,
    /// so those ids are given again. A deferred load's tables hold what the store lacks: from
    /// then on, writes read the store. (The merge at the end still takes place.)
    void undo_ids(std::uint64_t first_id) noexcept {
        next_id = first_id;
        if (load) {
            load->deferred = false;
        }
    }
    /// Where bulk batches are written as table files before they are ingested.
    [[nodiscard]] std::string scratch_dir() const { return path + "/ingest"; }

    void check(const rocksdb::Status& status, const char* what) const {
        if (!status.ok()) {
            throw std::runtime_error(path + ": " + what + ": " + status.ToString());
        }
    }

    void require_writable() const {
        if (options.read_only || !options.follower_dir.empty()) {
            throw std::logic_error(path + ": the registry is open read-only");
        }
    }

    [[nodiscard]] std::shared_ptr<const geography::ZoneIndex> zone_snapshot() const {
        std::lock_guard lock(zones_mutex);
        return zones;
    }

    void open();
    /// Builds the density index (@p density) and the cell index (@p cells) from the legacy
    /// spatial family, upgrading a format-3 or format-4 store. Either is emptied first, so a
    /// build cut short is built again whole.
    void build_spatial_indexes(bool density, bool cells);
    /// Moves a store of an older format to this one (see format_version): builds what it lacks,
    /// then drops the legacy spatial family. Each step is written before the next, so an upgrade
    /// cut short goes on from where it stopped at the next open.
    void upgrade(std::string_view format);
    void load_zones();
    /// Makes @p index the current zones (with their province_key() names beside it).
    void install_zones(std::shared_ptr<const geography::ZoneIndex> index);
    void load_prefixes(std::string_view data);

    /// Reads a household; fills the zone's names and, for staff, the personal fields.
    [[nodiscard]] bool read_household(std::uint64_t id, Access access, Household* out) const;
    /// Decodes the household of a current code entry (false for a moved code's entry).
    [[nodiscard]] bool decode_current(std::string_view value, Access access, Household* out) const;
    /// The household of any code entry: decoded in place, or through its id for a moved code.
    [[nodiscard]] bool read_entry(std::string_view value, Access access, Household* out) const;
    /// The units of the cell of @p base (unit bits ignored). @p it is created on first need
    /// (most cells are new and need none).
    [[nodiscard]] CellUnits last_unit(std::unique_ptr<rocksdb::Iterator>* it,
                                      std::uint64_t base) const;
    /// last_unit() of every cell of @p bases (unit bits ignored, repeats allowed), held in
    /// @p cells; the cells' first units are read in one MultiGet. During a deferred load it
    /// reads nothing: a cell with unit 1 only comes marked CellUnits::first_unread.
    void last_units(std::vector<std::uint64_t> bases, BatchCells* cells) const;
    /// A cell whose last unit was @p cell.last is given its next unit: when its unit 1 was
    /// alone, @p batch writes that entry again without detail::code_alone_bit.
    void issue_next_unit(rocksdb::WriteBatch* batch, std::uint64_t base, CellUnits* cell) const;
    /// The units of the cell of @p base, whose unit 1 has entry @p first.
    [[nodiscard]] CellUnits cell_units(std::unique_ptr<rocksdb::Iterator>* it,
                                       std::uint64_t base, std::string_view first) const;
    /// The highest unit in the cell of @p base, which holds unit 1.
    [[nodiscard]] std::uint16_t seek_last_unit(std::unique_ptr<rocksdb::Iterator>* it,
                                               std::uint64_t base) const;
    /// Households with @p code (or, for @p whole_cell, every code in its cell), with notes.
    void lookup(const HouseholdCode& code, bool whole_cell, Access access,
                std::vector<Household>* out, std::vector<std::string>* notes,
                bool* all_moved) const;
    void suggest(const HouseholdCode& code, std::vector<Suggestion>* out) const;
    void append_history(rocksdb::WriteBatch* batch, const Household& h, HistoryAction action,
                        std::string_view actor, std::string detail) const;
    /// Writes household @p h (its code entry, and its search entries when it is active);
    /// @p before is its state before this change, whose search entries go. @p alone: its code
    /// is unit 1 of a cell with no other unit (detail::code_alone_bit).
    void put_household(rocksdb::WriteBatch* batch, const Household& h, const Household* before,
                       detail::SearchBatch* search, bool alone = false) const;
    /// put_household() for one change: its search entries written at once.
    void put_changed_household(rocksdb::WriteBatch* batch, const Household& h,
                               const Household& before) const;
    void load_old_units(std::string_view data);
    void load_streets(std::string_view data);
    void load_places(std::string_view data);
    void rebuild_gazetteer();
    [[nodiscard]] detail::SearchContext search_context() const;
    /// Reads household @p id for a change (with its personal fields); errors not_found and
    /// retired. On success the version and update time are already advanced.
    [[nodiscard]] Error begin_change(std::uint64_t id, Household* h) const;
    /// Tells the listeners of @p changes (a write that is durable).
    void notify(std::span<const MapChange> changes) const {
        if (changes.empty()) {
            return;
        }
        std::lock_guard lock(listeners_mutex);
        for (const auto& [handle, listener] : listeners) {
            listener(changes);
        }
    }
};

Error Registry::Impl::begin_change(std::uint64_t id, Household* h) const {
    if (!read_household(id, Access::staff, h)) {
        return Error{ErrorCode::not_found, 0, 0, "no household with this id"};
    }
    if (h->status == HouseholdStatus::retired) {
        return Error{ErrorCode::retired, 0, 0, "a retired household cannot change"};
    }
    h->version += 1;
    h->updated_ms = std::max(now_ms(), h->updated_ms);
    return Error{};
}

void Registry::Impl::build_spatial_indexes(bool density, bool cells) {
    const std::string all_first(1, '\0');
    const std::string all_last(9, '\xFF');  // past every density key (9 bytes) and cell key (8)
    for (const auto& [wanted, family] : {std::pair{density, cf_density}, std::pair{cells, cf_cells}}) {
        if (wanted) {
            check(db->DeleteRange(write_options, cf(family), all_first, all_last),
                  "emptying an index to build");
        }
    }
    if (legacy_spatial == nullptr) {
        throw std::runtime_error(path + ": a store of format 3 or 4 without its spatial family");
    }
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions(), legacy_spatial));
    rocksdb::WriteBatch batch;
    detail::DensityBatch density_batch(&batch, cf(cf_density));
    detail::CellBatch cell_batch(&batch, cf(cf_cells));
    std::size_t pending = 0;
    const auto flush = [&] {
        density_batch.finish();
        cell_batch.finish();
        check(db->Write(write_options, &batch), "writing the spatial indexes");
        batch.Clear();
        pending = 0;
    };
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
        const std::string_view key = it->key().ToStringView();
        const std::uint64_t morton = detail::get_be64(key);
        if (density) {
            density_batch.add(detail::location_of_morton(morton), +1);
        }
        if (cells) {
            cell_batch.add(detail::CellEntry{morton, detail::get_be64(key, 8),
                                             detail::get_be64(it->value().ToStringView())});
        }
        if (++pending == 100'000) {
            flush();
        }
    }
    check(it->status(), "reading the legacy spatial family");
    flush();
    // Fold the operands and the range deletion in now: reads would merge them every time.
    rocksdb::CompactRangeOptions compact;
    compact.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
    for (const auto& [wanted, family] : {std::pair{density, cf_density}, std::pair{cells, cf_cells}}) {
        if (wanted) {
            check(db->CompactRange(compact, cf(family), nullptr, nullptr), "compacting a built index");
        }
    }
}

void Registry::Impl::open() {
    rocksdb::Options db_options;
    db_options.create_if_missing = options.create_if_missing && !options.read_only;
    db_options.create_missing_column_families = !options.read_only;
    db_options.max_background_jobs = background_jobs;
    db_options.bytes_per_sync = 1 << 20;
    db_options.keep_log_file_num = 4;
    // Resolve and get are point reads of hot keys: a row cache answers them without the
    // index and data block search.
    if (options.row_cache_bytes > 0) {
        db_options.row_cache = rocksdb::NewLRUCache(options.row_cache_bytes);
    }

    rocksdb::BlockBasedTableOptions table;
    // Lock-free lookups: resolve and reverse are cache hits on hot blocks. The estimated
    // entry charge is the block size.
    table.block_cache =
        rocksdb::HyperClockCacheOptions(options.block_cache_bytes, 4 * 1024).MakeSharedCache();
    table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
    table.format_version = 5;
    // Point lookups dominate: small blocks with a hash index inside each block.
    table.block_size = 4 * 1024;
    table.data_block_index_type = rocksdb::BlockBasedTableOptions::kDataBlockBinaryAndHash;
    rocksdb::ColumnFamilyOptions family_options;
    family_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
    family_options.compression = rocksdb::kLZ4Compression;
    family_options.bottommost_compression = rocksdb::kZSTD;
    // Small blocks compress poorly on their own: give ZSTD a dictionary trained per file.
    family_options.bottommost_compression_opts.enabled = true;
    family_options.bottommost_compression_opts.max_dict_bytes = 16 * 1024;
    family_options.bottommost_compression_opts.zstd_max_train_bytes = 64 * 16 * 1024;
    // Level 1, not 6: compaction into the last level is most of a bulk import's background
    // work. At 5M households level 6 took 86.5 s to load and 202 s with the compaction after
    // it, level 1 82.6 s and 159 s, for 83.3 bytes per household against 76.6 (level 3: 83.1).
    family_options.bottommost_compression_opts.level = 1;
    // The dictionary from ZDICT_finalizeDictionary, not the trainer: files came out no larger
    // (112.8 against 113.6 bytes per household at 600k) and written in half the time.
    family_options.bottommost_compression_opts.use_zstd_dict_trainer = false;
    family_options.level_compaction_dynamic_level_bytes = true;

    std::vector<std::string> existing;
    const bool exists =
        rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(db_options), path, &existing).ok();
    const auto has = [&](std::string_view family) {
        return std::find(existing.begin(), existing.end(), family) != existing.end();
    };
    std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
    for (const char* family : family_names) {
        descriptors.emplace_back(family, family_options);
    }
    // Resolve finds a code's ~100-byte record through the hash index of its block, which names
    // a restart point, then steps to the key: with a restart point every 4 entries (not 16),
    // it steps through a quarter as many. Resolve p50 5% lower for 0.6 more bytes per
    // household at 1M (97.8 against 97.2); the other families grew more than they gained.
    rocksdb::BlockBasedTableOptions codes_table = table;
    codes_table.block_restart_interval = 4;
    descriptors[cf_codes].options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(codes_table));
    descriptors[cf_search].options.merge_operator = detail::area_merge_operator();
    // Every registration adds one operand to its areas' counters: fold them in the memtable as
    // they come, so that reads never merge long chains.
    descriptors[cf_search].options.max_successive_merges = 4;
    descriptors[cf_density].options.merge_operator = detail::density_merge_operator();
    descriptors[cf_density].options.max_successive_merges = 4;
    descriptors[cf_cells].options.merge_operator = detail::cell_merge_operator();
    const bool legacy = exists && has(legacy_spatial_family);
    if (legacy) {
        descriptors.emplace_back(legacy_spatial_family, family_options);
    }
    rocksdb::Status status;
    if (options.read_only || !options.follower_dir.empty()) {
        if (exists && has(family_names[cf_search]) && !has(family_names[cf_cells])) {
            const bool has_density = has(family_names[cf_density]);
            throw std::runtime_error(
                path + ": the registry has format '" +
                std::string(has_density ? format_version_4 : format_version_3) + "', without the " +
                (has_density ? "cell index" : "density and cell indexes") +
                "; open it writable once to upgrade it (any write command does, e.g. `diachi "
                "backup`)");
        }
    }
    if (!options.follower_dir.empty()) {
        db_options.max_open_files = -1;  // a secondary instance keeps every file open
        status = rocksdb::DB::OpenAsSecondary(rocksdb::DBOptions(db_options), path, options.follower_dir,
                                              descriptors, &families, &db);
    } else if (options.read_only) {
        status = rocksdb::DB::OpenForReadOnly(rocksdb::DBOptions(db_options), path, descriptors,
                                              &families, &db);
    } else {
        status =
            rocksdb::DB::Open(rocksdb::DBOptions(db_options), path, descriptors, &families, &db);
    }
    if (!status.ok()) {
        throw std::runtime_error(path + ": cannot open the registry: " + status.ToString());
    }
    if (legacy) {
        legacy_spatial = families.back();
        families.pop_back();
    }
    write_options.sync = options.sync_writes;
    write_options.disableWAL = options.disable_wal;
    if (!options.read_only && options.follower_dir.empty()) {
        detail::clear_scratch(scratch_dir());  // files of an ingestion cut short
    }

    std::string value;
    status = db->Get(rocksdb::ReadOptions(), cf(cf_default), key_format, &value);
    if (status.IsNotFound()) {
        require_writable();
        check(db->Put(write_options, cf(cf_default), key_format, format_version),
              "writing the format");
    } else {
        check(status, "reading the format");
        const bool old_format = value == format_version_3 || value == format_version_4 ||
                                value == format_version_5 || value == format_version_6;
        if (old_format && !options.read_only && options.follower_dir.empty()) {
            upgrade(value);
            value = format_version;
        }
        // Formats 5 and 6 have every index this version reads: a read-only open serves them
        // as they are.
        const bool readable = value == format_version ||
                              ((value == format_version_5 || value == format_version_6) &&
                               (options.read_only || !options.follower_dir.empty()));
        if (!readable) {
            throw std::runtime_error(path + ": not a registry of this version (format '" + value +
                                     "', expected '" + std::string(format_version) + "')");
        }
    }
    status = db->Get(rocksdb::ReadOptions(), cf(cf_default), key_next_id, &value);
    if (status.ok()) {
        if (value.size() != 8) {
            throw std::runtime_error(path + ": corrupt next_id record");
        }
        next_id = detail::get_be64(value);
    } else if (!status.IsNotFound()) {
        check(status, "reading next_id");
    }
    status = db->Get(rocksdb::ReadOptions(), cf(cf_default), key_prefixes, &value);
    if (status.ok()) {
        load_prefixes(value);
    } else if (!status.IsNotFound()) {
        check(status, "reading the prefix table");
    }
    status = db->Get(rocksdb::ReadOptions(), cf(cf_default), key_old_units, &value);
    if (status.ok()) {
        load_old_units(value);
    } else if (!status.IsNotFound()) {
        check(status, "reading the old-unit table");
    }
    status = db->Get(rocksdb::ReadOptions(), cf(cf_default), key_streets, &value);
    if (status.ok()) {
        load_streets(value);
    } else if (!status.IsNotFound()) {
        check(status, "reading the street list");
    }
    status = db->Get(rocksdb::ReadOptions(), cf(cf_default), key_places, &value);
    if (status.ok()) {
        load_places(value);
    } else if (!status.IsNotFound()) {
        check(status, "reading the named places");
    }
    load_zones();
    detail::load_area_words(db, cf(cf_search), &vocabulary);
}

void Registry::Impl::upgrade(std::string_view format) {
    if (format == format_version_3 || format == format_version_4) {
        build_spatial_indexes(format == format_version_3, true);
        check(db->Put(write_options, cf(cf_default), key_format, format_version_5),
              "writing the format");
    }
    if (legacy_spatial != nullptr) {
        check(db->DropColumnFamily(legacy_spatial), "dropping the legacy spatial family");
        check(db->DestroyColumnFamilyHandle(legacy_spatial), "dropping the legacy spatial family");
        legacy_spatial = nullptr;
    }
    check(db->Put(write_options, cf(cf_default), key_format, format_version), "writing the format");
}

void Registry::Impl::load_old_units(std::string_view data) {
    detail::Reader in(data, "old-unit table");
    std::vector<geography::OldUnit> units;
    while (!in.done()) {
        geography::OldUnit unit;
        unit.commune_code = in.string();
        unit.commune = in.string();
        unit.district = in.string();
        unit.province = in.string();
        unit.new_zone_id = in.string();
        unit.partial = in.string() == "p";
        units.push_back(std::move(unit));
    }
    std::lock_guard lock(zones_mutex);
    old_units = std::move(units);
}

void Registry::Impl::load_streets(std::string_view data) {
    detail::Reader in(data, "street list");
    std::vector<geography::StreetRow> rows;
    while (!in.done()) {
        geography::StreetRow row;
        row.province = in.string();
        row.district = in.string();
        row.street = in.string();
        row.zone_id = in.string();
        rows.push_back(std::move(row));
    }
    std::lock_guard lock(zones_mutex);
    streets = std::move(rows);
}

void Registry::Impl::load_places(std::string_view data) {
    detail::Reader in(data, "named places");
    std::vector<geography::NamedPlace> rows;
    while (!in.done()) {
        geography::NamedPlace place;
        place.osm_id = in.string();
        place.name = in.string();
        place.kind = in.string();
        const std::string lat(in.string());
        const std::string lng(in.string());
        const auto location = LatLngE7::from_e7(static_cast<std::int32_t>(std::stol(lat)),
                                                static_cast<std::int32_t>(std::stol(lng)));
        if (!location) {
            throw std::runtime_error("corrupt named place " + place.osm_id + ": location");
        }
        place.location = *location;
        rows.push_back(std::move(place));
    }
    std::lock_guard lock(zones_mutex);
    places = std::move(rows);
}

void Registry::Impl::rebuild_gazetteer() {
    const auto index = zone_snapshot();
    std::vector<geography::OldUnit> units;
    std::vector<geography::StreetRow> listed;
    std::vector<geography::NamedPlace> named;
    {
        std::lock_guard lock(zones_mutex);
        units = old_units;
        listed = streets;
        named = places;
    }
    auto built = index ? std::make_shared<const detail::Gazetteer>(*index, units, listed, named)
                       : std::make_shared<const detail::Gazetteer>();
    built->add_words_to(&vocabulary);
    std::lock_guard lock(zones_mutex);
    gazetteer = std::move(built);
}

detail::SearchContext Registry::Impl::search_context() const {
    std::lock_guard lock(zones_mutex);
    return detail::SearchContext{
        db, cf(cf_search), zones, gazetteer, &vocabulary,
        [this](std::uint64_t id, Access access, Household* out) {
            return read_household(id, access, out);
        },
        std::shared_ptr<rocksdb::Iterator>(db->NewIterator(rocksdb::ReadOptions(), cf(cf_search)))};
}

void Registry::Impl::load_prefixes(std::string_view data) {
    detail::Reader in(data, "prefix table");
    auto map = std::make_shared<PrefixMap>();
    while (!in.done()) {
        const std::string province = province_key(in.string());
        const std::string_view prefixes = in.string();
        for (const char p : prefixes) {
            (*map)[static_cast<std::uint8_t>(p)].insert(province);
        }
    }
    std::lock_guard lock(zones_mutex);
    prefix_provinces = std::move(map);
}

void Registry::Impl::load_zones() {
    std::vector<geography::ZoneFeature> current;
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions(), cf(cf_zones)));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
        geography::ZoneFeature feature;
        detail::decode_zone(it->value().ToStringView(), &feature.zone, &feature.wkb);
        if (feature.zone.valid_to.empty()) {
            current.push_back(std::move(feature));
        }
    }
    check(it->status(), "reading zones");
    install_zones(
        std::make_shared<const geography::ZoneIndex>(std::move(current), options.zone_index));
}

void Registry::Impl::install_zones(std::shared_ptr<const geography::ZoneIndex> index) {
    auto provinces = std::make_shared<std::vector<std::string>>();
    provinces->reserve(index->size());
    for (const auto& zone : index->zones()) {
        provinces->push_back(province_key(zone.parent_name));
    }
    {
        std::lock_guard lock(zones_mutex);
        zones = std::move(index);
        zone_provinces = std::move(provinces);
    }
    rebuild_gazetteer();
}

bool Registry::Impl::read_household(std::uint64_t id, Access access, Household* out) const {
    rocksdb::PinnableSlice code_key;
    const auto status = db->Get(rocksdb::ReadOptions(), cf(cf_households), be64_key(id), &code_key);
    if (status.IsNotFound()) {
        return false;
    }
    check(status, "reading a household");
    if (code_key.size() != 8) {
        throw std::runtime_error(path + ": corrupt household entry " + std::to_string(id));
    }
    rocksdb::PinnableSlice value;
    check(db->Get(rocksdb::ReadOptions(), cf(cf_codes), code_key, &value),
          "reading the code of a household");
    if (!decode_current(value.ToStringView(), access, out) || out->id != id) {
        throw std::runtime_error(path + ": household " + std::to_string(id) +
                                 " and its code entry disagree");
    }
    return true;
}

bool Registry::Impl::decode_current(std::string_view value, Access access, Household* out) const {
    if (value.size() < 9) {
        throw std::runtime_error(path + ": corrupt code entry");
    }
    if (detail::code_state(value) != CodeState::current) {
        return false;
    }
    detail::decode_household(value.substr(9), out);
    out->id = detail::get_be64(value);
    out->commune.clear();
    out->province.clear();
    if (const auto index = zone_snapshot()) {
        if (const auto zone = index->find(out->zone_id)) {
            out->commune = index->zone(*zone).name;
            out->province = index->zone(*zone).parent_name;
        }
    }
    out->personal.reset();
    if (access == Access::staff) {
        rocksdb::PinnableSlice personal;
        const auto s =
            db->Get(rocksdb::ReadOptions(), cf(cf_personal), be64_key(out->id), &personal);
        if (s.ok()) {
            out->personal.emplace();
            detail::decode_personal(personal.ToStringView(), &*out->personal);
        } else if (!s.IsNotFound()) {
            check(s, "reading personal fields");
        }
    }
    return true;
}

bool Registry::Impl::read_entry(std::string_view value, Access access, Household* out) const {
    return decode_current(value, access, out) ||
           read_household(detail::get_be64(value), access, out);
}

CellUnits Registry::Impl::last_unit(std::unique_ptr<rocksdb::Iterator>* iterator,
                                    std::uint64_t base) const {
    if (auto known = loaded_cell(base)) {
        return std::move(*known);
    }
    // Most cells are new: a point lookup of unit 1 answers that through the Bloom filter, far
    // cheaper than positioning an iterator.
    std::string first;
    const auto status =
        db->Get(rocksdb::ReadOptions(), cf(cf_codes), be64_key((base & ~unit_mask) | 1), &first);
    if (status.IsNotFound()) {
        return {};
    }
    check(status, "reading codes");
    return cell_units(iterator, base, first);
}

CellUnits Registry::Impl::cell_units(std::unique_ptr<rocksdb::Iterator>* iterator,
                                     std::uint64_t base, std::string_view first) const {
    if (first.size() < 9) {
        throw std::runtime_error(path + ": corrupt code entry");
    }
    // An alone unit 1 is the last unit: no seek needed.
    if (detail::code_alone(first)) {
        return CellUnits{1, std::string(first)};
    }
    return CellUnits{seek_last_unit(iterator, base), {}};
}

void Registry::Impl::issue_next_unit(rocksdb::WriteBatch* batch, std::uint64_t base,
                                     CellUnits* cell) const {
    if (!cell->alone_first.empty()) {
        cell->alone_first[8] = static_cast<char>(
            static_cast<std::uint8_t>(cell->alone_first[8]) & ~detail::code_alone_bit);
        check(batch->Put(cf(cf_codes), be64_key((base & ~unit_mask) | 1), cell->alone_first),
              "batching a code");
        cell->alone_first.clear();
    }
    ++cell->last;
}

void Registry::Impl::last_units(std::vector<std::uint64_t> bases, BatchCells* cells) const {
    for (auto& base : bases) {
        base &= ~unit_mask;
    }
    std::sort(bases.begin(), bases.end());
    bases.erase(std::unique(bases.begin(), bases.end()), bases.end());
    cells->assign(std::move(bases));
    const auto all = cells->bases();
    // Cells known to a deferred load (its table's slots fetched ahead); the rest are read.
    const bool deferred = load && load->deferred;
    std::vector<std::size_t> unknown;
    for (std::size_t i = 0; i < all.size(); ++i) {
        if (deferred && i + detail::WordTable::prefetch_distance < all.size()) {
            load->cells.prefetch(all[i + detail::WordTable::prefetch_distance]);
        }
        if (auto known = loaded_cell(all[i], /*read_first_later=*/true)) {
            cells->at(i) = std::move(*known);
        } else {
            unknown.push_back(i);
        }
    }
    if (unknown.empty()) {
        return;
    }
    std::vector<std::string> keys;
    keys.reserve(unknown.size());
    for (const std::size_t i : unknown) {
        keys.push_back(be64_key(all[i] | 1));
    }
    const std::vector<rocksdb::Slice> slices(keys.begin(), keys.end());
    std::unique_ptr<rocksdb::Iterator> iterator;
    detail::multi_get(db, cf(cf_codes), slices, /*sorted=*/true,
                      [&](std::size_t k, const rocksdb::Status& status, std::string_view value) {
                          if (!status.IsNotFound()) {
                              check(status, "reading codes");
                              const std::size_t i = unknown[k];
                              cells->at(i) = cell_units(&iterator, all[i], value);
                          }
                      });
}

std::uint16_t Registry::Impl::seek_last_unit(std::unique_ptr<rocksdb::Iterator>* iterator,
                                             std::uint64_t base) const {
    if (!*iterator) {
        iterator->reset(db->NewIterator(rocksdb::ReadOptions(), cf(cf_codes)));
    }
    rocksdb::Iterator* it = iterator->get();
    it->SeekForPrev(be64_key(base | unit_mask));
    if (it->Valid()) {
        const std::uint64_t key = detail::get_be64(it->key().ToStringView());
        if ((key & ~unit_mask) == (base & ~unit_mask)) {
            return static_cast<std::uint16_t>(key & unit_mask);
        }
    } else {
        check(it->status(), "reading codes");
    }
    return 0;
}

void Registry::Impl::lookup(const HouseholdCode& code, bool whole_cell, Access access,
                            std::vector<Household>* out, std::vector<std::string>* notes,
                            bool* all_moved) const {
    const auto visit = [&](std::uint64_t key, std::string_view value) {
        if (value.size() < 9) {
            throw std::runtime_error(path + ": corrupt code entry");
        }
        const std::uint64_t id = detail::get_be64(value);
        Household household;
        if (!read_entry(value, access, &household)) {
            throw std::runtime_error(path + ": code entry names a missing household " +
                                     std::to_string(id));
        }
        const auto state = detail::code_state(value);
        if (state == CodeState::moved) {
            notes->push_back("code " + std::string(HouseholdCode::from_key(key).display().view()) +
                             " belonged to household " + std::to_string(id) +
                             " before it moved; its code is now " +
                             std::string(household.code.display().view()));
        } else {
            *all_moved = false;
        }
        if (household.status == HouseholdStatus::retired) {
            notes->push_back("household " + std::to_string(id) + " is retired");
        }
        out->push_back(std::move(household));
    };
    *all_moved = true;
    if (!whole_cell) {
        rocksdb::PinnableSlice value;
        const std::uint64_t key = code.key();
        const auto status = db->Get(rocksdb::ReadOptions(), cf(cf_codes), be64_key(key), &value);
        if (status.ok()) {
            visit(key, value.ToStringView());
        } else if (!status.IsNotFound()) {
            check(status, "reading a code");
        }
        return;
    }
    // Units are issued 1, 2, 3, ... and code entries are never deleted, so the cell's codes are
    // units 1..n. Most cells hold one household, and their unit 1 says so (code_alone_bit):
    // then it is the only read. Otherwise ask for unit 2, which the Bloom filter answers
    // without a block search when it is missing (a MultiGet of both cost 40% more than one
    // Get). Only when unit 2 exists probe on with MultiGets of eight adjacent keys until the
    // first miss.
    const std::uint64_t base = code.key() & ~unit_mask;
    for (std::uint64_t unit = 1; unit <= 2; ++unit) {
        rocksdb::PinnableSlice value;
        const auto status =
            db->Get(rocksdb::ReadOptions(), cf(cf_codes), be64_key(base | unit), &value);
        if (status.IsNotFound()) {
            return;
        }
        check(status, "reading a code");
        visit(base | unit, value.ToStringView());
        if (unit == 1 && detail::code_alone(value.ToStringView())) {
            return;
        }
    }
    constexpr std::size_t probe = 8;
    std::array<std::string, probe> keys;
    std::array<rocksdb::Slice, probe> slices;
    std::array<rocksdb::PinnableSlice, probe> values;
    std::array<rocksdb::Status, probe> statuses;
    for (std::uint64_t first = 3; first <= HouseholdCode::max_unit; first += probe) {
        for (std::size_t i = 0; i < probe; ++i) {
            keys[i] = be64_key(base | (first + i));
            slices[i] = keys[i];
            values[i].Reset();
        }
        db->MultiGet(rocksdb::ReadOptions(), cf(cf_codes), probe, slices.data(), values.data(),
                     statuses.data(), /*sorted_input=*/true);
        for (std::size_t i = 0; i < probe; ++i) {
            if (statuses[i].IsNotFound()) {
                return;
            }
            check(statuses[i], "reading a code");
            visit(base | (first + i), values[i].ToStringView());
        }
    }
}

void Registry::Impl::suggest(const HouseholdCode& code, std::vector<Suggestion>* out) const {
    const auto canonical = code.canonical();
    const std::string text(canonical.view().substr(0, HouseholdCode::canonical_length));
    const std::string unit_suffix(canonical.view().substr(HouseholdCode::canonical_length));
    std::vector<std::pair<HouseholdCode, std::string>> candidates;
    const auto consider = [&](const std::string& variant, std::string edit) {
        const auto parsed = HouseholdCode::parse(variant + unit_suffix);
        if (parsed) {
            candidates.emplace_back(*parsed, std::move(edit));
        }
    };
    constexpr std::string_view digits = "0123456789";
    for (std::size_t i = 0; i < text.size(); ++i) {
        const std::string_view symbols =
            i < HouseholdCode::postcode_length ? digits : olc::alphabet;
        for (const char c : symbols) {
            if (c != text[i]) {
                std::string variant = text;
                variant[i] = c;
                consider(variant,
                         "character " + std::to_string(i + 1) + ": " + text[i] + " -> " + c);
            }
        }
        if (i + 1 < text.size() && text[i] != text[i + 1]) {
            std::string variant = text;
            std::swap(variant[i], variant[i + 1]);
            consider(variant, "characters " + std::to_string(i + 1) + "-" + std::to_string(i + 2) +
                                  " swapped");
        }
    }
    std::vector<std::string> keys;
    keys.reserve(candidates.size());
    for (const auto& candidate : candidates) {
        keys.push_back(be64_key(candidate.first.key()));
    }
    std::vector<rocksdb::Slice> slices(keys.begin(), keys.end());
    std::vector<rocksdb::PinnableSlice> values(keys.size());
    std::vector<rocksdb::Status> statuses(keys.size());
    db->MultiGet(rocksdb::ReadOptions(), cf(cf_codes), keys.size(), slices.data(), values.data(),
                 statuses.data());
    const auto index = zone_snapshot();
    for (std::size_t i = 0; i < keys.size() && out->size() < 10; ++i) {
        if (!statuses[i].ok() || values[i].size() < 9) {
            continue;
        }
        const std::uint64_t id = detail::get_be64(values[i].ToStringView());
        Household household;
        if (!read_entry(values[i].ToStringView(), Access::anonymous, &household)) {
            continue;
        }
        // Consistent with the postcode: the household's zone carries the code's postcode.
        const auto zone = index ? index->find(household.zone_id) : std::nullopt;
        if (!zone || index->zone(*zone).postcode != candidates[i].first.postcode()) {
            continue;
        }
        out->push_back({candidates[i].first, id, std::move(candidates[i].second)});
    }
}

void Registry::Impl::append_history(rocksdb::WriteBatch* batch, const Household& h,
                                    HistoryAction action, std::string_view actor,
                                    std::string detail) const {
    HistoryEvent event;
    event.sequence = h.version - 1;
    event.time_ms = h.updated_ms;
    event.actor = actor;
    event.action = action;
    event.detail = std::move(detail);
    std::string value;
    detail::encode_history(event, &value);
    check(batch->Put(cf(cf_history), history_key(h.id, event.sequence), value), "batching history");
}

void Registry::Impl::put_changed_household(rocksdb::WriteBatch* batch, const Household& h,
                                           const Household& before) const {
    detail::SearchBatch search(batch, cf(cf_search));
    put_household(batch, h, &before, &search);
    search.finish(&vocabulary);
}

void Registry::Impl::put_household(rocksdb::WriteBatch* batch, const Household& h,
                                   const Household* before, detail::SearchBatch* search,
                                   bool alone) const {
    if (before != nullptr && before->status == HouseholdStatus::active) {
        search->add(*before, -1);
    }
    if (h.status == HouseholdStatus::active) {
        search->add(h, +1);
    }
    std::string value;
    std::string record;
    current_code_value(h, alone, &value, &record);
    check(batch->Put(cf(cf_codes), be64_key(h.code.key()), value), "batching a household");
    check(batch->Put(cf(cf_households), be64_key(h.id), be64_key(h.code.key())),
          "batching a household");
}

Registry::Registry(const std::string& path, RegistryOptions options)
    : m_path(path), m_impl(std::make_unique<Impl>()) {
    m_impl->path = path;
    m_impl->options = options;
    m_impl->open();
}

Registry::~Registry() = default;

// --- zones -------------------------------------------------------------------------------------

ZoneImportSummary Registry::import_zones(std::vector<geography::ZoneFeature> zones,
                                         const std::vector<geography::ProvincePrefixes>& prefixes) {
    m_impl->require_writable();
    std::sort(zones.begin(), zones.end(),
              [](const auto& a, const auto& b) { return a.zone.id < b.zone.id; });
    // Build first: an invalid outline fails before anything is written.
    auto index = std::make_shared<const geography::ZoneIndex>(zones, m_impl->options.zone_index);

    std::lock_guard lock(m_impl->write_mutex);
    m_impl->settle();
    ZoneImportSummary summary;
    rocksdb::WriteBatch batch;
    std::unordered_set<std::string> valid_from_dates;
    for (const auto& feature : zones) {
        valid_from_dates.insert(feature.zone.valid_from);
    }
    const std::string new_from = zones.empty() ? std::string() : zones.front().zone.valid_from;
    std::unique_ptr<rocksdb::Iterator> it(
        m_impl->db->NewIterator(rocksdb::ReadOptions(), m_impl->cf(cf_zones)));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
        geography::Zone zone;
        std::string wkb;
        detail::decode_zone(it->value().ToStringView(), &zone, &wkb);
        if (valid_from_dates.contains(zone.valid_from)) {
            m_impl->check(batch.Delete(m_impl->cf(cf_zones), it->key()), "batching zones");
        } else if (zone.valid_to.empty() && zone.valid_from < new_from) {
            zone.valid_to = new_from;
            std::string value;
            detail::encode_zone(zone, wkb, &value);
            m_impl->check(batch.Put(m_impl->cf(cf_zones), it->key(), value), "batching zones");
            ++summary.closed;
        }
    }
    m_impl->check(it->status(), "reading zones");
    std::string value;
    for (const auto& feature : zones) {
        std::string key = feature.zone.id;
        key.push_back('\0');
        key.append(feature.zone.valid_from);
        detail::encode_zone(feature.zone, feature.wkb, &value);
        m_impl->check(batch.Put(m_impl->cf(cf_zones), key, value), "batching zones");
        ++summary.zones;
        summary.with_postcode += feature.zone.postcode != 0 ? 1 : 0;
    }
    std::string prefix_table;
    if (!prefixes.empty()) {
        std::string table;
        for (const auto& entry : prefixes) {
            detail::put_string(&table, entry.province);
            detail::put_string(&table, std::string(entry.prefixes.begin(), entry.prefixes.end()));
        }
        m_impl->check(batch.Put(m_impl->cf(cf_default), key_prefixes, table), "batching prefixes");
        prefix_table = std::move(table);
    }
    m_impl->check(m_impl->db->Write(m_impl->write_options, &batch), "writing zones");
    if (!prefix_table.empty()) {
        m_impl->load_prefixes(prefix_table);
    }
    m_impl->install_zones(std::move(index));
    m_impl->generation.fetch_add(1, std::memory_order_release);  // once the new zones are in use
    return summary;
}

std::shared_ptr<const geography::ZoneIndex> Registry::zones() const {
    return m_impl->zone_snapshot();
}

std::vector<geography::Zone> Registry::zone_versions(std::string_view id) const {
    std::vector<geography::Zone> versions;
    std::string prefix(id);
    prefix.push_back('\0');
    std::unique_ptr<rocksdb::Iterator> it(
        m_impl->db->NewIterator(rocksdb::ReadOptions(), m_impl->cf(cf_zones)));
    for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
        geography::Zone zone;
        std::string wkb;
        detail::decode_zone(it->value().ToStringView(), &zone, &wkb);
        versions.push_back(std::move(zone));
    }
    m_impl->check(it->status(), "reading zones");
    return versions;
}

Result<Place> Registry::where(LatLngE7 point) const {
    const auto index = m_impl->zone_snapshot();
    const auto hit = index->locate(point);
    if (!hit) {
        return hit.error();
    }
    return Place{*hit, index->zone(hit->zone)};
}

// --- households --------------------------------------------------------------------------------

namespace {

/// A registration of a batch that becomes a new household (register_households()).
struct NewHousehold {
    std::size_t row = 0;  ///< its index in the batch
    const geography::Zone* zone = nullptr;
    HouseholdCode code;
    std::uint64_t id = 0;
    const CellUnits* cell = nullptr;  ///< its cell's units once the whole batch is decided
};

}  // namespace

void Registry::register_households(std::span<const Registration> registrations,
                                   std::vector<Result<Registered>>* out) {
    quiet_perf_context();
    m_impl->require_writable();
    std::lock_guard lock(m_impl->write_mutex);
    m_impl->settle();
    if (auto job = m_impl->prepare(registrations, out, /*pipelined=*/false)) {
        try {
            m_impl->write(&*job);
        } catch (...) {
            m_impl->undo_ids(job->first_id);
            throw;
        }
    }
}

std::optional<Registry::Impl::WriteJob> Registry::Impl::prepare(
    std::span<const Registration> registrations, std::vector<Result<Registered>>* out,
    bool pipelined) {
    // One result per row, filled in place (a vector of 200,000 households built beside it and
    // moved over was fresh memory twice per bulk batch). A caller that keeps @p out across
    // batches reuses its memory.
    out->assign(registrations.size(), Result<Registered>(Registered{}));
    const auto index = zone_snapshot();

    // A bulk batch is ingested as table files (batch_ingest.hpp), and its reads and its
    // building run on two threads.
    const bool bulk =
        options.ingest_min_batch > 0 && registrations.size() >= options.ingest_min_batch;
    // A deferred bulk load reads the store only for what its tables cannot answer: rows whose
    // external id's hash it has seen, and the unit 1 of cells it gave one unit. A batch being
    // written meanwhile (BulkLoad::add()) is waited for first.
    const bool deferred = load && load->deferred;
    const auto settle_for_reads = [&] {
        settle();
        if (pipelined && load->failure) {
            std::rethrow_exception(load->failure);
        }
    };

    // Which (source, external id) pairs exist already, in one MultiGet. A deferred bulk load
    // asks only for those whose hash it has seen (Impl::LoadState).
    std::vector<std::string> external_keys(registrations.size());
    std::vector<std::uint64_t> external_words(deferred ? registrations.size() : 0);
    std::vector<std::size_t> asked;  // rows whose external id may be stored
    std::unordered_map<std::size_t, std::uint64_t> existing;
    const auto key_external = [&] {
        for (std::size_t i = 0; i < registrations.size(); ++i) {
            if (!registrations[i].external_id.empty()) {
                external_keys[i] =
                    external_key(registrations[i].source, registrations[i].external_id);
                asked.push_back(i);
            }
        }
        if (deferred) {
            const auto& seen = load->externals;
            for (const std::size_t i : asked) {
                external_words[i] = external_word(external_keys[i]);
            }
            std::size_t kept = 0;
            for (std::size_t k = 0; k < asked.size(); ++k) {
                if (k + detail::WordTable::prefetch_distance < asked.size()) {
                    seen.prefetch(external_words[asked[k + detail::WordTable::prefetch_distance]]);
                }
                if (seen.find(external_words[asked[k]])) {
                    asked[kept++] = asked[k];
                }
            }
            asked.resize(kept);
        }
    };
    const auto read_existing = [&] {
        if (asked.empty()) {
            return;
        }
        std::vector<rocksdb::Slice> slices;
        for (const std::size_t i : asked) {
            slices.emplace_back(external_keys[i]);
        }
        detail::multi_get(
            db, cf(cf_external), slices, /*sorted=*/false,
            [&](std::size_t k, const rocksdb::Status& status, std::string_view found) {
                if (status.ok() && found.size() == 8) {
                    existing.emplace(asked[k], detail::get_be64(found));
                } else if (!status.ok() && !status.IsNotFound()) {
                    check(status, "reading external ids");
                }
            });
    };

    // The zone of each registration, and the last unit of each cell they fall in, its unit 1
    // read in one MultiGet (a point lookup per new cell was a fifth of a bulk registration's
    // time). Run one after the other, the rows found registered before need neither; run side
    // by side, every row is located.
    std::vector<std::optional<Result<geography::ZoneHit>>> hits(registrations.size());
    BatchCells cells;
    const auto read_units = [&](bool skip_known) {
        std::vector<std::uint64_t> bases;
        bases.reserve(registrations.size());
        for (std::size_t i = 0; i < registrations.size(); ++i) {
            if (skip_known && existing.contains(i)) {
                continue;
            }
            const LatLngE7 location = registrations[i].location;
            const auto& hit = hits[i].emplace(index->locate(location));
            const std::uint32_t postcode = hit ? index->zone(hit->zone).postcode : 0;
            if (postcode != 0) {
                if (const auto base = HouseholdCode::from_grid(postcode, location.grid_point(), 1)) {
                    bases.push_back(base->key());
                }
            }
        }
        last_units(std::move(bases), &cells);
    };
    if (!bulk) {
        key_external();
        if (deferred && !asked.empty()) {
            settle_for_reads();
        }
        read_existing();
        read_units(true);
    } else if (deferred) {
        // The tables alone answer both sides; the few ids they have seen are read after.
        detail::run_both(key_external, [&] { read_units(false); });
        if (!asked.empty()) {
            settle_for_reads();
            read_existing();
        }
    } else {
        detail::run_both(
            [&] {
                key_external();
                read_existing();
            },
            [&] { read_units(false); });
    }
    std::unordered_map<std::string_view, std::size_t> batch_external;  // external_keys -> row
    batch_external.reserve(registrations.size());
    std::unique_ptr<rocksdb::Iterator> codes;  // made by cell_units() when a cell is not new

    // First, in order, what becomes of each registration: an error, the household an import
    // registered before, a repeat of an earlier row of this batch, or a new household with its
    // id and code. Units and ids are handed out here, so the order of the batch decides them.
    std::vector<Result<Registered>>& results = *out;
    std::vector<std::pair<std::size_t, std::size_t>> repeats;  // (row, the row it repeats)
    std::vector<NewHousehold> fresh;
    fresh.reserve(registrations.size());
    rocksdb::WriteBatch first_units;    // unit 1 entries that lose code_alone_bit
    std::vector<std::uint64_t> unread;  // cells whose unit 1 entry is read for that, after
    std::uint64_t id = next_id;
    for (std::size_t i = 0; i < registrations.size(); ++i) {
        const Registration& r = registrations[i];
        if (const Error e = check_registration(r); e.code != ErrorCode::ok) {
            results[i] = e;
            continue;
        }
        if (const auto it = existing.find(i); it != existing.end()) {
            Household household;
            if (!read_household(it->second, Access::staff, &household)) {
                throw std::runtime_error(path + ": external id names a missing household");
            }
            results[i] = Registered{std::move(household), false};
            continue;
        }
        if (!external_keys[i].empty()) {
            const auto [it, added] = batch_external.emplace(external_keys[i], i);
            if (!added) {
                repeats.emplace_back(i, it->second);
                continue;
            }
        }
        const auto& hit = *hits[i];
        if (!hit) {
            results[i] = hit.error();
            continue;
        }
        const geography::Zone& zone = index->zone(hit->zone);
        if (zone.postcode == 0) {
            results[i] = Error{ErrorCode::not_found, 0, 0, "the point's zone has no postcode"};
            continue;
        }
        const auto base = HouseholdCode::from_grid(zone.postcode, r.location.grid_point(), 1);
        if (!base) {
            results[i] = base.error();
            continue;
        }
        const std::uint64_t base_key = base->key() & ~unit_mask;
        // read_units() computed this row's cell from the same zone snapshot.
        CellUnits* found = cells.find(base_key);
        if (found == nullptr) {
            throw std::logic_error(path + ": a registration's cell was not read before");
        }
        CellUnits& cell = *found;
        if (cell.last >= HouseholdCode::max_unit) {
            results[i] = Error{ErrorCode::unit_exhausted, 0, 0, "9999 households in one cell"};
            continue;
        }
        if (cell.first_unread) {
            unread.push_back(base_key);
            cell.first_unread = false;
        }
        issue_next_unit(&first_units, base_key, &cell);
        fresh.push_back({i, &zone, base->with_unit(cell.last), id++, &cell});
    }

    // Then the new households' entries, written into one batch per worker: two workers for a
    // bulk batch (building the entries is about half of a bulk registration), one otherwise.
    const std::size_t workers = bulk && fresh.size() >= 2 ? 2 : 1;
    WriteJob job;
    job.ingest = bulk;
    // A deferred load's level-0 files are merged when it finishes (BulkLoad::finish()).
    job.level0 = deferred ? detail::Level0Files::merged_soon : detail::Level0Files::lasting;
    job.first_id = next_id;
    auto& batches = job.parts;
    for (std::size_t w = 0; w < workers; ++w) {
        const std::size_t rows = fresh.size() * (w + 1) / workers - fresh.size() * w / workers;
        batches.emplace_back(bulk ? rows * bulk_bytes_per_row * 9 / 8 : 0);
    }
    const std::int64_t time = now_ms();
    const auto build = [&](std::size_t worker) {
        rocksdb::WriteBatch& batch = batches[worker];
        detail::SearchBatch search(&batch, cf(cf_search));
        PlaceBatch places(&batch, cf(cf_density), cf(cf_cells));
        std::string value;
        const std::size_t begin = fresh.size() * worker / workers;
        const std::size_t end = fresh.size() * (worker + 1) / workers;
        for (std::size_t f = begin; f < end; ++f) {
            const NewHousehold& planned = fresh[f];
            const Registration& r = registrations[planned.row];
            Household h;
            h.id = planned.id;
            h.code = planned.code;
            h.location = r.location;
            h.address = r.address;
            h.zone_id = planned.zone->id;
            h.commune = planned.zone->name;
            h.province = planned.zone->parent_name;
            h.source = r.source;
            h.external_id = r.external_id;
            h.created_ms = h.updated_ms = time;
            // Unit 1 of a cell that no other row of the batch adds to is alone in it.
            const bool alone = h.code.unit() == 1 && planned.cell->last == 1;
            put_household(&batch, h, nullptr, &search, alone);
            if (!r.personal.head_of_household.empty() || !r.personal.phone.empty()) {
                detail::encode_personal(r.personal, &value);
                check(batch.Put(cf(cf_personal), be64_key(h.id), value), "batching");
                h.personal = r.personal;
            }
            places.add(h.location, h.id, h.code);
            if (!external_keys[planned.row].empty()) {
                check(batch.Put(cf(cf_external), external_keys[planned.row], be64_key(h.id)),
                      "batching");
            }
            // The record holds the location; the event names the code it was given.
            append_history(&batch, h, HistoryAction::registered, r.actor,
                           "code " + std::string(h.code.canonical().view()));
            results[planned.row] = Registered{std::move(h), true};
        }
        places.finish();
        return search;  // its area counters, written below: they feed the shared vocabulary
    };
    std::vector<std::optional<detail::SearchBatch>> searches(workers);
    if (workers == 1) {
        searches[0].emplace(build(0));
    } else {
        detail::run_both([&] { searches[0].emplace(build(0)); },
                         [&] { searches[1].emplace(build(1)); });
    }
    for (auto& search : searches) {
        search->finish(&vocabulary);
    }
    if (bulk && !fresh.empty()) {
        std::size_t bytes = 0;
        for (const auto& batch : batches) {
            bytes += batch.GetDataSize();
        }
        bulk_bytes_per_row = bytes / fresh.size();
    }
    for (const auto& [row, first] : repeats) {
        const auto& earlier = results[first];
        results[row] = earlier ? Result<Registered>(Registered{earlier->household, false})
                               : Result<Registered>(earlier.error());
    }
    if (id == next_id) {
        return std::nullopt;  // nothing new
    }

    // The unit 1 entries a deferred load's table could not give, read once every batch before
    // this one is durable: each loses its mark of being alone in its cell.
    if (!unread.empty()) {
        settle_for_reads();
        std::vector<std::string> keys;
        keys.reserve(unread.size());
        for (const std::uint64_t base : unread) {
            keys.push_back(be64_key(base | 1));
        }
        const std::vector<rocksdb::Slice> slices(keys.begin(), keys.end());
        detail::multi_get(
            db, cf(cf_codes), slices, /*sorted=*/false,
            [&](std::size_t k, const rocksdb::Status& status, std::string_view value) {
                check(status, "reading the unit 1 of a cell given one by the load");
                CellUnits cell = cell_units(&codes, unread[k], value);
                issue_next_unit(&first_units, unread[k], &cell);
            });
    }

    check(batches.front().Put(cf(cf_default), key_next_id, be64_key(id)), "batching");
    if (first_units.Count() > 0) {
        batches.push_back(std::move(first_units));
    }
    next_id = id;
    if (deferred) {
        std::vector<std::uint64_t> words;
        words.reserve(cells.bases().size());
        for (std::size_t c = 0; c < cells.bases().size(); ++c) {
            if (cells.at(c).last > 0) {
                words.push_back(cells.bases()[c] | cells.at(c).last);
            }
        }
        load->cells.put_all(words);
        words.clear();
        for (const NewHousehold& planned : fresh) {
            if (!external_keys[planned.row].empty()) {
                words.push_back(external_words[planned.row]);
            }
        }
        load->externals.put_all(words);
    }
    for (const auto& result : *out) {
        if (result && result->created) {
            job.changes.push_back(
                MapChange{result->household.id, std::nullopt, result->household.location});
        }
    }
    return job;
}

void Registry::Impl::write(WriteJob* job) {
    std::vector<const rocksdb::WriteBatch*> parts;
    for (const auto& batch : job->parts) {
        parts.push_back(&batch);
    }
    if (!job->ingest ||
        !detail::ingest_batch(db, parts, families, scratch_dir(), job->level0).ingested) {
        // One write, so that the batch stays all or nothing.
        for (std::size_t w = 1; w < parts.size(); ++w) {
            detail::append_batch(*parts[w], families, &job->parts.front());
        }
        check(db->Write(write_options, &job->parts.front()), "writing households");
    }
    generation.fetch_add(1, std::memory_order_release);
    notify(job->changes);
}

Result<Registered> Registry::register_household(const Registration& registration) {
    std::vector<Result<Registered>> out;
    register_households(std::span(&registration, 1), &out);
    return std::move(out.front());
}

Result<Household> Registry::get(std::uint64_t id, Access access) const {
    quiet_perf_context();
    Household household;
    if (!m_impl->read_household(id, access, &household)) {
        return Error{ErrorCode::not_found, 0, 0, "no household with this id"};
    }
    return household;
}

Result<Household> Registry::find_external(std::string_view source, std::string_view external_id,
                                          Access access) const {
    rocksdb::PinnableSlice value;
    const auto status = m_impl->db->Get(rocksdb::ReadOptions(), m_impl->cf(cf_external),
                                        external_key(source, external_id), &value);
    if (status.IsNotFound()) {
        return Error{ErrorCode::not_found, 0, 0, "no household with this source and external id"};
    }
    m_impl->check(status, "reading external ids");
    return get(detail::get_be64(value.ToStringView()), access);
}

std::uint64_t Registry::household_count() const {
    std::lock_guard lock(m_impl->write_mutex);
    return m_impl->next_id - 1;
}

Result<Resolution> Registry::resolve(std::string_view text, Access access) const {
    quiet_perf_context();
    const auto parsed = HouseholdCode::parse(text);
    if (!parsed) {
        return parsed.error();
    }
    Resolution resolution;
    resolution.code = *parsed;
    const bool whole_cell = parsed->unit() == 1;
    bool all_moved = true;
    m_impl->lookup(*parsed, whole_cell, access, &resolution.households, &resolution.notes,
                   &all_moved);
    if (!resolution.households.empty()) {
        resolution.match = all_moved ? ResolveMatch::moved : ResolveMatch::exact;
        return resolution;
    }

    // Not registered as written: the postcode may be pre-2025 or mistyped. Find the zones the
    // cell may lie in: first those of the provinces holding the postcode's 2-digit prefix, then
    // any zone whose postcode is one typo away.
    const auto index = m_impl->zone_snapshot();
    const std::uint32_t typed = parsed->postcode();
    const std::string typed_text = diachi::postcode_text(typed).str();
    // The five digits of a postcode, most significant first, without formatting text.
    const auto digits_of = [](std::uint32_t postcode) {
        std::array<std::uint8_t, 5> d{};
        for (int i = 4; i >= 0; --i) {
            d[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(postcode % 10);
            postcode /= 10;
        }
        return d;
    };
    const auto typed_digits = digits_of(typed);
    const auto one_edit = [&](std::uint32_t postcode) {
        const auto other = digits_of(postcode);
        std::size_t differences = 0;
        std::size_t first = 5;
        for (std::size_t i = 0; i < 5; ++i) {
            if (other[i] != typed_digits[i]) {
                first = std::min(first, i);
                ++differences;
            }
        }
        // One substitution, or two neighbouring digits swapped.
        return differences == 1 ||
               (differences == 2 && first + 1 < 5 && other[first] == typed_digits[first + 1] &&
                other[first + 1] == typed_digits[first]);
    };
    std::shared_ptr<const Impl::PrefixMap> prefixes;
    std::shared_ptr<const std::vector<std::string>> provinces;
    {
        std::lock_guard lock(m_impl->zones_mutex);
        prefixes = m_impl->prefix_provinces;
        provinces = m_impl->zone_provinces;
    }
    const auto prefix_it = prefixes->find(typed / 1000);
    for (int tier = 0; tier < 2 && resolution.households.empty(); ++tier) {
        // The zones the cell may lie in, and the 1-degree cells they touch.
        std::vector<bool> allowed(index->size(), false);
        std::set<std::pair<int, int>> degree_cells;
        for (std::uint32_t z = 0; z < index->size(); ++z) {
            const auto& zone = index->zone(z);
            const bool ok = tier == 0 ? (prefix_it != prefixes->end() && z < provinces->size() &&
                                         prefix_it->second.contains((*provinces)[z]))
                                      : one_edit(zone.postcode);
            if (!ok || zone.postcode == typed) {
                continue;
            }
            allowed[z] = true;
            const auto b = index->bounds(z);
            for (int lat = static_cast<int>(std::floor(b.south_deg));
                 lat <= static_cast<int>(std::floor(b.north_deg)); ++lat) {
                for (int lng = static_cast<int>(std::floor(b.west_deg));
                     lng <= static_cast<int>(std::floor(b.east_deg)); ++lng) {
                    degree_cells.emplace(lat, lng);
                }
            }
        }
        for (const auto& [lat, lng] : degree_cells) {
            {
                const auto area = parsed->area_in(lat, lng);
                const auto centre =
                    LatLngE7::from_degrees(area.center_lat_deg(), area.center_lng_deg());
                const auto hit =
                    centre ? index->locate(*centre) : Result<geography::ZoneHit>(centre.error());
                if (!hit || !allowed[hit->zone]) {
                    continue;
                }
                const auto& zone = index->zone(hit->zone);
                const auto corrected =
                    HouseholdCode::from_key((std::uint64_t{zone.postcode} << 45U) |
                                            (parsed->key() & ((std::uint64_t{1} << 45U) - 1)));
                std::vector<Household> found;
                std::vector<std::string> notes;
                m_impl->lookup(corrected, whole_cell, access, &found, &notes, &all_moved);
                if (found.empty()) {
                    continue;
                }
                resolution.code = corrected;
                resolution.match = ResolveMatch::postcode_replaced;
                resolution.notes.push_back(
                    "postcode " + typed_text + (tier == 0 ? " is not current" : " is unknown") +
                    "; the cell lies in " + zone.name + ", " + zone.parent_name + ", postcode " +
                    diachi::postcode_text(zone.postcode).str());
                resolution.notes.insert(resolution.notes.end(), notes.begin(), notes.end());
                resolution.households.insert(resolution.households.end(),
                                             std::make_move_iterator(found.begin()),
                                             std::make_move_iterator(found.end()));
            }
        }
    }
    if (resolution.households.empty()) {
        resolution.match = ResolveMatch::not_found;
        m_impl->suggest(*parsed, &resolution.suggestions);
    }
    return resolution;
}

namespace {

/// Read options for long scans: keys and values stay pinned in their blocks (no copy per entry).
rocksdb::ReadOptions scan_options() {
    rocksdb::ReadOptions options;
    options.pin_data = true;
    return options;
}

/// Reads ranges of an index keyed by a big-endian 64-bit number first (the spatial index's
/// Morton keys, the cell index's cells) through one iterator. A seek costs as much as stepping
/// over dozens of entries: the iterator stands on the first entry whose number is >= `lower` (or
/// past the end), so a range starting at or after `lower` is reached from there by stepping a
/// few entries, with no seek when the gap before it is empty or short.
class SpatialCursor {
public:
    explicit SpatialCursor(rocksdb::Iterator* it) : m_it(it) {}

    /// Calls @p visit(morton, key, value) for every entry of @p range.
    template <typename Visit>
    void scan(const detail::MortonRange& range, Visit&& visit) {
        for (position(range.begin); m_it->Valid(); m_it->Next()) {
            const std::string_view key = m_it->key().ToStringView();
            const std::uint64_t m = detail::get_be64(key);
            if (range.end != 0 && m >= range.end) {
                break;
            }
            m_lower = m + 1;  // once the loop steps past this entry
            if (!visit(m, key, m_it->value().ToStringView())) {
                return;
            }
        }
    }
    [[nodiscard]] rocksdb::Status status() const { return m_it->status(); }

private:
    void position(std::uint64_t begin) {
        if (m_positioned && m_lower <= begin) {
            constexpr int max_steps = 16;
            for (int step = 0; m_it->Valid(); ++step) {
                const std::uint64_t m = detail::get_be64(m_it->key().ToStringView());
                if (m >= begin) {
                    return;
                }
                if (step == max_steps) {
                    break;
                }
                m_it->Next();
                m_lower = m + 1;
            }
            if (!m_it->Valid() && m_it->status().ok()) {
                return;  // nothing at or after `lower`, so nothing in the range
            }
        }
        m_it->Seek(be64_key(begin));
        m_positioned = true;
        m_lower = begin;
    }

    rocksdb::Iterator* m_it;
    bool m_positioned = false;
    std::uint64_t m_lower = 0;
};

}  // namespace

void Registry::reverse(LatLngE7 point, std::size_t k, double max_distance_m,
                       std::vector<Nearby>* out, Access access) const {
    quiet_perf_context();
    out->clear();
    if (k == 0 || !(max_distance_m >= 0.0)) {
        return;
    }
    struct Candidate {
        double distance_m;
        std::uint64_t id;
        std::uint64_t code_key;
    };
    std::vector<Candidate> candidates;
    std::vector<detail::MortonRange> ranges;
    std::vector<detail::MortonRange> cells;
    const double cos_lat = std::max(0.01, std::cos(point.lat_deg() * 3.14159265358979323846 / 180));
    constexpr double e7_per_m = 1e7 / 111'195.0;  // along a meridian (mean Earth radius)
    const std::int64_t lat = point.lat_e7 + detail::lat_offset_e7;
    const std::int64_t lng = point.lng_e7 + detail::lng_offset_e7;
    constexpr int seed_shift = detail::cell_bits / 2;  // a cell is 2^12 units a side
    const DistanceFrom distance_from_point(point);
    // The point's own cell of the cell index, read first; later rounds keep what it gave.
    const std::uint32_t cell_lat = static_cast<std::uint32_t>(lat) >> seed_shift << seed_shift;
    const std::uint32_t cell_lng = static_cast<std::uint32_t>(lng) >> seed_shift << seed_shift;
    const std::uint64_t seed = detail::morton(cell_lat, cell_lng) >> detail::cell_bits;
    // Over a short span the planar distance at the point's latitude stays within 1% of the
    // haversine: the cosine of the latitude changes by at most tan(latitude) times the span in
    // radians (under 0.4% for 50 km at 24 degrees north, Vietnam's far end). Then 0.99 times it
    // is a lower bound, which skips the haversine for entries and cells too far to count:
    // beyond the limit, or beyond the k-th nearest found so far. Elsewhere the bound is 0.
    constexpr double rad_per_deg = std::numbers::pi / 180;
    const double span_rad = max_distance_m * e7_per_m / 1e7 * rad_per_deg;
    const double lat_rad = std::abs(point.lat_deg()) * rad_per_deg;
    const bool planar_ok =
        lat_rad + span_rad < 1.5 && std::tan(lat_rad + span_rad) * span_rad <= 0.005;
    const double lower_bound_factor = planar_ok ? 0.99 / e7_per_m : 0.0;
    const auto lower_bound_m = [&](double dlat_e7, double dlng_e7) {
        const double dx = dlng_e7 * cos_lat;
        return lower_bound_factor * std::sqrt(dlat_e7 * dlat_e7 + dx * dx);
    };
    // A max-heap of the k smallest distances among the candidates (each round starts anew).
    std::vector<double> nearest_k;
    const auto bound_m = [&](double limit_m) {
        return nearest_k.size() < k ? limit_m : std::min(limit_m, nearest_k.front());
    };
    const auto note = [&](double d) {
        if (nearest_k.size() < k || d < nearest_k.front()) {
            if (nearest_k.size() == k) {
                std::pop_heap(nearest_k.begin(), nearest_k.end());
                nearest_k.pop_back();
            }
            nearest_k.push_back(d);
            std::push_heap(nearest_k.begin(), nearest_k.end());
        }
    };
    const auto take = [&](std::uint64_t cell, std::string_view value, double limit_m) {
        const double bound = bound_m(limit_m);
        detail::for_each_in_cell(cell, value, [&](const detail::CellEntry& e) {
            const LatLngE7 at = detail::location_of_morton(e.morton);
            if (lower_bound_m(at.lat_e7 - point.lat_e7, at.lng_e7 - point.lng_e7) > bound) {
                return true;
            }
            const double d = distance_from_point(at);
            if (d <= limit_m) {
                candidates.push_back({d, e.id, e.code_key});
                note(d);
            }
            return true;
        });
    };
    // The cell index, through one iterator made when the point's own cell is not enough.
    std::unique_ptr<rocksdb::Iterator> it;
    std::optional<SpatialCursor> cursor;
    const auto scan = [&](const detail::MortonRange& range, double limit_m) {
        if (!cursor) {
            it.reset(m_impl->db->NewIterator(scan_options(), m_impl->cf(cf_cells)));
            cursor.emplace(it.get());
        }
        cursor->scan(range, [&](std::uint64_t cell, std::string_view, std::string_view value) {
            if (cell != seed) {
                take(cell, value, limit_m);
            }
            return true;
        });
        m_impl->check(cursor->status(), "reading the cell index");
    };
    // The cells in rows row0..row1 and columns col0..col1, in one MultiGet.
    std::vector<std::string> keys;
    std::vector<rocksdb::Slice> key_slices;
    const auto read_cells = [&](std::uint32_t row0, std::uint32_t row1, std::uint32_t col0,
                                std::uint32_t col1, double limit_m) {
        keys.clear();
        // The gap from the point to a row or column of cells, in 1e-7 degrees (0 inside it).
        const auto gap = [](std::int64_t at, std::uint32_t index) {
            const std::int64_t first = std::int64_t{index} << seed_shift;
            const std::int64_t last = first + (std::int64_t{1} << seed_shift) - 1;
            return static_cast<double>(std::max<std::int64_t>({0, first - at, at - last}));
        };
        const double bound = bound_m(limit_m);
        for (std::uint32_t row = row0; row <= row1; ++row) {
            for (std::uint32_t col = col0; col <= col1; ++col) {
                const std::uint64_t cell =
                    detail::morton(row << seed_shift, col << seed_shift) >> detail::cell_bits;
                // A corner cell of the box may lie wholly beyond the bound.
                if (cell != seed && lower_bound_m(gap(lat, row), gap(lng, col)) <= bound) {
                    keys.push_back(be64_key(cell));
                }
            }
        }
        if (keys.empty()) {
            return;  // the box lies in the seed cell
        }
        key_slices.assign(keys.begin(), keys.end());
        std::vector<rocksdb::PinnableSlice> values(keys.size());
        std::vector<rocksdb::Status> statuses(keys.size());
        m_impl->db->MultiGet(rocksdb::ReadOptions(), m_impl->cf(cf_cells), keys.size(),
                             key_slices.data(), values.data(), statuses.data());
        for (std::size_t i = 0; i < keys.size(); ++i) {
            if (statuses[i].IsNotFound()) {
                continue;
            }
            m_impl->check(statuses[i], "reading the cell index");
            take(detail::get_be64(keys[i]), values[i].ToStringView(), limit_m);
        }
    };
    const auto nearest_first = [](const Candidate& a, const Candidate& b) {
        return a.distance_m < b.distance_m || (a.distance_m == b.distance_m && a.id < b.id);
    };

    // First the point's own cell of the cell index, 2^12 units (~45 m) a side: one read. If its
    // k-th nearest is closer than the cell's nearest edge, nothing outside can beat it.
    {
        rocksdb::PinnableSlice value;
        const auto status = m_impl->db->Get(rocksdb::ReadOptions(), m_impl->cf(cf_cells),
                                            be64_key(seed), &value);
        if (!status.IsNotFound()) {
            m_impl->check(status, "reading the cell index");
            take(seed, value.ToStringView(), max_distance_m);
        }
    }
    const double side = static_cast<double>(1 << seed_shift);
    const double inner_m =
        0.99 *
        std::min({static_cast<double>(lat - cell_lat), side - static_cast<double>(lat - cell_lat),
                  (static_cast<double>(lng - cell_lng)) * cos_lat,
                  (side - static_cast<double>(lng - cell_lng)) * cos_lat}) /
        e7_per_m;
    double half_m = 16.0;
    bool done = inner_m >= max_distance_m;
    if (candidates.size() >= k) {
        std::nth_element(candidates.begin(),
                         candidates.begin() + static_cast<std::ptrdiff_t>(k - 1), candidates.end(),
                         nearest_first);
        half_m = std::max(candidates[k - 1].distance_m, 1.0);
        done = done || candidates[k - 1].distance_m <= inner_m;
    }
    std::vector<Candidate> in_seed;  // the seed cell's households, kept for the box rounds
    if (!done) {
        in_seed.swap(candidates);
    }
    while (!done) {
        half_m = std::min(half_m, max_distance_m);
        const auto dlat = static_cast<std::int64_t>(std::ceil(half_m * e7_per_m)) + 1;
        const auto dlng = static_cast<std::int64_t>(std::ceil(half_m * e7_per_m / cos_lat)) + 1;
        const auto clamp = [](std::int64_t v, std::int64_t hi) {
            return static_cast<std::uint32_t>(std::clamp<std::int64_t>(v, 0, hi));
        };
        const std::uint32_t lat0 = clamp(lat - dlat, 2 * detail::lat_offset_e7);
        const std::uint32_t lat1 = clamp(lat + dlat, 2 * detail::lat_offset_e7);
        const std::uint32_t lng0 = clamp(lng - dlng, 2 * detail::lng_offset_e7);
        const std::uint32_t lng1 = clamp(lng + dlng, 2 * detail::lng_offset_e7);
        // The seed cell's households within half_m, then the other cells'.
        candidates.clear();
        nearest_k.clear();
        for (const Candidate& c : in_seed) {
            if (c.distance_m <= half_m) {
                candidates.push_back(c);
                note(c.distance_m);
            }
        }
        // A few cells are point reads, which the Bloom filters answer at once for empty ones;
        // more are range scans.
        const std::uint32_t row0 = lat0 >> seed_shift;
        const std::uint32_t row1 = lat1 >> seed_shift;
        const std::uint32_t col0 = lng0 >> seed_shift;
        const std::uint32_t col1 = lng1 >> seed_shift;
        constexpr std::uint64_t max_point_reads = 16;
        if (std::uint64_t{row1 - row0 + 1} * (col1 - col0 + 1) <= max_point_reads) {
            read_cells(row0, row1, col0, col1, half_m);
        } else {
            detail::cover(lat0, lat1, lng0, lng1, 16, &ranges);
            detail::cell_ranges(ranges, &cells);
            for (const auto& range : cells) {
                scan(range, half_m);
            }
        }
        // Every household within half_m lies inside the box, so the k nearest within half_m
        // are final once there are k of them, or once the search reached max_distance_m.
        done = candidates.size() >= k || half_m >= max_distance_m;
        half_m *= 4.0;
    }
    const std::size_t n = std::min(k, candidates.size());
    std::partial_sort(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(n),
                      candidates.end(), nearest_first);
    for (std::size_t i = 0; i < n; ++i) {
        // The spatial entry names the current code, whose entry holds the record.
        rocksdb::PinnableSlice value;
        const auto status = m_impl->db->Get(rocksdb::ReadOptions(), m_impl->cf(cf_codes),
                                            be64_key(candidates[i].code_key), &value);
        m_impl->check(status, "reading the code of a nearby household");
        Nearby nearby;
        if (m_impl->read_entry(value.ToStringView(), access, &nearby.household)) {
            nearby.distance_m = candidates[i].distance_m;
            out->push_back(std::move(nearby));
        }
    }
}

void Registry::density(std::uint32_t level, std::uint32_t x0, std::uint32_t y0,
                       std::uint32_t x1, std::uint32_t y1,
                       const std::function<bool(const DensityCell&)>& visit) const {
    quiet_perf_context();
    if (std::find(density_levels.begin(), density_levels.end(), level) == density_levels.end()) {
        throw std::invalid_argument("density level " + std::to_string(level) +
                                    " is not indexed (levels 13, 15, 17, 19, 21)");
    }
    if (x0 > x1 || y0 > y1) {
        return;
    }
    detail::read_density(m_impl->db, m_impl->cf(cf_density), level, x0, y0, x1, y1, visit);
}

void Registry::within(const geography::Bounds& box,
                      const std::function<bool(const HouseholdPoint&)>& visit) const {
    within(std::span(&box, 1), [&](std::size_t, const HouseholdPoint& p) { return visit(p); });
}

void Registry::within(std::span<const geography::Bounds> boxes,
                      const std::function<bool(std::size_t, const HouseholdPoint&)>& visit) const {
    quiet_perf_context();
    const auto to_e7 = [](double deg, std::int64_t offset) {
        return static_cast<std::uint32_t>(std::clamp<std::int64_t>(
            static_cast<std::int64_t>(std::llround(deg * 1e7)) + offset, 0, 2 * offset));
    };
    struct Box {
        std::uint32_t lat0, lat1, lng0, lng1;
    };
    struct Range {
        detail::MortonRange range;
        std::size_t box;
    };
    std::vector<Box> e7(boxes.size());
    std::vector<Range> ranges;
    std::vector<detail::MortonRange> cells;
    std::vector<detail::MortonRange> merged;  // the cells of a box's ranges in the cell index
    // One box: up to 64 quadtree cells; many small boxes: a few each.
    const std::size_t max_cells = boxes.size() == 1 ? 64 : 4;
    for (std::size_t i = 0; i < boxes.size(); ++i) {
        const auto& box = boxes[i];
        if (!(box.south_deg <= box.north_deg) || !(box.west_deg <= box.east_deg)) {
            continue;
        }
        e7[i] = Box{to_e7(box.south_deg, detail::lat_offset_e7), to_e7(box.north_deg, detail::lat_offset_e7),
                    to_e7(box.west_deg, detail::lng_offset_e7), to_e7(box.east_deg, detail::lng_offset_e7)};
        detail::cover(e7[i].lat0, e7[i].lat1, e7[i].lng0, e7[i].lng1, max_cells, &cells);
        detail::cell_ranges(cells, &merged);
        for (const auto& range : merged) {
            ranges.push_back({range, i});
        }
    }
    std::sort(ranges.begin(), ranges.end(),
              [](const Range& a, const Range& b) { return a.range.begin < b.range.begin; });
    std::unique_ptr<rocksdb::Iterator> it(
        m_impl->db->NewIterator(scan_options(), m_impl->cf(cf_cells)));
    SpatialCursor cursor(it.get());
    bool go_on = true;
    for (const Range& r : ranges) {
        const std::size_t index = r.box;  // a plain local: lambdas cannot capture bindings
        const Box& b = e7[index];
        cursor.scan(r.range, [&](std::uint64_t cell, std::string_view, std::string_view value) {
            detail::for_each_in_cell(cell, value, [&](const detail::CellEntry& e) {
                std::uint32_t lat = 0;
                std::uint32_t lng = 0;
                detail::unmorton(e.morton, &lat, &lng);
                if (lat < b.lat0 || lat > b.lat1 || lng < b.lng0 || lng > b.lng1) {
                    return true;
                }
                HouseholdPoint point;
                point.id = e.id;
                point.location = detail::location_of_morton(e.morton);
                point.code = HouseholdCode::from_key(e.code_key);
                go_on = visit(index, point);
                return go_on;
            });
            return go_on;
        });
        m_impl->check(cursor.status(), "reading the cell index");
        if (!go_on) {
            return;
        }
    }
}

Result<Household> Registry::update_address(std::uint64_t id, const Address& address,
                                           std::string_view actor) {
    m_impl->require_writable();
    if (const Error e = check_address(address); e.code != ErrorCode::ok) {
        return e;
    }
    std::lock_guard lock(m_impl->write_mutex);
    m_impl->settle();
    Household h;
    if (const Error error = m_impl->begin_change(id, &h); error.code != ErrorCode::ok) {
        return error;
    }
    const Household before = h;
    const auto describe = [](const Address& a) {
        return "'" + a.house_number + "', '" + a.street + "', '" + a.hamlet + "'";
    };
    std::string detail = "address " + describe(h.address) + " -> " + describe(address);
    h.address = address;
    rocksdb::WriteBatch batch;
    m_impl->put_changed_household(&batch, h, before);
    m_impl->append_history(&batch, h, HistoryAction::address_updated, actor, std::move(detail));
    m_impl->check(m_impl->db->Write(m_impl->write_options, &batch), "writing an address");
    m_impl->generation.fetch_add(1, std::memory_order_release);
    return h;
}

Result<Household> Registry::move(std::uint64_t id, LatLngE7 location, std::string_view actor) {
    m_impl->require_writable();
    const auto index = m_impl->zone_snapshot();
    std::lock_guard lock(m_impl->write_mutex);
    m_impl->settle();
    Household h;
    if (const Error error = m_impl->begin_change(id, &h); error.code != ErrorCode::ok) {
        return error;
    }
    const Household before = h;
    const auto hit = index->locate(location);
    if (!hit) {
        return hit.error();
    }
    const auto& zone = index->zone(hit->zone);
    const auto base = HouseholdCode::from_grid(zone.postcode, location.grid_point(), 1);
    if (!base) {
        return base.error();
    }
    rocksdb::WriteBatch batch;
    const HouseholdCode old_code = h.code;
    const LatLngE7 old_location = h.location;
    const bool same_cell = (base->key() & ~unit_mask) == (old_code.key() & ~unit_mask);
    if (!same_cell) {
        std::unique_ptr<rocksdb::Iterator> codes;
        CellUnits cell = m_impl->last_unit(&codes, base->key());
        if (cell.last >= HouseholdCode::max_unit) {
            return Error{ErrorCode::unit_exhausted, 0, 0, "9999 households in one cell"};
        }
        m_impl->issue_next_unit(&batch, base->key(), &cell);
        h.code = base->with_unit(cell.last);
        m_impl->check(batch.Put(m_impl->cf(cf_codes), be64_key(old_code.key()),
                                code_value(id, CodeState::moved)),
                      "batching");
    }
    h.location = location;
    h.zone_id = zone.id;
    h.commune = zone.name;
    h.province = zone.parent_name;
    {
        PlaceBatch places(&batch, m_impl->cf(cf_density), m_impl->cf(cf_cells));
        places.remove(old_location, id);
        places.add(location, id, h.code);
        places.finish();
    }
    m_impl->put_changed_household(&batch, h, before);
    m_impl->append_history(&batch, h, HistoryAction::moved, actor,
                           "code " + std::string(old_code.canonical().view()) + " -> " +
                               std::string(h.code.canonical().view()) + ", location " +
                               format_location(old_location) + " -> " + format_location(location));
    m_impl->check(m_impl->db->Write(m_impl->write_options, &batch), "writing a move");
    m_impl->generation.fetch_add(1, std::memory_order_release);
    if (!same_cell) {
        m_impl->loaded_unit(base->key(), h.code.unit());
    }
    const MapChange change{id, old_location, location};
    m_impl->notify(std::span(&change, 1));
    return h;
}

Result<Household> Registry::retire(std::uint64_t id, std::string_view actor,
                                   std::string_view reason) {
    m_impl->require_writable();
    std::lock_guard lock(m_impl->write_mutex);
    m_impl->settle();
    Household h;
    if (const Error error = m_impl->begin_change(id, &h); error.code != ErrorCode::ok) {
        return error;
    }
    const Household before = h;
    h.status = HouseholdStatus::retired;
    rocksdb::WriteBatch batch;
    {
        PlaceBatch places(&batch, m_impl->cf(cf_density), m_impl->cf(cf_cells));
        places.remove(h.location, id);
        places.finish();
    }
    m_impl->put_changed_household(&batch, h, before);
    m_impl->append_history(&batch, h, HistoryAction::retired, actor,
                           "retired: " + std::string(reason));
    m_impl->check(m_impl->db->Write(m_impl->write_options, &batch), "writing a retirement");
    m_impl->generation.fetch_add(1, std::memory_order_release);
    const MapChange change{id, h.location, std::nullopt};
    m_impl->notify(std::span(&change, 1));
    return h;
}

// --- change notification -----------------------------------------------------------------------

std::uint64_t Registry::subscribe(ChangeListener listener) const {
    std::lock_guard lock(m_impl->listeners_mutex);
    const std::uint64_t handle = m_impl->next_listener++;
    m_impl->listeners.emplace_back(handle, std::move(listener));
    return handle;
}

void Registry::unsubscribe(std::uint64_t handle) const {
    std::lock_guard lock(m_impl->listeners_mutex);
    std::erase_if(m_impl->listeners, [handle](const auto& entry) { return entry.first == handle; });
}

// --- search ------------------------------------------------------------------------------------

std::size_t Registry::import_old_units(const std::vector<geography::OldUnit>& units) {
    m_impl->require_writable();
    std::string data;
    for (const auto& unit : units) {
        for (const std::string* field : {&unit.commune_code, &unit.commune, &unit.district,
                                         &unit.province, &unit.new_zone_id}) {
            detail::put_string(&data, *field);
        }
        detail::put_string(&data, unit.partial ? "p" : "f");
    }
    m_impl->check(m_impl->db->Put(m_impl->write_options, m_impl->cf(cf_default), key_old_units,
                                  data),
                  "writing the old-unit table");
    m_impl->load_old_units(data);
    m_impl->rebuild_gazetteer();
    m_impl->generation.fetch_add(1, std::memory_order_release);
    return units.size();
}

std::size_t Registry::import_streets(const std::vector<geography::StreetRow>& rows) {
    m_impl->require_writable();
    // The rows of the other kind (by district, by shape) stay.
    const bool shapes = !rows.empty() && !rows.front().zone_id.empty();
    std::vector<geography::StreetRow> kept;
    {
        std::lock_guard lock(m_impl->zones_mutex);
        for (const auto& row : m_impl->streets) {
            if (row.zone_id.empty() == shapes) {
                kept.push_back(row);
            }
        }
    }
    std::string data;
    kept.insert(kept.end(), rows.begin(), rows.end());
    {
        const auto* list = &kept;
        for (const auto& row : *list) {
            for (const std::string* field :
                 {&row.province, &row.district, &row.street, &row.zone_id}) {
                detail::put_string(&data, *field);
            }
        }
    }
    m_impl->check(m_impl->db->Put(m_impl->write_options, m_impl->cf(cf_default), key_streets,
                                  data),
                  "writing the street list");
    m_impl->load_streets(data);
    m_impl->rebuild_gazetteer();
    m_impl->generation.fetch_add(1, std::memory_order_release);
    return rows.size();
}

std::size_t Registry::import_places(const std::vector<geography::NamedPlace>& places) {
    m_impl->require_writable();
    // By OSM id: a place imported again replaces itself; places of other files stay.
    std::vector<geography::NamedPlace> all;
    {
        std::set<std::string> fresh;
        for (const auto& place : places) {
            fresh.insert(place.osm_id);
        }
        std::lock_guard lock(m_impl->zones_mutex);
        for (const auto& place : m_impl->places) {
            if (!fresh.contains(place.osm_id)) {
                all.push_back(place);
            }
        }
    }
    all.insert(all.end(), places.begin(), places.end());
    std::string data;
    for (const auto& place : all) {
        detail::put_string(&data, place.osm_id);
        detail::put_string(&data, place.name);
        detail::put_string(&data, place.kind);
        detail::put_string(&data, std::to_string(place.location.lat_e7));
        detail::put_string(&data, std::to_string(place.location.lng_e7));
    }
    m_impl->check(m_impl->db->Put(m_impl->write_options, m_impl->cf(cf_default), key_places, data),
                  "writing the named places");
    m_impl->load_places(data);
    m_impl->rebuild_gazetteer();
    m_impl->generation.fetch_add(1, std::memory_order_release);
    return places.size();
}

std::size_t Registry::import_street_lines(const std::vector<geography::StreetLine>& lines) {
    const auto index = m_impl->zone_snapshot();
    if (!index || index->size() == 0) {
        throw std::runtime_error("importing street shapes: no zones imported (diachi zones import)");
    }
    std::set<std::pair<std::string, std::uint32_t>> placed;  // street name, zone
    for (const auto& line : lines) {
        for (const auto& point : line.points) {
            if (const auto hit = index->locate(point)) {
                placed.emplace(line.name, hit->zone);
            }
        }
    }
    std::vector<geography::StreetRow> rows;
    rows.reserve(placed.size());
    for (const auto& [name, zone] : placed) {
        rows.push_back({{}, {}, name, index->zone(zone).id});
    }
    if (rows.empty()) {
        return 0;
    }
    return import_streets(rows);
}

std::vector<SearchResult> Registry::search(std::string_view query,
                                           const SearchOptions& options) const {
    quiet_perf_context();
    // A household code typed into the search box resolves directly.
    if (const auto resolution = resolve(query, options.access);
        resolution && resolution->match != ResolveMatch::not_found) {
        std::vector<SearchResult> out;
        const auto index = m_impl->zone_snapshot();
        for (auto h : resolution->households) {
            SearchResult r;
            r.kind = PlaceKind::household;
            r.score = 1.0;
            r.location = h.location;
            r.zone_id = h.zone_id;
            r.commune = h.commune;
            r.province = h.province;
            if (index) {
                if (const auto z = index->find(h.zone_id)) {
                    r.postcode = index->zone(*z).postcode;
                }
            }
            r.label = std::string(h.code.display().view()) + ", " + h.commune + ", " + h.province;
            r.matched.emplace_back("code");
            r.reading.push_back(ReadSpan{std::string(query), "code",
                                         std::string(h.code.display().view())});
            r.notes = resolution->notes;
            r.household = std::move(h);
            out.push_back(std::move(r));
            if (out.size() >= options.limit) {
                break;
            }
        }
        return out;
    }
    if (auto found = search_plus_code(query, options)) {
        return std::move(*found);
    }
    return detail::search(m_impl->search_context(), query, options);
}

std::optional<std::vector<SearchResult>> Registry::search_plus_code(
    std::string_view query, const SearchOptions& options) const {
    // The first word that is an Open Location Code ("7PH72VH3+CM4", "2VH3+CM4").
    std::string code;
    std::string rest;
    for (std::size_t p = 0; p < query.size();) {
        const std::size_t e = std::min(query.find_first_of(" ,;\t", p), query.size());
        std::string word(query.substr(p, e - p));
        for (char& c : word) {
            c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        }
        if (code.empty() && word.find(olc::separator) != std::string::npos &&
            olc::is_valid(word)) {
            code = std::move(word);
        } else {
            rest.append(query.substr(p, e - p)).append(e < query.size() ? " " : "");
        }
        p = e + 1;
    }
    if (code.empty()) {
        return std::nullopt;
    }
    std::vector<std::string> notes;
    std::vector<ReadSpan> reading;
    if (olc::is_short(code)) {
        // A short code is recovered near the place the rest of the text names (as Google Maps
        // writes it: "2VH3+CM4 Hoàn Kiếm, Hà Nội"); without one, near the focus point.
        SearchOptions locality;
        locality.limit = 1;
        const auto place = detail::search(m_impl->search_context(), rest, locality);
        std::optional<LatLngE7> reference = options.near;
        if (!place.empty()) {
            reference = place.front().location;
            reading = place.front().reading;
            notes.push_back("short code recovered near " + place.front().label);
        }
        if (!reference) {
            return std::vector<SearchResult>{};  // a short code needs a place to recover it near
        }
        const auto full = olc::recover_nearest(code, reference->grid_point());
        if (!full) {
            return std::vector<SearchResult>{};
        }
        code = std::string(full->view());
    }
    const auto area = olc::decode(code);
    if (!area) {
        return std::vector<SearchResult>{};
    }
    const auto centre = LatLngE7::from_degrees(area->center_lat_deg(), area->center_lng_deg());
    if (!centre) {
        return std::vector<SearchResult>{};
    }
    reading.push_back(ReadSpan{code, "plus_code", code});
    std::vector<SearchResult> out;
    // The households of the code's area: the nearest within half its diagonal.
    const double reach_m = 0.5 * distance_m(area->south_deg(), area->west_deg(),
                                            area->north_deg(), area->east_deg());
    std::vector<Nearby> near;
    reverse(*centre, options.limit, std::max(reach_m, 2.0), &near, options.access);
    for (auto& n : near) {
        SearchResult r;
        r.kind = PlaceKind::household;
        r.score = 1.0;
        r.location = n.household.location;
        r.zone_id = n.household.zone_id;
        r.commune = n.household.commune;
        r.province = n.household.province;
        r.label = std::string(n.household.code.display().view()) + ", " + r.commune + ", " +
                  r.province;
        r.matched.emplace_back("plus_code");
        r.notes = notes;
        r.reading = reading;
        r.household = std::move(n.household);
        out.push_back(std::move(r));
    }
    if (out.empty()) {
        // No household there: the cell itself, with its commune.
        const auto place = where(*centre);
        SearchResult r;
        r.kind = PlaceKind::cell;
        r.score = 1.0;
        r.location = *centre;
        r.label = code;
        if (place) {
            r.zone_id = place->zone.id;
            r.commune = place->zone.name;
            r.province = place->zone.parent_name;
            r.postcode = place->zone.postcode;
            r.label += ", " + r.commune + ", " + r.province;
        }
        r.matched.emplace_back("plus_code");
        r.notes = notes;
        r.reading = reading;
        out.push_back(std::move(r));
    }
    if (options.near) {
        for (auto& r : out) {
            r.distance_m = distance_m(*options.near, r.location);
        }
    }
    return out;
}

std::vector<SearchResult> Registry::suggest(std::string_view prefix, std::size_t limit) const {
    quiet_perf_context();
    return detail::suggest(m_impl->search_context(), prefix, limit);
}

std::vector<SearchResult> Registry::suggest(std::string_view prefix, std::size_t limit,
                                            LatLngE7 near) const {
    quiet_perf_context();
    // Completions all match what is typed; the focus point orders a wider set of them.
    auto out = detail::suggest(m_impl->search_context(), prefix, std::max<std::size_t>(limit, 1) * 4);
    for (auto& r : out) {
        r.distance_m = distance_m(near, r.location);
    }
    std::stable_sort(out.begin(), out.end(), [](const SearchResult& a, const SearchResult& b) {
        return a.distance_m < b.distance_m;
    });
    if (out.size() > limit) {
        out.resize(limit);
    }
    return out;
}

std::vector<HistoryEvent> Registry::history(std::uint64_t id) const {
    std::vector<HistoryEvent> events;
    const std::string prefix = be64_key(id);
    std::unique_ptr<rocksdb::Iterator> it(
        m_impl->db->NewIterator(rocksdb::ReadOptions(), m_impl->cf(cf_history)));
    for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
        HistoryEvent event;
        detail::decode_history(it->value().ToStringView(), &event);
        event.sequence = detail::get_be32(it->key().ToStringView(), 8);
        events.push_back(std::move(event));
    }
    m_impl->check(it->status(), "reading history");
    return events;
}

// --- operations --------------------------------------------------------------------------------

void Registry::checkpoint(const std::string& path) const {
    rocksdb::Checkpoint* raw = nullptr;
    m_impl->check(rocksdb::Checkpoint::Create(m_impl->db, &raw), "creating a checkpoint");
    std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
    const auto status = checkpoint->CreateCheckpoint(path);
    if (!status.ok()) {
        throw std::runtime_error(path + ": cannot write a checkpoint of " + m_impl->path + ": " +
                                 status.ToString());
    }
}

std::uint64_t Registry::generation() const noexcept {
    return m_impl->generation.load(std::memory_order_acquire);
}

bool Registry::read_only() const noexcept {
    return m_impl->options.read_only || !m_impl->options.follower_dir.empty();
}

bool Registry::catch_up() {
    Impl& impl = *m_impl;
    if (impl.options.follower_dir.empty()) {
        throw std::logic_error(impl.path + ": catch_up() needs a follower (RegistryOptions::follower_dir)");
    }
    const auto before = impl.db->GetLatestSequenceNumber();
    impl.check(impl.db->TryCatchUpWithPrimary(), "catching up with the primary");
    if (impl.db->GetLatestSequenceNumber() == before) {
        return false;
    }
    std::string value;
    const auto status = impl.db->Get(rocksdb::ReadOptions(), impl.cf(cf_default), key_next_id, &value);
    if (status.ok() && value.size() == 8) {
        std::lock_guard lock(impl.write_mutex);
        impl.next_id = detail::get_be64(value);
    } else if (!status.IsNotFound()) {
        impl.check(status, "reading next_id");
    }
    detail::load_area_words(impl.db, impl.cf(cf_search), &impl.vocabulary);  // words of new places
    impl.generation.fetch_add(1, std::memory_order_release);
    return true;
}

StoreCheck Registry::check() const {
    quiet_perf_context();
    const Impl& impl = *m_impl;
    StoreCheck report;
    const auto problem = [&](std::string text) {
        if (report.problems.size() < 100) {
            report.problems.push_back(std::move(text));
        }
        ++report.problem_count;
    };
    const auto iterate = [&](Family family, const auto& visit) {
        std::unique_ptr<rocksdb::Iterator> it(impl.db->NewIterator(rocksdb::ReadOptions(), impl.cf(family)));
        for (it->SeekToFirst(); it->Valid(); it->Next()) {
            visit(it->key().ToStringView(), it->value().ToStringView());
        }
        impl.check(it->status(), "checking the store");
    };
    const auto get = [&](Family family, std::string_view key, std::string* value) {
        const auto status = impl.db->Get(rocksdb::ReadOptions(), impl.cf(family), key, value);
        if (status.IsNotFound()) {
            return false;
        }
        impl.check(status, "checking the store");
        return true;
    };
    const auto code_text = [](std::uint64_t key) {
        const auto code = HouseholdCode::from_key(key);
        return code.is_valid() ? std::string(code.canonical().view()) : "key " + std::to_string(key);
    };

    // Households: their code entry, cell index entry and history.
    std::uint64_t max_id = 0;
    std::uint64_t listed_households = 0;  // cell index entries found at their household's place
    std::string value;
    std::string other;
    iterate(cf_households, [&](std::string_view key, std::string_view code_key) {
        ++report.households;
        if (key.size() != 8 || code_key.size() != 8) {
            return problem("households: an entry of " + std::to_string(key.size()) + " + " +
                           std::to_string(code_key.size()) + " bytes (8 + 8 expected)");
        }
        const std::uint64_t id = detail::get_be64(key);
        const std::string name = "household " + std::to_string(id);
        max_id = std::max(max_id, id);
        if (!get(cf_codes, code_key, &value)) {
            return problem(name + ": its code " + code_text(detail::get_be64(code_key)) + " has no code entry");
        }
        if (value.size() < 9 || detail::get_be64(value) != id || detail::code_state(value) != CodeState::current) {
            return problem(name + ": the entry of its code " + code_text(detail::get_be64(code_key)) +
                           " names another household or is not current");
        }
        Household h;
        try {
            detail::decode_household(std::string_view(value).substr(9), &h);
        } catch (const std::exception& e) {
            return problem(name + ": its record does not decode: " + e.what());
        }
        if (h.code.key() != detail::get_be64(code_key)) {
            problem(name + ": its record carries code " + code_text(h.code.key()) + ", the index " +
                    code_text(detail::get_be64(code_key)));
        }
        // Its entry in the cell of its location, if any (a corrupt cell is named below).
        const std::uint64_t morton = detail::morton_of(h.location);
        std::optional<detail::CellEntry> listed;
        if (get(cf_cells, be64_key(morton >> detail::cell_bits), &other)) {
            try {
                detail::for_each_in_cell(morton >> detail::cell_bits, other, [&](const detail::CellEntry& e) {
                    if (e.morton == morton && e.id == id) {
                        listed = e;
                    }
                    return !listed && e.morton <= morton;
                });
            } catch (const std::runtime_error&) {
            }
        }
        listed_households += listed ? 1 : 0;
        const auto cell_problem = [&](std::string text) {
            ++report.cell_mismatches;
            problem(std::move(text));
        };
        if (h.status == HouseholdStatus::retired) {
            ++report.retired;
            if (listed) {
                cell_problem(name + ": retired but still in the cell index");
            }
        } else if (!listed) {
            cell_problem(name + ": active but not in the cell index at its location");
        } else if (listed->code_key != detail::get_be64(code_key)) {
            cell_problem(name + ": its cell index entry names code " + code_text(listed->code_key));
        }
        // History: sequences 0 .. version - 1, in order.
        std::unique_ptr<rocksdb::Iterator> it(impl.db->NewIterator(rocksdb::ReadOptions(), impl.cf(cf_history)));
        std::uint32_t expected = 0;
        for (it->Seek(key); it->Valid() && it->key().starts_with(rocksdb::Slice(key.data(), key.size())); it->Next()) {
            if (it->key().size() != 12 || detail::get_be32(it->key().ToStringView(), 8) != expected) {
                problem(name + ": history event " + std::to_string(expected) + " is missing or out of order");
                break;
            }
            ++expected;
        }
        impl.check(it->status(), "checking history");
        if (expected != h.version) {
            problem(name + ": version " + std::to_string(h.version) + " but " + std::to_string(expected) +
                    " history events");
        }
    });

    // Every code entry names a household that exists; a moved-from code, one that has moved on;
    // a unit 1 marked alone has no other unit in its cell.
    std::optional<std::uint64_t> alone_cell;
    iterate(cf_codes, [&](std::string_view key, std::string_view entry) {
        ++report.codes;
        if (key.size() != 8 || entry.size() < 9) {
            return problem("codes: an entry of " + std::to_string(key.size()) + " + " + std::to_string(entry.size()) +
                           " bytes");
        }
        const std::uint64_t id = detail::get_be64(entry);
        const auto state = detail::code_state(entry);
        // Keys come in order, so a cell's units follow its unit 1.
        const std::uint64_t code_key = detail::get_be64(key);
        if (alone_cell && *alone_cell == (code_key & ~unit_mask)) {
            problem("code " + code_text(code_key) + ": unit 1 of its cell is marked alone");
        }
        alone_cell.reset();
        if (detail::code_alone(entry)) {
            if ((code_key & unit_mask) != 1 || state != CodeState::current) {
                problem("code " + code_text(code_key) + ": marked alone, but not the current code of unit 1");
            }
            alone_cell = code_key & ~unit_mask;
        }
        if (!get(cf_households, be64_key(id), &other)) {
            return problem("code " + code_text(detail::get_be64(key)) + ": names household " + std::to_string(id) +
                           ", which does not exist");
        }
        if (state == CodeState::current && other != key) {
            problem("code " + code_text(detail::get_be64(key)) + ": current for household " + std::to_string(id) +
                    ", whose code is " + code_text(detail::get_be64(other)));
        } else if (state == CodeState::moved && other == key) {
            problem("code " + code_text(detail::get_be64(key)) + ": marked moved, but household " + std::to_string(id) +
                    " still has it");
        }
    });

    // Every cell index entry names a household that has that code, and lies at that household's
    // place (the entries found above: any other is counted, not named). The density index
    // counts exactly the cell index's households.
    rocksdb::WriteBatch unused;
    detail::DensityBatch expected_density(&unused, impl.cf(cf_density));
    iterate(cf_cells, [&](std::string_view key, std::string_view packed) {
        if (key.size() != 8) {
            ++report.cell_mismatches;
            return problem("cell index: a key of " + std::to_string(key.size()) + " bytes");
        }
        const std::uint64_t cell = detail::get_be64(key);
        try {
            detail::for_each_in_cell(cell, packed, [&](const detail::CellEntry& e) {
                ++report.cell_entries;
                expected_density.add(detail::location_of_morton(e.morton), +1);
                if (!get(cf_households, be64_key(e.id), &other) || detail::get_be64(other) != e.code_key) {
                    ++report.cell_mismatches;
                    problem("cell " + std::to_string(cell) + ": an entry for household " + std::to_string(e.id) +
                            " with code " + code_text(e.code_key) + ", which is not that household's code");
                }
                return true;
            });
        } catch (const std::runtime_error& e) {
            ++report.cell_mismatches;
            problem("cell " + std::to_string(cell) + ": does not decode (" + e.what() + ")");
        }
    });
    if (report.cell_entries != listed_households) {
        ++report.cell_mismatches;
        problem("the cell index lists " + std::to_string(report.cell_entries) + " households, " +
                std::to_string(listed_households) + " of them at their household's place");
    }

    auto expected_cells = expected_density.cells();
    const auto cell_name = [](std::string_view key) {
        return key.size() == 9 ? "density cell " + std::to_string(static_cast<std::uint8_t>(key[0])) +
                                     "/" + std::to_string(detail::get_be32(key, 5)) + "/" +
                                     std::to_string(detail::get_be32(key, 1))
                               : "density index: a key of " + std::to_string(key.size()) + " bytes";
    };
    iterate(cf_density, [&](std::string_view key, std::string_view entry) {
        detail::DensityValue stored;
        if (key.size() != 9 || !detail::decode_density(entry, &stored)) {
            return problem(cell_name(key) + ": does not decode");
        }
        detail::DensityValue expected;
        const auto level = static_cast<std::uint8_t>(key[0]);
        if (const auto it = expected_cells.find(
                detail::density_cell(level, detail::get_be32(key, 5), detail::get_be32(key, 1)));
            level <= detail::max_packed_level && it != expected_cells.end()) {
            expected = it->second;
            expected_cells.erase(it);
        }
        if (stored.count != expected.count || stored.sum_x != expected.sum_x ||
            stored.sum_y != expected.sum_y) {
            ++report.density_mismatches;
            problem(cell_name(key) + ": counts " + std::to_string(stored.count) + " households, the cell index " +
                    std::to_string(expected.count));
        }
    });
    for (const auto& [cell, expected] : expected_cells) {
        ++report.density_mismatches;
        problem(cell_name(detail::density_key(cell)) + ": missing, the cell index has " +
                std::to_string(expected.count) + " households there");
    }

    iterate(cf_external, [&](std::string_view key, std::string_view id_key) {
        ++report.external_ids;
        if (id_key.size() != 8 || !get(cf_households, id_key, &other)) {
            std::string shown(key);
            std::replace(shown.begin(), shown.end(), '\0', '/');
            problem("external id " + shown + ": names no household");
        }
    });

    std::uint64_t last_history_id = 0;
    iterate(cf_history, [&](std::string_view key, std::string_view) {
        ++report.history_events;
        if (key.size() != 12) {
            return problem("history: a key of " + std::to_string(key.size()) + " bytes (12 expected)");
        }
        const std::uint64_t id = detail::get_be64(key);
        if (report.history_events == 1 || id != last_history_id) {
            last_history_id = id;
            if (!get(cf_households, key.substr(0, 8), &other)) {
                problem("history: events of household " + std::to_string(id) + ", which does not exist");
            }
        }
    });

    if (impl.next_id <= max_id) {
        problem("the next id " + std::to_string(impl.next_id) + " is not past household " + std::to_string(max_id));
    }
    return report;
}

// --- bulk loads ---------------------------------------------------------------------------------

namespace {

/// The options a deferred load changes, and their values during it. The level-0 triggers
/// would stall ingestion once a family holds that many files, which it does without
/// compaction (135 at 27M households in batches of 200,000).
const std::unordered_map<std::string, std::string> load_options = {
    {"disable_auto_compactions", "true"},
    {"level0_slowdown_writes_trigger", "1000000"},
    {"level0_stop_writes_trigger", "1000000"},
};

}  // namespace

std::vector<std::unordered_map<std::string, std::string>> Registry::Impl::defer_compaction() {
    std::vector<std::unordered_map<std::string, std::string>> saved;
    for (auto* family : families) {
        const rocksdb::Options current = db->GetOptions(family);
        saved.push_back({
            {"disable_auto_compactions", current.disable_auto_compactions ? "true" : "false"},
            {"level0_slowdown_writes_trigger",
             std::to_string(current.level0_slowdown_writes_trigger)},
            {"level0_stop_writes_trigger", std::to_string(current.level0_stop_writes_trigger)},
        });
        check(db->SetOptions(family, load_options), "deferring compaction for a bulk load");
    }
    return saved;
}

void Registry::Impl::merge_level0() {
    std::vector<std::pair<std::uint64_t, rocksdb::ColumnFamilyHandle*>> order;
    for (auto* family : families) {
        std::uint64_t bytes = 0;
        db->GetIntProperty(family, rocksdb::DB::Properties::kTotalSstFilesSize, &bytes);
        order.emplace_back(bytes, family);
    }
    std::sort(order.begin(), order.end(),
              [](const auto& a, const auto& b) { return a.first > b.first; });
    // Two manual compactions at once (one per core), each of a whole family. With dynamic level
    // sizes, a family whose files are all in level 0 goes straight to the last level: each
    // entry is written once. background_jobs allows one compaction at a time (the other job is
    // for flushes), so the merge gets a third job.
    check(db->SetDBOptions({{"max_background_jobs", std::to_string(background_jobs + 1)}}),
          "allowing two compactions for a bulk load's merge");
    rocksdb::CompactRangeOptions compact;
    compact.exclusive_manual_compaction = false;
    std::atomic<std::size_t> next{0};
    std::vector<rocksdb::Status> statuses(order.size());
    const auto work = [&] {
        for (std::size_t i = next++; i < order.size(); i = next++) {
            statuses[i] = db->CompactRange(compact, order[i].second, nullptr, nullptr);
        }
    };
    detail::run_both(work, work);
    check(db->SetDBOptions({{"max_background_jobs", std::to_string(background_jobs)}}),
          "restoring the background jobs after a bulk load's merge");
    for (const auto& status : statuses) {
        check(status, "merging a bulk load");
    }
}

BulkLoad Registry::begin_bulk_load(std::size_t expected_households) {
    m_impl->require_writable();
    std::lock_guard lock(m_impl->write_mutex);
    if (m_impl->load) {
        throw std::logic_error(m_impl->path + ": a bulk load is under way already");
    }
    auto state = std::make_unique<Impl::LoadState>();
    // Code entries are never deleted: a store with none never held a household, so what the
    // load writes is all the store will know of cells and external ids.
    std::unique_ptr<rocksdb::Iterator> it(
        m_impl->db->NewIterator(rocksdb::ReadOptions(), m_impl->cf(cf_codes)));
    it->SeekToFirst();
    m_impl->check(it->status(), "reading codes");
    state->deferred = !it->Valid();
    if (state->deferred) {
        state->cells.reserve(expected_households);
        state->externals.reserve(expected_households);
        state->saved_options = m_impl->defer_compaction();
    }
    m_impl->load = std::move(state);
    return BulkLoad(this, m_impl->load->deferred);
}

void Registry::add_to_load(std::vector<Registration> registrations,
                           BulkLoad::Acknowledge acknowledge) {
    quiet_perf_context();
    std::vector<std::unique_ptr<Impl::LoadState::Batch>> durable;
    {
        std::lock_guard lock(m_impl->write_mutex);
        Impl::LoadState& load = *m_impl->load;
        if (load.failure) {
            std::rethrow_exception(load.failure);
        }
        auto batch = std::make_unique<Impl::LoadState::Batch>();
        batch->first_id = m_impl->next_id;
        batch->registrations = std::move(registrations);
        batch->results = std::move(load.spare_results);
        batch->acknowledge = std::move(acknowledge);
        try {
            if (!load.deferred) {
                m_impl->settle();  // every read goes to the store
            }
            auto job = m_impl->prepare(batch->registrations, &batch->results, /*pipelined=*/true);
            m_impl->settle();
            if (load.failure) {
                std::rethrow_exception(load.failure);
            }
            if (job) {
                load.written = std::async(std::launch::async,
                                          [impl = m_impl.get(), job = std::move(*job)]() mutable {
                                              quiet_perf_context();
                                              impl->write(&job);
                                          });
                load.writing = std::move(batch);
            } else {
                load.durable.push_back(std::move(batch));  // nothing to write
            }
        } catch (...) {
            // Neither this batch nor one being written is, if it failed.
            if (!load.failure) {
                load.failure = std::current_exception();
                m_impl->undo_ids(batch->first_id);
            }
            throw;
        }
        durable = std::move(load.durable);
    }
    m_impl->acknowledge(std::move(durable));
}

void Registry::flush_load() {
    std::vector<std::unique_ptr<Impl::LoadState::Batch>> durable;
    std::exception_ptr failure;
    {
        std::lock_guard lock(m_impl->write_mutex);
        m_impl->settle();
        durable = std::move(m_impl->load->durable);
        failure = m_impl->load->failure;
    }
    m_impl->acknowledge(std::move(durable));
    if (failure) {
        std::rethrow_exception(failure);
    }
}

void Registry::end_bulk_load(bool merge) {
    std::unique_ptr<Impl::LoadState> state;
    {
        // From here on, writes read the store again: it holds everything the load wrote.
        std::lock_guard lock(m_impl->write_mutex);
        m_impl->settle();
        state = std::move(m_impl->load);
    }
    if (!state || state->saved_options.empty()) {
        return;  // not deferred
    }
    std::exception_ptr failure;
    if (merge) {
        try {
            m_impl->merge_level0();
        } catch (...) {
            failure = std::current_exception();
        }
    }
    for (std::size_t f = 0; f < state->saved_options.size(); ++f) {
        const auto status = m_impl->db->SetOptions(m_impl->families[f], state->saved_options[f]);
        if (!status.ok() && !failure) {
            failure = std::make_exception_ptr(std::runtime_error(
                m_impl->path + ": restoring compaction after a bulk load: " + status.ToString()));
        }
    }
    if (failure) {
        std::rethrow_exception(failure);
    }
}

BulkLoad::BulkLoad(BulkLoad&& other) noexcept
    : m_registry(std::exchange(other.m_registry, nullptr)), m_deferred(other.m_deferred) {}

BulkLoad::~BulkLoad() {
    if (m_registry != nullptr) {
        try {
            m_registry->end_bulk_load(false);
        } catch (...) {
            // The files stay where they are; compaction takes them when the store is next opened.
        }
    }
}

void BulkLoad::add(std::vector<Registration> registrations, Acknowledge acknowledge) {
    if (m_registry == nullptr) {
        throw std::logic_error("the bulk load has ended already");
    }
    m_registry->add_to_load(std::move(registrations), std::move(acknowledge));
}

void BulkLoad::flush() {
    if (m_registry == nullptr) {
        throw std::logic_error("the bulk load has ended already");
    }
    m_registry->flush_load();
}

void BulkLoad::finish() {
    flush();
    std::exchange(m_registry, nullptr)->end_bulk_load(m_deferred);
}

void Registry::compact() {
    m_impl->require_writable();
    for (auto* family : m_impl->families) {
        m_impl->check(m_impl->db->Flush(rocksdb::FlushOptions(), family), "flushing");
        rocksdb::CompactRangeOptions options;
        options.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
        m_impl->check(m_impl->db->CompactRange(options, family, nullptr, nullptr), "compacting");
    }
}

std::uint64_t Registry::disk_bytes() const {
    std::uint64_t total = 0;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(m_impl->path, error)) {
        if (entry.is_regular_file(error)) {
            total += entry.file_size(error);
        }
    }
    return total;
}

}  // namespace diachi::store
