// The MVT writer fed random geometries (points, lines, polygons with holes, repeated and
// collinear points, coordinates far outside the tile) and properties: whatever it writes must
// pass the checker (every rule of MVT 2.1) and decode.

#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include <diachi/tiles/mvt_reader.hpp>
#include <diachi/tiles/mvt_writer.hpp>

#include "fuzz_support.hpp"

namespace {

/// Reads the fuzzer's bytes as a stream of small numbers.
class Bytes {
public:
    Bytes(const std::uint8_t* data, std::size_t size) : m_data(data), m_size(size) {}
    [[nodiscard]] bool empty() const { return m_at >= m_size; }
    std::uint8_t byte() { return m_at < m_size ? m_data[m_at++] : 0; }
    std::int32_t coordinate() {
        // Mostly inside the tile, sometimes far outside (clipped geometry reaches the buffer).
        const std::int32_t v = static_cast<std::int16_t>(byte() << 8 | byte());
        return byte() % 8 == 0 ? v * 64 : v % 4400;
    }

private:
    const std::uint8_t* m_data;
    std::size_t m_size;
    std::size_t m_at = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace mvt = diachi::tiles::mvt;
    Bytes in(data, size);
    std::string tile;
    {
        mvt::TileWriter writer(&tile);
        for (int l = 0; l < 3 && !in.empty(); ++l) {
            mvt::LayerWriter layer(writer, "layer" + std::to_string(l));
            std::uint64_t id = 1;
            while (!in.empty() && in.byte() % 16 != 0) {
                std::vector<mvt::Point> points(1 + in.byte() % 12);
                for (auto& p : points) {
                    p = {in.coordinate(), in.coordinate()};
                    if (in.byte() % 4 == 0 && &p != &points.front()) {
                        p = *(&p - 1);  // repeated points
                    }
                }
                const std::string text(in.byte() % 5, static_cast<char>('a' + in.byte() % 26));
                const mvt::Property props[] = {{"name", std::string_view(text)},
                                               {"n", static_cast<std::int64_t>(static_cast<std::int8_t>(in.byte()))},
                                               {"x", in.byte() / 7.0},
                                               {"b", in.byte() % 2 == 0}};
                switch (in.byte() % 3) {
                    case 0: layer.add_points(id++, points, props); break;
                    case 1: {
                        const std::span<const mvt::Point> lines[] = {points};
                        layer.add_lines(id++, lines, props);
                        break;
                    }
                    default: {
                        const std::size_t split = points.size() / 2;
                        const mvt::Ring rings[] = {{std::span(points).first(split), true},
                                                   {std::span(points).subspan(split), false}};
                        layer.add_polygon(id++, rings, props);
                    }
                }
            }
        }
    }
    const auto problems = mvt::check(tile);
    diachi::fuzz::require(problems.empty());
    (void)mvt::decode(tile);
    return 0;
}
