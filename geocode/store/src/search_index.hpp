#ifndef DIACHI_STORE_SRC_SEARCH_INDEX_HPP
#define DIACHI_STORE_SRC_SEARCH_INDEX_HPP

// The address search index (internal). Two kinds of entries in the registry's "search" column
// family, written in the same batch as the household they describe:
//
//   'a' kind name '\0' zone_id                            -> count, sum of lat, sum of lng, label
//   'h' zone_id '\0' kind name '\0' house '\0' id(be64)   -> (empty)
//
// kind is 'h' (hamlet) or 's' (street); name is the normalised name without its unit word;
// house is the normalised house number, after the alley number when there is one. Area entries
// are counters merged with area_merge_operator(): registering adds one, retiring or moving the
// address away subtracts one, so no write reads first. A Gazetteer of the administrative units
// (today's communes and provinces from the zones, the pre-2025 communes, districts and
// provinces from the old-unit table) and a Vocabulary of every indexed word live in memory.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <rocksdb/db.h>
#include <rocksdb/merge_operator.h>
#include <rocksdb/write_batch.h>

#include <diachi/geography/unit_reader.hpp>
#include <diachi/geography/zone_index.hpp>
#include <diachi/store/household.hpp>
#include <diachi/store/search.hpp>

#include "gazetteer.hpp"
#include "vocabulary.hpp"

namespace diachi::store::detail {

inline constexpr char kind_hamlet = 'h';
inline constexpr char kind_street = 's';

/// The search entries of one write batch. House entries go straight into the batch; area
/// counters are summed per area and merged once by finish(), so a bulk import of thousands of
/// households in one village writes one operand, not thousands.
/// Names of written streets and hamlets, as area_keys() reads them: by the written text.
struct AreaNames {
    std::unordered_map<std::string, std::pair<std::string, std::string>> streets;  // street, alley
    std::unordered_map<std::string, std::string> hamlets;
};

class SearchBatch {
public:
    SearchBatch(rocksdb::WriteBatch* batch, rocksdb::ColumnFamilyHandle* family)
        : m_batch(batch), m_family(family) {}
    /// Adds (@p sign = +1) or removes (-1) the entries of active household @p h.
    void add(const Household& h, int sign);
    /// Writes the summed area counters; the words of their names join @p vocabulary.
    void finish(Vocabulary* vocabulary);

private:
    struct Delta {
        std::int64_t count = 0;
        std::int64_t lat_sum = 0;
        std::int64_t lng_sum = 0;
        std::string label;
        std::string name;
    };
    rocksdb::WriteBatch* m_batch;
    rocksdb::ColumnFamilyHandle* m_family;
    std::unordered_map<std::string, Delta> m_areas;  // by area key
    AreaNames m_names;  // of this batch's addresses
};

/// Adds the counters of area entries; keeps the newest non-empty label.
std::shared_ptr<rocksdb::MergeOperator> area_merge_operator();

/// Area counters: count, sum of lat_e7, sum of lng_e7 (little-endian int64), then the label.
struct AreaValue {
    std::int64_t count = 0;
    std::int64_t lat_sum = 0;
    std::int64_t lng_sum = 0;
    std::string label;
};

[[nodiscard]] bool decode_area(std::string_view data, AreaValue* v);

/// An area a household is found under, with its house key there.
struct AreaKey {
    char kind;
    std::string name;
    std::string house;
};

/// The areas a household is found under, with its house key in each. @p memo, when given,
/// keeps the names of the written streets and hamlets seen (a village repeats them).
[[nodiscard]] std::vector<AreaKey> area_keys(const Address& address, AreaNames* memo = nullptr);

[[nodiscard]] std::string house_prefix(std::string_view zone_id, char kind, std::string_view name,
                                       std::string_view house);

/// The unit word of a place's written name ("to dan pho" for "Tổ dân phố Đoài 3"), or empty.
[[nodiscard]] std::string place_unit(std::string_view text);

/// An area entry found by name.
struct AreaHit {
    char kind;
    std::string name;
    std::uint32_t zone;
    AreaValue value;
};

/// What a search reads from the registry.
struct SearchContext {
    rocksdb::DB* db;
    rocksdb::ColumnFamilyHandle* family;
    std::shared_ptr<const geography::ZoneIndex> zones;
    std::shared_ptr<const Gazetteer> gazetteer;
    const Vocabulary* vocabulary;
    std::function<bool(std::uint64_t, Access, Household*)> read_household;
    /// One iterator over the search column family for the whole query (a consistent view;
    /// every scan re-seeks it).
    std::shared_ptr<rocksdb::Iterator> iterator;
};

/// Throws when a scan of the index failed.
void check_scan(const rocksdb::Iterator& it);

/// Area entries named @p name (any zone), or, with @p prefix, whose name starts with it.
void scan_areas(const SearchContext& context, char kind, std::string_view name, bool prefix,
                std::size_t limit, std::vector<AreaHit>* out);

/// The mean of @p n points whose coordinates sum to @p lat_sum, @p lng_sum.
[[nodiscard]] LatLngE7 mean_point(std::int64_t lat_sum, std::int64_t lng_sum, std::int64_t n);

void fill_zone(const geography::ZoneIndex& zones, std::uint32_t z, SearchResult* r);
[[nodiscard]] SearchResult zone_result(const geography::ZoneIndex& zones, std::uint32_t z);
/// A hamlet or street: centred on its households, labelled with its commune and province.
[[nodiscard]] SearchResult area_result(const geography::ZoneIndex& zones, const AreaHit& area);
[[nodiscard]] SearchResult household_result(const geography::ZoneIndex& zones, std::uint32_t z,
                                            Household h);

/// Free text -> places, best first (search_ranking.cpp).
std::vector<SearchResult> search(const SearchContext& context, std::string_view query,
                                 const SearchOptions& options);
/// Completions of text as it is typed (suggest.cpp).
std::vector<SearchResult> suggest(const SearchContext& context, std::string_view prefix,
                                  std::size_t limit);

/// Every word of every indexed area name, read from the index (at open).
void load_area_words(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* family, Vocabulary* out);

}  // namespace diachi::store::detail

#endif  // DIACHI_STORE_SRC_SEARCH_INDEX_HPP
