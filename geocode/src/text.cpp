#include <diachi/text.hpp>

#include <cstdint>

namespace diachi {
namespace {

// The base letter of U+00C0..U+024F and U+1EA0..U+1EFF ('.' where there is none), generated from
// the Unicode canonical decompositions (NFD, first code point, lower-cased; U+0110/U+0111 -> d).
constexpr std::string_view latin_bases =
    "aaaaaa.ceeeeiiii.nooooo..uuuuy..aaaaaa.ceeeeiiii.nooooo..uuuuy.yaaaaaaccccccccdd"
    "ddeeeeeeeeeegggggggghh..iiiiiiiii...jjkk.llllll....nnnnnn...oooooo..rrrrrrssssss"
    "sstttt..uuuuuuuuuuuuwwyyyzzzzzz.................................oo.............u"
    "u............................aaiioouuuuuuuuuu.aaaa....ggkkoooo..j...gg..nnaa...."
    "aaaaeeeeiiiioooorrrruuuusstt..hh......aaeeooooooooyy............................";
constexpr std::string_view vietnamese_bases =
    "aaaaaaaaaaaaaaaaaaaaaaaaeeeeeeeeeeeeeeeeiiiioooooooooooooooooooooooouuuuuuuuuuuu"
    "uuyyyyyyyy......";

/// Decodes one UTF-8 code point at @p i; returns 0xFFFFFFFF for a malformed sequence.
char32_t next_code_point(std::string_view text, std::size_t* i) noexcept {
    const auto b0 = static_cast<unsigned char>(text[*i]);
    int extra = 0;
    char32_t cp = 0;
    if (b0 < 0x80) {
        ++*i;
        return b0;
    } else if ((b0 & 0xE0) == 0xC0 && b0 >= 0xC2) {
        extra = 1;
        cp = b0 & 0x1F;
    } else if ((b0 & 0xF0) == 0xE0) {
        extra = 2;
        cp = b0 & 0x0F;
    } else if ((b0 & 0xF8) == 0xF0 && b0 <= 0xF4) {
        extra = 3;
        cp = b0 & 0x07;
    } else {
        ++*i;
        return 0xFFFFFFFF;
    }
    if (*i + static_cast<std::size_t>(extra) >= text.size()) {
        ++*i;
        return 0xFFFFFFFF;
    }
    for (int k = 1; k <= extra; ++k) {
        const auto b = static_cast<unsigned char>(text[*i + static_cast<std::size_t>(k)]);
        if ((b & 0xC0) != 0x80) {
            ++*i;
            return 0xFFFFFFFF;
        }
        cp = (cp << 6) | (b & 0x3F);
    }
    *i += static_cast<std::size_t>(extra) + 1;
    return cp;
}

}  // namespace

void append_folded(std::string_view text, std::string* out) {
    bool pending_space = false;
    const std::size_t start = out->size();
    std::size_t i = 0;
    while (i < text.size()) {
        const std::size_t begin = i;
        const char32_t cp = next_code_point(text, &i);
        if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0xA0) {
            pending_space = out->size() > start;
            continue;
        }
        if (cp >= 0x300 && cp <= 0x36F) {
            continue;  // a combining mark: the diacritic of a decomposed letter
        }
        if (pending_space) {
            out->push_back(' ');
            pending_space = false;
        }
        char base = 0;
        if (cp < 0x80) {
            base = static_cast<char>(cp >= 'A' && cp <= 'Z' ? cp - 'A' + 'a' : cp);
        } else if (cp >= 0xC0 && cp < 0xC0 + latin_bases.size()) {
            base = latin_bases[cp - 0xC0];
        } else if (cp >= 0x1EA0 && cp < 0x1EA0 + vietnamese_bases.size()) {
            base = vietnamese_bases[cp - 0x1EA0];
        } else if (cp == 0xFFFFFFFF) {
            base = '?';
        }
        if (base != 0 && base != '.') {
            out->push_back(base);
        } else {
            out->append(text.substr(begin, i - begin));
        }
    }
}

std::string fold(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    append_folded(text, &out);
    return out;
}

namespace {

/// Characters that show nothing but change how text is read or compared.
bool invisible(char32_t cp) noexcept {
    return cp == 0xAD || (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2060 && cp <= 0x2064) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF ||
           (cp >= 0xFFF9 && cp <= 0xFFFB);
}

}  // namespace

Error check_text(std::string_view text, std::size_t max_bytes) noexcept {
    std::uint32_t position = 0;
    std::size_t i = 0;
    while (i < text.size()) {
        const std::size_t begin = i;
        const char32_t cp = next_code_point(text, &i);
        ++position;
        const std::size_t expected = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
        if (cp == 0xFFFFFFFF || i - begin != expected || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
            return Error{ErrorCode::invalid_character, position, 0xFFFD, "well-formed UTF-8"};
        }
        if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || invisible(cp)) {
            return Error{ErrorCode::invalid_character, position, cp, "no control or invisible characters"};
        }
    }
    if (text.size() > max_bytes) {
        return Error{ErrorCode::invalid_length, 0, 0, "too long for the field"};
    }
    return {};
}

}  // namespace diachi
