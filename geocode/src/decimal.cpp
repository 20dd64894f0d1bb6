// Exact decimal text: numbers typed as text reach the grid (or 1e-7 degrees) without a binary
// rounding step.

#include <diachi/error.hpp>

#include "olc_internal.hpp"

namespace diachi::detail {

Result<DecimalParts> split_decimal(std::string_view text, std::string_view what) noexcept {
    DecimalParts parts;
    std::size_t i = 0;
    if (text.empty()) {
        return Error{ErrorCode::empty_input, 0, 0, what};
    }
    if (text[0] == '+' || text[0] == '-') {
        parts.negative = text[0] == '-';
        ++i;
    }
    bool any_digit = false;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
        const int d = text[i] - '0';
        if (parts.integer_saturated < 1'000'000'000) {
            parts.integer_saturated = parts.integer_saturated * 10 + d;
        }
        parts.integer_mod_360 = (parts.integer_mod_360 * 10 + d) % 360;
        any_digit = true;
    }
    if (i < text.size() && text[i] == '.') {
        const std::size_t start = ++i;
        for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
        }
        parts.fraction = text.substr(start, i - start);
        any_digit = any_digit || !parts.fraction.empty();
    }
    if (i < text.size()) {
        return detail::character_error(ErrorCode::malformed_number, text, i, what);
    }
    if (!any_digit) {
        return detail::character_error(ErrorCode::malformed_number, text, text.size() - 1, what);
    }
    return parts;
}

/// floor(0.d1d2...dn x scale) exactly, and whether anything was cut off.
///
/// Horner's rule from the last digit: x_i = d_i * scale + x_{i+1} / 10, result x_1 / 10. Since
/// floor(a + y / 10) == a + floor(floor(y) / 10) for whole a and y >= 0, keeping each partial
/// value as a whole number loses nothing, whatever the number of digits.
std::int64_t scale_fraction(std::string_view digits, std::int64_t scale, bool* inexact) noexcept {
    std::int64_t x = 0;
    *inexact = false;
    for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
        *inexact = *inexact || (x % 10 != 0);
        x = (*it - '0') * scale + x / 10;
    }
    *inexact = *inexact || (x % 10 != 0);
    return x / 10;
}

/// floor(value x scale) for the integer part @p integer and the parts' fraction.
std::int64_t scaled_floor(const DecimalParts& parts, std::int64_t integer,
                          std::int64_t scale) noexcept {
    bool inexact = false;
    const std::int64_t magnitude =
        integer * scale + scale_fraction(parts.fraction, scale, &inexact);
    return parts.negative ? -magnitude - (inexact ? 1 : 0) : magnitude;
}

}  // namespace diachi::detail
