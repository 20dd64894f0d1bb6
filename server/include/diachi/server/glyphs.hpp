#ifndef DIACHI_SERVER_GLYPHS_HPP
#define DIACHI_SERVER_GLYPHS_HPP

/// @file
/// Glyphs for MapLibre's labels: signed distance fields of a font's characters, 256 code points
/// to a range, in the glyphs protocol buffer MapLibre reads from a style's "glyphs" URL
/// (fontstack { name, range, glyph { id, bitmap, width, height, left, top, advance } }).
/// Each glyph is drawn by FreeType at 24 px, and its distance field computed with a 3 px border
/// and an 8 px radius, the edge at 192 (the values MapLibre's shaders expect). Ranges are made
/// on first request and kept.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace diachi::server {

class GlyphSet {
public:
    /// Fonts by family name, e.g. {"Noto Sans Regular", ".../NotoSans-Regular.ttf"}. Throws
    /// std::runtime_error naming a file FreeType cannot open.
    explicit GlyphSet(const std::vector<std::pair<std::string, std::filesystem::path>>& fonts);
    ~GlyphSet();
    GlyphSet(const GlyphSet&) = delete;
    GlyphSet& operator=(const GlyphSet&) = delete;

    /// The glyphs protocol buffer of code points [@p start, @p start + 255] for @p fontstack
    /// (names separated by commas: each glyph from the first font that has it). nullopt when
    /// no font of the stack is known or @p start is not a multiple of 256 below 65536.
    /// Thread-safe.
    [[nodiscard]] std::optional<std::string> range(std::string_view fontstack,
                                                   std::uint32_t start) const;

    /// The families, in the order given.
    [[nodiscard]] std::vector<std::string> names() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace diachi::server

#endif  // DIACHI_SERVER_GLYPHS_HPP
