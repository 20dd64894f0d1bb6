#ifndef DIACHI_SEARCH_NORMALIZE_HPP
#define DIACHI_SEARCH_NORMALIZE_HPP

/// @file
/// Address text in the one form that search compares: NFC or NFD, with or without tone marks,
/// "hoà" or "hòa", "Lý" or "Lí", "Ea H'leo" or "Ea Hleo" all give the same tokens.

#include <string>
#include <string_view>
#include <vector>

namespace diachi::search {

/// One word of an address, folded.
struct Token {
    std::string text;           ///< folded: lower case, no diacritics, "đ" as "d", y/i unified
    bool comma_before = false;  ///< a ',' or ';' (a segment boundary) precedes the word
    bool dot_after = false;     ///< written with a trailing '.', as abbreviations are ("P.", "TT.")

    friend bool operator==(const Token&, const Token&) = default;
};

/// @p text with a space between a lower-case letter and the upper-case letter glued after it,
/// as typed without spaces: "TP.HồChíMinh" -> "TP.Hồ Chí Minh", "P.TânĐịnh" -> "P.Tân Định".
/// Runs of capitals ("TPHCM") and text in one case stay as they are.
[[nodiscard]] std::string split_glued_words(std::string_view text);

/// Splits UTF-8 @p text into folded tokens.
/// - Words glued in camel case are split first (see split_glued_words()).
/// - Letters fold as diachi::fold() does (tone marks and other diacritics go, "đ" is "d").
/// - A word ending in 'y' after a consonant ends in 'i' ("Lý" and "Lí", "Kỳ" and "Kì").
/// - Apostrophes join ("H'leo", "H' Leo", "H’leo" are "hleo"); hyphens, dots, commas,
///   semicolons, brackets and quotes separate.
/// - A letter abbreviation glued to a number splits: "P5" and "P.5" are "p" "5", "Q1" is "q" "1".
/// - '/' stays inside a word: "12/34" is one token.
[[nodiscard]] std::vector<Token> tokenize(std::string_view text);

/// The folded words of @p text joined by single spaces: the key a name is indexed under.
[[nodiscard]] std::string normalize(std::string_view text);

/// The words of normalised text (single spaces between them, as normalize() gives).
[[nodiscard]] std::vector<std::string> split_words(std::string_view normalized);

/// How many words normalised text holds.
[[nodiscard]] std::size_t word_count(std::string_view normalized) noexcept;

/// Whether folded word @p token starts with a digit (house numbers, "12/34", "3B").
[[nodiscard]] bool is_number(std::string_view token) noexcept;

}  // namespace diachi::search

#endif  // DIACHI_SEARCH_NORMALIZE_HPP
