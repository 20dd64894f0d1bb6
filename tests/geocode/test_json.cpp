// The JSON writer: escapes as RFC 8259 asks, replaces bytes that are not UTF-8, and reads back
// (checked with a small decoder written here from the RFC) as the text it was given.

#include <diachi/json.hpp>

#include <cstdint>
#include <optional>
#include <random>
#include <string>

#include <gtest/gtest.h>

namespace {

/// Decodes one JSON string literal (the whole of @p json); nullopt when it is not one. Only
/// what RFC 8259 allows: no raw control characters, the eight short escapes and \uXXXX.
std::optional<std::string> decode_literal(const std::string& json) {
    if (json.size() < 2 || json.front() != '"' || json.back() != '"') {
        return std::nullopt;
    }
    std::string out;
    for (std::size_t i = 1; i + 1 < json.size(); ++i) {
        const auto c = static_cast<unsigned char>(json[i]);
        if (c < 0x20 || c == '"') {
            return std::nullopt;
        }
        if (c != '\\') {
            out.push_back(static_cast<char>(c));
            continue;
        }
        if (++i + 1 >= json.size()) {
            return std::nullopt;
        }
        switch (json[i]) {
            case '"': out.push_back('"'); break;
            case '\\': out.push_back('\\'); break;
            case '/': out.push_back('/'); break;
            case 'b': out.push_back('\b'); break;
            case 'f': out.push_back('\f'); break;
            case 'n': out.push_back('\n'); break;
            case 'r': out.push_back('\r'); break;
            case 't': out.push_back('\t'); break;
            case 'u': {
                if (i + 4 >= json.size()) {
                    return std::nullopt;
                }
                const unsigned code = static_cast<unsigned>(std::stoul(json.substr(i + 1, 4), nullptr, 16));
                i += 4;
                if (code < 0x80) {
                    out.push_back(static_cast<char>(code));
                } else if (code < 0x800) {
                    out.push_back(static_cast<char>(0xC0 | (code >> 6)));
                    out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
                } else {
                    out.push_back(static_cast<char>(0xE0 | (code >> 12)));
                    out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
                    out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
                }
                break;
            }
            default: return std::nullopt;
        }
    }
    return out;
}

TEST(JsonString, EscapesWhatTheRfcRequires) {
    struct Case {
        std::string text;
        std::string json;
    };
    const Case cases[] = {
        {"", R"("")"},
        {"plain", R"("plain")"},
        {R"(say "xin chào")", R"("say \"xin chào\"")"},
        {R"(C:\tmp)", R"("C:\\tmp")"},
        {"a\nb\rc\td", R"("a\nb\rc\td")"},
        {std::string("nul\0here", 8), R"("nul\u0000here")"},
        {"\x1f\x7f", "\"\\u001f\x7f\""},
        {"Phường Hoàn Kiếm", R"("Phường Hoàn Kiếm")"},
        {"</script>", R"("</script>")"},
    };
    for (const auto& c : cases) {
        EXPECT_EQ(diachi::json_string(c.text), c.json) << c.text;
    }
}

TEST(JsonString, BytesThatAreNotUtf8BecomeTheReplacementCharacter) {
    struct Case {
        std::string text;
        std::string json;
    };
    const Case cases[] = {
        {"a\xff" "b", R"("a\ufffdb")"},                // never in UTF-8
        {"\xc3", R"("\ufffd")"},                       // a sequence cut short at the end
        {"\xc3(", R"("\ufffd(")"},                     // ... and in the middle
        {"\xc0\xaf", R"("\ufffd\ufffd")"},             // an overlong '/'
        {"\xed\xa0\x80", R"("\ufffd\ufffd\ufffd")"},   // a UTF-16 surrogate
        {"\xf4\x90\x80\x80", R"("\ufffd\ufffd\ufffd\ufffd")"},  // above U+10FFFF
        {"ok \xe1\xbb\x87 \x80", "\"ok \xe1\xbb\x87 \\ufffd\""},
    };
    for (const auto& c : cases) {
        EXPECT_EQ(diachi::json_string(c.text), c.json);
    }
}

TEST(JsonString, AppendsAfterWhatIsThere) {
    std::string out = "[1,";
    diachi::append_json_string("x\"y", &out);
    EXPECT_EQ(out, R"([1,"x\"y")");
}

// Random text of valid UTF-8 (ASCII with control characters, Vietnamese letters, emoji) reads
// back exactly; random bytes always give a valid literal.
TEST(JsonString, ValidTextRoundTripsAndAnyBytesGiveValidJson) {
    std::mt19937 random(2025);
    const std::string pieces[] = {"a", "\"", "\\", "\n", "\x01", "\x1f", " ", "ệ", "Đ", "ữ", "😀", "/"};
    for (int round = 0; round < 2000; ++round) {
        std::string text;
        const int n = static_cast<int>(random() % 40);
        for (int i = 0; i < n; ++i) {
            text += pieces[random() % std::size(pieces)];
        }
        const auto json = diachi::json_string(text);
        const auto back = decode_literal(json);
        ASSERT_TRUE(back.has_value()) << json;
        EXPECT_EQ(*back, text);

        std::string bytes;
        for (int i = 0; i < n; ++i) {
            bytes.push_back(static_cast<char>(random() & 0xFF));
        }
        EXPECT_TRUE(decode_literal(diachi::json_string(bytes)).has_value()) << diachi::json_string(bytes);
    }
}

}  // namespace
