#ifndef DIACHI_CLI_STORE_SUPPORT_HPP
#define DIACHI_CLI_STORE_SUPPORT_HPP

// What the commands that open a registry share: the store's path, read-only options, and
// households and coordinates as JSON.

#include <cstdint>
#include <string>
#include <string_view>

#include <diachi/store/json.hpp>
#include <diachi/store/registry.hpp>

#include "cli.hpp"

namespace diachi::cli {

/// --store DIR, or DIACHI_STORE; a UsageError without either.
std::string store_path(const Args& args);

std::string option_or(const Args& args, std::string_view name, std::string fallback);

/// Appends @p item to a JSON array under construction ("[" then items, closed by the caller).
void append_item(std::string* list, std::string_view item);

store::RegistryOptions read_only();

/// Options of a store opened for writing. DIACHI_UNSAFE_DISABLE_WAL=1 turns the write-ahead log
/// off: only the crash-safety test's control run sets it, to show the test detects loss.
store::RegistryOptions writable();

using store::household_json;

}  // namespace diachi::cli

#endif  // DIACHI_CLI_STORE_SUPPORT_HPP
