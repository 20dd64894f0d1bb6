#ifndef DIACHI_TEXT_HPP
#define DIACHI_TEXT_HPP

/// @file
/// Folding Vietnamese text for matching: "Thanh Hoá", "thanh hóa" and "THANH HOA" all fold to
/// "thanh hoa". Names of places are compared, indexed and searched in folded form.

#include <string>
#include <string_view>

namespace diachi {

/// Appends the folded form of UTF-8 @p text to @p out: letters lower-cased, tone marks and other
/// diacritics removed (precomposed or combining), "đ" read as "d", runs of white space collapsed to
/// one space and trimmed at both ends. Code points without a Latin base letter are kept as they
/// are; bytes that are not UTF-8 become '?'.
void append_folded(std::string_view text, std::string* out);

/// The folded form of @p text (see append_folded()).
[[nodiscard]] std::string fold(std::string_view text);

}  // namespace diachi

#endif  // DIACHI_TEXT_HPP
