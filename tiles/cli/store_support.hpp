#ifndef DIACHI_CLI_STORE_SUPPORT_HPP
#define DIACHI_CLI_STORE_SUPPORT_HPP

// What the commands that open a registry share: the store's path, read-only options, and
// households and coordinates as JSON.

#include <cstdint>
#include <string>
#include <string_view>

#include <diachi/store/registry.hpp>

#include "cli.hpp"

namespace diachi::cli {

/// --store DIR, or DIACHI_STORE; a UsageError without either.
std::string store_path(const Args& args);

std::string option_or(const Args& args, std::string_view name, std::string fallback);

/// A fixed-point coordinate as its exact decimal text, e.g. 210285110 -> "21.028511".
std::string e7_text(std::int32_t e7);

/// Appends @p item to a JSON array under construction ("[" then items, closed by the caller).
void append_item(std::string* list, std::string_view item);

store::RegistryOptions read_only();

std::string household_json(const store::Household& h);

}  // namespace diachi::cli

#endif  // DIACHI_CLI_STORE_SUPPORT_HPP
