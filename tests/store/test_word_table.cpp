// detail::WordTable, the bulk load's table of cells and external ids: every word put is found
// by its key, with the value of its last put, across the table's growth; keys never put are
// not found; the value bits never take part in the key.

#include <cstdint>
#include <random>
#include <unordered_map>
#include <vector>

#include <gtest/gtest.h>

#include "../../geocode/store/src/word_table.hpp"

using diachi::store::detail::WordTable;

TEST(WordTable, EveryWordPutIsFoundWithItsLastValueAcrossGrowth) {
    constexpr std::uint64_t mask = 0x3FFF;  // a cell's last unit, as the registry keeps it
    WordTable table(mask);
    EXPECT_FALSE(table.find(42 << 14).has_value());             // empty: nothing to probe
    std::unordered_map<std::uint64_t, std::uint64_t> expected;  // key -> word
    std::mt19937_64 rng(3);
    // Keys that differ only in a few high bits collide in a poor hash; random ones do not.
    for (std::uint64_t i = 1; i <= 300'000; ++i) {
        const std::uint64_t key = (i % 2 == 0 ? rng() : i << 40) & ~mask;
        const std::uint64_t word = key | (1 + rng() % mask);
        table.put(word);
        expected[key] = word;
        if (i % 3 == 0) {  // a later unit in the same cell replaces the word
            const std::uint64_t later = key | ((word & mask) % mask + 1);
            table.put(later);
            expected[key] = later;
        }
    }
    EXPECT_EQ(table.size(), expected.size());
    EXPECT_GE(table.memory_bytes(), 2 * 8 * table.size());  // at most half full
    for (const auto& [key, word] : expected) {
        // Found by the key alone and by the key with any value bits.
        ASSERT_EQ(table.find(key), word);
        ASSERT_EQ(table.find(key | mask), word);
    }
    std::size_t absent_found = 0;
    for (int i = 0; i < 100'000; ++i) {
        const std::uint64_t key = (rng() | 1ULL << 63) & ~mask;
        absent_found += !expected.contains(key) && table.find(key).has_value() ? 1 : 0;
    }
    EXPECT_EQ(absent_found, 0U);
}

TEST(WordTable, WithoutValueBitsItIsASetOfWords) {
    WordTable table;
    table.put(7);
    table.put(7);
    table.put(8);
    EXPECT_EQ(table.size(), 2U);
    EXPECT_EQ(table.find(7), 7U);
    EXPECT_FALSE(table.find(9).has_value());
}

TEST(WordTable, PutAllIsPutForEachInOrder) {
    constexpr std::uint64_t mask = 0xFF;
    std::mt19937_64 rng(5);
    std::vector<std::uint64_t> words;
    for (int i = 0; i < 200'000; ++i) {
        // Keys drawn from 50,000, so most come several times: the last word of each must win.
        words.push_back(((1 + rng() % 50'000) << 8) | (rng() & mask));
    }
    WordTable one_by_one(mask);
    for (const std::uint64_t word : words) {
        one_by_one.put(word);
    }
    WordTable all_at_once(mask);
    all_at_once.put(words.front());  // grows from a table already in use
    all_at_once.put_all(words);
    EXPECT_EQ(all_at_once.size(), one_by_one.size());
    for (const std::uint64_t word : words) {
        ASSERT_EQ(all_at_once.find(word), one_by_one.find(word));
    }
}
