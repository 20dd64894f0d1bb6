#ifndef DIACHI_SEARCH_ADDRESS_PARSER_HPP
#define DIACHI_SEARCH_ADDRESS_PARSER_HPP

/// @file
/// A Vietnamese address, as people write it, split into its components: house number, alley,
/// street, hamlet, commune, (old) district, province, in any order and with any part missing.
/// Unit words and their abbreviations mark the parts ("số", "ngõ", "thôn", "P.", "Q.", "TP.");
/// unmarked parts are left for the gazetteer to recognise.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <diachi/search/normalize.hpp>

namespace diachi::search {

/// The level a component names.
enum class Part {
    house_number,  ///< "5", "12/3", "26A" (after "số", "số nhà", or leading a segment)
    alley,         ///< ngõ / ngách / hẻm / kiệt, e.g. "12/34"
    street,        ///< đường / phố, or the words after a house number
    hamlet,        ///< thôn / xóm / ấp / bản / buôn / tổ / tổ dân phố / khu phố / khóm
    commune,       ///< phường / xã / thị trấn / đặc khu (pre- or post-2025)
    district,      ///< quận / huyện / thị xã (abolished in 2025; still written)
    city,          ///< thành phố: a province (Hà Nội) or, before 2025, a district-level city
    province,      ///< tỉnh
    unmarked,      ///< no unit word: a place name the gazetteer must place
};

[[nodiscard]] std::string_view name(Part part) noexcept;

/// One component: its level, its name (folded, without the unit word), and the unit word as
/// written in full form ("phuong" for "P.").
struct Component {
    Part part = Part::unmarked;
    std::string name;
    std::string unit;
    /// The tokens it was read from (see tokenize()): [first_token, end_token), its unit word
    /// included. Not compared by ==.
    std::size_t first_token = 0;
    std::size_t end_token = 0;

    friend bool operator==(const Component& a, const Component& b) {
        return a.part == b.part && a.name == b.name && a.unit == b.unit;
    }
};

/// A unit word found in a token sequence.
struct UnitMark {
    Part part = Part::unmarked;  ///< the level it marks
    std::string_view full;       ///< its full folded form ("phuong" for "P.")
    std::size_t length = 0;      ///< tokens it spans (one to three)
};

/// The unit word starting at token @p i of @p tokens, if one does and a name follows it in the
/// same segment (or, with @p alone_in_segment, when it stands alone before a comma: "Thị trấn,
/// Dương Minh Châu"); a part of Part::unmarked with length 0 otherwise.
[[nodiscard]] UnitMark unit_word_at(const std::vector<Token>& tokens, std::size_t i,
                                    bool alone_in_segment = false);

struct ParsedAddress {
    std::vector<Component> components;  ///< in the order written

    /// The first component of @p part, or nullptr.
    [[nodiscard]] const Component* find(Part part) const noexcept;
};

/// Parses free address text. Never fails: text without unit words gives unmarked components,
/// one per comma-separated segment. "TT" is "thị trấn" except in "trung tâm" phrases
/// ("TT thương mại", "TT y tế"), where it stays a word of a name.
[[nodiscard]] ParsedAddress parse_address(std::string_view text);

/// The name a place is known by: the name of its first component, without the unit word
/// ("Tỉnh Ninh Bình", "TP. Ninh Bình" and "ninh binh" are all "ninh binh").
[[nodiscard]] std::string place_name(std::string_view text);

/// Parses already tokenized text (see tokenize()).
[[nodiscard]] ParsedAddress parse_tokens(const std::vector<Token>& tokens);

}  // namespace diachi::search

#endif  // DIACHI_SEARCH_ADDRESS_PARSER_HPP
