// Household codes: the text forms, parsing and its errors, the check character (exhaustively),
// keys, and recovery of the dropped digits.

#include <algorithm>
#include <cctype>
#include <cmath>
#include <tuple>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include <diachi/household_code.hpp>
#include <diachi/lat_lng.hpp>

#include "../test_data.hpp"

using diachi::ErrorCode;
using diachi::HouseholdCode;
namespace olc = diachi::olc;

namespace {

HouseholdCode make(std::uint32_t postcode, double lat, double lng, std::uint16_t unit = 1) {
    const auto code = HouseholdCode::from_degrees(postcode, lat, lng, unit);
    EXPECT_TRUE(code) << code.error().message();
    return *code;
}

/// A random valid code (any postcode, any cell, unit 1 or 2..9999).
HouseholdCode random_code(std::mt19937_64& rng) {
    std::uniform_int_distribution<std::uint32_t> postcode(0, HouseholdCode::max_postcode);
    std::uniform_int_distribution<std::int64_t> lat(0, olc::lat_steps_total - 1);
    std::uniform_int_distribution<std::int64_t> lng(0, olc::lng_steps_total - 1);
    std::uniform_int_distribution<int> unit(0, 3);
    const auto u = static_cast<std::uint16_t>(unit(rng) == 0 ? 1 : 1 + rng() % 9999);
    return *HouseholdCode::from_grid(postcode(rng), {lat(rng), lng(rng)}, u);
}

}  // namespace

TEST(HouseholdCode, FormsOfTheIssueExample) {
    // The 11-digit code of the point is 7PH77Q89+XG2; the household code keeps digits 5..11.
    const auto point = olc::grid_point_from_decimal("21.0285", "105.8542");
    ASSERT_TRUE(point);
    const auto code = HouseholdCode::from_grid(11120, *point);
    ASSERT_TRUE(code);
    const auto full = olc::encode_unchecked(*point, 11);
    EXPECT_EQ(std::string(code->grid().view()),
              std::string(full.view().substr(4, 4)) + std::string(full.view().substr(9, 3)));
    EXPECT_EQ(code->canonical().view().substr(0, 5), "11120");
    EXPECT_EQ(code->canonical().size(), 12U);
    EXPECT_EQ(code->display().view(), "11120 " + std::string(full.view().substr(4, 5)) +
                                          std::string(full.view().substr(9, 3)));
}

TEST(HouseholdCode, ParsesEverySpellingToOneCode) {
    const auto expected = HouseholdCode::parse("111207Q89XG2");
    ASSERT_TRUE(expected) << expected.error().message();
    EXPECT_EQ(expected->canonical().view(), "111207Q89XG2");
    EXPECT_EQ(expected->display().view(), "11120 7Q89+XG2");
    for (const char* text : {"11120 7Q89+XG2", "111207q89xg2", "11120-7Q89-XG2",
                             "1 1 1 2 0 7 Q 8 9 X G 2", "+11120+7Q89XG2+", "\t11120 7q89 xg2 ",
                             "11120 7Q89+XG2/1"}) {
        SCOPED_TRACE(text);
        const auto code = HouseholdCode::parse(text);
        ASSERT_TRUE(code) << code.error().message();
        EXPECT_EQ(*code, *expected);
    }
    const char check = expected->check_character();
    EXPECT_EQ(expected->display_checked().view(), std::string("11120 7Q89+XG2-") + check);
    const auto checked = HouseholdCode::parse(std::string("111207q89xg2") + char(std::tolower(check)));
    ASSERT_TRUE(checked) << checked.error().message();
    EXPECT_EQ(*checked, *expected);
}

TEST(HouseholdCode, UnitSuffix) {
    const auto code = HouseholdCode::parse("11120 7Q89+XG2/37");
    ASSERT_TRUE(code) << code.error().message();
    EXPECT_EQ(code->unit(), 37);
    EXPECT_EQ(code->canonical().view(), "111207Q89XG2/37");
    EXPECT_EQ(code->display().view(), "11120 7Q89+XG2/37");
    const std::string checked(code->display_checked().view());
    EXPECT_EQ(checked.substr(0, 15), "11120 7Q89+XG2-");
    EXPECT_EQ(checked.substr(16), "/37");
    EXPECT_EQ(*HouseholdCode::parse(checked), *code);
    EXPECT_EQ(code->with_unit(1).canonical().view(), "111207Q89XG2");
    EXPECT_EQ(HouseholdCode::parse("11120 7Q89+XG2/9999")->unit(), 9999);
}

TEST(HouseholdCode, RejectsWithWhatAndWhere) {
    const auto valid = HouseholdCode::parse("111207Q89XG2");
    const char check = valid->check_character();
    const char wrong = check == 'A' ? 'B' : 'A';
    const struct {
        std::string text;
        ErrorCode error;
        std::uint32_t position;
    } cases[] = {
        {"", ErrorCode::empty_input, 0},
        {"  - + ", ErrorCode::empty_input, 0},
        {"11120 7Q89+XG", ErrorCode::invalid_length, 0},
        {"1112O 7Q89+XG2", ErrorCode::invalid_character, 5},
        {"11120 7Q89+XI2", ErrorCode::invalid_character, 13},
        {"11120 1Q89+XG2", ErrorCode::invalid_character, 7},
        {"11120 7Q89+XG2.3", ErrorCode::invalid_character, 15},
        {"11120 7Q89+XG2KK", ErrorCode::invalid_character, 16},
        {"11120 7Q89+XG27", ErrorCode::invalid_character, 15},
        {"11120 7Q89+XG2I", ErrorCode::invalid_character, 15},
        {"11120 7Q89+XG2/0", ErrorCode::bad_unit, 16},
        {"11120 7Q89+XG2/03", ErrorCode::bad_unit, 16},
        {"11120 7Q89+XG2/10000", ErrorCode::bad_unit, 20},
        {"11120 7Q89+XG2/", ErrorCode::bad_unit, 15},
        {"11120 7Q89+XG2/3x", ErrorCode::invalid_character, 17},
        {"11120 7Q89+XG2/3/4", ErrorCode::invalid_character, 17},
        {std::string("11120 7Q89+XG2-") + wrong, ErrorCode::bad_check_character, 16},
        {"11120 7Q89+XĐ2", ErrorCode::invalid_character, 13},
        {"11120\xC2\xA0" "7Q89+XG2", ErrorCode::invalid_character, 6},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.text);
        const auto code = HouseholdCode::parse(c.text);
        ASSERT_FALSE(code);
        EXPECT_EQ(code.error().code, c.error) << code.error().message();
        EXPECT_EQ(code.error().position, c.position) << code.error().message();
    }
    const auto error = HouseholdCode::parse("11120 7Q89+XI2").error();
    EXPECT_EQ(error.message(),
              "invalid character 'I' at position 13: expected a grid character of "
              "23456789CFGHJMPQRVWX");
    EXPECT_EQ(HouseholdCode::parse("11120 7Q89+XĐ2").error().character, U'\u0110');
}

TEST(HouseholdCode, FromGridChecksItsRanges) {
    EXPECT_EQ(HouseholdCode::from_degrees(100000, 21, 105).error().code, ErrorCode::out_of_range);
    EXPECT_EQ(HouseholdCode::from_degrees(11120, 21, 105, 0).error().code, ErrorCode::bad_unit);
    EXPECT_EQ(HouseholdCode::from_degrees(11120, 21, 105, 10000).error().code,
              ErrorCode::bad_unit);
    EXPECT_EQ(HouseholdCode::from_degrees(11120, NAN, 105).error().code, ErrorCode::not_finite);
    EXPECT_FALSE(HouseholdCode{}.is_valid());
}

TEST(HouseholdCode, AgreesWithTheOpenLocationCodeOfThePoint) {
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> lat(8.0, 23.5);
    std::uniform_real_distribution<double> lng(102.0, 110.0);
    for (int i = 0; i < 20000; ++i) {
        const double a = lat(rng);
        const double b = lng(rng);
        const auto code = make(10000 + i % 90000, a, b);
        const std::string full(olc::encode(a, b, 11)->view());
        EXPECT_EQ(std::string(code.grid().view()), full.substr(4, 4) + full.substr(9, 3));
        // Round trips through every text form and the key.
        EXPECT_EQ(*HouseholdCode::parse(code.canonical().view()), code);
        EXPECT_EQ(*HouseholdCode::parse(code.display().view()), code);
        EXPECT_EQ(*HouseholdCode::parse(code.display_checked().view()), code);
        EXPECT_EQ(HouseholdCode::from_key(code.key()), code);
        // The cell it names inside the point's own degree cell is the OLC cell.
        const auto area = code.area_in(static_cast<int>(std::floor(a)), static_cast<int>(std::floor(b)));
        EXPECT_EQ(olc::encode_unchecked(area.south_west, 11).view(), full);
    }
}

TEST(HouseholdCode, KeysOrderByPostcodeCellThenUnit) {
    std::mt19937_64 rng(11);
    std::vector<HouseholdCode> codes;
    for (int i = 0; i < 5000; ++i) {
        codes.push_back(random_code(rng));
    }
    for (std::size_t i = 1; i < codes.size(); ++i) {
        const auto& a = codes[i - 1];
        const auto& b = codes[i];
        const auto tuple = [](const HouseholdCode& c) {
            return std::make_tuple(c.postcode(), c.row(), c.col(), c.unit());
        };
        EXPECT_EQ(a.key() < b.key(), tuple(a) < tuple(b));
    }
    EXPECT_FALSE(HouseholdCode::from_key(~std::uint64_t{0}).is_valid());
    EXPECT_FALSE(HouseholdCode::from_key(0).is_valid());  // unit 0
}

// The check character must catch every single-character substitution and every transposition
// of adjacent characters. Random codes are drawn until every (position, symbol) and every
// (position, symbol, next symbol) combination has been met, and each code is put through all
// of its substitutions (by any letter or digit) and adjacent transpositions.
TEST(HouseholdCodeCheck, DetectsEverySubstitutionAndAdjacentTransposition) {
    const std::string symbols = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    std::mt19937_64 rng(2334);
    std::set<std::pair<int, char>> seen_single;
    std::set<std::tuple<int, char, char>> seen_pair;
    // Possible symbols per position of the significant characters (12 + check).
    std::size_t needed_single = 5 * 10 + 7 * 20 + 23;
    std::size_t needed_pair = 4 * 100 + 10 * 20 + 6 * 400 + 20 * 23;
    long mutations = 0;
    int codes = 0;
    while ((seen_single.size() < needed_single || seen_pair.size() < needed_pair) &&
           codes < 200000) {
        ++codes;
        const HouseholdCode code = random_code(rng).with_unit(1);
        const std::string text = std::string(code.canonical().view()) + code.check_character();
        ASSERT_TRUE(HouseholdCode::parse(text)) << text;
        for (int p = 0; p < static_cast<int>(text.size()); ++p) {
            seen_single.emplace(p, text[p]);
            for (const char s : symbols) {
                if (s == text[p]) {
                    continue;
                }
                std::string mutated = text;
                mutated[p] = s;
                ++mutations;
                ASSERT_FALSE(HouseholdCode::parse(mutated)) << text << " -> " << mutated;
            }
            if (p + 1 < static_cast<int>(text.size())) {
                seen_pair.emplace(p, text[p], text[p + 1]);
                if (text[p] != text[p + 1]) {
                    std::string swapped = text;
                    std::swap(swapped[p], swapped[p + 1]);
                    ++mutations;
                    ASSERT_FALSE(HouseholdCode::parse(swapped)) << text << " -> " << swapped;
                }
            }
        }
    }
    EXPECT_EQ(seen_single.size(), needed_single);
    EXPECT_EQ(seen_pair.size(), needed_pair);
    RecordProperty("codes", codes);
    RecordProperty("mutations", static_cast<int>(mutations));
}

// Every unit 2..9999: each digit substituted and each adjacent pair of "K/unit" swapped.
TEST(HouseholdCodeCheck, DetectsErrorsInEveryUnit) {
    const HouseholdCode base = *HouseholdCode::parse("111207Q89XG2");
    for (std::uint16_t unit = 2; unit <= HouseholdCode::max_unit; ++unit) {
        const HouseholdCode code = base.with_unit(unit);
        const std::string text(code.display_checked().view());
        ASSERT_EQ(*HouseholdCode::parse(text), code) << text;
        const std::size_t tail = text.find('/') - 1;  // the check character
        for (std::size_t p = tail; p < text.size(); ++p) {
            if (text[p] != '/') {
                for (char s = '0'; s <= '9'; ++s) {
                    if (s != text[p]) {
                        std::string mutated = text;
                        mutated[p] = s;
                        const auto parsed = HouseholdCode::parse(mutated);
                        ASSERT_FALSE(parsed && *parsed == code) << mutated;
                        ASSERT_FALSE(parsed) << text << " -> " << mutated;
                    }
                }
            }
            if (p + 1 < text.size() && text[p] != text[p + 1]) {
                std::string swapped = text;
                std::swap(swapped[p], swapped[p + 1]);
                ASSERT_FALSE(HouseholdCode::parse(swapped)) << text << " -> " << swapped;
            }
        }
    }
}

TEST(HouseholdCodeRecover, NearestCandidateIsTheTrueCell) {
    std::mt19937_64 rng(42);
    std::uniform_real_distribution<double> lat(8.5, 23.3);
    std::uniform_real_distribution<double> lng(102.2, 109.4);
    std::uniform_real_distribution<double> offset(-0.35, 0.35);  // about +-39 km
    std::vector<diachi::RecoveredCell> cells;
    for (int i = 0; i < 2000; ++i) {
        const double a = lat(rng);
        const double b = lng(rng);
        const auto code = make(11120, a, b);
        const auto reference = olc::grid_point(a + offset(rng), b + offset(rng));
        code.recover(*reference, 100'000.0, &cells);
        ASSERT_FALSE(cells.empty());
        EXPECT_EQ(cells.front().code.view(), olc::encode(a, b, 11)->view());
        for (std::size_t k = 0; k < cells.size(); ++k) {
            EXPECT_LE(cells[k].distance_m, 100'000.0);
            if (k > 0) {
                EXPECT_LE(cells[k - 1].distance_m, cells[k].distance_m);
            }
            EXPECT_EQ(std::string(cells[k].code.view()).substr(4, 4),
                      std::string(code.grid().view()).substr(0, 4));
        }
    }
    // A wide reach lists every 1-degree cell in range once; across the antimeridian too.
    const auto code = make(11120, 0.5, 179.5);
    code.recover(*olc::grid_point(0.5, 179.9), 400'000.0, &cells);
    std::set<std::string> distinct;
    for (const auto& cell : cells) {
        distinct.insert(std::string(cell.code.view()));
    }
    EXPECT_EQ(distinct.size(), cells.size());
    EXPECT_GE(cells.size(), 9U);
    EXPECT_EQ(cells.front().code.view(), olc::encode(0.5, 179.5, 11)->view());
    EXPECT_EQ(cells[1].code.view(), olc::encode(0.5, -179.5, 11)->view());
    // Near a pole, no cell twice.
    code.recover(*olc::grid_point(89.9, 0.0), 300'000.0, &cells);
    distinct.clear();
    for (const auto& cell : cells) {
        distinct.insert(std::string(cell.code.view()));
    }
    EXPECT_EQ(distinct.size(), cells.size());
}

// crs/olc_and_commune_test_vectors.csv: real places -> 10- and 11-digit codes, the commune's
// postcode and the Vpostcode-style code (postcode + digits 5..11), computed independently.
TEST(HouseholdCodeVectors, RealPlacesInVietnam) {
    DIACHI_REQUIRE_DATA(path, "crs/olc_and_commune_test_vectors.csv");
    const auto rows = diachi::test::read_csv(path);
    ASSERT_GE(rows.size(), 5U);
    for (const auto& row : rows) {
        if (row.fields[0] == "point") {
            continue;  // header
        }
        SCOPED_TRACE("olc_and_commune_test_vectors.csv line " + std::to_string(row.line));
        ASSERT_EQ(row.fields.size(), 11U);
        const std::string& lat = row.fields[1];
        const std::string& lng = row.fields[2];
        const auto point = olc::grid_point_from_decimal(lat, lng);
        ASSERT_TRUE(point);
        EXPECT_EQ(olc::encode_unchecked(*point, 10).view(), row.fields[7]);
        EXPECT_EQ(olc::encode_unchecked(*point, 11).view(), row.fields[8]);
        EXPECT_EQ(olc::encode(std::stod(lat), std::stod(lng), 11)->view(), row.fields[8]);
        const auto code =
            HouseholdCode::from_grid(static_cast<std::uint32_t>(std::stoul(row.fields[6])), *point);
        ASSERT_TRUE(code);
        EXPECT_EQ(code->grid().view(), row.fields[9]);
        EXPECT_EQ(code->canonical().view(), row.fields[10]);
        EXPECT_EQ(*HouseholdCode::parse(row.fields[10]), *code);
    }
}

TEST(HouseholdCode, PostcodeTextKeepsLeadingZeros) {
    EXPECT_EQ(diachi::postcode_text(3625).view(), "03625");
    EXPECT_EQ(diachi::postcode_text(11120).view(), "11120");
    EXPECT_EQ(diachi::postcode_text(0).view(), "00000");
    const auto code = diachi::HouseholdCode::parse("03625 W5PP+55F").value();
    EXPECT_EQ(diachi::postcode_text(code.postcode()).view(), code.canonical().view().substr(0, 5));
}

TEST(Distance, FromOneOriginIsThePairwiseDistanceBitForBit) {
    // A degree of latitude on the 6,371,008.8 m sphere.
    EXPECT_NEAR(diachi::distance_m(20.0, 105.0, 21.0, 105.0), 111'195.0802, 1e-4);
    std::mt19937_64 rng(3);
    std::uniform_real_distribution<double> lat(-80.0, 80.0);
    std::uniform_real_distribution<double> lng(-180.0, 180.0);
    std::normal_distribution<double> near(0.0, 0.01);
    for (int i = 0; i < 200; ++i) {
        const auto origin = diachi::LatLngE7::from_degrees(lat(rng), lng(rng)).value();
        const diachi::DistanceFrom from(origin);
        for (int j = 0; j < 50; ++j) {
            // Near (a reverse search) and anywhere.
            const double plat = j % 2 == 0 ? std::clamp(origin.lat_deg() + near(rng), -90.0, 90.0)
                                           : lat(rng);
            const double plng = j % 2 == 0 ? std::clamp(origin.lng_deg() + near(rng), -180.0, 180.0)
                                           : lng(rng);
            const auto p = diachi::LatLngE7::from_degrees(plat, plng).value();
            ASSERT_EQ(from(p), diachi::distance_m(origin, p)) << i << " " << j;
        }
    }
}
