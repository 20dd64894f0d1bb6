#include "search_index.hpp"

#include <algorithm>
#include <cstring>
#include <set>
#include <unordered_set>

#include <diachi/search/address_parser.hpp>
#include <diachi/search/normalize.hpp>

#include "codec_internal.hpp"

namespace diachi::store {

std::string_view name(PlaceKind kind) noexcept {
    switch (kind) {
        case PlaceKind::household: return "household";
        case PlaceKind::hamlet: return "hamlet";
        case PlaceKind::street: return "street";
        case PlaceKind::commune: return "commune";
        case PlaceKind::province: return "province";
    }
    return "unknown";
}

namespace detail {
namespace {

using search::Component;
using search::Part;

constexpr char kind_hamlet = 'h';
constexpr char kind_street = 's';

using search::place_name;

std::vector<std::string> split_words(const std::string& text) {
    std::vector<std::string> words;
    for (std::size_t p = 0; p < text.size();) {
        const std::size_t e = std::min(text.find(' ', p), text.size());
        words.push_back(text.substr(p, e - p));
        p = e + 1;
    }
    return words;
}

/// The unit word of a place's written name ("to dan pho" for "Tổ dân phố Đoài 3"), or empty.
std::string place_unit(std::string_view text) {
    const auto parsed = search::parse_address(text);
    return parsed.components.empty() ? std::string() : parsed.components.front().unit;
}

struct AreaKey {
    char kind;
    std::string name;
    std::string house;
};

/// The street and alley names a written street holds ("ngõ 12 Phố Huế": "pho hue", "12").
std::pair<std::string, std::string> street_names(std::string_view written) {
    std::string alley;
    std::string street;
    const auto parsed = search::parse_address(written);
    for (const auto& c : parsed.components) {
        if (c.part == Part::alley && alley.empty()) {
            alley = c.name;
        } else if (street.empty() && c.part != Part::alley) {
            street = c.name;
        }
    }
    if (street.empty() && !alley.empty() && !search::is_number(alley)) {
        street = alley;  // a named alley ("Kiệt Lê Lợi") is the place itself
        alley.clear();
    }
    return {std::move(street), std::move(alley)};
}

/// The areas a household is found under, with its house key in each. @p memo, when given,
/// keeps the names of the written streets and hamlets seen (a village repeats them in every
/// household).
std::vector<AreaKey> area_keys(const Address& address, AreaNames* memo = nullptr) {
    std::vector<AreaKey> out;
    std::string house = search::normalize(address.house_number);
    std::pair<std::string, std::string> parsed;
    const std::pair<std::string, std::string>* names = &parsed;
    if (!address.street.empty()) {
        if (memo == nullptr) {
            parsed = street_names(address.street);
        } else {
            auto it = memo->streets.find(address.street);
            if (it == memo->streets.end()) {
                it = memo->streets.emplace(address.street, street_names(address.street)).first;
            }
            names = &it->second;
        }
    }
    const auto& [street, alley] = *names;
    // The alley belongs to the street: "số 7 ngõ 12 Phố Huế" is house "12 7" on Phố Huế, and
    // house "7" of its hamlet.
    if (!street.empty()) {
        out.push_back({kind_street, street, alley.empty() ? house : alley + " " + house});
    }
    if (!address.hamlet.empty()) {
        if (memo == nullptr) {
            out.push_back({kind_hamlet, place_name(address.hamlet), house});
        } else {
            auto it = memo->hamlets.find(address.hamlet);
            if (it == memo->hamlets.end()) {
                it = memo->hamlets.emplace(address.hamlet, place_name(address.hamlet)).first;
            }
            out.push_back({kind_hamlet, it->second, house});
        }
    }
    return out;
}

std::string area_key(char kind, std::string_view name, std::string_view zone_id) {
    std::string key{'a', kind};
    key.append(name);
    key.push_back('\0');
    key.append(zone_id);
    return key;
}

std::string house_prefix(std::string_view zone_id, char kind, std::string_view name,
                         std::string_view house) {
    std::string key{'h'};
    key.append(zone_id);
    key.push_back('\0');
    key.push_back(kind);
    key.append(name);
    key.push_back('\0');
    key.append(house);
    key.push_back('\0');
    return key;
}

/// Area counters: count, sum of lat_e7, sum of lng_e7 (little-endian int64), then the label.
struct AreaValue {
    std::int64_t count = 0;
    std::int64_t lat_sum = 0;
    std::int64_t lng_sum = 0;
    std::string label;
};

void encode_area(const AreaValue& v, std::string* out) {
    out->resize(24);
    std::memcpy(out->data(), &v.count, 8);
    std::memcpy(out->data() + 8, &v.lat_sum, 8);
    std::memcpy(out->data() + 16, &v.lng_sum, 8);
    out->append(v.label);
}

bool decode_area(std::string_view data, AreaValue* v) {
    if (data.size() < 24) {
        return false;
    }
    std::memcpy(&v->count, data.data(), 8);
    std::memcpy(&v->lat_sum, data.data() + 8, 8);
    std::memcpy(&v->lng_sum, data.data() + 16, 8);
    v->label.assign(data.substr(24));
    return true;
}

class AreaMerge final : public rocksdb::AssociativeMergeOperator {
public:
    bool Merge(const rocksdb::Slice&, const rocksdb::Slice* existing, const rocksdb::Slice& value,
               std::string* new_value, rocksdb::Logger*) const override {
        AreaValue sum;
        AreaValue add;
        if (existing != nullptr && !decode_area(existing->ToStringView(), &sum)) {
            return false;
        }
        if (!decode_area(value.ToStringView(), &add)) {
            return false;
        }
        sum.count += add.count;
        sum.lat_sum += add.lat_sum;
        sum.lng_sum += add.lng_sum;
        if (!add.label.empty()) {
            sum.label = std::move(add.label);
        }
        encode_area(sum, new_value);
        return true;
    }
    const char* Name() const override { return "diachi.AreaCounters"; }
};

/// Levels a component of @p part may name.
bool level_allowed(Part part, Gazetteer::Level level) {
    using L = Gazetteer::Level;
    switch (part) {
        case Part::commune: return level == L::commune || level == L::old_commune;
        case Part::district: return level == L::old_district;
        case Part::city:
            return level == L::province || level == L::old_province || level == L::old_district;
        case Part::province: return level == L::province || level == L::old_province;
        case Part::unmarked: return true;
        default: return false;
    }
}

double level_weight(Gazetteer::Level level) {
    using L = Gazetteer::Level;
    return (level == L::commune || level == L::old_commune) ? 3.0 : 1.0;
}

double part_weight(Part part) {
    switch (part) {
        case Part::house_number: return 2.0;
        case Part::alley: return 1.0;
        case Part::street:
        case Part::hamlet: return 3.0;
        case Part::commune: return 3.0;
        case Part::district:
        case Part::city:
        case Part::province: return 1.0;
        case Part::unmarked: return 2.0;
    }
    return 1.0;
}

std::string_view level_name(Gazetteer::Level level) {
    using L = Gazetteer::Level;
    switch (level) {
        case L::commune: return "commune";
        case L::old_commune: return "old_commune";
        case L::old_district: return "old_district";
        case L::province: return "province";
        case L::old_province: return "old_province";
    }
    return "unknown";
}

std::size_t word_count(std::string_view s) {
    return s.empty() ? 0 : static_cast<std::size_t>(std::count(s.begin(), s.end(), ' ')) + 1;
}

/// Splits administrative names off the end of a component's words: "lien tri 2 yen hoa yen mo
/// ninh binh" is the hamlet "lien tri 2" and the unmarked "yen hoa", "yen mo", "ninh binh".
void peel(const Gazetteer& gazetteer, std::vector<Component>* components) {
    std::vector<Component> out;
    for (auto& c : *components) {
        if (c.part == Part::house_number || c.part == Part::alley) {
            out.push_back(std::move(c));
            continue;
        }
        std::vector<Component> tail;
        std::vector<std::string> words;
        for (std::size_t p = 0; p <= c.name.size();) {
            const std::size_t e = std::min(c.name.find(' ', p), c.name.size());
            words.push_back(c.name.substr(p, e - p));
            p = e + 1;
        }
        std::size_t end = words.size();
        // The whole name of an administrative component stands as it is.
        bool whole_known = gazetteer.find(c.name) != nullptr;
        while (!whole_known && end > 1) {
            bool split = false;
            for (std::size_t n = std::min(gazetteer.max_words(), end - 1); n >= 1; --n) {
                std::string suffix;
                for (std::size_t i = end - n; i < end; ++i) {
                    suffix.append(suffix.empty() ? "" : " ").append(words[i]);
                }
                // A bare number ("4" of "Thôn Thanh Khê 4") names a unit only after its
                // unit word ("Phường 4").
                if (!search::is_number(suffix) && gazetteer.find(suffix) != nullptr) {
                    tail.push_back(Component{Part::unmarked, suffix, {}});
                    end -= n;
                    split = true;
                    break;
                }
            }
            if (!split) {
                break;
            }
            std::string head;
            for (std::size_t i = 0; i < end; ++i) {
                head.append(head.empty() ? "" : " ").append(words[i]);
            }
            whole_known = gazetteer.find(head) != nullptr && c.part == Part::unmarked;
        }
        // A street or hamlet name may end in words that also name a unit ("Phố Đinh Tiên
        // Hoàng", "Tiên Hoàng" an old commune): split off a single unit name only when it is a
        // province, two or more always.
        if (c.part != Part::unmarked && tail.size() == 1) {
            bool province = false;
            for (const auto& e : *gazetteer.find(tail.front().name)) {
                province = province || e.level == Gazetteer::Level::province ||
                           e.level == Gazetteer::Level::old_province;
            }
            if (!province) {
                tail.clear();
                end = words.size();
            }
        }
        if (end < words.size()) {
            std::string head;
            for (std::size_t i = 0; i < end; ++i) {
                head.append(head.empty() ? "" : " ").append(words[i]);
            }
            c.name = std::move(head);
        }
        out.push_back(std::move(c));
        out.insert(out.end(), std::make_move_iterator(tail.rbegin()),
                   std::make_move_iterator(tail.rend()));
    }
    *components = std::move(out);
}

struct AreaHit {
    char kind;
    std::string name;
    std::uint32_t zone;
    AreaValue value;
    double score;  // matched weight
    std::vector<std::string> matched;
    const Component* from = nullptr;  // the query component that named it
    std::vector<std::string> notes;
};

void check_scan(const rocksdb::Iterator& it) {
    if (!it.status().ok()) {
        throw std::runtime_error("reading the search index: " + it.status().ToString());
    }
}

/// Area entries named @p name (any zone), or, with @p prefix, whose name starts with it.
void scan_areas(const SearchContext& context, char kind, std::string_view name, bool prefix,
                std::size_t limit, std::vector<AreaHit>* out) {
    std::string start{'a', kind};
    start.append(name);
    if (!prefix) {
        start.push_back('\0');
    }
    rocksdb::Iterator* it = context.iterator.get();
    std::size_t seen = 0;
    for (it->Seek(start); it->Valid() && seen < limit; it->Next()) {
        const std::string_view key = it->key().ToStringView();
        if (!key.starts_with(start)) {
            break;
        }
        const std::size_t zero = key.find('\0', 2);
        if (zero == std::string_view::npos) {
            continue;
        }
        AreaValue value;
        if (!decode_area(it->value().ToStringView(), &value) || value.count <= 0) {
            continue;
        }
        const auto zone = context.zones->find(key.substr(zero + 1));
        if (!zone) {
            continue;
        }
        ++seen;
        out->push_back(AreaHit{kind, std::string(key.substr(2, zero - 2)), *zone, std::move(value),
                               0.0, {}, nullptr, {}});
    }
    check_scan(*it);
}

/// The mean of @p n points whose coordinates sum to @p lat_sum, @p lng_sum.
LatLngE7 mean_point(std::int64_t lat_sum, std::int64_t lng_sum, std::int64_t n) {
    const auto p = LatLngE7::from_e7(static_cast<std::int32_t>(lat_sum / n),
                                     static_cast<std::int32_t>(lng_sum / n));
    return p ? *p : LatLngE7{};
}

LatLngE7 centre_of(const AreaValue& v) { return mean_point(v.lat_sum, v.lng_sum, v.count); }

void fill_zone(const geography::ZoneIndex& zones, std::uint32_t z, SearchResult* r) {
    const auto& zone = zones.zone(z);
    r->zone_id = zone.id;
    r->commune = zone.name;
    r->province = zone.parent_name;
    r->postcode = zone.postcode;
}

SearchResult zone_result(const geography::ZoneIndex& zones, std::uint32_t z) {
    SearchResult r;
    r.kind = PlaceKind::commune;
    fill_zone(zones, z, &r);
    r.label = r.commune + ", " + r.province;
    r.location = zones.interior_point(z);
    return r;
}

/// A hamlet or street: centred on its households, labelled with its commune and province.
SearchResult area_result(const geography::ZoneIndex& zones, const AreaHit& area) {
    SearchResult r;
    r.kind = area.kind == kind_hamlet ? PlaceKind::hamlet : PlaceKind::street;
    fill_zone(zones, area.zone, &r);
    r.location = centre_of(area.value);
    r.households = static_cast<std::uint64_t>(area.value.count);
    r.label = area.value.label + ", " + r.commune + ", " + r.province;
    return r;
}

SearchResult household_result(const geography::ZoneIndex& zones, std::uint32_t z, Household h) {
    SearchResult r;
    r.kind = PlaceKind::household;
    fill_zone(zones, z, &r);
    r.location = h.location;
    std::string label = h.address.house_number;
    for (const std::string* part : {&h.address.street, &h.address.hamlet}) {
        if (!part->empty()) {
            label.append(label.empty() ? "" : (part == &h.address.street ? " " : ", "))
                .append(*part);
        }
    }
    label.append(label.empty() ? "" : ", ").append(r.commune).append(", ").append(r.province);
    r.label = std::move(label);
    r.household = std::move(h);
    return r;
}

bool better(const SearchResult& a, const SearchResult& b) {
    if (a.score != b.score) {
        return a.score > b.score;
    }
    if (a.kind != b.kind) {
        return a.kind < b.kind;  // a household before its hamlet before its commune
    }
    if (a.households != b.households) {
        return a.households > b.households;
    }
    return a.label < b.label;
}

}  // namespace

// --- index entries -------------------------------------------------------------------------

void SearchBatch::add(const Household& h, int sign) {
    for (auto& area : area_keys(h.address, &m_names)) {
        auto& delta = m_areas[area_key(area.kind, area.name, h.zone_id)];
        delta.count += sign;
        delta.lat_sum += std::int64_t{sign} * h.location.lat_e7;
        delta.lng_sum += std::int64_t{sign} * h.location.lng_e7;
        if (sign > 0) {
            delta.label = area.kind == kind_street ? h.address.street : h.address.hamlet;
        }
        delta.name = std::move(area.name);
        std::string key = house_prefix(h.zone_id, area.kind, delta.name, area.house);
        put_be64(&key, h.id);
        const auto status = sign > 0 ? m_batch->Put(m_family, key, {}) : m_batch->Delete(m_family, key);
        if (!status.ok()) {
            throw std::runtime_error("batching search entries: " + status.ToString());
        }
    }
}

void SearchBatch::finish(Vocabulary* vocabulary) {
    std::string value;
    for (auto& [key, delta] : m_areas) {
        if (delta.count == 0 && delta.lat_sum == 0 && delta.lng_sum == 0 && delta.label.empty()) {
            continue;  // added and removed in the same batch (an address rewritten as it was)
        }
        AreaValue v;
        v.count = delta.count;
        v.lat_sum = delta.lat_sum;
        v.lng_sum = delta.lng_sum;
        v.label = std::move(delta.label);
        encode_area(v, &value);
        const auto status = m_batch->Merge(m_family, key, value);
        if (!status.ok()) {
            throw std::runtime_error("batching search entries: " + status.ToString());
        }
        if (delta.count > 0) {
            vocabulary->add_words(delta.name);
        }
    }
    m_areas.clear();
    m_names.streets.clear();
    m_names.hamlets.clear();
}

std::shared_ptr<rocksdb::MergeOperator> area_merge_operator() {
    return std::make_shared<AreaMerge>();
}

void load_area_words(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* family, Vocabulary* out) {
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions(), family));
    for (it->Seek("a"); it->Valid(); it->Next()) {
        const std::string_view key = it->key().ToStringView();
        if (!key.starts_with("a")) {
            break;
        }
        const std::size_t zero = key.find('\0', 2);
        if (zero != std::string_view::npos) {
            out->add_words(key.substr(2, zero - 2));
        }
    }
}

// --- vocabulary ----------------------------------------------------------------------------

void Vocabulary::add_words(std::string_view normalized) {
    std::lock_guard lock(m_mutex);
    for (std::size_t p = 0; p < normalized.size();) {
        const std::size_t e = std::min(normalized.find(' ', p), normalized.size());
        const std::string_view word = normalized.substr(p, e - p);
        p = e + 1;
        if (word.size() < 2 || search::is_number(word)) {
            continue;
        }
        auto [it, fresh] = m_counts.try_emplace(std::string(word), 0);
        ++it->second;
        if (fresh) {
            if (m_by_length.size() <= word.size()) {
                m_by_length.resize(word.size() + 1);
            }
            m_by_length[word.size()].push_back(it->first);
        }
    }
}

bool Vocabulary::contains(std::string_view word) const {
    std::lock_guard lock(m_mutex);
    return m_counts.find(std::string(word)) != m_counts.end();
}

std::vector<std::string> Vocabulary::neighbours(std::string_view word,
                                              std::size_t limit) const {
    const auto one_edit = [](std::string_view a, std::string_view b) {
        if (a.size() == b.size()) {
            std::size_t first = a.size();
            std::size_t differences = 0;
            for (std::size_t i = 0; i < a.size(); ++i) {
                if (a[i] != b[i]) {
                    first = std::min(first, i);
                    ++differences;
                }
            }
            return differences == 1 ||
                   (differences == 2 && first + 1 < a.size() && a[first] == b[first + 1] &&
                    a[first + 1] == b[first]);
        }
        const std::string_view& longer = a.size() > b.size() ? a : b;
        const std::string_view& shorter = a.size() > b.size() ? b : a;
        if (longer.size() != shorter.size() + 1) {
            return false;
        }
        std::size_t i = 0;
        while (i < shorter.size() && shorter[i] == longer[i]) {
            ++i;
        }
        return longer.substr(i + 1) == shorter.substr(i);
    };
    std::lock_guard lock(m_mutex);
    std::vector<std::pair<std::uint32_t, const std::string*>> found;
    for (std::size_t length = word.size() > 1 ? word.size() - 1 : 1; length <= word.size() + 1;
         ++length) {
        if (length >= m_by_length.size()) {
            break;
        }
        for (const auto& candidate : m_by_length[length]) {
            if (candidate != word && one_edit(word, candidate)) {
                found.emplace_back(m_counts.at(candidate), &candidate);
            }
        }
    }
    std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first > b.first : *a.second < *b.second;
    });
    std::vector<std::string> out;
    for (std::size_t i = 0; i < found.size() && i < limit; ++i) {
        out.push_back(*found[i].second);
    }
    return out;
}

std::string Vocabulary::correct(std::string_view word) const {
    auto best = neighbours(word, 1);
    return best.empty() ? std::string() : std::move(best.front());
}

// --- gazetteer -----------------------------------------------------------------------------

Gazetteer::Gazetteer(const geography::ZoneIndex& zones,
                     const std::vector<geography::OldUnit>& old) {
    const auto add = [&](const std::string& full, Level level, std::vector<std::uint32_t> ids,
                         bool partial) {
        if (full.empty() || ids.empty()) {
            return;
        }
        const std::string key = place_name(full);
        auto& entries = m_names[key];
        for (auto& e : entries) {
            if (e.level == level && e.label == full) {
                e.zones.insert(e.zones.end(), ids.begin(), ids.end());
                std::sort(e.zones.begin(), e.zones.end());
                e.zones.erase(std::unique(e.zones.begin(), e.zones.end()), e.zones.end());
                e.partial = e.partial || partial;
                return;
            }
        }
        entries.push_back(Entry{level, std::move(ids), full, partial});
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
        m_max_words = std::max(m_max_words, word_count(name));
        for (auto& e : entries) {
            std::sort(e.zones.begin(), e.zones.end());
            e.zones.erase(std::unique(e.zones.begin(), e.zones.end()), e.zones.end());
        }
    }
    std::sort(m_sorted.begin(), m_sorted.end());
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

// --- search --------------------------------------------------------------------------------

std::vector<SearchResult> search(const SearchContext& context, std::string_view query,
                                 const SearchOptions& options) {
    std::vector<SearchResult> results;
    if (!context.zones || options.limit == 0) {
        return results;
    }
    const auto& zones = *context.zones;
    const auto& gazetteer = *context.gazetteer;

    auto parsed = search::parse_address(query);
    // Typos: a word no name holds, one edit from one that some name does.
    std::vector<std::string> typo_notes;
    for (auto& c : parsed.components) {
        if (c.part == Part::house_number || c.part == Part::alley) {
            continue;
        }
        std::string fixed;
        for (std::size_t p = 0; p <= c.name.size();) {
            const std::size_t e = std::min(c.name.find(' ', p), c.name.size());
            std::string word = c.name.substr(p, e - p);
            p = e + 1;
            if (word.size() >= 3 && !search::is_number(word) &&
                !context.vocabulary->contains(word)) {
                std::string better_word = context.vocabulary->correct(word);
                if (!better_word.empty()) {
                    typo_notes.push_back("read '" + word + "' as '" + better_word + "'");
                    word = std::move(better_word);
                }
            }
            fixed.append(fixed.empty() ? "" : " ").append(word);
        }
        c.name = std::move(fixed);
    }
    peel(gazetteer, &parsed.components);

    double total = 0.0;
    for (const auto& c : parsed.components) {
        total += part_weight(c.part);
    }
    if (total == 0.0) {
        return results;
    }
    const double typo_penalty = 0.05 * static_cast<double>(typo_notes.size());

    // Administrative components: each gives its zones a weight (once per component).
    std::unordered_map<std::uint32_t, double> admin;
    std::unordered_map<std::uint32_t, std::vector<std::string>> admin_matched;
    std::unordered_map<std::uint32_t, std::vector<std::string>> admin_notes;
    std::unordered_set<std::uint32_t> partial_zones;
    std::vector<const Component*> area_parts;
    const Component* house = nullptr;
    const Component* alley = nullptr;
    bool province_only = true;
    for (const auto& c : parsed.components) {
        if (c.part == Part::house_number) {
            house = house == nullptr ? &c : house;
            continue;
        }
        if (c.part == Part::alley) {
            alley = alley == nullptr ? &c : alley;
            continue;
        }
        if (c.part == Part::hamlet || c.part == Part::street) {
            area_parts.push_back(&c);
            continue;
        }
        const auto* entries = (c.part == Part::unmarked && search::is_number(c.name))
                                  ? nullptr
                                  : gazetteer.find(c.name);
        std::unordered_map<std::uint32_t, std::pair<double, const Gazetteer::Entry*>> best;
        if (entries != nullptr) {
            for (const auto& e : *entries) {
                if (!level_allowed(c.part, e.level)) {
                    continue;
                }
                const double w = level_weight(e.level) * part_weight(c.part) /
                                 (c.part == Part::unmarked ? 2.0 : part_weight(c.part));
                for (const std::uint32_t z : e.zones) {
                    auto& slot = best[z];
                    if (w > slot.first) {
                        slot = {w, &e};
                    }
                }
            }
        }
        if (best.empty()) {
            if (c.part == Part::unmarked) {
                area_parts.push_back(&c);
            }
            continue;
        }
        for (const auto& [z, match] : best) {
            // An unmarked name counts as much as the unit it matched, up to its weight.
            const double w = std::min(match.first, c.part == Part::unmarked
                                                       ? level_weight(match.second->level)
                                                       : part_weight(c.part));
            admin[z] += w;
            admin_matched[z].emplace_back(level_name(match.second->level));
            const auto level = match.second->level;
            if (level == Gazetteer::Level::old_commune || level == Gazetteer::Level::old_district ||
                level == Gazetteer::Level::old_province) {
                admin_notes[z].push_back(std::string(level_name(level)) + " " +
                                         match.second->label);
            }
            if (match.second->partial) {
                partial_zones.insert(z);
            }
            province_only = province_only && (level == Gazetteer::Level::province ||
                                               level == Gazetteer::Level::old_province);
        }
        // Unmarked names weigh what they matched, not the default.
        if (c.part == Part::unmarked) {
            double top = 0.0;
            for (const auto& [z, match] : best) {
                top = std::max(top, level_weight(match.second->level));
            }
            total += top - part_weight(Part::unmarked);
        }
    }
    const auto admin_of = [&](std::uint32_t z) {
        const auto it = admin.find(z);
        return it == admin.end() ? 0.0 : it->second;
    };
    double best_admin = 0.0;
    for (const auto& [z, w] : admin) {
        best_admin = std::max(best_admin, w);
    }

    // Areas: hamlets and streets of registered households, in the zones the rest allows.
    std::vector<AreaHit> areas;
    for (const Component* c : area_parts) {
        std::vector<AreaHit> hits;
        const std::vector<char> kinds =
            c->part == Part::hamlet   ? std::vector<char>{kind_hamlet, kind_street}
            : c->part == Part::street ? std::vector<char>{kind_street, kind_hamlet}
                                      : std::vector<char>{kind_hamlet, kind_street};
        for (const char kind : kinds) {
            scan_areas(context, kind, c->name, false, 4096, &hits);
            if (!c->unit.empty()) {
                // "12 Tô Hiến Thành": "Tô" read as a unit word; the street is "to hien thanh".
                scan_areas(context, kind, c->unit + " " + c->name, false, 4096, &hits);
            }
        }
        // No area of that name: one word may be mistyped into another real word ("Tanh" for
        // "Thanh") or corrected to the wrong one ("Lng": "Long" or "Lang"). Try the names one
        // edit away, word by word.
        double fuzzy_penalty = 0.0;
        if (hits.empty()) {
            const auto words = split_words(c->name);
            for (std::size_t w = 0; w < words.size(); ++w) {
                // Short known words ("Mới", "Đổi") are too close to each other to guess.
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
            fuzzy_penalty = hits.empty() ? 0.0 : 0.5;
            if (!hits.empty()) {
                typo_notes.push_back("read '" + c->name + "' as a name one letter away");
            }
        }
        for (auto& hit : hits) {
            // The unit word agrees ("Thôn" asked, a "Thôn" registered, not a "Tổ dân phố").
            const bool unit_agrees = !c->unit.empty() && place_unit(hit.value.label) == c->unit;
            const bool kind_agrees = (c->part == Part::hamlet && hit.kind == kind_hamlet) ||
                                     (c->part == Part::street && hit.kind == kind_street) ||
                                     c->part == Part::unmarked || c->unit.empty();
            hit.score = part_weight(c->part) * (kind_agrees ? 1.0 : 0.9) + admin_of(hit.zone) -
                        fuzzy_penalty + (unit_agrees ? 0.25 : 0.0);
            hit.matched.emplace_back(hit.kind == kind_hamlet ? "hamlet" : "street");
            hit.from = c;
            areas.push_back(std::move(hit));
        }
    }
    // Several area components (a street and a hamlet) in one zone add up.
    std::sort(areas.begin(), areas.end(), [](const AreaHit& a, const AreaHit& b) {
        if (a.score != b.score) {
            return a.score > b.score;
        }
        return a.value.count > b.value.count;
    });

    const double penalty_base = typo_penalty;
    const auto finish = [&](SearchResult r, double matched_weight, std::uint32_t z) {
        double score = matched_weight / total - penalty_base;
        if (partial_zones.contains(z)) {
            score *= 0.95;
            r.notes.emplace_back("an old commune split between several; this is one of them");
        }
        r.score = std::clamp(score, 0.0, 1.0);
        if (const auto it = admin_matched.find(z); it != admin_matched.end()) {
            r.matched.insert(r.matched.end(), it->second.begin(), it->second.end());
        }
        if (const auto it = admin_notes.find(z); it != admin_notes.end()) {
            r.notes.insert(r.notes.end(), it->second.begin(), it->second.end());
        }
        r.notes.insert(r.notes.end(), typo_notes.begin(), typo_notes.end());
        results.push_back(std::move(r));
    };

    // Households: the house number in the best areas.
    std::set<std::uint64_t> seen_households;
    std::vector<std::string> r_matched_extra;
    if (house != nullptr) {
        std::size_t tried = 0;
        for (const auto& area : areas) {
            if (++tried > 8) {
                break;
            }
            const std::string house_key = alley != nullptr && area.kind == kind_street
                                              ? alley->name + " " + house->name
                                              : house->name;
            const std::string prefix =
                house_prefix(zones.zone(area.zone).id, area.kind, area.name, house_key);
            rocksdb::Iterator* it = context.iterator.get();
            for (it->Seek(prefix); it->Valid(); it->Next()) {
                const std::string_view key = it->key().ToStringView();
                if (!key.starts_with(prefix) || key.size() != prefix.size() + 8) {
                    break;
                }
                const std::uint64_t id = get_be64(key.substr(prefix.size()));
                if (!seen_households.insert(id).second) {
                    continue;
                }
                Household h;
                if (!context.read_household(id, options.access, &h)) {
                    continue;
                }
                // The other places the query names, where this household's address has them
                // too ("Phố Lê Lợi, Tổ dân phố Đoài 3": the street and the hamlet).
                double also = 0.0;
                const auto keys = area_keys(h.address);
                for (const Component* other : area_parts) {
                    if (other == area.from) {
                        continue;
                    }
                    for (const auto& k : keys) {
                        if (k.name == other->name) {
                            also += part_weight(other->part);
                            r_matched_extra.emplace_back(k.kind == kind_hamlet ? "hamlet"
                                                                                : "street");
                            break;
                        }
                    }
                }
                auto r = household_result(zones, area.zone, std::move(h));
                r.matched.insert(r.matched.end(), r_matched_extra.begin(), r_matched_extra.end());
                r_matched_extra.clear();
                r.matched.emplace_back("house_number");
                if (alley != nullptr) {
                    r.matched.emplace_back("alley");
                }
                r.matched.insert(r.matched.end(), area.matched.begin(), area.matched.end());
                finish(std::move(r),
                       area.score + also + part_weight(Part::house_number) +
                           (alley != nullptr ? part_weight(Part::alley) : 0.0),
                       area.zone);
            }
            check_scan(*it);
        }
    }
    // The areas themselves.
    {
        std::set<std::tuple<char, std::string, std::uint32_t>> seen;
        for (const auto& area : areas) {
            if (!seen.emplace(area.kind, area.name, area.zone).second) {
                continue;
            }
            SearchResult r = area_result(zones, area);
            r.matched = area.matched;
            finish(std::move(r), area.score, area.zone);
            if (seen.size() >= options.limit) {
                break;
            }
        }
    }
    // Communes the administrative components name.
    if (best_admin > 0.0) {
        std::vector<std::uint32_t> ranked;
        for (const auto& [z, w] : admin) {
            ranked.push_back(z);
        }
        std::sort(ranked.begin(), ranked.end(), [&](std::uint32_t a, std::uint32_t b) {
            const double wa = admin_of(a);
            const double wb = admin_of(b);
            return wa != wb ? wa > wb : zones.zone(a).id < zones.zone(b).id;
        });
        if (province_only && !ranked.empty()) {
            // A province alone: the province, centred on its communes' inner points.
            SearchResult r;
            r.kind = PlaceKind::province;
            std::int64_t lat = 0;
            std::int64_t lng = 0;
            std::int64_t n = 0;
            for (const std::uint32_t z : ranked) {
                if (admin_of(z) == best_admin) {
                    const auto p = zones.interior_point(z);
                    lat += p.lat_e7;
                    lng += p.lng_e7;
                    ++n;
                }
            }
            r.province = zones.zone(ranked.front()).parent_name;
            r.label = r.province;
            r.location = mean_point(lat, lng, n);
            finish(std::move(r), best_admin, ranked.front());
        } else {
            for (std::size_t i = 0; i < ranked.size() && i < options.limit; ++i) {
                finish(zone_result(zones, ranked[i]), admin_of(ranked[i]), ranked[i]);
            }
        }
    }
    std::stable_sort(results.begin(), results.end(), better);
    if (results.size() > options.limit) {
        results.resize(options.limit);
    }
    return results;
}

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
            if (!level_allowed(typed.part, e.level) || e.level == Gazetteer::Level::old_district ||
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

}  // namespace detail
}  // namespace diachi::store
