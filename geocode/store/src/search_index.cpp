#include "search_index.hpp"

#include <algorithm>
#include <cstring>

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
        case PlaceKind::place: return "place";
        case PlaceKind::cell: return "cell";
    }
    return "unknown";
}

namespace detail {

using search::Part;
using search::place_name;

/// The unit word of a place's written name ("to dan pho" for "Tổ dân phố Đoài 3"), or empty.
std::string place_unit(std::string_view text) {
    const auto parsed = search::parse_address(text);
    return parsed.components.empty() ? std::string() : parsed.components.front().unit;
}

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
std::vector<AreaKey> area_keys(const Address& address, AreaNames* memo) {
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

namespace {

void encode_area(const AreaValue& v, std::string* out) {
    out->resize(24);
    std::memcpy(out->data(), &v.count, 8);
    std::memcpy(out->data() + 8, &v.lat_sum, 8);
    std::memcpy(out->data() + 16, &v.lng_sum, 8);
    out->append(v.label);
}

}  // namespace

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

namespace {

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

}  // namespace

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
        out->push_back(AreaHit{kind, std::string(key.substr(2, zero - 2)), *zone, std::move(value)});
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

}  // namespace detail
}  // namespace diachi::store
