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

#include <diachi/lat_lng.hpp>
#include <diachi/store/household.hpp>

namespace diachi::store {

/// What a search result is.
enum class PlaceKind {
    household,  ///< one registered household (house number and place matched, or its code)
    hamlet,     ///< thôn / xóm / ấp / bản / tổ dân phố, known from its registered households
    street,     ///< a street or alley, known from its registered households
    commune,    ///< a commune (today's; an old one is mapped to today's)
    province,   ///< a province
};

[[nodiscard]] std::string_view name(PlaceKind kind) noexcept;

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
};

struct SearchOptions {
    std::size_t limit = 10;
    Access access = Access::anonymous;  ///< staff results carry personal fields
};

}  // namespace diachi::store

#endif  // DIACHI_STORE_SEARCH_HPP
