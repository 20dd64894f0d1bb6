#ifndef DIACHI_STORE_HOUSEHOLD_HPP
#define DIACHI_STORE_HOUSEHOLD_HPP

/// @file
/// A registered household and the events of its history.

#include <cstdint>
#include <optional>
#include <string>

#include <diachi/household_code.hpp>
#include <diachi/lat_lng.hpp>

namespace diachi::store {

/// Who is asking. Personal fields (head of household, phone) reach staff only.
enum class Access : std::uint8_t {
    anonymous = 0,  ///< the public, couriers, apps: never sees personal fields
    staff = 1,      ///< commune mapping staff and administrators
};

/// The written address, below the commune. The commune and province come from the zone the
/// household's location falls in.
struct Address {
    std::string house_number;  ///< e.g. "5", "12/3", "Lô 4"
    std::string street;        ///< street or alley, e.g. "Ngõ 12 Phố Huế"
    std::string hamlet;        ///< thôn / xóm / ấp / bản / tổ, e.g. "Thôn Liên Trì 2"

    friend bool operator==(const Address&, const Address&) = default;
};

/// Personal fields: never returned to Access::anonymous callers.
struct PersonalFields {
    std::string head_of_household;
    std::string phone;

    friend bool operator==(const PersonalFields&, const PersonalFields&) = default;
};

/// Where a household stands in its life.
enum class HouseholdStatus : std::uint8_t {
    active = 0,
    retired = 1,  ///< no longer an address; its codes stay reserved and still resolve
};

/// A household as the registry returns it.
struct Household {
    std::uint64_t id = 0;  ///< stable, never reused
    HouseholdCode code;    ///< its current code (postcode, cell, unit)
    LatLngE7 location;     ///< WGS 84, 1e-7 degree
    Address address;
    std::string zone_id;   ///< the commune's id, e.g. "00004"
    std::string commune;   ///< the commune's name (from the zone)
    std::string province;  ///< the province's name (from the zone)
    /// Present only for Access::staff readers, and only when recorded.
    std::optional<PersonalFields> personal;
    std::string source;           ///< where the record came from, e.g. "app", "import:hanoi.csv"
    std::string external_id;      ///< the source's own id, if any (makes re-imports idempotent)
    std::int64_t created_ms = 0;  ///< Unix time in milliseconds
    std::int64_t updated_ms = 0;
    std::uint32_t version = 1;  ///< 1 when registered, +1 per change
    HouseholdStatus status = HouseholdStatus::active;
};

/// What a change did.
enum class HistoryAction : std::uint8_t {
    registered = 0,
    address_updated = 1,
    moved = 2,
    retired = 3,
};

/// One entry of a household's history; entries are appended, never rewritten.
struct HistoryEvent {
    std::uint32_t sequence = 0;  ///< 0, 1, 2, ... per household
    std::int64_t time_ms = 0;    ///< Unix time in milliseconds
    std::string actor;           ///< who made the change
    HistoryAction action = HistoryAction::registered;
    std::string detail;  ///< what changed, e.g. "code 111207Q89XG2 -> 111207Q89XH3"
};

/// "registered", "address_updated", "moved", "retired".
[[nodiscard]] std::string_view name(HistoryAction action) noexcept;
/// "active", "retired".
[[nodiscard]] std::string_view name(HouseholdStatus status) noexcept;

}  // namespace diachi::store

#endif  // DIACHI_STORE_HOUSEHOLD_HPP
