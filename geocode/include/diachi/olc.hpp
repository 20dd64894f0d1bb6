#ifndef DIACHI_OLC_HPP
#define DIACHI_OLC_HPP

/// @file
/// Open Location Code (plus codes), bit-exact with the published specification and its
/// conformance vectors, computed in integers throughout.
///
/// Every point is first placed on the finest grid the specification defines (15 digits): a
/// GridPoint counts whole steps of 1/25,000,000 degree north of the South Pole and 1/8,192,000
/// degree east of the antimeridian. Encoding, decoding, shortening and recovery then use integer
/// arithmetic only. Placing a point has two entry points, and both put a decimal where its
/// decimal value lies:
///  - grid_point_from_decimal(text, text): exact for decimal text of any length ("21.0006");
///  - grid_point(double, double): reads a double as the decimal it stands for (its shortest
///    round-trip form). The reference implementations take floor(double x steps) instead, which
///    puts 21.0006 (stored as 21.000599999999999...) one 11-digit row south, as it does for
///    about 8.7% of 4-decimal latitudes in Vietnam and 13 rows of their own encoding vectors.
///
/// Functions that can fail return Result<T>; none allocates, throws or prints.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include <diachi/error.hpp>
#include <diachi/fixed_string.hpp>

namespace diachi::olc {

/// Steps of the finest grid per degree of latitude (20^3 x 5^5, OLC specification).
inline constexpr std::int64_t lat_steps_per_degree = 25'000'000;
/// Steps of the finest grid per degree of longitude (20^3 x 4^5).
inline constexpr std::int64_t lng_steps_per_degree = 8'192'000;
/// Number of grid rows from pole to pole (exclusive upper bound of GridPoint::lat_steps).
inline constexpr std::int64_t lat_steps_total = 180 * lat_steps_per_degree;
/// Number of grid columns around the globe (exclusive upper bound of GridPoint::lng_steps).
inline constexpr std::int64_t lng_steps_total = 360 * lng_steps_per_degree;

inline constexpr int min_length = 2;          ///< fewest digits in a code
inline constexpr int max_length = 15;         ///< most digits that carry meaning
inline constexpr int pair_code_length = 10;   ///< digits encoded as lat/lng pairs
inline constexpr int separator_position = 8;  ///< digits before '+' in a full code
inline constexpr char separator = '+';
inline constexpr char padding = '0';
/// The 20 digits, in value order (OLC specification, "Encoding").
inline constexpr std::string_view alphabet = "23456789CFGHJMPQRVWX";

/// A code: up to 15 digits, '0' padding and the '+' separator, held in place.
using Code = FixedString<max_length + 1>;

/// A point on the finest OLC grid. Invariant for points made by this library:
/// 0 <= lat_steps < lat_steps_total and 0 <= lng_steps < lng_steps_total.
struct GridPoint {
    std::int64_t lat_steps = 0;  ///< steps of 1/25e6 degree north of latitude -90
    std::int64_t lng_steps = 0;  ///< steps of 1/8.192e6 degree east of longitude -180

    friend constexpr bool operator==(const GridPoint&, const GridPoint&) = default;
};

/// The rectangle a code stands for: its south-west corner (inclusive) and size on the grid.
struct CodeArea {
    GridPoint south_west;        ///< inclusive corner
    std::int64_t lat_steps = 0;  ///< height in latitude steps
    std::int64_t lng_steps = 0;  ///< width in longitude steps
    int length = 0;              ///< digits in the code (2..15)

    [[nodiscard]] double south_deg() const noexcept;
    [[nodiscard]] double west_deg() const noexcept;
    /// Northern edge; may exceed 90 for codes in the top row, as in the reference decoder.
    [[nodiscard]] double north_deg() const noexcept;
    [[nodiscard]] double east_deg() const noexcept;
    [[nodiscard]] double center_lat_deg() const noexcept;
    [[nodiscard]] double center_lng_deg() const noexcept;
    /// The grid point at the centre, rounded down to whole steps (always inside the area).
    [[nodiscard]] GridPoint center() const noexcept;

    friend constexpr bool operator==(const CodeArea&, const CodeArea&) = default;
};

/// Places (lat_deg, lng_deg) on the grid: floor of degrees x steps, where a double next to a
/// grid line counts as the decimal it stands for (40.6 is 40.6, not 40.59999...). Latitude is
/// clipped to [-90, 90), longitude wrapped into [-180, 180). Fails with ErrorCode::not_finite
/// for NaN or infinities.
[[nodiscard]] Result<GridPoint> grid_point(double lat_deg, double lng_deg) noexcept;

/// Places a point given as decimal text on the grid exactly, with no binary rounding step:
/// "21.0006" lands in the cell that holds 21.0006, not 21.000599999. Accepts an optional sign,
/// digits, and an optional '.' with digits (any number of them); latitude is clipped and longitude
/// wrapped as in grid_point(). Fails with ErrorCode::malformed_number naming the position.
[[nodiscard]] Result<GridPoint> grid_point_from_decimal(std::string_view lat_deg,
                                                        std::string_view lng_deg) noexcept;

/// Latitude steps of decimal text (exact floor, clipped), see grid_point_from_decimal().
[[nodiscard]] Result<std::int64_t> lat_steps_from_decimal(std::string_view lat_deg) noexcept;
/// Longitude steps of decimal text (exact floor, wrapped), see grid_point_from_decimal().
[[nodiscard]] Result<std::int64_t> lng_steps_from_decimal(std::string_view lng_deg) noexcept;

/// Whether @p length is a code length encode() accepts: 2, 4, 6, 8, or 10 and more (lengths
/// above 15 give 15 digits, as the specification says digits past 15 carry no meaning).
[[nodiscard]] constexpr bool is_valid_length(int length) noexcept {
    return length >= pair_code_length || (length >= min_length && length % 2 == 0);
}

/// Writes the code of @p point with @p length digits into @p out and returns its size (9..16).
/// The fastest form: nothing is copied after the characters are written. Preconditions:
/// is_valid_length(length), the GridPoint invariant, and room for 16 characters at @p out.
std::size_t encode_into(GridPoint point, int length, char* out) noexcept;

/// encode_into() for (lat_deg, lng_deg), placed with grid_point(). Errors as encode().
/// Precondition: room for 16 characters at @p out.
[[nodiscard]] Result<std::size_t> encode_into(double lat_deg, double lng_deg, int length,
                                              char* out) noexcept;

/// The code of @p point with @p length digits. Precondition: is_valid_length(length) and the
/// GridPoint invariant. Never allocates.
[[nodiscard]] Code encode_unchecked(GridPoint point, int length) noexcept;

/// The code of @p point with @p length digits; ErrorCode::invalid_length for a length that
/// is_valid_length() rejects, ErrorCode::out_of_range for a point off the grid.
[[nodiscard]] Result<Code> encode(GridPoint point, int length = pair_code_length) noexcept;

/// The code of (lat_deg, lng_deg) with @p length digits, placed with grid_point().
[[nodiscard]] Result<Code> encode(double lat_deg, double lng_deg,
                                  int length = pair_code_length) noexcept;

/// Whether @p code is a valid full or short code (OLC specification, "Validity"): one '+' at an
/// even position no later than 8, '0' padding only before a final '+', at least two digits after
/// '+' when any, only digits from the alphabet in either case. Digits past 15 are allowed.
[[nodiscard]] bool is_valid(std::string_view code) noexcept;
/// Whether @p code is valid and short (fewer than 8 digits before '+').
[[nodiscard]] bool is_short(std::string_view code) noexcept;
/// Whether @p code is valid, not short, and its first two digits lie on Earth (latitude < 90,
/// longitude < 180).
[[nodiscard]] bool is_full(std::string_view code) noexcept;

/// Checks @p code and says why it is not valid: ErrorCode::ok when valid, else the first rule it
/// breaks with the character and 1-based position.
[[nodiscard]] Error validate(std::string_view code) noexcept;

/// The area of a full code (any case). Digits past the 15th are ignored. Errors: the reasons of
/// validate(), or ErrorCode::not_full_code for short codes and codes off the Earth.
[[nodiscard]] Result<CodeArea> decode(std::string_view code) noexcept;

/// Removes as many leading digits from the full code @p code as @p reference allows while
/// recover_nearest() still gives it back: 2, 4, 6 or 8 digits when the reference lies within 0.3
/// of the cell size that remains (OLC specification, "Short codes"). Errors: reasons of validate(),
/// ErrorCode::not_full_code, ErrorCode::padded_code.
[[nodiscard]] Result<Code> shorten(std::string_view code, GridPoint reference) noexcept;
/// shorten() with the reference in degrees (placed with grid_point()).
[[nodiscard]] Result<Code> shorten(std::string_view code, double ref_lat_deg,
                                   double ref_lng_deg) noexcept;

/// The full code nearest @p reference whose trailing digits are the short code @p short_code.
/// A full code comes back upper-cased (cut to 15 digits). Errors: reasons of validate(),
/// ErrorCode::padded_code.
[[nodiscard]] Result<Code> recover_nearest(std::string_view short_code,
                                           GridPoint reference) noexcept;
/// recover_nearest() with the reference in degrees (placed with grid_point()).
[[nodiscard]] Result<Code> recover_nearest(std::string_view short_code, double ref_lat_deg,
                                           double ref_lng_deg) noexcept;

/// Latitude in degrees of a grid row (south edge): steps / 25e6 - 90.
[[nodiscard]] double lat_deg_of(std::int64_t lat_steps) noexcept;
/// Longitude in degrees of a grid column (west edge): steps / 8.192e6 - 180.
[[nodiscard]] double lng_deg_of(std::int64_t lng_steps) noexcept;

}  // namespace diachi::olc

#endif  // DIACHI_OLC_HPP
