// The JSON API under /v1: codes (resolve, QR), reverse, where, search, suggest, and households
// (register, read, change, retire, history; staff only). Answers use the shapes of
// diachi/store/json.hpp, the same as `diachi ... --json`.

#include <algorithm>
#include <cctype>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <charconv>
#include <cmath>

#include <diachi/json.hpp>
#include <diachi/olc.hpp>
#include <diachi/server/qr.hpp>
#include <diachi/store/json.hpp>

#include "context.hpp"
#include "json_body.hpp"

namespace diachi::server::detail {

namespace {

using http::status;
using http::verb;

store::Access access_of(const Request& request) {
    return request.caller ? store::Access::staff : store::Access::anonymous;
}

std::string actor_of(const Request& request) {
    if (!request.caller) {
        return "anonymous";
    }
    // The token's id names it in the history (and in the token audit log); the label says whose.
    const auto& caller = *request.caller;
    return "token:" + caller.id + " (" + (caller.label.empty() ? std::string(name(caller.role)) : caller.label) + ")";
}

/// The status of a registry error.
status status_of(ErrorCode code) {
    switch (code) {
        case ErrorCode::not_found: return status::not_found;
        case ErrorCode::retired:
        case ErrorCode::unit_exhausted: return status::conflict;
        case ErrorCode::outside_zones: return status::unprocessable_entity;
        default: return status::bad_request;
    }
}

Response registry_error(const Error& e, std::string_view input) {
    return json(status_of(e.code), store::error_json(e, input));
}

/// A location from decimal text (read exactly), or the error answer naming it.
std::variant<LatLngE7, Response> decimal_location(const std::string& lat, const std::string& lng) {
    const auto location = LatLngE7::from_decimal(lat, lng);
    if (!location) {
        return registry_error(location.error(), lat + "," + lng);
    }
    return *location;
}

/// lat= and lng= of the query, read as exact decimals; or the error answer.
std::variant<LatLngE7, Response> query_location(const Request& request) {
    const auto lat = query_param(request.query, "lat");
    const auto lng = query_param(request.query, "lng");
    if (!lat || !lng) {
        return error(status::bad_request, "missing_parameter", "give lat= and lng= in degrees (WGS 84)");
    }
    return decimal_location(*lat, *lng);
}

/// An integer parameter in [lo, hi], @p fallback when absent; nullopt when malformed.
std::optional<long> int_param(const Request& request, std::string_view key, long fallback, long lo,
                              long hi) {
    const auto text = query_param(request.query, key);
    if (!text) {
        return fallback;
    }
    long value = 0;
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (ec != std::errc{} || end != text->data() + text->size() || value < lo || value > hi) {
        return std::nullopt;
    }
    return value;
}

std::optional<std::uint64_t> id_param(std::string_view text) {
    std::uint64_t id = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc{} || end != text.data() + text.size() || id == 0) {
        return std::nullopt;
    }
    return id;
}

Response bad_id(std::string_view text) {
    return error(status::bad_request, "bad_id", "a household id is a positive integer", text);
}

/// Resolves the code of the path; the JSON answer when it is malformed or nothing has it,
/// otherwise nullopt with the households in @p found.
std::optional<Response> resolve_path(Context& c, const Request& request, std::string_view param,
                                     std::vector<store::Household>* found) {
    const auto code = percent_decode(param, false);
    if (!code) {
        return error(status::bad_request, "bad_encoding", "the code's percent-encoding is broken", param);
    }
    const auto resolution = c.registry.resolve(*code, access_of(request));
    if (!resolution) {
        return registry_error(resolution.error(), *code);
    }
    const bool any = !resolution->households.empty();
    if (!any || found == nullptr) {
        return json(any ? status::ok : status::not_found, store::resolution_json(*code, *resolution));
    }
    *found = resolution->households;
    return std::nullopt;
}

Response resolve(Context& c, const Request& request, const Params& params) {
    if (request.caller) {
        return *resolve_path(c, request, params[0], nullptr);  // personal fields: never kept
    }
    const std::uint64_t generation = c.registry.generation();
    if (auto kept = c.answers.find(request.path, generation)) {
        return std::move(*kept);
    }
    Response answer = *resolve_path(c, request, params[0], nullptr);
    c.answers.put(request.path, answer, generation);
    return answer;
}

Response qr(Context& c, const Request& request, const Params& params) {
    std::vector<store::Household> households;
    if (auto answer = resolve_path(c, request, params[0], &households)) {
        return std::move(*answer);
    }
    // The plate carries the code as couriers type it, with its check character.
    Response r;
    r.content_type = "image/svg+xml";
    r.body = qr_svg(households.front().code.display_checked().view());
    return r;
}

Response reverse(Context& c, const Request& request, const Params&) {
    auto location = query_location(request);
    if (auto* answer = std::get_if<Response>(&location)) {
        return std::move(*answer);
    }
    const auto k = int_param(request, "k", 5, 1, 100);
    const auto reach = int_param(request, "max_distance_m", 500, 1, 50'000);
    if (!k || !reach) {
        return error(status::bad_request, "bad_parameter",
                     "k is 1..100 and max_distance_m 1..50000 (integers)");
    }
    std::vector<store::Nearby> nearby;
    const LatLngE7 point = std::get<LatLngE7>(location);
    c.registry.reverse(point, static_cast<std::size_t>(*k), static_cast<double>(*reach), &nearby,
                       access_of(request));
    JsonArray list;
    for (const auto& n : nearby) {
        list.raw(store::nearby_json(n));
    }
    JsonObject out;
    if (const auto place = c.registry.where(point)) {
        out.raw("zone", store::zone_json(place->zone));
    } else {
        out.raw("zone", "null");
    }
    return json(status::ok, out.raw("nearest", list.str()).str());
}

Response where(Context& c, const Request& request, const Params&) {
    auto location = query_location(request);
    if (auto* answer = std::get_if<Response>(&location)) {
        return std::move(*answer);
    }
    const LatLngE7 point = std::get<LatLngE7>(location);
    const auto place = c.registry.where(point);
    if (!place) {
        return registry_error(place.error(), e7_text(point.lat_e7) + "," + e7_text(point.lng_e7));
    }
    JsonObject out;
    out.raw("zone", store::zone_json(place->zone));
    // The cell the point is in, and the code a household registered there would get (a later
    // household of the same cell gets the next unit, /2, /3, ...).
    const auto olc = olc::encode(point.grid_point(), 11);
    if (olc) {
        out.field("olc", olc->view());
    }
    if (place->zone.postcode != 0) {
        if (const auto code = HouseholdCode::from_grid(place->zone.postcode, point.grid_point())) {
            out.field("cell_code", code->canonical().view()).field("cell_display", code->display().view());
        }
    }
    return json(status::ok, out.str());
}

Response search(Context& c, const Request& request, bool suggest) {
    const auto q = query_param(request.query, "q");
    if (!q || q->empty()) {
        return error(status::bad_request, "missing_parameter", "give the text to look for as q=");
    }
    if (q->size() > 512) {
        return error(status::bad_request, "query_too_long", "q= takes at most 512 bytes");
    }
    const auto limit = int_param(request, "limit", 10, 1, 50);
    if (!limit) {
        return error(status::bad_request, "bad_parameter", "limit is 1..50");
    }
    store::SearchOptions options;
    options.limit = static_cast<std::size_t>(*limit);
    options.access = access_of(request);
    if (const auto near = query_param(request.query, "near"); near && !near->empty()) {
        const auto point = store::parse_near(*near);
        if (!point) {
            return error(status::bad_request, "bad_parameter", point.error().message());
        }
        options.near = *point;
    }
    if (suggest) {
        return json(status::ok,
                    store::search_results_json(
                        *q, options.near ? c.registry.suggest(*q, options.limit, *options.near)
                                         : c.registry.suggest(*q, options.limit)));
    }
    if (const auto box = query_param(request.query, "bbox"); box && !box->empty()) {
        const auto parsed = store::parse_bbox(*box);
        if (!parsed) {
            return error(status::bad_request, "bad_parameter", parsed.error().message());
        }
        options.bbox = *parsed;
    }
    return json(status::ok, store::search_results_json(*q, c.registry.search(*q, options)));
}

/// The body as a JSON object, or the error answer.
std::variant<JsonBody, Response> body_of(const Request& request) {
    try {
        return parse_json_body(request.body);
    } catch (const std::invalid_argument& e) {
        return error(status::bad_request, "bad_json", std::string("the body is not a JSON object: ") + e.what());
    }
}

/// Reads the address fields of @p body over @p address; whether any was given.
bool read_address(const JsonBody& body, store::Address* address) {
    bool any = false;
    if (auto v = body.string("house_number")) { address->house_number = std::move(*v); any = true; }
    if (auto v = body.string("street")) { address->street = std::move(*v); any = true; }
    if (auto v = body.string("hamlet")) { address->hamlet = std::move(*v); any = true; }
    return any;
}

/// lat and lng of @p body as exact decimals: the location, nothing when both are absent, or
/// an error answer.
std::variant<std::monostate, LatLngE7, Response> body_location(const JsonBody& body) {
    const auto lat = body.number_text("lat");
    const auto lng = body.number_text("lng");
    if (!lat && !lng) {
        return std::monostate{};
    }
    if (!lat || !lng) {
        return error(status::bad_request, "missing_field", "give both lat and lng");
    }
    auto location = decimal_location(*lat, *lng);
    if (auto* point = std::get_if<LatLngE7>(&location)) {
        return *point;
    }
    return std::get<Response>(std::move(location));
}

/// Parses the body and its location, then calls @p write(body, location or nullptr); bad JSON,
/// bad coordinates and fields of the wrong kind are answered here.
template <class Write>
Response with_body(const Request& request, Write&& write) {
    auto parsed = body_of(request);
    if (auto* answer = std::get_if<Response>(&parsed)) {
        return std::move(*answer);
    }
    const JsonBody& body = std::get<JsonBody>(parsed);
    try {
        auto location = body_location(body);
        if (auto* answer = std::get_if<Response>(&location)) {
            return std::move(*answer);
        }
        const auto* point = std::get_if<LatLngE7>(&location);
        return write(body, point);
    } catch (const std::invalid_argument& e) {
        return error(status::bad_request, "bad_field", e.what());
    }
}

Response register_household(Context& c, const Request& request, const Params&) {
    return with_body(request, [&](const JsonBody& body, const LatLngE7* point) {
        if (point == nullptr) {
            return error(status::bad_request, "missing_field", "give lat and lng (WGS 84 degrees)");
        }
        store::Registration r;
        r.location = *point;
        read_address(body, &r.address);
        r.personal.head_of_household = body.string("head_of_household").value_or("");
        r.personal.phone = body.string("phone").value_or("");
        r.source = body.string("source").value_or("api");
        r.external_id = body.string("external_id").value_or("");
        r.actor = actor_of(request);
        const auto result = c.registry.register_household(r);
        if (!result) {
            return registry_error(result.error(), e7_text(r.location.lat_e7) + "," + e7_text(r.location.lng_e7));
        }
        return json(result->created ? status::created : status::ok,
                    JsonObject{}.field("created", result->created)
                        .raw("household", store::household_json(result->household))
                        .str());
    });
}

Response get_household(Context& c, const Request& request, const Params& params) {
    const auto id = id_param(params[0]);
    if (!id) {
        return bad_id(params[0]);
    }
    const auto household = c.registry.get(*id, access_of(request));
    if (!household) {
        return registry_error(household.error(), params[0]);
    }
    return json(status::ok, store::household_json(*household));
}

Response history(Context& c, const Request&, const Params& params) {
    const auto id = id_param(params[0]);
    if (!id) {
        return bad_id(params[0]);
    }
    const auto events = c.registry.history(*id);
    if (events.empty()) {
        return error(status::not_found, "not_found", "no household with this id", params[0]);
    }
    return json(status::ok, store::history_json(*id, events));
}

Response change_household(Context& c, const Request& request, const Params& params) {
    const auto id = id_param(params[0]);
    if (!id) {
        return bad_id(params[0]);
    }
    return with_body(request, [&](const JsonBody& body, const LatLngE7* to) {
        const auto current = c.registry.get(*id, store::Access::staff);
        if (!current) {
            return registry_error(current.error(), params[0]);
        }
        store::Address address = current->address;
        const bool address_given = read_address(body, &address);
        if (!address_given && to == nullptr) {
            return error(status::bad_request, "missing_field",
                         "give lat and lng (a move), or house_number, street or hamlet");
        }
        const std::string actor = actor_of(request);
        Result<store::Household> result = *current;
        if (to != nullptr) {
            result = c.registry.move(*id, *to, actor);
            if (!result) {
                return registry_error(result.error(), params[0]);
            }
        }
        if (address_given && address != current->address) {
            result = c.registry.update_address(*id, address, actor);
            if (!result) {
                return registry_error(result.error(), params[0]);
            }
        }
        const auto now = c.registry.get(*id, access_of(request));
        return json(status::ok, store::household_json(now ? *now : *result));
    });
}

Response retire_household(Context& c, const Request& request, const Params& params) {
    const auto id = id_param(params[0]);
    if (!id) {
        return bad_id(params[0]);
    }
    const std::string reason = query_param(request.query, "reason").value_or("retired through the API");
    const auto result = c.registry.retire(*id, actor_of(request), reason);
    if (!result) {
        return registry_error(result.error(), params[0]);
    }
    return json(status::ok, store::household_json(*result));
}

/// An online backup: a checkpoint of the store made by the process that writes it, so it holds
/// every acknowledged write, under ServerOptions::backup_dir. Body (optional): {"name": "..."}.
Response backup(Context& c, const Request& request, const Params&) {
    if (c.options.backup_dir.empty()) {
        return error(status::not_found, "no_backups", "this server takes no backups (start it with --backup-dir DIR)");
    }
    std::string name;
    if (!request.body.empty()) {
        auto body = body_of(request);
        if (auto* refused = std::get_if<Response>(&body)) {
            return std::move(*refused);
        }
        name = std::get<JsonBody>(body).string("name").value_or("");
    }
    if (name.empty()) {
        const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
        char stamp[32];
        std::strftime(stamp, sizeof stamp, "backup-%Y%m%dT%H%M%SZ", std::gmtime(&now));
        name = stamp;
    }
    const bool plain = name.size() <= 64 && name.front() != '.' &&
                       std::all_of(name.begin(), name.end(), [](char ch) {
                           return std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_' || ch == '.';
                       });
    if (!plain) {
        return error(status::bad_request, "bad_name", "a backup name is 1-64 letters, digits, '-', '_' or '.'", name);
    }
    const auto target = c.options.backup_dir / name;
    if (std::filesystem::exists(target)) {
        return error(status::conflict, "backup_exists", "a backup of this name exists", name);
    }
    std::filesystem::create_directories(c.options.backup_dir);
    c.registry.checkpoint(target.string());
    return json(status::created, JsonObject{}
                                     .field("backup", target.string())
                                     .field("households", static_cast<long>(c.registry.household_count()))
                                     .str());
}

}  // namespace

void add_api_routes(Context& c) {
    Router& r = c.router;
    using A = Access;
    const auto bind = [&c](Response (*f)(Context&, const Request&, const Params&)) {
        return [&c, f](const Request& request, const Params& params) { return f(c, request, params); };
    };
    r.add("qr", {verb::get}, "/v1/codes/{}/qr.svg", A::anyone, bind(qr));
    r.add("resolve", {verb::get}, "/v1/codes/{}", A::anyone, bind(resolve));
    r.add("reverse", {verb::get}, "/v1/reverse", A::anyone, bind(reverse));
    r.add("where", {verb::get}, "/v1/where", A::anyone, bind(where));
    r.add("search", {verb::get}, "/v1/search", A::anyone,
          [&c](const Request& q, const Params&) { return search(c, q, false); });
    r.add("suggest", {verb::get}, "/v1/suggest", A::anyone,
          [&c](const Request& q, const Params&) { return search(c, q, true); });
    r.add("register", {verb::post}, "/v1/households", A::staff, bind(register_household));
    r.add("household", {verb::get}, "/v1/households/{}", A::staff, bind(get_household));
    r.add("household_change", {verb::patch}, "/v1/households/{}", A::staff, bind(change_household));
    r.add("household_retire", {verb::delete_}, "/v1/households/{}", A::staff, bind(retire_household));
    r.add("history", {verb::get}, "/v1/households/{}/history", A::staff, bind(history));
    r.add("backup", {verb::post}, "/v1/backup", A::admin, bind(backup));
}

}  // namespace diachi::server::detail
