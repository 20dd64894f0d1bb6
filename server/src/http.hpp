#ifndef DIACHI_SERVER_HTTP_HPP
#define DIACHI_SERVER_HTTP_HPP

// Requests and responses as the route handlers see them, independent of the connection: the
// parsed target, the caller's role, what the client accepts; an answer with status, type, body
// and extra headers. Also the helpers every handler uses: query parameters, JSON errors.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/beast/http.hpp>

#include <diachi/server/tokens.hpp>

namespace diachi::server::detail {

namespace http = boost::beast::http;

struct Request {
    http::verb method = http::verb::get;
    std::string_view path;   // percent-encoded, as sent
    std::string_view query;  // after '?', without it
    std::string_view body;
    std::string_view host;
    std::string_view if_none_match;
    bool accepts_gzip = false;
    std::optional<TokenInfo> caller;  // a valid bearer token's owner
};

struct Response {
    http::status status = http::status::ok;
    std::string content_type;
    std::string body;
    std::vector<std::pair<http::field, std::string>> headers;
    /// A body borrowed instead of owned (a cached tile): `shared` stays valid while `owner`
    /// lives, and the answer holds `owner` until it is written. Takes the place of `body`.
    std::shared_ptr<const void> owner;
    std::string_view shared;

    [[nodiscard]] std::string_view payload() const noexcept {
        return owner ? shared : std::string_view(body);
    }

    Response& header(http::field field, std::string value) {
        headers.emplace_back(field, std::move(value));
        return *this;
    }
};

/// The value of query parameter @p name, percent-decoded ('+' is a space); nullopt when absent
/// or when its encoding is broken.
[[nodiscard]] std::optional<std::string> query_param(std::string_view query, std::string_view name);

/// @p text percent-decoded; nullopt for a '%' not followed by two hex digits.
[[nodiscard]] std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

/// A JSON answer.
[[nodiscard]] Response json(http::status status, std::string body);

/// {"error": @p code, "message": @p message[, "input": @p input]} with @p status. The codes are
/// stable (docs/server.md lists them); messages are for people.
[[nodiscard]] Response error(http::status status, std::string_view code, std::string_view message,
                             std::string_view input = {});

/// Writes the status line and headers of @p response into @p out (replacing what it held):
/// Server, Content-Type, the response's own headers, Content-Length (none for 1xx, 204 and 304)
/// and Connection when it differs from the default of HTTP/@p version.
void write_head(const Response& response, unsigned version, bool keep_alive, std::string& out);

/// The request path split at '/' (no empty first segment).
[[nodiscard]] std::vector<std::string_view> split_path(std::string_view path);

}  // namespace diachi::server::detail

#endif  // DIACHI_SERVER_HTTP_HPP
