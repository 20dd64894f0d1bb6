#include "json_body.hpp"

#include <charconv>
#include <cmath>
#include <stdexcept>

namespace diachi::server::detail {

namespace {

class Parser {
public:
    explicit Parser(std::string_view text) : m_text(text) {}

    JsonBody parse() {
        JsonBody body;
        skip_space();
        expect('{');
        skip_space();
        if (peek() == '}') {
            ++m_pos;
        } else {
            for (;;) {
                skip_space();
                std::string key = string();
                skip_space();
                expect(':');
                skip_space();
                JsonValue value = this->value();
                if (!body.fields.emplace(std::move(key), std::move(value)).second) {
                    fail("a key appears twice");
                }
                skip_space();
                if (peek() == ',') {
                    ++m_pos;
                    continue;
                }
                expect('}');
                break;
            }
        }
        skip_space();
        if (m_pos != m_text.size()) {
            fail("nothing after the object");
        }
        return body;
    }

private:
    [[noreturn]] void fail(std::string_view what) const {
        throw std::invalid_argument("offset " + std::to_string(m_pos) + ": " + std::string(what));
    }
    [[nodiscard]] char peek() const { return m_pos < m_text.size() ? m_text[m_pos] : '\0'; }
    void expect(char c) {
        if (peek() != c) {
            fail(std::string("expected '") + c + "'");
        }
        ++m_pos;
    }
    void skip_space() {
        while (m_pos < m_text.size() && (m_text[m_pos] == ' ' || m_text[m_pos] == '\t' ||
                                         m_text[m_pos] == '\n' || m_text[m_pos] == '\r')) {
            ++m_pos;
        }
    }

    void append_utf8(std::uint32_t cp, std::string* out) {
        if (cp < 0x80) {
            out->push_back(static_cast<char>(cp));
        } else if (cp < 0x800) {
            out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
            out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        } else if (cp < 0x10000) {
            out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
            out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
            out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        } else {
            out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
            out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
            out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
            out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        }
    }

    std::uint32_t hex4() {
        if (m_pos + 4 > m_text.size()) {
            fail("a \\u escape needs 4 hex digits");
        }
        std::uint32_t v = 0;
        const auto [end, ec] = std::from_chars(m_text.data() + m_pos, m_text.data() + m_pos + 4, v, 16);
        if (ec != std::errc{} || end != m_text.data() + m_pos + 4) {
            fail("a \\u escape needs 4 hex digits");
        }
        m_pos += 4;
        return v;
    }

    std::string string() {
        expect('"');
        std::string out;
        for (;;) {
            if (m_pos >= m_text.size()) {
                fail("the string is not closed");
            }
            const char c = m_text[m_pos++];
            if (c == '"') {
                return out;
            }
            if (static_cast<unsigned char>(c) < 0x20) {
                fail("a control character in a string");
            }
            if (c != '\\') {
                out.push_back(c);
                continue;
            }
            const char e = peek();
            ++m_pos;
            switch (e) {
                case '"': out.push_back('"'); break;
                case '\\': out.push_back('\\'); break;
                case '/': out.push_back('/'); break;
                case 'b': out.push_back('\b'); break;
                case 'f': out.push_back('\f'); break;
                case 'n': out.push_back('\n'); break;
                case 'r': out.push_back('\r'); break;
                case 't': out.push_back('\t'); break;
                case 'u': {
                    std::uint32_t cp = hex4();
                    if (cp >= 0xD800 && cp < 0xDC00) {  // a surrogate pair
                        if (peek() != '\\' || m_pos + 1 >= m_text.size() || m_text[m_pos + 1] != 'u') {
                            fail("a lone surrogate");
                        }
                        m_pos += 2;
                        const std::uint32_t low = hex4();
                        if (low < 0xDC00 || low >= 0xE000) {
                            fail("a lone surrogate");
                        }
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                    } else if (cp >= 0xDC00 && cp < 0xE000) {
                        fail("a lone surrogate");
                    }
                    append_utf8(cp, &out);
                    break;
                }
                default: fail("an unknown escape");
            }
        }
    }

    JsonValue value() {
        JsonValue v;
        const char c = peek();
        if (c == '"') {
            v.kind = JsonValue::Kind::string;
            v.text = string();
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            const std::size_t start = m_pos;
            while (m_pos < m_text.size() &&
                   std::string_view("+-0123456789.eE").find(m_text[m_pos]) != std::string_view::npos) {
                ++m_pos;
            }
            v.kind = JsonValue::Kind::number;
            v.text = std::string(m_text.substr(start, m_pos - start));
            const auto [end, ec] = std::from_chars(v.text.data(), v.text.data() + v.text.size(), v.number);
            if (ec != std::errc{} || end != v.text.data() + v.text.size() || !std::isfinite(v.number)) {
                m_pos = start;
                fail("not a number");
            }
        } else if (m_text.substr(m_pos, 4) == "true") {
            v.kind = JsonValue::Kind::boolean;
            v.boolean = true;
            m_pos += 4;
        } else if (m_text.substr(m_pos, 5) == "false") {
            v.kind = JsonValue::Kind::boolean;
            m_pos += 5;
        } else if (m_text.substr(m_pos, 4) == "null") {
            m_pos += 4;
        } else if (c == '{' || c == '[') {
            fail("nested objects and arrays are not taken");
        } else {
            fail("expected a value");
        }
        return v;
    }

    std::string_view m_text;
    std::size_t m_pos = 0;
};

const JsonValue* find(const JsonBody& body, std::string_view key, JsonValue::Kind kind,
                      const char* kind_name) {
    const auto it = body.fields.find(key);
    if (it == body.fields.end() || it->second.kind == JsonValue::Kind::null) {
        return nullptr;
    }
    if (it->second.kind != kind) {
        throw std::invalid_argument("\"" + std::string(key) + "\" must be a " + kind_name);
    }
    return &it->second;
}

}  // namespace

std::optional<std::string> JsonBody::string(std::string_view key) const {
    const JsonValue* v = find(*this, key, JsonValue::Kind::string, "string");
    return v == nullptr ? std::nullopt : std::optional<std::string>(v->text);
}

std::optional<double> JsonBody::number(std::string_view key) const {
    const JsonValue* v = find(*this, key, JsonValue::Kind::number, "number");
    return v == nullptr ? std::nullopt : std::optional<double>(v->number);
}

std::optional<std::string> JsonBody::number_text(std::string_view key) const {
    const JsonValue* v = find(*this, key, JsonValue::Kind::number, "number");
    return v == nullptr ? std::nullopt : std::optional<std::string>(v->text);
}

JsonBody parse_json_body(std::string_view text) { return Parser(text).parse(); }

}  // namespace diachi::server::detail
