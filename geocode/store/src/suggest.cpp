// Registry::suggest(): completions of address text as it is typed.

#include <algorithm>
#include <unordered_set>

#include <diachi/search/address_parser.hpp>
#include <diachi/search/normalize.hpp>

#include "search_index.hpp"

namespace diachi::store::detail {

using search::Component;
using search::Part;

std::vector<SearchResult> suggest(const SearchContext& context, std::string_view prefix,
                                  std::size_t limit) {
    std::vector<SearchResult> results;
    if (!context.zones || limit == 0) {
        return results;
    }
    const auto& zones = *context.zones;
    const auto tokens = search::tokenize(prefix);
    if (tokens.empty()) {
        return results;
    }
    // The last segment is being typed; the ones before narrow it.
    std::size_t last = tokens.size() - 1;
    while (last > 0 && !tokens[last].comma_before) {
        --last;
    }
    const std::vector<search::Token> before(tokens.begin(),
                                            tokens.begin() + static_cast<std::ptrdiff_t>(last));
    const std::vector<search::Token> typing(tokens.begin() + static_cast<std::ptrdiff_t>(last),
                                            tokens.end());
    const auto current = search::parse_tokens(typing);
    if (current.components.empty()) {
        return results;
    }
    const Component& typed = current.components.back();
    std::unordered_set<std::uint32_t> allowed;
    for (const auto& c : search::parse_tokens(before).components) {
        if (const auto* entries = context.gazetteer->find(c.name)) {
            std::unordered_set<std::uint32_t> these;
            for (const auto& e : *entries) {
                if (level_allowed(c.part, e.level)) {
                    these.insert(e.zones.begin(), e.zones.end());
                }
            }
            if (allowed.empty()) {
                allowed = std::move(these);
            } else {
                std::erase_if(allowed, [&](std::uint32_t z) { return !these.contains(z); });
            }
        }
    }
    const auto ok = [&](std::uint32_t z) { return allowed.empty() || allowed.contains(z); };

    // Areas by how many households they hold, then communes and provinces by name.
    if (typed.part != Part::commune && typed.part != Part::district &&
        typed.part != Part::province && typed.part != Part::city) {
        std::vector<AreaHit> hits;
        for (const char kind : {kind_hamlet, kind_street}) {
            if ((typed.part == Part::hamlet && kind == kind_street) ||
                (typed.part == Part::street && kind == kind_hamlet)) {
                continue;
            }
            scan_areas(context, kind, typed.name, true, 256, &hits);
        }
        std::erase_if(hits, [&](const AreaHit& h) { return !ok(h.zone); });
        std::sort(hits.begin(), hits.end(), [](const AreaHit& a, const AreaHit& b) {
            return a.value.count != b.value.count ? a.value.count > b.value.count
                                                  : a.name < b.name;
        });
        for (const auto& hit : hits) {
            if (results.size() >= limit) {
                break;
            }
            SearchResult r = area_result(zones, hit);
            r.score = 1.0;
            r.matched.emplace_back(hit.kind == kind_hamlet ? "hamlet" : "street");
            results.push_back(std::move(r));
        }
    }
    std::unordered_set<std::uint32_t> listed;
    for (const auto name : context.gazetteer->with_prefix(typed.name, 64)) {
        for (const auto& e : *context.gazetteer->find(name)) {
            if (results.size() >= limit) {
                return results;
            }
            if (!level_allowed(typed.part, e.level) || e.level == Gazetteer::Level::old_district || e.level == Gazetteer::Level::street ||
                e.level == Gazetteer::Level::old_province) {
                continue;
            }
            if (e.level == Gazetteer::Level::province) {
                SearchResult r;
                r.kind = PlaceKind::province;
                r.province = e.label;
                r.label = e.label;
                r.location = zones.interior_point(e.zones.front());
                r.score = 1.0;
                r.matched.emplace_back("province");
                results.push_back(std::move(r));
                continue;
            }
            for (const std::uint32_t z : e.zones) {
                if (ok(z) && listed.insert(z).second && results.size() < limit) {
                    auto r = zone_result(zones, z);
                    r.score = 1.0;
                    r.matched.emplace_back(level_name(e.level));
                    if (e.level == Gazetteer::Level::old_commune) {
                        r.notes.push_back("old_commune " + e.label);
                    }
                    results.push_back(std::move(r));
                }
            }
        }
    }
    return results;
}

}  // namespace diachi::store::detail
