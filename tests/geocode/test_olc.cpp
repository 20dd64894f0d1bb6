// Open Location Code beyond the conformance vectors: exact decimal input, error reporting,
// round trips, and the edges of the grid.

#include <charconv>
#include <cmath>
#include <random>
#include <string>

#include <gtest/gtest.h>

#include <diachi/olc.hpp>

namespace olc = diachi::olc;
using diachi::ErrorCode;

namespace {

struct DecimalCase {
    const char* text;
    std::int64_t steps;  // expected, from exact rational arithmetic (Python fractions)
};

}  // namespace

TEST(OlcDecimal, LatitudeTextLandsExactly) {
    const DecimalCase cases[] = {
        {"21.0006", 2775015000},
        {"-0.00000001", 2249999999},  // floor(-0.25 step) is one step south
        {"90", 4499999999},           // the north pole clips into the top row
        {"-90", 0},
        {"-90.5", 0},
        {"0.123456789012345678901234567890", 2253086419},
        {"-0.000000039999999999999999999", 2249999999},
        {"-0.00000004", 2249999999},  // exactly one step: no rounding down further
        {"-0.0000000400000000000000000001", 2249999998},
        {"+21.0006", 2775015000},
        {"21.", 2775000000},
        {".5", 2262500000},
        {"1000000000000000000000000", 4499999999},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.text);
        const auto steps = olc::lat_steps_from_decimal(c.text);
        ASSERT_TRUE(steps) << steps.error().message();
        EXPECT_EQ(*steps, c.steps);
    }
}

TEST(OlcDecimal, LongitudeTextLandsExactlyAndWraps) {
    const DecimalCase cases[] = {
        {"180", 0},
        {"-180", 0},
        {"540.5", 4096000},
        {"-181", 2940928000},
        {"105.85420000000000000000001", 2341717606},
        {"-0.000000122070312500000000001", 1474559998},
        {"-0.0000001220703125", 1474559999},
        {"123456789012345678901234567890.5", 2215936000},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.text);
        const auto steps = olc::lng_steps_from_decimal(c.text);
        ASSERT_TRUE(steps) << steps.error().message();
        EXPECT_EQ(*steps, c.steps);
    }
}

TEST(OlcDecimal, MalformedTextNamesThePosition) {
    const struct {
        const char* text;
        ErrorCode code;
        std::uint32_t position;
    } cases[] = {
        {"", ErrorCode::empty_input, 0},   {"-", ErrorCode::malformed_number, 1},
        {".", ErrorCode::malformed_number, 1}, {"1e5", ErrorCode::malformed_number, 2},
        {"21,5", ErrorCode::malformed_number, 3}, {" 21", ErrorCode::malformed_number, 1},
        {"21 ", ErrorCode::malformed_number, 3}, {"2.1.1", ErrorCode::malformed_number, 4},
        {"nan", ErrorCode::malformed_number, 1}, {"--1", ErrorCode::malformed_number, 2},
        {"\xC3\xA9" "1", ErrorCode::malformed_number, 1},
        {"1\xC3\xA9", ErrorCode::malformed_number, 2},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.text);
        const auto steps = olc::lat_steps_from_decimal(c.text);
        ASSERT_FALSE(steps);
        EXPECT_EQ(steps.error().code, c.code) << steps.error().message();
        EXPECT_EQ(steps.error().position, c.position) << steps.error().message();
    }
    const auto accented = olc::lat_steps_from_decimal("1\xC3\xA9");
    EXPECT_EQ(accented.error().character, U'\u00E9');
    EXPECT_NE(accented.error().message().find("U+00E9' at position 2"), std::string::npos)
        << accented.error().message();
    const auto lng = olc::grid_point_from_decimal("21", "10x");
    ASSERT_FALSE(lng);
    EXPECT_NE(lng.error().message().find("longitude"), std::string::npos);
}

// The figure in the header: through floor(double x steps), as the reference implementations
// compute, about 8.7% of 4-decimal latitudes in Vietnam's range (8..24 N) land one 11-digit row
// south of the row their decimal value lies in. Both of our entry points place every one right.
TEST(OlcDecimal, FourDecimalLatitudesLandInTheirOwnRow) {
    int misplaced_by_naive_floor = 0;
    int total = 0;
    for (int k = 80000; k < 240000; ++k) {
        const std::string text =
            std::to_string(k / 10000) + "." + std::to_string(10000 + k % 10000).substr(1);
        const std::int64_t expected = 90 * olc::lat_steps_per_degree + std::int64_t{k} * 2500;
        const auto exact = olc::lat_steps_from_decimal(text);
        ASSERT_TRUE(exact);
        ASSERT_EQ(*exact, expected) << text;
        const double value = std::stod(text);
        const auto via_double = olc::grid_point(value, 105.0);
        ASSERT_TRUE(via_double);
        ASSERT_EQ(via_double->lat_steps, expected) << text;
        const auto naive = static_cast<std::int64_t>(
                               std::floor(value * static_cast<double>(olc::lat_steps_per_degree))) +
                           90 * olc::lat_steps_per_degree;
        misplaced_by_naive_floor += (naive / 625) != (expected / 625) ? 1 : 0;  // 11-digit rows
        ++total;
    }
    const double share = static_cast<double>(misplaced_by_naive_floor) / total;
    EXPECT_GT(share, 0.08);
    EXPECT_LT(share, 0.095);
    // The example: 21.0006 is in row ...+62R (the naive floor says ...+62J).
    const auto exact = olc::grid_point_from_decimal("21.0006", "105.8");
    EXPECT_EQ(olc::encode_unchecked(*exact, 11).view(), "7PH72R22+62R");
    EXPECT_EQ(olc::encode(21.0006, 105.8, 11)->view(), "7PH72R22+62R");
}

// Doubles next to a grid line: the side follows the decimal the double stands for, including
// longitudes whose grid line is not a short decimal (steps not a multiple of 16).
TEST(OlcDecimal, DoublesNextToGridLinesFollowTheirDecimal) {
    std::mt19937_64 rng(5);
    std::uniform_int_distribution<std::int64_t> steps(-180 * olc::lng_steps_per_degree,
                                                      180 * olc::lng_steps_per_degree - 1);
    char text[64];
    for (int i = 0; i < 200000; ++i) {
        // A double just at, above or below a grid line...
        const double line = static_cast<double>(steps(rng)) / olc::lng_steps_per_degree;
        for (double value : {line, std::nextafter(line, 1e9), std::nextafter(line, -1e9)}) {
            // ...lands where the exact decimal path puts its shortest decimal text.
            const auto [end, ec] = std::to_chars(text, text + sizeof text, value, std::chars_format::fixed);
            ASSERT_EQ(ec, std::errc{});
            const std::string decimal(text, end);
            const auto via_double = olc::grid_point(0.0, value);
            const auto via_text = olc::lng_steps_from_decimal(decimal);
            ASSERT_TRUE(via_double && via_text);
            ASSERT_EQ(via_double->lng_steps, *via_text) << decimal;
        }
    }
}

TEST(OlcEncode, RejectsLengthsTheSpecificationDoesNotAllow) {
    for (int length : {-1, 0, 1, 3, 5, 7, 9}) {
        const auto code = olc::encode(21.0, 105.0, length);
        ASSERT_FALSE(code) << length;
        EXPECT_EQ(code.error().code, ErrorCode::invalid_length);
    }
    EXPECT_EQ(olc::encode(21.0, 105.0, 100)->size(), 16U);  // clamps to 15 digits
    EXPECT_EQ(olc::encode(NAN, 105.0).error().code, ErrorCode::not_finite);
    EXPECT_EQ(olc::encode(21.0, INFINITY).error().code, ErrorCode::not_finite);
    EXPECT_EQ(olc::encode(olc::GridPoint{-1, 0}).error().code, ErrorCode::out_of_range);
    EXPECT_EQ(olc::encode(olc::GridPoint{0, olc::lng_steps_total}).error().code,
              ErrorCode::out_of_range);
}

TEST(OlcEncode, EdgesOfTheGrid) {
    // Longitude -180 and +180 are the same meridian; both give a valid full code (the first
    // longitude digit is 2, not one past X).
    EXPECT_EQ(olc::encode(0.0, -180.0, 10)->view(), olc::encode(0.0, 180.0, 10)->view());
    EXPECT_TRUE(olc::is_full(olc::encode(0.0, -180.0, 15)->view()));
    // The north pole lies in the top row, never above it.
    for (int length = 2; length <= 15; length += (length < 10 ? 2 : 1)) {
        const auto code = olc::encode(90.0, 179.9999999, length);
        ASSERT_TRUE(code);
        EXPECT_TRUE(olc::is_full(code->view())) << code->view();
        const auto area = olc::decode(code->view());
        ASSERT_TRUE(area);
        EXPECT_LT(area->south_deg(), 90.0);
        EXPECT_GE(area->north_deg(), 90.0);
    }
}

TEST(OlcRoundTrip, RandomPointsDecodeToAnAreaHoldingThem) {
    std::mt19937_64 rng(20261123);
    std::uniform_int_distribution<std::int64_t> lat_dist(0, olc::lat_steps_total - 1);
    std::uniform_int_distribution<std::int64_t> lng_dist(0, olc::lng_steps_total - 1);
    for (int i = 0; i < 20000; ++i) {
        const olc::GridPoint p{lat_dist(rng), lng_dist(rng)};
        for (int length : {2, 4, 6, 8, 10, 11, 12, 13, 14, 15}) {
            const auto code = olc::encode_unchecked(p, length);
            const auto area = olc::decode(code.view());
            ASSERT_TRUE(area) << code.view() << ": " << area.error().message();
            EXPECT_EQ(area->length, length);
            EXPECT_LE(area->south_west.lat_steps, p.lat_steps);
            EXPECT_LT(p.lat_steps, area->south_west.lat_steps + area->lat_steps);
            EXPECT_LE(area->south_west.lng_steps, p.lng_steps);
            EXPECT_LT(p.lng_steps, area->south_west.lng_steps + area->lng_steps);
            EXPECT_EQ(olc::encode_unchecked(area->center(), length), code);
        }
        // Shorten then recover with the point itself as reference gives the code back.
        const auto code = olc::encode_unchecked(p, 11);
        const auto short_code = olc::shorten(code.view(), p);
        ASSERT_TRUE(short_code);
        const auto full = olc::recover_nearest(short_code->view(), p);
        ASSERT_TRUE(full);
        EXPECT_EQ(*full, code);
    }
}

TEST(OlcValidate, SaysWhichRuleAndWhere) {
    const struct {
        const char* code;
        ErrorCode error;
        std::uint32_t position;
    } cases[] = {
        {"", ErrorCode::empty_input, 0},
        {"7PH72R22", ErrorCode::misplaced_separator, 0},
        {"7PH72R22+62+", ErrorCode::misplaced_separator, 12},
        {"7PH72R2+2", ErrorCode::misplaced_separator, 8},
        {"7PH72R22R+", ErrorCode::misplaced_separator, 10},
        {"7P000000+62", ErrorCode::misplaced_padding, 10},
        {"7PH00R00+", ErrorCode::misplaced_padding, 4},
        {"7P00R000+", ErrorCode::misplaced_padding, 5},
        {"7PH72R22+6", ErrorCode::invalid_length, 0},
        {"7PH72I22+62", ErrorCode::invalid_character, 6},
        {"7PH72R22+6A", ErrorCode::invalid_character, 11},
        {"7PĐ72R22+62", ErrorCode::invalid_character, 3},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.code);
        const auto error = olc::validate(c.code);
        EXPECT_EQ(error.code, c.error) << error.message();
        EXPECT_EQ(error.position, c.position) << error.message();
        EXPECT_FALSE(olc::is_valid(c.code));
        EXPECT_FALSE(olc::decode(c.code));
    }
    EXPECT_EQ(olc::decode("72H72R22+62").error().code, ErrorCode::ok);
    EXPECT_EQ(olc::decode("C2000000+").error().code, ErrorCode::ok);
    EXPECT_EQ(olc::decode("X2000000+").error().code, ErrorCode::not_full_code);
    EXPECT_EQ(olc::decode("2R22+62").error().code, ErrorCode::not_full_code);
    EXPECT_EQ(olc::shorten("7PH70000+", 21.0, 105.0).error().code, ErrorCode::padded_code);
    EXPECT_EQ(olc::shorten("2R22+62", 21.0, 105.0).error().code, ErrorCode::not_full_code);
}

TEST(OlcDecode, IgnoresDigitsPastFifteenAndCase) {
    const auto a = olc::decode("7ph72r22+62rjw2x");
    const auto b = olc::decode("7PH72R22+62RJW2XCCCC");
    ASSERT_TRUE(a);
    ASSERT_TRUE(b);
    EXPECT_EQ(*a, *b);
    EXPECT_EQ(a->length, 15);
    EXPECT_EQ(olc::recover_nearest("7ph72r22+62rjw2xcc", 0.0, 0.0)->view(), "7PH72R22+62RJW2X");
}
