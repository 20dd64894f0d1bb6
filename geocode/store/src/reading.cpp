#include "reading.hpp"

#include <algorithm>
#include <array>

#include "vocabulary.hpp"

namespace diachi::store::detail {
namespace {

using search::Part;
using search::Token;

using L = Gazetteer::Level;

/// Longest run of tokens tried as one name.
constexpr std::size_t max_name_tokens = 6;
/// What reading a name against the unit word before it costs.
constexpr double ignored_unit_penalty = 0.5;
/// What a listed street gains where the text says a street is (after a house number).
constexpr double street_after_house_bonus = 0.6;
/// What reading a word as another one edit away costs.
constexpr double typo_span_penalty = 0.3;

Role role_of(L level) {
    switch (level) {
        case L::commune:
        case L::old_commune: return Role::commune;
        case L::old_district: return Role::district;
        case L::province:
        case L::old_province: return Role::province;
        case L::street: return Role::street;
        case L::place: return Role::place;
    }
    return Role::province;
}

double level_weight(const Gazetteer::Entry& e) {
    const L level = e.level;
    switch (level) {
        case L::commune: return 3.0;
        case L::old_commune: return 2.9;  // today's name first when both read the same
        case L::old_district: return 1.0;
        case L::province: return 1.0;
        case L::old_province: return 0.95;
        // A registered street (3) places a door; a street's shape its communes; a listed
        // street only its district.
        case L::street: return e.partial ? 2.5 : 2.8;
        case L::place: return 2.8;  // a named place is a point, as a door
    }
    return 1.0;
}

/// The unit word ending just before token @p i (and where it starts), if any.
/// @p marks holds unit_word_at() of every token.
search::UnitMark marker_before(const std::vector<search::UnitMark>& marks, std::size_t i,
                               std::size_t* start) {
    for (std::size_t n = 3; n >= 1; --n) {
        if (i < n) {
            continue;
        }
        const auto& mark = marks[i - n];
        if (mark.length == n) {
            *start = i - n;
            return mark;
        }
    }
    return {};
}

/// The component holding token @p i, or nullptr.
const search::Component* component_at(const search::ParsedAddress& parsed, std::size_t i) {
    for (const auto& c : parsed.components) {
        if (i >= c.first_token && i < c.end_token) {
            return &c;
        }
    }
    return nullptr;
}

bool all_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/// Whether component @p c is where a street's name can stand: a street, a named alley,
/// unmarked words after a house number or an alley number, or the first of several.
bool street_may_stand(const search::ParsedAddress& parsed, const search::Component& c) {
    if (c.part == Part::street || (c.part == Part::alley && !search::is_number(c.name))) {
        return true;  // "Phố Hàng Gai", "12 Hàng Gai", "Ngõ Huyện"
    }
    if (c.part != Part::unmarked) {
        return false;
    }
    if (&c == &parsed.components.front()) {
        // The first words, before the places they are in ("Hàng Gai, Hoàn Kiếm"); alone, they
        // name a commune before a street of that name.
        return parsed.components.size() > 1;
    }
    const auto& before = *(&c - 1);
    return before.part == Part::house_number || before.part == Part::alley;
}

/// Looks up the runs of tokens starting at one token.
struct SpanFinder {
    const Gazetteer& gazetteer;
    const Vocabulary& vocabulary;
    const std::vector<Token>& tokens;
    const std::vector<std::vector<std::string>>& alternatives;
    const search::ParsedAddress& parsed;

    /// Spans of the names starting at token @p i, read with unit word @p mark (starting at
    /// @p mark_start) when it has a length; @p bonus is added to each.
    void spans_at(std::size_t i, search::UnitMark mark, std::size_t mark_start, double bonus,
                  std::vector<Span>* out) const {
        const std::size_t n = std::min<std::size_t>(tokens.size(), 64);
        const bool marked = mark.length > 0;
        // Inside a street or hamlet written with its unit word, a unit's name counts half.
        const search::Component* holder = component_at(parsed, i);
        const bool inside_area =
            holder != nullptr && !holder->unit.empty() &&
            (holder->part == Part::street || holder->part == Part::hamlet) &&
            i > holder->end_token - search::word_count(holder->name);
        const bool street_place = holder != nullptr && street_may_stand(parsed, *holder);
        std::vector<std::string> words;
        for (std::size_t k = i; k < n && k < i + max_name_tokens; ++k) {
            if (k > i && tokens[k].comma_before) {
                break;  // a name does not run across a comma
            }
            words.push_back(tokens[k].text);
            const auto add = [&](const Gazetteer::Entry& e, bool alias, double extra,
                                 const std::string& corrected) {
                if (marked && !level_allowed(mark.part, e.level)) {
                    return;
                }
                // A listed street where the text can have one: a street's words, or the first
                // words of the text or after a house number; never against a unit word.
                if (e.level == L::street && (bonus < 0.0 || !street_place)) {
                    return;
                }
                if (e.level == L::place && bonus < 0.0) {
                    return;  // a place's name is never read against a unit word
                }
                double w = level_weight(e) * (alias ? 0.95 : 1.0) + bonus + extra;
                if (marked) {
                    w += 0.1;
                    // Both communes, but "Phường" written for a "Xã": a weaker reading.
                    if (mark.part == Part::commune && e.unit != mark.full) {
                        w -= 0.3;
                    }
                }
                // A listed street right after a house number ("12 Hàng Bạc") is what the
                // number is on, before a ward of the same name.
                if (e.level == L::street && holder != nullptr && holder->part == Part::street &&
                    i == holder->end_token - search::word_count(holder->name)) {
                    w += street_after_house_bonus;
                }
                if (inside_area) {
                    // Only as the end of the street's or hamlet's words ("thôn Liên Trì 2 Yên
                    // Hòa": the commune written after the hamlet without a comma).
                    if (k + 1 != holder->end_token) {
                        return;
                    }
                    w *= 0.5;
                }
                Span span;
                span.begin = marked ? mark_start : i;
                span.end = k + 1;
                span.role = role_of(e.level);
                span.weight = w;
                span.entry = &e;
                span.alias = alias;
                span.corrected = corrected;
                span.inside_area = inside_area;
                out->push_back(std::move(span));
            };
            lookup(words, marked ? mark.part : Part::unmarked, 0.0, {}, add);
            // A word no name holds, read as one of the known words one edit from it.
            for (std::size_t p = 0; p < words.size(); ++p) {
                const std::string original = words[p];
                for (const auto& alternative : alternatives[i + p]) {
                    words[p] = alternative;
                    lookup(words, marked ? mark.part : Part::unmarked, -typo_span_penalty,
                           "read '" + original + "' as '" + alternative + "'", add);
                }
                words[p] = original;
            }
        }
    }

    /// Entries named by @p words (or aliases of them), passed to @p add.
    template <typename Add>
    void lookup(const std::vector<std::string>& words, Part marked, double extra,
                const std::string& corrected, Add&& add) const {
        std::string key;
        std::string glued;
        for (const auto& w : words) {
            key.append(key.empty() ? "" : " ").append(w);
            glued.append(w);
        }
        const bool number = all_digits(key);
        if (number && marked != Part::commune && marked != Part::district) {
            return;  // a bare number names a unit only after its unit word ("Phường 4")
        }
        const std::string name = number ? without_leading_zeros(key) : key;
        if (const auto* entries = gazetteer.find(name)) {
            for (const auto& e : *entries) {
                add(e, false, extra, corrected);
            }
        }
        // Abbreviations: a single word only when it is no word of any name ("HN", "HBT", but
        // not "an").
        if (number || (words.size() == 1 && vocabulary.contains(words.front()))) {
            return;
        }
        const auto* aliases = gazetteer.find_alias(name);
        if (aliases == nullptr && words.size() > 1) {
            aliases = gazetteer.find_alias(glued);  // "BR VT", "ho chiminh"
        }
        if (aliases != nullptr) {
            for (const Gazetteer::Entry* e : *aliases) {
                add(*e, true, extra, corrected);
            }
        }
    }
};

}  // namespace

std::string_view name(Role role) noexcept {
    switch (role) {
        case Role::commune: return "commune";
        case Role::district: return "district";
        case Role::province: return "province";
        case Role::street: return "street";
        case Role::hamlet: return "hamlet";
        case Role::place: return "place";
    }
    return "unknown";
}

std::vector<Span> administrative_spans(const Gazetteer& gazetteer, const Vocabulary& vocabulary,
                                       const std::vector<Token>& tokens,
                                       const std::vector<std::vector<std::string>>& alternatives,
                                       const search::ParsedAddress& parsed) {
    std::vector<Span> out;
    const std::size_t n = std::min<std::size_t>(tokens.size(), 64);
    std::vector<search::UnitMark> marks(n);
    for (std::size_t i = 0; i < n; ++i) {
        marks[i] = search::unit_word_at(tokens, i, true);
    }
    for (std::size_t i = 0; i < n; ++i) {
        std::size_t mark_start = i;
        const search::UnitMark mark = marker_before(marks, i, &mark_start);
        if (mark.length > 0 && (mark.part == Part::hamlet || mark.part == Part::house_number ||
                                mark.part == Part::alley)) {
            continue;  // "Thôn An Bình": the unit word says what the name is
        }
        if (mark.part == Part::street) {
            // "Phố Huế" is a street, never the province: listed streets only.
            const SpanFinder finder{gazetteer, vocabulary, tokens, alternatives, parsed};
            finder.spans_at(i, mark, mark_start, 0.0, &out);
            continue;
        }
        const SpanFinder finder{gazetteer, vocabulary, tokens, alternatives, parsed};
        finder.spans_at(i, mark, mark_start, 0.0, &out);
        if (mark.length > 0) {
            // Also as any unit with the unit word left aside, for less ("sập xa phù yên": "xa"
            // ends the commune's name, "Phù Yên" is the district).
            finder.spans_at(i, {}, i, -ignored_unit_penalty, &out);
        }
    }
    return out;
}

Chain best_chain(const std::vector<Span>& spans, const std::vector<std::size_t>& candidates,
                 bool admin_only) {
    std::vector<std::size_t> order;
    order.reserve(candidates.size());
    for (const std::size_t s : candidates) {
        if (!admin_only || !spans[s].is_area()) {
            order.push_back(s);
        }
    }
    if (order.size() == 1) {  // most zones of a widespread name: that span alone
        return Chain{spans[order.front()].weight, {order.front()}};
    }
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return spans[a].begin != spans[b].begin ? spans[a].begin < spans[b].begin
                                                : spans[a].end < spans[b].end;
    });
    if (order.size() > 48) {
        order.resize(48);  // a query this long reads its first places; the rest stay unread
    }
    const std::size_t k = order.size();
    // One bit per role, and two for the old units taken: an old commune read with its old
    // district is one address of the old system, worth a little more than the two apart.
    constexpr std::size_t old_commune_bit = 1U << 6;
    constexpr std::size_t old_district_bit = 1U << 7;
    constexpr double old_pair_bonus = 0.2;
    const auto bits_of = [&](const Span& s) -> std::size_t {
        const std::size_t role = std::size_t{1} << static_cast<unsigned>(s.role);
        if (s.entry == nullptr) {
            return role;
        }
        return role | (s.entry->level == L::old_commune    ? old_commune_bit
                       : s.entry->level == L::old_district ? old_district_bit
                                                           : 0);
    };
    // The masks range over the bits these spans use only (most zones have one to three).
    std::array<std::size_t, 8> compact{};
    std::size_t width = 0;
    for (const std::size_t o : order) {
        const std::size_t bits = bits_of(spans[o]);
        for (std::size_t b = 0; b < compact.size(); ++b) {
            if ((bits >> b & 1U) != 0 && compact[b] == 0) {
                compact[b] = std::size_t{1} << width++;
            }
        }
    }
    const auto packed = [&](std::size_t bits) {
        std::size_t out = 0;
        for (std::size_t b = 0; b < compact.size(); ++b) {
            out |= (bits >> b & 1U) != 0 ? compact[b] : 0;
        }
        return out;
    };
    const std::size_t district_old = compact[7];
    const std::size_t commune_old = compact[6];
    const std::size_t masks = std::size_t{1} << width;
    // best[i * masks + mask]: the heaviest chain of order[i..] using no role in mask.
    std::vector<double> best((k + 1) * masks, 0.0);
    std::vector<char> take(k * masks, 0);
    std::vector<std::size_t> next(k, k);
    for (std::size_t i = 0; i < k; ++i) {
        for (std::size_t j = i + 1; j < k; ++j) {
            if (spans[order[j]].begin >= spans[order[i]].end) {
                next[i] = j;
                break;
            }
        }
    }
    std::vector<std::size_t> bits(k);
    for (std::size_t i = 0; i < k; ++i) {
        bits[i] = packed(bits_of(spans[order[i]]));
    }
    for (std::size_t i = k; i-- > 0;) {
        const Span& s = spans[order[i]];
        const std::size_t role = packed(std::size_t{1} << static_cast<unsigned>(s.role));
        for (std::size_t mask = 0; mask < masks; ++mask) {
            const double skip = best[(i + 1) * masks + mask];
            double with = -1.0;
            if ((mask & role) == 0) {
                const bool pair = (commune_old != 0 && district_old != 0) &&
                                  (((bits[i] & commune_old) != 0 && (mask & district_old) != 0) ||
                                   ((bits[i] & district_old) != 0 && (mask & commune_old) != 0));
                with = s.weight + (pair ? old_pair_bonus : 0.0) +
                       best[next[i] * masks + (mask | bits[i])];
            }
            take[i * masks + mask] = with > skip ? 1 : 0;
            best[i * masks + mask] = std::max(skip, with);
        }
    }
    Chain chain;
    chain.weight = best[0];
    std::size_t mask = 0;
    for (std::size_t i = 0; i < k;) {
        if (take[i * masks + mask] != 0) {
            chain.spans.push_back(order[i]);
            mask |= bits[i];
            i = next[i];
        } else {
            ++i;
        }
    }
    return chain;
}

std::uint64_t content_tokens(const std::vector<Token>& tokens,
                             const search::ParsedAddress& parsed) {
    std::uint64_t content = 0;
    for (const auto& c : parsed.components) {
        if (c.part == Part::house_number || c.part == Part::alley) {
            continue;
        }
        const std::size_t words = search::word_count(c.name);
        for (std::size_t t = c.end_token >= words ? c.end_token - words : 0;
             t < c.end_token && t < tokens.size() && t < 64; ++t) {
            content |= std::uint64_t{1} << t;
        }
    }
    return content;
}

std::size_t unread_runs(std::uint64_t content, const std::vector<Token>& tokens,
                        const std::vector<Span>& spans, const Chain& chain) {
    for (const std::size_t s : chain.spans) {
        for (std::size_t t = spans[s].begin; t < spans[s].end && t < 64; ++t) {
            content &= ~(std::uint64_t{1} << t);
        }
    }
    std::size_t runs = 0;
    for (std::size_t t = 0; t < tokens.size() && t < 64; ++t) {
        const bool unread = (content >> t & 1U) != 0;
        const bool after_unread = t > 0 && (content >> (t - 1) & 1U) != 0;
        if (unread && (!after_unread || tokens[t].comma_before)) {
            ++runs;
        }
    }
    return runs;
}

}  // namespace diachi::store::detail
