// The server in process, on a port the operating system picks, spoken to over real sockets:
// every route, tiles with gzip, ETag and 304, invalidation after a registration through the
// API, the auth model, bad requests (malformed paths, huge headers and bodies, long URLs, bad
// JSON, bad tokens), HEAD, keep-alive, pipelining, slow clients, rate limits, glyphs, metrics.

#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <protozero/pbf_reader.hpp>

#include <diachi/server/server.hpp>
#include <diachi/store/registry.hpp>
#include <diachi/tiles/gzip.hpp>
#include <diachi/tiles/mvt_reader.hpp>
#include <diachi/tiles/tile_id.hpp>

#include "../sample_zones.hpp"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using diachi::LatLngE7;

namespace {

using Response = http::response<http::string_body>;

constexpr double center_lat = 20.25;
constexpr double center_lng = 105.9;
const std::filesystem::path noto = "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf";

class ServerTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        dir = new diachi::test::TempDir();
        registry = new diachi::store::Registry(*dir / "store");
        registry->import_zones(diachi::test::grid_zones(4, 5), {{"Tỉnh Mẫu", {43}}});
        std::mt19937_64 random(5);
        std::normal_distribution<double> spread(0.0, 0.002);
        std::vector<diachi::store::Registration> batch(500);
        for (std::size_t i = 0; i < batch.size(); ++i) {
            auto& r = batch[i];
            // Drawn one by one: the order of a call's arguments is the compiler's choice.
            const double d_lng = spread(random);
            const double d_lat = spread(random);
            r.location = LatLngE7::from_degrees(center_lat + d_lat, center_lng + d_lng).value();
            r.address.house_number = std::to_string(i + 1);
            r.address.hamlet = "Thôn Liên Trì 2";
            r.personal.head_of_household = "Nguyễn Văn Bí Mật";
            r.personal.phone = "0912345678";
            r.source = "test";
        }
        std::vector<diachi::Result<diachi::store::Registered>> out;
        registry->register_households(batch, &out);
        first = new diachi::store::Household(out.front().value().household);
        renderer = new diachi::tiles::TileRenderer(*registry);
        diachi::server::ServerOptions options;
        options.port = 0;
        options.threads = 2;
        options.request_timeout = std::chrono::milliseconds(800);
        options.rate_limit = 0;
        options.tokens_file = *dir / "tokens";
        if (std::filesystem::exists(noto)) {
            options.fonts.emplace_back("Noto Sans Regular", noto);
        }
        token = new std::string(diachi::server::TokenStore(options.tokens_file).create(diachi::server::Role::staff, "tester"));
        server = new diachi::server::Server(*registry, *renderer, options);
        server->start();
    }
    static void TearDownTestSuite() {
        server->stop();
        delete server;
        delete renderer;
        delete first;
        delete token;
        delete registry;
        delete dir;
    }

    /// One request on a new connection.
    static Response request(http::verb method, const std::string& target, const std::string& body = {},
                            std::vector<std::pair<http::field, std::string>> headers = {}) {
        asio::io_context io;
        tcp::socket socket(io);
        socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), server->port()));
        http::request<http::string_body> req{method, target, 11};
        req.set(http::field::host, "localhost");
        for (auto& [f, v] : headers) {
            req.set(f, v);
        }
        if (!body.empty()) {
            req.body() = body;
            req.set(http::field::content_type, "application/json");
        }
        req.prepare_payload();
        http::write(socket, req);
        beast::flat_buffer buffer;
        http::response_parser<http::string_body> parser;
        parser.body_limit(64U << 20);
        parser.skip(method == http::verb::head);
        http::read(socket, buffer, parser);
        return parser.release();
    }
    static Response get(const std::string& target, std::vector<std::pair<http::field, std::string>> headers = {}) {
        return request(http::verb::get, target, {}, std::move(headers));
    }
    static std::pair<http::field, std::string> bearer() { return {http::field::authorization, "Bearer " + *token}; }

    /// Raw bytes in, everything the server sends until it closes (or @p wait passes).
    static std::string raw(const std::string& bytes) {
        asio::io_context io;
        tcp::socket socket(io);
        socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), server->port()));
        beast::error_code ec;
        asio::write(socket, asio::buffer(bytes), ec);  // the server may answer before it has read all
        std::string out;
        char chunk[4096];
        for (;;) {
            const std::size_t n = socket.read_some(asio::buffer(chunk), ec);
            if (ec) break;
            out.append(chunk, n);
        }
        return out;
    }

    static std::string tile_path(std::uint32_t z) {
        const auto t = diachi::tiles::tile_at(z, first->location.lat_deg(), first->location.lng_deg());
        return "/tiles/" + std::to_string(t.z) + "/" + std::to_string(t.x) + "/" + std::to_string(t.y) + ".mvt";
    }

    static inline diachi::test::TempDir* dir = nullptr;
    static inline diachi::store::Registry* registry = nullptr;
    static inline diachi::tiles::TileRenderer* renderer = nullptr;
    static inline diachi::server::Server* server = nullptr;
    static inline diachi::store::Household* first = nullptr;
    static inline std::string* token = nullptr;
};

std::size_t households_in(const std::string& mvt, const std::string& code = {}) {
    const auto tile = diachi::tiles::mvt::decode(mvt);
    std::size_t n = 0;
    for (const auto& layer : tile.layers) {
        if (layer.name != "households") continue;
        for (const auto& f : layer.features) {
            bool match = code.empty();
            for (const auto& [k, v] : f.properties) {
                if (k == "code" && std::holds_alternative<std::string>(v) && std::get<std::string>(v) == code) match = true;
            }
            n += match ? 1 : 0;
        }
    }
    return n;
}

TEST_F(ServerTest, TilesAreGzippedTaggedAndRevalidated) {
    const auto r = get(tile_path(15), {{http::field::accept_encoding, "gzip, br"}});
    ASSERT_EQ(r.result(), http::status::ok) << r.body();
    EXPECT_EQ(r[http::field::content_type], "application/vnd.mapbox-vector-tile");
    EXPECT_EQ(r[http::field::content_encoding], "gzip");
    EXPECT_EQ(r[http::field::vary], "Accept-Encoding");
    EXPECT_EQ(r[http::field::access_control_allow_origin], "*");
    const std::string etag(r[http::field::etag]);
    ASSERT_FALSE(etag.empty());
    const std::string mvt = diachi::tiles::gunzip(r.body());
    EXPECT_TRUE(diachi::tiles::mvt::check(mvt).empty());
    EXPECT_GT(households_in(mvt), 10U);

    const auto again = get(tile_path(15), {{http::field::accept_encoding, "gzip"}, {http::field::if_none_match, etag}});
    EXPECT_EQ(again.result(), http::status::not_modified);
    EXPECT_TRUE(again.body().empty());

    const auto plain = get(tile_path(15));
    EXPECT_EQ(plain[http::field::content_encoding], "");
    EXPECT_EQ(plain.body(), mvt);

    const auto head = request(http::verb::head, tile_path(15), {}, {{http::field::accept_encoding, "gzip"}});
    EXPECT_EQ(head.result(), http::status::ok);
    EXPECT_EQ(head[http::field::content_length], std::to_string(r.body().size()));

    // A layer subset, an empty tile, bad tiles and bad layers.
    const auto communes = get("/tiles/communes/" + tile_path(12).substr(7));
    ASSERT_EQ(communes.result(), http::status::ok);
    EXPECT_EQ(households_in(communes.body()), 0U);
    EXPECT_EQ(get("/tiles/households/15/0/0.mvt").result(), http::status::no_content);
    for (const auto* bad : {"/tiles/23/0/0.mvt", "/tiles/3/8/0.mvt", "/tiles/a/b/c.mvt", "/tiles/3/-1/0.mvt"}) {
        const auto answer = get(bad);
        EXPECT_EQ(answer.result(), http::status::bad_request) << bad;
        EXPECT_NE(answer.body().find("\"bad_tile\""), std::string::npos) << bad;
    }
    EXPECT_NE(get("/tiles/roads/3/0/0.mvt").body().find("\"bad_layers\""), std::string::npos);
}

TEST_F(ServerTest, ARegistrationAppearsOnTheNextTile) {
    const std::string path = tile_path(16);
    const auto before = get(path);
    ASSERT_EQ(before.result(), http::status::ok);
    const auto t = diachi::tiles::tile_at(16, first->location.lat_deg(), first->location.lng_deg());
    const auto box = diachi::tiles::bounds_deg(t);
    const std::string body = "{\"lat\": " + std::to_string((box.south_deg + box.north_deg) / 2) +
                             ", \"lng\": " + std::to_string((box.west_deg + box.east_deg) / 2) +
                             ", \"house_number\": \"99\", \"head_of_household\": \"Trần Thị Mới\"}";
    const auto created = request(http::verb::post, "/v1/households", body, {bearer()});
    ASSERT_EQ(created.result(), http::status::created) << created.body();
    const std::string key = "\"display\":\"";
    const auto at = created.body().find(key);
    const std::string code = created.body().substr(at + key.size(), created.body().find('"', at + key.size()) - at - key.size());
    const auto after = get(path, {{http::field::if_none_match, std::string(before[http::field::etag])}});
    ASSERT_EQ(after.result(), http::status::ok);
    EXPECT_NE(after[http::field::etag], before[http::field::etag]);
    EXPECT_EQ(households_in(after.body(), code), 1U) << code;
}

TEST_F(ServerTest, TileJsonAndStyle) {
    const auto r = get("/tiles.json");
    ASSERT_EQ(r.result(), http::status::ok);
    for (const auto* needle : {"\"tilejson\":\"3.0.0\"", "\"minzoom\":0", "\"maxzoom\":22",
                               "\"tiles\":[\"http://localhost/tiles/{z}/{x}/{y}.mvt\"]", "\"bounds\":[105.8,20.2,106.05,20.4]",
                               "\"id\":\"households\"", "\"fields\":{"}) {
        EXPECT_NE(r.body().find(needle), std::string::npos) << needle << " in " << r.body();
    }
    const auto style = get("/style.json");
    EXPECT_NE(style.body().find("\"version\":8"), std::string::npos);
    EXPECT_NE(style.body().find("\"glyphs\":\"http://localhost/fonts/{fontstack}/{range}.pbf\""), std::string::npos);
}

TEST_F(ServerTest, ResolveReverseWhereSearch) {
    const std::string code(first->code.canonical().view());
    const auto r = get("/v1/codes/" + code);
    ASSERT_EQ(r.result(), http::status::ok) << r.body();
    EXPECT_NE(r.body().find("\"match\":\"exact\""), std::string::npos);
    EXPECT_EQ(r.body().find("Bí Mật"), std::string::npos) << "personal data served to an anonymous caller";
    EXPECT_EQ(r.body().find("0912345678"), std::string::npos);

    // The display form with a space, percent-encoded.
    std::string display(first->code.display().view());
    display.replace(display.find(' '), 1, "%20");
    display.replace(display.find('+'), 1, "%2B");
    EXPECT_EQ(get("/v1/codes/" + display).result(), http::status::ok);

    // One character wrong: not found, with the registered code as a suggestion.
    std::string typo = code;
    typo[7] = typo[7] == '2' ? '3' : '2';
    const auto missing = get("/v1/codes/" + typo);
    EXPECT_EQ(missing.result(), http::status::not_found);
    const auto malformed = get("/v1/codes/12");
    EXPECT_EQ(malformed.result(), http::status::bad_request);
    EXPECT_NE(malformed.body().find("\"error\":"), std::string::npos);

    const auto qr = get("/v1/codes/" + code + "/qr.svg");
    ASSERT_EQ(qr.result(), http::status::ok);
    EXPECT_EQ(qr[http::field::content_type], "image/svg+xml");
    EXPECT_NE(qr.body().find("<svg"), std::string::npos);
    EXPECT_NE(qr.body().find("<path"), std::string::npos);

    const std::string at = "lat=" + std::to_string(first->location.lat_deg()) + "&lng=" + std::to_string(first->location.lng_deg());
    const auto nearest = get("/v1/reverse?" + at + "&k=3");
    ASSERT_EQ(nearest.result(), http::status::ok);
    EXPECT_NE(nearest.body().find("\"nearest\":[{"), std::string::npos);
    EXPECT_NE(nearest.body().find("\"postcode\":\"43"), std::string::npos);
    const auto where = get("/v1/where?" + at);
    ASSERT_EQ(where.result(), http::status::ok);
    EXPECT_NE(where.body().find("\"cell_code\":\"" + code.substr(0, 12)), std::string::npos) << where.body();
    EXPECT_EQ(get("/v1/where?lat=10&lng=100").result(), http::status::unprocessable_entity);
    EXPECT_EQ(get("/v1/where?lat=abc&lng=1").result(), http::status::bad_request);
    EXPECT_EQ(get("/v1/reverse?lat=20.25").result(), http::status::bad_request);
    EXPECT_EQ(get("/v1/reverse?" + at + "&k=0").result(), http::status::bad_request);

    const auto found = get("/v1/search?q=s%E1%BB%91+1+th%C3%B4n+Li%C3%AAn+Tr%C3%AC+2&limit=3");
    ASSERT_EQ(found.result(), http::status::ok);
    EXPECT_NE(found.body().find("\"results\":[{"), std::string::npos) << found.body();
    const auto plain = get("/v1/suggest?q=thon+lien+tr");
    ASSERT_EQ(plain.result(), http::status::ok);
    EXPECT_NE(plain.body().find("Liên Trì 2"), std::string::npos) << plain.body();
    EXPECT_EQ(get("/v1/search").result(), http::status::bad_request);
    EXPECT_EQ(get("/v1/search?q=" + std::string(600, 'a')).result(), http::status::bad_request);
}

TEST_F(ServerTest, StaffRoutesNeedAToken) {
    const std::string id = std::to_string(first->id);
    const auto anonymous = get("/v1/households/" + id);
    EXPECT_EQ(anonymous.result(), http::status::unauthorized);
    EXPECT_NE(anonymous.body().find("\"token_required\""), std::string::npos);
    EXPECT_EQ(anonymous[http::field::www_authenticate], "Bearer");
    const auto forged = get("/v1/households/" + id, {{http::field::authorization, "Bearer dc_" + std::string(64, '0')}});
    EXPECT_EQ(forged.result(), http::status::unauthorized);
    EXPECT_NE(forged.body().find("\"bad_token\""), std::string::npos);
    EXPECT_EQ(get("/tiles.json", {{http::field::authorization, "Basic abc"}}).result(), http::status::unauthorized);
    EXPECT_EQ(request(http::verb::post, "/v1/households", "{\"lat\":20.25,\"lng\":105.9}").result(), http::status::unauthorized);

    const auto staff = get("/v1/households/" + id, {bearer()});
    ASSERT_EQ(staff.result(), http::status::ok);
    EXPECT_NE(staff.body().find("Nguyễn Văn Bí Mật"), std::string::npos);

    // A move through PATCH, an address change, then retirement and the history of it all.
    diachi::store::Registration r;
    r.location = LatLngE7::from_degrees(center_lat + 0.01, center_lng + 0.01).value();
    r.source = "test";
    const auto h = registry->register_household(r).value().household;
    const std::string path = "/v1/households/" + std::to_string(h.id);
    const auto moved = request(http::verb::patch, path, "{\"lat\": 20.262, \"lng\": 105.911, \"street\": \"Ngõ 4\"}", {bearer()});
    ASSERT_EQ(moved.result(), http::status::ok) << moved.body();
    EXPECT_NE(moved.body().find("\"lat\":20.262"), std::string::npos);
    EXPECT_NE(moved.body().find("\"street\":\"Ngõ 4\""), std::string::npos);
    const auto retired = request(http::verb::delete_, path + "?reason=demolished", {}, {bearer()});
    ASSERT_EQ(retired.result(), http::status::ok);
    EXPECT_NE(retired.body().find("\"status\":\"retired\""), std::string::npos);
    EXPECT_EQ(request(http::verb::delete_, path, {}, {bearer()}).result(), http::status::conflict);
    const auto history = get(path + "/history", {bearer()});
    ASSERT_EQ(history.result(), http::status::ok);
    for (const auto* action : {"registered", "moved", "address_updated", "retired"}) {
        EXPECT_NE(history.body().find(std::string("\"action\":\"") + action + "\""), std::string::npos) << action;
    }
    EXPECT_EQ(get("/v1/households/0", {bearer()}).result(), http::status::bad_request);
    EXPECT_EQ(get("/v1/households/99999999", {bearer()}).result(), http::status::not_found);
}

TEST_F(ServerTest, BadBodiesGetClearErrors) {
    for (const auto* body : {"", "{", "[1]", "{\"lat\": 20.25,}", "{\"lat\": \"x\", \"lng\": 105.9}",
                             "{\"lat\": 20.25, \"lng\": 105.9, \"lat\": 1}", "{\"lat\": {\"a\": 1}}", "{\"lat\": 1e999, \"lng\": 1}"}) {
        const auto r = request(http::verb::post, "/v1/households", body, {bearer()});
        EXPECT_EQ(r.result(), http::status::bad_request) << body << " -> " << r.body();
        EXPECT_NE(r.body().find("\"error\":"), std::string::npos) << body;
    }
    const auto sea = request(http::verb::post, "/v1/households", "{\"lat\": 10, \"lng\": 100}", {bearer()});
    EXPECT_EQ(sea.result(), http::status::unprocessable_entity) << sea.body();
    EXPECT_NE(sea.body().find("\"outside_zones\""), std::string::npos);
}

TEST_F(ServerTest, MalformedRequestsAndLimits) {
    EXPECT_EQ(get("/nothing/here").result(), http::status::not_found);
    const auto wrong = request(http::verb::put, "/tiles.json");
    EXPECT_EQ(wrong.result(), http::status::method_not_allowed);
    EXPECT_NE(wrong[http::field::allow].find("GET"), beast::string_view::npos);
    EXPECT_EQ(get("/v1/codes/%zz").result(), http::status::bad_request);

    const std::string huge_header = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20000, 'a') + "\r\n\r\n";
    EXPECT_EQ(raw(huge_header).substr(0, 12), "HTTP/1.1 431");
    const std::string huge_body = "POST /v1/households HTTP/1.1\r\nHost: x\r\nContent-Length: 200000\r\n\r\n" + std::string(200000, '{');
    EXPECT_EQ(raw(huge_body).substr(0, 12), "HTTP/1.1 413");
    const std::string long_url = "GET /v1/search?q=" + std::string(3000, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n";
    EXPECT_EQ(raw(long_url).substr(0, 12), "HTTP/1.1 414");
    EXPECT_EQ(raw("NONSENSE\r\n\r\n").substr(0, 12), "HTTP/1.1 400");
    EXPECT_EQ(raw("GET nopath HTTP/1.1\r\nHost: x\r\n\r\n").substr(0, 12), "HTTP/1.1 400");
    // Still serving.
    EXPECT_EQ(get("/healthz").result(), http::status::ok);
}

TEST_F(ServerTest, KeepAliveAndPipelining) {
    const std::string two = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /v1/where?lat=20.25&lng=105.9 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    const std::string out = raw(two);
    const auto first_at = out.find("HTTP/1.1 200");
    ASSERT_NE(first_at, std::string::npos);
    EXPECT_NE(out.find("HTTP/1.1 200", first_at + 1), std::string::npos) << out;
    EXPECT_NE(out.find("\"status\":\"ok\""), std::string::npos);
    EXPECT_NE(out.find("\"cell_code\""), std::string::npos);
}

// Tokens: only hashes on disk; a token made while the server runs works at once; revoked, it is
// refused from the next request; creation, first use and revocation are in the audit log; the
// token's id (not the token) names it in the household's history.
TEST_F(ServerTest, TokensAreHashedRevocableAndAudited) {
    const auto file = *dir / "tokens";
    diachi::server::TokenStore other_process(file);
    const std::string fresh = other_process.create(diachi::server::Role::staff, "surveyor Lan");
    std::ifstream in(file);
    const std::string stored((std::istreambuf_iterator<char>(in)), {});
    EXPECT_EQ(stored.find(fresh), std::string::npos) << "the token itself is on disk";
    EXPECT_NE(stored.find(diachi::server::sha256_hex(fresh)), std::string::npos);

    const std::pair<http::field, std::string> auth{http::field::authorization, "Bearer " + fresh};
    const auto created = request(http::verb::post, "/v1/households",
                                 "{\"lat\": 20.2612, \"lng\": 105.9123, \"house_number\": \"T1\"}", {auth});
    ASSERT_EQ(created.result(), http::status::created) << created.body();
    const std::string id = diachi::server::sha256_hex(fresh).substr(0, 12);
    const auto start = created.body().find("\"id\":") + 5;
    const std::string household = created.body().substr(start, created.body().find(',', start) - start);
    const auto history = get("/v1/households/" + household + "/history", {bearer()});
    EXPECT_NE(history.body().find("token:" + id + " (surveyor Lan)"), std::string::npos) << history.body();

    ASSERT_TRUE(diachi::server::TokenStore(file).revoke(id, "chief"));
    EXPECT_FALSE(diachi::server::TokenStore(file).revoke(id, "chief")) << "revoked twice";
    EXPECT_EQ(get("/v1/households/" + household, {auth}).result(), http::status::unauthorized);
    EXPECT_EQ(get("/v1/households/" + household, {bearer()}).result(), http::status::ok) << "others still work";

    std::ifstream log_in(other_process.audit_path());
    std::vector<std::string> events;
    for (std::string line; std::getline(log_in, line);) {
        if (line.find("\"token\":\"" + id + "\"") != std::string::npos) {
            const auto at = line.find("\"event\":\"") + 9;
            events.push_back(line.substr(at, line.find('"', at) - at));
        }
    }
    ASSERT_EQ(events.size(), 3U);
    EXPECT_EQ(events, (std::vector<std::string>{"created", "used", "revoked"}));
}

// No personal data to anonymous callers: every public GET route of the server's own table (a
// route added later without a walk here fails the test) is walked with real values; tiles of
// every layer at zooms 0..20 over the households; answers are unzipped before they are searched
// for the stored names and phone number, also in folded forms.
TEST_F(ServerTest, AnonymousCallersNeverSeePersonalData) {
    const std::string code = std::string(first->code.canonical().view());
    const std::string display = std::string(first->code.display().view());
    std::map<std::string, std::vector<std::string>> walks = {
        {"resolve", {"/v1/codes/" + code, "/v1/codes/" + code.substr(0, 12), "/v1/codes/43001"}},
        {"qr", {"/v1/codes/" + code + "/qr.svg"}},
        {"reverse", {"/v1/reverse?lat=20.25&lng=105.9&k=50&max_distance_m=5000"}},
        {"where", {"/v1/where?lat=20.25&lng=105.9"}},
        {"search", {"/v1/search?q=Th%C3%B4n+Li%C3%AAn+Tr%C3%AC+2&limit=50", "/v1/search?q=5+thon+lien+tri", "/v1/search?q=" + code}},
        {"suggest", {"/v1/suggest?q=th%C3%B4n", "/v1/suggest?q=ngu"}},
        {"tilejson", {"/tiles.json", "/tiles.json?layers=households"}},
        {"style", {"/style.json"}},
        {"archive_tiles", {"/archives/none/14/1/1.mvt"}},
        {"archive_tilejson", {"/archives/none.json"}},
        {"page", {"/", "/index.html", "/app.js", "/app.css"}},
        {"vendor", {"/vendor/maplibre-gl.js", "/vendor/maplibre-gl.css"}},
        {"fonts", {"/fonts/Noto%20Sans%20Regular/0-255.pbf", "/fonts/Noto%20Sans%20Regular/7680-7935.pbf"}},
        {"healthz", {"/healthz"}},
        {"metrics", {"/metrics"}},
    };
    // Tiles: every layer the server has, alone and together, at every zoom over the households.
    const auto tilejson = get("/tiles.json").body();
    std::vector<std::string> layers = {""};
    for (std::size_t at = 0; (at = tilejson.find("{\"id\":\"", at)) != std::string::npos;) {
        at += 7;
        layers.push_back(tilejson.substr(at, tilejson.find('"', at) - at) + "/");
    }
    ASSERT_GE(layers.size(), 4U) << tilejson;
    for (std::uint32_t z = 0; z <= 20; ++z) {
        const auto t = diachi::tiles::tile_at(z, center_lat, center_lng);
        for (const auto& layer : layers) {
            walks["tiles"].push_back("/tiles/" + layer + std::to_string(z) + "/" + std::to_string(t.x) + "/" +
                                     std::to_string(t.y) + ".mvt");
        }
    }
    const std::vector<std::string> secrets = {"Nguyễn Văn Bí Mật", "Bí Mật", "Bi Mat", "bi mat", "0912345678", "912345678"};
    std::size_t walked = 0;
    for (const auto& route : server->routes()) {
        if (route.access != "anyone" || route.methods.find("GET") == std::string::npos) {
            continue;
        }
        const auto it = walks.find(route.name);
        ASSERT_NE(it, walks.end()) << "public route " << route.pattern << " (" << route.name << ") has no walk here";
        for (const auto& target : it->second) {
            for (const bool gzip : {false, true}) {
                const auto answer = gzip ? get(target, {{http::field::accept_encoding, "gzip"}}) : get(target);
                ASSERT_LT(answer.result_int(), 500U) << target;
                std::string body = answer.body();
                if (answer[http::field::content_encoding] == "gzip") {
                    body = diachi::tiles::gunzip(body);
                }
                std::string headers;
                for (const auto& field : answer) {
                    headers.append(field.value().data(), field.value().size()).push_back('\n');
                }
                for (const auto& secret : secrets) {
                    EXPECT_EQ(body.find(secret), std::string::npos) << target << " shows " << secret;
                    EXPECT_EQ(headers.find(secret), std::string::npos) << target << " shows " << secret;
                }
                ++walked;
            }
        }
    }
    EXPECT_GT(walked, 300U);
    // With a staff token the same household does show them: the search above would see a leak.
    const auto staff = get("/v1/households/" + std::to_string(first->id), {bearer()}).body();
    EXPECT_NE(staff.find("0912345678"), std::string::npos);
    EXPECT_NE(staff.find("Bí Mật"), std::string::npos);
}

// The bad-input catalogue of the HTTP routes: each malformed request and the exact status and
// error code it gets. None of them writes anything.
TEST_F(ServerTest, BadInputCatalogue) {
    struct Bad {
        http::verb method;
        std::string target;
        std::string body;
        unsigned status;
        std::string error;
    };
    const std::string long_query(3000, 'a');
    const std::vector<Bad> catalogue = {
        // codes: empty, invalid UTF-8, zero-width and mixed-script characters, SQL and JS
        {http::verb::get, "/v1/codes/", "", 404, "no_route"},
        {http::verb::get, "/v1/codes/%FF%FE", "", 400, "invalid_character"},
        {http::verb::get, "/v1/codes/43001%E2%80%8B6R56%2B6MH", "", 400, "invalid_character"},  // U+200B
        {http::verb::get, "/v1/codes/4300%D0%906R566MH", "", 400, "invalid_character"},         // Cyrillic А
        {http::verb::get, "/v1/codes/'%20OR%201=1--", "", 400, "invalid_character"},
        {http::verb::get, "/v1/codes/%3Cscript%3Ealert(1)%3C%2Fscript%3E", "", 400, "invalid_character"},
        {http::verb::get, "/v1/codes/43001", "", 400, "invalid_length"},
        {http::verb::get, "/v1/codes/%2", "", 400, "bad_encoding"},
        // coordinates: NaN, infinities, words, out of range, empty, missing, abroad
        {http::verb::get, "/v1/reverse?lat=nan&lng=105.9", "", 400, "malformed_number"},
        {http::verb::get, "/v1/reverse?lat=inf&lng=105.9", "", 400, "malformed_number"},
        {http::verb::get, "/v1/reverse?lat=-1e999&lng=105.9", "", 400, "malformed_number"},
        {http::verb::get, "/v1/reverse?lat=20.25&lng=abc", "", 400, "malformed_number"},
        {http::verb::get, "/v1/reverse?lat=91&lng=105.9", "", 400, "out_of_range"},
        {http::verb::get, "/v1/reverse?lat=20.25&lng=105.9&k=0", "", 400, "bad_parameter"},
        {http::verb::get, "/v1/reverse?lat=20.25&lng=105.9&k=100000", "", 400, "bad_parameter"},
        {http::verb::get, "/v1/reverse?lat=20.25&lng=105.9&max_distance_m=-1", "", 400, "bad_parameter"},
        {http::verb::get, "/v1/where?lat=&lng=", "", 400, "empty_input"},
        {http::verb::get, "/v1/where?lng=105.9", "", 400, "missing_parameter"},
        {http::verb::get, "/v1/where?lat=48.85&lng=2.35", "", 422, "outside_zones"},
        // search
        {http::verb::get, "/v1/search?q=", "", 400, "missing_parameter"},
        {http::verb::get, "/v1/search?q=x&limit=-1", "", 400, "bad_parameter"},
        {http::verb::get, "/v1/search?q=x&limit=abc", "", 400, "bad_parameter"},
        {http::verb::get, "/v1/search?q=" + long_query, "", 414, "url_too_long"},
        // tiles
        {http::verb::get, "/tiles/99/0/0.mvt", "", 400, "bad_tile"},
        {http::verb::get, "/tiles/14/99999/0.mvt", "", 400, "bad_tile"},
        {http::verb::get, "/tiles/a/b/c.mvt", "", 400, "bad_tile"},
        {http::verb::get, "/tiles/-1/0/0.mvt", "", 400, "bad_tile"},
        {http::verb::get, "/tiles/nolayer/1/0/0.mvt", "", 400, "bad_layers"},
        // bodies: wrong types, broken JSON, huge numbers, lone surrogates, abroad, missing
        {http::verb::post, "/v1/households", R"({"lat":"x","lng":105.9})", 400, "bad_field"},
        {http::verb::post, "/v1/households", R"({"lat":48.85,"lng":2.35})", 422, "outside_zones"},
        {http::verb::post, "/v1/households", R"([1,2])", 400, "bad_json"},
        {http::verb::post, "/v1/households", R"({"lat":20.25)", 400, "bad_json"},
        {http::verb::post, "/v1/households", R"({"lat":1e999,"lng":105.9})", 400, "bad_json"},
        {http::verb::post, "/v1/households", R"({"lng":105.9})", 400, "missing_field"},
        {http::verb::post, "/v1/households", R"({"lat":20.25,"lng":105.9,"street":"\ud800"})", 400, "bad_json"},
        {http::verb::post, "/v1/households", R"({"lat":20.25,"lng":105.9,"hamlet":{"a":1}})", 400, "bad_json"},
        {http::verb::post, "/v1/households", std::string(70 * 1024, ' '), 413, "body_too_large"},
        // ids
        {http::verb::patch, "/v1/households/abc", "{}", 400, "bad_id"},
        {http::verb::patch, "/v1/households/999999999", R"({"street":"x"})", 404, "not_found"},
        {http::verb::delete_, "/v1/households/-1", "", 400, "bad_id"},
        {http::verb::get, "/v1/households/18446744073709551616", "", 400, "bad_id"},
        // backups are not configured here; methods a path does not take
        {http::verb::post, "/v1/backup", "{}", 403, "admin_required"},
        {http::verb::put, "/v1/codes/x", "", 405, "method_not_allowed"},
    };
    const auto before = registry->household_count();
    for (const auto& bad : catalogue) {
        const auto answer = request(bad.method, bad.target, bad.body, {bearer()});
        EXPECT_EQ(answer.result_int(), bad.status) << bad.target.substr(0, 80) << " " << bad.body.substr(0, 80);
        EXPECT_NE(answer.body().find("\"error\":\"" + bad.error + "\""), std::string::npos)
            << bad.target.substr(0, 80) << " " << bad.body.substr(0, 80) << ": " << answer.body();
    }
    EXPECT_EQ(registry->household_count(), before) << "a refused request wrote something";
    EXPECT_TRUE(registry->check().ok());
}

// Anonymous resolves are answered from the response cache until the next write: an address
// change and a new household in the same cell show at once.
TEST_F(ServerTest, ResolveCacheNeverServesAStaleAnswer) {
    diachi::store::Registration r;
    r.location = LatLngE7::from_degrees(center_lat - 0.013, center_lng - 0.017).value();
    r.address.street = "Đường Một";
    r.source = "test";
    const auto h = registry->register_household(r).value().household;
    const std::string path = "/v1/codes/" + std::string(h.code.canonical().view());
    const auto hits = [] {
        const auto text = get("/metrics").body();
        const std::string name = "\ndiachi_resolve_cache_hits_total ";
        const auto at = text.find(name) + name.size();
        return std::stoull(text.substr(at, text.find('\n', at) - at));
    };
    const auto first_answer = get(path).body();
    const auto before = hits();
    EXPECT_EQ(get(path).body(), first_answer);
    EXPECT_EQ(hits(), before + 1);

    const auto changed = request(http::verb::patch, "/v1/households/" + std::to_string(h.id),
                                 R"({"street": "Đường Hai"})", {bearer()});
    ASSERT_EQ(changed.result(), http::status::ok) << changed.body();
    EXPECT_NE(get(path).body().find("Đường Hai"), std::string::npos) << "a stale address";

    ASSERT_TRUE(registry->register_household(r));  // the same cell: unit 2
    const auto cell = get(path).body();
    EXPECT_NE(cell.find("/2\""), std::string::npos) << "the new unit is missing: " << cell;
    EXPECT_NE(get(path, {bearer()}).body().find("/2\""), std::string::npos);  // staff answers are never kept
}

// Server::answer() (what the fuzzer drives) sends the same bytes as a connection.
TEST_F(ServerTest, AnswerWithoutAConnectionMatchesTheWire) {
    const std::string two = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /v1/where?lat=20.25&lng=105.9 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    EXPECT_EQ(server->answer(two), raw(two));
    // A request cut short gets nothing yet; a malformed one gets a 400 and the end.
    EXPECT_EQ(server->answer("GET /healthz HTTP/1.1\r\nHo"), "");
    const std::string bad = server->answer("GET /healthz HTTP/1.1\r\nHost x\r\n\r\nGET /healthz HTTP/1.1\r\n\r\n");
    EXPECT_EQ(bad.rfind("HTTP/1.1 400 Bad Request\r\n", 0), 0U) << bad;
    EXPECT_NE(bad.find("Connection: close"), std::string::npos);
    EXPECT_EQ(bad.find("HTTP/1.1 200"), std::string::npos) << "nothing after the refused request";
    // HEAD: the length of the body, not the body.
    const std::string head = server->answer("HEAD /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    EXPECT_NE(head.find("Content-Length: "), std::string::npos);
    EXPECT_TRUE(head.ends_with("\r\n\r\n")) << head;
}

TEST_F(ServerTest, SlowClientsAreCutOffWithoutDelayingOthers) {
    asio::io_context io;
    std::vector<tcp::socket> slow;
    for (int i = 0; i < 20; ++i) {
        slow.emplace_back(io);
        slow.back().connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), server->port()));
        asio::write(slow.back(), asio::buffer(std::string("GET /healthz HTTP/1.1\r\nHo")));
    }
    const auto started = std::chrono::steady_clock::now();
    for (int i = 0; i < 20; ++i) {
        ASSERT_EQ(get("/healthz").result(), http::status::ok);
    }
    // Twenty quick requests while twenty slow ones hang: well under the slow ones' timeout.
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(700));
    // The slow connections are closed by the server once their time is up.
    char byte = 0;
    beast::error_code ec;
    slow.front().read_some(asio::buffer(&byte, 1), ec);
    EXPECT_TRUE(ec == asio::error::eof || ec == asio::error::connection_reset) << ec.message();
}

TEST_F(ServerTest, GlyphsCoverVietnamese) {
    if (!std::filesystem::exists(noto)) {
        GTEST_SKIP() << noto << " is absent (Debian package fonts-noto-core)";
    }
    const auto r = get("/fonts/Noto%20Sans%20Regular/7680-7935.pbf");
    ASSERT_EQ(r.result(), http::status::ok);
    // Walk the protocol buffer: glyphs.stacks(1) > fontstack.glyphs(3) > glyph fields.
    protozero::pbf_reader glyphs(r.body());
    ASSERT_TRUE(glyphs.next(1));
    protozero::pbf_reader stack = glyphs.get_message();
    std::set<std::uint32_t> ids;
    std::string range;
    while (stack.next()) {
        if (stack.tag() == 2) {
            range = stack.get_string();
        } else if (stack.tag() == 3) {
            protozero::pbf_reader g = stack.get_message();
            std::uint32_t id = 0, w = 0, h = 0;
            std::size_t bitmap = 0;
            while (g.next()) {
                switch (g.tag()) {
                    case 1: id = g.get_uint32(); break;
                    case 2: bitmap = g.get_view().size(); break;
                    case 3: w = g.get_uint32(); break;
                    case 4: h = g.get_uint32(); break;
                    default: g.skip();
                }
            }
            ids.insert(id);
            if (w > 0) {
                EXPECT_EQ(bitmap, std::size_t{w + 6} * (h + 6)) << id;
            }
        } else {
            stack.skip();
        }
    }
    EXPECT_EQ(range, "7680-7935");
    for (const std::uint32_t cp : {0x1EA1U, 0x1EBFU, 0x1EDDU, 0x1EF9U}) {  // ạ ế ờ ỹ
        EXPECT_TRUE(ids.count(cp)) << std::hex << cp;
    }
    EXPECT_EQ(get("/fonts/Noto%20Sans%20Regular/7680-8000.pbf").result(), http::status::bad_request);
    EXPECT_EQ(get("/fonts/Nothing/0-255.pbf").result(), http::status::not_found);
}

TEST_F(ServerTest, HealthAndMetrics) {
    const auto health = get("/healthz");
    EXPECT_NE(health.body().find("\"status\":\"ok\""), std::string::npos);
    (void)get(tile_path(14));
    (void)get(tile_path(14));
    const auto metrics = get("/metrics");
    ASSERT_EQ(metrics.result(), http::status::ok);
    for (const auto* needle : {"diachi_http_requests_total{route=\"tiles\",status=\"2xx\"}",
                               "diachi_http_request_seconds_bucket{route=\"tiles\",le=\"+Inf\"}",
                               "diachi_tile_render_seconds_count", "diachi_tile_cache_hits_total"}) {
        EXPECT_NE(metrics.body().find(needle), std::string::npos) << needle;
    }
}

TEST(ServerLimits, RateLimitAnswers429) {
    diachi::test::TempDir dir;
    diachi::store::Registry registry(dir / "store");
    const diachi::tiles::TileRenderer renderer(registry);
    diachi::server::ServerOptions options;
    options.port = 0;
    options.threads = 1;
    options.rate_limit = 5;  // 10 at once, then 5 a second
    diachi::server::Server server(registry, renderer, options);
    server.start();
    int limited = 0;
    for (int i = 0; i < 30; ++i) {
        asio::io_context io;
        tcp::socket socket(io);
        socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), server.port()));
        http::request<http::string_body> req{http::verb::get, "/healthz", 11};
        http::write(socket, req);
        beast::flat_buffer buffer;
        Response r;
        http::read(socket, buffer, r);
        limited += r.result() == http::status::too_many_requests ? 1 : 0;
    }
    EXPECT_GE(limited, 15);
    server.stop();
}

}  // namespace
