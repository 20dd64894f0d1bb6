#ifndef DIACHI_STORE_SEARCH_HPP
#define DIACHI_STORE_SEARCH_HPP

/// @file
/// What Registry::search() and Registry::suggest() return: households, hamlets, streets and
/// communes ranked by how much of the query they match.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <diachi/error.hpp>
#include <diachi/lat_lng.hpp>
#include <diachi/store/household.hpp>

namespace diachi::store {

/// What a search result is.
enum class PlaceKind {
    household,  ///< one registered household (house number and place matched, or its code)
    hamlet,     ///< thôn / xóm / ấp / bản / tổ dân phố, known from its registered households
    street,     ///< a street or alley, known from its registered households
    place,      ///< a named place (shop, school, office, pagoda, market) from OpenStreetMap
    commune,    ///< a commune (today's; an old one is mapped to today's)
    province,   ///< a province
    cell,       ///< the grid cell of a plus code in the text, where no household is registered
};

[[nodiscard]] std::string_view name(PlaceKind kind) noexcept;

/// How one run of the query's words was read.
struct ReadSpan {
    std::string text;   ///< the words, folded ("hoan kiem")
    std::string role;   ///< "commune", "district", "province", "street", "hamlet",
                        ///< "house_number", "alley", "plus_code"
    std::string place;  ///< what it was read as, e.g. "Quận Hoàn Kiếm (old_district)"

    friend bool operator==(const ReadSpan&, const ReadSpan&) = default;
};

struct SearchResult {
    PlaceKind kind = PlaceKind::commune;
    /// 0..1: the share of the query's components this result matches, less a little for each
    /// corrected typo and each guess (an old commune split between several new ones).
    double score = 0.0;
    std::string label;     ///< e.g. "Thôn Liên Trì 2, Xã Yên Hòa, Tỉnh Ninh Bình"
    LatLngE7 location;     ///< the household, or the centre of the area
    std::string zone_id;   ///< the commune
    std::string commune;   ///< its name
    std::string province;  ///< its province's name
    std::uint32_t postcode = 0;
    std::uint64_t households = 0;          ///< registered households in the area (areas only)
    std::optional<Household> household;    ///< for PlaceKind::household
    std::vector<std::string> matched;      ///< components matched, e.g. "house_number", "hamlet"
    std::vector<std::string> notes;        ///< e.g. "old district Quận Hoàn Kiếm", "typo: lein -> lien"
    std::vector<ReadSpan> reading;         ///< how the text was read for this result, in text order
    double distance_m = -1.0;              ///< from SearchOptions::near; -1 without one
};

/// A latitude/longitude box in degrees (WGS 84); south <= north, west <= east.
struct SearchBox {
    double south_deg = 0.0;
    double west_deg = 0.0;
    double north_deg = 0.0;
    double east_deg = 0.0;

    [[nodiscard]] bool contains(LatLngE7 p) const noexcept {
        return p.lat_deg() >= south_deg && p.lat_deg() <= north_deg && p.lng_deg() >= west_deg &&
               p.lng_deg() <= east_deg;
    }
};

struct SearchOptions {
    std::size_t limit = 10;
    Access access = Access::anonymous;  ///< staff results carry personal fields
    /// A focus point (the user's position, the map's centre): between equally good readings the
    /// nearer result comes first, and results carry their distance. Default: none.
    std::optional<LatLngE7> near;
    /// Only results inside this box. Default: none (the whole country).
    std::optional<SearchBox> bbox;
};

/// Reads a focus point "LAT,LNG" (decimal degrees, read exactly). Errors: malformed_number,
/// out_of_range (also for a point outside Vietnam and its seas: latitude 6..24, longitude
/// 101..118).
[[nodiscard]] Result<LatLngE7> parse_near(std::string_view text) noexcept;

/// Reads a box "SOUTH,WEST,NORTH,EAST" in decimal degrees. Errors: malformed_number, and
/// out_of_range for a box whose south is north of its north or west east of its east.
[[nodiscard]] Result<SearchBox> parse_bbox(std::string_view text) noexcept;

}  // namespace diachi::store

#endif  // DIACHI_STORE_SEARCH_HPP
