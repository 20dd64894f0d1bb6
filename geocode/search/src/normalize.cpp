#include <diachi/search/normalize.hpp>

#include <algorithm>

#include <diachi/text.hpp>

namespace diachi::search {
namespace {

bool is_vowel(char c) noexcept {
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

bool is_letter(char c) noexcept { return c >= 'a' && c <= 'z'; }
bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

/// "ly" -> "li", "ky" -> "ki"; "thuy", "quy", "y" unchanged.
void unify_final_y(std::string* word) {
    const std::size_t n = word->size();
    if (n >= 2 && (*word)[n - 1] == 'y' && is_letter((*word)[n - 2]) && !is_vowel((*word)[n - 2])) {
        (*word)[n - 1] = 'i';
    }
}

/// The letter case of a code point among the Latin letters Vietnamese uses: +1 upper, -1 lower,
/// 0 for anything else (combining marks, digits, punctuation).
int letter_case(char32_t cp) noexcept {
    if (cp >= 'A' && cp <= 'Z') return 1;
    if (cp >= 'a' && cp <= 'z') return -1;
    if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) return 1;
    if (cp >= 0xDF && cp <= 0xFF && cp != 0xF7) return -1;
    if (cp >= 0x100 && cp <= 0x17F) return cp % 2 == 0 ? 1 : -1;  // Ă ă, Đ đ, Ĩ ĩ, Ũ ũ
    if (cp == 0x1A0 || cp == 0x1AF) return 1;                      // Ơ, Ư
    if (cp == 0x1A1 || cp == 0x1B0) return -1;                     // ơ, ư
    if (cp >= 0x1EA0 && cp <= 0x1EF9) return cp % 2 == 0 ? 1 : -1;  // Ạ ạ ... Ỹ ỹ
    return 0;
}

/// Decodes the code point at @p i (advancing it); 0 for a malformed sequence.
char32_t decode(std::string_view text, std::size_t* i) noexcept {
    const auto b0 = static_cast<unsigned char>(text[*i]);
    const int extra = b0 < 0x80 ? 0 : (b0 & 0xE0) == 0xC0 ? 1 : (b0 & 0xF0) == 0xE0 ? 2 : 3;
    if (*i + static_cast<std::size_t>(extra) >= text.size() + (extra == 0 ? 1 : 0)) {
        ++*i;
        return 0;
    }
    char32_t cp = extra == 0 ? b0 : (b0 & (0x3F >> extra));
    for (int k = 1; k <= extra; ++k) {
        cp = (cp << 6) | (static_cast<unsigned char>(text[*i + static_cast<std::size_t>(k)]) & 0x3F);
    }
    *i += static_cast<std::size_t>(extra) + 1;
    return cp;
}

}  // namespace

std::string split_glued_words(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 8);
    int last_case = 0;  // of the last letter, through combining marks
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t at = i;
        const char32_t cp = decode(text, &i);
        int c = letter_case(cp);
        // Only a capital that folds to a Latin letter starts a word: "Þ" or "Ð" stay as they
        // are after folding, and a second pass would split before them (normalize() must give
        // the same on its own output).
        if (c == 1 && cp >= 0x80) {
            const std::string folded = fold(text.substr(at, i - at));
            c = folded.size() == 1 && folded[0] >= 'a' && folded[0] <= 'z' ? 1 : 0;
        }
        const bool mark = cp >= 0x300 && cp <= 0x36F;
        if (c == 1 && last_case == -1) {
            out.push_back(' ');
        }
        out.append(text.substr(at, i - at));
        if (!mark) {
            last_case = c;
        }
    }
    return out;
}

std::vector<std::string> split_words(std::string_view normalized) {
    std::vector<std::string> words;
    for (std::size_t p = 0; p < normalized.size();) {
        const std::size_t e = std::min(normalized.find(' ', p), normalized.size());
        words.emplace_back(normalized.substr(p, e - p));
        p = e + 1;
    }
    return words;
}

std::size_t word_count(std::string_view normalized) noexcept {
    std::size_t n = normalized.empty() ? 0 : 1;
    for (const char c : normalized) {
        n += c == ' ' ? 1 : 0;
    }
    return n;
}

bool is_number(std::string_view token) noexcept { return !token.empty() && is_digit(token[0]); }

std::vector<Token> tokenize(std::string_view text) {
    // Fold first: the folded text is ASCII for every Vietnamese letter; separators and marks
    // are then single bytes (the typographic apostrophes stay multi-byte and are matched).
    const std::string folded = fold(split_glued_words(text));
    std::vector<Token> out;
    std::string word;
    bool comma = false;
    bool join_next = false;  // an apostrophe ended the last word: the next one continues it
    const auto flush = [&](bool dot) {
        if (word.empty()) {
            return;
        }
        // "p5" -> "p" "5": a short letter abbreviation glued to a number.
        std::size_t letters = 0;
        while (letters < word.size() && is_letter(word[letters])) {
            ++letters;
        }
        if (letters > 0 && letters < word.size() && is_digit(word[letters])) {
            bool digits = true;
            for (std::size_t i = letters; i < word.size(); ++i) {
                digits = digits && (is_digit(word[i]) || word[i] == '/');
            }
            if (digits) {
                std::string prefix = word.substr(0, letters);
                unify_final_y(&prefix);  // as if written apart: "ky5" reads as "ky 5"
                // "P5" is an abbreviation, as if dotted; "Kim1" a name glued to its number.
                out.push_back({std::move(prefix), comma, letters <= 2});
                comma = false;
                word.erase(0, letters);
            }
        }
        unify_final_y(&word);
        out.push_back({std::move(word), comma, dot});
        word.clear();
        comma = false;
    };
    for (std::size_t i = 0; i < folded.size(); ++i) {
        const char c = folded[i];
        // U+2019 and U+02BC (typographic apostrophes), U+2018 as typed by some keyboards.
        if (c == '\'' || c == '`') {
            join_next = !word.empty();
            continue;
        }
        if (static_cast<unsigned char>(c) == 0xE2 && i + 2 < folded.size() &&
            static_cast<unsigned char>(folded[i + 1]) == 0x80 &&
            (static_cast<unsigned char>(folded[i + 2]) == 0x99 ||
             static_cast<unsigned char>(folded[i + 2]) == 0x98)) {
            i += 2;
            join_next = !word.empty();
            continue;
        }
        if (static_cast<unsigned char>(c) == 0xCA && i + 1 < folded.size() &&
            static_cast<unsigned char>(folded[i + 1]) == 0xBC) {
            i += 1;
            join_next = !word.empty();
            continue;
        }
        if (is_letter(c) || is_digit(c) || c == '/' || static_cast<unsigned char>(c) >= 0x80) {
            word.push_back(c);
            join_next = false;
            continue;
        }
        if (c == ' ' && join_next) {
            continue;  // "H' Leo": the apostrophe holds the word open across the space
        }
        join_next = false;
        flush(c == '.');
        if (c == ',' || c == ';') {
            comma = !out.empty();
        }
    }
    flush(false);
    return out;
}

std::string normalize(std::string_view text) {
    std::string out;
    for (const auto& token : tokenize(text)) {
        if (!out.empty()) {
            out.push_back(' ');
        }
        out.append(token.text);
    }
    return out;
}

}  // namespace diachi::search
