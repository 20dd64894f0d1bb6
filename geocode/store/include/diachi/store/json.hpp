#ifndef DIACHI_STORE_JSON_HPP
#define DIACHI_STORE_JSON_HPP

/// @file
/// The registry's records as JSON, one shape everywhere: what `diachi ... --json` prints is what
/// the server's API answers. Personal fields appear only when the record holds them (which only
/// Access::staff readers get). Coordinates are exact decimals of the stored 1e-7 degrees.

#include <string>
#include <string_view>
#include <vector>

#include <diachi/error.hpp>
#include <diachi/store/registry.hpp>

namespace diachi::store {

/// {"id", "code", "display", "display_checked" (with its check character), "postcode", "lat", "lng", "zone_id", "address": {...}, "status",
/// "version", "source", "external_id", "created_ms", "updated_ms"[, "personal": {...}]}.
[[nodiscard]] std::string household_json(const Household& household);

/// {"input", "match", "code", "households": [...], "notes": [...], "suggestions": [...]}.
[[nodiscard]] std::string resolution_json(std::string_view input, const Resolution& resolution);

/// {"zone_id", "commune", "province", "postcode"}.
[[nodiscard]] std::string zone_json(const geography::Zone& zone);

/// {"distance_m", "household": {...}}.
[[nodiscard]] std::string nearby_json(const Nearby& nearby);

/// {"kind", "score", "label", "lat", "lng", "zone_id", "commune", "province", "postcode",
/// ["households",] ["household",] "matched", "notes"}.
[[nodiscard]] std::string search_result_json(const SearchResult& result);

/// {"input", "results": [...]}.
[[nodiscard]] std::string search_results_json(std::string_view input,
                                              const std::vector<SearchResult>& results);

/// {"id", "history": [{"sequence", "time_ms", "actor", "action", "detail"}, ...]}.
[[nodiscard]] std::string history_json(std::uint64_t id, const std::vector<HistoryEvent>& events);

/// {"error": the stable error name, "message", "input"}.
[[nodiscard]] std::string error_json(const Error& error, std::string_view input);

}  // namespace diachi::store

#endif  // DIACHI_STORE_JSON_HPP
