// Registry::search(): free address text -> households, streets, hamlets, communes, provinces.
// The text is read once (reading.hpp): every run of words that names a unit or an indexed area
// becomes a span; each zone those spans point at gets its best chain of spans that contain it;
// the heaviest chains win, and the words a chain leaves unread count against it.

#include <algorithm>
#include <cmath>
#include <set>
#include <unordered_map>

#include <diachi/search/address_parser.hpp>
#include <diachi/search/normalize.hpp>

#include "codec_internal.hpp"
#include "reading.hpp"
#include "search_index.hpp"

namespace diachi::store::detail {
namespace {

using search::Component;
using search::Part;
using search::Token;

constexpr double house_weight = 2.0;
constexpr double alley_weight = 1.0;
constexpr double area_weight = 3.0;
constexpr double unread_weight = 1.5;  // each run of words no place of the reading holds
constexpr double typo_penalty = 0.05;  // each word read as another
constexpr double echo_weight = 0.15;   // a zone named again, by today's name, outside the chain

/// The query as read: tokens (typos corrected), components, and what was corrected.
struct Query {
    std::vector<Token> tokens;
    /// Per token: other known words one edit from the word written, when no name holds it.
    std::vector<std::vector<std::string>> alternatives;
    search::ParsedAddress parsed;
    std::vector<std::string> notes;
    const Component* house = nullptr;
    const Component* alley = nullptr;
};

Query read_query(const SearchContext& context, std::string_view text) {
    Query q;
    q.tokens = search::tokenize(text);
    q.alternatives.resize(q.tokens.size());
    // A word no name holds, one edit from one that some name does (not unit words, numbers).
    for (std::size_t i = 0; i < q.tokens.size(); ++i) {
        const search::UnitMark mark = search::unit_word_at(q.tokens, i, true);
        if (mark.length > 0) {
            i += mark.length - 1;
            continue;
        }
        std::string& word = q.tokens[i].text;
        if (word.size() >= 3 && !search::is_number(word) && !context.vocabulary->contains(word) &&
            context.gazetteer->find_alias(word) == nullptr) {
            auto near = context.vocabulary->neighbours(word, 8);
            std::string fixed = near.empty() ? std::string() : near.front();
            if (near.size() > 1) {
                q.alternatives[i].assign(near.begin() + 1, near.end());
            }
            if (!fixed.empty()) {
                q.notes.push_back("read '" + word + "' as '" + fixed + "'");
                word = std::move(fixed);
            }
        }
    }
    q.parsed = search::parse_tokens(q.tokens);
    // A unit written with its unit word whose name no unit has: each word may be a typo of
    // another real word ("Xã Cao Tang" for "Xã Cao Thăng").
    for (const auto& c : q.parsed.components) {
        const bool administrative = c.part == Part::commune || c.part == Part::district ||
                                    c.part == Part::city || c.part == Part::province;
        if (!administrative || context.gazetteer->find(unit_key(c.name)) != nullptr) {
            continue;
        }
        const std::size_t words = search::word_count(c.name);
        for (std::size_t t = c.end_token - words; t < c.end_token; ++t) {
            const std::string& word = q.tokens[t].text;
            if (q.alternatives[t].empty() && word.size() >= 2 && !search::is_number(word)) {
                q.alternatives[t] = context.vocabulary->neighbours(word, 8);
            }
        }
    }
    for (const auto& c : q.parsed.components) {
        if (c.part == Part::house_number && q.house == nullptr) {
            q.house = &c;
        } else if (c.part == Part::alley && q.alley == nullptr) {
            q.alley = &c;
        }
    }
    return q;
}

std::string join_tokens(const std::vector<Token>& tokens, std::size_t begin, std::size_t end) {
    std::string s;
    for (std::size_t t = begin; t < end && t < tokens.size(); ++t) {
        s.append(s.empty() ? "" : " ").append(tokens[t].text);
    }
    return s;
}

/// An area found for a component of the query.
struct AreaFound {
    AreaHit hit;
    const Component* from = nullptr;
};

/// Streets and hamlets named by the query's components, as spans. A component's name is tried
/// whole, then without its last words (the units written after it without commas: "hang bac
/// hoan kiem"); when no prefix names an area, names one edit away word by word, at a cost.
void area_spans(const SearchContext& context, Query* q, std::vector<AreaFound>* areas,
                std::vector<Span>* spans) {
    for (const auto& c : q->parsed.components) {
        if (c.part != Part::street && c.part != Part::hamlet && c.part != Part::unmarked) {
            continue;
        }
        if (c.part == Part::unmarked && search::is_number(c.name)) {
            continue;
        }
        const auto words = search::split_words(c.name);
        const std::size_t name_begin = c.end_token - words.size();
        const std::vector<char> kinds = c.part == Part::street
                                            ? std::vector<char>{kind_street, kind_hamlet}
                                            : std::vector<char>{kind_hamlet, kind_street};
        std::vector<AreaHit> hits;
        std::size_t end = c.end_token;
        for (std::size_t k = words.size(); k >= 1 && hits.empty(); --k) {
            std::string name;
            for (std::size_t w = 0; w < k; ++w) {
                name.append(w > 0 ? " " : "").append(words[w]);
            }
            for (const char kind : kinds) {
                scan_areas(context, kind, name, false, 4096, &hits);
                if (!c.unit.empty()) {
                    // "12 Tô Hiến Thành": "Tô" read as a unit word; the street is "to hien thanh".
                    scan_areas(context, kind, c.unit + " " + name, false, 4096, &hits);
                }
            }
            end = name_begin + k;
        }
        double penalty = 0.0;
        // A name the gazetteer holds ("Hà Nội" written without a unit word) is no mistyped
        // street: the names one edit away are not tried for it.
        const std::string key = unit_key(c.name);
        const bool unit_name = context.gazetteer->find(key) != nullptr ||
                               context.gazetteer->find_alias(key) != nullptr;
        if (hits.empty() && !unit_name) {
            // One word may be mistyped into another real word ("Tanh" for "Thanh").
            for (std::size_t w = 0; w < words.size(); ++w) {
                if (search::is_number(words[w]) || words[w].size() < 2 ||
                    (words[w].size() < 4 && context.vocabulary->contains(words[w]))) {
                    continue;
                }
                for (const auto& other : context.vocabulary->neighbours(words[w], 6)) {
                    auto variant = words;
                    variant[w] = other;
                    std::string name;
                    for (const auto& v : variant) {
                        name.append(name.empty() ? "" : " ").append(v);
                    }
                    for (const char kind : kinds) {
                        scan_areas(context, kind, name, false, 4096, &hits);
                    }
                }
            }
            end = c.end_token;
            penalty = 0.5;
            if (!hits.empty()) {
                q->notes.push_back("read '" + c.name + "' as a name one letter away");
            }
        }
        for (auto& hit : hits) {
            const bool unit_agrees = !c.unit.empty() && place_unit(hit.value.label) == c.unit;
            const bool kind_agrees = (c.part == Part::hamlet && hit.kind == kind_hamlet) ||
                                     (c.part == Part::street && hit.kind == kind_street) ||
                                     c.part == Part::unmarked || c.unit.empty();
            Span s;
            s.begin = c.first_token;
            s.end = end;
            s.role = hit.kind == kind_hamlet ? Role::hamlet : Role::street;
            // On a street after a house number, as a listed street would be ("12 Hàng Bạc").
            const double street_bonus = c.part == Part::street ? 0.6 : 0.0;
            s.weight = area_weight * (kind_agrees ? 1.0 : 0.9) + (unit_agrees ? 0.25 : 0.0) -
                       penalty + street_bonus;
            s.zone = hit.zone;
            s.area = areas->size();
            spans->push_back(s);
            areas->push_back({std::move(hit), &c});
        }
    }
}

/// Each zone the spans point at, with the spans that contain it. Communes, areas and districts
/// name zones; provinces only when nothing narrower does.
std::unordered_map<std::uint32_t, std::vector<std::size_t>> zones_named(
    const std::vector<Span>& spans) {
    std::unordered_map<std::uint32_t, std::vector<std::size_t>> by_zone;
    // The zones each span names, the span listed under each as it goes.
    const auto name_zones = [&](std::size_t s) {
        const Span& span = spans[s];
        if (span.is_area()) {
            by_zone[span.zone].push_back(s);
        } else {
            for (const std::uint32_t z : span.entry->zones) {
                by_zone[z].push_back(s);
            }
        }
    };
    for (std::size_t s = 0; s < spans.size(); ++s) {
        if (spans[s].role != Role::province && !spans[s].inside_area) {
            name_zones(s);
        }
    }
    if (by_zone.empty()) {
        // Nothing else: a unit written at the end of a hamlet's or street's words ("xóm Thanh
        // Khê 4 Mão Điền"), then a province.
        for (std::size_t s = 0; s < spans.size(); ++s) {
            if (spans[s].inside_area) {
                name_zones(s);
            }
        }
        if (!by_zone.empty()) {
            return by_zone;
        }
        for (std::size_t s = 0; s < spans.size(); ++s) {
            if (spans[s].role == Role::province) {
                name_zones(s);
            }
        }
        return by_zone;
    }
    // The spans that name no zone of their own: listed under the zones named, where they hold.
    for (std::size_t s = 0; s < spans.size(); ++s) {
        if (spans[s].role != Role::province && !spans[s].inside_area) {
            continue;
        }
        for (auto& [z, list] : by_zone) {
            if (spans[s].contains(z)) {
                list.push_back(s);
            }
        }
    }
    return by_zone;
}

/// One zone's reading.
struct ZoneReading {
    std::uint32_t zone = 0;
    Chain chain;        ///< places and areas
    Chain admin;        ///< places only
    double partial = 1.0;
    /// The chains' weights less what they leave unread (1.5 a run of words).
    double chain_read = 0.0;
    double admin_read = 0.0;
};

bool has_role(const std::vector<Span>& spans, const Chain& chain, Role role) {
    return std::any_of(chain.spans.begin(), chain.spans.end(),
                       [&](std::size_t s) { return spans[s].role == role; });
}

const Span* area_of(const std::vector<Span>& spans, const Chain& chain) {
    for (const std::size_t s : chain.spans) {
        if (spans[s].is_area()) {
            return &spans[s];
        }
    }
    return nullptr;
}

/// The spans of @p chain as the result says how the text was read, with the notes old units
/// and abbreviations call for.
void describe(const Query& q, const std::vector<Span>& spans, const std::vector<AreaFound>& areas,
              const Chain& chain, SearchResult* r) {
    for (const std::size_t s : chain.spans) {
        const Span& span = spans[s];
        ReadSpan read;
        read.text = join_tokens(q.tokens, span.begin, span.end);
        read.role = std::string(name(span.role));
        if (span.is_area()) {
            read.place = areas[span.area].hit.value.label;
            r->matched.emplace_back(name(span.role));
        } else {
            read.place = span.entry->label + " (" + std::string(level_name(span.entry->level)) + ")";
            r->matched.emplace_back(level_name(span.entry->level));
            const auto level = span.entry->level;
            if (level == Gazetteer::Level::old_commune || level == Gazetteer::Level::old_district ||
                level == Gazetteer::Level::old_province) {
                r->notes.push_back(std::string(level_name(level)) + " " + span.entry->label);
            }
            if (span.alias) {
                r->notes.push_back("read '" + read.text + "' as " + span.entry->label);
            }
            if (!span.corrected.empty()) {
                r->notes.push_back(span.corrected);
            }
        }
        r->reading.push_back(std::move(read));
    }
}

double partial_factor(const std::vector<Span>& spans, const Chain& chain) {
    for (const std::size_t s : chain.spans) {
        if (!spans[s].is_area() && spans[s].role == Role::commune && spans[s].entry->partial) {
            return 0.95;
        }
    }
    return 1.0;
}

/// @p x on a grid of 1e-9: weights that differ by rounding compare equal, and comparisons stay a
/// strict weak order (a tolerance would not be one, and std::sort needs one).
double on_grid(double x) { return std::round(x * 1e9); }

bool better(const SearchResult& a, const SearchResult& b) {
    if (a.score != b.score) {
        return a.score > b.score;
    }
    if (a.distance_m >= 0.0 && b.distance_m >= 0.0 && a.distance_m != b.distance_m) {
        return a.distance_m < b.distance_m;  // between equal readings, the nearer
    }
    if (a.kind != b.kind) {
        return a.kind < b.kind;  // a household before its hamlet before its commune
    }
    if (a.households != b.households) {
        return a.households > b.households;
    }
    return a.label < b.label;
}

/// The province a reading of provinces alone names, centred on its communes' inner points.
SearchResult province_result(const geography::ZoneIndex& zones, const Gazetteer::Entry& e) {
    SearchResult r;
    r.kind = PlaceKind::province;
    std::int64_t lat = 0;
    std::int64_t lng = 0;
    for (const std::uint32_t z : e.zones) {
        const auto p = zones.interior_point(z);
        lat += p.lat_e7;
        lng += p.lng_e7;
    }
    r.province = zones.zone(e.zones.front()).parent_name;
    r.label = r.province;
    r.location = mean_point(lat, lng, static_cast<std::int64_t>(e.zones.size()));
    return r;
}

/// Households with the query's house number in the best areas.
void find_households(const SearchContext& context, const SearchOptions& options, const Query& q,
                     const std::vector<Span>& spans, const std::vector<AreaFound>& areas,
                     const std::vector<const ZoneReading*>& ranked, double total,
                     std::vector<SearchResult>* results) {
    const auto& zones = *context.zones;
    std::set<std::uint64_t> seen;
    std::size_t tried = 0;
    for (const ZoneReading* zr : ranked) {
        for (const std::size_t s : zr->chain.spans) {
            const Span& span = spans[s];
            if (!span.is_area() || ++tried > 8) {
                continue;
            }
            const AreaHit& area = areas[span.area].hit;
            const bool with_alley = q.alley != nullptr && area.kind == kind_street;
            const std::string house_key =
                with_alley ? q.alley->name + " " + q.house->name : q.house->name;
            const std::string prefix =
                house_prefix(zones.zone(area.zone).id, area.kind, area.name, house_key);
            rocksdb::Iterator* it = context.iterator.get();
            for (it->Seek(prefix); it->Valid(); it->Next()) {
                const std::string_view key = it->key().ToStringView();
                if (!key.starts_with(prefix) || key.size() != prefix.size() + 8) {
                    break;
                }
                const std::uint64_t id = get_be64(key.substr(prefix.size()));
                Household h;
                if (!seen.insert(id).second || !context.read_household(id, options.access, &h)) {
                    continue;
                }
                // The chain's other areas count only where this household's address has them.
                double weight = zr->chain.weight + house_weight + (with_alley ? alley_weight : 0.0);
                const auto keys = area_keys(h.address);
                for (const std::size_t other : zr->chain.spans) {
                    if (other == s || !spans[other].is_area()) {
                        continue;
                    }
                    const AreaHit& o = areas[spans[other].area].hit;
                    const bool has = std::any_of(keys.begin(), keys.end(), [&](const AreaKey& k) {
                        return k.kind == o.kind && k.name == o.name;
                    });
                    weight -= has ? 0.0 : spans[other].weight;
                }
                auto r = household_result(zones, area.zone, std::move(h));
                r.matched.emplace_back("house_number");
                if (with_alley) {
                    r.matched.emplace_back("alley");
                }
                describe(q, spans, areas, zr->chain, &r);
                r.reading.insert(r.reading.begin(),
                                 ReadSpan{q.house->name, "house_number", r.household->address.house_number});
                r.score = (weight - zr->chain.weight + zr->chain_read) * zr->partial / total;
                results->push_back(std::move(r));
            }
            check_scan(*it);
        }
    }
}

}  // namespace

std::vector<SearchResult> search(const SearchContext& context, std::string_view text,
                                 const SearchOptions& options) {
    std::vector<SearchResult> results;
    if (!context.zones || options.limit == 0) {
        return results;
    }
    const auto& zones = *context.zones;
    Query q = read_query(context, text);
    std::vector<Span> spans = administrative_spans(*context.gazetteer, *context.vocabulary,
                                                   q.tokens, q.alternatives, q.parsed);
    std::vector<AreaFound> areas;
    area_spans(context, &q, &areas, &spans);
    if (spans.empty()) {
        return results;
    }
    const auto by_zone = zones_named(spans);

    // Every zone's best chain, weighed against what its reading leaves unread.
    const std::uint64_t content = content_tokens(q.tokens, q.parsed);
    const double asked = (q.house != nullptr ? house_weight : 0.0) +
                         (q.alley != nullptr ? alley_weight : 0.0);
    std::vector<ZoneReading> readings;
    readings.reserve(by_zone.size());
    for (const auto& [z, list] : by_zone) {
        ZoneReading zr;
        zr.zone = z;
        zr.chain = best_chain(spans, list, false);
        // Without areas in the zone, its places alone are the same chain.
        const bool areas_here =
            std::any_of(list.begin(), list.end(), [&](std::size_t s) { return spans[s].is_area(); });
        zr.admin = areas_here ? best_chain(spans, list, true) : zr.chain;
        // Between equal chains, a zone the text also names by today's name, outside the chain
        // ("Tràng Tiền, Hoàn Kiếm": old Tràng Tiền split, and Phường Hoàn Kiếm is one part).
        for (const std::size_t s : list) {
            const bool echoed = !spans[s].is_area() &&
                                spans[s].entry->level == Gazetteer::Level::commune &&
                                std::find(zr.chain.spans.begin(), zr.chain.spans.end(), s) ==
                                    zr.chain.spans.end();
            if (echoed) {
                // More where the words echoed were read as the commune than as the district.
                double echo = echo_weight / 2.0;
                for (const std::size_t c : zr.chain.spans) {
                    if (spans[c].role == Role::commune && spans[c].begin < spans[s].end &&
                        spans[s].begin < spans[c].end) {
                        echo = echo_weight;
                    }
                }
                zr.chain.weight += echo;
                zr.admin.weight += echo;
                break;
            }
        }
        zr.partial = partial_factor(spans, zr.chain);
        const auto unread = [&](const Chain& c) {
            return unread_weight * static_cast<double>(unread_runs(content, q.tokens, spans, c));
        };
        zr.chain_read = zr.chain.weight - unread(zr.chain);
        zr.admin_read = zr.admin.weight - unread(zr.admin);
        readings.push_back(std::move(zr));
    }
    std::sort(readings.begin(), readings.end(), [&](const ZoneReading& a, const ZoneReading& b) {
        if (on_grid(a.chain_read) != on_grid(b.chain_read)) {
            return on_grid(a.chain_read) > on_grid(b.chain_read);
        }
        return a.chain.weight != b.chain.weight ? a.chain.weight > b.chain.weight
                                                : zones.zone(a.zone).id < zones.zone(b.zone).id;
    });
    if (readings.empty()) {
        return results;
    }
    const ZoneReading& top = readings.front();
    // What a reading of every word weighs: the heaviest chain and the house number and alley.
    double total = asked;
    for (const auto& zr : readings) {
        total = std::max(total, zr.chain.weight + asked);
    }
    const double penalty = typo_penalty * static_cast<double>(q.notes.size());

    std::vector<const ZoneReading*> ranked;
    for (const auto& zr : readings) {
        ranked.push_back(&zr);
    }
    if (q.house != nullptr) {
        find_households(context, options, q, spans, areas, ranked, total, &results);
    }
    // The areas themselves, and the communes the places name.
    std::size_t area_results = 0;
    std::size_t commune_results = 0;
    // Results of each kind made and described: twice what is asked, in the order of the
    // readings' worth; more when a focus point or a box reorders or drops them.
    const std::size_t per_kind = options.near || options.bbox ? 64 : 2 * options.limit;
    const bool provinces_only =
        !has_role(spans, top.chain, Role::commune) && !has_role(spans, top.chain, Role::district) &&
        !has_role(spans, top.chain, Role::street) && !has_role(spans, top.chain, Role::hamlet) &&
        !has_role(spans, top.chain, Role::place);
    for (const auto& zr : readings) {
        if (const Span* area = area_of(spans, zr.chain); area != nullptr && area_results < per_kind) {
            for (const std::size_t s : zr.chain.spans) {
                if (!spans[s].is_area()) {
                    continue;
                }
                SearchResult r = area_result(zones, areas[spans[s].area].hit);
                describe(q, spans, areas, zr.chain, &r);
                r.score = zr.chain_read * zr.partial / total;
                results.push_back(std::move(r));
                ++area_results;
            }
        }
        if (area_of(spans, zr.chain) == nullptr && area_results < per_kind) {
            // A listed street (no household registered on it yet): the street in this commune;
            // a named place at its point.
            for (const std::size_t s : zr.chain.spans) {
                if (spans[s].role != Role::street && spans[s].role != Role::place) {
                    continue;
                }
                SearchResult r = zone_result(zones, zr.zone);
                r.kind = spans[s].role == Role::place ? PlaceKind::place : PlaceKind::street;
                r.label = spans[s].entry->label + ", " + r.label;
                if (spans[s].role == Role::place) {
                    r.location = spans[s].entry->location;
                    r.notes.push_back(spans[s].entry->kind);
                }
                describe(q, spans, areas, zr.chain, &r);
                r.score = zr.chain_read * zr.partial / total;
                results.push_back(std::move(r));
                ++area_results;
            }
        }
        const bool names_commune = has_role(spans, zr.admin, Role::commune) ||
                                   has_role(spans, zr.admin, Role::district);
        if (names_commune && commune_results < per_kind) {
            SearchResult r = zone_result(zones, zr.zone);
            describe(q, spans, areas, zr.admin, &r);
            r.score = zr.admin_read * zr.partial / total;
            if (zr.partial < 1.0) {
                r.notes.emplace_back("an old commune split between several; this is one of them");
            }
            results.push_back(std::move(r));
            ++commune_results;
        }
    }
    if (provinces_only) {
        for (const std::size_t s : top.chain.spans) {
            if (!spans[s].is_area() && spans[s].role == Role::province) {
                SearchResult r = province_result(zones, *spans[s].entry);
                describe(q, spans, areas, top.chain, &r);
                r.score = top.chain_read / total;
                results.push_back(std::move(r));
                break;
            }
        }
    }
    for (auto& r : results) {
        // On a grid of 1e-9, so that equal readings compare equal and the order is a total one.
        r.score = std::round(std::clamp(r.score - penalty, 0.0, 1.0) * 1e9) / 1e9;
        r.notes.insert(r.notes.end(), q.notes.begin(), q.notes.end());
        if (options.near) {
            r.distance_m = distance_m(*options.near, r.location);
        }
    }
    if (options.bbox) {
        std::erase_if(results, [&](const SearchResult& r) { return !options.bbox->contains(r.location); });
    }
    std::stable_sort(results.begin(), results.end(), better);
    if (results.size() > options.limit) {
        results.resize(options.limit);
    }
    return results;
}

}  // namespace diachi::store::detail

namespace diachi::store {

Result<LatLngE7> parse_near(std::string_view text) noexcept {
    try {
        const std::size_t comma = text.find(',');
        if (comma == std::string_view::npos) {
            return Error{ErrorCode::malformed_number, 0, 0, "near: expected LAT,LNG in degrees"};
        }
        const auto p = LatLngE7::from_decimal(text.substr(0, comma), text.substr(comma + 1));
        if (!p) {
            return Error{ErrorCode::malformed_number, 0, 0, "near: expected LAT,LNG in degrees"};
        }
        if (p->lat_deg() < 6.0 || p->lat_deg() > 24.0 || p->lng_deg() < 101.0 ||
            p->lng_deg() > 118.0) {
            return Error{ErrorCode::out_of_range, 0, 0,
                         "near: outside Vietnam (latitude 6..24, longitude 101..118)"};
        }
        return *p;
    } catch (const std::exception&) {
        return Error{ErrorCode::malformed_number, 0, 0, "near: expected LAT,LNG in degrees"};
    }
}

Result<SearchBox> parse_bbox(std::string_view text) noexcept {
    try {
        // Latitudes and longitudes read alike; from_decimal's latitude range (-90..90) would
        // refuse longitudes, so each number is read as its own pair with 0.
        std::vector<double> v;
        for (std::size_t p = 0; p <= text.size();) {
            const std::size_t e = std::min(text.find(',', p), text.size());
            const auto value = LatLngE7::from_decimal("0", text.substr(p, e - p));
            if (!value) {
                return Error{ErrorCode::malformed_number, 0, 0,
                             "bbox: expected SOUTH,WEST,NORTH,EAST in degrees"};
            }
            v.push_back(value->lng_deg());
            p = e + 1;
        }
        if (v.size() != 4) {
            return Error{ErrorCode::malformed_number, 0, 0,
                         "bbox: expected SOUTH,WEST,NORTH,EAST in degrees"};
        }
        if (v[0] > v[2] || v[1] > v[3] || v[0] < -90.0 || v[2] > 90.0) {
            return Error{ErrorCode::out_of_range, 0, 0,
                         "bbox: expected south <= north (within -90..90) and west <= east"};
        }
        return SearchBox{v[0], v[1], v[2], v[3]};
    } catch (const std::exception&) {
        return Error{ErrorCode::malformed_number, 0, 0,
                     "bbox: expected SOUTH,WEST,NORTH,EAST in degrees"};
    }
}

}  // namespace diachi::store
