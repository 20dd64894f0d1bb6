#include <cmath>
#include <diachi/store/json.hpp>

#include <diachi/json.hpp>

namespace diachi::store {

std::string household_json(const Household& h) {
    JsonObject address;
    address.field("house_number", h.address.house_number)
        .field("street", h.address.street)
        .field("hamlet", h.address.hamlet)
        .field("commune", h.commune)
        .field("province", h.province);
    JsonObject out;
    out.field("id", static_cast<long>(h.id))
        .field("code", h.code.canonical().view())
        .field("display", h.code.display().view())
        .field("display_checked", h.code.display_checked().view())
        .field("postcode", diachi::postcode_text(h.code.postcode()).str())
        .raw("lat", e7_text(h.location.lat_e7))
        .raw("lng", e7_text(h.location.lng_e7))
        .field("zone_id", h.zone_id)
        .raw("address", address.str())
        .field("status", name(h.status))
        .field("version", static_cast<long>(h.version))
        .field("source", h.source)
        .field("external_id", h.external_id)
        .field("created_ms", static_cast<long>(h.created_ms))
        .field("updated_ms", static_cast<long>(h.updated_ms));
    if (h.personal) {
        out.raw("personal", JsonObject{}
                                .field("head_of_household", h.personal->head_of_household)
                                .field("phone", h.personal->phone)
                                .str());
    }
    return out.str();
}

std::string resolution_json(std::string_view input, const Resolution& r) {
    JsonArray households;
    for (const auto& h : r.households) {
        households.raw(household_json(h));
    }
    JsonArray notes;
    for (const auto& note : r.notes) {
        notes.string(note);
    }
    JsonArray suggestions;
    for (const auto& s : r.suggestions) {
        suggestions.raw(JsonObject{}
                            .field("code", s.code.canonical().view())
                            .field("display", s.code.display().view())
                            .field("household_id", static_cast<long>(s.household_id))
                            .field("edit", s.edit)
                            .str());
    }
    return JsonObject{}
        .field("input", input)
        .field("match", name(r.match))
        .field("code", r.code.canonical().view())
        .raw("households", households.str())
        .raw("notes", notes.str())
        .raw("suggestions", suggestions.str())
        .str();
}

std::string zone_json(const geography::Zone& zone) {
    return JsonObject{}
        .field("zone_id", zone.id)
        .field("commune", zone.name)
        .field("province", zone.parent_name)
        .field("postcode", zone.postcode == 0 ? std::string()
                                              : diachi::postcode_text(zone.postcode).str())
        .str();
}

std::string nearby_json(const Nearby& n) {
    return JsonObject{}
        .field("distance_m", n.distance_m)
        .raw("household", household_json(n.household))
        .str();
}

std::string search_result_json(const SearchResult& r) {
    JsonArray matched;
    for (const auto& m : r.matched) {
        matched.string(m);
    }
    JsonArray notes;
    for (const auto& n : r.notes) {
        notes.string(n);
    }
    JsonArray reading;
    for (const auto& span : r.reading) {
        reading.raw(JsonObject{}
                        .field("text", span.text)
                        .field("role", span.role)
                        .field("place", span.place)
                        .str());
    }
    JsonObject out;
    out.field("kind", name(r.kind))
        .field("score", r.score)
        .field("label", r.label)
        .raw("lat", e7_text(r.location.lat_e7))
        .raw("lng", e7_text(r.location.lng_e7))
        .field("zone_id", r.zone_id)
        .field("commune", r.commune)
        .field("province", r.province)
        .field("postcode", r.postcode == 0 ? std::string() : diachi::postcode_text(r.postcode).str());
    if (r.households > 0) {
        out.field("households", static_cast<long>(r.households));
    }
    if (r.household) {
        out.raw("household", household_json(*r.household));
    }
    if (r.distance_m >= 0.0) {
        out.field("distance_m", std::round(r.distance_m * 10.0) / 10.0);
    }
    return out.raw("matched", matched.str())
        .raw("notes", notes.str())
        .raw("reading", reading.str())
        .str();
}

std::string search_results_json(std::string_view input, const std::vector<SearchResult>& results) {
    JsonArray list;
    for (const auto& r : results) {
        list.raw(search_result_json(r));
    }
    return JsonObject{}.field("input", input).raw("results", list.str()).str();
}

std::string history_json(std::uint64_t id, const std::vector<HistoryEvent>& events) {
    JsonArray list;
    for (const auto& e : events) {
        list.raw(JsonObject{}
                     .field("sequence", static_cast<long>(e.sequence))
                     .field("time_ms", static_cast<long>(e.time_ms))
                     .field("actor", e.actor)
                     .field("action", name(e.action))
                     .field("detail", e.detail)
                     .str());
    }
    return JsonObject{}.field("id", static_cast<long>(id)).raw("history", list.str()).str();
}

std::string error_json(const Error& error, std::string_view input) {
    return JsonObject{}
        .field("error", name(error.code))
        .field("message", error.message())
        .field("input", input)
        .str();
}

}  // namespace diachi::store
