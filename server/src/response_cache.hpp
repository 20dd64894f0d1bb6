#ifndef DIACHI_SERVER_RESPONSE_CACHE_HPP
#define DIACHI_SERVER_RESPONSE_CACHE_HPP

// Whole answers of a public route (resolve), kept by request path and valid while the registry's
// generation has not moved: any write makes every kept answer stale at once. Bounded in bytes;
// when full it starts again empty (the hot codes come back at once).

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "http.hpp"

namespace diachi::server::detail {

class ResponseCache {
public:
    /// A cache of at most @p max_bytes of answers (0: keeps nothing).
    explicit ResponseCache(std::size_t max_bytes) : m_max_bytes(max_bytes) {}

    /// The answer kept for @p key while the registry was at @p generation, its body borrowed
    /// from the cache; nullopt when there is none (or it is from another generation).
    [[nodiscard]] std::optional<Response> find(std::string_view key, std::uint64_t generation);

    /// Keeps @p answer for @p key, computed while the registry was at @p generation.
    void put(std::string_view key, const Response& answer, std::uint64_t generation);

    [[nodiscard]] std::uint64_t hits() const noexcept { return m_hits.load(std::memory_order_relaxed); }
    [[nodiscard]] std::uint64_t misses() const noexcept { return m_misses.load(std::memory_order_relaxed); }

private:
    struct Entry {
        Response answer;
        std::uint64_t generation = 0;
    };
    std::size_t m_max_bytes;
    std::mutex m_mutex;
    std::unordered_map<std::string, std::shared_ptr<const Entry>> m_entries;
    std::uint64_t m_generation = 0;  // of every entry kept
    std::size_t m_bytes = 0;
    std::atomic<std::uint64_t> m_hits{0};
    std::atomic<std::uint64_t> m_misses{0};
};

}  // namespace diachi::server::detail

#endif  // DIACHI_SERVER_RESPONSE_CACHE_HPP
