// Random and mutated input never breaks the parsers: every call either succeeds with a value
// that round-trips or fails with an error that names what is wrong. (Run under the sanitizers
// too; fuzzing with libFuzzer comes with the hardening issue.)

#include <random>
#include <string>

#include <gtest/gtest.h>

#include <diachi/household_code.hpp>
#include <diachi/olc.hpp>

namespace olc = diachi::olc;
using diachi::ErrorCode;

namespace {

/// Random text from a mix of code characters, separators and arbitrary bytes.
std::string random_text(std::mt19937_64& rng) {
    static const std::string pool =
        "23456789CFGHJMPQRVWXcfghjmpqrvwx0+-/ .01ABKLZ\t\xC3\xA9\xE2\x80";
    std::uniform_int_distribution<int> length(0, 24);
    std::uniform_int_distribution<int> pick(0, 9);
    std::string text;
    for (int n = length(rng); n > 0; --n) {
        if (pick(rng) == 0) {
            text += static_cast<char>(rng() & 0xFF);
        } else {
            text += pool[rng() % pool.size()];
        }
    }
    return text;
}

/// A real code with one random edit, so that many inputs get deep into the parsers.
std::string mutated(std::mt19937_64& rng, std::string text) {
    if (text.empty()) {
        return text;
    }
    const std::size_t at = rng() % text.size();
    switch (rng() % 3) {
        case 0:
            text[at] = static_cast<char>(rng() & 0xFF);
            break;
        case 1:
            text.erase(at, 1);
            break;
        default:
            text.insert(at, 1, static_cast<char>(rng() & 0xFF));
            break;
    }
    return text;
}

}  // namespace

TEST(Robustness, OlcFunctionsAnswerEveryInput) {
    std::mt19937_64 rng(99);
    for (int i = 0; i < 200000; ++i) {
        constexpr int lengths[] = {4, 8, 10, 11, 12, 15};
        const auto code =
            olc::encode(static_cast<double>(rng() % 17000) / 100.0 - 85.0,
                        static_cast<double>(rng() % 36000) / 100.0 - 180.0, lengths[rng() % 6]);
        const std::string text = i % 2 == 0 ? random_text(rng) : mutated(rng, code->str());
        const auto error = olc::validate(text);
        ASSERT_EQ(error.code == ErrorCode::ok, olc::is_valid(text)) << text;
        if (error.code != ErrorCode::ok) {
            ASSERT_FALSE(error.message().empty());
        }
        const auto area = olc::decode(text);
        if (area) {
            ASSERT_TRUE(olc::is_full(text)) << text;
            const auto again = olc::encode_unchecked(area->south_west, area->length);
            ASSERT_EQ(olc::decode(again.view())->south_west, area->south_west) << text;
        }
        const auto recovered = olc::recover_nearest(text, 21.0, 105.8);
        ASSERT_EQ(static_cast<bool>(recovered),
                  error.code == ErrorCode::ok && (olc::is_short(text) || olc::is_full(text)))
            << text;
        if (recovered) {
            ASSERT_TRUE(olc::is_full(recovered->view())) << text << " -> " << recovered->view();
        }
        (void)olc::shorten(text, 21.0, 105.8);
        (void)olc::grid_point_from_decimal(text, text);
    }
}

TEST(Robustness, HouseholdCodeParseAnswersEveryInput) {
    std::mt19937_64 rng(7);
    for (int i = 0; i < 200000; ++i) {
        const auto base =
            diachi::HouseholdCode::from_degrees(static_cast<std::uint32_t>(rng() % 100000),
                                                8.0 + static_cast<double>(rng() % 1600) / 100.0,
                                                102.0 + static_cast<double>(rng() % 800) / 100.0,
                                                static_cast<std::uint16_t>(1 + rng() % 30));
        const std::string text = i % 2 == 0
                                     ? random_text(rng)
                                     : mutated(rng, std::string(base->display_checked().view()));
        const auto code = diachi::HouseholdCode::parse(text);
        if (code) {
            ASSERT_TRUE(code->is_valid());
            ASSERT_EQ(*diachi::HouseholdCode::parse(code->display_checked().view()), *code) << text;
        } else {
            ASSERT_NE(code.error().code, ErrorCode::ok);
            ASSERT_FALSE(code.error().message().empty());
        }
    }
}
