#ifndef DIACHI_GEOGRAPHY_ZONE_HPP
#define DIACHI_GEOGRAPHY_ZONE_HPP

/// @file
/// An administrative zone (a commune, ward or special zone) with its postcode and the dates it
/// is valid between. Zones change: on 1 July 2025 Vietnam went from 10,035 to 3,321 communes and
/// new postcodes followed, so a zone carries its validity and the registry keeps old versions.

#include <cstdint>
#include <string>

namespace diachi::geography {

/// One version of an administrative zone.
struct Zone {
    std::string id;              ///< stable identifier, e.g. the GSO commune code "00004"
    std::string name;            ///< full name, e.g. "Phường Ba Đình"
    std::string parent_id;       ///< the province's code, e.g. "01"
    std::string parent_name;     ///< the province's full name, e.g. "Thành phố Hà Nội"
    std::uint32_t postcode = 0;  ///< 5-digit postcode as a number; 0 when it has none
    std::string valid_from;      ///< first day of validity, "YYYY-MM-DD"
    std::string valid_to;        ///< first day no longer valid, "YYYY-MM-DD"; empty: still valid
};

/// A zone and its outline: WKB of a Polygon or MultiPolygon in WGS 84, x = longitude.
struct ZoneFeature {
    Zone zone;
    std::string wkb;
};

}  // namespace diachi::geography

#endif  // DIACHI_GEOGRAPHY_ZONE_HPP
