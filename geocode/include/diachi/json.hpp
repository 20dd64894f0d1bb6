#ifndef DIACHI_JSON_HPP
#define DIACHI_JSON_HPP

/// @file
/// Writing JSON text: what the command-line tool prints, the server answers and the tiles'
/// metadata hold. Strings are escaped as RFC 8259 requires; bytes that are not UTF-8 become
/// U+FFFD, so the output is always valid JSON.

#include <cstdint>
#include <string>
#include <string_view>

namespace diachi {

/// Appends @p text as a JSON string literal to @p out.
void append_json_string(std::string_view text, std::string* out);

/// @p text as a JSON string literal, quoted and escaped.
[[nodiscard]] std::string json_string(std::string_view text);

/// The shortest decimal text that reads back as @p value ("null" when it is not finite).
[[nodiscard]] std::string number_text(double value);

/// A fixed-point coordinate (1e-7 degree) as its exact decimal text: 210285110 -> "21.028511".
[[nodiscard]] std::string e7_text(std::int32_t e7);

/// A JSON object, built field by field: JsonObject{}.field("a", 1L).str() is {"a":1}.
class JsonObject {
public:
    JsonObject& field(std::string_view key, std::string_view value);
    JsonObject& field(std::string_view key, const char* value) {
        return field(key, std::string_view(value));
    }
    JsonObject& field(std::string_view key, double value);
    JsonObject& field(std::string_view key, long value);
    JsonObject& field(std::string_view key, bool value);
    /// A field whose value is already JSON text (an object, array or number).
    JsonObject& raw(std::string_view key, std::string_view json);
    [[nodiscard]] std::string str() const { return m_text + "}"; }

private:
    void key(std::string_view key);
    std::string m_text = "{";
};

/// A JSON array, built item by item: JsonArray{}.raw("1").string("a").str() is [1,"a"].
class JsonArray {
public:
    /// An item that is already JSON text.
    JsonArray& raw(std::string_view json);
    JsonArray& string(std::string_view text);
    [[nodiscard]] std::string str() const { return m_text + "]"; }
    [[nodiscard]] bool empty() const noexcept { return m_text.size() == 1; }

private:
    std::string m_text = "[";
};

}  // namespace diachi

#endif  // DIACHI_JSON_HPP
