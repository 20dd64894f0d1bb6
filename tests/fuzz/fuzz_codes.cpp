// Household codes and Open Location Codes: any text parses or is refused with a reason, and
// whatever parses round-trips through every written form.

#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <diachi/household_code.hpp>
#include <diachi/olc.hpp>

#include "fuzz_support.hpp"

using diachi::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    using diachi::HouseholdCode;

    if (const auto code = HouseholdCode::parse(text)) {
        const HouseholdCode& c = code.value();
        require(c.is_valid());
        require(HouseholdCode::parse(c.canonical().view()).value() == c);
        require(HouseholdCode::parse(c.display().view()).value() == c);
        require(HouseholdCode::parse(c.display_checked().view()).value() == c);
        require(HouseholdCode::from_key(c.key()) == c);
    }

    namespace olc = diachi::olc;
    const bool valid = olc::is_valid(text);
    require(valid == (olc::validate(text).code == diachi::ErrorCode::ok));
    if (!valid) {
        require(!olc::decode(text));
        return 0;
    }
    if (const auto area = olc::decode(text)) {
        require(olc::is_full(text));
        const auto& a = area.value();
        require(a.lat_steps > 0 && a.lng_steps > 0);
        // The code of the area's centre, at the same length, names the same area.
        const auto again = olc::encode(a.center_lat_deg(), a.center_lng_deg(), a.length);
        if (again) {
            const auto back = olc::decode(again.value().view());
            require(back && back.value().south_west.lat_steps == a.south_west.lat_steps &&
                    back.value().south_west.lng_steps == a.south_west.lng_steps);
        }
        // Shortened against its own centre, it is recovered.
        if (const auto short_code = olc::shorten(again ? again.value().view() : text, a.center_lat_deg(), a.center_lng_deg())) {
            const auto full = olc::recover_nearest(short_code.value().view(), a.center_lat_deg(), a.center_lng_deg());
            require(full && olc::decode(full.value().view()).value().south_west.lat_steps == a.south_west.lat_steps);
        }
    }
    return 0;
}
