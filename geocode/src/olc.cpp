// Open Location Code in integers. Section names refer to the OLC specification
// (open-location-code, docs/specification.md).

#include <diachi/olc.hpp>

#include <charconv>
#include <cmath>
#include <cstdlib>

#include "olc_internal.hpp"

namespace diachi::olc {
namespace {

using detail::cell_lat_steps;
using detail::cell_lng_steps;
using detail::olc_digit_value;

constexpr std::string_view expect_digit = "expected a digit of 23456789CFGHJMPQRVWX, '0' or '+'";

/// Where the i-th digit (0-based) stands in a code with its '+' separator.
constexpr int text_position(int digit_index) noexcept {
    return digit_index < separator_position ? digit_index : digit_index + 1;
}

// --- decimal text -----------------------------------------------------------------------------

/// A decimal number split for exact scaling: value = sign * (integer + fraction).
struct DecimalParts {
    bool negative = false;
    std::int64_t integer_saturated = 0;  ///< integer part, saturated at 10^9
    std::int64_t integer_mod_360 = 0;    ///< integer part modulo 360, exact
    std::string_view fraction;           ///< the digits after '.'
};

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
    const std::int64_t magnitude = integer * scale + scale_fraction(parts.fraction, scale, &inexact);
    return parts.negative ? -magnitude - (inexact ? 1 : 0) : magnitude;
}

// --- encoding ---------------------------------------------------------------------------------

constexpr std::string_view upper_alphabet = alphabet;

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
    const double nearest = std::nearbyint(x);
    if (std::fabs(x - nearest) > 1e-4) {
        return static_cast<std::int64_t>(std::floor(x));
    }
    const auto n = static_cast<std::int64_t>(nearest);
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
        return static_cast<std::int64_t>(std::floor(x));
    }
    const auto parts = split_decimal(std::string_view(text, static_cast<std::size_t>(end - text)), {});
    return scaled_floor(*parts, parts->integer_saturated, steps_per_degree);
}

}  // namespace

Result<GridPoint> grid_point(double lat_deg, double lng_deg) noexcept {
    if (!std::isfinite(lat_deg) || !std::isfinite(lng_deg)) {
        return Error{ErrorCode::not_finite, 0, 0, "latitude and longitude must be finite numbers"};
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
    return detail::normalize(floor_steps(lat_deg, lat_steps_per_degree) + 90 * lat_steps_per_degree,
                             floor_steps(lng_deg, lng_steps_per_degree) +
                                 180 * lng_steps_per_degree);
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

Code encode_unchecked(GridPoint point, int length) noexcept {
    if (length > max_length) {
        length = max_length;
    }
    char text[max_length + 1];
    std::int64_t lat = point.lat_steps;
    std::int64_t lng = point.lng_steps;
    // Grid refinement digits (OLC specification, "Encoding": after 10 digits, a 4 x 5 grid).
    if (length > pair_code_length) {
        const int grid = length - pair_code_length;
        lat /= detail::pow5[5 - grid];
        lng /= detail::pow4[5 - grid];
        for (int i = length - 1; i >= pair_code_length; --i) {
            text[i + 1] = upper_alphabet[static_cast<std::size_t>((lat % 5) * 4 + (lng % 4))];
            lat /= 5;
            lng /= 4;
        }
    } else {
        lat /= detail::pow5[5];
        lng /= detail::pow4[5];
    }
    // Pairs of base-20 digits, latitude first.
    const int pair_digits = length < pair_code_length ? length : pair_code_length;
    lat /= detail::pow20[(pair_code_length - pair_digits) / 2];
    lng /= detail::pow20[(pair_code_length - pair_digits) / 2];
    for (int i = pair_digits - 2; i >= 0; i -= 2) {
        text[text_position(i)] = upper_alphabet[static_cast<std::size_t>(lat % 20)];
        text[text_position(i + 1)] = upper_alphabet[static_cast<std::size_t>(lng % 20)];
        lat /= 20;
        lng /= 20;
    }
    for (int i = pair_digits; i < separator_position; ++i) {
        text[i] = padding;
    }
    text[separator_position] = separator;
    const int size = length <= separator_position ? separator_position + 1 : length + 1;
    return Code(std::string_view(text, static_cast<std::size_t>(size)));
}

Result<Code> encode(GridPoint point, int length) noexcept {
    if (!is_valid_length(length)) {
        return Error{ErrorCode::invalid_length, 0, 0,
                     "code length must be 2, 4, 6, 8, or 10 and more (more than 15 gives 15)"};
    }
    if (point.lat_steps < 0 || point.lat_steps >= lat_steps_total || point.lng_steps < 0 ||
        point.lng_steps >= lng_steps_total) {
        return Error{ErrorCode::out_of_range, 0, 0, "grid point outside the grid"};
    }
    return encode_unchecked(point, length);
}

Result<Code> encode(double lat_deg, double lng_deg, int length) noexcept {
    const auto point = grid_point(lat_deg, lng_deg);
    if (!point) {
        return point.error();
    }
    return encode(*point, length);
}

// --- validity (OLC specification, "Validity") -----------------------------------------------

Error validate(std::string_view code) noexcept {
    if (code.empty()) {
        return Error{ErrorCode::empty_input, 0, 0, "a code needs digits and a '+'"};
    }
    // Characters first: a stray character also shifts the '+' and would be misreported.
    for (std::size_t i = 0; i < code.size(); ++i) {
        const char c = code[i];
        if (c != separator && c != padding && olc_digit_value(c) < 0) {
            return detail::character_error(ErrorCode::invalid_character, code, i, expect_digit);
        }
    }
    const std::size_t sep = code.find(separator);
    if (sep == std::string_view::npos) {
        return Error{ErrorCode::misplaced_separator, 0, 0, "a code needs a '+'"};
    }
    const std::size_t second = code.find(separator, sep + 1);
    if (second != std::string_view::npos) {
        return detail::character_error(ErrorCode::misplaced_separator, code, second,
                                       "a code has exactly one '+'");
    }
    if (code.size() == 1) {
        return Error{ErrorCode::invalid_length, 0, 0, "a code needs digits besides the '+'"};
    }
    if (sep > separator_position || sep % 2 == 1) {
        return detail::character_error(ErrorCode::misplaced_separator, code, sep,
                                       "'+' must follow an even number of digits, at most 8");
    }
    const std::size_t pad = code.find(padding);
    if (pad != std::string_view::npos) {
        if (sep < separator_position) {
            return detail::character_error(ErrorCode::misplaced_padding, code, pad,
                                           "short codes cannot have '0' padding");
        }
        if (pad == 0 || pad % 2 == 1) {
            return detail::character_error(ErrorCode::misplaced_padding, code, pad,
                                           "'0' padding must start at an even position after "
                                           "the first pair");
        }
        if (code.size() > sep + 1) {
            return detail::character_error(ErrorCode::misplaced_padding, code, sep + 1,
                                           "a padded code must end with '+'");
        }
        for (std::size_t i = pad; i < sep; ++i) {
            if (code[i] != padding) {
                return detail::character_error(ErrorCode::misplaced_padding, code, i,
                                               "padding runs unbroken up to the '+'");
            }
        }
    }
    if (code.size() - sep - 1 == 1) {
        return Error{ErrorCode::invalid_length, 0, 0, "a single digit after '+' is not allowed"};
    }
    return Error{};
}

bool is_valid(std::string_view code) noexcept {
    // Fast path for the common shape (8 digits, '+', 0 or 2..7 digits, no padding), which is what
    // validate() would check, without building an Error.
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
    return validate(code).code == ErrorCode::ok;
}

namespace {

/// Whether a valid code is short ('+' before position 8).
bool valid_is_short(std::string_view code) noexcept {
    return code.find(separator) < separator_position;
}

/// Whether a valid, not short code lies on Earth (first latitude digit < 9, longitude < 18).
bool valid_on_earth(std::string_view code) noexcept {
    if (olc_digit_value(code[0]) * 20 >= 180) {
        return false;
    }
    return code.size() < 2 || code[1] == separator || olc_digit_value(code[1]) * 20 < 360;
}

}  // namespace

bool is_short(std::string_view code) noexcept { return is_valid(code) && valid_is_short(code); }

bool is_full(std::string_view code) noexcept {
    return is_valid(code) && !valid_is_short(code) && valid_on_earth(code);
}

// --- decoding -------------------------------------------------------------------------------

}  // namespace diachi::olc

namespace diachi::detail {

CodeDigits code_digits(std::string_view code) noexcept {
    CodeDigits digits;
    for (const char c : code) {
        const int v = olc_digit_value(c);
        if (v >= 0 && digits.count < olc::max_length) {
            digits.values[static_cast<std::size_t>(digits.count++)] = static_cast<std::int8_t>(v);
        }
    }
    return digits;
}

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
    const Error error = validate(code);
    if (error.code != ErrorCode::ok) {
        return error;
    }
    if (valid_is_short(code)) {
        return Error{ErrorCode::not_full_code, 0, 0,
                     "a short code needs a reference point: use recover_nearest()"};
    }
    if (!valid_on_earth(code)) {
        return Error{ErrorCode::not_full_code, 0, 0,
                     "the first two digits lie beyond latitude 90 or longitude 180"};
    }
    return detail::area_of(detail::code_digits(code));
}

// --- short codes (OLC specification, "Short codes") -----------------------------------------

namespace {

/// Upper-cased code from digits, with '+' and the padding its length needs.
Code code_of_digits(const detail::CodeDigits& digits, int first) noexcept {
    Code code;
    for (int i = first; i < digits.count; ++i) {
        if (i == separator_position) {
            code.push_back(separator);
        }
        code.push_back(alphabet[static_cast<std::size_t>(digits.values[static_cast<std::size_t>(i)])]);
    }
    for (int i = digits.count; i < separator_position; ++i) {
        code.push_back(padding);
    }
    if (digits.count <= separator_position) {
        code.push_back(separator);
    }
    return code;
}

}  // namespace

Result<Code> shorten(std::string_view code, GridPoint reference) noexcept {
    const Error error = validate(code);
    if (error.code != ErrorCode::ok) {
        return error;
    }
    if (valid_is_short(code) || !valid_on_earth(code)) {
        return Error{ErrorCode::not_full_code, 0, 0, "only full codes can be shortened"};
    }
    if (code.find(padding) != std::string_view::npos) {
        return Error{ErrorCode::padded_code, 0, 0, "padded codes cannot be shortened"};
    }
    const detail::CodeDigits digits = detail::code_digits(code);
    const CodeArea area = detail::area_of(digits);
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
        if (digits.count > removed && dlat < lat_limit && dlng < lng_limit) {
            return code_of_digits(digits, removed);
        }
    }
    return code_of_digits(digits, 0);
}

Result<Code> shorten(std::string_view code, double ref_lat_deg, double ref_lng_deg) noexcept {
    const auto reference = grid_point(ref_lat_deg, ref_lng_deg);
    if (!reference) {
        return reference.error();
    }
    return shorten(code, *reference);
}

Result<Code> recover_nearest(std::string_view short_code, GridPoint reference) noexcept {
    const Error error = validate(short_code);
    if (error.code != ErrorCode::ok) {
        return error;
    }
    if (!valid_is_short(short_code)) {
        if (!valid_on_earth(short_code)) {
            return Error{ErrorCode::not_full_code, 0, 0,
                         "the first two digits lie beyond latitude 90 or longitude 180"};
        }
        return code_of_digits(detail::code_digits(short_code), 0);
    }
    // The digits the short code lacks come from the reference's own code...
    const int missing = separator_position - static_cast<int>(short_code.find(separator));
    const Code ref_code = encode_unchecked(reference, pair_code_length);
    detail::CodeDigits digits = detail::code_digits(ref_code.view().substr(0, missing));
    const detail::CodeDigits tail = detail::code_digits(short_code);
    for (int i = 0; i < tail.count && digits.count < max_length; ++i) {
        digits.values[static_cast<std::size_t>(digits.count++)] =
            tail.values[static_cast<std::size_t>(i)];
    }
    const CodeArea area = detail::area_of(digits);
    // ...then the candidate moves by one cell of the recovered digits if that brings it nearer
    // the reference (more than half a cell away), staying between the poles.
    const std::int64_t lat_res = cell_lat_steps[static_cast<std::size_t>(missing)];
    const std::int64_t lng_res = cell_lng_steps[static_cast<std::size_t>(missing)];
    std::int64_t lat2 = 2 * area.south_west.lat_steps + area.lat_steps;  // centre, half steps
    std::int64_t lng2 = 2 * area.south_west.lng_steps + area.lng_steps;
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
    const GridPoint center = detail::normalize(detail::floor_div(lat2, 2), detail::floor_div(lng2, 2));
    return encode_unchecked(center, digits.count);
}

Result<Code> recover_nearest(std::string_view short_code, double ref_lat_deg,
                             double ref_lng_deg) noexcept {
    const auto reference = grid_point(ref_lat_deg, ref_lng_deg);
    if (!reference) {
        return reference.error();
    }
    return recover_nearest(short_code, *reference);
}

}  // namespace diachi::olc
