// Open Location Code in integers. Section names refer to the OLC specification
// (open-location-code, docs/specification.md).

#include <diachi/olc.hpp>

#include <array>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include "olc_internal.hpp"

namespace diachi::olc {
namespace {

using detail::cell_lat_steps;
using detail::cell_lng_steps;
using detail::olc_digit_value;
using detail::scaled_floor;
using detail::split_decimal;

constexpr std::string_view expect_digit = "expected a digit of 23456789CFGHJMPQRVWX, '0' or '+'";

/// Where the i-th digit (0-based) stands in a code with its '+' separator.
constexpr int text_position(int digit_index) noexcept {
    return digit_index < separator_position ? digit_index : digit_index + 1;
}

// --- encoding ---------------------------------------------------------------------------------

}  // namespace

// One rounding step each: the numerators are exact in a double (|n| < 2^53).
double lat_deg_of(std::int64_t lat_steps) noexcept {
    return static_cast<double>(lat_steps - 90 * lat_steps_per_degree) /
           static_cast<double>(lat_steps_per_degree);
}

double lng_deg_of(std::int64_t lng_steps) noexcept {
    return static_cast<double>(lng_steps - 180 * lng_steps_per_degree) /
           static_cast<double>(lng_steps_per_degree);
}

double CodeArea::south_deg() const noexcept { return lat_deg_of(south_west.lat_steps); }
double CodeArea::west_deg() const noexcept { return lng_deg_of(south_west.lng_steps); }
double CodeArea::north_deg() const noexcept { return lat_deg_of(south_west.lat_steps + lat_steps); }
double CodeArea::east_deg() const noexcept { return lng_deg_of(south_west.lng_steps + lng_steps); }
double CodeArea::center_lat_deg() const noexcept {
    return static_cast<double>(2 * (south_west.lat_steps - 90 * lat_steps_per_degree) + lat_steps) /
           static_cast<double>(2 * lat_steps_per_degree);
}
double CodeArea::center_lng_deg() const noexcept {
    return static_cast<double>(2 * (south_west.lng_steps - 180 * lng_steps_per_degree) +
                               lng_steps) /
           static_cast<double>(2 * lng_steps_per_degree);
}
GridPoint CodeArea::center() const noexcept {
    return {south_west.lat_steps + lat_steps / 2, south_west.lng_steps + lng_steps / 2};
}

namespace {

/// floor(d x steps_per_degree) for the decimal d that @p deg stands for: its shortest
/// round-trip form, i.e. what was typed. Away from a grid line this is floor(deg x steps); the
/// double product is off by less than 1e-6 step. Next to a grid line N (where the reference
/// implementations put 40.6 one step south, as 40.599999...), the side is decided exactly.
std::int64_t floor_steps(double deg, std::int64_t steps_per_degree) noexcept {
    const double per_degree = static_cast<double>(steps_per_degree);
    const double x = deg * per_degree;
    // floor() without a library call (|x| < 2^62 here).
    const auto truncated = static_cast<std::int64_t>(x);
    const std::int64_t floor_x = truncated - (x < static_cast<double>(truncated) ? 1 : 0);
    const double fraction = x - static_cast<double>(floor_x);
    if (fraction > 1e-4 && fraction < 1.0 - 1e-4) {
        return floor_x;
    }
    const std::int64_t n = fraction < 0.5 ? floor_x : floor_x + 1;  // the grid line
    // When N / steps is a decimal of at most 15 significant digits, it is the shortest decimal of
    // its own double, and rounding is monotonic: deg >= fl(N / steps) exactly when d >= N / steps.
    // Latitude: N / 25e6 has at most 8 decimals. Longitude: N / (2^16 x 125) has at most 12
    // decimals when 16 divides N.
    if (steps_per_degree == lat_steps_per_degree || n % 16 == 0) {
        return deg >= static_cast<double>(n) / per_degree ? n : n - 1;
    }
    // Otherwise compare with the shortest decimal itself.
    char text[64];
    const auto [end, ec] = std::to_chars(text, text + sizeof text, deg, std::chars_format::fixed);
    if (ec != std::errc{}) {
        return floor_x;
    }
    const auto parts =
        split_decimal(std::string_view(text, static_cast<std::size_t>(end - text)), {});
    return scaled_floor(*parts, parts->integer_saturated, steps_per_degree);
}

/// grid_point() for finite input.
[[gnu::always_inline]] inline GridPoint grid_point_of_finite(double lat_deg,
                                                             double lng_deg) noexcept {
    // Fast path for points on the map: (deg + offset) x steps is within 1e-6 step of the exact
    // product, so when no grid line lies within 1e-4 step, truncating either side of it gives
    // the floor, with no conversion back to double on the way.
    if (lat_deg >= -90.0 && lat_deg < 90.0 && lng_deg >= -180.0 && lng_deg < 180.0) {
        constexpr double margin = 1e-4;
        const double y = (lat_deg + 90.0) * static_cast<double>(lat_steps_per_degree);
        const double x = (lng_deg + 180.0) * static_cast<double>(lng_steps_per_degree);
        const auto y_low = static_cast<std::int64_t>(y - margin);
        const auto y_high = static_cast<std::int64_t>(y + margin);
        const auto x_low = static_cast<std::int64_t>(x - margin);
        const auto x_high = static_cast<std::int64_t>(x + margin);
        if (y_low == y_high && x_low == x_high) {
            return {y_low, x_low};
        }
    }
    // Clip and wrap in degrees first only where the products would not fit in 64 bits.
    if (lat_deg > 1000.0) {
        lat_deg = 1000.0;
    } else if (lat_deg < -1000.0) {
        lat_deg = -1000.0;
    }
    if (std::fabs(lng_deg) >= 1e9) {
        lng_deg = std::fmod(lng_deg, 360.0);  // exact
    }
    return detail::normalize(
        floor_steps(lat_deg, lat_steps_per_degree) + 90 * lat_steps_per_degree,
        floor_steps(lng_deg, lng_steps_per_degree) + 180 * lng_steps_per_degree);
}

constexpr Error not_finite_error{ErrorCode::not_finite, 0, 0,
                                 "latitude and longitude must be finite numbers"};

}  // namespace

Result<GridPoint> grid_point(double lat_deg, double lng_deg) noexcept {
    if (!std::isfinite(lat_deg) || !std::isfinite(lng_deg)) {
        return not_finite_error;
    }
    return grid_point_of_finite(lat_deg, lng_deg);
}

Result<std::int64_t> lat_steps_from_decimal(std::string_view lat_deg) noexcept {
    const auto parts = split_decimal(lat_deg, "latitude: expected [+-]digits[.digits]");
    if (!parts) {
        return parts.error();
    }
    // |integer| > 90 clips whatever the fraction; the saturated integer keeps the product small.
    const std::int64_t steps =
        scaled_floor(*parts, parts->integer_saturated > 91 ? 91 : parts->integer_saturated,
                     lat_steps_per_degree);
    return detail::normalize(steps + 90 * lat_steps_per_degree, 0).lat_steps;
}

Result<std::int64_t> lng_steps_from_decimal(std::string_view lng_deg) noexcept {
    const auto parts = split_decimal(lng_deg, "longitude: expected [+-]digits[.digits]");
    if (!parts) {
        return parts.error();
    }
    // Whole turns do not move a longitude: the integer part counts only modulo 360.
    const std::int64_t steps = scaled_floor(*parts, parts->integer_mod_360, lng_steps_per_degree);
    return detail::normalize(0, steps + 180 * lng_steps_per_degree).lng_steps;
}

Result<GridPoint> grid_point_from_decimal(std::string_view lat_deg,
                                          std::string_view lng_deg) noexcept {
    const auto lat = lat_steps_from_decimal(lat_deg);
    if (!lat) {
        return lat.error();
    }
    const auto lng = lng_steps_from_decimal(lng_deg);
    if (!lng) {
        return lng.error();
    }
    return GridPoint{*lat, *lng};
}

namespace {

/// The two characters of each (latitude digit, longitude digit) pair, by 20 x lat + lng.
constexpr std::array<std::array<char, 2>, 400> pair_characters = [] {
    std::array<std::array<char, 2>, 400> t{};
    for (std::size_t i = 0; i < 400; ++i) {
        t[i] = {alphabet[i / 20], alphabet[i % 20]};
    }
    return t;
}();

/// The code of @p lat / @p lng with Length digits. Every divisor is a compile-time constant,
/// every quotient comes from the coordinate directly (q / 20^k, not the previous quotient / 20),
/// so the divisions run side by side; digit k is then q_k - 20 q_k+1. Each pair of characters is
/// one table load.
template <int Length>
std::size_t encode_fixed(std::uint64_t lat, std::uint64_t lng, char* text) noexcept {
    constexpr int grid = Length > pair_code_length ? Length - pair_code_length : 0;
    constexpr int pairs = (Length < pair_code_length ? Length : pair_code_length) / 2;
    // Cells of the last digit, counted from the south pole and the antimeridian.
    lat /= static_cast<std::uint64_t>(detail::cell_lat_steps[Length]);
    lng /= static_cast<std::uint64_t>(detail::cell_lng_steps[Length]);
    // Grid refinement digits (OLC specification, "Encoding": after 10 digits, 5 rows x 4 columns).
    if constexpr (grid > 0) {
        std::uint64_t rows[grid + 1];
        std::uint64_t cols[grid + 1];
        for (int k = 0; k <= grid; ++k) {
            rows[k] = lat / static_cast<std::uint64_t>(detail::pow5[static_cast<std::size_t>(k)]);
            cols[k] = lng >> (2 * k);
        }
        for (int k = 0; k < grid; ++k) {
            const std::uint64_t row = rows[k] - 5 * rows[k + 1];
            const std::uint64_t col = cols[k] - 4 * cols[k + 1];
            text[Length - k] = alphabet[row * 4 + col];  // digit Length - 1 - k, after the '+'
        }
        lat = rows[grid];
        lng = cols[grid];
    }
    // Pairs of base-20 digits, latitude first; both fit in 32 bits now (< 20^5).
    const auto lat32 = static_cast<std::uint32_t>(lat);
    const auto lng32 = static_cast<std::uint32_t>(lng);
    std::uint32_t lat_q[pairs + 1];
    std::uint32_t lng_q[pairs + 1];
    for (int k = 0; k < pairs; ++k) {
        const auto place = static_cast<std::uint32_t>(detail::pow20[static_cast<std::size_t>(k)]);
        lat_q[k] = lat32 / place;
        lng_q[k] = lng32 / place;
    }
    lat_q[pairs] = 0;
    lng_q[pairs] = 0;
    for (int k = 0; k < pairs; ++k) {
        const std::uint32_t index =
            (lat_q[k] - 20 * lat_q[k + 1]) * 20 + (lng_q[k] - 20 * lng_q[k + 1]);
        std::memcpy(text + text_position(2 * (pairs - 1 - k)), pair_characters[index].data(), 2);
    }
    for (int i = 2 * pairs; i < separator_position; ++i) {
        text[i] = padding;
    }
    text[separator_position] = separator;
    return Length <= separator_position ? separator_position + 1 : Length + 1;
}

}  // namespace

std::size_t encode_into(GridPoint point, int length, char* out) noexcept {
    const auto lat = static_cast<std::uint64_t>(point.lat_steps);
    const auto lng = static_cast<std::uint64_t>(point.lng_steps);
    if (length == 11) {  // the household code's length: skip the jump table
        return encode_fixed<11>(lat, lng, out);
    }
    switch (length) {
        case 2:
            return encode_fixed<2>(lat, lng, out);
        case 4:
            return encode_fixed<4>(lat, lng, out);
        case 6:
            return encode_fixed<6>(lat, lng, out);
        case 8:
            return encode_fixed<8>(lat, lng, out);
        case 10:
            return encode_fixed<10>(lat, lng, out);
        case 11:
            return encode_fixed<11>(lat, lng, out);
        case 12:
            return encode_fixed<12>(lat, lng, out);
        case 13:
            return encode_fixed<13>(lat, lng, out);
        case 14:
            return encode_fixed<14>(lat, lng, out);
        default:
            return encode_fixed<15>(lat, lng, out);  // longer lengths mean 15
    }
}

Code encode_unchecked(GridPoint point, int length) noexcept {
    Code code;
    code.set_size(encode_into(point, length, code.buffer()));
    return code;
}

namespace {

/// encode_unchecked() written straight into the returned Result (one named return, so it is
/// built where the caller keeps it: no copy that would reread the characters just written).
Result<Code> encode_result(GridPoint point, int length) noexcept {
    Result<Code> result = Code{};
    result->set_size(encode_into(point, length, result->buffer()));
    return result;
}

}  // namespace

namespace {
constexpr Error invalid_length_error{
    ErrorCode::invalid_length, 0, 0,
    "code length must be 2, 4, 6, 8, or 10 and more (more than 15 gives 15)"};
}  // namespace

Result<Code> encode(GridPoint point, int length) noexcept {
    if (!is_valid_length(length)) {
        return invalid_length_error;
    }
    if (point.lat_steps < 0 || point.lat_steps >= lat_steps_total || point.lng_steps < 0 ||
        point.lng_steps >= lng_steps_total) {
        return Error{ErrorCode::out_of_range, 0, 0, "grid point outside the grid"};
    }
    return encode_result(point, length);
}

Result<Code> encode(double lat_deg, double lng_deg, int length) noexcept {
    if (!std::isfinite(lat_deg) || !std::isfinite(lng_deg)) {
        return not_finite_error;
    }
    if (!is_valid_length(length)) {
        return invalid_length_error;
    }
    return encode_result(grid_point_of_finite(lat_deg, lng_deg), length);
}

Result<std::size_t> encode_into(double lat_deg, double lng_deg, int length, char* out) noexcept {
    if (!std::isfinite(lat_deg) || !std::isfinite(lng_deg)) {
        return not_finite_error;
    }
    if (!is_valid_length(length)) {
        return invalid_length_error;
    }
    return encode_into(grid_point_of_finite(lat_deg, lng_deg), length, out);
}

// --- validity (OLC specification, "Validity") -----------------------------------------------

namespace {

/// One pass over a code: the first rule it breaks (in a fixed order, so messages are stable)
/// and its digits.
struct Scan {
    Error error;
    detail::CodeDigits digits;
    std::size_t separator = 0;
    bool padded = false;
};

Scan scan(std::string_view code) noexcept {
    Scan s;
    const std::size_t n = code.size();
    if (n == 0) {
        s.error = Error{ErrorCode::empty_input, 0, 0, "a code needs digits and a '+'"};
        return s;
    }
    constexpr std::size_t none = std::string_view::npos;
    std::size_t sep = none;
    std::size_t second_sep = none;
    std::size_t pad = none;
    std::size_t after_pad = none;  // the first character after the first '0' that is not '0'
    for (std::size_t i = 0; i < n; ++i) {
        const char c = code[i];
        const int v = olc_digit_value(c);
        if (v >= 0) {
            if (s.digits.count < max_length) {
                s.digits.values[static_cast<std::size_t>(s.digits.count++)] =
                    static_cast<std::int8_t>(v);
            }
        } else if (c == separator) {
            if (sep == none) {
                sep = i;
            } else if (second_sep == none) {
                second_sep = i;
            }
        } else if (c == padding) {
            pad = pad == none ? i : pad;
            continue;
        } else {
            // A stray character comes first: it would also shift the '+' and be misreported.
            s.error = detail::character_error(ErrorCode::invalid_character, code, i, expect_digit);
            return s;
        }
        if (pad != none && after_pad == none) {
            after_pad = i;
        }
    }
    s.separator = sep;
    s.padded = pad != none;
    if (sep == none) {
        s.error = Error{ErrorCode::misplaced_separator, 0, 0, "a code needs a '+'"};
    } else if (second_sep != none) {
        s.error = detail::character_error(ErrorCode::misplaced_separator, code, second_sep,
                                          "a code has exactly one '+'");
    } else if (n == 1) {
        s.error = Error{ErrorCode::invalid_length, 0, 0, "a code needs digits besides the '+'"};
    } else if (sep > separator_position || sep % 2 == 1) {
        s.error = detail::character_error(ErrorCode::misplaced_separator, code, sep,
                                          "'+' must follow an even number of digits, at most 8");
    } else if (pad != none && sep < separator_position) {
        s.error = detail::character_error(ErrorCode::misplaced_padding, code, pad,
                                          "short codes cannot have '0' padding");
    } else if (pad != none && (pad == 0 || pad % 2 == 1)) {
        s.error = detail::character_error(ErrorCode::misplaced_padding, code, pad,
                                          "'0' padding must start at an even position after "
                                          "the first pair");
    } else if (pad != none && n > sep + 1) {
        s.error = detail::character_error(ErrorCode::misplaced_padding, code, sep + 1,
                                          "a padded code must end with '+'");
    } else if (pad != none && after_pad < sep) {
        s.error = detail::character_error(ErrorCode::misplaced_padding, code, after_pad,
                                          "padding runs unbroken up to the '+'");
    } else if (n - sep - 1 == 1) {
        s.error = Error{ErrorCode::invalid_length, 0, 0, "a single digit after '+' is not allowed"};
    }
    return s;
}

/// Whether a valid full code's first two digits lie on Earth (latitude < 90, longitude < 180).
bool on_earth(const detail::CodeDigits& digits) noexcept {
    return digits.values[0] < 9 && digits.values[1] < 18;
}

}  // namespace

Error validate(std::string_view code) noexcept { return scan(code).error; }

bool is_valid(std::string_view code) noexcept {
    // Fast path for the common shape (8 digits, '+', 0 or 2..7 digits, no padding), which is what
    // scan() would accept, without collecting digits.
    const std::size_t n = code.size();
    if (n >= 9 && n != 10 && n <= 16 && code[separator_position] == separator) {
        bool ok = true;
        for (std::size_t i = 0; i < n; ++i) {
            ok &= (i == separator_position) || olc_digit_value(code[i]) >= 0;
        }
        if (ok) {
            return true;
        }
    }
    return scan(code).error.code == ErrorCode::ok;
}

bool is_short(std::string_view code) noexcept {
    const Scan s = scan(code);
    return s.error.code == ErrorCode::ok && s.separator < separator_position;
}

bool is_full(std::string_view code) noexcept {
    const Scan s = scan(code);
    return s.error.code == ErrorCode::ok && s.separator == separator_position && on_earth(s.digits);
}

// --- decoding -------------------------------------------------------------------------------

}  // namespace diachi::olc

namespace diachi::detail {

olc::CodeArea area_of(const CodeDigits& digits) noexcept {
    const int n = digits.count;
    const int pair_digits = n < olc::pair_code_length ? n : olc::pair_code_length;
    std::int64_t lat = 0;
    std::int64_t lng = 0;
    for (int i = 0; i < pair_digits; i += 2) {
        lat = lat * 20 + digits.values[static_cast<std::size_t>(i)];
        lng = lng * 20 + digits.values[static_cast<std::size_t>(i + 1)];
    }
    for (int i = olc::pair_code_length; i < n; ++i) {
        const int v = digits.values[static_cast<std::size_t>(i)];
        lat = lat * 5 + v / 4;
        lng = lng * 4 + v % 4;
    }
    const std::int64_t h = cell_lat_steps[static_cast<std::size_t>(n)];
    const std::int64_t w = cell_lng_steps[static_cast<std::size_t>(n)];
    return {{lat * h, lng * w}, h, w, n};
}

}  // namespace diachi::detail

namespace diachi::olc {

Result<CodeArea> decode(std::string_view code) noexcept {
    // Fast path for the common shape: 8 digits, '+', 2..7 digits, no padding. An invalid
    // character has the value -1, which the OR of all values carries to the end.
    const std::size_t n = code.size();
    if (n >= separator_position + 3 && n <= max_length + 1 &&
        code[separator_position] == separator) {
        const auto d = [code](std::size_t i) {
            return static_cast<int>(detail::olc_digit_values[static_cast<unsigned char>(code[i])]);
        };
        const int a0 = d(0), a1 = d(1), a2 = d(2), a3 = d(3), a4 = d(4), a5 = d(5), a6 = d(6),
                  a7 = d(7), a8 = d(9), a9 = d(10);
        int any_bad = a0 | a1 | a2 | a3 | a4 | a5 | a6 | a7 | a8 | a9;
        std::int64_t lat = a0 * 160000 + a2 * 8000 + a4 * 400 + a6 * 20 + a8;
        std::int64_t lng = a1 * 160000 + a3 * 8000 + a5 * 400 + a7 * 20 + a9;
        for (std::size_t i = separator_position + 3; i < n; ++i) {
            const int g = d(i);
            any_bad |= g;
            lat = lat * 5 + (g >> 2);
            lng = lng * 4 + (g & 3);
        }
        if (any_bad >= 0 && a0 < 9 && a1 < 18) {  // every character valid; on Earth
            const std::size_t digits = n - 1;
            const std::int64_t h = cell_lat_steps[digits];
            const std::int64_t w = cell_lng_steps[digits];
            return CodeArea{{lat * h, lng * w}, h, w, static_cast<int>(digits)};
        }
    }
    const Scan s = scan(code);
    if (s.error.code != ErrorCode::ok) {
        return s.error;
    }
    if (s.separator < separator_position) {
        return Error{ErrorCode::not_full_code, 0, 0,
                     "a short code needs a reference point: use recover_nearest()"};
    }
    if (!on_earth(s.digits)) {
        return Error{ErrorCode::not_full_code, 0, 0,
                     "the first two digits lie beyond latitude 90 or longitude 180"};
    }
    return detail::area_of(s.digits);
}

// --- short codes (OLC specification, "Short codes") -----------------------------------------

namespace {

/// Upper-cased code from digits, with '+' and the padding its length needs.
Result<Code> code_of_digits(const detail::CodeDigits& digits, int first) noexcept {
    Result<Code> result = Code{};
    char* text = result->buffer();
    std::size_t n = 0;
    for (int i = first; i < digits.count; ++i) {
        if (i == separator_position) {
            text[n++] = separator;
        }
        text[n++] = alphabet[static_cast<std::size_t>(digits.values[static_cast<std::size_t>(i)])];
    }
    for (int i = digits.count; i < separator_position; ++i) {
        text[n++] = padding;
    }
    if (digits.count <= separator_position) {
        text[n++] = separator;
    }
    result->set_size(n);
    return result;
}

}  // namespace

Result<Code> shorten(std::string_view code, GridPoint reference) noexcept {
    const Scan s = scan(code);
    if (s.error.code != ErrorCode::ok) {
        return s.error;
    }
    if (s.separator < separator_position || !on_earth(s.digits)) {
        return Error{ErrorCode::not_full_code, 0, 0, "only full codes can be shortened"};
    }
    if (s.padded) {
        return Error{ErrorCode::padded_code, 0, 0, "padded codes cannot be shortened"};
    }
    const CodeArea area = detail::area_of(s.digits);
    // Distances in half steps, so that the centre of a 1-step cell stays whole.
    const std::int64_t dlat =
        std::llabs(2 * area.south_west.lat_steps + area.lat_steps - 2 * reference.lat_steps);
    const std::int64_t dlng =
        std::llabs(2 * area.south_west.lng_steps + area.lng_steps - 2 * reference.lng_steps);
    // Remove 8, 6, then 4 digits if the reference lies within 0.3 of the cell that remains; in
    // half steps, 0.6 of the cell size, which is a whole number for every size here.
    for (int removed = 8; removed >= 4; removed -= 2) {
        const std::int64_t lat_limit = cell_lat_steps[static_cast<std::size_t>(removed)] * 6 / 10;
        const std::int64_t lng_limit = cell_lng_steps[static_cast<std::size_t>(removed)] * 6 / 10;
        if (s.digits.count > removed && dlat < lat_limit && dlng < lng_limit) {
            return code_of_digits(s.digits, removed);
        }
    }
    return code_of_digits(s.digits, 0);
}

Result<Code> shorten(std::string_view code, double ref_lat_deg, double ref_lng_deg) noexcept {
    if (!std::isfinite(ref_lat_deg) || !std::isfinite(ref_lng_deg)) {
        return not_finite_error;
    }
    return shorten(code, grid_point_of_finite(ref_lat_deg, ref_lng_deg));
}

Result<Code> recover_nearest(std::string_view short_code, GridPoint reference) noexcept {
    const Scan s = scan(short_code);
    if (s.error.code != ErrorCode::ok) {
        return s.error;
    }
    if (s.separator == separator_position) {
        if (!on_earth(s.digits)) {
            return Error{ErrorCode::not_full_code, 0, 0,
                         "the first two digits lie beyond latitude 90 or longitude 180"};
        }
        return code_of_digits(s.digits, 0);
    }
    // The digits the short code lacks name the cell of that size around the reference; the
    // short code's digits, behind as many zero digits, place the candidate inside it.
    const int missing = separator_position - static_cast<int>(s.separator);
    detail::CodeDigits digits;
    digits.count = missing;
    for (int i = 0; i < s.digits.count && digits.count < max_length; ++i) {
        digits.values[static_cast<std::size_t>(digits.count++)] =
            s.digits.values[static_cast<std::size_t>(i)];
    }
    const CodeArea offset = detail::area_of(digits);
    const std::int64_t lat_res = cell_lat_steps[static_cast<std::size_t>(missing)];
    const std::int64_t lng_res = cell_lng_steps[static_cast<std::size_t>(missing)];
    const std::int64_t lat0 = reference.lat_steps - reference.lat_steps % lat_res;
    const std::int64_t lng0 = reference.lng_steps - reference.lng_steps % lng_res;
    // Then the candidate moves by one cell if that brings it nearer the reference (it is more
    // than half a cell away), staying between the poles. Centres in half steps.
    std::int64_t lat2 = 2 * (lat0 + offset.south_west.lat_steps) + offset.lat_steps;
    std::int64_t lng2 = 2 * (lng0 + offset.south_west.lng_steps) + offset.lng_steps;
    const std::int64_t ref_lat2 = 2 * reference.lat_steps;
    const std::int64_t ref_lng2 = 2 * reference.lng_steps;
    if (ref_lat2 + lat_res < lat2 && lat2 - 2 * lat_res > 0) {
        lat2 -= 2 * lat_res;
    } else if (ref_lat2 - lat_res > lat2 && lat2 + 2 * lat_res < 2 * lat_steps_total) {
        lat2 += 2 * lat_res;
    }
    if (ref_lng2 + lng_res < lng2) {
        lng2 -= 2 * lng_res;
    } else if (ref_lng2 - lng_res > lng2) {
        lng2 += 2 * lng_res;
    }
    const GridPoint center =
        detail::normalize(detail::floor_div(lat2, 2), detail::floor_div(lng2, 2));
    return encode_result(center, digits.count);
}

Result<Code> recover_nearest(std::string_view short_code, double ref_lat_deg,
                             double ref_lng_deg) noexcept {
    if (!std::isfinite(ref_lat_deg) || !std::isfinite(ref_lng_deg)) {
        return not_finite_error;
    }
    return recover_nearest(short_code, grid_point_of_finite(ref_lat_deg, ref_lng_deg));
}

}  // namespace diachi::olc
