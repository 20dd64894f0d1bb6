#include <diachi/json.hpp>

#include <charconv>
#include <cstdio>

namespace diachi {

namespace {

/// Length of the well-formed UTF-8 sequence starting at @p i, or 0.
std::size_t utf8_sequence(std::string_view text, std::size_t i) noexcept {
    const auto lead = static_cast<unsigned char>(text[i]);
    const std::size_t n = lead >= 0xF0 && lead <= 0xF4  ? 4
                          : lead >= 0xE0                ? 3
                          : lead >= 0xC2 && lead < 0xE0 ? 2
                                                        : 0;
    if (n == 0 || i + n > text.size()) {
        return 0;
    }
    for (std::size_t k = 1; k < n; ++k) {
        if ((static_cast<unsigned char>(text[i + k]) & 0xC0U) != 0x80U) {
            return 0;
        }
    }
    return n;
}

}  // namespace

void append_json_string(std::string_view text, std::string* out) {
    out->push_back('"');
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        switch (c) {
            case '"': out->append("\\\""); break;
            case '\\': out->append("\\\\"); break;
            case '\n': out->append("\\n"); break;
            case '\r': out->append("\\r"); break;
            case '\t': out->append("\\t"); break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    char buffer[8];
                    std::snprintf(buffer, sizeof buffer, "\\u%04x", static_cast<unsigned>(c));
                    out->append(buffer);
                } else if (static_cast<unsigned char>(c) < 0x80) {
                    out->push_back(c);
                } else if (const std::size_t n = utf8_sequence(text, i); n > 0) {
                    out->append(text.substr(i, n));
                    i += n - 1;
                } else {
                    out->append("\\ufffd");  // not UTF-8: the replacement character
                }
        }
    }
    out->push_back('"');
}

std::string json_string(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 2);
    append_json_string(text, &out);
    return out;
}

std::string number_text(double value) {
    char buffer[32];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    return ec == std::errc{} && value - value == 0.0 ? std::string(buffer, end)
                                                     : std::string("null");
}

std::string e7_text(std::int32_t e7) {
    const std::int64_t value = e7;
    const std::uint64_t magnitude = static_cast<std::uint64_t>(value < 0 ? -value : value);
    std::string fraction = std::to_string(magnitude % 10'000'000);
    fraction.insert(0, 7 - fraction.size(), '0');
    while (!fraction.empty() && fraction.back() == '0') {
        fraction.pop_back();
    }
    std::string text = value < 0 ? "-" : "";
    text.append(std::to_string(magnitude / 10'000'000));
    if (!fraction.empty()) {
        text.append(".").append(fraction);
    }
    return text;
}

void JsonObject::key(std::string_view key) {
    if (m_text.size() > 1) {
        m_text.push_back(',');
    }
    append_json_string(key, &m_text);
    m_text.push_back(':');
}

JsonObject& JsonObject::field(std::string_view key, std::string_view value) {
    this->key(key);
    append_json_string(value, &m_text);
    return *this;
}

JsonObject& JsonObject::field(std::string_view key, double value) {
    this->key(key);
    m_text += number_text(value);
    return *this;
}

JsonObject& JsonObject::field(std::string_view key, long value) {
    this->key(key);
    m_text += std::to_string(value);
    return *this;
}

JsonObject& JsonObject::field(std::string_view key, bool value) {
    this->key(key);
    m_text += value ? "true" : "false";
    return *this;
}

JsonObject& JsonObject::raw(std::string_view key, std::string_view json) {
    this->key(key);
    m_text += json;
    return *this;
}

JsonArray& JsonArray::raw(std::string_view json) {
    if (m_text.size() > 1) {
        m_text.push_back(',');
    }
    m_text += json;
    return *this;
}

JsonArray& JsonArray::string(std::string_view text) {
    if (m_text.size() > 1) {
        m_text.push_back(',');
    }
    append_json_string(text, &m_text);
    return *this;
}

}  // namespace diachi
