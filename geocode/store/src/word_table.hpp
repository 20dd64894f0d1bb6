#ifndef DIACHI_STORE_WORD_TABLE_HPP
#define DIACHI_STORE_WORD_TABLE_HPP

/// @file
/// detail::WordTable: a compact hash table of 64-bit words, for the registry's bulk loads
/// (Registry::begin_bulk_load()), which keep one word per cell and per external id of a whole
/// national load in memory: 27 million of each.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace diachi::store::detail {

/// A set of 64-bit words keyed by their bits outside @p value_mask: at most one word per key,
/// the bits inside the mask are the key's value. Open addressing with linear probing, at most
/// half full: 8 bytes a slot, 16 to 32 bytes a word. Word 0 marks an empty slot, so it cannot
/// be held (the callers' words never are 0: their keys are not).
class WordTable {
public:
    explicit WordTable(std::uint64_t value_mask = 0) noexcept : m_value_mask(value_mask) {}

    /// The word held for the key of @p word (its value bits ignored), if any.
    [[nodiscard]] std::optional<std::uint64_t> find(std::uint64_t word) const noexcept {
        if (m_slots.empty()) {
            return std::nullopt;
        }
        const std::uint64_t key = word & ~m_value_mask;
        for (std::size_t i = slot_of(key);; i = (i + 1) & (m_slots.size() - 1)) {
            const std::uint64_t held = m_slots[i];
            if (held == 0) {
                return std::nullopt;
            }
            if ((held & ~m_value_mask) == key) {
                return held;
            }
        }
    }

    /// Holds @p word, replacing the word of the same key.
    void put(std::uint64_t word) {
        reserve(m_size + 1);
        if (place(word)) {
            ++m_size;
        }
    }

    /// put() for each of @p words, in order. A table of millions of words is mostly outside
    /// the processor's caches: each slot is fetched from memory a few words ahead of its put.
    void put_all(std::span<const std::uint64_t> words) {
        reserve(m_size + words.size());
        for (std::size_t i = 0; i < words.size(); ++i) {
            if (i + prefetch_distance < words.size()) {
                prefetch(words[i + prefetch_distance]);
            }
            if (place(words[i])) {
                ++m_size;
            }
        }
    }

    /// Starts fetching the first slot find() or put() of @p word reads.
    void prefetch(std::uint64_t word) const noexcept {
        if (!m_slots.empty()) {
            __builtin_prefetch(&m_slots[slot_of(word & ~m_value_mask)]);
        }
    }

    /// How many words ahead put_all() fetches, and callers of find() in a loop should.
    static constexpr std::size_t prefetch_distance = 16;

    [[nodiscard]] std::size_t size() const noexcept { return m_size; }

    /// Makes room for @p words at most half full, so that holding that many grows the table no
    /// more (growing moves every word).
    void reserve(std::size_t words) {
        std::size_t capacity = m_slots.empty() ? std::size_t{1} << 16 : m_slots.size();
        while (words * 2 > capacity) {
            capacity *= 2;
        }
        if (capacity != m_slots.size()) {
            rehash(capacity);
        }
    }

    /// The bytes its slots take.
    [[nodiscard]] std::size_t memory_bytes() const noexcept {
        return m_slots.size() * sizeof(std::uint64_t);
    }

private:
    /// The first slot to probe for @p key (the finaliser of MurmurHash3: every bit of the key
    /// moves the high bits, which pick the slot).
    [[nodiscard]] std::size_t slot_of(std::uint64_t key) const noexcept {
        key ^= key >> 33;
        key *= 0xff51afd7ed558ccdULL;
        key ^= key >> 33;
        key *= 0xc4ceb9fe1a85ec53ULL;
        key ^= key >> 33;
        return static_cast<std::size_t>(key >> m_shift);
    }

    /// Puts @p word in its slot; true when its key was not held before.
    bool place(std::uint64_t word) noexcept {
        const std::uint64_t key = word & ~m_value_mask;
        for (std::size_t i = slot_of(key);; i = (i + 1) & (m_slots.size() - 1)) {
            std::uint64_t& held = m_slots[i];
            if (held == 0 || (held & ~m_value_mask) == key) {
                const bool added = held == 0;
                held = word;
                return added;
            }
        }
    }

    void rehash(std::size_t capacity) {
        std::vector<std::uint64_t> old;
        old.swap(m_slots);
        m_slots.assign(capacity, 0);
        m_shift = 64;
        for (std::size_t c = capacity; c > 1; c >>= 1) {
            --m_shift;
        }
        for (const std::uint64_t word : old) {
            if (word != 0) {
                place(word);
            }
        }
    }

    std::uint64_t m_value_mask;
    std::vector<std::uint64_t> m_slots;
    std::size_t m_size = 0;
    unsigned m_shift = 64;  ///< 64 - log2(capacity): slot_of() keeps the hash's top bits
};

}  // namespace diachi::store::detail

#endif  // DIACHI_STORE_WORD_TABLE_HPP
