// Every row of the published Open Location Code conformance vectors (../shared/data/olc).

#include <cstdlib>
#include <string>

#include <gtest/gtest.h>

#include <diachi/olc.hpp>

#include "../test_data.hpp"

namespace olc = diachi::olc;

namespace {

double number(const std::string& text) { return std::strtod(text.c_str(), nullptr); }

}  // namespace

// encoding.csv: lat, lng (degrees), lat, lng (grid integers), length, code.
TEST(OlcConformance, EncodingRows) {
    DIACHI_REQUIRE_DATA(path, "olc/encoding.csv");
    const auto rows = diachi::test::read_csv(path);
    ASSERT_GT(rows.size(), 300U);
    for (const auto& row : rows) {
        SCOPED_TRACE("encoding.csv line " + std::to_string(row.line));
        ASSERT_EQ(row.fields.size(), 6U);
        const int length = std::stoi(row.fields[4]);
        const std::string& expected = row.fields[5];
        const olc::GridPoint integers{std::stoll(row.fields[2]), std::stoll(row.fields[3])};

        // 1. Through doubles, as the reference implementations read the coordinates.
        const auto from_degrees = olc::encode(number(row.fields[0]), number(row.fields[1]), length);
        ASSERT_TRUE(from_degrees) << from_degrees.error().message();
        EXPECT_EQ(from_degrees->view(), expected);

        // 2. From the published grid integers.
        EXPECT_EQ(olc::encode_unchecked(integers, length).view(), expected);

        // 3. Through the exact decimal path: the text lands on the published integers.
        const auto exact = olc::grid_point_from_decimal(row.fields[0], row.fields[1]);
        ASSERT_TRUE(exact) << exact.error().message();
        EXPECT_EQ(exact->lat_steps, integers.lat_steps);
        EXPECT_EQ(exact->lng_steps, integers.lng_steps);
        EXPECT_EQ(olc::encode_unchecked(*exact, length).view(), expected);

        // Every code the encoder makes is a valid full code.
        EXPECT_TRUE(olc::is_full(expected));
    }
}

// decoding.csv: code, length, latLo, lngLo, latHi, lngHi (within 1e-10).
TEST(OlcConformance, DecodingRows) {
    DIACHI_REQUIRE_DATA(path, "olc/decoding.csv");
    const auto rows = diachi::test::read_csv(path);
    ASSERT_GT(rows.size(), 400U);
    for (const auto& row : rows) {
        SCOPED_TRACE("decoding.csv line " + std::to_string(row.line) + " " + row.fields[0]);
        ASSERT_EQ(row.fields.size(), 6U);
        const auto area = olc::decode(row.fields[0]);
        ASSERT_TRUE(area) << area.error().message();
        EXPECT_EQ(area->length, std::stoi(row.fields[1]));
        EXPECT_NEAR(area->south_deg(), number(row.fields[2]), 1e-10);
        EXPECT_NEAR(area->west_deg(), number(row.fields[3]), 1e-10);
        EXPECT_NEAR(area->north_deg(), number(row.fields[4]), 1e-10);
        EXPECT_NEAR(area->east_deg(), number(row.fields[5]), 1e-10);
    }
}

// validityTests.csv: code, isValid, isShort, isFull.
TEST(OlcConformance, ValidityRows) {
    DIACHI_REQUIRE_DATA(path, "olc/validityTests.csv");
    const auto rows = diachi::test::read_csv(path);
    ASSERT_GT(rows.size(), 20U);
    for (const auto& row : rows) {
        SCOPED_TRACE("validityTests.csv line " + std::to_string(row.line) + " " + row.fields[0]);
        ASSERT_EQ(row.fields.size(), 4U);
        const bool valid = row.fields[1] == "true";
        EXPECT_EQ(olc::is_valid(row.fields[0]), valid);
        EXPECT_EQ(olc::is_short(row.fields[0]), row.fields[2] == "true");
        EXPECT_EQ(olc::is_full(row.fields[0]), row.fields[3] == "true");
        // validate() agrees with is_valid() and says why.
        const auto error = olc::validate(row.fields[0]);
        EXPECT_EQ(error.code == diachi::ErrorCode::ok, valid) << error.message();
    }
}

// shortCodeTests.csv: full code, lat, lng, short code, S(horten) / R(ecover) / B(oth).
TEST(OlcConformance, ShortCodeRows) {
    DIACHI_REQUIRE_DATA(path, "olc/shortCodeTests.csv");
    const auto rows = diachi::test::read_csv(path);
    ASSERT_GT(rows.size(), 15U);
    for (const auto& row : rows) {
        SCOPED_TRACE("shortCodeTests.csv line " + std::to_string(row.line));
        ASSERT_EQ(row.fields.size(), 5U);
        const std::string& full = row.fields[0];
        const double lat = number(row.fields[1]);
        const double lng = number(row.fields[2]);
        const std::string& short_code = row.fields[3];
        const std::string& type = row.fields[4];
        if (type == "S" || type == "B") {
            const auto shortened = olc::shorten(full, lat, lng);
            ASSERT_TRUE(shortened) << shortened.error().message();
            EXPECT_EQ(shortened->view(), short_code);
        }
        if (type == "R" || type == "B") {
            const auto recovered = olc::recover_nearest(short_code, lat, lng);
            ASSERT_TRUE(recovered) << recovered.error().message();
            EXPECT_EQ(recovered->view(), full);
        }
    }
}
