#ifndef DIACHI_ERROR_HPP
#define DIACHI_ERROR_HPP

/// @file
/// How the diachi core reports an expected, per-item failure (a malformed code, a number that is
/// not a number): one documented error enum, describe(), and Result<T> carrying a value or an
/// Error. Environment failures (files, databases) throw instead; see docs/errors.md.

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace diachi {

/// What went wrong. The numeric values are stable: bindings and the HTTP API expose them.
enum class ErrorCode : std::uint8_t {
    ok = 0,                    ///< no error
    empty_input = 1,           ///< the text holds nothing to parse
    invalid_character = 2,     ///< a character outside the expected alphabet (see position)
    misplaced_separator = 3,   ///< OLC '+' missing, repeated, or not at an even position <= 8
    misplaced_padding = 4,     ///< OLC '0' padding where the specification does not allow it
    invalid_length = 5,        ///< too few or too many characters, or a code length not allowed
    not_full_code = 6,         ///< the operation needs a full code (e.g. decode, shorten)
    not_short_code = 7,        ///< the operation needs a short code (e.g. recover_nearest)
    padded_code = 8,           ///< the operation does not accept codes with '0' padding
    malformed_number = 9,      ///< decimal text not of the form [+-]digits[.digits]
    not_finite = 10,           ///< NaN or an infinity where a coordinate was expected
    out_of_range = 11,         ///< a number outside the range the operation accepts
    bad_check_character = 12,  ///< the check character does not match the code
    bad_unit = 13,             ///< a unit suffix that is not 1..9999 without leading zeros
    outside_zones = 14,        ///< a point in no zone (at sea, abroad) and not near one
    not_found = 15,            ///< no household, code or zone by that name is registered
    unit_exhausted = 16,       ///< every unit suffix of a cell is taken
    retired = 17,              ///< the household is retired and cannot change any more
    missing_field = 18,        ///< a required field of an input row is empty or absent
};

/// A short English description of @p code, e.g. "invalid character". Never empty.
[[nodiscard]] std::string_view describe(ErrorCode code) noexcept;

/// The stable snake_case name of @p code, e.g. "invalid_character" (used in JSON output).
[[nodiscard]] std::string_view name(ErrorCode code) noexcept;

/// An expected failure: what went wrong and, for text input, where.
///
/// Plain data, so that returning one never allocates; message() builds the human text on demand.
struct Error {
    ErrorCode code = ErrorCode::ok;
    /// 1-based position of the offending character in the input, counted in Unicode code points
    /// (0 when the error is not about one character).
    std::uint32_t position = 0;
    /// The offending character as a Unicode code point (0 when not about one character).
    char32_t character = 0;
    /// A static detail saying what was expected (may be empty).
    std::string_view detail{};

    /// e.g. "invalid character 'I' at position 7: expected one of 23456789CFGHJMPQRVWX".
    [[nodiscard]] std::string message() const;
};

/// Thrown by Result<T>::value() when the result holds an error.
class BadResultAccess : public std::logic_error {
public:
    explicit BadResultAccess(const Error& error)
        : std::logic_error(error.message()), m_error(error) {}
    [[nodiscard]] const Error& error() const noexcept { return m_error; }

private:
    Error m_error;
};

/// A value of type T or an Error. T must be default-constructible and cheap to copy.
template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) noexcept(std::is_nothrow_move_constructible_v<T>)  // NOLINT: implicit by design
        : m_value(std::move(value)) {}
    Result(Error error) noexcept : m_error(error) {}  // NOLINT: implicit by design

    [[nodiscard]] bool has_value() const noexcept { return m_error.code == ErrorCode::ok; }
    explicit operator bool() const noexcept { return has_value(); }

    /// The value; throws BadResultAccess (with the error's message) if there is none.
    [[nodiscard]] const T& value() const& {
        if (!has_value()) {
            throw BadResultAccess(m_error);
        }
        return m_value;
    }
    /// The value without a check. Precondition: has_value().
    [[nodiscard]] const T& operator*() const noexcept { return m_value; }
    [[nodiscard]] const T* operator->() const noexcept { return &m_value; }
    /// The value, to fill in place (lets a function write its result where the caller keeps it).
    /// Precondition: has_value().
    [[nodiscard]] T& operator*() noexcept { return m_value; }
    [[nodiscard]] T* operator->() noexcept { return &m_value; }

    /// The error; code is ErrorCode::ok when there is a value.
    [[nodiscard]] const Error& error() const noexcept { return m_error; }

private:
    T m_value{};
    Error m_error{};
};

}  // namespace diachi

#endif  // DIACHI_ERROR_HPP
