#ifndef DIACHI_HOUSEHOLD_CODE_HPP
#define DIACHI_HOUSEHOLD_CODE_HPP

/// @file
/// The household code (Vpostcode style): the commune's 5-digit postcode and 7 characters of the
/// household's 11-digit Open Location Code (its digits 5 to 11, a cell of about 2.8 m x 3.3 m in
/// Vietnam), plus two extensions of ours: a unit suffix for several households in one cell and
/// an optional check character. The design is explained in docs/household_code.md.
///
///   canonical   111207Q89XG2        111207Q89XG2/3
///   display     11120 7Q89+XG2      11120 7Q89+XG2/3
///   checked     11120 7Q89+XG2-K    11120 7Q89+XG2-K/3     (K: the check character)
///
/// Parsing accepts any case and ignores spaces, tabs, '-' and '+' anywhere. After the 12
/// characters may come one check character (verified) and then '/' with the unit number.

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include <diachi/error.hpp>
#include <diachi/fixed_string.hpp>
#include <diachi/olc.hpp>

namespace diachi {

/// One place a household code may stand for, found from a reference point.
struct RecoveredCell {
    olc::CodeArea area;       ///< the 11-digit cell
    olc::Code code;           ///< its full 11-digit Open Location Code, e.g. "7P8Q7Q89+XG2"
    double distance_m = 0.0;  ///< great-circle distance from the reference to the cell centre
};

/// A household code: postcode, position of the 11-digit cell inside its 1 x 1 degree cell, and
/// unit. A value type; the default-constructed code is invalid (is_valid() is false).
class HouseholdCode {
public:
    static constexpr std::size_t postcode_length = 5;    ///< digits of the postcode
    static constexpr std::size_t grid_length = 7;        ///< OLC characters kept (digits 5..11)
    static constexpr std::size_t canonical_length = 12;  ///< postcode + grid characters
    static constexpr int olc_length = 11;                ///< digits of the underlying OLC
    static constexpr std::uint32_t max_postcode = 99999;
    static constexpr std::uint16_t max_unit = 9999;  ///< units are 1 (no suffix) .. 9999
    static constexpr std::int32_t rows = 40000;      ///< 11-digit cells per degree of latitude
    static constexpr std::int32_t cols = 32000;      ///< 11-digit cells per degree of longitude
    /// Symbols of the check character, by value (0..22): letters only, never I, O or U. Values
    /// 10..21 are the OLC letters C..X, which carry the same values inside a code.
    static constexpr std::string_view check_alphabet = "ABDEKLNSTYCFGHJMPQRVWXZ";
    /// Room for the longest text form, "11120 7Q89+XG2-K/9999".
    using Text = FixedString<24>;

    constexpr HouseholdCode() noexcept = default;

    /// Reads a code in any of the forms above. Errors: ErrorCode::empty_input,
    /// invalid_character (with its position), invalid_length, bad_unit, bad_check_character.
    [[nodiscard]] static Result<HouseholdCode> parse(std::string_view text) noexcept;

    /// The code of the household at @p point in the commune with @p postcode (0..99999).
    /// Errors: ErrorCode::out_of_range for a postcode, unit or point off its range.
    [[nodiscard]] static Result<HouseholdCode> from_grid(std::uint32_t postcode,
                                                         olc::GridPoint point,
                                                         std::uint16_t unit = 1) noexcept;

    /// from_grid() with the point in degrees (WGS 84, latitude first), placed with
    /// olc::grid_point().
    [[nodiscard]] static Result<HouseholdCode> from_degrees(std::uint32_t postcode, double lat_deg,
                                                            double lng_deg,
                                                            std::uint16_t unit = 1) noexcept;

    /// The code whose key() is @p key; an invalid code if @p key was not made by key().
    [[nodiscard]] static HouseholdCode from_key(std::uint64_t key) noexcept;

    [[nodiscard]] constexpr bool is_valid() const noexcept { return m_unit != 0; }
    /// The postcode as a number, 0..99999 (print it with 5 digits).
    [[nodiscard]] constexpr std::uint32_t postcode() const noexcept { return m_postcode; }
    /// Row of the 11-digit cell inside its 1-degree cell, 0..39999 from the south.
    [[nodiscard]] constexpr std::int32_t row() const noexcept { return m_row; }
    /// Column of the 11-digit cell inside its 1-degree cell, 0..31999 from the west.
    [[nodiscard]] constexpr std::int32_t col() const noexcept { return m_col; }
    /// The unit: 1 for the first household in a cell (no suffix), 2..9999 for later ones.
    [[nodiscard]] constexpr std::uint16_t unit() const noexcept { return m_unit; }
    /// The same cell and postcode with another unit. Precondition: 1 <= unit <= max_unit.
    [[nodiscard]] constexpr HouseholdCode with_unit(std::uint16_t unit) const noexcept {
        HouseholdCode code = *this;
        code.m_unit = unit;
        return code;
    }

    /// The 7 grid characters, e.g. "7Q89XG2".
    [[nodiscard]] FixedString<grid_length> grid() const noexcept;
    /// "111207Q89XG2", with "/U" for units from 2.
    [[nodiscard]] Text canonical() const noexcept;
    /// "11120 7Q89+XG2", with "/U" for units from 2.
    [[nodiscard]] Text display() const noexcept;
    /// "11120 7Q89+XG2-K", with "/U" for units from 2; K is check_character().
    [[nodiscard]] Text display_checked() const noexcept;
    /// The check character over the canonical form (postcode, grid characters and unit digits).
    [[nodiscard]] char check_character() const noexcept;

    /// A 62-bit key ordered by postcode, then row, column and unit: equal codes, equal keys.
    [[nodiscard]] std::uint64_t key() const noexcept;

    /// The 11-digit cell this code names inside the 1-degree cell whose south-west corner is at
    /// (@p lat_deg_floor, @p lng_deg_floor), integer degrees (-90..89, -180..179).
    [[nodiscard]] olc::CodeArea area_in(int lat_deg_floor, int lng_deg_floor) const noexcept;

    /// Recovers the 4 dropped digits (the 1 x 1 degree cell) from a reference point, e.g. the
    /// centre of the postcode's commune: every candidate cell within @p max_distance_m of
    /// @p reference, nearest first, replacing the contents of @p out. A caller that knows the
    /// zone's polygon picks the first candidate inside it.
    void recover(olc::GridPoint reference, double max_distance_m,
                 std::vector<RecoveredCell>* out) const;

    friend constexpr bool operator==(const HouseholdCode&, const HouseholdCode&) = default;

private:
    std::uint32_t m_postcode = 0;
    std::int32_t m_row = 0;
    std::int32_t m_col = 0;
    std::uint16_t m_unit = 0;
};

/// A postcode as its 5 digits, with leading zeros: 3625 -> "03625". Precondition:
/// postcode <= HouseholdCode::max_postcode (larger values keep their last 5 digits).
[[nodiscard]] FixedString<HouseholdCode::postcode_length> postcode_text(
    std::uint32_t postcode) noexcept;

}  // namespace diachi

#endif  // DIACHI_HOUSEHOLD_CODE_HPP
