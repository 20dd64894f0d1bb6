#include <diachi/search/normalize.hpp>

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

}  // namespace

bool is_number(std::string_view token) noexcept { return !token.empty() && is_digit(token[0]); }

std::vector<Token> tokenize(std::string_view text) {
    // Fold first: the folded text is ASCII for every Vietnamese letter; separators and marks
    // are then single bytes (the typographic apostrophes stay multi-byte and are matched).
    const std::string folded = fold(text);
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
        if (letters > 0 && letters <= 2 && letters < word.size() && is_digit(word[letters])) {
            bool digits = true;
            for (std::size_t i = letters; i < word.size(); ++i) {
                digits = digits && (is_digit(word[i]) || word[i] == '/');
            }
            if (digits) {
                std::string prefix = word.substr(0, letters);
                unify_final_y(&prefix);  // as if written apart: "ky5" reads as "ky 5"
                out.push_back({std::move(prefix), comma, true});
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
