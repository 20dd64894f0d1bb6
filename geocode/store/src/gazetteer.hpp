#ifndef DIACHI_STORE_SRC_GAZETTEER_HPP
#define DIACHI_STORE_SRC_GAZETTEER_HPP

// The administrative units search reads (internal): today's communes and provinces (from the
// zones) and the pre-2025 communes, districts and provinces (from the old-unit table), by
// folded name, with the other ways people write them (aliases).

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <diachi/geography/street_reader.hpp>
#include <diachi/geography/unit_reader.hpp>
#include <diachi/geography/zone_index.hpp>
#include <diachi/search/address_parser.hpp>

namespace diachi::store::detail {

class Vocabulary;

/// Administrative units by normalised name. Immutable once built.
class Gazetteer {
public:
    enum class Level : std::uint8_t {
        commune,
        old_commune,
        old_district,
        province,
        old_province,
        street,  ///< a street of the street list, in the communes of the districts it runs through
        place,   ///< a named place (shop, school, office, pagoda, market) at a point
    };
    struct Entry {
        Level level;
        std::vector<std::uint32_t> zones;  ///< today's zones (indexes) the unit is or became, sorted
        std::string label;                 ///< the unit's full name, e.g. "Quận Hoàn Kiếm"
        /// An old commune split between several zones; a street placed by its district only.
        bool partial = false;
        std::string unit;                  ///< the label's unit word, folded ("phuong"), or empty
        LatLngE7 location{};               ///< a place's point (Level::place)
        std::string kind;                  ///< a place's tag, e.g. "amenity=marketplace"

        /// Whether zone @p z is (part of) this unit.
        [[nodiscard]] bool contains(std::uint32_t z) const noexcept;
    };

    Gazetteer() = default;
    /// @p streets are placed in the zones their old district went to (through @p old).
    Gazetteer(const geography::ZoneIndex& zones, const std::vector<geography::OldUnit>& old,
              const std::vector<geography::StreetRow>& streets = {},
              const std::vector<geography::NamedPlace>& places = {});

    /// The units named @p name (folded, without the unit word; numbers without leading zeros).
    [[nodiscard]] const std::vector<Entry>* find(std::string_view name) const;
    /// The units @p key is another way of writing: the name glued ("hochiminh"), initials of a
    /// province or district ("hcm", "hbt", "brvt", "tphcm", "br vt"), the first word as its
    /// initial ("t giang", "d nai"), or an old name in common use ("sai gon", "sg").
    [[nodiscard]] const std::vector<const Entry*>* find_alias(std::string_view key) const;
    /// Names starting with @p prefix, in order, at most @p limit.
    [[nodiscard]] std::vector<std::string_view> with_prefix(std::string_view prefix,
                                                            std::size_t limit) const;
    [[nodiscard]] std::size_t max_words() const noexcept { return m_max_words; }
    /// Every word of every name, for the vocabulary.
    void add_words_to(Vocabulary* vocabulary) const;
    /// Names, aliases and the zone references they hold (for the memory figure).
    [[nodiscard]] std::size_t name_count() const noexcept { return m_names.size(); }
    [[nodiscard]] std::size_t alias_count() const noexcept { return m_aliases.size(); }
    [[nodiscard]] std::size_t zone_references() const noexcept;

private:
    void add_aliases();

    std::unordered_map<std::string, std::vector<Entry>> m_names;
    std::unordered_map<std::string, std::vector<const Entry*>> m_aliases;
    std::vector<std::string> m_sorted;
    std::size_t m_max_words = 0;
};

/// The key a unit's name is found under: its folded name without the unit word, a number
/// without leading zeros ("Phường 01" and "P.1" are both "1").
[[nodiscard]] std::string unit_key(std::string_view text);
/// A number written with leading zeros, without them ("01" -> "1"); other words unchanged.
[[nodiscard]] std::string without_leading_zeros(std::string word);

/// Levels a component of @p part may name.
[[nodiscard]] bool level_allowed(search::Part part, Gazetteer::Level level);
[[nodiscard]] std::string_view level_name(Gazetteer::Level level);
[[nodiscard]] bool is_province(Gazetteer::Level level) noexcept;
[[nodiscard]] bool is_commune(Gazetteer::Level level) noexcept;

}  // namespace diachi::store::detail

#endif  // DIACHI_STORE_SRC_GAZETTEER_HPP
