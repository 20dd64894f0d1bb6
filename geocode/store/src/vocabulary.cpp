#include "vocabulary.hpp"

#include <algorithm>

#include <diachi/search/normalize.hpp>

namespace diachi::store::detail {

void Vocabulary::add_words(std::string_view normalized) {
    std::lock_guard lock(m_mutex);
    for (std::size_t p = 0; p < normalized.size();) {
        const std::size_t e = std::min(normalized.find(' ', p), normalized.size());
        const std::string_view word = normalized.substr(p, e - p);
        p = e + 1;
        if (word.size() < 2 || search::is_number(word)) {
            continue;
        }
        auto [it, fresh] = m_counts.try_emplace(std::string(word), 0);
        ++it->second;
        if (fresh) {
            if (m_by_length.size() <= word.size()) {
                m_by_length.resize(word.size() + 1);
            }
            m_by_length[word.size()].push_back(it->first);
        }
    }
}

bool Vocabulary::contains(std::string_view word) const {
    std::lock_guard lock(m_mutex);
    return m_counts.find(std::string(word)) != m_counts.end();
}

std::vector<std::string> Vocabulary::neighbours(std::string_view word,
                                              std::size_t limit) const {
    const auto one_edit = [](std::string_view a, std::string_view b) {
        if (a.size() == b.size()) {
            std::size_t first = a.size();
            std::size_t differences = 0;
            for (std::size_t i = 0; i < a.size(); ++i) {
                if (a[i] != b[i]) {
                    first = std::min(first, i);
                    ++differences;
                }
            }
            return differences == 1 ||
                   (differences == 2 && first + 1 < a.size() && a[first] == b[first + 1] &&
                    a[first + 1] == b[first]);
        }
        const std::string_view& longer = a.size() > b.size() ? a : b;
        const std::string_view& shorter = a.size() > b.size() ? b : a;
        if (longer.size() != shorter.size() + 1) {
            return false;
        }
        std::size_t i = 0;
        while (i < shorter.size() && shorter[i] == longer[i]) {
            ++i;
        }
        return longer.substr(i + 1) == shorter.substr(i);
    };
    std::lock_guard lock(m_mutex);
    std::vector<std::pair<std::uint32_t, const std::string*>> found;
    for (std::size_t length = word.size() > 1 ? word.size() - 1 : 1; length <= word.size() + 1;
         ++length) {
        if (length >= m_by_length.size()) {
            break;
        }
        for (const auto& candidate : m_by_length[length]) {
            if (candidate != word && one_edit(word, candidate)) {
                found.emplace_back(m_counts.at(candidate), &candidate);
            }
        }
    }
    std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first > b.first : *a.second < *b.second;
    });
    std::vector<std::string> out;
    for (std::size_t i = 0; i < found.size() && i < limit; ++i) {
        out.push_back(*found[i].second);
    }
    return out;
}

std::string Vocabulary::correct(std::string_view word) const {
    auto best = neighbours(word, 1);
    return best.empty() ? std::string() : std::move(best.front());
}

}  // namespace diachi::store::detail
