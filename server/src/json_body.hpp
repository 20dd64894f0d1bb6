#ifndef DIACHI_SERVER_JSON_BODY_HPP
#define DIACHI_SERVER_JSON_BODY_HPP

// Request bodies: one flat JSON object (RFC 8259) whose values are strings, numbers, true,
// false or null. Nested objects and arrays are refused: no route takes them. Errors name the
// byte offset and what was expected there.

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace diachi::server::detail {

struct JsonValue {
    enum class Kind { string, number, boolean, null } kind = Kind::null;
    std::string text;    // the string, or the number as written
    double number = 0;   // for numbers
    bool boolean = false;
};

struct JsonBody {
    std::map<std::string, JsonValue, std::less<>> fields;

    /// The string field @p key; nullopt when absent or null. Throws std::invalid_argument when
    /// it is another kind.
    [[nodiscard]] std::optional<std::string> string(std::string_view key) const;
    /// The number field @p key; nullopt when absent or null; throws for another kind.
    [[nodiscard]] std::optional<double> number(std::string_view key) const;
    /// The number field @p key exactly as written (for coordinates read as exact decimals).
    [[nodiscard]] std::optional<std::string> number_text(std::string_view key) const;
};

/// Parses @p text. Throws std::invalid_argument ("offset 12: expected ':'").
[[nodiscard]] JsonBody parse_json_body(std::string_view text);

}  // namespace diachi::server::detail

#endif  // DIACHI_SERVER_JSON_BODY_HPP
