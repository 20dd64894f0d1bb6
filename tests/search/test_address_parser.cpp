// Parsing: unit words and abbreviations both ways, house numbers, alleys, any order, missing
// parts. Each row: the text, then the components expected as "part:name" joined by " | ".

#include <gtest/gtest.h>

#include <string>

#include <diachi/search/address_parser.hpp>

namespace {

using diachi::search::parse_address;

std::string show(std::string_view text) {
    std::string out;
    for (const auto& c : parse_address(text).components) {
        out.append(out.empty() ? "" : " | ")
            .append(diachi::search::name(c.part))
            .append(":")
            .append(c.name);
    }
    return out;
}

struct Row {
    const char* text;
    const char* expected;
};

const Row rows[] = {
    // The example, and the same without diacritics and commas.
    {"số 5 thôn Liên Trì 2, xã Yên Hòa, Yên Mô, Ninh Bình",
     "house_number:5 | hamlet:lien tri 2 | commune:yen hoa | unmarked:yen mo | unmarked:ninh binh"},
    {"so 5 thon lien tri 2 xa yen hoa huyen yen mo tinh ninh binh",
     "house_number:5 | hamlet:lien tri 2 | commune:yen hoa | district:yen mo | province:ninh binh"},
    // Abbreviations, and the unit words they stand for.
    {"P. Hàng Trống, Q. Hoàn Kiếm, TP. Hà Nội",
     "commune:hang trong | district:hoan kiem | city:ha noi"},
    {"Phường Hàng Trống, Quận Hoàn Kiếm, Thành phố Hà Nội",
     "commune:hang trong | district:hoan kiem | city:ha noi"},
    {"P.5, Q.3", "commune:5 | district:3"},
    {"P5 Q3", "commune:5 | district:3"},
    {"TX. Sơn Tây", "district:son tay"},
    {"Thị xã Sơn Tây", "district:son tay"},
    {"TT. Phong Điền", "commune:phong dien"},
    {"Thị trấn Phong Điền", "commune:phong dien"},
    {"TT thương mại Tràng Tiền", "unmarked:tt thuong mai trang tien"},  // trung tâm, not thị trấn
    {"X. Yên Hòa, H. Yên Mô, T. Ninh Bình",
     "commune:yen hoa | district:yen mo | province:ninh binh"},
    {"Xã Yên Hòa, Huyện Yên Mô, Tỉnh Ninh Bình",
     "commune:yen hoa | district:yen mo | province:ninh binh"},
    {"đặc khu Phú Quốc", "commune:phu quoc"},
    {"sn 12, tdp 3", "house_number:12 | hamlet:3"},
    {"số nhà 12, tổ dân phố 3", "house_number:12 | hamlet:3"},
    {"kp 4, TP. Thủ Đức", "hamlet:4 | city:thu duc"},
    {"khu phố 4", "hamlet:4"},
    // Alleys: ngõ / ngách / hẻm / kiệt, with numbers like 12/34.
    {"ngõ 12/34 Phố Huế", "alley:12/34 | street:hue"},
    {"số 7 ngách 3 ngõ 12 Phố Huế",
     "house_number:7 | alley:3 | alley:12 | street:hue"},
    {"hẻm 45 đường Trần Hưng Đạo", "alley:45 | street:tran hung dao"},
    {"kiệt 21 Lê Lợi", "alley:21 | street:le loi"},
    // Hamlet words: thôn, xóm, ấp, bản, tổ.
    {"xóm 3", "hamlet:3"},
    {"ấp Bình Thạnh", "hamlet:binh thanh"},
    {"bản Văn Lãng", "hamlet:van lang"},
    {"tổ 5", "hamlet:5"},
    // A house number then a street without its unit word; any order.
    {"21 Hàng Gai", "house_number:21 | street:hang gai"},
    {"Hà Nội, Hoàn Kiếm, 21 Phố Hàng Gai",
     "unmarked:ha noi | unmarked:hoan kiem | house_number:21 | street:hang gai"},
    {"831 Phú Mỹ 8", "house_number:831 | street:phu mi 8"},
    // A unit word first in a name is part of it.
    {"Phường Phố Hiến", "commune:pho hien"},
    {"Phố Tô Hiến Thành", "street:to hien thanh"},
    // Minority-language names.
    {"xã Ea H'leo, Đắk Lắk", "commune:ea hleo | unmarked:dak lak"},
    // Missing parts and nothing at all.
    {"Ninh Bình", "unmarked:ninh binh"},
    {"", ""},
    {"số", "unmarked:so"},
};

TEST(AddressParser, Table) {
    for (const auto& row : rows) {
        EXPECT_EQ(show(row.text), row.expected) << row.text;
    }
}

}  // namespace

TEST(AddressParser, UnitWordsAndTheTokensOfComponents) {
    using diachi::search::Part;
    using diachi::search::tokenize;
    using diachi::search::unit_word_at;
    const auto tokens = tokenize("Thị trấn, Dương Minh Châu");
    EXPECT_EQ(unit_word_at(tokens, 0).length, 0U);  // no name follows in its segment
    const auto alone = unit_word_at(tokens, 0, true);
    EXPECT_EQ(alone.part, Part::commune);
    EXPECT_EQ(alone.length, 2U);
    const auto p = unit_word_at(tokenize("P.5"), 0);
    EXPECT_EQ(p.part, Part::commune);
    EXPECT_EQ(p.full, "phuong");
    // Each component knows the tokens it was read from, its unit word included.
    const auto parsed = diachi::search::parse_address("số 5 thôn Liên Trì 2, xã Yên Hòa");
    ASSERT_EQ(parsed.components.size(), 3U);
    EXPECT_EQ(parsed.components[1].first_token, 2U);  // "thon"
    EXPECT_EQ(parsed.components[1].end_token, 6U);
    EXPECT_EQ(parsed.components[2].first_token, 6U);  // "xa"
    EXPECT_EQ(parsed.components[2].end_token, 9U);
}
