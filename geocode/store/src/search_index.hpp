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
#include <mutex>
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

namespace diachi::store::detail {

class Vocabulary;

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

/// The words search knows, for typo correction: one edit (substitution, insertion, deletion,
/// transposition) away from a known word is read as that word. Thread-safe.
class Vocabulary {
public:
    void add_words(std::string_view normalized);
    [[nodiscard]] bool contains(std::string_view word) const;
    /// The known word one edit from @p word (the most used when several are), or empty.
    [[nodiscard]] std::string correct(std::string_view word) const;
    /// Up to @p limit known words one edit from @p word, the most used first.
    [[nodiscard]] std::vector<std::string> neighbours(std::string_view word,
                                                      std::size_t limit) const;

private:
    mutable std::mutex m_mutex;
    std::unordered_map<std::string, std::uint32_t> m_counts;
    std::vector<std::vector<std::string>> m_by_length;
};

/// Administrative units by normalised name.
class Gazetteer {
public:
    enum class Level : std::uint8_t { commune, old_commune, old_district, province, old_province };
    struct Entry {
        Level level;
        std::vector<std::uint32_t> zones;  ///< today's zones (indexes) the unit is or became
        std::string label;                 ///< the unit's full name, e.g. "Quận Hoàn Kiếm"
        bool partial = false;              ///< an old commune split between several zones
    };

    Gazetteer() = default;
    Gazetteer(const geography::ZoneIndex& zones, const std::vector<geography::OldUnit>& old);

    [[nodiscard]] const std::vector<Entry>* find(std::string_view name) const;
    /// Names starting with @p prefix, in order, at most @p limit.
    [[nodiscard]] std::vector<std::string_view> with_prefix(std::string_view prefix,
                                                            std::size_t limit) const;
    [[nodiscard]] std::size_t max_words() const noexcept { return m_max_words; }
    /// Every word of every name, for the vocabulary.
    void add_words_to(Vocabulary* vocabulary) const;

private:
    std::unordered_map<std::string, std::vector<Entry>> m_names;
    std::vector<std::string> m_sorted;
    std::size_t m_max_words = 0;
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

std::vector<SearchResult> search(const SearchContext& context, std::string_view query,
                                 const SearchOptions& options);
std::vector<SearchResult> suggest(const SearchContext& context, std::string_view prefix,
                                  std::size_t limit);

/// Every word of every indexed area name, read from the index (at open).
void load_area_words(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* family, Vocabulary* out);

}  // namespace diachi::store::detail

#endif  // DIACHI_STORE_SRC_SEARCH_INDEX_HPP
