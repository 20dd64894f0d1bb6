#include <diachi/server/glyphs.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <mutex>
#include <stdexcept>

#include <ft2build.h>
#include FT_FREETYPE_H

#include <protozero/pbf_writer.hpp>

namespace diachi::server {

namespace {

constexpr int font_px = 24;        // the size MapLibre lays glyphs out at
constexpr int border = 3;          // pixels around each glyph's bitmap
constexpr double radius = 8.0;     // distance in pixels that spans the 0..255 range
constexpr double cutoff = 0.25;    // share of the range outside the edge: the edge is at 192
constexpr double infinity = 1e20;

/// One-dimensional squared distance transform (Felzenszwalb and Huttenlocher, 2012) of
/// @p f (n values with stride @p stride) in place.
void edt_1d(double* f, std::size_t offset, std::size_t stride, std::size_t n,
            std::vector<std::size_t>& hull, std::vector<double>& z, std::vector<double>& line) {
    line.resize(n);
    for (std::size_t q = 0; q < n; ++q) {
        line[q] = f[offset + q * stride];
    }
    hull.resize(n);
    z.resize(n + 1);
    std::size_t k = 0;
    hull[0] = 0;
    z[0] = -infinity;
    z[1] = infinity;
    for (std::size_t q = 1; q < n; ++q) {
        double s = 0;
        do {
            const std::size_t r = hull[k];
            s = (line[q] - line[r] + static_cast<double>(q * q) - static_cast<double>(r * r)) /
                (2.0 * static_cast<double>(q) - 2.0 * static_cast<double>(r));
        } while (s <= z[k] && k-- > 0);
        ++k;
        hull[k] = q;
        z[k] = s;
        z[k + 1] = infinity;
    }
    k = 0;
    for (std::size_t q = 0; q < n; ++q) {
        while (z[k + 1] < static_cast<double>(q)) {
            ++k;
        }
        const double d = static_cast<double>(q) - static_cast<double>(hull[k]);
        f[offset + q * stride] = d * d + line[hull[k]];
    }
}

/// Squared distance transform of a w x h grid in place.
void edt(std::vector<double>& grid, std::size_t w, std::size_t h) {
    std::vector<std::size_t> hull;
    std::vector<double> z;
    std::vector<double> line;
    for (std::size_t x = 0; x < w; ++x) {
        edt_1d(grid.data(), x, w, h, hull, z, line);
    }
    for (std::size_t y = 0; y < h; ++y) {
        edt_1d(grid.data(), y * w, 1, w, hull, z, line);
    }
}

struct Glyph {
    std::uint32_t id = 0;
    std::string bitmap;
    std::uint32_t width = 0;
    std::uint32_t height = 0;
    std::int32_t left = 0;
    std::int32_t top = 0;
    std::uint32_t advance = 0;
};

/// The distance field of FreeType's 8-bit coverage bitmap, with the border around it.
std::string distance_field(const FT_Bitmap& bitmap) {
    const std::size_t w = bitmap.width + 2 * border;
    const std::size_t h = bitmap.rows + 2 * border;
    std::vector<double> outer(w * h, infinity);
    std::vector<double> inner(w * h, 0.0);
    for (std::size_t y = 0; y < bitmap.rows; ++y) {
        const unsigned char* row = bitmap.buffer + static_cast<std::ptrdiff_t>(y) * bitmap.pitch;
        for (std::size_t x = 0; x < bitmap.width; ++x) {
            const double a = row[x] / 255.0;
            const std::size_t i = (y + border) * w + x + border;
            if (a >= 1.0) {
                outer[i] = 0.0;
                inner[i] = infinity;
            } else if (a > 0.0) {  // an edge pixel: its sub-pixel distance to the edge
                const double d = 0.5 - a;
                outer[i] = d > 0 ? d * d : 0.0;
                inner[i] = d < 0 ? d * d : 0.0;
            }
        }
    }
    edt(outer, w, h);
    edt(inner, w, h);
    std::string out(w * h, '\0');
    for (std::size_t i = 0; i < w * h; ++i) {
        const double d = std::sqrt(outer[i]) - std::sqrt(inner[i]);
        const double value = std::round(255.0 - 255.0 * (d / radius + cutoff));
        out[i] = static_cast<char>(static_cast<unsigned char>(std::clamp(value, 0.0, 255.0)));
    }
    return out;
}

}  // namespace

struct GlyphSet::Impl {
    FT_Library library = nullptr;
    std::vector<std::pair<std::string, FT_Face>> faces;
    mutable std::mutex mutex;  // FreeType faces are not thread-safe; also guards the cache
    mutable std::map<std::pair<std::string, std::uint32_t>, std::string> cache;

    ~Impl() {
        for (auto& [name, face] : faces) {
            FT_Done_Face(face);
        }
        if (library != nullptr) {
            FT_Done_FreeType(library);
        }
    }

    [[nodiscard]] FT_Face face(std::string_view name) const {
        for (const auto& [n, f] : faces) {
            if (n == name) {
                return f;
            }
        }
        return nullptr;
    }

    [[nodiscard]] std::optional<Glyph> render(FT_Face face, std::uint32_t code_point) const {
        const FT_UInt index = FT_Get_Char_Index(face, code_point);
        if (index == 0 || FT_Load_Glyph(face, index, FT_LOAD_NO_HINTING | FT_LOAD_RENDER) != 0) {
            return std::nullopt;
        }
        const FT_GlyphSlot slot = face->glyph;
        Glyph glyph;
        glyph.id = code_point;
        glyph.width = slot->bitmap.width;
        glyph.height = slot->bitmap.rows;
        glyph.left = slot->bitmap_left;
        // Above the baseline, less the ascender: MapLibre's shaping puts the line's top at
        // -ascender-relative offsets (the convention of node-fontnik's glyphs).
        glyph.top = slot->bitmap_top - static_cast<std::int32_t>(face->size->metrics.ascender >> 6);
        glyph.advance = static_cast<std::uint32_t>(std::lround(static_cast<double>(slot->advance.x) / 64.0));
        if (glyph.width > 0 && glyph.height > 0) {
            glyph.bitmap = distance_field(slot->bitmap);
        }
        return glyph;
    }
};

GlyphSet::GlyphSet(const std::vector<std::pair<std::string, std::filesystem::path>>& fonts)
    : m_impl(std::make_unique<Impl>()) {
    if (FT_Init_FreeType(&m_impl->library) != 0) {
        throw std::runtime_error("FreeType could not start");
    }
    for (const auto& [name, path] : fonts) {
        FT_Face face = nullptr;
        if (FT_New_Face(m_impl->library, path.c_str(), 0, &face) != 0) {
            throw std::runtime_error(path.string() + ": not a font FreeType can read");
        }
        FT_Set_Pixel_Sizes(face, 0, font_px);
        m_impl->faces.emplace_back(name, face);
    }
}

GlyphSet::~GlyphSet() = default;

std::vector<std::string> GlyphSet::names() const {
    std::vector<std::string> out;
    for (const auto& [name, face] : m_impl->faces) {
        out.push_back(name);
    }
    return out;
}

std::optional<std::string> GlyphSet::range(std::string_view fontstack, std::uint32_t start) const {
    if (start % 256 != 0 || start > 65280) {
        return std::nullopt;
    }
    std::vector<FT_Face> stack;
    std::string names;  // the known fonts of the stack, "A, B": its name and its cache key
    while (!fontstack.empty()) {
        const std::size_t comma = fontstack.find(',');
        std::string_view name = fontstack.substr(0, comma);
        while (!name.empty() && name.front() == ' ') {
            name.remove_prefix(1);
        }
        if (FT_Face face = m_impl->face(name); face != nullptr) {
            stack.push_back(face);
            names.append(names.empty() ? "" : ", ").append(name);
        }
        fontstack = comma == std::string_view::npos ? std::string_view() : fontstack.substr(comma + 1);
    }
    if (stack.empty()) {
        return std::nullopt;
    }
    const std::string range_text = std::to_string(start) + "-" + std::to_string(start + 255);
    std::lock_guard lock(m_impl->mutex);
    if (const auto it = m_impl->cache.find({names, start}); it != m_impl->cache.end()) {
        return it->second;
    }
    std::string out;
    {
        protozero::pbf_writer glyphs(out);
        protozero::pbf_writer stack_message(glyphs, 1);  // glyphs.stacks
        stack_message.add_string(1, names.data(), names.size());  // fontstack.name
        stack_message.add_string(2, range_text.data(), range_text.size());  // fontstack.range
        for (std::uint32_t cp = start; cp < start + 256; ++cp) {
            std::optional<Glyph> glyph;
            for (FT_Face face : stack) {
                if ((glyph = m_impl->render(face, cp))) {
                    break;
                }
            }
            if (!glyph) {
                continue;
            }
            protozero::pbf_writer g(stack_message, 3);  // fontstack.glyphs
            g.add_uint32(1, glyph->id);
            if (!glyph->bitmap.empty()) {
                g.add_bytes(2, glyph->bitmap.data(), glyph->bitmap.size());
            }
            g.add_uint32(3, glyph->width);
            g.add_uint32(4, glyph->height);
            g.add_sint32(5, glyph->left);
            g.add_sint32(6, glyph->top);
            g.add_uint32(7, glyph->advance);
        }
    }
    m_impl->cache.emplace(std::make_pair(names, start), out);
    return out;
}

}  // namespace diachi::server
