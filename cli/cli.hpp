#ifndef DIACHI_CLI_CLI_HPP
#define DIACHI_CLI_CLI_HPP

// Shared pieces of the command-line tool: arguments, output, exit codes.

#include <cstdio>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <diachi/error.hpp>
#include <diachi/json.hpp>

namespace diachi::cli {

/// Exit codes: 0 success, 1 the input was rejected (bad code, bad number), 2 usage error.
inline constexpr int exit_ok = 0;
inline constexpr int exit_rejected = 1;
inline constexpr int exit_usage = 2;

/// A usage mistake (unknown option, missing argument); main() prints it with the usage text.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// The arguments of one command: positional words and --name value / --flag options.
class Args {
public:
    /// Splits @p words; @p value_options names the options that take a value. A word that
    /// starts with '-' followed by a digit or '.' is a (negative) number, not an option.
    Args(std::span<const std::string_view> words, std::span<const std::string_view> value_options,
         std::span<const std::string_view> flag_options);

    /// The i-th positional word; UsageError naming @p what if missing.
    [[nodiscard]] std::string_view positional(std::size_t i, std::string_view what) const;
    [[nodiscard]] std::size_t positional_count() const noexcept { return m_positional.size(); }
    /// Fails with UsageError if there are more than @p n positional words.
    void expect_at_most(std::size_t n) const;
    [[nodiscard]] bool flag(std::string_view name) const noexcept;
    [[nodiscard]] std::optional<std::string_view> option(std::string_view name) const noexcept;
    /// An integer option in [lo, hi], or @p fallback when absent; UsageError when malformed.
    [[nodiscard]] long integer_option(std::string_view name, long fallback, long lo, long hi) const;
    /// A number option, or @p fallback when absent; UsageError when malformed.
    [[nodiscard]] double number_option(std::string_view name, double fallback) const;

private:
    std::vector<std::string_view> m_positional;
    std::vector<std::pair<std::string_view, std::string_view>> m_options;
    std::vector<std::string_view> m_flags;
};

/// Prints a rejected input (to stderr, or as JSON to stdout) and returns exit_rejected.
int report(const Error& error, std::string_view input, bool json);

/// The commands of the code scheme: encode, decode, shorten, recover, code.
/// Each takes the words after the command's name.
int run_encode(std::span<const std::string_view> words);
int run_decode(std::span<const std::string_view> words);
int run_shorten(std::span<const std::string_view> words);
int run_recover(std::span<const std::string_view> words);
int run_code(std::span<const std::string_view> words);

/// The registry commands (zones import, import, register, resolve, reverse, where, household,
/// move, retire, history, backup, check); -1 when @p command is none of them.
int run_registry_command(std::string_view command, std::span<const std::string_view> words);
/// search, suggest, units import; -1 for another command.
int run_search_command(std::string_view command, std::span<const std::string_view> words);

/// tile, export; -1 for another command.
int run_tile_command(std::string_view command, std::span<const std::string_view> words);
/// serve, token create; -1 for another command.
int run_server_command(std::string_view command, std::span<const std::string_view> words);

/// `sample zones|households`: the deterministic sample generator of data/.
int run_sample(std::span<const std::string_view> words);

}  // namespace diachi::cli

#endif  // DIACHI_CLI_CLI_HPP
