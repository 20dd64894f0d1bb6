#ifndef DIACHI_STORE_SRC_VOCABULARY_HPP
#define DIACHI_STORE_SRC_VOCABULARY_HPP

// The words search knows (internal): every word of every indexed name, with how often it is
// used, for typo correction.

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace diachi::store::detail {

/// The words search knows, for typo correction: one edit (substitution, insertion, deletion,
/// transposition) away from a known word is read as that word. Thread-safe.
class Vocabulary {
public:
    void add_words(std::string_view normalized);
    [[nodiscard]] bool contains(std::string_view word) const;
    /// The known word one edit from @p word (the most used when several are), or empty.
    [[nodiscard]] std::string correct(std::string_view word) const;
    /// Up to @p limit known words one edit from @p word, the most used first.
    [[nodiscard]] std::vector<std::string> neighbours(std::string_view word,
                                                      std::size_t limit) const;

private:
    mutable std::mutex m_mutex;
    std::unordered_map<std::string, std::uint32_t> m_counts;
    std::vector<std::vector<std::string>> m_by_length;
};

}  // namespace diachi::store::detail

#endif  // DIACHI_STORE_SRC_VOCABULARY_HPP
