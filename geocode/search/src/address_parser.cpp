#include <diachi/search/address_parser.hpp>

#include <array>
#include <cstddef>

namespace diachi::search {
namespace {

/// A unit word: its folded spelling (one to three tokens), the part it marks, its full form,
/// and whether it needs a trailing dot to count (one-letter abbreviations that are also words).
struct UnitWord {
    std::string_view spelling;
    Part part;
    std::string_view full;
    bool needs_dot;
};

// Longest spellings first: "thanh pho" before "pho", "to dan pho" before "to".
constexpr std::array<UnitWord, 44> unit_words = {{
    {"to dan pho", Part::hamlet, "to dan pho", false},
    {"so nha", Part::house_number, "so nha", false},
    {"nha so", Part::house_number, "so nha", false},
    {"thanh pho", Part::city, "thanh pho", false},
    {"thi xa", Part::district, "thi xa", false},
    {"thi tran", Part::commune, "thi tran", false},
    {"dac khu", Part::commune, "dac khu", false},
    {"khu pho", Part::hamlet, "khu pho", false},
    {"khu dan cu", Part::hamlet, "khu dan cu", false},
    {"phuong", Part::commune, "phuong", false},
    {"xa", Part::commune, "xa", false},
    {"quan", Part::district, "quan", false},
    {"huyen", Part::district, "huyen", false},
    {"tinh", Part::province, "tinh", false},
    {"duong", Part::street, "duong", false},
    {"pho", Part::street, "pho", false},
    {"ngo", Part::alley, "ngo", false},
    {"ngach", Part::alley, "ngach", false},
    {"hem", Part::alley, "hem", false},
    {"kiet", Part::alley, "kiet", false},
    {"thon", Part::hamlet, "thon", false},
    {"xom", Part::hamlet, "xom", false},
    {"ap", Part::hamlet, "ap", false},
    {"ban", Part::hamlet, "ban", false},
    {"buon", Part::hamlet, "buon", false},
    {"khom", Part::hamlet, "khom", false},
    {"to", Part::hamlet, "to", false},
    {"so", Part::house_number, "so nha", false},
    {"sn", Part::house_number, "so nha", false},
    {"tdp", Part::hamlet, "to dan pho", false},
    {"kp", Part::hamlet, "khu pho", false},
    {"tp", Part::city, "thanh pho", false},
    {"tx", Part::district, "thi xa", false},
    {"tt", Part::commune, "thi tran", false},
    {"dk", Part::commune, "dac khu", false},
    {"p", Part::commune, "phuong", false},
    {"q", Part::district, "quan", false},
    {"x", Part::commune, "xa", true},
    {"h", Part::district, "huyen", true},
    {"t", Part::province, "tinh", true},
    {"d", Part::street, "duong", true},
    {"f", Part::commune, "phuong", false},  // "F.5": phường in Hồ Chí Minh City usage
    {"kv", Part::hamlet, "khu vuc", false},
    {"khu", Part::hamlet, "khu", false},
}};

/// Words after "TT" that make it "trung tâm" (a centre), not "thị trấn".
constexpr std::array<std::string_view, 8> centre_words = {
    "thuong", "y", "van", "hanh", "giao", "hoi", "the", "dich"};

/// How many tokens from @p i spell @p word (0 when they do not).
std::size_t spells(const std::vector<Token>& tokens, std::size_t i, std::string_view word) {
    std::size_t n = 0;
    std::size_t pos = 0;
    while (pos <= word.size()) {
        const std::size_t end = std::min(word.find(' ', pos), word.size());
        if (i + n >= tokens.size() || tokens[i + n].text != word.substr(pos, end - pos)) {
            return 0;
        }
        // A unit word does not run across a comma.
        if (n > 0 && tokens[i + n].comma_before) {
            return 0;
        }
        ++n;
        pos = end + 1;
    }
    return n;
}

/// The unit word at token @p i, if any: its entry and length in tokens.
const UnitWord* unit_at(const std::vector<Token>& tokens, std::size_t i, std::size_t* length,
                        bool alone_in_segment = false) {
    for (const auto& unit : unit_words) {
        const std::size_t n = spells(tokens, i, unit.spelling);
        if (n == 0) {
            continue;
        }
        // A unit word needs a name after it, in the same segment (or stands alone in its own).
        const bool name_follows = i + n < tokens.size() && !tokens[i + n].comma_before;
        const bool alone = alone_in_segment && (i == 0 || tokens[i].comma_before) &&
                           i + n < tokens.size() && tokens[i + n].comma_before;
        if (!name_follows && !alone) {
            continue;
        }
        if (unit.needs_dot && !tokens[i + n - 1].dot_after) {
            continue;
        }
        if (unit.spelling == "tt" && name_follows) {
            bool centre = false;
            for (const auto w : centre_words) {
                centre = centre || tokens[i + 1].text == w;
            }
            if (centre) {
                continue;
            }
        }
        *length = n;
        return &unit;
    }
    return nullptr;
}

}  // namespace

UnitMark unit_word_at(const std::vector<Token>& tokens, std::size_t i, bool alone_in_segment) {
    std::size_t length = 0;
    const UnitWord* unit = unit_at(tokens, i, &length, alone_in_segment);
    if (unit == nullptr) {
        return {};
    }
    return UnitMark{unit->part, unit->full, length};
}

std::string_view name(Part part) noexcept {
    switch (part) {
        case Part::house_number: return "house_number";
        case Part::alley: return "alley";
        case Part::street: return "street";
        case Part::hamlet: return "hamlet";
        case Part::commune: return "commune";
        case Part::district: return "district";
        case Part::city: return "city";
        case Part::province: return "province";
        case Part::unmarked: return "unmarked";
    }
    return "unknown";
}

const Component* ParsedAddress::find(Part part) const noexcept {
    for (const auto& c : components) {
        if (c.part == part) {
            return &c;
        }
    }
    return nullptr;
}

ParsedAddress parse_tokens(const std::vector<Token>& tokens) {
    ParsedAddress out;
    Component* open = nullptr;   // the component collecting words
    bool have_house = false;     // a house number has been read
    std::size_t open_words = 0;  // words it has collected
    std::size_t i = 0;
    const auto start = [&](Part part, std::string_view unit) {
        out.components.push_back(Component{part, {}, std::string(unit), i, i});
        open = &out.components.back();
        open_words = 0;
    };
    const auto add_word = [&](const std::string& word) {
        if (!open->name.empty()) {
            open->name.push_back(' ');
        }
        open->name.append(word);
        open->end_token = i + 1;
        ++open_words;
    };
    while (i < tokens.size()) {
        const Token& token = tokens[i];
        const bool segment_start = i == 0 || token.comma_before;
        if (segment_start) {
            open = nullptr;
        }
        // A unit word starts a component, unless it is the first word of a name ("Phường Phố
        // Huế": "Phố" names, it does not mark).
        std::size_t length = 0;
        const UnitWord* unit = (open == nullptr || open_words > 0) ? unit_at(tokens, i, &length)
                                                                    : nullptr;
        if (unit != nullptr) {
            have_house = have_house || unit->part == Part::house_number;
            start(unit->part, unit->full);
            i += length;
            continue;
        }
        if (is_number(token.text)) {
            const bool names_it = open != nullptr && open_words == 0;
            const bool alley_number = open != nullptr && open->part == Part::alley;
            // After a house number, a number inside a name belongs to it ("831 Phú Mỹ 8").
            const bool ends_name = open != nullptr && open_words > 0 && have_house;
            // Vietnamese writes the house number first: a number after the words of a place
            // name is part of it ("Liên Trì 2", "Xã Mẫu 2"), except after a street.
            const bool in_name = open != nullptr && open_words > 0 && open->part != Part::street &&
                                 open->part != Part::house_number;
            if (!names_it && !alley_number && !ends_name && !in_name) {
                have_house = true;
                // "5 Hàng Gai", "thôn X, 12 ..." : a house number, then the street it is on.
                start(Part::house_number, {});
                add_word(token.text);
                open = nullptr;
                ++i;
                continue;
            }
            if (alley_number && open_words > 0) {
                // "ngõ 12 ngách 3" is handled by the unit word; "ngõ 12 5" reads 5 as a house.
                start(Part::house_number, {});
                add_word(token.text);
                open = nullptr;
                ++i;
                continue;
            }
        }
        if (open == nullptr) {
            // Words with no unit word: after a house number in the same segment they name the
            // street ("21 Hàng Gai"), otherwise a place for the gazetteer.
            const bool after_house = !segment_start && !out.components.empty() &&
                                     out.components.back().part == Part::house_number;
            start(after_house ? Part::street : Part::unmarked, {});
        } else if (open->part == Part::house_number && open_words > 0) {
            start(Part::street, {});
        } else if (open->part == Part::alley && open_words > 0 && is_number(open->name)) {
            // "ngõ 12 Phố Huế" has its street word; "ngõ 12 Huế" names the street without one.
            start(Part::street, {});
        }
        add_word(token.text);
        ++i;
    }
    // A unit word with nothing after it has been skipped; drop empty components.
    std::erase_if(out.components, [](const Component& c) { return c.name.empty(); });
    return out;
}

ParsedAddress parse_address(std::string_view text) { return parse_tokens(tokenize(text)); }

std::string place_name(std::string_view text) {
    auto parsed = parse_address(text);
    return parsed.components.empty() ? normalize(text) : std::move(parsed.components.front().name);
}

}  // namespace diachi::search
