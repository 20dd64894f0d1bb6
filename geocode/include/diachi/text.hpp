#ifndef DIACHI_TEXT_HPP
#define DIACHI_TEXT_HPP

/// @file
/// Folding Vietnamese text for matching: "Thanh Hoá", "thanh hóa" and "THANH HOA" all fold to
/// "thanh hoa". Names of places are compared, indexed and searched in folded form.

#include <cstddef>
#include <string>
#include <string_view>

#include <diachi/error.hpp>

namespace diachi {

/// Appends the folded form of UTF-8 @p text to @p out: letters lower-cased, tone marks and other
/// diacritics removed (precomposed or combining), "đ" read as "d", runs of white space collapsed to
/// one space and trimmed at both ends. Code points without a Latin base letter are kept as they
/// are; bytes that are not UTF-8 become '?'.
void append_folded(std::string_view text, std::string* out);

/// The folded form of @p text (see append_folded()).
[[nodiscard]] std::string fold(std::string_view text);

/// Checks text typed for a stored field (an address part, a name, a phone number): well-formed
/// UTF-8 (no overlong forms, surrogates or code points past U+10FFFF), no control characters and
/// no invisible format characters (zero-width spaces and joiners, bidirectional controls, byte
/// order marks, soft hyphens), and at most @p max_bytes bytes. Returns ErrorCode::ok,
/// ErrorCode::invalid_character with the 1-based code point position and the character (U+FFFD
/// where the bytes are not UTF-8), or ErrorCode::invalid_length.
[[nodiscard]] Error check_text(std::string_view text, std::size_t max_bytes) noexcept;

}  // namespace diachi

#endif  // DIACHI_TEXT_HPP
