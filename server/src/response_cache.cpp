#include "response_cache.hpp"

namespace diachi::server::detail {

std::optional<Response> ResponseCache::find(std::string_view key, std::uint64_t generation) {
    std::shared_ptr<const Entry> entry;
    {
        std::lock_guard lock(m_mutex);
        if (const auto it = m_entries.find(std::string(key)); it != m_entries.end() && it->second->generation == generation) {
            entry = it->second;
        }
    }
    if (!entry) {
        m_misses.fetch_add(1, std::memory_order_relaxed);
        return std::nullopt;
    }
    m_hits.fetch_add(1, std::memory_order_relaxed);
    Response r;
    r.status = entry->answer.status;
    r.content_type = entry->answer.content_type;
    r.headers = entry->answer.headers;
    r.shared = entry->answer.payload();
    r.owner = std::move(entry);
    return r;
}

void ResponseCache::put(std::string_view key, const Response& answer, std::uint64_t generation) {
    const std::size_t bytes = key.size() + answer.payload().size() + 128;
    if (bytes > m_max_bytes) {
        return;
    }
    auto entry = std::make_shared<Entry>();
    entry->answer.status = answer.status;
    entry->answer.content_type = answer.content_type;
    entry->answer.headers = answer.headers;
    entry->answer.body = std::string(answer.payload());
    entry->generation = generation;
    std::lock_guard lock(m_mutex);
    if (generation != m_generation || m_bytes + bytes > m_max_bytes) {
        if (generation < m_generation) {
            return;  // computed before a write that has been seen already
        }
        m_entries.clear();  // stale, or full: start again
        m_bytes = 0;
        m_generation = generation;
    }
    if (m_entries.insert_or_assign(std::string(key), std::move(entry)).second) {
        m_bytes += bytes;
    }
}

}  // namespace diachi::server::detail
