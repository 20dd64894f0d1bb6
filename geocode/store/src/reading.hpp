#ifndef DIACHI_STORE_SRC_READING_HPP
#define DIACHI_STORE_SRC_READING_HPP

// One consistent reading of address text (internal): the query's tokens cut into spans, each a
// place (a commune, old district or province of the gazetteer; a street or hamlet of the index),
// and for a zone the best chain of spans that all contain it, at most one per level. A province
// or district the text names that does not contain a commune sinks it: its words stay unread.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <diachi/search/address_parser.hpp>
#include <diachi/search/normalize.hpp>

#include "gazetteer.hpp"

namespace diachi::store::detail {

class Vocabulary;

/// What a span is read as; each role is taken at most once in a chain.
enum class Role : std::uint8_t { commune, district, province, street, hamlet, place };

[[nodiscard]] std::string_view name(Role role) noexcept;

/// A run of tokens read as one place.
struct Span {
    std::size_t begin = 0;  ///< first token, its unit word included
    std::size_t end = 0;    ///< one past the last token
    Role role = Role::commune;
    double weight = 0.0;    ///< what reading it this way is worth
    const Gazetteer::Entry* entry = nullptr;  ///< administrative spans
    std::uint32_t zone = 0;                   ///< area spans: the area's zone
    std::size_t area = std::numeric_limits<std::size_t>::max();  ///< area spans: the caller's index
    bool alias = false;  ///< read through an abbreviation or an old name
    std::string corrected;  ///< "read 'x' as 'y'" when a word was read as another
    bool inside_area = false;  ///< the end of a street's or hamlet's words: names no zone alone

    [[nodiscard]] bool is_area() const noexcept { return entry == nullptr; }
    [[nodiscard]] bool contains(std::uint32_t z) const noexcept {
        return entry != nullptr ? entry->contains(z) : zone == z;
    }
};

/// Every run of @p tokens that names an administrative unit, with its unit word when one
/// precedes it ("P.", "Quận", "TP."), weighed by level: a commune 3 (an old one 2.9), a district
/// or province 1. A unit word of another level rules an entry out; a street or hamlet word rules
/// out every unit ("Phố Huế" is a street); a unit named inside a street or hamlet written with
/// its unit word counts half ("Phố Đinh Tiên Hoàng"). @p alternatives holds, for each token,
/// the known words one edit from it that it may be a typo of (tried at a cost).
[[nodiscard]] std::vector<Span> administrative_spans(const Gazetteer& gazetteer,
                                                     const Vocabulary& vocabulary,
                                                     const std::vector<search::Token>& tokens,
                                                     const std::vector<std::vector<std::string>>& alternatives,
                                                     const search::ParsedAddress& parsed);

/// The best chain for one zone: the spans chosen (indexes into the caller's list, in text order).
struct Chain {
    double weight = 0.0;
    std::vector<std::size_t> spans;
};

/// The heaviest set of non-overlapping spans among @p candidates (indexes into @p spans, each
/// containing the zone in question), at most one per role. @p admin_only leaves areas out.
[[nodiscard]] Chain best_chain(const std::vector<Span>& spans,
                               const std::vector<std::size_t>& candidates, bool admin_only);

/// The tokens (of the first 64) that carry content: the words of components' names, not unit
/// words, house numbers or alleys. Bit t stands for token t.
[[nodiscard]] std::uint64_t content_tokens(const std::vector<search::Token>& tokens,
                                           const search::ParsedAddress& parsed);

/// How many runs of content tokens (see content_tokens()) no span of @p chain covers: the parts
/// of the text the reading leaves unread. A comma ends a run.
[[nodiscard]] std::size_t unread_runs(std::uint64_t content,
                                      const std::vector<search::Token>& tokens,
                                      const std::vector<Span>& spans, const Chain& chain);

}  // namespace diachi::store::detail

#endif  // DIACHI_STORE_SRC_READING_HPP
