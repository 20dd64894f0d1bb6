#include "http.hpp"

#include <diachi/json.hpp>

namespace diachi::server::detail {

namespace {

int hex_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '%') {
            if (i + 2 >= text.size()) {
                return std::nullopt;
            }
            const int hi = hex_value(text[i + 1]);
            const int lo = hex_value(text[i + 2]);
            if (hi < 0 || lo < 0) {
                return std::nullopt;
            }
            out.push_back(static_cast<char>(hi * 16 + lo));
            i += 2;
        } else if (c == '+' && plus_is_space) {
            out.push_back(' ');
        } else {
            out.push_back(c);
        }
    }
    return out;
}

std::optional<std::string> query_param(std::string_view query, std::string_view name) {
    while (!query.empty()) {
        const std::size_t amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
        const std::size_t eq = pair.find('=');
        if (pair.substr(0, eq) == name) {
            return percent_decode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1),
                                  true);
        }
    }
    return std::nullopt;
}

Response json(http::status status, std::string body) {
    Response r;
    r.status = status;
    r.content_type = "application/json; charset=utf-8";
    r.body = std::move(body);
    r.body.push_back('\n');
    return r;
}

Response error(http::status status, std::string_view code, std::string_view message,
               std::string_view input) {
    JsonObject body;
    body.field("error", code).field("message", message);
    if (!input.empty()) {
        body.field("input", input);
    }
    return json(status, body.str());
}

void write_head(const Response& response, unsigned version, bool keep_alive, std::string& out) {
    const auto code = static_cast<unsigned>(response.status);
    out.assign("HTTP/1.1 ");
    out.append(std::to_string(code)).push_back(' ');
    const auto reason = http::obsolete_reason(response.status);
    out.append(reason.data(), reason.size()).append("\r\nServer: diachi\r\n");
    const auto line = [&out](std::string_view name, std::string_view value) {
        out.append(name).append(": ").append(value).append("\r\n");
    };
    if (!response.content_type.empty()) {
        line("Content-Type", response.content_type);
    }
    for (const auto& [field, value] : response.headers) {
        const auto name = http::to_string(field);
        line({name.data(), name.size()}, value);
    }
    if (code >= 200 && code != 204 && code != 304) {
        line("Content-Length", std::to_string(response.payload().size()));
    }
    if (!keep_alive) {
        line("Connection", "close");
    } else if (version < 11) {
        line("Connection", "keep-alive");
    }
    out.append("\r\n");
}

std::vector<std::string_view> split_path(std::string_view path) {
    std::vector<std::string_view> segments;
    if (!path.empty() && path.front() == '/') {
        path.remove_prefix(1);
    }
    while (true) {
        const std::size_t slash = path.find('/');
        segments.push_back(path.substr(0, slash));
        if (slash == std::string_view::npos) {
            break;
        }
        path.remove_prefix(slash + 1);
    }
    return segments;
}

}  // namespace diachi::server::detail
