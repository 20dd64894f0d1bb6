#include <diachi/household_code.hpp>

#include <diachi/lat_lng.hpp>

#include <algorithm>
#include <array>
#include <cmath>

#include "olc_internal.hpp"

namespace diachi {
namespace {

constexpr std::int64_t cell_lat_steps = olc::lat_steps_per_degree / HouseholdCode::rows;  // 625
constexpr std::int64_t cell_lng_steps = olc::lng_steps_per_degree / HouseholdCode::cols;  // 256
static_assert(cell_lat_steps * HouseholdCode::rows == olc::lat_steps_per_degree);
static_assert(cell_lng_steps * HouseholdCode::cols == olc::lng_steps_per_degree);
static_assert(cell_lat_steps == detail::cell_lat_steps[HouseholdCode::olc_length]);
static_assert(cell_lng_steps == detail::cell_lng_steps[HouseholdCode::olc_length]);

// --- the check character ----------------------------------------------------------------------
//
// A weighted sum modulo the prime 23 over one value space for every character: digits 0..9,
// then the 12 OLC letters (10..21). Position i (postcode and grid characters 0..11, the check
// character 12, unit digits 13..16) weighs 2^i mod 23. The check symbol is a letter whose value
// makes the sum 0; the 12 OLC letters keep their own values, so a check letter swapped with the
// last grid character is weighed like any other transposition. Because 23 is prime, weights are
// nonzero and values differ by less than 23, a substitution changes the sum by w_i (a - b) != 0;
// because w_i+1 = 2 w_i != w_i, a transposition changes it by (a - b)(w_i - w_i+1) != 0. Check
// symbols are letters only, so a check character can never be read as a unit digit.

constexpr int check_modulus = 23;
constexpr int check_position = 12;
constexpr int max_weighted = 17;

constexpr std::array<int, max_weighted> check_weights = [] {
    std::array<int, max_weighted> w{};
    int x = 1;
    for (auto& weight : w) {
        weight = x;
        x = (x * 2) % check_modulus;
    }
    return w;
}();

constexpr int inverse_mod(int a) {
    for (int x = 1; x < check_modulus; ++x) {
        if ((a * x) % check_modulus == 1) {
            return x;
        }
    }
    return 0;
}
constexpr int check_weight_inverse = inverse_mod(check_weights[check_position]);
static_assert(HouseholdCode::check_alphabet.size() == check_modulus);
static_assert(check_weight_inverse != 0);

/// Value of a check symbol (either case), or -1.
constexpr std::array<std::int8_t, 256> check_values =
    detail::symbol_values(HouseholdCode::check_alphabet);

int check_value(char c) noexcept { return check_values[static_cast<unsigned char>(c)]; }

/// Value of a canonical code character in the check's value space: digits 0..9, OLC letters
/// 10..21 (OLC digits 2..9 are the decimal digits 2..9).
int code_value(char c) noexcept {
    return c >= '0' && c <= '9' ? c - '0' : detail::olc_digit_value(c) + 2;
}
static_assert(HouseholdCode::check_alphabet.substr(10, 12) == olc::alphabet.substr(8));

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

bool is_ignored(char c) noexcept { return c == ' ' || c == '\t' || c == '-' || c == '+'; }

/// Writes the 5 digits of @p postcode into @p out.
void write_postcode(std::uint32_t postcode, char* out) noexcept {
    for (int i = 4; i >= 0; --i) {
        out[i] = static_cast<char>('0' + postcode % 10);
        postcode /= 10;
    }
}

/// Writes the 12 canonical characters into @p out.
void write_canonical12(std::uint32_t postcode, std::int32_t row, std::int32_t col,
                       char* out) noexcept {
    write_postcode(postcode, out);
    const int lat_grid = row % 5;
    const int lng_grid = col % 4;
    int lat = row / 5;
    int lng = col / 4;
    const auto digit = [](int v) { return olc::alphabet[static_cast<std::size_t>(v)]; };
    out[11] = digit(lat_grid * 4 + lng_grid);
    out[9] = digit(lat % 20);
    out[10] = digit(lng % 20);
    lat /= 20;
    lng /= 20;
    out[7] = digit(lat % 20);
    out[8] = digit(lng % 20);
    out[5] = digit(lat / 20);
    out[6] = digit(lng / 20);
}

/// Writes the decimal digits of 2 <= unit <= 9999, returns how many.
std::size_t write_unit(std::uint16_t unit, char* out) noexcept {
    char reversed[5];
    std::size_t n = 0;
    for (unsigned u = unit; u != 0; u /= 10) {
        reversed[n++] = static_cast<char>('0' + u % 10);
    }
    for (std::size_t i = 0; i < n; ++i) {
        out[i] = reversed[n - 1 - i];
    }
    return n;
}

/// The check value for the 12 characters' values (code_value()) and the unit's digits.
int check_of_values(const int* values, std::string_view unit_digits) noexcept {
    int sum = 0;
    for (int i = 0; i < check_position; ++i) {
        sum += check_weights[static_cast<std::size_t>(i)] * values[i];
    }
    for (std::size_t j = 0; j < unit_digits.size(); ++j) {
        sum += check_weights[check_position + 1 + j] * (unit_digits[j] - '0');
    }
    return ((check_modulus - sum % check_modulus) * check_weight_inverse) % check_modulus;
}

/// The check value for 12 canonical characters and the unit's digits.
int compute_check(const char* canonical12, std::string_view unit_digits) noexcept {
    int values[check_position];
    for (int i = 0; i < check_position; ++i) {
        values[i] = code_value(canonical12[i]);
    }
    return check_of_values(values, unit_digits);
}

constexpr std::string_view expect_postcode = "expected a digit of the 5-digit postcode";
constexpr std::string_view expect_grid = "expected a grid character of 23456789CFGHJMPQRVWX";
constexpr std::string_view expect_tail =
    "expected a check letter or '/' and a unit after the 12 characters";
constexpr std::string_view expect_unit = "expected a digit of the unit";

}  // namespace

namespace {

constexpr std::size_t no_offset = std::string_view::npos;

/// The 12 characters of a code written in one of the two fixed layouts, "PPPPPGGGGGGG" or
/// "PPPPP GGGG+GGG", upper-cased into @p out; @p tail is set to the offset after them. False
/// when the text is in neither layout or holds a wrong character (read_general() then says
/// which).
/// read_fixed() for one layout, its positions known at compile time.
template <bool Display>
bool read_layout(std::string_view text, int* out) noexcept {
    constexpr auto at = [](std::size_t i) -> std::size_t {
        return Display ? i + (i >= 5 ? 1 : 0) + (i >= 9 ? 1 : 0) : i;
    };
    unsigned bad = 0;
    for (std::size_t i = 0; i < HouseholdCode::postcode_length; ++i) {
        const unsigned d = static_cast<unsigned>(static_cast<unsigned char>(text[at(i)]) - '0');
        bad |= d >= 10 ? 1U : 0U;
        out[i] = static_cast<int>(d);
    }
    for (std::size_t i = HouseholdCode::postcode_length; i < HouseholdCode::canonical_length; ++i) {
        const int v = detail::olc_digit_value(text[at(i)]);
        bad |= v < 0 ? 1U : 0U;
        out[i] = v + 2;
    }
    return bad == 0;
}

bool read_fixed(std::string_view text, int* out, std::size_t* tail) noexcept {
    if (text.size() >= 14 && text[5] == ' ' && text[10] == '+') {
        *tail = 14;
        return read_layout<true>(text, out);
    }
    if (text.size() >= HouseholdCode::canonical_length) {
        *tail = HouseholdCode::canonical_length;
        return read_layout<false>(text, out);
    }
    return false;
}

/// The 12 characters of a code written any other way (any case; spaces, tabs, '-' and '+'
/// anywhere), upper-cased into @p out, @p tail set after them; or the first wrong character.
Error read_general(std::string_view text, int* out, std::size_t* tail) noexcept {
    std::size_t count = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (is_ignored(c)) {
            continue;
        }
        if (count < HouseholdCode::postcode_length) {
            if (!is_digit(c)) {
                return detail::character_error(ErrorCode::invalid_character, text, i,
                                               expect_postcode);
            }
            out[count++] = c - '0';
        } else {
            const int v = detail::olc_digit_value(c);
            if (v < 0) {
                return detail::character_error(ErrorCode::invalid_character, text, i, expect_grid);
            }
            out[count++] = v + 2;
        }
        if (count == HouseholdCode::canonical_length) {
            *tail = i + 1;
            return Error{};
        }
    }
    if (count == 0) {
        return Error{ErrorCode::empty_input, 0, 0, "a household code has 12 characters"};
    }
    return Error{ErrorCode::invalid_length, 0, 0,
                 "a household code has 12 characters: a 5-digit postcode and 7 grid characters"};
}

}  // namespace

Result<HouseholdCode> HouseholdCode::parse(std::string_view text) noexcept {
    int values[canonical_length];  // in the check's value space (see code_value())
    std::size_t tail = 0;
    if (!read_fixed(text, values, &tail)) {
        const Error error = read_general(text, values, &tail);
        if (error.code != ErrorCode::ok) {
            return error;
        }
    }
    // What may follow: one check letter, then '/' and the unit. The checked display form's
    // "-K" at the end is read without the loop.
    std::size_t check_offset = no_offset;
    std::size_t slash_offset = no_offset;
    char unit_digits[4];
    std::size_t unit_count = 0;
    if (text.size() == tail + 2 && text[tail] == '-' && check_value(text[tail + 1]) >= 0) {
        check_offset = tail + 1;
        tail = text.size();
    }
    for (std::size_t i = tail; i < text.size(); ++i) {
        const char c = text[i];
        if (is_ignored(c)) {
            continue;
        }
        if (slash_offset != no_offset) {
            if (!is_digit(c)) {
                return detail::character_error(ErrorCode::invalid_character, text, i, expect_unit);
            }
            if (unit_count == 0 && c == '0') {
                return detail::character_error(ErrorCode::bad_unit, text, i,
                                               "a unit has no leading zero");
            }
            if (unit_count == 4) {
                return detail::character_error(ErrorCode::bad_unit, text, i,
                                               "a unit is at most 9999");
            }
            unit_digits[unit_count++] = c;
        } else if (c == '/') {
            slash_offset = i;
        } else if (check_offset == no_offset && check_value(c) >= 0) {
            check_offset = i;
        } else {
            return detail::character_error(ErrorCode::invalid_character, text, i, expect_tail);
        }
    }
    if (slash_offset != no_offset && unit_count == 0) {
        return detail::character_error(ErrorCode::bad_unit, text, slash_offset,
                                       "'/' must be followed by the unit number");
    }

    Result<HouseholdCode> result = HouseholdCode{};
    HouseholdCode& code = *result;
    code.m_postcode = static_cast<std::uint32_t>(
        (((values[0] * 10 + values[1]) * 10 + values[2]) * 10 + values[3]) * 10 + values[4]);
    int v[grid_length];  // OLC digit values
    for (std::size_t i = 0; i < grid_length; ++i) {
        v[i] = values[postcode_length + i] - 2;
    }
    code.m_row = ((v[0] * 20 + v[2]) * 20 + v[4]) * 5 + v[6] / 4;
    code.m_col = ((v[1] * 20 + v[3]) * 20 + v[5]) * 4 + v[6] % 4;
    unsigned unit = 0;
    for (std::size_t i = 0; i < unit_count; ++i) {
        unit = unit * 10 + static_cast<unsigned>(unit_digits[i] - '0');
    }
    code.m_unit = static_cast<std::uint16_t>(unit == 0 ? 1 : unit);

    if (check_offset != no_offset) {
        // Unit 1 is written without a suffix, so "/1" checks like no suffix at all.
        const std::string_view digits =
            code.m_unit == 1 ? std::string_view{} : std::string_view(unit_digits, unit_count);
        if (check_of_values(values, digits) != check_value(text[check_offset])) {
            return detail::character_error(ErrorCode::bad_check_character, text, check_offset,
                                           "the code or its check character is mistyped");
        }
    }
    return result;
}

Result<HouseholdCode> HouseholdCode::from_grid(std::uint32_t postcode, olc::GridPoint point,
                                               std::uint16_t unit) noexcept {
    if (postcode > max_postcode) {
        return Error{ErrorCode::out_of_range, 0, 0, "a postcode has 5 digits"};
    }
    if (unit == 0 || unit > max_unit) {
        return Error{ErrorCode::bad_unit, 0, 0, "a unit is 1..9999"};
    }
    if (point.lat_steps < 0 || point.lat_steps >= olc::lat_steps_total || point.lng_steps < 0 ||
        point.lng_steps >= olc::lng_steps_total) {
        return Error{ErrorCode::out_of_range, 0, 0, "grid point outside the grid"};
    }
    HouseholdCode code;
    code.m_postcode = postcode;
    code.m_row =
        static_cast<std::int32_t>((point.lat_steps % olc::lat_steps_per_degree) / cell_lat_steps);
    code.m_col =
        static_cast<std::int32_t>((point.lng_steps % olc::lng_steps_per_degree) / cell_lng_steps);
    code.m_unit = unit;
    return code;
}

Result<HouseholdCode> HouseholdCode::from_degrees(std::uint32_t postcode, double lat_deg,
                                                  double lng_deg, std::uint16_t unit) noexcept {
    const auto point = olc::grid_point(lat_deg, lng_deg);
    if (!point) {
        return point.error();
    }
    return from_grid(postcode, *point, unit);
}

// Key layout, most significant first: postcode 17 bits, row 16, column 15, unit 14.
std::uint64_t HouseholdCode::key() const noexcept {
    return (std::uint64_t{m_postcode} << 45U) | (std::uint64_t(m_row) << 29U) |
           (std::uint64_t(m_col) << 14U) | std::uint64_t{m_unit};
}

HouseholdCode HouseholdCode::from_key(std::uint64_t key) noexcept {
    HouseholdCode code;
    const auto postcode = static_cast<std::uint32_t>(key >> 45U);
    const auto row = static_cast<std::int32_t>((key >> 29U) & 0xFFFFU);
    const auto col = static_cast<std::int32_t>((key >> 14U) & 0x7FFFU);
    const auto unit = static_cast<std::uint16_t>(key & 0x3FFFU);
    if (postcode > max_postcode || row >= rows || col >= cols || unit == 0 || unit > max_unit) {
        return code;
    }
    code.m_postcode = postcode;
    code.m_row = row;
    code.m_col = col;
    code.m_unit = unit;
    return code;
}

FixedString<HouseholdCode::grid_length> HouseholdCode::grid() const noexcept {
    char text[canonical_length];
    write_canonical12(m_postcode, m_row, m_col, text);
    return FixedString<grid_length>(std::string_view(text + postcode_length, grid_length));
}

namespace {

/// A text form: the 12 characters as canonical "PPPPPGGGGGGG" or display "PPPPP GGGG+GGG", then
/// "-K" if @p checked, then "/U" for units from 2.
HouseholdCode::Text format(const HouseholdCode& code, bool display, bool checked) noexcept {
    char c12[HouseholdCode::canonical_length];
    write_canonical12(code.postcode(), code.row(), code.col(), c12);
    char unit[4];
    const std::size_t unit_size = code.unit() > 1 ? write_unit(code.unit(), unit) : 0;
    char text[HouseholdCode::Text::capacity];
    std::size_t n = 0;
    if (display) {
        std::copy(c12, c12 + 5, text);
        text[5] = ' ';
        std::copy(c12 + 5, c12 + 9, text + 6);
        text[10] = '+';
        std::copy(c12 + 9, c12 + 12, text + 11);
        n = 14;
    } else {
        std::copy(c12, c12 + HouseholdCode::canonical_length, text);
        n = HouseholdCode::canonical_length;
    }
    if (checked) {
        text[n++] = '-';
        text[n++] = HouseholdCode::check_alphabet[static_cast<std::size_t>(
            compute_check(c12, std::string_view(unit, unit_size)))];
    }
    if (unit_size > 0) {
        text[n++] = '/';
        std::copy(unit, unit + unit_size, text + n);
        n += unit_size;
    }
    return HouseholdCode::Text(std::string_view(text, n));
}

}  // namespace

HouseholdCode::Text HouseholdCode::canonical() const noexcept {
    return format(*this, false, false);
}

HouseholdCode::Text HouseholdCode::display() const noexcept { return format(*this, true, false); }

HouseholdCode::Text HouseholdCode::display_checked() const noexcept {
    return format(*this, true, true);
}

char HouseholdCode::check_character() const noexcept {
    char c12[canonical_length];
    write_canonical12(m_postcode, m_row, m_col, c12);
    char unit[4];
    const std::size_t unit_size = m_unit > 1 ? write_unit(m_unit, unit) : 0;
    return check_alphabet[static_cast<std::size_t>(
        compute_check(c12, std::string_view(unit, unit_size)))];
}

olc::CodeArea HouseholdCode::area_in(int lat_deg_floor, int lng_deg_floor) const noexcept {
    const std::int64_t lat0 = std::int64_t{lat_deg_floor + 90} * olc::lat_steps_per_degree;
    const std::int64_t lng0 = std::int64_t{lng_deg_floor + 180} * olc::lng_steps_per_degree;
    return {{lat0 + m_row * cell_lat_steps, lng0 + m_col * cell_lng_steps},
            cell_lat_steps,
            cell_lng_steps,
            olc_length};
}

void HouseholdCode::recover(olc::GridPoint reference, double max_distance_m,
                            std::vector<RecoveredCell>* out) const {
    out->clear();
    const double ref_lat = olc::lat_deg_of(reference.lat_steps);
    const double ref_lng = olc::lng_deg_of(reference.lng_steps);
    // A degree of latitude is at least 110.5 km; a degree of longitude shrinks with cos(lat).
    constexpr double min_m_per_deg_lat = 110'500.0;
    const int lat_reach = static_cast<int>(max_distance_m / min_m_per_deg_lat) + 1;
    const double cos_lat =
        std::max(0.01, std::cos((std::fabs(ref_lat) + lat_reach) * 3.14159265358979 / 180.0));
    const int lng_reach =
        std::min(360, static_cast<int>(max_distance_m / (min_m_per_deg_lat * cos_lat)) + 1);
    const int lat_base = static_cast<int>(reference.lat_steps / olc::lat_steps_per_degree) - 90;
    const int lng_base = static_cast<int>(reference.lng_steps / olc::lng_steps_per_degree) - 180;
    for (int dlat = -lat_reach; dlat <= lat_reach; ++dlat) {
        const int lat_cell = lat_base + dlat;
        if (lat_cell < -90 || lat_cell > 89) {
            continue;
        }
        // Near the poles every longitude may be in reach: visit each 1-degree column once.
        const bool all_columns = 2 * lng_reach + 1 >= 360;
        for (int dlng = all_columns ? 0 : -lng_reach; dlng <= (all_columns ? 359 : lng_reach);
             ++dlng) {
            const int lng_cell =
                static_cast<int>(detail::floor_mod(lng_base + dlng + 180, 360)) - 180;
            RecoveredCell cell;
            cell.area = area_in(lat_cell, lng_cell);
            cell.distance_m = distance_m(ref_lat, ref_lng, cell.area.center_lat_deg(),
                                         cell.area.center_lng_deg());
            if (cell.distance_m <= max_distance_m) {
                cell.code = olc::encode_unchecked(cell.area.south_west, olc_length);
                out->push_back(cell);
            }
        }
    }
    std::sort(out->begin(), out->end(), [](const RecoveredCell& a, const RecoveredCell& b) {
        return a.distance_m < b.distance_m;
    });
}

FixedString<HouseholdCode::postcode_length> postcode_text(std::uint32_t postcode) noexcept {
    FixedString<HouseholdCode::postcode_length> text;
    write_postcode(postcode, text.buffer());
    text.set_size(HouseholdCode::postcode_length);
    return text;
}

}  // namespace diachi
