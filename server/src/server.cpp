// The server: Asio's acceptor and one Beast session per connection, on a pool of threads; each
// request is checked (size, target, token, rate), routed and answered; metrics around it all.

#include <diachi/server/server.hpp>

#include <array>
#include <atomic>
#include <condition_variable>
#include <iostream>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_map>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "context.hpp"

namespace diachi::server {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
using detail::http::status;
using detail::http::verb;

namespace detail {

/// Beast's string views (boost::string_view in Boost 1.74) as the standard's.
std::string_view std_view(boost::beast::string_view text) noexcept { return {text.data(), text.size()}; }

Context::Context(store::Registry& registry_, const tiles::TileRenderer& renderer_, ServerOptions options_)
    : registry(registry_),
      renderer(renderer_),
      options(std::move(options_)),
      cache(renderer_, options.tile_cache),
      answers(options.resolve_cache_bytes) {
    if (!options.tokens_file.empty()) {
        tokens.emplace(options.tokens_file);
    }
    if (!options.fonts.empty()) {
        glyphs = std::make_unique<GlyphSet>(options.fonts);
    }
    reload_archives();
}

std::shared_ptr<const Archives> Context::archives() const {
    std::lock_guard lock(m_archives_mutex);
    return m_archives;
}

void Context::reload_archives() {
    auto fresh = std::make_shared<Archives>();
    for (const auto& path : options.archives) {
        fresh->emplace(path.stem().string(), tiles::open_archive(path.string()));
    }
    std::lock_guard lock(m_archives_mutex);
    m_archives = std::move(fresh);
}

/// Token buckets per client address.
class RateLimiter {
public:
    explicit RateLimiter(double per_second) : m_rate(per_second) {}

    bool allow(const std::string& client) {
        if (m_rate <= 0) {
            return true;
        }
        const double now = std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
        std::lock_guard lock(m_mutex);
        if (m_buckets.size() > 100'000) {  // forget clients whose buckets are full again
            std::erase_if(m_buckets, [&](const auto& b) { return b.second.tokens + (now - b.second.time) * m_rate >= 2 * m_rate; });
        }
        auto [it, fresh] = m_buckets.try_emplace(client, Bucket{2 * m_rate, now});
        Bucket& b = it->second;
        b.tokens = std::min(2 * m_rate, b.tokens + (now - b.time) * m_rate);
        b.time = now;
        if (b.tokens < 1.0) {
            return false;
        }
        b.tokens -= 1.0;
        return true;
    }

private:
    struct Bucket {
        double tokens;
        double time;
    };
    double m_rate;
    std::mutex m_mutex;
    std::unordered_map<std::string, Bucket> m_buckets;
};

}  // namespace detail

struct Server::Impl {
    Impl(store::Registry& registry, const tiles::TileRenderer& renderer, ServerOptions options)
        : context(registry, renderer, std::move(options)), limiter(context.options.rate_limit) {
        detail::add_tile_routes(context);
        detail::add_api_routes(context);
        detail::add_web_routes(context);
        // One metric series per route name (several patterns may share one).
        std::vector<std::string> names;
        for (const auto& name : context.router.names()) {
            auto it = std::find(names.begin(), names.end(), name);
            if (it == names.end()) {
                names.push_back(name);
                it = names.end() - 1;
            }
            metric_slot.push_back(static_cast<std::size_t>(it - names.begin()));
        }
        unmatched_slot = names.size();
        names.push_back("unmatched");
        context.metrics = std::make_unique<Metrics>(std::move(names));
    }

    detail::Context context;
    detail::RateLimiter limiter;
    std::vector<std::size_t> metric_slot;
    std::size_t unmatched_slot = 0;

    asio::io_context io{static_cast<int>(std::max(1U, context.options.threads))};
    tcp::acceptor acceptor{io};
    std::vector<std::thread> threads;
    unsigned thread_count = 0;  // set before the first accept
    std::thread follower;       // catches up with the primary (ServerOptions::follow_interval)
    std::mutex follow_mutex;
    std::condition_variable follow_cv;

    void follow() {
        std::unique_lock lock(follow_mutex);
        while (!follow_cv.wait_for(lock, context.options.follow_interval, [this] { return stopping.load(); })) {
            lock.unlock();
            try {
                if (context.registry.catch_up()) {
                    context.cache.clear();
                }
            } catch (const std::exception& e) {
                std::cerr << "diachi serve: following the primary: " << e.what() << '\n';
            }
            lock.lock();
        }
    }
    std::atomic<bool> stopping{false};
    std::atomic<int> sessions{0};
    std::mutex sessions_mutex;
    std::set<std::weak_ptr<class Session>, std::owner_less<std::weak_ptr<class Session>>> live;
    std::mutex stop_mutex;
    bool stopped = false;
    std::condition_variable stopped_cv;
    std::uint16_t port = 0;

    void accept();
    detail::Response answer(const detail::http::request<detail::http::string_body>& raw, const std::string& client,
                            bool* close);

    /// The answer to a request the parser refused with @p ec (the connection then closes).
    detail::Response unreadable(beast::error_code ec) {
        using he = boost::beast::http::error;
        const auto [code, kind, message] =
            ec == he::header_limit ? std::tuple{status::request_header_fields_too_large, "headers_too_large", "the request's headers are too large"}
            : ec == he::body_limit ? std::tuple{status::payload_too_large, "body_too_large", "the request's body is too large"}
                                   : std::tuple{status::bad_request, "bad_request", "the request is not valid HTTP/1.1"};
        context.metrics->record(unmatched_slot, static_cast<unsigned>(code), 0.0);
        return detail::error(code, kind, std::string(message) + " (" + ec.message() + ")");
    }

    /// A parser for the next request, with the size limits.
    std::optional<detail::http::request_parser<detail::http::string_body>>& fresh_parser(
        std::optional<detail::http::request_parser<detail::http::string_body>>& parser) const {
        parser.emplace();
        parser->header_limit(static_cast<std::uint32_t>(context.options.max_header_bytes));
        parser->body_limit(context.options.max_body_bytes);
        return parser;
    }
};

class Session : public std::enable_shared_from_this<Session> {
public:
    Session(tcp::socket socket, Server::Impl& server)
        : m_socket(std::move(socket)), m_watchdog(m_socket.get_executor()), m_server(server) {
        ++m_server.sessions;
        beast::error_code ec;
        const auto endpoint = m_socket.remote_endpoint(ec);
        m_client = ec ? std::string("unknown") : endpoint.address().to_string();
    }
    ~Session() { --m_server.sessions; }

    void start() {
        {
            std::lock_guard lock(m_server.sessions_mutex);
            m_server.live.insert(weak_from_this());
        }
        asio::dispatch(m_socket.get_executor(), [self = shared_from_this()] {
            self->m_deadline = std::chrono::steady_clock::now() + self->m_server.context.options.request_timeout;
            self->watch();
            self->read();
        });
    }

    /// Closes the connection if it waits for a request that has not begun (a stop).
    void close_if_idle() {
        asio::post(m_socket.get_executor(), [self = shared_from_this()] {
            if (self->m_waiting && self->m_buffer.size() == 0) {
                beast::error_code ec;
                self->m_socket.shutdown(tcp::socket::shutdown_both, ec);
                self->close();
            }
        });
    }

private:
    /// The time allowed from now for what the session does next (read a request, write an
    /// answer); the watchdog closes the connection when it runs out. Setting it costs no
    /// timer operation: the watchdog looks at it when it wakes.
    void allow(std::chrono::steady_clock::duration time) { m_deadline = std::chrono::steady_clock::now() + time; }

    void watch() {
        m_watchdog.expires_at(m_deadline);
        m_watchdog.async_wait([self = shared_from_this()](beast::error_code ec) {
            if (ec || !self->m_socket.is_open()) {
                return;
            }
            if (std::chrono::steady_clock::now() >= self->m_deadline) {
                self->close();  // the pending read or write ends with operation_aborted
                return;
            }
            self->watch();
        });
    }

    void close() {
        beast::error_code ec;
        m_socket.close(ec);
        m_watchdog.cancel();
    }

    void read() {
        const auto& o = m_server.context.options;
        m_server.fresh_parser(m_parser);
        allow(o.request_timeout);
        m_waiting = true;
        detail::http::async_read(m_socket, m_buffer, *m_parser,
                                 [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
    }

    void on_read(beast::error_code ec) {
        m_waiting = false;
        using he = boost::beast::http::error;
        if (ec == he::end_of_stream || ec == asio::error::operation_aborted ||
            ec == asio::error::connection_reset || ec == asio::error::bad_descriptor) {
            return shut();
        }
        if (ec) {
            // The request cannot be read: say why, then close (the stream is out of step).
            m_out = m_server.unreadable(ec);
            return write(11, true, false);
        }
        bool close = false;
        const auto& raw = m_parser->get();
        m_out = m_server.answer(raw, m_client, &close);
        write(raw.version(), close || !raw.keep_alive(), raw.method() == verb::head);
    }

    /// Sends m_out: its head, then its payload straight from where it lies (for HEAD, the
    /// head alone); then reads the next request or closes.
    void write(unsigned version, bool close, bool head_only) {
        m_close = close || m_server.stopping;
        detail::write_head(m_out, version, !m_close, m_head);
        const std::string_view payload = head_only ? std::string_view() : m_out.payload();
        const std::array<asio::const_buffer, 2> buffers{asio::buffer(m_head), asio::buffer(payload.data(), payload.size())};
        allow(m_server.context.options.request_timeout);
        asio::async_write(m_socket, buffers, [self = shared_from_this()](beast::error_code ec, std::size_t) {
            self->m_out = detail::Response{};
            if (ec || self->m_close) {
                return self->shut();
            }
            self->read();
        });
    }

    void shut() {
        beast::error_code ec;
        m_socket.shutdown(tcp::socket::shutdown_send, ec);
        // Closing with unread bytes would reset the connection and could destroy the answer
        // just sent (e.g. a 413 to a client still sending its body): read and drop what the
        // client still sends, for a second at most, then close.
        allow(std::chrono::seconds(1));
        watch();  // wake at the new, nearer deadline
        linger();
    }

    void linger() {
        m_socket.async_read_some(asio::buffer(m_drain), [self = shared_from_this()](beast::error_code ec, std::size_t) {
            if (ec) {
                self->close();
                return;
            }
            self->linger();
        });
    }

    tcp::socket m_socket;
    asio::steady_timer m_watchdog;
    std::chrono::steady_clock::time_point m_deadline;
    beast::flat_buffer m_buffer;
    std::optional<detail::http::request_parser<detail::http::string_body>> m_parser;
    detail::Response m_out;  // the answer being written
    std::string m_head;      // its status line and headers
    Server::Impl& m_server;
    std::string m_client;
    bool m_waiting = false;
    bool m_close = false;
    std::array<char, 4096> m_drain{};
};

detail::Response Server::Impl::answer(
    const detail::http::request<detail::http::string_body>& raw, const std::string& client, bool* close) {
    const auto started = std::chrono::steady_clock::now();
    const auto& o = context.options;
    std::size_t slot = unmatched_slot;
    bool cors = false;
    detail::Response r = [&]() -> detail::Response {
        const std::string_view target = detail::std_view(raw.target());
        if (target.size() > o.max_url_bytes) {
            *close = true;
            return detail::error(status::uri_too_long, "url_too_long",
                                 "the request target is longer than " + std::to_string(o.max_url_bytes) + " bytes");
        }
        if (target.empty() || target.front() != '/') {
            return detail::error(status::bad_request, "bad_target", "the request target must start with '/'");
        }
        detail::Request request;
        request.method = raw.method();
        const std::size_t question = target.find('?');
        request.path = target.substr(0, question);
        request.query = question == std::string_view::npos ? std::string_view() : target.substr(question + 1);
        request.body = raw.body();
        request.host = detail::std_view(raw[detail::http::field::host]);
        request.if_none_match = detail::std_view(raw[detail::http::field::if_none_match]);
        request.accepts_gzip = detail::std_view(raw[detail::http::field::accept_encoding]).find("gzip") != std::string_view::npos;
        if (!limiter.allow(client)) {
            detail::Response limited = detail::error(status::too_many_requests, "rate_limited",
                                                     "too many requests from this address; try again in a second");
            limited.header(detail::http::field::retry_after, "1");
            return limited;
        }
        if (const std::string_view auth = detail::std_view(raw[detail::http::field::authorization]); !auth.empty()) {
            constexpr std::string_view bearer = "Bearer ";
            if (auth.substr(0, bearer.size()) == bearer && context.tokens) {
                request.caller = context.tokens->verify(auth.substr(bearer.size()));
            }
            if (!request.caller) {
                detail::Response denied = detail::error(status::unauthorized, "bad_token", "the bearer token is not valid");
                denied.header(detail::http::field::www_authenticate, "Bearer");
                return denied;
            }
        }
        const auto match = context.router.match(
            request.method == verb::options ? verb::get : request.method, request.path);
        if (match.route == nullptr) {
            return detail::error(status::not_found, "no_route", "nothing is served here", request.path);
        }
        slot = metric_slot[match.index];
        cors = match.route->access == detail::Access::anyone;
        if (request.method == verb::options && cors) {  // a CORS preflight
            detail::Response preflight;
            preflight.status = status::no_content;
            preflight.header(detail::http::field::access_control_allow_methods, "GET, HEAD, OPTIONS");
            preflight.header(detail::http::field::access_control_allow_headers, "Authorization, Content-Type");
            preflight.header(detail::http::field::access_control_max_age, "86400");
            return preflight;
        }
        if (!match.method_allowed) {
            detail::Response wrong = detail::error(status::method_not_allowed, "method_not_allowed",
                                                   "this path takes " + match.allow);
            wrong.header(detail::http::field::allow, match.allow);
            return wrong;
        }
        if (request.method != verb::get && request.method != verb::head && context.registry.read_only()) {
            return detail::error(status::service_unavailable, "read_only",
                                 "this server is a read-only replica: send changes to the primary");
        }
        if (match.route->access != detail::Access::anyone && !request.caller) {
            detail::Response denied = detail::error(status::unauthorized, "token_required",
                                                    "this needs a staff token: Authorization: Bearer <token>");
            denied.header(detail::http::field::www_authenticate, "Bearer");
            return denied;
        }
        if (match.route->access == detail::Access::admin && request.caller->role != Role::admin) {
            return detail::error(status::forbidden, "admin_required", "this needs an admin token");
        }
        try {
            return match.route->handler(request, match.params);
        } catch (const std::invalid_argument& e) {
            return detail::error(status::bad_request, "bad_request", e.what());
        } catch (const std::exception& e) {
            std::cerr << "diachi serve: " << raw.method_string() << ' ' << request.path << ": " << e.what() << '\n';
            return detail::error(status::internal_server_error, "internal", "the server failed on this request; it is logged");
        }
    }();
    if (cors) {
        r.header(detail::http::field::access_control_allow_origin, "*");
    }
    context.metrics->record(slot, static_cast<unsigned>(r.status),
                            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    return r;
}

std::string Server::answer(std::string_view bytes, const std::string& client) {
    Impl& impl = *m_impl;
    std::string out;
    std::string head;
    std::optional<detail::http::request_parser<detail::http::string_body>> parser;
    while (!bytes.empty()) {
        impl.fresh_parser(parser)->eager(true);
        beast::error_code ec;
        while (!parser->is_done()) {
            if (bytes.empty()) {
                return out;  // cut short: a connection would wait for the rest
            }
            const std::size_t used = parser->put(asio::buffer(bytes.data(), bytes.size()), ec);
            bytes.remove_prefix(used);
            if (ec == boost::beast::http::error::need_more) {
                if (used == 0) {
                    return out;  // the header is not complete yet
                }
                ec = {};
                continue;
            }
            if (ec) {
                const detail::Response refused = impl.unreadable(ec);
                detail::write_head(refused, 11, false, head);
                return out.append(head).append(refused.payload());
            }
        }
        const auto& raw = parser->get();
        bool close = false;
        const detail::Response r = impl.answer(raw, client, &close);
        const bool keep_alive = !close && raw.keep_alive() && !impl.stopping;
        detail::write_head(r, raw.version(), keep_alive, head);
        out.append(head);
        if (raw.method() != verb::head) {
            out.append(r.payload());
        }
        if (!keep_alive) {
            break;
        }
    }
    return out;
}

void Server::Impl::accept() {
    // With one thread every handler runs in turn already; with more, each connection's
    // handlers run one at a time on a strand of its own.
    const asio::any_io_executor executor =
        thread_count > 1 ? asio::any_io_executor(asio::make_strand(io)) : asio::any_io_executor(io.get_executor());
    acceptor.async_accept(executor, [this](beast::error_code ec, tcp::socket socket) {
        if (ec) {
            if (!acceptor.is_open()) {
                return;
            }
        } else {
            std::make_shared<Session>(std::move(socket), *this)->start();
        }
        accept();
    });
}

Server::Server(store::Registry& registry, const tiles::TileRenderer& renderer, ServerOptions options)
    : m_impl(std::make_unique<Impl>(registry, renderer, std::move(options))) {}

Server::~Server() { stop(std::chrono::milliseconds{1000}); }

const ServerOptions& Server::options() const noexcept { return m_impl->context.options; }

std::uint16_t Server::port() const noexcept { return m_impl->port; }

std::vector<RouteInfo> Server::routes() const {
    std::vector<RouteInfo> out;
    for (const auto& route : m_impl->context.router.routes()) {
        RouteInfo info;
        info.name = route.name;
        for (const auto method : route.methods) {
            const auto text = detail::http::to_string(method);
            info.methods.append(info.methods.empty() ? "" : ", ").append(text.data(), text.size());
        }
        for (const auto& segment : route.pattern) {
            info.pattern.append("/").append(segment);
        }
        if (info.pattern.empty() || route.pattern == std::vector<std::string>{""}) {
            info.pattern = "/";
        }
        info.access = route.access == detail::Access::anyone ? "anyone"
                      : route.access == detail::Access::staff ? "staff"
                                                               : "admin";
        out.push_back(std::move(info));
    }
    return out;
}

void Server::reload_archives() { m_impl->context.reload_archives(); }

void Server::start() {
    Impl& impl = *m_impl;
    const auto& o = impl.context.options;
    beast::error_code ec;
    const auto address = asio::ip::make_address(o.bind, ec);
    if (ec) {
        throw std::runtime_error("--bind " + o.bind + ": not an IP address");
    }
    const tcp::endpoint endpoint(address, o.port);
    impl.acceptor.open(endpoint.protocol(), ec);
    if (!ec) impl.acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) impl.acceptor.bind(endpoint, ec);
    if (!ec) impl.acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
        throw std::runtime_error(o.bind + ":" + std::to_string(o.port) + ": cannot listen: " + ec.message());
    }
    impl.port = impl.acceptor.local_endpoint().port();
    impl.thread_count = o.threads != 0 ? o.threads : std::max(1U, std::thread::hardware_concurrency());
    impl.accept();
    for (unsigned i = 0; i < impl.thread_count; ++i) {
        impl.threads.emplace_back([&impl] { impl.io.run(); });
    }
    if (o.follow_interval.count() > 0) {
        impl.follower = std::thread([&impl] { impl.follow(); });
    }
}

void Server::stop(std::chrono::milliseconds grace) {
    Impl& impl = *m_impl;
    {
        std::lock_guard lock(impl.stop_mutex);
        if (impl.stopped || impl.threads.empty()) {
            impl.stopped = true;
            impl.stopped_cv.notify_all();
            return;
        }
    }
    {
        std::lock_guard lock(impl.follow_mutex);
        impl.stopping = true;
    }
    impl.follow_cv.notify_all();
    if (impl.follower.joinable()) {
        impl.follower.join();
    }
    asio::post(impl.io, [&impl] {
        beast::error_code ec;
        impl.acceptor.close(ec);
    });
    {
        std::lock_guard lock(impl.sessions_mutex);
        for (const auto& weak : impl.live) {
            if (const auto session = weak.lock()) {
                session->close_if_idle();
            }
        }
    }
    // Requests in flight finish and their connections close; then the threads end.
    const auto deadline = std::chrono::steady_clock::now() + grace;
    while (impl.sessions > 0 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    impl.io.stop();
    for (auto& thread : impl.threads) {
        thread.join();
    }
    impl.threads.clear();
    std::lock_guard lock(impl.stop_mutex);
    impl.stopped = true;
    impl.stopped_cv.notify_all();
}

void Server::wait() {
    std::unique_lock lock(m_impl->stop_mutex);
    m_impl->stopped_cv.wait(lock, [this] { return m_impl->stopped; });
}

}  // namespace diachi::server
