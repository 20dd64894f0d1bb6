#include <diachi/json.hpp>

#include <charconv>
#include <cstdio>

namespace diachi {

namespace {

/// Length of the well-formed UTF-8 sequence starting at @p i, or 0 (Unicode's table 3-7: no
/// overlong forms, no UTF-16 surrogates, nothing above U+10FFFF).
std::size_t utf8_sequence(std::string_view text, std::size_t i) noexcept {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[i + k]); };
    const unsigned lead = byte(0);
    const std::size_t n = lead >= 0xC2 && lead <= 0xDF ? 2 : lead >= 0xE0 && lead <= 0xEF ? 3 : lead >= 0xF0 && lead <= 0xF4 ? 4 : 0;
    if (n == 0 || i + n > text.size()) {
        return 0;
    }
    // The second byte's range depends on the lead; the others are 80..BF.
    const unsigned second = byte(1);
    const unsigned low = lead == 0xE0 ? 0xA0 : lead == 0xF0 ? 0x90 : 0x80;
    const unsigned high = lead == 0xED ? 0x9F : lead == 0xF4 ? 0x8F : 0xBF;
    if (second < low || second > high) {
        return 0;
    }
    for (std::size_t k = 2; k < n; ++k) {
        if ((byte(k) & 0xC0U) != 0x80U) {
            return 0;
        }
    }
    return n;
}

}  // namespace

void append_json_string(std::string_view text, std::string* out) {
    out->push_back('"');
    std::size_t run = 0;  // where the bytes copied as they are begin
    std::size_t i = 0;
    while (i < text.size()) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
            ++i;
            continue;
        }
        if (c >= 0x80) {
            if (const std::size_t n = utf8_sequence(text, i); n > 0) {
                i += n;
                continue;
            }
        }
        out->append(text.substr(run, i - run));
        switch (c) {
            case '"': out->append("\\\""); break;
            case '\\': out->append("\\\\"); break;
            case '\n': out->append("\\n"); break;
            case '\r': out->append("\\r"); break;
            case '\t': out->append("\\t"); break;
            default:
                if (c < 0x20) {
                    char buffer[8];
                    std::snprintf(buffer, sizeof buffer, "\\u%04x", static_cast<unsigned>(c));
                    out->append(buffer);
                } else {
                    out->append("\\ufffd");  // not UTF-8: the replacement character
                }
        }
        run = ++i;
    }
    out->append(text.substr(run));
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
