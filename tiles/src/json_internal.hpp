#ifndef DIACHI_TILES_JSON_INTERNAL_HPP
#define DIACHI_TILES_JSON_INTERNAL_HPP

// JSON text the tiles library writes (canonical tiles, TileJSON vector_layers).

#include <cstdio>
#include <string>
#include <string_view>

namespace diachi::tiles::detail {

/// Appends @p s as a JSON string literal: quoted, with quotes, backslashes and control
/// characters escaped (UTF-8 passes through).
inline void append_json_string(std::string_view s, std::string* out) {
    out->push_back('"');
    for (const char c : s) {
        switch (c) {
            case '"': out->append("\\\""); break;
            case '\\': out->append("\\\\"); break;
            case '\n': out->append("\\n"); break;
            case '\t': out->append("\\t"); break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", c);
                    out->append(buf);
                } else {
                    out->push_back(c);
                }
        }
    }
    out->push_back('"');
}

}  // namespace diachi::tiles::detail

#endif  // DIACHI_TILES_JSON_INTERNAL_HPP
