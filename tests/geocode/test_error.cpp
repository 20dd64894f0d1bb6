// The error enum, its names and messages, and Result<T>.

#include <set>
#include <string>

#include <gtest/gtest.h>

#include <diachi/error.hpp>

using diachi::Error;
using diachi::ErrorCode;

TEST(Error, EveryCodeHasADistinctNameAndDescription) {
    std::set<std::string> names;
    for (int i = 0; i <= static_cast<int>(ErrorCode::missing_field); ++i) {
        const auto code = static_cast<ErrorCode>(i);
        EXPECT_FALSE(diachi::describe(code).empty());
        EXPECT_TRUE(names.insert(std::string(diachi::name(code))).second) << i;
    }
    EXPECT_EQ(diachi::name(ErrorCode::invalid_character), "invalid_character");
}

TEST(Error, MessageNamesCharacterPositionAndExpectation) {
    const Error error{ErrorCode::invalid_character, 7, U'I', "expected one of 23456789"};
    EXPECT_EQ(error.message(), "invalid character 'I' at position 7: expected one of 23456789");
    const Error unicode{ErrorCode::invalid_character, 2, U'\u0110', ""};
    EXPECT_EQ(unicode.message(), "invalid character 'U+0110' at position 2");
    EXPECT_EQ((Error{ErrorCode::empty_input, 0, 0, ""}).message(), "empty input");
}

TEST(Error, ResultHoldsAValueOrThrowsOnAccess) {
    const diachi::Result<int> good = 5;
    ASSERT_TRUE(good);
    EXPECT_EQ(good.value(), 5);
    EXPECT_EQ(good.error().code, ErrorCode::ok);
    const diachi::Result<int> bad = Error{ErrorCode::bad_unit, 0, 0, "a unit is 1..9999"};
    ASSERT_FALSE(bad);
    try {
        (void)bad.value();
        FAIL() << "value() of an error must throw";
    } catch (const diachi::BadResultAccess& e) {
        EXPECT_EQ(std::string(e.what()), "invalid unit suffix: a unit is 1..9999");
        EXPECT_EQ(e.error().code, ErrorCode::bad_unit);
    }
}
