#include <diachi/tiles/mvt_reader.hpp>

#include <algorithm>
#include <charconv>
#include <map>
#include <set>
#include <stdexcept>
#include <unordered_set>

#include <protozero/exception.hpp>
#include <protozero/pbf_reader.hpp>

#include <diachi/json.hpp>

namespace diachi::tiles::mvt {

namespace {

using diachi::append_json_string;

// An encoding error that stops reading the current feature (or the tile).
struct Fatal : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct RawFeature {
    std::optional<std::uint64_t> id;
    std::optional<std::uint32_t> type;
    std::vector<std::uint32_t> tags;
    std::vector<std::uint32_t> geometry;
    bool has_geometry = false;
};

std::int64_t twice_area(const std::vector<Point>& ring) noexcept {
    std::int64_t sum = 0;
    for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
        sum += std::int64_t{ring[j].x} * ring[i].y - std::int64_t{ring[i].x} * ring[j].y;
    }
    return sum;
}

class Walker {
public:
    explicit Walker(std::vector<std::string>* problems) : m_problems(problems) {}

    DecodedTile walk(std::string_view data) {
        DecodedTile tile;
        std::set<std::string, std::less<>> names;
        protozero::pbf_reader reader(data.data(), data.size());
        while (next(&reader, "tile")) {
            if (reader.tag() != 3) {
                reader.skip();
                continue;
            }
            expect_wire(reader, protozero::pbf_wire_type::length_delimited, "tile", "layers");
            DecodedLayer layer = walk_layer(reader.get_view());
            if (!names.insert(layer.name).second) {
                problem("layer '" + layer.name +
                        "': a second layer of the same name (spec 4.1: names MUST be unique)");
            }
            tile.layers.push_back(std::move(layer));
        }
        return tile;
    }

private:
    void problem(std::string text) {
        if (m_problems == nullptr) {
            throw Fatal(text);
        }
        m_problems->push_back(std::move(text));
    }
    // A rule broken that the tile cannot be read past.
    [[noreturn]] static void fatal(const std::string& text) { throw Fatal(text); }

    static bool next(protozero::pbf_reader* reader, const std::string& where) {
        try {
            return reader->next();
        } catch (const protozero::exception& e) {
            fatal(where + ": malformed protobuf (" + e.what() + ")");
        }
    }
    static void expect_wire(const protozero::pbf_reader& reader, protozero::pbf_wire_type wire,
                            const std::string& where, const char* field) {
        if (reader.wire_type() != wire) {
            fatal(where + ": field '" + field + "' has the wrong wire type (spec 4, vector_tile.proto)");
        }
    }

    DecodedLayer walk_layer(protozero::data_view data) {
        DecodedLayer layer;
        std::vector<protozero::data_view> features;
        std::vector<std::string> keys;
        std::vector<DecodedValue> values;
        std::set<std::string, std::less<>> key_set;
        std::set<std::string, std::less<>> value_set;
        bool has_version = false;
        bool has_name = false;
        bool has_extent = false;
        std::string where = "layer";
        protozero::pbf_reader reader(data);
        try {
            while (next(&reader, where)) {
                switch (reader.tag()) {
                    case 15:
                        expect_wire(reader, protozero::pbf_wire_type::varint, where, "version");
                        layer.version = reader.get_uint32();
                        has_version = true;
                        break;
                    case 1:
                        expect_wire(reader, protozero::pbf_wire_type::length_delimited, where, "name");
                        layer.name = reader.get_string();
                        has_name = true;
                        where = "layer '" + layer.name + "'";
                        break;
                    case 2:
                        expect_wire(reader, protozero::pbf_wire_type::length_delimited, where, "features");
                        features.push_back(reader.get_view());
                        break;
                    case 3: {
                        expect_wire(reader, protozero::pbf_wire_type::length_delimited, where, "keys");
                        std::string key = reader.get_string();
                        if (!key_set.insert(key).second) {
                            problem(where + ": key '" + key +
                                    "' appears twice in keys (spec 4.1: keys MUST NOT repeat)");
                        }
                        keys.push_back(std::move(key));
                        break;
                    }
                    case 4: {
                        expect_wire(reader, protozero::pbf_wire_type::length_delimited, where, "values");
                        const protozero::data_view raw = reader.get_view();
                        if (!value_set.insert(std::string(raw.data(), raw.size())).second) {
                            problem(where + ": value " + std::to_string(values.size()) +
                                    " repeats an earlier value (spec 4.1: values MUST NOT repeat)");
                        }
                        values.push_back(read_value(raw, where + ": value " +
                                                             std::to_string(values.size())));
                        break;
                    }
                    case 5:
                        expect_wire(reader, protozero::pbf_wire_type::varint, where, "extent");
                        layer.extent = reader.get_uint32();
                        has_extent = true;
                        break;
                    default:
                        reader.skip();
                }
            }
        } catch (const protozero::exception& e) {
            fatal(where + ": malformed protobuf (" + e.what() + ")");
        }
        if (!has_name) {
            problem(where + ": no name (spec 4.1: a layer MUST contain a name)");
        }
        if (!has_version) {
            problem(where + ": no version field (spec 4.1: a layer MUST contain a version)");
        } else if (layer.version != 2) {
            problem(where + ": version " + std::to_string(layer.version) +
                    ", expected 2 (spec 4.1)");
        }
        if (!has_extent) {
            problem(where + ": no extent (spec 4.1: a layer MUST contain an extent)");
        }
        std::unordered_set<std::uint64_t> ids;
        for (std::size_t i = 0; i < features.size(); ++i) {
            const std::string feature_where = where + ", feature " + std::to_string(i);
            try {
                DecodedFeature feature = walk_feature(features[i], keys, values, feature_where);
                if (feature.id && !ids.insert(*feature.id).second) {
                    problem(feature_where + ": id " + std::to_string(*feature.id) +
                            " repeats in the layer (spec 4.2: ids SHOULD be unique)");
                }
                layer.features.push_back(std::move(feature));
            } catch (const Fatal& e) {
                if (m_problems == nullptr) {
                    throw;
                }
                m_problems->emplace_back(e.what());
            }
        }
        return layer;
    }

    DecodedValue read_value(protozero::data_view data, const std::string& where) {
        protozero::pbf_reader reader(data);
        DecodedValue value;
        int fields = 0;
        while (next(&reader, where)) {
            ++fields;
            switch (reader.tag()) {
                case 1: value = reader.get_string(); break;
                case 2: value = double{reader.get_float()}; break;
                case 3: value = reader.get_double(); break;
                case 4: value = reader.get_int64(); break;
                case 5: value = reader.get_uint64(); break;
                case 6: value = reader.get_sint64(); break;
                case 7: value = reader.get_bool(); break;
                default: reader.skip(); --fields;
            }
        }
        if (fields != 1) {
            problem(where + ": " + std::to_string(fields) +
                    " value fields (spec 4.1: exactly one MUST be present)");
        }
        return value;
    }

    DecodedFeature walk_feature(protozero::data_view data, const std::vector<std::string>& keys,
                                const std::vector<DecodedValue>& values,
                                const std::string& where) {
        RawFeature raw;
        protozero::pbf_reader reader(data);
        try {
            while (next(&reader, where)) {
                switch (reader.tag()) {
                    case 1: raw.id = reader.get_uint64(); break;
                    case 2: {
                        const auto range = reader.get_packed_uint32();
                        raw.tags.assign(range.begin(), range.end());
                        break;
                    }
                    case 3: raw.type = static_cast<std::uint32_t>(reader.get_enum()); break;
                    case 4: {
                        const auto range = reader.get_packed_uint32();
                        raw.geometry.assign(range.begin(), range.end());
                        raw.has_geometry = true;
                        break;
                    }
                    default: reader.skip();
                }
            }
        } catch (const protozero::exception& e) {
            fatal(where + ": malformed protobuf (" + e.what() + ")");
        }
        DecodedFeature feature;
        feature.id = raw.id;
        // Spec 4.4: tags are pairs of indexes into keys and values.
        if (raw.tags.size() % 2 != 0) {
            fatal(where + ": an odd number of tags (spec 4.4: tags come in key/value pairs)");
        }
        for (std::size_t t = 0; t < raw.tags.size(); t += 2) {
            if (raw.tags[t] >= keys.size() || raw.tags[t + 1] >= values.size()) {
                fatal(where + ": tag " + std::to_string(t / 2) +
                      " points past the layer's keys or values (spec 4.4)");
            }
            feature.properties.emplace_back(keys[raw.tags[t]], values[raw.tags[t + 1]]);
        }
        if (!raw.type || *raw.type == 0 || *raw.type > 3) {
            problem(where + ": no known geometry type (spec 4.2: a feature MUST contain a type)");
            return feature;
        }
        feature.type = static_cast<GeomType>(*raw.type);
        if (!raw.has_geometry) {
            problem(where + ": no geometry (spec 4.2: a feature MUST contain a geometry)");
            return feature;
        }
        walk_geometry(raw.geometry, &feature, where);
        return feature;
    }

    void walk_geometry(const std::vector<std::uint32_t>& g, DecodedFeature* feature,
                       const std::string& where) {
        Point cursor;
        std::size_t i = 0;
        const auto read_point = [&](const char* command) {
            if (i + 2 > g.size()) {
                fatal(where + ": " + command + " runs out of parameters (spec 4.3.2)");
            }
            cursor.x += protozero::decode_zigzag32(g[i]);
            cursor.y += protozero::decode_zigzag32(g[i + 1]);
            i += 2;
            return cursor;
        };
        const auto read_command = [&](std::uint32_t expected_id, const char* name,
                                      const char* section) {
            if (i >= g.size()) {
                fatal(where + ": expected " + name + " (spec " + section + ")");
            }
            const std::uint32_t id = g[i] & 0x7U;
            const std::uint32_t count = g[i] >> 3U;
            if (id != expected_id) {
                fatal(where + ": expected " + name + " command, found command " +
                      std::to_string(id) + " (spec " + section + ")");
            }
            ++i;
            return count;
        };
        switch (feature->type) {
            case GeomType::point: {
                const std::uint32_t count = read_command(1, "MoveTo", "4.3.4.2");
                if (count == 0) {
                    fatal(where + ": MoveTo with count 0 (spec 4.3.4.2)");
                }
                for (std::uint32_t k = 0; k < count; ++k) {
                    feature->geometry.push_back({read_point("MoveTo")});
                }
                if (i != g.size()) {
                    fatal(where + ": commands after a point's MoveTo (spec 4.3.4.2)");
                }
                break;
            }
            case GeomType::linestring:
            case GeomType::polygon: {
                const bool polygon = feature->type == GeomType::polygon;
                const char* section = polygon ? "4.3.4.4" : "4.3.4.3";
                bool first_ring = true;
                while (i < g.size()) {
                    if (read_command(1, "MoveTo", section) != 1) {
                        fatal(where + ": MoveTo with a count other than 1 (spec " +
                              section + ")");
                    }
                    std::vector<Point> part{read_point("MoveTo")};
                    const std::uint32_t count = read_command(2, "LineTo", section);
                    if (count < (polygon ? 2U : 1U)) {
                        fatal(where + ": LineTo with count " + std::to_string(count) +
                              " (spec " + section + ")");
                    }
                    for (std::uint32_t k = 0; k < count; ++k) {
                        const Point before = cursor;
                        if (read_point("LineTo") == before) {
                            problem(where + ": a LineTo of zero length (spec 4.3.3.2: dX and "
                                    "dY MUST NOT both be 0)");
                        }
                        part.push_back(cursor);
                    }
                    if (polygon) {
                        if (read_command(7, "ClosePath", section) != 1) {
                            fatal(where + ": ClosePath with a count other than 1 (spec 4.3.3.3)");
                        }
                        const std::int64_t area = twice_area(part);
                        const std::string ring = where + ", ring " +
                                                 std::to_string(feature->geometry.size());
                        if (area == 0) {
                            problem(ring + ": zero area (spec 4.3.4.4: a ring SHOULD NOT have "
                                    "zero area)");
                        } else if (first_ring && area < 0) {
                            problem(ring + ": the first ring has negative area, so it is not "
                                    "an exterior ring (spec 4.3.4.4: exterior rings are "
                                    "clockwise, positive area)");
                        }
                        first_ring = false;
                    }
                    feature->geometry.push_back(std::move(part));
                }
                if (feature->geometry.empty()) {
                    fatal(where + ": empty geometry (spec " + std::string(section) + ")");
                }
                break;
            }
            case GeomType::unknown:
                break;
        }
    }

    std::vector<std::string>* m_problems;
};

void append_value(const DecodedValue& value, std::string* out) {
    std::visit(
        [out](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::string>) {
                append_json_string(v, out);
            } else if constexpr (std::is_same_v<T, bool>) {
                out->append(v ? "true" : "false");
            } else {
                char buf[32];
                const auto result = std::to_chars(buf, buf + sizeof buf, v);
                out->append(buf, result.ptr);
            }
        },
        value);
}

const char* type_name(GeomType type) {
    switch (type) {
        case GeomType::point: return "Point";
        case GeomType::linestring: return "LineString";
        case GeomType::polygon: return "Polygon";
        case GeomType::unknown: break;
    }
    return "Unknown";
}

}  // namespace

const DecodedLayer* DecodedTile::layer(std::string_view name) const noexcept {
    for (const DecodedLayer& l : layers) {
        if (l.name == name) {
            return &l;
        }
    }
    return nullptr;
}

DecodedTile decode(std::string_view tile) {
    Walker walker(nullptr);
    return walker.walk(tile);
}

std::vector<std::string> check(std::string_view tile) {
    std::vector<std::string> problems;
    Walker walker(&problems);
    try {
        (void)walker.walk(tile);
    } catch (const Fatal& e) {
        problems.emplace_back(e.what());
    }
    return problems;
}

std::string to_json(const DecodedTile& tile) {
    std::vector<const DecodedLayer*> layers;
    for (const DecodedLayer& layer : tile.layers) {
        layers.push_back(&layer);
    }
    std::sort(layers.begin(), layers.end(),
              [](const DecodedLayer* a, const DecodedLayer* b) { return a->name < b->name; });
    std::string out = "{\"layers\":[\n";
    for (std::size_t l = 0; l < layers.size(); ++l) {
        const DecodedLayer& layer = *layers[l];
        out.append("{\"name\":");
        append_json_string(layer.name, &out);
        out.append(",\"version\":" + std::to_string(layer.version) +
                   ",\"extent\":" + std::to_string(layer.extent) + ",\"features\":[\n");
        std::vector<std::string> lines;
        for (const DecodedFeature& f : layer.features) {
            std::string line = "{\"id\":";
            line.append(f.id ? std::to_string(*f.id) : "null");
            line.append(",\"type\":\"").append(type_name(f.type)).append("\",\"properties\":{");
            std::map<std::string, const DecodedValue*> sorted;
            for (const auto& [key, value] : f.properties) {
                sorted.emplace(key, &value);
            }
            bool first = true;
            for (const auto& [key, value] : sorted) {
                if (!first) {
                    line.push_back(',');
                }
                first = false;
                append_json_string(key, &line);
                line.push_back(':');
                append_value(*value, &line);
            }
            line.append("},\"geometry\":[");
            for (std::size_t p = 0; p < f.geometry.size(); ++p) {
                line.append(p == 0 ? "[" : ",[");
                for (std::size_t k = 0; k < f.geometry[p].size(); ++k) {
                    if (k > 0) {
                        line.push_back(',');
                    }
                    line.push_back('[');
                    line.append(std::to_string(f.geometry[p][k].x)).push_back(',');
                    line.append(std::to_string(f.geometry[p][k].y)).push_back(']');
                }
                line.push_back(']');
            }
            line.append("]}");
            lines.push_back(std::move(line));
        }
        // Features by id; the line's text orders equal ids (and features without one).
        std::sort(lines.begin(), lines.end(), [](const std::string& a, const std::string& b) {
            const auto id = [](const std::string& s) {
                std::uint64_t v = 0;
                std::from_chars(s.data() + 6, s.data() + s.size(), v);
                return v;
            };
            const std::uint64_t ia = id(a);
            const std::uint64_t ib = id(b);
            return ia != ib ? ia < ib : a < b;
        });
        for (std::size_t k = 0; k < lines.size(); ++k) {
            out.append(lines[k]).append(k + 1 < lines.size() ? ",\n" : "\n");
        }
        out.append(l + 1 < layers.size() ? "]},\n" : "]}\n");
    }
    out.append("]}\n");
    return out;
}

}  // namespace diachi::tiles::mvt
