#ifndef DIACHI_FIXED_STRING_HPP
#define DIACHI_FIXED_STRING_HPP

/// @file
/// A short string held in place (no heap), returned by the code functions so that encoding and
/// formatting never allocate. Convert to std::string_view to use it, or str() to keep a copy.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace diachi {

/// At most Capacity characters, stored inline. Not NUL-terminated unless c_str() is used.
template <std::size_t Capacity>
class FixedString {
    static_assert(Capacity < 255, "FixedString keeps its size in one byte");

public:
    static constexpr std::size_t capacity = Capacity;

    constexpr FixedString() noexcept = default;

    /// Copies @p text, truncated to Capacity characters.
    constexpr explicit FixedString(std::string_view text) noexcept {
        const std::size_t n = text.size() < Capacity ? text.size() : Capacity;
        std::copy_n(text.data(), n, m_data);
        m_size = static_cast<std::uint8_t>(n);
    }

    [[nodiscard]] constexpr std::size_t size() const noexcept { return m_size; }
    [[nodiscard]] constexpr bool empty() const noexcept { return m_size == 0; }
    [[nodiscard]] constexpr const char* data() const noexcept { return m_data; }
    [[nodiscard]] constexpr char operator[](std::size_t i) const noexcept { return m_data[i]; }
    [[nodiscard]] constexpr std::string_view view() const noexcept { return {m_data, m_size}; }
    constexpr operator std::string_view() const noexcept { return view(); }  // NOLINT: by design
    [[nodiscard]] std::string str() const { return std::string(view()); }
    /// NUL-terminated characters (the buffer keeps one byte for it).
    [[nodiscard]] const char* c_str() noexcept {
        m_data[m_size] = '\0';
        return m_data;
    }

    /// Storage to fill in place (Capacity characters), for writers on hot paths; then call
    /// set_size().
    [[nodiscard]] constexpr char* buffer() noexcept { return m_data; }
    /// Sets the size after filling buffer(). Precondition: n <= Capacity.
    constexpr void set_size(std::size_t n) noexcept { m_size = static_cast<std::uint8_t>(n); }

    /// Appends @p c. Precondition: size() < Capacity.
    constexpr void push_back(char c) noexcept { m_data[m_size++] = c; }
    /// Shortens to @p n characters. Precondition: n <= size().
    constexpr void resize_down(std::size_t n) noexcept { m_size = static_cast<std::uint8_t>(n); }

    friend constexpr bool operator==(const FixedString& a, const FixedString& b) noexcept {
        return a.view() == b.view();
    }
    friend constexpr bool operator==(const FixedString& a, std::string_view b) noexcept {
        return a.view() == b;
    }

private:
    char m_data[Capacity + 1]{};
    std::uint8_t m_size = 0;
};

}  // namespace diachi

#endif  // DIACHI_FIXED_STRING_HPP
