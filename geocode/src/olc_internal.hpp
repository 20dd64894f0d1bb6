#ifndef DIACHI_OLC_INTERNAL_HPP
#define DIACHI_OLC_INTERNAL_HPP

// Tables and helpers shared by the OLC and household-code implementations.

#include <array>
#include <cstdint>
#include <string_view>

#include <diachi/error.hpp>
#include <diachi/olc.hpp>

namespace diachi::detail {

/// A table of each symbol's index in @p symbols (letters in either case), -1 for the rest.
constexpr std::array<std::int8_t, 256> symbol_values(std::string_view symbols) {
    std::array<std::int8_t, 256> table{};
    table.fill(-1);
    for (std::size_t i = 0; i < symbols.size(); ++i) {
        const auto c = static_cast<unsigned char>(symbols[i]);
        table[c] = static_cast<std::int8_t>(i);
        if (c >= 'A' && c <= 'Z') {
            table[c - 'A' + 'a'] = static_cast<std::int8_t>(i);
        }
    }
    return table;
}

/// Value of an OLC digit (either case), or -1.
inline constexpr std::array<std::int8_t, 256> olc_digit_values = symbol_values(olc::alphabet);

[[nodiscard]] inline int olc_digit_value(char c) noexcept {
    return olc_digit_values[static_cast<unsigned char>(c)];
}

/// 20^n for n = 0..5.
inline constexpr std::array<std::int64_t, 6> pow20 = {1, 20, 400, 8000, 160000, 3200000};
/// 5^n and 4^n for n = 0..5 (rows and columns of the grid refinement after 10 digits).
inline constexpr std::array<std::int64_t, 6> pow5 = {1, 5, 25, 125, 625, 3125};
inline constexpr std::array<std::int64_t, 6> pow4 = {1, 4, 16, 64, 256, 1024};

/// Cell sizes in grid steps by code length 0..15: 20 per pair digit, then @p grid_base (5 rows
/// or 4 columns) per grid digit.
constexpr std::array<std::int64_t, 16> cell_steps(const std::array<std::int64_t, 6>& grid_base) {
    std::array<std::int64_t, 16> t{};
    for (int n = 0; n <= 15; ++n) {
        const int pairs = (n < 10 ? n : 10) / 2;
        const int grid = n > 10 ? n - 10 : 0;
        t[static_cast<std::size_t>(n)] = pow20[static_cast<std::size_t>(5 - pairs)] *
                                         grid_base[static_cast<std::size_t>(5 - grid)];
    }
    return t;
}
/// Height and width in grid steps of the cell of a code with n digits (n = 0..15).
inline constexpr std::array<std::int64_t, 16> cell_lat_steps = cell_steps(pow5);
inline constexpr std::array<std::int64_t, 16> cell_lng_steps = cell_steps(pow4);

/// Floor division and a modulo whose result has the divisor's sign.
[[nodiscard]] constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) noexcept {
    const std::int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}
[[nodiscard]] constexpr std::int64_t floor_mod(std::int64_t a, std::int64_t b) noexcept {
    const std::int64_t r = a % b;
    return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
}

/// Clips a latitude and wraps a longitude onto the grid (the GridPoint invariant).
[[nodiscard]] constexpr olc::GridPoint normalize(std::int64_t lat_steps,
                                                 std::int64_t lng_steps) noexcept {
    if (lat_steps < 0) {
        lat_steps = 0;
    } else if (lat_steps >= olc::lat_steps_total) {
        lat_steps = olc::lat_steps_total - 1;
    }
    if (lng_steps < 0 || lng_steps >= olc::lng_steps_total) {
        lng_steps = floor_mod(lng_steps, olc::lng_steps_total);
    }
    return {lat_steps, lng_steps};
}

/// The error for the character that starts at byte @p offset of @p text: its 1-based position in
/// code points and the code point itself (decoded from UTF-8 where it is well formed).
[[nodiscard]] Error character_error(ErrorCode code, std::string_view text, std::size_t offset,
                                    std::string_view detail) noexcept;

/// The digits of a valid code, upper-cased, without '+' and padding, at most 15 of them.
struct CodeDigits {
    std::array<std::int8_t, olc::max_length> values{};
    int count = 0;
};


/// A decimal number split for exact scaling: value = sign * (integer + fraction).
struct DecimalParts {
    bool negative = false;
    std::int64_t integer_saturated = 0;  ///< integer part, saturated at 10^9
    std::int64_t integer_mod_360 = 0;    ///< integer part modulo 360, exact
    std::string_view fraction;           ///< the digits after '.'
};

/// Splits "[+-]digits[.digits]"; errors (ErrorCode::empty_input, malformed_number) carry @p what.
[[nodiscard]] Result<DecimalParts> split_decimal(std::string_view text,
                                                 std::string_view what) noexcept;

/// floor(0.d1d2...dn x scale) exactly, and whether anything was cut off.
[[nodiscard]] std::int64_t scale_fraction(std::string_view digits, std::int64_t scale,
                                          bool* inexact) noexcept;

/// floor(value x scale) for the integer part @p integer and the parts' fraction.
[[nodiscard]] std::int64_t scaled_floor(const DecimalParts& parts, std::int64_t integer,
                                        std::int64_t scale) noexcept;

/// The area of the digits of a valid code. Precondition: digits.count >= 2.
[[nodiscard]] olc::CodeArea area_of(const CodeDigits& digits) noexcept;

}  // namespace diachi::detail

#endif  // DIACHI_OLC_INTERNAL_HPP
