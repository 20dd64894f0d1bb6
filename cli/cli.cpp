#include "cli.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <iostream>

#include <diachi/store/json.hpp>

namespace diachi::cli {
namespace {

bool looks_like_number(std::string_view word) noexcept {
    return word.size() >= 2 && word[0] == '-' &&
           ((word[1] >= '0' && word[1] <= '9') || word[1] == '.');
}

bool contains(std::span<const std::string_view> names, std::string_view name) noexcept {
    return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

Args::Args(std::span<const std::string_view> words, std::span<const std::string_view> value_options,
           std::span<const std::string_view> flag_options) {
    for (std::size_t i = 0; i < words.size(); ++i) {
        const std::string_view word = words[i];
        if (word.size() < 2 || word[0] != '-' || looks_like_number(word)) {
            m_positional.push_back(word);
            continue;
        }
        std::string_view name = word;
        std::optional<std::string_view> inline_value;
        if (const auto eq = word.find('='); eq != std::string_view::npos) {
            name = word.substr(0, eq);
            inline_value = word.substr(eq + 1);
        }
        if (contains(flag_options, name) && !inline_value) {
            m_flags.push_back(name);
        } else if (contains(value_options, name)) {
            if (inline_value) {
                m_options.emplace_back(name, *inline_value);
            } else if (i + 1 < words.size()) {
                m_options.emplace_back(name, words[++i]);
            } else {
                throw UsageError("option " + std::string(name) + " needs a value");
            }
        } else {
            throw UsageError("unknown option " + std::string(name));
        }
    }
}

std::string_view Args::positional(std::size_t i, std::string_view what) const {
    if (i >= m_positional.size()) {
        throw UsageError("missing " + std::string(what));
    }
    return m_positional[i];
}

void Args::expect_at_most(std::size_t n) const {
    if (m_positional.size() > n) {
        throw UsageError("unexpected argument '" + std::string(m_positional[n]) + "'");
    }
}

bool Args::flag(std::string_view name) const noexcept { return contains(m_flags, name); }

std::optional<std::string_view> Args::option(std::string_view name) const noexcept {
    for (auto it = m_options.rbegin(); it != m_options.rend(); ++it) {
        if (it->first == name) {
            return it->second;
        }
    }
    return std::nullopt;
}

long Args::integer_option(std::string_view name, long fallback, long lo, long hi) const {
    const auto text = option(name);
    if (!text) {
        return fallback;
    }
    long value = 0;
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (ec != std::errc{} || end != text->data() + text->size() || value < lo || value > hi) {
        throw UsageError(std::string(name) + " takes a whole number from " + std::to_string(lo) +
                         " to " + std::to_string(hi) + ", not '" + std::string(*text) + "'");
    }
    return value;
}

double Args::number_option(std::string_view name, double fallback) const {
    const auto text = option(name);
    if (!text) {
        return fallback;
    }
    double value = 0;
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (ec != std::errc{} || end != text->data() + text->size() || !std::isfinite(value)) {
        throw UsageError(std::string(name) + " takes a number, not '" + std::string(*text) + "'");
    }
    return value;
}

int report(const Error& error, std::string_view input, bool json) {
    if (json) {
        std::cout << store::error_json(error, input) << '\n';
    } else {
        std::cerr << "diachi: '" << input << "': " << error.message() << '\n';
    }
    return exit_rejected;
}

}  // namespace diachi::cli
