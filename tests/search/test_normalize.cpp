// Normalisation: every spelling variant issue #4 lists gives the same tokens.

#include <gtest/gtest.h>

#include <diachi/search/normalize.hpp>

namespace {

using diachi::search::normalize;
using diachi::search::tokenize;

struct Same {
    const char* what;
    const char* a;
    const char* b;
};

// Each pair must normalise to the same text.
const Same same[] = {
    {"NFC and NFD", "Hòa", "Ho\xcc\x80" "a"},                        // ò precomposed / o + U+0300
    {"NFD with two marks", "Thủy", "Thu\xcc\x9b\xcc\x89y"},            // ư = u + horn, + hook
    {"no diacritics", "Yên Hòa", "Yen Hoa"},
    {"upper case", "NINH BÌNH", "ninh bình"},
    {"đ", "Đống Đa", "dong da"},
    {"old tone placement oà", "Thanh Hoá", "Thanh Hóa"},
    {"old tone placement uỷ", "thuỷ", "thủy"},
    {"y/i after a consonant", "Lý Thường Kiệt", "Lí Thường Kiệt"},
    {"y/i: Kỳ", "Kỳ Anh", "Kì Anh"},
    {"apostrophe", "Ea H'leo", "Ea Hleo"},
    {"apostrophe and space", "Ea H' Leo", "Ea Hleo"},
    {"typographic apostrophe", "Ea H\xe2\x80\x99leo", "Ea Hleo"},
    {"hyphen", "Ea-Hleo", "Ea Hleo"},
    {"hyphen with spaces", "Văn Miếu - Quốc Tử Giám", "Van Mieu Quoc Tu Giam"},
    {"white space", "  Hàng\tGai  ", "hang gai"},
    {"glued abbreviation", "P5", "P. 5"},
    {"glued letters with y/i", "Ky24", "ki 24"},  // found by fuzz_address
};

TEST(Normalize, VariantsAgree) {
    for (const auto& s : same) {
        EXPECT_EQ(normalize(s.a), normalize(s.b)) << s.what;
    }
}

TEST(Normalize, KeepsWhatDiffers) {
    EXPECT_NE(normalize("Thủy"), normalize("Thụy Khê"));
    EXPECT_EQ(normalize("Quy Nhơn"), "quy nhon");  // 'y' after a vowel stays
    EXPECT_EQ(normalize("Thủy"), "thuy");
    EXPECT_EQ(normalize("ngõ 12/34"), "ngo 12/34");
    EXPECT_EQ(normalize("26A"), "26a");
}

// Normalised text normalises to itself (what fuzz_address checks on any input).
TEST(Normalize, IsIdempotent) {
    for (const auto& s : same) {
        EXPECT_EQ(normalize(normalize(s.a)), normalize(s.a)) << s.what;
        EXPECT_EQ(normalize(normalize(s.b)), normalize(s.b)) << s.what;
    }
    EXPECT_EQ(normalize(normalize("Cy024 et\xf4")), normalize("Cy024 et\xf4"));
}

TEST(Tokenize, MarksCommasAndDots) {
    const auto t = tokenize("TT. Phong Điền, H. Phong Điền");
    ASSERT_EQ(t.size(), 6U);
    EXPECT_EQ(t[0].text, "tt");
    EXPECT_TRUE(t[0].dot_after);
    EXPECT_FALSE(t[1].comma_before);
    EXPECT_TRUE(t[3].comma_before);
    EXPECT_EQ(t[3].text, "h");
    EXPECT_TRUE(t[3].dot_after);
}

TEST(Tokenize, InvalidUtf8DoesNotThrow) {
    EXPECT_NO_THROW((void)tokenize("\xff\xfe H\xc3"));
    EXPECT_TRUE(tokenize("").empty());
    EXPECT_TRUE(tokenize(" , ; ").empty());
}

}  // namespace

TEST(Normalize, GluedWordsAreSplit) {
    using diachi::search::normalize;
    using diachi::search::split_glued_words;
    const struct {
        const char* text;
        const char* want;
    } cases[] = {
        {"TP.HồChíMinh", "tp ho chi minh"},
        {"P.TânĐịnh, Q.1", "p tan dinh q 1"},
        {"X.SơnKim1", "x son kim 1"},
        {"ĐàNẵng", "da nang"},
        {"TPHCM", "tphcm"},                  // capitals only: one word
        {"hochiminh", "hochiminh"},          // one case: one word
        {"Ho\xcc\x80" "a Bi\xcc\x80" "nh", "hoa binh"},  // NFD marks between letters
    };
    for (const auto& c : cases) {
        EXPECT_EQ(normalize(c.text), c.want) << c.text;
    }
    EXPECT_EQ(split_glued_words("P.TânĐịnh"), "P.Tân Định");
    // A capital with no Latin letter under it starts no word: folding keeps it a capital, and
    // normalising normalised text must change nothing (a fuzzer's find).
    EXPECT_EQ(split_glued_words("x\xc3\x9e"), "x\xc3\x9e");  // xÞ
    EXPECT_EQ(normalize(normalize("X\xc3\x9e M")), normalize("X\xc3\x9e M"));
    EXPECT_EQ(split_glued_words("\xff\xfe"), "\xff\xfe");  // bytes that are not UTF-8 stay
}

TEST(Normalize, WordsOfNormalisedText) {
    using diachi::search::split_words;
    using diachi::search::word_count;
    EXPECT_EQ(split_words("lien tri 2"), (std::vector<std::string>{"lien", "tri", "2"}));
    EXPECT_TRUE(split_words("").empty());
    EXPECT_EQ(word_count("lien tri 2"), 3U);
    EXPECT_EQ(word_count(""), 0U);
}
