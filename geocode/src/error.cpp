#include <diachi/error.hpp>

#include <array>
#include <cstdio>

#include "olc_internal.hpp"

namespace diachi {
namespace {

struct ErrorText {
    std::string_view name;
    std::string_view description;
};

constexpr std::array<ErrorText, 19> error_texts = {{
    {"ok", "no error"},
    {"empty_input", "empty input"},
    {"invalid_character", "invalid character"},
    {"misplaced_separator", "misplaced '+' separator"},
    {"misplaced_padding", "misplaced '0' padding"},
    {"invalid_length", "invalid length"},
    {"not_full_code", "not a full code"},
    {"not_short_code", "not a short code"},
    {"padded_code", "padded code"},
    {"malformed_number", "malformed number"},
    {"not_finite", "not a finite number"},
    {"out_of_range", "out of range"},
    {"bad_check_character", "check character does not match"},
    {"bad_unit", "invalid unit suffix"},
    {"outside_zones", "outside every zone"},
    {"not_found", "not found"},
    {"unit_exhausted", "no unit suffix left in the cell"},
    {"retired", "household retired"},
    {"missing_field", "missing field"},
}};

const ErrorText& text_of(ErrorCode code) noexcept {
    const auto i = static_cast<std::size_t>(code);
    return i < error_texts.size() ? error_texts[i] : error_texts[0];
}

void append_code_point(std::string& out, char32_t c) {
    if (c >= 0x20 && c < 0x7f) {
        out += static_cast<char>(c);
        return;
    }
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "U+%04X", static_cast<unsigned>(c));
    out += buffer;
}

}  // namespace

std::string_view describe(ErrorCode code) noexcept { return text_of(code).description; }

std::string_view name(ErrorCode code) noexcept { return text_of(code).name; }

std::string Error::message() const {
    std::string out(describe(code));
    if (position > 0) {
        out += " '";
        append_code_point(out, character);
        out += "' at position ";
        out += std::to_string(position);
    }
    if (!detail.empty()) {
        out += ": ";
        out += detail;
    }
    return out;
}

namespace detail {

Error character_error(ErrorCode code, std::string_view text, std::size_t offset,
                      std::string_view what) noexcept {
    Error error{code, 0, 0, what};
    if (offset >= text.size()) {
        return error;
    }
    std::uint32_t position = 1;
    for (std::size_t i = 0; i < offset; ++i) {
        position += (static_cast<unsigned char>(text[i]) & 0xC0U) != 0x80U ? 1 : 0;
    }
    error.position = position;
    // Decode one UTF-8 sequence; a malformed one reports its first byte.
    const auto lead = static_cast<unsigned char>(text[offset]);
    const int extra = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : 0;
    char32_t c = extra == 0 ? lead : (lead & (0x3FU >> extra));
    for (int k = 1; k <= extra; ++k) {
        const std::size_t i = offset + static_cast<std::size_t>(k);
        if (i >= text.size() || (static_cast<unsigned char>(text[i]) & 0xC0U) != 0x80U) {
            c = lead;
            break;
        }
        c = (c << 6) | (static_cast<unsigned char>(text[i]) & 0x3FU);
    }
    error.character = c;
    return error;
}

}  // namespace detail
}  // namespace diachi
