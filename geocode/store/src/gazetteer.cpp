#include "gazetteer.hpp"

#include <algorithm>

#include <diachi/search/normalize.hpp>

#include "vocabulary.hpp"

namespace diachi::store::detail {

using search::Part;

std::string without_leading_zeros(std::string word) {
    if (word.size() > 1 && word[0] == '0' &&
        std::all_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        const std::size_t first = word.find_first_not_of('0');
        word.erase(0, first == std::string::npos ? word.size() - 1 : first);
    }
    return word;
}

std::string unit_key(std::string_view text) {
    // The unit word leads; the rest is the name, unit words inside it included ("Xã Tam Dương
    // Bắc" is "tam duong bac", not "tam").
    const auto tokens = search::tokenize(text);
    const std::size_t skip = tokens.size() > 1 ? search::unit_word_at(tokens, 0).length : 0;
    std::string key;
    for (std::size_t i = skip; i < tokens.size(); ++i) {
        key.append(key.empty() ? "" : " ").append(tokens[i].text);
    }
    return without_leading_zeros(std::move(key));
}

bool Gazetteer::Entry::contains(std::uint32_t z) const noexcept {
    return std::binary_search(zones.begin(), zones.end(), z);
}

bool level_allowed(Part part, Gazetteer::Level level) {
    using L = Gazetteer::Level;
    switch (part) {
        case Part::commune: return level == L::commune || level == L::old_commune;
        case Part::district: return level == L::old_district;
        case Part::city:
            return level == L::province || level == L::old_province || level == L::old_district;
        case Part::province: return level == L::province || level == L::old_province;
        case Part::street: return level == L::street || level == L::place;
        case Part::unmarked: return true;
        default: return false;
    }
}

std::string_view level_name(Gazetteer::Level level) {
    using L = Gazetteer::Level;
    switch (level) {
        case L::commune: return "commune";
        case L::old_commune: return "old_commune";
        case L::old_district: return "old_district";
        case L::province: return "province";
        case L::old_province: return "old_province";
        case L::street: return "street";
        case L::place: return "place";
    }
    return "unknown";
}

bool is_province(Gazetteer::Level level) noexcept {
    return level == Gazetteer::Level::province || level == Gazetteer::Level::old_province;
}

bool is_commune(Gazetteer::Level level) noexcept {
    return level == Gazetteer::Level::commune || level == Gazetteer::Level::old_commune;
}

Gazetteer::Gazetteer(const geography::ZoneIndex& zones,
                     const std::vector<geography::OldUnit>& old,
                     const std::vector<geography::StreetRow>& streets,
                     const std::vector<geography::NamedPlace>& places) {
    const auto add = [&](const std::string& full, Level level, std::vector<std::uint32_t> ids,
                         bool partial, std::string key = {}) {
        if (full.empty() || ids.empty()) {
            return;
        }
        if (key.empty()) {
            key = unit_key(full);
        }
        auto& entries = m_names[key];
        for (auto& e : entries) {
            // Streets placed by their shape and by their district stay apart.
            if (e.level == level && e.label == full &&
                (level != Level::street || e.partial == partial)) {
                e.zones.insert(e.zones.end(), ids.begin(), ids.end());
                std::sort(e.zones.begin(), e.zones.end());
                e.zones.erase(std::unique(e.zones.begin(), e.zones.end()), e.zones.end());
                e.partial = e.partial || partial;
                return;
            }
        }
        // The unit word of the label, for the one the text writes to be compared with.
        const auto tokens = search::tokenize(full);
        const auto mark = search::unit_word_at(tokens, 0);
        entries.push_back(
            Entry{level, std::move(ids), full, partial, std::string(mark.length > 0 ? mark.full : "")});
    };
    std::unordered_map<std::string, std::vector<std::uint32_t>> provinces;
    for (std::uint32_t z = 0; z < zones.size(); ++z) {
        add(zones.zone(z).name, Level::commune, {z}, false);
        provinces[zones.zone(z).parent_name].push_back(z);
    }
    for (auto& [province, ids] : provinces) {
        add(province, Level::province, std::move(ids), false);
    }
    // Old units: an old commune names the zones it went to; its district and province the
    // zones all their communes went to. Names repeat across provinces, so each entry keeps its
    // own zones and the province it belonged to narrows them at query time.
    std::unordered_map<std::string, std::vector<std::uint32_t>> districts;
    std::unordered_map<std::string, std::vector<std::uint32_t>> old_provinces;
    std::unordered_map<std::string, std::vector<std::uint32_t>> communes;
    std::unordered_map<std::string, bool> partial;
    for (const auto& unit : old) {
        const auto zone = zones.find(unit.new_zone_id);
        if (!zone) {
            continue;
        }
        const std::string commune_key = unit.commune_code + '\0' + unit.commune;
        communes[commune_key].push_back(*zone);
        partial[commune_key] = partial[commune_key] || unit.partial;
        if (!unit.district.empty()) {
            districts[unit.district + '\0' + unit.province].push_back(*zone);
        }
        old_provinces[unit.province].push_back(*zone);
    }
    // Streets: in the zones their district's communes went to. A name found in several
    // districts (and provinces) is one entry over all their zones; the other places the text
    // names choose among them.
    // Only the communes that took whole old communes of the district: a commune that took a
    // sliver of one is unlikely to hold the street.
    std::unordered_map<std::string, std::vector<std::uint32_t>> district_zones;
    for (const auto& unit : old) {
        const auto zone = zones.find(unit.new_zone_id);
        if (zone && !unit.partial && !unit.district.empty()) {
            district_zones[unit_key(unit.province) + '\0' + unit_key(unit.district)].push_back(
                *zone);
        }
    }
    for (const auto& row : streets) {
        // By its shape: the commune it runs through. By its district (marked partial): the
        // communes of the district.
        std::vector<std::uint32_t> ids;
        const bool by_district = row.zone_id.empty();
        if (by_district) {
            const auto it =
                district_zones.find(unit_key(row.province) + '\0' + unit_key(row.district));
            if (it != district_zones.end()) {
                ids = it->second;
            }
        } else if (const auto z = zones.find(row.zone_id)) {
            ids.push_back(*z);
        }
        const std::string key = search::normalize(row.street);
        if (ids.empty() || key.size() < 2 || search::is_number(key)) {
            continue;
        }
        // A listed street's name is whole ("Ngõ Huyện", "Xóm Ngò" are names); "Đường" and
        // "Phố" written in front are also left out ("Phổ Yên" is a name).
        add(row.street, Level::street, ids, by_district, key);
        for (const std::string_view word : {"Đường ", "đường ", "Phố ", "phố "}) {
            if (row.street.starts_with(word) && row.street.size() > word.size()) {
                add(row.street, Level::street, ids, by_district,
                    search::normalize(row.street.substr(word.size())));
            }
        }
    }
    // Named places: each its own entry, at its point, in the commune it lies in; found by its
    // whole name and by the part before " - " ("Văn Miếu - Quốc Tử Giám").
    for (const auto& place : places) {
        const auto hit = zones.locate(place.location);
        const std::string key = search::normalize(place.name);
        if (!hit || key.size() < 2 || search::is_number(key)) {
            continue;
        }
        Entry e{Level::place, {hit->zone}, place.name, false, {}, place.location, place.kind};
        m_names[key].push_back(e);
        if (const std::size_t dash = place.name.find(" - "); dash != std::string::npos) {
            const std::string head = search::normalize(place.name.substr(0, dash));
            if (head.size() >= 2 && head != key) {
                m_names[head].push_back(std::move(e));
            }
        }
    }
    for (auto& [key, ids] : communes) {
        add(key.substr(key.find('\0') + 1), Level::old_commune, std::move(ids), partial[key]);
    }
    for (auto& [key, ids] : districts) {
        add(key.substr(0, key.find('\0')), Level::old_district, std::move(ids), false);
    }
    for (auto& [province, ids] : old_provinces) {
        add(province, Level::old_province, std::move(ids), false);
    }
    for (auto& [name, entries] : m_names) {
        m_sorted.push_back(name);
        m_max_words = std::max(m_max_words, search::word_count(name));
        for (auto& e : entries) {
            std::sort(e.zones.begin(), e.zones.end());
            e.zones.erase(std::unique(e.zones.begin(), e.zones.end()), e.zones.end());
        }
    }
    std::sort(m_sorted.begin(), m_sorted.end());
    add_aliases();
}

const std::vector<Gazetteer::Entry>* Gazetteer::find(std::string_view name) const {
    const auto it = m_names.find(std::string(name));
    return it == m_names.end() ? nullptr : &it->second;
}

std::vector<std::string_view> Gazetteer::with_prefix(std::string_view prefix,
                                                     std::size_t limit) const {
    std::vector<std::string_view> out;
    for (auto it = std::lower_bound(m_sorted.begin(), m_sorted.end(), prefix);
         it != m_sorted.end() && it->starts_with(prefix) && out.size() < limit; ++it) {
        out.push_back(*it);
    }
    return out;
}

void Gazetteer::add_words_to(Vocabulary* vocabulary) const {
    for (const auto& name : m_sorted) {
        vocabulary->add_words(name);
    }
}

namespace {

/// A street's given names as people shorten them: "Nguyễn" as "Ng" ("Ng Văn Cừ"), and every
/// word but the last cut to its initial, with or without "Ng" ("Ng.T.M.Khai", "N.T.M.Khai").
template <typename Alias>
void street_aliases(const std::vector<std::string>& words, const Gazetteer::Entry* e,
                    Alias&& alias) {
    if (words.size() < 2) {
        return;
    }
    std::string ng;
    bool has_nguyen = false;
    for (std::size_t i = 0; i < words.size(); ++i) {
        has_nguyen = has_nguyen || words[i] == "nguyen";
        ng.append(i > 0 ? " " : "").append(words[i] == "nguyen" ? "ng" : words[i]);
    }
    if (has_nguyen) {
        alias(ng, e);
    }
    if (words.size() >= 3) {
        std::string initials;
        std::string ng_initials = words.front() == "nguyen" ? "ng" : std::string(1, words.front().front());
        for (std::size_t i = 0; i + 1 < words.size(); ++i) {
            initials.append(i > 0 ? " " : "").push_back(words[i].front());
            if (i > 0) {
                ng_initials.append(" ").push_back(words[i].front());
            }
        }
        alias(initials + " " + words.back(), e);
        alias(ng_initials + " " + words.back(), e);
    }
}

}  // namespace

void Gazetteer::add_aliases() {
    const auto alias = [&](std::string key, const Entry* e, bool colloquial = false) {
        if (key.empty() || (m_names.contains(key) && !colloquial)) {
            return;  // a real name is never shadowed by another's abbreviation
        }
        auto& list = m_aliases[key];
        if (std::find(list.begin(), list.end(), e) == list.end()) {
            list.push_back(e);
        }
    };
    for (const auto& [name, entries] : m_names) {
        const auto words = search::split_words(name);
        if (words.size() < 2) {
            continue;
        }
        std::string glued;
        std::string initials;
        for (const auto& w : words) {
            glued.append(w);
            initials.push_back(w.front());
        }
        for (const auto& e : entries) {
            if (e.level == Level::street) {
                street_aliases(words, &e, alias);
                continue;  // streets are too many for glued spellings
            }
            if (e.level == Level::place) {
                continue;
            }
            alias(glued, &e);
            // Initials: provinces and districts, which people shorten ("HCM", "HBT");
            // communes are too many to.
            if (is_commune(e.level)) {
                continue;
            }
            alias(initials, &e);
            if (is_province(e.level)) {  // "T.Giang", "Đ.Nai": provinces, as people write them
                std::string first_cut(1, words.front().front());
                for (std::size_t i = 1; i < words.size(); ++i) {
                    first_cut.append(" ").append(words[i]);
                }
                alias(first_cut, &e);
            }
            if (words.size() == 4) {  // "Bà Rịa - Vũng Tàu": "BR-VT"
                alias(initials.substr(0, 2) + " " + initials.substr(2), &e);
            }
            if (e.label.starts_with("Thành phố")) {  // "TPHCM", "tphanoi"
                alias("tp" + initials, &e);
                alias("tp" + glued, &e);
            }
        }
    }
    // Old names still in daily use.
    for (const char* key : {"sai gon", "saigon", "sg"}) {
        if (const auto* entries = find("ho chi minh")) {
            for (const auto& e : *entries) {
                if (is_province(e.level)) {
                    alias(key, &e, true);
                }
            }
        }
    }
}

std::size_t Gazetteer::zone_references() const noexcept {
    std::size_t n = 0;
    for (const auto& [name, entries] : m_names) {
        for (const auto& e : entries) {
            n += e.zones.size();
        }
    }
    return n;
}

const std::vector<const Gazetteer::Entry*>* Gazetteer::find_alias(std::string_view key) const {
    const auto it = m_aliases.find(std::string(key));
    return it == m_aliases.end() ? nullptr : &it->second;
}

}  // namespace diachi::store::detail
